// A client adds two schedules, runs one of them now and prints the run once it has finished.
//
// Run it with a coordinator and a worker running (after `pnpm install && pnpm build` at the
// repository root, with a Redis in REDIS_URL):
//
//   node_modules/.bin/sundial coordinator                                # terminal 1
//   node_modules/.bin/sundial-worker --tasks examples/basic/tasks.js     # terminal 2
//   node examples/basic/add-schedule.js                                  # terminal 3
//   node examples/basic/add-schedule.js --remove                         # removes the two schedules
//
// Then watch the runs: node_modules/.bin/sundial runs list --schedule basic-hello
const { setTimeout: sleep } = require('node:timers/promises');
const { SundialClient, NotFoundError } = require('@sundial/shared');

const FINAL = new Set(['succeeded', 'failed', 'cancelled', 'skipped', 'missed']);

async function main() {
  // REDIS_URL and SUNDIAL_NAMESPACE when not given here.
  const client = new SundialClient();
  try {
    if (process.argv.includes('--remove')) {
      for (const id of ['basic-hello', 'basic-digest']) await client.remove(id).catch(() => undefined);
      console.log('removed basic-hello and basic-digest');
      return;
    }

    // onConflict 'replace' makes the script safe to run again: the schedule is updated in place.
    const { schedule, warnings } = await client.add(
      { id: 'basic-hello', task: 'hello', trigger: { every: '30s' }, data: { name: 'Sundial' } },
      { onConflict: 'replace' },
    );
    for (const warning of warnings) console.warn(`warning: ${warning}`);
    console.log(`schedule ${schedule.id}: next fire ${schedule.state.nextFireTime}`);

    await client.add(
      {
        id: 'basic-digest',
        task: 'digest',
        trigger: { cron: '0 8 * * MON-FRI', timezone: 'Europe/Berlin' },
        data: { recipients: ['ops@example.com', 'finance@example.com'] },
        misfireGrace: '1h',
      },
      { onConflict: 'replace' },
    );
    console.log('schedule basic-digest: weekdays at 08:00 in Berlin');

    // Run the digest now instead of waiting for Monday. The run has no record until the
    // coordinator admits the request at its next tick; then a worker takes it.
    const { runId } = await client.trigger('basic-digest');
    console.log(`triggered ${runId}; waiting for a worker...`);
    for (let waited = 0; waited < 30_000; waited += 500) {
      const run = await client.getRun(runId).catch((error) => {
        if (error instanceof NotFoundError) return undefined; // not admitted yet
        throw error;
      });
      if (run && FINAL.has(run.status)) {
        console.log(JSON.stringify(run, null, 2));
        return;
      }
      await sleep(500);
    }
    console.log(`${runId} has not finished after 30 s: is a worker running with --tasks examples/basic/tasks.js?`);
  } finally {
    await client.close();
  }
}

main().catch((error) => {
  console.error(`add-schedule: ${error.message}`);
  process.exitCode = 1;
});
