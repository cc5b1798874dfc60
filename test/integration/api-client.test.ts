import type { Coordinator } from '@sundial/coordinator';
import {
  ApiAuthError,
  ApiClient,
  ApiUnreachableError,
  ConflictError,
  NotFoundError,
  SundialClient,
  ValidationError,
  connectRedis,
  type SundialEvent,
  type SundialOperations,
} from '@sundial/shared';
import { startWorker, type SundialWorker } from '@sundial/worker';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { waitFor } from '../helpers/worker-fixture';
import { findFreePort } from '../support/free-port';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../support/namespace';
import { rejectionOf } from '../support/errors';
import { startApiCoordinator } from '../helpers/api-coordinator';

// The same operations through SundialClient (Redis) and ApiClient (a real coordinator's admin
// API): same results, same errors. No worker runs, so triggered runs stay enqueued until cancelled.

jest.setTimeout(60_000);

const ADMIN_TOKEN = 'admin-1a2b3c4d5e6f708192a3b4c5d6e7f809';
const READ_TOKEN = 'read-9f8e7d6c5b4a39281706f5e4d3c2b1a0';

let admin: Redis;
let coordinator: Coordinator;
let namespace: string;
let apiUrl: string;

beforeAll(async () => {
  admin = await connectRedis(testRedisUrl(), { connectionName: 'sundial:test-admin' });
  namespace = uniqueNamespace('api-client');
  coordinator = await startApiCoordinator(namespace, { admin: ADMIN_TOKEN, read: READ_TOKEN }, pino({ level: 'silent' }));
  apiUrl = `http://127.0.0.1:${coordinator.httpPort as number}`;
});

afterAll(async () => {
  await coordinator?.stop();
  await deleteNamespace(admin, namespace);
  await admin.quit();
});

const clients: [string, () => SundialOperations][] = [
  ['SundialClient', () => new SundialClient({ connection: testRedisUrl(), namespace })],
  ['ApiClient', () => new ApiClient({ url: apiUrl, token: ADMIN_TOKEN })],
];

describe.each(clients)('%s', (name, create) => {
  let client: SundialOperations;
  const id = (suffix: string) => `${name}-${suffix}`;

  beforeEach(() => {
    client = create();
  });

  afterEach(async () => {
    await client.close();
  });

  it('adds, lists, gets, updates, pauses, resumes, backfills and removes a schedule', async () => {
    const input = { id: id('report'), task: `${name}-report`, trigger: { cron: '0 9 * * *', timezone: 'Europe/Berlin' }, labels: { team: 'ops' } };
    const added = await client.add(input);
    expect(added).toMatchObject({ outcome: 'created', schedule: { id: input.id, task: input.task, labels: { team: 'ops' }, state: { paused: false } } });
    expect(added.warnings).toEqual([expect.stringContaining('no live worker serves task')]);
    await expect(client.add(input, { onConflict: 'keep' })).resolves.toMatchObject({ outcome: 'kept' });
    const conflict = await rejectionOf(client.add(input));
    expect(conflict).toBeInstanceOf(ConflictError);
    expect(conflict).toMatchObject({ id: input.id });

    await expect(client.get(input.id)).resolves.toMatchObject({ id: input.id, trigger: input.trigger });
    const page = await client.list({ task: input.task, labels: { team: 'ops' }, limit: 10 });
    expect(page).toEqual({ schedules: [expect.objectContaining({ id: input.id })], nextCursor: null });

    await expect(client.update(input.id, { labels: { team: 'billing' } })).resolves.toMatchObject({ labels: { team: 'billing' } });
    await expect(client.pause(input.id)).resolves.toMatchObject({ state: { paused: true } });
    await expect(client.resume(input.id, { catchUp: 'none' })).resolves.toMatchObject({ state: { paused: false } });

    const backfill = await client.backfill(input.id, { from: new Date('2026-01-05T00:00:00Z'), to: new Date('2026-01-06T23:59:59Z'), limit: 10 });
    expect(backfill.runIds).toEqual([`${input.id}@backfill-${Date.parse('2026-01-05T08:00:00Z')}`, `${input.id}@backfill-${Date.parse('2026-01-06T08:00:00Z')}`]);

    await client.remove(input.id);
    const missing = await rejectionOf(client.get(input.id));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toMatchObject({ kind: 'schedule', id: input.id, message: `schedule "${input.id}" not found` });
  });

  it('raises ValidationError naming the field for bad input, changing nothing', async () => {
    const error = await rejectionOf(client.add({ id: id('bad'), task: 'x', trigger: { cron: 'not a cron' } }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('trigger.cron');
    await expect(rejectionOf(client.get(id('bad')))).resolves.toBeInstanceOf(NotFoundError);
    await expect(rejectionOf(client.listRuns({ limit: 0 }))).resolves.toMatchObject({ field: 'limit' });
    const run = await rejectionOf(client.getRun(`${id('none')}@1`));
    expect(run).toBeInstanceOf(NotFoundError);
    expect(run).toMatchObject({ kind: 'run', id: `${id('none')}@1` });
  });

  it('triggers a run, finds it by status and task, cancels it, and refuses to cancel it again', async () => {
    const scheduleId = id('cancel');
    const task = `${name}-cancel-task`;
    await client.add({ id: scheduleId, task, trigger: { cron: '0 0 1 1 *' } });
    const { runId } = await client.trigger(scheduleId);
    const enqueued = await waitFor('the triggered run enqueued', async () => (await client.listRuns({ task, status: 'enqueued' })).find((run) => run.runId === runId));
    expect(enqueued).toMatchObject({ scheduleId, status: 'enqueued' });
    expect(await client.listRuns({ task: 'another-task' })).toEqual([]);

    const retry = await rejectionOf(client.retryRun(runId));
    expect(retry).toBeInstanceOf(ValidationError);
    expect(retry).toMatchObject({ field: 'runId' });

    const cancelled = await client.cancelRun(runId);
    expect(cancelled).toMatchObject({ runId, status: 'cancelled', reason: 'operator' });
    await expect(client.getRun(runId)).resolves.toMatchObject({ status: 'cancelled', reason: 'operator' });
    expect((await client.listRuns({ scheduleId, status: 'cancelled' })).map((run) => run.runId)).toEqual([runId]);
    expect(await client.listRuns({ scheduleId, status: 'enqueued' })).toEqual([]);

    const again = await rejectionOf(client.cancelRun(runId));
    expect(again).toBeInstanceOf(ValidationError);
    expect(again).toMatchObject({ field: 'runId', problem: expect.stringContaining('cancelled') });
    const events = await client.events.recent(['run.cancelled'], { limit: 1_000 });
    expect(events.filter((event) => event.runId === runId)).toEqual([expect.objectContaining({ type: 'run.cancelled', reason: 'operator', task })]);
  });

  it('reports the cluster status with the leader', async () => {
    const status = await client.status();
    expect(status.namespace).toBe(namespace);
    expect(status.coordinators).toEqual([expect.objectContaining({ id: coordinator.id, leader: true })]);
  });

  it('follows the event stream, and lists recent events', async () => {
    const seen: SundialEvent[] = [];
    const subscription = client.events.subscribe(['schedule.added', 'schedule.removed'], (event) => void seen.push(event), { from: 'start' });
    const scheduleId = id('events');
    await client.add({ id: scheduleId, task: 'events', trigger: { every: '1h' } });
    await client.remove(scheduleId);
    await waitFor('the added and removed events', () => (seen.some((event) => event.type === 'schedule.removed' && event.scheduleId === scheduleId) ? true : undefined));
    const mine = seen.filter((event) => event.scheduleId === scheduleId);
    expect(mine.map((event) => event.type)).toEqual(['schedule.added', 'schedule.removed']);
    expect(mine.every((event) => typeof event.id === 'string')).toBe(true);
    expect(subscription.lastId()).toBe(seen[seen.length - 1]?.id);
    await subscription.close();
    await expect(subscription.done).resolves.toBeUndefined();

    const recent = await client.events.recent(['schedule.removed'], { limit: 1_000 });
    expect(recent.filter((event) => event.scheduleId === scheduleId)).toHaveLength(1);
  });
});

describe.each(clients)('%s with a worker', (name, create) => {
  let worker: SundialWorker;
  let client: SundialOperations;
  const task = `${name}-slow`;

  beforeAll(async () => {
    worker = await startWorker({
      connection: testRedisUrl(),
      namespace,
      logger: pino({ level: 'silent' }),
      tasks: [{ name: task, handler: ({ signal }) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))) }],
    });
    client = create();
  });

  afterAll(async () => {
    await client.close();
    await worker.close();
  });

  it('cancels a running run: its worker aborts it and records it cancelled by the operator', async () => {
    const scheduleId = `${name}-slow`;
    await client.add({ id: scheduleId, task, trigger: { cron: '0 0 1 1 *' } });
    const { runId } = await client.trigger(scheduleId);
    await waitFor('the run running', async () => ((await client.listRuns({ scheduleId, status: 'running' })).some((run) => run.runId === runId) ? true : undefined));
    await client.cancelRun(runId);
    const cancelled = await waitFor('the run cancelled', async () => {
      const run = await client.getRun(runId);
      return run.status === 'cancelled' ? run : undefined;
    });
    expect(cancelled).toMatchObject({ runId, status: 'cancelled', reason: 'operator' });
  });
});

describe('ApiClient errors of its own', () => {
  it('raises ApiAuthError for a read token on a change (FORBIDDEN) and a wrong token (UNAUTHORIZED)', async () => {
    const reader = new ApiClient({ url: apiUrl, token: READ_TOKEN });
    await expect(reader.status()).resolves.toMatchObject({ namespace });
    const forbidden = await rejectionOf(reader.add({ id: 'read-only', task: 'x', trigger: { every: '1h' } }));
    expect(forbidden).toBeInstanceOf(ApiAuthError);
    expect(forbidden).toMatchObject({ code: 'FORBIDDEN' });
    const stranger = new ApiClient({ url: apiUrl, token: 'wrong-token' });
    const unauthorized = await rejectionOf(stranger.get('anything'));
    expect(unauthorized).toBeInstanceOf(ApiAuthError);
    expect(unauthorized).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('raises ApiUnreachableError naming the URL when no coordinator answers', async () => {
    const url = `http://127.0.0.1:${await findFreePort()}`;
    const error = await rejectionOf(new ApiClient({ url, token: ADMIN_TOKEN }).status());
    expect(error).toBeInstanceOf(ApiUnreachableError);
    expect(error.message).toContain(url);
    expect(error.message).toContain('--api');
  });
});
