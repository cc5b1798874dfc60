import type { Scenario } from '../lib/scenario';
import { formatCost, measureTriggerCases, triggerCases } from '../lib/trigger-cases';

/**
 * The trigger engine: median cost of computing fire times per trigger kind and zone (pure
 * computation, no Redis). The same cases as `pnpm bench:triggers`.
 */
export const scenario: Scenario = {
  name: 'triggers',
  title: 'Trigger engine',
  async run(ctx) {
    const cases = triggerCases();
    ctx.progress(`measuring ${cases.length} cases, ${ctx.quick ? '0.2' : '1'} s each`);
    const results = await measureTriggerCases(cases, ctx.quick ? { timeMs: 200, warmupMs: 50 } : {});
    const targeted = results.filter((result) => result.targetPerOp !== undefined);
    return {
      tables: [
        {
          title: 'Median cost of one operation',
          columns: ['Case', 'Median', 'Target', 'Goal', 'Samples'],
          rows: results.map((result) => [
            result.name,
            formatCost(result.medianPerOp, result.unit),
            result.targetPerOp === undefined ? '' : `≤ ${formatCost(result.targetPerOp, result.unit)}`,
            result.withinTarget === undefined ? '' : result.withinTarget ? 'met' : 'NOT MET',
            result.samples,
          ]),
        },
      ],
      goals: targeted.map((result) => ({
        goal: `${result.name} ≤ ${formatCost(result.targetPerOp ?? 0, result.unit)}`,
        figure: formatCost(result.medianPerOp, result.unit),
        met: result.withinTarget === true,
      })),
      notes: [
        'Pure computation in the bench process (no Redis, no BullMQ counterpart): tinybench, median of the iterations; cheap operations are batched (1,000 starting instants spread over a year) and divided back to one operation.',
      ],
      data: { results },
    };
  },
};
