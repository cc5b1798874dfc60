import type { ClusterStatus } from '@sundial/shared';
import { formatTable } from './output';

/**
 * One line per namespace: who leads it (coordinator id, host and pid) with which epoch, how many
 * coordinators and workers serve it, and its schedules. Shows how leases spread over replicas.
 */
export function formatNamespacesStatus(statuses: readonly ClusterStatus[]): string {
  return formatTable({
    columns: [
      { header: 'NAMESPACE' },
      { header: 'LEADER' },
      { header: 'HOST' },
      { header: 'PID', align: 'right' },
      { header: 'EPOCH', align: 'right' },
      { header: 'COORDINATORS', align: 'right' },
      { header: 'WORKERS', align: 'right' },
      { header: 'SCHEDULES', align: 'right' },
    ],
    rows: statuses.map((status) => {
      const leader = status.coordinators.find((coordinator) => coordinator.leader);
      return [
        status.namespace,
        leader?.id ?? 'none',
        leader?.host ?? '',
        leader ? String(leader.pid) : '',
        String(status.epoch),
        String(status.coordinators.length),
        String(status.workers.length),
        `${status.schedules} (${status.activeSchedules} active)`,
      ];
    }),
    empty: 'no namespaces',
  });
}
