/** One instruction of a Dockerfile: `FROM node:20 AS build` is `{ keyword: 'FROM', args: 'node:20 AS build' }`. */
export interface DockerInstruction {
  readonly keyword: string;
  readonly args: string;
  /** The build stage it belongs to (0 for the first FROM and what follows it). */
  readonly stage: number;
}

/**
 * The instructions of a Dockerfile's text: comments and blank lines dropped, lines continued
 * with a trailing backslash joined. Enough for the checks the tests make, not a full parser.
 */
export function parseDockerfile(text: string): DockerInstruction[] {
  const instructions: DockerInstruction[] = [];
  let pending = '';
  let stage = -1;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const whole = `${pending}${line}`.trim();
    pending = '';
    const match = /^(\S+)\s*(.*)$/.exec(whole);
    if (match === null) continue;
    const keyword = (match[1] ?? '').toUpperCase();
    if (keyword === 'FROM') stage += 1;
    instructions.push({ keyword, args: (match[2] ?? '').replace(/\s+/g, ' ').trim(), stage: Math.max(stage, 0) });
  }
  return instructions;
}

/** The array of an exec-form instruction (`CMD ["a", "b"]`). @throws Error for the shell form */
export function execForm(instruction: DockerInstruction | undefined): string[] {
  if (instruction === undefined) throw new Error('no such instruction');
  const parsed: unknown = JSON.parse(instruction.args);
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === 'string')) throw new Error(`${instruction.keyword} is not in exec form: ${instruction.args}`);
  return parsed as string[];
}
