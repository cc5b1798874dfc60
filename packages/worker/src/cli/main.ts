import {
  ExitCode,
  closeRedis,
  connectRedis,
  createProcessLogger,
  listenForStop,
  namespacesFlagsHelp,
  namespacesFromFlags,
  processCliIo,
  reportCliError,
  resolveClientOptions,
  resolveRedisTarget,
  type CliIo,
} from '@sundial/shared';
import { Command } from 'commander';
import type { Logger } from 'pino';
import { loadTaskModule } from '../load-task-module';
import { packageVersion } from '../runtime/version';
import { startWorker } from '../start-worker';
import { startWorkerGroup } from '../start-worker-group';
import { resolveWorkerOptions } from '../worker-options';
import { DEFAULT_WORKER_PORT, workerErrorInFlagTerms, workerTuningFromFlags, type WorkerFlags } from './worker-flags';

/**
 * The worker's logger on the context's stderr (see `createProcessLogger` for the level and format
 * variables).
 *
 * @throws ValidationError naming `SUNDIAL_LOG_LEVEL` or `SUNDIAL_LOG_FORMAT` for an unknown value
 */
export function createWorkerLogger(context: CliIo): Logger {
  return createProcessLogger({ name: 'sundial-worker', env: context.env, destination: context.stderr });
}

/**
 * Runs a worker for the tasks a module exports until SIGTERM or SIGINT, then drains and returns;
 * a second signal ends the process at once with status 1. Everything that can be checked is
 * checked before connecting: the flags, the environment and the module.
 *
 * @throws ValidationError naming the flag or variable; TaskModuleError for a bad module;
 *   RedisConnectionError when Redis is unreachable at start
 */
export async function runWorker(flags: WorkerFlags, context: CliIo): Promise<void> {
  const tuning = workerTuningFromFlags(flags);
  const namespaces = namespacesFromFlags(flags);
  const env = context.env as NodeJS.ProcessEnv;
  const target = resolveRedisTarget(env);
  let namespace: string;
  try {
    namespace = resolveClientOptions({}, env).namespace;
  } catch (error) {
    throw workerErrorInFlagTerms(error);
  }
  const logger = createWorkerLogger(context);
  const tasks = await loadTaskModule(flags.tasks);
  try {
    resolveWorkerOptions({ ...tuning, tasks, connection: target, namespace }, env);
  } catch (error) {
    throw workerErrorInFlagTerms(error);
  }
  // Listen before starting: a signal that arrives while the worker starts stops it once started.
  const stop = listenForStop(context.signals, (signal) => {
    logger.warn({ signal }, 'second stop signal; exiting at once');
    context.exit(ExitCode.UNEXPECTED);
  });
  try {
    const redis = await connectRedis(target, { connectionName: 'sundial:worker' });
    redis.on('error', (error: Error) => logger.warn({ err: error }, 'Redis connection error'));
    try {
      let worker;
      try {
        worker =
          namespaces === undefined
            ? await startWorker({ ...tuning, tasks, connection: redis, namespace, logger })
            : await startWorkerGroup({ ...tuning, tasks, connection: redis, namespaces, logger });
      } catch (error) {
        throw workerErrorInFlagTerms(error);
      }
      const signal = await stop.first;
      logger.info({ signal }, 'stop signal received');
      await worker.close();
    } finally {
      await closeRedis(redis);
    }
  } finally {
    stop.dispose();
  }
}

/** Builds the `sundial-worker` program. Commander neither exits nor prints errors: they reach {@link main}. */
export function createProgram(context: CliIo): Command {
  return new Command('sundial-worker')
    .description('Run a Sundial worker: executes the runs of the tasks a module exports. Reads REDIS_URL (or REDIS_SENTINELS, REDIS_CLUSTER_NODES) and SUNDIAL_NAMESPACE; stops on SIGTERM after draining.')
    .version(packageVersion(), '-V, --version')
    .requiredOption('--tasks <module>', 'the JS module whose exports are the task definitions')
    .option('--concurrency <n>', 'runs at once in this process, across its queues (default: 10)')
    .option('--prefetch <n>', 'runs taken on top of --concurrency, held until their time (handed over early by a coordinator --lookahead) or a free slot (default: 0)')
    .option('--queues <names>', 'comma-separated queues to serve (default: the queues of the tasks)')
    .option('--shutdown-grace <duration>', 'after SIGTERM, how long in-flight runs may go on before they are aborted (default: 25s)')
    .option('--stalled-interval <duration>', "how soon a dead worker's runs are taken over; shorter costs more Redis load (default: 30s)")
    .option('--port <n>', `serve /metrics, /healthz and /readyz on this port; 0 picks a free one (default: ${DEFAULT_WORKER_PORT})`)
    .option('--namespaces <list>', `${namespacesFlagsHelp('serve').namespaces} (instead of SUNDIAL_NAMESPACE); --concurrency applies to each`)
    .option('--all-namespaces', namespacesFlagsHelp('serve').allNamespaces)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
      outputError: () => undefined,
    })
    .action((flags: WorkerFlags) => runWorker(flags, context));
}

/**
 * Runs the `sundial-worker` command line and returns its exit status; it never throws.
 *
 * @param argv - as in `process.argv`: the node binary, the script, then the arguments
 */
export async function main(argv: readonly string[], context: CliIo = processCliIo()): Promise<ExitCode> {
  try {
    await createProgram(context).parseAsync([...argv], { from: 'node' });
    return ExitCode.OK;
  } catch (error) {
    return reportCliError(error, context, 'sundial-worker');
  }
}
