// An existing HTTP app that runs Sundial inside its own process with one call: `startSundial`
// applies the app's schedules, runs a coordinator and a worker, and hands back a client. Start
// the same app on several machines (or several times on one) and nothing else changes: one copy
// is elected to fire the schedules, every copy runs tasks, and when the leading copy stops,
// another takes over. It uses node:http so that it needs no dependency; Express or Fastify
// route handlers call `sundial.client` the same way.
//
// Run it (after `pnpm install && pnpm build` at the repository root, with a Redis in REDIS_URL):
//
//   node examples/embedded-app/app.js                                  # PORT, default 3000
//   curl localhost:3000/schedules                                       # the app's schedules, next fire times
//   curl -X POST localhost:3000/schedules/purge-sessions/trigger        # run one now; prints the run id
//   curl localhost:3000/runs/RUN_ID                                     # the run: status, attempts, result
//   curl localhost:3000/cluster                                         # who leads, which copies serve
//   PORT=3001 node examples/embedded-app/app.js                         # a second copy: a standby and a worker
//   kill -TERM <pid>     # or Ctrl-C: stops taking requests, hands leadership over, drains, exits
const http = require('node:http');
const { URL } = require('node:url');
const { ValidationError, NotFoundError } = require('@sundial/shared');
const { startSundial } = require('@sundial/embedded');
const { sendDigest, purgeSessions } = require('./tasks');

/** The schedules this app declares. Every copy declares the same; applying them is idempotent. */
const schedules = [
  { id: 'daily-digest', task: 'send-digest', trigger: { cron: '0 8 * * MON-FRI', timezone: 'Europe/Berlin' }, data: { to: 'sales@example.com' } },
  { id: 'purge-sessions', task: 'purge-sessions', trigger: { every: '5m' }, misfireGrace: '1m' },
];

function send(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(`${JSON.stringify(body)}\n`);
}

/** Routes a request: /schedules, /schedules/:id/trigger, /runs/:runId, /cluster. */
async function route(sundial, request) {
  const { client } = sundial;
  const { pathname } = new URL(request.url ?? '/', 'http://localhost');
  const [collection, id, action] = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const method = request.method;

  if (collection === 'schedules' && id === undefined && method === 'GET') {
    const { schedules: stored } = await client.list();
    return [200, stored.map((schedule) => ({ id: schedule.id, task: schedule.task, paused: schedule.state.paused, next: schedule.state.nextFireTime }))];
  }
  // An operator's "run it now": it runs even while the schedule is paused.
  if (collection === 'schedules' && id !== undefined && action === 'trigger' && method === 'POST') return [202, await client.trigger(id)];
  if (collection === 'runs' && id !== undefined && method === 'GET') return [200, await client.getRun(id)];
  if (collection === 'cluster' && method === 'GET') {
    const status = await client.status();
    return [
      200,
      {
        thisCopyLeads: sundial.isLeader(),
        leader: status.coordinators.find((coordinator) => coordinator.leader)?.host ?? null,
        coordinators: status.coordinators.length,
        workers: status.workers.map((worker) => ({ host: worker.host, pid: worker.pid, inFlight: worker.inFlight })),
      },
    ];
  }
  return [404, { error: `no route for ${method} ${pathname}` }];
}

function statusOf(error) {
  if (error instanceof ValidationError) return 400;
  if (error instanceof NotFoundError) return 404;
  return 500;
}

async function main() {
  // Reads REDIS_URL and SUNDIAL_NAMESPACE; one connection serves the client, the coordinator and the worker.
  const sundial = await startSundial({ tasks: [sendDigest, purgeSessions], schedules, worker: { concurrency: 5 } });
  sundial.on(['run.succeeded', 'run.failed'], (event) => console.log(`${event.type} ${event.runId}`));
  sundial.on('leader.elected', () => console.log('this copy now fires the schedules'));

  const server = http.createServer((request, response) => {
    route(sundial, request).then(
      ([status, body]) => send(response, status, body),
      (error) => {
        const status = statusOf(error);
        if (status === 500) console.error(error);
        send(response, status, { error: status === 500 ? 'internal error' : error.message, code: error.code });
      },
    );
  });
  const port = Number(process.env.PORT ?? 3000);
  server.listen(port, () => console.log(`listening on http://localhost:${port}; leader: ${sundial.isLeader()}`));

  // Graceful shutdown: stop accepting requests, then close Sundial (the coordinator hands its
  // lease over at once, the worker drains its runs for up to 25 s). A second signal exits at once.
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`${signal}: shutting down`);
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeIdleConnections();
    await sundial.close();
    await closed;
    console.log('stopped');
  };
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => {
      stop(signal).then(
        () => process.exit(0),
        (error) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error) => {
  console.error(`app: ${error.message}`);
  process.exit(1);
});
