/**
 * The benchmark runner: `node bench/dist/run.js [scenario ...] [--quick]` (or `pnpm bench ...`).
 * Runs the named scenarios (default: all) one after another, each on a Redis of its own unless
 * REDIS_URL is set, prints progress to stderr and each report as markdown to stdout, and writes
 * each result as JSON to `bench/results/`.
 */
import { BenchPreconditionError } from './lib/bench-error';
import { acquireBenchRedis, type BenchRedis } from './lib/bench-redis';
import { describeMachine } from './lib/machine';
import { checkPreconditions } from './lib/preconditions';
import { renderMarkdown, writeResult } from './lib/report';
import type { Scenario, ScenarioResult } from './lib/scenario';
import { SCENARIO_NAMES, isScenarioName, loadScenario, type ScenarioName } from './lib/scenario-registry';

const USAGE = `usage: node bench/dist/run.js [scenario ...] [--quick]\n  scenarios: ${SCENARIO_NAMES.join(', ')} (default: all, in this order)\n  --quick    seconds instead of minutes per scenario, for a smoke test\n  REDIS_URL  use this Redis instead of starting one (only the benchmark's own keys are touched)\n`;

interface Invocation {
  names: ScenarioName[];
  quick: boolean;
  help: boolean;
}

function parseArgs(args: readonly string[]): Invocation {
  const names: ScenarioName[] = [];
  let quick = false;
  let help = false;
  for (const arg of args) {
    if (arg === '--') continue;
    if (arg === '--quick') quick = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg.startsWith('-')) throw new BenchPreconditionError(`unknown option "${arg}"; options: --quick, --help`);
    else if (isScenarioName(arg)) {
      if (!names.includes(arg)) names.push(arg);
    } else throw new BenchPreconditionError(`unknown scenario "${arg}"; scenarios: ${SCENARIO_NAMES.join(', ')}`);
  }
  return { names: names.length > 0 ? names : [...SCENARIO_NAMES], quick, help };
}

function progress(scenario: string): (line: string) => void {
  return (line) => process.stderr.write(`[${new Date().toISOString().slice(11, 23)} ${scenario}] ${line}\n`);
}

/**
 * Wraps a Redis given by REDIS_URL so that the keys under every prefix a scenario asked for are
 * deleted after it, even if it failed before cleaning up itself.
 */
function trackingPrefixes(redis: BenchRedis): { redis: BenchRedis; cleanUp(): Promise<number> } {
  const prefixes = new Set<string>();
  return {
    redis: {
      ...redis,
      keyPrefixFor: (name) => {
        const prefix = redis.keyPrefixFor(name);
        prefixes.add(prefix);
        return prefix;
      },
    },
    cleanUp: async () => {
      let deleted = 0;
      for (const prefix of prefixes) deleted += await redis.deleteKeysOf(prefix);
      return deleted;
    },
  };
}

async function runScenario(scenario: Scenario, quick: boolean): Promise<ScenarioResult> {
  const log = progress(scenario.name);
  const benchRedis = await acquireBenchRedis(process.env);
  const tracked = trackingPrefixes(benchRedis);
  log(`${benchRedis.owned ? 'started redis-server' : 'using REDIS_URL'} ${benchRedis.url} (Redis ${benchRedis.version})${quick ? ', quick mode' : ''}`);
  const startedAt = new Date();
  const started = performance.now();
  try {
    const machine = describeMachine(benchRedis.version, benchRedis.owned);
    const outcome = await scenario.run({ redis: tracked.redis, quick, progress: log });
    return { scenario: scenario.name, title: scenario.title, startedAt: startedAt.toISOString(), durationMs: Math.round(performance.now() - started), machine, ...outcome };
  } finally {
    if (!benchRedis.owned) {
      const deleted = await tracked.cleanUp().catch((error: unknown) => {
        log(`could not delete the benchmark's keys: ${error instanceof Error ? error.message : String(error)}`);
        return 0;
      });
      if (deleted > 0) log(`deleted ${deleted} leftover keys of this scenario`);
    }
    await benchRedis.stop();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const invocation = parseArgs(argv);
  if (invocation.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  checkPreconditions(process.env);
  if (process.env.REDIS_URL?.trim()) await (await acquireBenchRedis(process.env)).stop();
  const scenarios = invocation.names.map(loadScenario);
  let failed = 0;
  for (const scenario of scenarios) {
    process.stderr.write(`\n=== ${scenario.name}: ${scenario.title}\n`);
    try {
      const result = await runScenario(scenario, invocation.quick);
      process.stdout.write(`${renderMarkdown(result)}\n`);
      const written = await writeResult(result, { quick: invocation.quick });
      process.stderr.write(`wrote ${written.latest ?? `${written.history} (quick: ${scenario.name}.json keeps the last full-length result)`}\n`);
    } catch (error) {
      if (error instanceof BenchPreconditionError) throw error;
      failed++;
      process.stderr.write(`scenario ${scenario.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
  }
  if (failed > 0) process.stderr.write(`${failed} of ${scenarios.length} scenarios failed\n`);
  return failed > 0 ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  // Exiting runs the 'exit' handlers that kill the redis-server and children this run started.
  process.once(signal, () => process.exit(130));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof BenchPreconditionError) {
      process.stderr.write(`bench: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
