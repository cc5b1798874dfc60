/**
 * `@sundial/shared`: Sundial's domain model and trigger engine.
 *
 * @packageDocumentation
 */
export { SundialError, ValidationError, InvalidTriggerError, TriggerIterationLimitError } from './errors';
export { parseDuration, formatDuration, DURATION_FORMS } from './time/duration';
export { TimeZone, type OffsetSegment } from './time/time-zone';
export { parseInstant } from './time/parse-instant';
export type {
  TriggerSpec,
  TriggerKind,
  TriggerOptions,
  CronTriggerSpec,
  IntervalTriggerSpec,
  DateTriggerSpec,
  CalendarTriggerSpec,
  CalendarSpec,
  AndTriggerSpec,
  OrTriggerSpec,
  DurationInput,
} from './triggers/trigger-spec';
export { TRIGGER_KINDS } from './triggers/trigger-spec';
export { CRON_MACROS } from './triggers/cron/parse-cron';
export { compileTrigger, validateTrigger } from './triggers/compile-trigger';
export { CompiledTrigger, type FireTime, type TakeOptions } from './triggers/compiled-trigger';
export { nextFireTimes, MAX_FIRE_TIMES, type NextFireTimesOptions } from './triggers/next-fire-times';
export { NotFoundError, ConflictError, LeaseLostError } from './errors';
export { type Clock, earliestNow, systemClock, RedisClock, redisTimeMs } from './clock';
export { compileTriggerCached } from './triggers/next-fire-times';
export {
  validateSchedule,
  scheduleInputShape,
  SCHEDULE_DEFAULTS,
  DEFAULT_MAX_DATA_BYTES,
  type ScheduleSpec,
  type ScheduleInput,
  type ValidatedSchedule,
  type CoalescePolicy,
  type OverlapPolicy,
  type RetryOverride,
} from './schedule/schedule-spec';
export { planFires, type FirePlan, type FirePlanInput, type FireRange } from './schedule/fire-plan';
export { parseStoredSchedule, toSchedule, type Schedule, type StoredSchedule } from './schedule/stored-schedule';
export { scheduledRunId, manualRunId, backfillRunId, type RunKind } from './runs/run-id';
export { buildRunJob, type RunJob, type RunJobData } from './runs/run-job';
export { DEFAULT_JOB_RETENTION, handedOverData, runJobOptions, type JobRetention } from './runs/bull-job';
export { parseRun, RUN_STATUSES, FINAL_RUN_STATUSES, type Run, type RunStatus } from './runs/run-record';
export { namespaceKeys, isValidNamespace, type NamespaceKeys } from './store/keys';
export { QueueSet } from './store/queue-set';
export { liveHeartbeats, type CoordinatorHeartbeat, type WorkerHeartbeat } from './store/heartbeats';
export type { RunRequest } from './store/run-request';
export {
  LeaderStore,
  TICKS_PER_COMMIT,
  type Lease,
  type RunToAdmit,
  type TickToCommit,
  type AdmitOutcome,
  type CommitResult,
  type OutboxEntry,
  type PendingRequest,
  type LeaderStoreOptions,
} from './store/leader-store';
export { SundialClient, MAX_BACKFILL_RUNS, type ConflictPolicy, type AddResult, type ListSchedulesOptions, type ClusterStatus } from './client/sundial-client';
export { MAX_BULK_BATCH_SIZE, type AddManyOptions, type AddManyResult, type BulkAddOutcome } from './client/bulk-add';
export { resolveClientOptions, CLIENT_DEFAULTS, type SundialClientOptions, type ResolvedClientOptions } from './client/client-options';
export type { ListRunsOptions } from './client/run-reader';
export { ApiClient, type ApiClientOptions } from './client/api-client';
export { ApiAuthError, ApiUnreachableError, ApiResponseError } from './client/api-errors';
export {
  resolveRedisUrl,
  redisOptionsFromUrl,
  redisConnectionOptions,
  createRedisConnection,
  connectRedis,
  redactRedisUrl,
  reconnectDelayMs,
  DEFAULT_REDIS_URL,
  DEFAULT_REDIS_PORT,
  duplicateRedisConnection,
  type DuplicateConnectionOptions,
  type RedisConnectionOptions,
  type RedisTlsOptions,
} from './redis/connection';
export {
  resolveRedisTarget,
  describeRedisTarget,
  redisTargetSetting,
  parseRedisNodes,
  isRedisConnection,
  isCluster,
  toRedisTarget,
  REDIS_SETTINGS,
  type RedisNode,
  type RedisTarget,
  type RedisConnection,
} from './redis/redis-target';
export { sentinelConnectionOptions, clusterConnectionOptions, type ClusterConnectionOptions } from './redis/topology-options';
export { dataNodes, nodeAddress, scanKeys } from './redis/cluster-nodes';
export { checkNamespaceSlots } from './store/namespace-slots';
export { RedisConnectionError } from './redis/redis-connection-error';
export { closeRedis } from './redis/close-redis';
export { settleWithin, type Settlement } from './time/settle-within';
export { RunTracker, DEFAULT_MAX_RESULT_BYTES, EVENT_ERROR_MAX_CHARS, shortenError, type AttemptRun, type AttemptStart, type AttemptFailure, type JobAttempts, type RunTrackerOptions } from './runs/run-tracker';
export { nextAttempt, type AttemptState } from './runs/attempt-state';
export { processCliIo, type CliIo, type OutputStream, type SignalSource, type StopSignal } from './cli/cli-io';
export { STOP_SIGNALS, listenForStop, type StopListener } from './cli/stop-signals';
export { isCommanderError, type CommanderLikeError } from './cli/commander-error';
export { ExitCode, exitCodeFor } from './cli/exit-codes';
export { oneLine } from './cli/one-line';
export { reportCliError } from './cli/report-cli-error';
export { startHealthServer, answerProbe, PROBE_PATHS, type HealthServer, type HealthServerOptions, type HealthServerLogger, type ProbeSources, type ProbeAnswer } from './observability/health-server';
export { createProcessLogger, LOG_FORMATS, REDACTED_LOG_PATHS, type ProcessLoggerOptions, type LogDestination } from './observability/process-logger';
export { EventHub, type EventHubLogger } from './events/event-hub';
export { SUNDIAL_EVENT_TYPES, isSundialEventType, type SundialEvent, type SundialEventType, type SundialEventHandler, type EventHooks } from './events/event-types';
export type { SundialOperations, SundialEvents, SubscribeOptions, EventSubscription } from './client/sundial-operations';
export { WorkerMetrics, RUN_OUTCOMES, RUN_DURATION_BUCKETS, RUN_START_DELAY_BUCKETS, type RunMetricOutcome, type WorkerMetricsOptions } from './observability/worker-metrics';
export { PROMTOOL_TOLERATED_METRICS } from './observability/promtool-exceptions';
export { LoopLiveness, MIN_STUCK_AFTER_MS, STUCK_AFTER_INTERVALS } from './observability/loop-liveness';
export { CoordinatorMetrics, FIRE_OUTCOMES, type FireOutcome, type CoordinatorMetricSources, type CoordinatorMetricsOptions } from './observability/coordinator-metrics';
export { QueueDepthReader, QUEUE_JOB_STATES, type QueueDepth, type QueueJobState } from './store/queue-depth';
export { countSchedules, type ScheduleCounts } from './store/schedule-counts';
export { countQueueWorkers, type QueueWorkers } from './store/queue-workers';
export { parseEventEntry } from './events/event-record';
export { appendEvent, eventFields, type EventToAppend } from './events/event-append';
export { RedisEventStream, parseEventTypes, parseSubscriptionStart, MAX_RECENT_EVENTS } from './events/event-stream';
export { StreamSubscription, type StreamSubscriptionOptions, type SubscriptionStart } from './events/event-subscription';
export { isStreamId, compareStreamIds } from './events/stream-id';
export { reapExpiredHeartbeats } from './store/heartbeat-reaper';
export { discoverNamespaces } from './store/namespace-discovery';
export { followNamespaces, checkNamespaceGroupOptions, DEFAULT_NAMESPACE_SCAN_EVERY_MS, type NamespaceGroupOptions, type NamespaceFollower } from './store/namespace-group';
export { namespacesFromFlags, namespacesFlagsHelp, type NamespacesFlags } from './cli/namespaces-flags';
export { combinedMetrics, type MetricsSource } from './observability/combined-registry';
export { parseNamespaceList } from './store/namespace-list';
