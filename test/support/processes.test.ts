import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PID_DIR_ENV, sweepPidDir } from './process-registry';
import { killAllSpawned, spawnNode } from './processes';

describe('spawnNode', () => {
  let dir: string;
  let script: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sundial-processes-'));
    script = join(dir, 'child.js');
    writeFileSync(
      script,
      [
        "const mode = process.argv[2];",
        "if (mode === 'stubborn') process.on('SIGTERM', () => console.log('ignored'));",
        "else process.on('SIGTERM', () => { console.log('stopping'); process.exit(0); });",
        "console.log('started ' + mode + ' ' + process.env.CHILD_GREETING);",
        "if (mode === 'crash') { console.error('about to fail'); process.exit(3); }",
        "setInterval(() => {}, 1000);",
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await killAllSpawned();
    rmSync(dir, { recursive: true, force: true });
  });

  it('collects output, waits for a line and stops with SIGTERM', async () => {
    const child = spawnNode(script, ['calm'], { env: { CHILD_GREETING: 'hello' }, name: 'calm child' });
    const match = await child.waitForOutput(/started (\w+) (\w+)/);
    expect(match.slice(1)).toEqual(['calm', 'hello']);
    const pidDir = process.env[PID_DIR_ENV];
    if (pidDir) expect(existsSync(join(pidDir, String(child.pid)))).toBe(true);

    const since = child.output().length;
    await expect(child.stop()).resolves.toEqual({ code: 0, signal: null });
    expect(child.output().slice(since)).toContain('stopping');
    expect(child.hasExited).toBe(true);
    if (pidDir) expect(existsSync(join(pidDir, String(child.pid)))).toBe(false);
  });

  it('rejects a wait, with the output, when the process exits first', async () => {
    const child = spawnNode(script, ['crash'], { name: 'crashing child' });
    await expect(child.waitForOutput(/never printed/)).rejects.toThrow(/crashing child \(pid \d+\) exited with code 3 without printing \/never printed\/; its output:\n[\s\S]*about to fail/);
    await expect(child.exited).resolves.toEqual({ code: 3, signal: null });
  });

  it('rejects a wait that times out', async () => {
    const child = spawnNode(script, ['calm']);
    await child.waitForOutput(/started/);
    await expect(child.waitForOutput(/never printed/, 50)).rejects.toThrow(/child\.js \(pid \d+\) did not print \/never printed\/ within 50 ms; its output:\nstarted calm/);
    await child.stop();
  });

  it('kills a process that ignores SIGTERM after the grace period', async () => {
    const child = spawnNode(script, ['stubborn']);
    await child.waitForOutput(/started/);
    await expect(child.stop(100)).resolves.toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('ends leftovers with killAllSpawned', async () => {
    const children = [spawnNode(script, ['calm']), spawnNode(script, ['calm'])];
    await Promise.all(children.map((child) => child.waitForOutput(/started/)));
    await killAllSpawned();
    expect(children.every((child) => child.hasExited)).toBe(true);
  });
});

describe('sweepPidDir', () => {
  it('kills recorded processes whose command line matches, and forgets the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sundial-pids-'));
    const sleeper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'sundial-sweep-marker'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => sleeper.once('exit', (_code, signal) => resolve(signal)));
    try {
      writeFileSync(join(dir, String(sleeper.pid)), 'sundial-sweep-marker');
      writeFileSync(join(dir, String(process.pid)), 'a-marker-this-process-lacks');
      expect(sweepPidDir(dir)).toEqual([sleeper.pid]);
      await expect(exited).resolves.toBe('SIGKILL');
      expect(existsSync(join(dir, String(process.pid)))).toBe(false);
    } finally {
      sleeper.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
