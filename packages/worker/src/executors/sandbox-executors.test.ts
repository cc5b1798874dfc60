import { ValidationError } from '@sundial/shared';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { rejectionOf, thrownBy } from '../../../../test/support/errors';
import type { TaskContext, TaskDefinition } from '../task-definition';
import type { Executor } from './executor';

// A sandbox starts `sandbox-entry.js`, which exists only in the compiled package: these tests
// drive the executors from `dist` (run `npx tsc --build` first; `pnpm test` builds before jest)
// against plain CommonJS fixtures that real threads and processes load without compiling.
const DIST = join(__dirname, '..', '..', 'dist');

function built<Module>(path: string): Module {
  const file = join(DIST, path);
  if (!existsSync(file)) throw new Error(`${file} is missing: build the workspace first (npx tsc --build)`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as Module;
}

const { createExecutor, SandboxExitError, SandboxCrashError, ExecutorClosedError } = built<typeof import('./index')>('executors/index.js');
const { UnrecoverableError, TaskTimeoutError } = built<typeof import('../task-definition')>('task-definition.js');
const { TaskDefinitionError } = built<typeof import('../task-errors')>('task-errors.js');

const FIXTURES = join(__dirname, '..', '__fixtures__');
const TASKS = join(FIXTURES, 'sandbox-tasks.js');
const GRACE_MS = 200;

jest.setTimeout(30_000);

function taskNamed(name: string, modulePath = TASKS): TaskDefinition {
  return { name, modulePath, handler: () => Promise.reject(new Error('a sandbox runs the handler of the module, not this one')) };
}

interface Recorded {
  readonly context: TaskContext;
  readonly progress: unknown[];
  readonly logs: Array<Record<string, unknown>>;
}

function recordingContext(data: unknown, options: { signal?: AbortSignal; onProgress?: (value: unknown) => Promise<void> | void } = {}): Recorded {
  const progress: unknown[] = [];
  const logs: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level: 'info' }, destination).child({ runId: 'nightly@1767225600000', task: 'under-test' });
  const context: TaskContext = {
    runId: 'nightly@1767225600000',
    scheduleId: 'nightly',
    fireTime: new Date(1_767_225_600_000),
    attempt: 2,
    data,
    signal: options.signal ?? new AbortController().signal,
    logger,
    progress: async (value) => {
      progress.push(value);
      await options.onProgress?.(value);
    },
  };
  return { context, progress, logs };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.each(['thread', 'process'] as const)('the %s executor', (kind) => {
  let executor: Executor;

  beforeAll(() => {
    executor = createExecutor(kind, { abortGraceMs: GRACE_MS });
  });

  afterAll(async () => {
    await executor.close();
  });

  it('resolves with the result, the context rebuilt in a sandbox of its own', async () => {
    const { context } = recordingContext({ region: 'eu', sizes: [1, 2] });
    const result = (await executor.run(taskNamed('echo'), context)) as Record<string, unknown>;
    expect(executor.kind).toBe(kind);
    expect(result).toMatchObject({
      runId: 'nightly@1767225600000',
      scheduleId: 'nightly',
      fireTime: '2026-01-01T00:00:00.000Z',
      fireTimeIsDate: true,
      attempt: 2,
      data: { region: 'eu', sizes: [1, 2] },
      signalAborted: false,
    });
    if (kind === 'process') expect(result.pid).not.toBe(process.pid);
    else expect(result.threadId).not.toBe(0);
  });

  it('rejects with the error the handler threw: name, message, code and stack', async () => {
    const error = await rejectionOf(executor.run(taskNamed('fail'), recordingContext(null).context));
    expect(error.name).toBe('RangeError');
    expect(error.message).toBe('the report is too large');
    expect((error as Error & { code?: string }).code).toBe('REPORT_TOO_LARGE');
    expect(error.stack).toContain('sandbox-tasks.js');
    expect(error).not.toBeInstanceOf(UnrecoverableError);
  });

  it.each(['unrecoverable', 'unrecoverable-by-name'])('rebuilds an UnrecoverableError from %s, so the run is not retried', async (name) => {
    const error = await rejectionOf(executor.run(taskNamed(name), recordingContext(null).context));
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect(error.message).toMatch(/the customer does not exist|bad input/);
  });

  it('forwards log records and progress to the parent', async () => {
    const { context, progress, logs } = recordingContext(null);
    await expect(executor.run(taskNamed('report'), context)).resolves.toEqual({ rows: 3 });
    expect(progress).toEqual([50, { phase: 'done', rows: 3 }]);
    expect(logs).toEqual([
      expect.objectContaining({ level: 30, msg: 'collecting', step: 1, runId: 'nightly@1767225600000', task: 'under-test' }),
      expect.objectContaining({ level: 40, msg: 'totals are late', part: 'totals', runId: 'nightly@1767225600000' }),
    ]);
  });

  it('rejects the progress call in the sandbox when the parent fails to record it', async () => {
    const { context } = recordingContext(null, {
      onProgress: () => {
        throw new Error('redis is away');
      },
    });
    await expect(executor.run(taskNamed('progress-fails'), context)).resolves.toBe('progress failed: redis is away');
  });

  it('aborts the handler signal, and rejects with the abort reason itself', async () => {
    const controller = new AbortController();
    const reason = new TaskTimeoutError(50);
    const { context, logs } = recordingContext(null, { signal: controller.signal, onProgress: () => controller.abort(reason) });
    const error = await rejectionOf(executor.run(taskNamed('honour-abort'), context));
    expect(error).toBe(reason);
    expect(logs).toContainEqual(
      expect.objectContaining({ msg: 'stopping', reasonName: 'TaskTimeoutError', reasonCode: 'TASK_TIMEOUT', reasonMessage: reason.message }),
    );
  });

  it('ends a sandbox whose handler ignores the abort once the grace period is over', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled by an operator');
    let sandboxPid = 0;
    const { context } = recordingContext(
      { blockMs: 600_000 },
      {
        signal: controller.signal,
        onProgress: (value) => {
          sandboxPid = (value as { pid: number }).pid;
          setImmediate(() => controller.abort(reason));
        },
      },
    );
    const error = await rejectionOf(executor.run(taskNamed('ignore-abort'), context));
    expect(error).toBe(reason);
    if (kind === 'process') expect(isRunning(sandboxPid)).toBe(false);
  });

  it('rejects at once, starting nothing, when the signal is already aborted', async () => {
    const reason = new Error('shutting down');
    const { context, progress } = recordingContext(null, { signal: AbortSignal.abort(reason) });
    await expect(executor.run(taskNamed('report'), context)).rejects.toBe(reason);
    expect(progress).toEqual([]);
  });

  it('rejects the attempt when the handler calls process.exit, and goes on running others', async () => {
    const error = await rejectionOf(executor.run(taskNamed('exit'), recordingContext(null).context));
    expect(error).toBeInstanceOf(SandboxExitError);
    expect(error.message).toBe('sandbox exited with code 3 while running task "exit"');
    expect((error as InstanceType<typeof SandboxExitError>).exitCode).toBe(3);
    await expect(executor.run(taskNamed('echo'), recordingContext('still here').context)).resolves.toMatchObject({ data: 'still here' });
  });

  it.each([
    ['throw-in-timer', 'late failure in a timer'],
    ['reject-unhandled', 'nobody handles this rejection'],
  ])('rejects the attempt when %s crashes the sandbox', async (name, message) => {
    const error = await rejectionOf(executor.run(taskNamed(name), recordingContext(null).context));
    expect(error).toBeInstanceOf(SandboxCrashError);
    expect(error.message).toBe(`sandbox crashed while running task "${name}": Error: ${message}`);
    expect((error.cause as Error).message).toBe(message);
    await expect(executor.run(taskNamed('echo'), recordingContext(1).context)).resolves.toMatchObject({ data: 1 });
  });

  it('runs several attempts at once, each in its own sandbox', async () => {
    const results = (await Promise.all([1, 2, 3].map((n) => executor.run(taskNamed('echo'), recordingContext(n).context)))) as Array<Record<string, unknown>>;
    expect(results.map((result) => result.data)).toEqual([1, 2, 3]);
    const sandboxes = new Set(results.map((result) => (kind === 'process' ? result.pid : result.threadId)));
    expect(sandboxes.size).toBe(3);
  });

  it('loads an ES module, .mjs or .js in a "type": "module" package', async () => {
    await expect(executor.run(taskNamed('esm-echo', join(FIXTURES, 'esm-tasks.mjs')), recordingContext('x').context)).resolves.toEqual({ esm: true, data: 'x' });
    await expect(executor.run(taskNamed('esm-package-echo', join(FIXTURES, 'esm-package', 'tasks.js')), recordingContext('y').context)).resolves.toEqual({
      esmPackage: true,
      data: 'y',
    });
  });

  it('rejects a result that cannot leave the sandbox', async () => {
    const error = await rejectionOf(executor.run(taskNamed('uncloneable-result'), recordingContext(null).context));
    expect(error.name).toBe('TypeError');
    expect(error.message).toMatch(/^task "uncloneable-result" returned a value that cannot leave its sandbox/);
  });

  it('rejects data that cannot be sent to the sandbox', async () => {
    const error = await rejectionOf(executor.run(taskNamed('echo'), recordingContext({ callback: () => 1 }).context));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(/^the data of run "nightly@1767225600000" cannot be sent to a sandbox/);
  });

  it('rejects a task the module no longer exports', async () => {
    const error = await rejectionOf(executor.run(taskNamed('renamed-since'), recordingContext(null).context));
    expect(error.message).toBe(`task "renamed-since" is no longer exported by ${TASKS}`);
  });

  it('rejects a task without a module path, naming the executor field', async () => {
    const error = await rejectionOf(executor.run({ name: 'inline-only', handler: () => 1 }, recordingContext(null).context));
    expect(error).toBeInstanceOf(TaskDefinitionError);
    expect((error as ValidationError).field).toBe('executor');
    expect(error.message).toMatch(new RegExp(`^task "inline-only": executor: "${kind}" runs the task in a sandbox`));
  });

  it('aborts the attempts still running when closed', async () => {
    const closing = createExecutor(kind, { abortGraceMs: GRACE_MS });
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const attempt = closing.run(taskNamed('honour-abort'), recordingContext(null, { onProgress: () => started() }).context);
    const outcome = rejectionOf(attempt);
    await running;
    await closing.close();
    expect(await outcome).toBeInstanceOf(ExecutorClosedError);
    await expect(closing.run(taskNamed('echo'), recordingContext(null).context)).rejects.toBeInstanceOf(ExecutorClosedError);
  });

  it('rejects a negative abort grace period', () => {
    const error = thrownBy(() => createExecutor(kind, { abortGraceMs: -1 }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('abortGraceMs');
  });
});
