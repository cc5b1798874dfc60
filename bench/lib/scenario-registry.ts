import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BenchPreconditionError } from './bench-error';
import type { Scenario } from './scenario';

/** Every scenario, in the order `pnpm bench` runs them. */
export const SCENARIO_NAMES = ['precision', 'throughput', 'shards', 'scale', 'failover', 'worker', 'triggers'] as const;

/** A scenario's name. */
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** Whether `name` is a scenario's name. */
export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}

/** `bench/dist/scenarios`, where the compiled scenario modules are. */
const SCENARIOS_DIR = join(__dirname, '..', 'scenarios');

/**
 * Loads `bench/dist/scenarios/<name>.js` and returns its `scenario` export. Modules are loaded by
 * name at run time so that each scenario builds and runs on its own.
 *
 * @throws BenchPreconditionError when the module is not built or exports no scenario
 */
export function loadScenario(name: ScenarioName): Scenario {
  const file = join(SCENARIOS_DIR, `${name}.js`);
  if (!existsSync(file)) throw new BenchPreconditionError(`scenario "${name}" is not built (${file} is missing): run \`pnpm build\``);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(file) as { scenario?: Scenario };
  const scenario = loaded.scenario;
  if (!scenario || scenario.name !== name || typeof scenario.run !== 'function') throw new BenchPreconditionError(`${file} does not export a scenario named "${name}"`);
  return scenario;
}
