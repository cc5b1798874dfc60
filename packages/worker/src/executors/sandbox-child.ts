import { loadTaskModule } from '../load-task-module';
import type { TaskContext } from '../task-definition';
import type { ParentChannel } from './sandbox-channel';
import { createSandboxLogger } from './sandbox-log';
import type { OutcomeMessage, ParentMessage, RunMessage } from './sandbox-protocol';
import { deserializeError, serializeError } from './serialized-error';

interface PendingProgress {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * The sandbox's side of one attempt: waits for the run message, loads the task's module (with
 * `loadTaskModule`, as the worker did), builds the handler's context, runs it and sends back the
 * result or the error, then exits. Log records and progress go to the parent as they happen; an
 * `abort` message aborts the handler's signal. An exception nobody catches is sent as a crash.
 */
export function serveSandbox(channel: ParentChannel): void {
  const controller = new AbortController();
  const pending = new Map<number, PendingProgress>();
  let nextProgressId = 0;
  let started = false;
  let finished = false;

  const finish = async (message: OutcomeMessage, taskName: string): Promise<void> => {
    if (finished) return;
    finished = true;
    try {
      await channel.send(message);
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      const unsendable = new TypeError(`task "${taskName}" returned a value that cannot leave its sandbox (it must be structured-cloneable, as JSON is): ${problem}`);
      // If even this cannot be sent, the channel is gone; the parent then reports how the sandbox exited.
      await channel.send({ type: 'failure', error: serializeError(unsendable) }).catch(() => undefined);
    } finally {
      channel.exit(message.type === 'crash' ? 1 : 0);
    }
  };

  const run = async ({ task: { name, modulePath }, context }: RunMessage): Promise<void> => {
    process.on('uncaughtException', (error) => void finish({ type: 'crash', error: serializeError(error) }, name));
    try {
      const task = (await loadTaskModule(modulePath)).find((candidate) => candidate.name === name);
      if (!task) throw new Error(`task "${name}" is no longer exported by ${modulePath}`);
      const handlerContext: TaskContext = {
        runId: context.runId,
        scheduleId: context.scheduleId,
        fireTime: new Date(context.fireTimeMs),
        attempt: context.attempt,
        data: context.data,
        signal: controller.signal,
        logger: createSandboxLogger(context.logLevel, (line) => void channel.send({ type: 'log', line })),
        progress: (value) =>
          new Promise<void>((resolve, reject) => {
            const id = (nextProgressId += 1);
            pending.set(id, { resolve, reject });
            channel.send({ type: 'progress', id, value }).catch((error: unknown) => {
              pending.delete(id);
              reject(error as Error);
            });
          }),
      };
      const value: unknown = await task.handler(handlerContext);
      await finish({ type: 'result', value }, name);
    } catch (error) {
      await finish({ type: 'failure', error: serializeError(error) }, name);
    }
  };

  channel.onMessage((message: ParentMessage) => {
    if (message.type === 'run' && !started) {
      started = true;
      void run(message);
    } else if (message.type === 'abort') {
      controller.abort(deserializeError(message.reason));
    } else if (message.type === 'progress-done') {
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) waiting?.reject(deserializeError(message.error));
      else waiting?.resolve();
    }
  });
}
