import type { ClusterStatus } from '@sundial/shared';
import { formatDetails, formatTable } from './output';

/**
 * The cluster status for people: the namespace, epoch and counts, then a table of coordinators
 * (the leader marked), one of live workers and one of the queues' job counts.
 */
export function formatStatus(status: ClusterStatus): string {
  const summary = formatDetails([
    ['namespace', status.namespace],
    ['epoch', String(status.epoch)],
    ['leader', status.coordinators.find((coordinator) => coordinator.leader)?.id ?? 'none'],
    ['schedules', `${status.schedules} (${status.activeSchedules} active)`],
    ['outbox', String(status.outbox)],
    ['pending requests', String(status.pendingRequests)],
  ]);
  const coordinators = formatTable({
    columns: [{ header: 'COORDINATOR' }, { header: 'LEADER' }, { header: 'HOST' }, { header: 'PID', align: 'right' }, { header: 'VERSION' }, { header: 'STARTED' }, { header: 'CLOCK SKEW', align: 'right' }],
    rows: status.coordinators.map((coordinator) => [
      coordinator.id,
      coordinator.leader ? '*' : '',
      coordinator.host,
      String(coordinator.pid),
      coordinator.version,
      coordinator.startedAt,
      `${coordinator.clockSkewMs} ms`,
    ]),
    empty: 'no live coordinators',
  });
  const workers = formatTable({
    columns: [{ header: 'WORKER' }, { header: 'HOST' }, { header: 'PID', align: 'right' }, { header: 'VERSION' }, { header: 'IN FLIGHT', align: 'right' }, { header: 'QUEUES' }, { header: 'TASKS' }],
    rows: status.workers.map((worker) => [
      worker.id,
      worker.host,
      String(worker.pid),
      worker.version,
      `${worker.inFlight}/${worker.concurrency}`,
      worker.queues.join(','),
      worker.tasks.join(','),
    ]),
    empty: 'no live workers',
  });
  const queues = formatTable({
    columns: [
      { header: 'QUEUE' },
      { header: 'WAITING', align: 'right' },
      { header: 'PRIORITIZED', align: 'right' },
      { header: 'ACTIVE', align: 'right' },
      { header: 'DELAYED', align: 'right' },
      { header: 'PAUSED', align: 'right' },
      { header: 'COMPLETED', align: 'right' },
      { header: 'FAILED', align: 'right' },
    ],
    rows: status.queues.map((queue) => [
      queue.name,
      String(queue.waiting),
      String(queue.prioritized),
      String(queue.active),
      String(queue.delayed),
      String(queue.paused),
      String(queue.completed),
      String(queue.failed),
    ]),
    empty: 'no queues',
  });
  return `${summary}\n${coordinators}\n${workers}\n${queues}`;
}
