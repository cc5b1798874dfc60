/**
 * Trigger engine benchmark: prints the median cost of computing fire times. Run `pnpm bench:triggers`
 * (or `pnpm bench triggers` for the same cases in the benchmark report format).
 */
import os from 'node:os';
import { formatCost, measureTriggerCases, triggerCases } from './lib/trigger-cases';

async function main(): Promise<void> {
  const cases = triggerCases();
  process.stdout.write(`Trigger engine benchmark: ${cases.length} cases, Node ${process.version}, ${process.arch}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'})\n\n`);
  const results = await measureTriggerCases(cases);
  const rows = results.map((result) => ({
    name: result.name,
    median: formatCost(result.medianPerOp, result.unit),
    target: result.targetPerOp === undefined ? '' : `≤ ${formatCost(result.targetPerOp, result.unit)}`,
    verdict: result.withinTarget === undefined ? '' : result.withinTarget ? 'ok' : 'SLOW',
  }));
  const width = Math.max(...rows.map((row) => row.name.length));
  const lines = [
    `${'case'.padEnd(width)}  ${'median'.padStart(10)}  ${'target'.padStart(10)}  result`,
    ...rows.map((row) => `${row.name.padEnd(width)}  ${row.median.padStart(10)}  ${row.target.padStart(10)}  ${row.verdict}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (rows.some((row) => row.verdict === 'SLOW')) process.exitCode = 1;
}

void main();
