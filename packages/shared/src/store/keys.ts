/**
 * The Redis keys of one namespace. They all carry the hash tag `{<namespace>}`, so a namespace
 * lives in one Redis Cluster slot and Lua scripts may touch any of its keys.
 */
export interface NamespaceKeys {
  readonly namespace: string;
  /** `sundial:{<ns>}`: the prefix of every key below. */
  readonly base: string;
  /**
   * Hash: a schedule's state (`version`, `last`, `next`, `paused`, counters); its existence marks
   * the schedule as existing. Only short values, so Redis keeps it a compact listpack. Schedules
   * written before the definition had a key of its own also hold it here, in the field `spec`.
   */
  schedule(id: string): string;
  /** String: a schedule's definition (JSON), kept apart from the state hash to keep that hash small. */
  definition(id: string): string;
  /** Sorted set: schedule ids by creation time, for listing. */
  readonly ids: string;
  /** Sorted set: active schedule ids by their next (jittered) fire time. */
  readonly due: string;
  /** Set: ids of paused schedules (kept by the scripts that add, change and remove schedules). */
  readonly paused: string;
  /** Set: names of the BullMQ queues schedules have used (kept by the scripts that add and change schedules). */
  readonly queues: string;
  /** String: the leader lease (redlock value, PX). */
  readonly leader: string;
  /** String: the fencing epoch, incremented on every election. */
  readonly epoch: string;
  /** Stream (capped): lifecycle events. */
  readonly events: string;
  /** Hash: one run record. */
  run(runId: string): string;
  /** Sorted set: every run id by nominal fire time. */
  readonly runs: string;
  /** Sorted set: one schedule's run ids by nominal fire time (capped). */
  scheduleRuns(id: string): string;
  /** Hash: a schedule's runs in flight, run id to `<queue>|<fireAtMs>`. */
  active(id: string): string;
  /** Hash: schedule id to the one fire buffered by `overlap: buffer-one`. */
  readonly buffered: string;
  /** Sorted set: committed runs not yet added to BullMQ, by fire time (the outbox). */
  readonly outbox: string;
  /** Hash: run id to the BullMQ job (name, data, options) the outbox holds. */
  readonly outboxJobs: string;
  /** Hash: request id to a trigger-now or backfill request waiting for the leader. */
  readonly requests: string;
  /** Hash: run id to `<queue>|<reason>`, for runs the leader must cancel (reason `cancel-previous` or `operator`). */
  readonly cancels: string;
  /** Hash: worker id to its heartbeat (JSON, with the tasks it serves). */
  readonly workers: string;
  /** Hash: coordinator id to its heartbeat (JSON, with whether it leads). */
  readonly coordinators: string;
  /** Pub/sub channel: a schedule or request changed; wakes the leader. */
  readonly changesChannel: string;
  /** Pub/sub channel: a leader released its lease; standbys contend at once. */
  readonly leaderChannel: string;
  /** Pub/sub channel: run ids whose execution must be aborted. */
  readonly cancelChannel: string;
  /** Prefix of the BullMQ queues, inside the namespace's hash tag. */
  readonly bullPrefix: string;
}

const NAMESPACE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Whether a namespace name is valid: 1-64 letters, digits or `._-`. */
export function isValidNamespace(namespace: string): boolean {
  return NAMESPACE.test(namespace);
}

/** The keys of a namespace. */
export function namespaceKeys(namespace: string): NamespaceKeys {
  const base = `sundial:{${namespace}}`;
  return {
    namespace,
    base,
    schedule: (id) => `${base}:schedule:${id}`,
    definition: (id) => `${base}:def:${id}`,
    ids: `${base}:ids`,
    due: `${base}:due`,
    paused: `${base}:paused`,
    queues: `${base}:queues`,
    leader: `${base}:leader`,
    epoch: `${base}:epoch`,
    events: `${base}:events`,
    run: (runId) => `${base}:run:${runId}`,
    runs: `${base}:runs`,
    scheduleRuns: (id) => `${base}:runs:${id}`,
    active: (id) => `${base}:active:${id}`,
    buffered: `${base}:buffered`,
    outbox: `${base}:outbox`,
    outboxJobs: `${base}:outbox:jobs`,
    requests: `${base}:requests`,
    cancels: `${base}:cancels`,
    workers: `${base}:workers`,
    coordinators: `${base}:coordinators`,
    changesChannel: `${base}:changes`,
    leaderChannel: `${base}:leader-events`,
    cancelChannel: `${base}:cancel`,
    bullPrefix: `${base}:bull`,
  };
}
