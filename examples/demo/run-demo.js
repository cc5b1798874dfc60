// The demo: one coordinator and two workers as real processes, a few schedules, and a live view
// of what fires and how each run ends. Run it with `pnpm demo`; stop it with Ctrl-C.
const { spawn } = require('node:child_process');
const { createWriteStream, mkdtempSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { SUNDIAL_EVENT_TYPES, SundialClient } = require('@sundial/shared');
const { findRedis, freePort } = require('./find-redis');
const schedules = require('./schedules');

const ROOT = path.join(__dirname, '..', '..');
const NAMESPACE = process.env.SUNDIAL_NAMESPACE || 'demo';
const COLORS = { succeeded: 32, failed: 31, retrying: 33, timed_out: 31, skipped: 33, missed: 31, started: 36, enqueued: 90, stalled: 35, cancelled: 35 };

function paint(text, status) {
  const code = COLORS[status];
  return process.stdout.isTTY && code ? `\u001b[${code}m${text}\u001b[0m` : text;
}

function startProcess(name, args, env, logDir) {
  const log = createWriteStream(path.join(logDir, `${name}.log`));
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  child.name = name;
  return child;
}

function describe(event) {
  const time = event.time.slice(11, 23);
  const type = event.type.replace(/^run\./, '');
  const attempt = event.attempt ? ` attempt ${event.attempt}` : '';
  const extra = event.reason ? ` (${event.reason}${(event.count ?? 1) > 1 ? `, ${event.count} fire times` : ''})` : '';
  return `${time}  ${paint(type.padEnd(10), type)} ${(event.scheduleId ?? '').padEnd(20)} ${event.runId ?? ''}${attempt}${extra}`;
}

async function main() {
  const redis = await findRedis();
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'sundial-demo-'));
  const env = { REDIS_URL: redis.url, SUNDIAL_NAMESPACE: NAMESPACE };
  console.log(`Sundial demo: Redis ${redis.url}${redis.started ? ' (started for the demo)' : ''}, namespace "${NAMESPACE}"`);
  console.log(`Process logs: ${logDir}`);

  // Each process serves /metrics, /healthz and /readyz on a port of its own.
  const ports = { coordinator: await freePort(), 'worker-1': await freePort(), 'worker-2': await freePort() };
  const children = [
    startProcess('coordinator', ['packages/coordinator/bin/sundial.js', 'coordinator', '--port', String(ports.coordinator)], env, logDir),
    startProcess('worker-1', ['packages/worker/bin/sundial-worker.js', '--tasks', 'examples/demo/tasks.js', '--concurrency', '4', '--port', String(ports['worker-1'])], env, logDir),
    startProcess('worker-2', ['packages/worker/bin/sundial-worker.js', '--tasks', 'examples/demo/tasks.js', '--concurrency', '4', '--port', String(ports['worker-2'])], env, logDir),
  ];
  const client = new SundialClient({ connection: redis.url, namespace: NAMESPACE });
  for (const schedule of schedules) {
    await client.add(schedule, { onConflict: 'replace' });
    console.log(`schedule ${schedule.id.padEnd(20)} task ${schedule.task.padEnd(7)} ${JSON.stringify(schedule.trigger)}${schedule.overlap ? ` overlap ${schedule.overlap}` : ''}`);
  }
  console.log('\nMetrics (Prometheus text; /healthz and /readyz on the same ports):');
  for (const [name, port] of Object.entries(ports)) console.log(`  ${name.padEnd(12)} http://127.0.0.1:${port}/metrics`);
  console.log(`Admin API (loopback only, no token set): http://127.0.0.1:${ports.coordinator}/api/v1/schedules`);
  console.log(`\nIn another terminal: node_modules/.bin/sundial --api http://127.0.0.1:${ports.coordinator} status --watch`);
  console.log(`                 or: REDIS_URL=${redis.url} SUNDIAL_NAMESPACE=${NAMESPACE} node_modules/.bin/sundial events tail`);
  console.log('Live view of the event stream (Ctrl-C stops everything):\n');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping: workers drain their runs, the coordinator hands over its lease...');
    await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGTERM'))))));
    for (const schedule of schedules) await client.remove(schedule.id).catch(() => undefined);
    await client.close();
    await redis.stop();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  for (const child of children) {
    child.on('exit', (code) => {
      if (!stopping) {
        console.error(`${child.name} exited with code ${code}; see ${path.join(logDir, `${child.name}.log`)}`);
        void stop();
      }
    });
  }

  const runEvents = SUNDIAL_EVENT_TYPES.filter((type) => type.startsWith('run.'));
  client.events.subscribe(runEvents, (event) => console.log(describe(event)));
}

main().catch((error) => {
  console.error(`demo: ${error.message}`);
  process.exit(1);
});
