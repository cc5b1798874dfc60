import { AggregatorRegistry, Registry, collectDefaultMetrics } from 'prom-client';

/** What `/metrics` serves: a prom-client registry, or anything that renders like one. */
export type MetricsSource = Pick<Registry, 'metrics' | 'contentType'>;

/**
 * The metrics of several registries served as one, together with prom-client's default process
 * metrics (once). The registries must tell their series apart by a label of their own (such as
 * `namespace`), or equal series are summed.
 *
 * @param registries - read at every scrape, so registries may come and go
 */
export function combinedMetrics(registries: () => Iterable<Registry>): MetricsSource {
  const processMetrics = new Registry();
  collectDefaultMetrics({ register: processMetrics });
  return {
    contentType: processMetrics.contentType,
    metrics: async () => {
      const parts = await Promise.all([processMetrics, ...registries()].map((registry) => registry.getMetricsAsJSON()));
      return AggregatorRegistry.aggregate(parts).metrics();
    },
  };
}
