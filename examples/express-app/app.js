// An existing HTTP app that manages its own schedules and runs their tasks in the same process.
// It uses node:http so that it needs no dependency; an Express or Fastify app does the same in
// its route handlers (one SundialClient per process, started before listening).
//
// Run it (after `pnpm install && pnpm build` at the repository root, with a Redis in REDIS_URL):
//
//   node_modules/.bin/sundial coordinator            # terminal 1: fires the schedules
//   node examples/express-app/app.js                 # terminal 2: the app and its worker (PORT, default 3000)
//   # terminal 3:
//   curl -X POST localhost:3000/schedules -d '{"id":"welcome-ada","every":"1m","email":"ada@example.com"}'
//   curl -X POST localhost:3000/schedules/welcome-ada/trigger      # run it now; prints the run id
//   curl localhost:3000/runs/RUN_ID                                 # the run: status, attempts, result
//   curl -X POST localhost:3000/schedules/welcome-ada/pause
//   curl -X POST localhost:3000/schedules/welcome-ada/resume
//   curl localhost:3000/schedules
//   curl -X DELETE localhost:3000/schedules/welcome-ada
//   kill -TERM <pid>     # or Ctrl-C: stops taking requests and runs, drains, then exits
//
// In a real app, keep the tasks in a module of their own: the app passes them to startWorker, and
// `sundial-worker --tasks` can load the same module to add workers in other processes.
const http = require('node:http');
const { URL } = require('node:url');
const { setTimeout: sleep } = require('node:timers/promises');
const { SundialClient, ValidationError, NotFoundError, ConflictError } = require('@sundial/shared');
const { defineTask, startWorker } = require('@sundial/worker');

/** The task this app's schedules run: sends a (pretend) e-mail, once per run id. */
const sendEmail = defineTask({
  name: 'send-email',
  retry: { attempts: 3, backoff: 'exponential', delayMs: 1_000 },
  timeoutMs: 15_000,
  handler: async ({ runId, data, signal, logger }) => {
    // A real mailer would get `runId` as its idempotency key, so a retry does not send twice.
    await sleep(100, undefined, { signal });
    logger.info({ to: data.email }, 'e-mail sent');
    return { to: data.email, idempotencyKey: runId };
  },
});

/** Reads a request body as JSON; an empty body is `{}`. */
async function readJson(request) {
  let text = '';
  for await (const chunk of request) text += chunk;
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('body', 'expected JSON');
  }
}

function send(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(`${JSON.stringify(body)}\n`);
}

/** Routes a request to the client: /schedules, /schedules/:id[/pause|resume|trigger], /runs/:runId. */
async function route(client, request) {
  const { pathname } = new URL(request.url ?? '/', 'http://localhost');
  const [collection, id, action] = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const method = request.method;

  if (collection === 'schedules' && id === undefined && method === 'GET') {
    const { schedules } = await client.list();
    return [200, schedules.map((schedule) => ({ id: schedule.id, trigger: schedule.trigger, paused: schedule.state.paused, next: schedule.state.nextFireTime }))];
  }
  if (collection === 'schedules' && id === undefined && method === 'POST') {
    const body = await readJson(request);
    const trigger = body.cron ? { cron: body.cron, timezone: body.timezone ?? 'UTC' } : { every: body.every ?? '1h' };
    const { schedule, warnings } = await client.add({ id: body.id, task: 'send-email', trigger, data: { email: body.email } });
    return [201, { id: schedule.id, next: schedule.state.nextFireTime, warnings }];
  }
  if (collection === 'schedules' && id !== undefined && action === undefined && method === 'GET') return [200, await client.get(id)];
  if (collection === 'schedules' && id !== undefined && action === undefined && method === 'DELETE') {
    await client.remove(id);
    return [204, null];
  }
  if (collection === 'schedules' && id !== undefined && method === 'POST') {
    if (action === 'pause') return [200, { id, paused: (await client.pause(id)).state.paused }];
    if (action === 'resume') return [200, { id, paused: (await client.resume(id)).state.paused }];
    if (action === 'trigger') return [202, await client.trigger(id)];
  }
  if (collection === 'runs' && id !== undefined && method === 'GET') return [200, await client.getRun(id)];
  return [404, { error: `no route for ${method} ${pathname}` }];
}

function statusOf(error) {
  if (error instanceof ValidationError) return 400;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  return 500;
}

async function main() {
  // Both read REDIS_URL and SUNDIAL_NAMESPACE; the worker keeps its own connections.
  const client = new SundialClient();
  const worker = await startWorker({ tasks: [sendEmail], concurrency: 5 });

  const server = http.createServer((request, response) => {
    route(client, request).then(
      ([status, body]) => (status === 204 ? response.writeHead(204).end() : send(response, status, body)),
      (error) => {
        const status = statusOf(error);
        if (status === 500) console.error(error);
        send(response, status, { error: status === 500 ? 'internal error' : error.message, code: error.code });
      },
    );
  });
  const port = Number(process.env.PORT ?? 3000);
  server.listen(port, () => console.log(`listening on http://localhost:${port}; worker ${worker.id} runs task send-email`));

  // Graceful shutdown: stop accepting requests, let the worker drain its runs (up to its 25 s
  // grace period, below Kubernetes' 30 s), then close the client. A second signal exits at once.
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`${signal}: shutting down`);
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeIdleConnections();
    await worker.close();
    await closed;
    await client.close();
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
