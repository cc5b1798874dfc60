import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { machineLine } from './machine';
import type { ReportTable, ScenarioResult } from './scenario';

/** `bench/results`, where the latest result of each scenario is kept (compiled code lives in `bench/dist/lib`). */
export const RESULTS_DIR = resolve(__dirname, '..', '..', 'results');
/** `bench/results/history`: every run's result, time-stamped; not committed. */
export const HISTORY_DIR = join(RESULTS_DIR, 'history');

function escapeCell(cell: string | number): string {
  return String(cell).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** One table as GitHub-flavoured markdown, numeric columns right-aligned. */
export function renderTable(table: ReportTable): string {
  const numeric = table.columns.map((_, column) => table.rows.length > 0 && table.rows.every((row) => typeof row[column] === 'number' || /^[\d.,\s×%–+-]+( ?(ms|µs|s|%|×|\/s|MiB))?$/.test(String(row[column] ?? ''))));
  const header = `| ${table.columns.map(escapeCell).join(' | ')} |`;
  const rule = `|${table.columns.map((_, column) => (numeric[column] ? ' ---: ' : ' --- ')).join('|')}|`;
  const rows = table.rows.map((row) => `| ${table.columns.map((_, column) => escapeCell(row[column] ?? '')).join(' | ')} |`);
  return [`**${table.title}**`, '', header, rule, ...rows].join('\n');
}

/** The report of one scenario run: title, machine, tables, goals with a met / NOT MET column, notes. */
export function renderMarkdown(result: ScenarioResult): string {
  const parts = [
    `## ${result.title} (\`${result.scenario}\`)`,
    '',
    `Run ${result.startedAt}, took ${(result.durationMs / 1_000).toFixed(1)} s. Machine: ${machineLine(result.machine)}.`,
  ];
  for (const table of result.tables) parts.push('', renderTable(table));
  if (result.goals.length > 0) {
    parts.push('', renderTable({ title: 'Goals', columns: ['Target', 'Measured', 'Goal'], rows: result.goals.map((goal) => [goal.goal, goal.figure, goal.met ? 'met' : 'NOT MET']) }));
  }
  if (result.notes.length > 0) parts.push('', ...result.notes.map((note) => `- ${note}`));
  return `${parts.join('\n')}\n`;
}

/** A file-name-safe form of an ISO instant, e.g. "2026-01-01T09-30-00-000Z". */
function fileStamp(iso: string): string {
  return iso.replace(/[:.]/g, '-');
}

/**
 * Writes `bench/results/history/<scenario>-<iso>.json` (every run, not committed) and, for a
 * full-length run, `bench/results/<scenario>.json` (the latest full-length result, committed): a
 * `--quick` smoke test never replaces the figures the docs quote. Returns the paths written.
 */
export async function writeResult(result: ScenarioResult, options: { quick: boolean }): Promise<{ latest: string | undefined; history: string }> {
  await mkdir(HISTORY_DIR, { recursive: true });
  const text = `${JSON.stringify(result, null, 2)}\n`;
  const history = join(HISTORY_DIR, `${result.scenario}-${fileStamp(result.startedAt)}${options.quick ? '-quick' : ''}.json`);
  await writeFile(history, text);
  if (options.quick) return { latest: undefined, history };
  const latest = join(RESULTS_DIR, `${result.scenario}.json`);
  await writeFile(latest, text);
  return { latest, history };
}
