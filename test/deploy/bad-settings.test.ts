import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SUNDIAL_BIN } from '../helpers/cli';

jest.setTimeout(30_000);

const ROOT = join(__dirname, '..', '..');
const WORKER_BIN = join(ROOT, 'packages', 'worker', 'bin', 'sundial-worker.js');
const TASKS = join(ROOT, 'examples', 'worker-image', 'tasks.js');
/** Nothing listens here: a process that got past its settings would fail to connect, with another message. */
const UNREACHABLE_REDIS = 'redis://127.0.0.1:1';
const scratch = mkdtempSync(join(tmpdir(), 'sundial-bad-settings-'));
const malformedTokens = join(scratch, 'tokens');
writeFileSync(malformedTokens, '# rotated on the 1st\nadmin\n');

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Exit {
  code: number | null;
  stderr: string;
}

/** Runs a bin as a container would, with only the variables given, and waits for it to exit. */
async function runBin(bin: string, args: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<Exit> {
  const only: Record<string, string> = { PATH: process.env.PATH ?? '' };
  for (const [name, value] of Object.entries(env)) if (value !== undefined) only[name] = value;
  try {
    const { stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { env: only, timeout: 20_000 });
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : null, stderr: failed.stderr ?? '' };
  }
}

beforeAll(() => {
  for (const bin of [SUNDIAL_BIN, WORKER_BIN]) {
    if (!existsSync(join(bin, '..', '..', 'dist', 'cli', 'main.js'))) throw new Error('the packages are not built; run `npx tsc --build` at the repository root first');
  }
});

describe('a container with a missing or malformed setting exits at start with one line naming it', () => {
  it.each([
    { problem: 'REDIS_URL is not a URL', setting: 'REDIS_URL', args: [], env: { REDIS_URL: 'notaurl' } },
    { problem: '--port is out of range', setting: '--port', args: ['--port', '99999'], env: { REDIS_URL: UNREACHABLE_REDIS } },
    { problem: 'the tokens file is missing', setting: 'SUNDIAL_API_TOKENS_FILE', args: [], env: { REDIS_URL: UNREACHABLE_REDIS, SUNDIAL_API_TOKENS_FILE: '/run/secrets/missing/tokens' } },
    { problem: 'the tokens file is malformed', setting: 'SUNDIAL_API_TOKENS_FILE', args: [], env: { REDIS_URL: UNREACHABLE_REDIS, SUNDIAL_API_TOKENS_FILE: malformedTokens } },
    { problem: 'SUNDIAL_NAMESPACE is malformed', setting: 'SUNDIAL_NAMESPACE', args: [], env: { REDIS_URL: UNREACHABLE_REDIS, SUNDIAL_NAMESPACE: 'two words' } },
    { problem: 'SUNDIAL_LOG_LEVEL is unknown', setting: 'SUNDIAL_LOG_LEVEL', args: [], env: { REDIS_URL: UNREACHABLE_REDIS, SUNDIAL_LOG_LEVEL: 'loud' } },
  ])('sundial coordinator: $problem', async ({ setting, args, env }) => {
    const exit = await runBin(SUNDIAL_BIN, ['coordinator', ...args], env);
    expect(exit.code).toBe(2);
    expect(exit.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining(`sundial: ${setting}: `)]);
  });

  it.each([
    { problem: 'REDIS_URL is not a URL', setting: 'REDIS_URL', args: [], env: { REDIS_URL: 'notaurl' } },
    { problem: '--port is out of range', setting: '--port', args: ['--port', '99999'], env: { REDIS_URL: UNREACHABLE_REDIS } },
    { problem: 'the task module is missing', setting: '--tasks', args: ['--tasks', '/opt/tasks/missing.js'], env: { REDIS_URL: UNREACHABLE_REDIS } },
    { problem: 'SUNDIAL_NAMESPACE is malformed', setting: 'SUNDIAL_NAMESPACE', args: [], env: { REDIS_URL: UNREACHABLE_REDIS, SUNDIAL_NAMESPACE: 'two words' } },
    { problem: 'SUNDIAL_LOG_LEVEL is unknown', setting: 'SUNDIAL_LOG_LEVEL', args: [], env: { REDIS_URL: UNREACHABLE_REDIS, SUNDIAL_LOG_LEVEL: 'loud' } },
  ])('sundial-worker: $problem', async ({ setting, args, env }) => {
    const exit = await runBin(WORKER_BIN, ['--tasks', TASKS, ...args], env);
    expect(exit.code).toBe(2);
    expect(exit.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining(`sundial-worker: ${setting}`)]);
  });

  it('names the tokens file but never echoes its lines', async () => {
    const exit = await runBin(SUNDIAL_BIN, ['coordinator'], { REDIS_URL: UNREACHABLE_REDIS, SUNDIAL_API_TOKENS_FILE: malformedTokens });
    expect(exit.stderr).toContain('line 2');
    expect(exit.stderr).not.toContain('rotated');
  });
});
