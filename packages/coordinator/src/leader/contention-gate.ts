/**
 * Decides, for one namespace's election, when to try for its lease and when to give it up. A
 * coordinator that leads several namespaces uses one per namespace so that replicas spread the
 * leases between them (see `LeaseBalancer`); a single-namespace coordinator has none and always
 * contends.
 */
export interface ContentionGate {
  /** Whether to try for the lease now. */
  mayContend(): Promise<boolean>;
  /** Whether to release the lease now (a standby takes it at once), to spread leases over replicas. */
  shouldYield(): boolean;
  /** Told every change of this election's leadership. */
  leadershipChanged(leading: boolean): void;
}
