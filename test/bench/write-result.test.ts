import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { HISTORY_DIR, RESULTS_DIR, writeResult } from '../../bench/lib/report';
import type { ScenarioResult } from '../../bench/lib/scenario';

// A quick smoke run must not replace the committed full-length figures the docs quote.

const SCENARIO = 'write-result-test';

function result(startedAt: string): ScenarioResult {
  const machine = { cpuModel: 'test', cores: 2, memoryGiB: 1, nodeVersion: process.version, redisVersion: '7', redisOwned: true, os: 'test', loadAverage1m: 0 };
  return { scenario: SCENARIO, title: 'test', startedAt, durationMs: 1, machine, tables: [], goals: [], notes: [], data: { startedAt } };
}

const written: string[] = [];

afterEach(() => {
  for (const file of written.splice(0)) rmSync(file, { force: true });
});

describe('writeResult', () => {
  it('keeps a quick run in the history only, and a full-length run as the latest result too', async () => {
    const latestPath = join(RESULTS_DIR, `${SCENARIO}.json`);
    written.push(latestPath);
    const full = await writeResult(result('2026-01-01T00:00:00.000Z'), { quick: false });
    written.push(full.history);
    expect(full.latest).toBe(latestPath);
    const quick = await writeResult(result('2026-01-01T00:01:00.000Z'), { quick: true });
    written.push(quick.history);
    expect(quick.latest).toBeUndefined();
    expect(quick.history.startsWith(HISTORY_DIR)).toBe(true);
    expect(quick.history).toMatch(/-quick\.json$/);
    expect(existsSync(quick.history)).toBe(true);
    expect((JSON.parse(readFileSync(latestPath, 'utf8')) as ScenarioResult).startedAt).toBe('2026-01-01T00:00:00.000Z');
  });
});
