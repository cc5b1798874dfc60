import { ExitCode, listenForStop, closeRedis } from '@sundial/shared';
import type { Command } from 'commander';
import { startCoordinator } from '../../coordinator';
import { startCoordinatorGroup } from '../../coordinator-group';
import { resolveCoordinatorOptions, type CoordinatorOptions } from '../../coordinator-options';
import type { CliContext } from '../cli-context';
import { createCliLogger } from '../cli-logger';
import { openConnection, resolveConnection, type ConnectionFlags } from '../connection';
import { coordinatorErrorInFlagTerms, coordinatorOptionsFromFlags, type CoordinatorFlags } from '../coordinator-flags';
import { addNamespacesFlags, coordinatorNamespaces, type CoordinatorNamespacesFlags } from '../namespace-flags';

/** The flags of `sundial coordinator`, as commander parses them. */
export interface CoordinatorCommandFlags extends CoordinatorFlags, ConnectionFlags, CoordinatorNamespacesFlags {}

/**
 * Runs `sundial coordinator`: a coordinator that contends for leadership and, while it leads,
 * fires due schedules, logging JSON lines on stderr. It runs until SIGTERM or SIGINT, then
 * stops in order (a leader hands its lease over at once) and returns; a second signal ends the
 * process at once with status 1.
 *
 * @throws ValidationError naming the flag; RedisConnectionError when Redis is unreachable at start
 */
export async function runCoordinator(flags: CoordinatorCommandFlags, context: CliContext): Promise<void> {
  const tuning = coordinatorOptionsFromFlags(flags);
  const namespaces = coordinatorNamespaces(flags);
  const settings = resolveConnection(flags, context.env);
  const options: CoordinatorOptions = { ...tuning, namespace: settings.namespace };
  try {
    // With the environment, so a bad tokens file stops the process before it connects to Redis.
    resolveCoordinatorOptions({ ...options, connection: settings.target }, context.env as NodeJS.ProcessEnv);
  } catch (error) {
    throw coordinatorErrorInFlagTerms(error);
  }
  const logger = createCliLogger('sundial-coordinator', context);
  // Listen before starting: a signal that arrives while the coordinator starts stops it once started.
  const stop = listenForStop(context.signals, (signal) => {
    logger.warn({ signal }, 'second stop signal; exiting at once');
    context.exit(ExitCode.UNEXPECTED);
  });
  try {
    const redis = await openConnection(settings, 'sundial:coordinator');
    redis.on('error', (error: Error) => logger.warn({ err: error }, 'Redis connection error'));
    try {
      let coordinator;
      try {
        coordinator =
          namespaces === undefined ? await startCoordinator({ ...options, connection: redis }, logger) : await startCoordinatorGroup({ ...tuning, namespaces, connection: redis }, logger);
      } catch (error) {
        throw coordinatorErrorInFlagTerms(error);
      }
      const signal = await stop.first;
      logger.info({ signal }, 'stopping');
      await coordinator.stop();
    } finally {
      await closeRedis(redis);
    }
  } finally {
    stop.dispose();
  }
}

/** Adds `sundial coordinator`. */
export function registerCoordinatorCommand(program: Command, context: CliContext): Command {
  const command = program
    .command('coordinator')
    .description('run a coordinator until SIGTERM or SIGINT; run several for high availability, one leads each namespace at a time')
    .option('--lease <duration>', 'leader lease (default: 5s)')
    .option('--renew-every <duration>', 'how often the leader renews its lease and standbys contend; under half the lease (default: 1s)')
    .option('--max-sleep <duration>', 'the longest the fire loop sleeps (default: 1s)')
    .option('--lookahead <duration>', 'commit fire times this far ahead and hand their jobs over at once; workers hold them until their time (give them --prefetch), so runs start on time under load; overlap is then judged that much early (default: 0, off; at most 60s)')
    .option('--job-retention-completed <duration>', 'how long BullMQ keeps completed jobs, whole seconds (default: 1d)')
    .option('--job-retention-failed <duration>', 'how long BullMQ keeps failed jobs, whole seconds (default: 1w)')
    .option('--port <n>', 'serve /metrics, /healthz and /readyz on this port; 0 picks a free one (default: 8080)')
    .option('--per-schedule-metrics', 'also count fires per schedule (sundial_schedule_fires_total{schedule,outcome}); for a bounded number of schedules');
  return addNamespacesFlags(command)
    .action((_flags: unknown, self: Command) => runCoordinator(self.optsWithGlobals<CoordinatorCommandFlags>(), context));
}
