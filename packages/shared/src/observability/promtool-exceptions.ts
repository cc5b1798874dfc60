/**
 * The only metrics on Sundial's `/metrics` endpoints that `promtool check metrics` complains
 * about: gauges of prom-client's default process metrics whose names end in `_total` (a suffix
 * Prometheus reserves for counters). They come from prom-client, not from Sundial, and are kept
 * under their usual names so existing Node.js dashboards still find them. Every Sundial metric
 * passes the check.
 */
export const PROMTOOL_TOLERATED_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'] as const;
