--[[
  Commits one tick of a schedule, fenced: advances its state and records or enqueues (into the
  outbox) its due runs, all at once. A leader that lost its lease changes nothing.

  KEYS[1] leader lease          KEYS[4] due sorted set
  KEYS[2] fencing epoch         KEYS[5] requests hash (trigger-now and backfill)
  KEYS[3] schedule hash         KEYS[6] events stream (declared; written through helpers)

  ARGV[1] lease token           ARGV[2] epoch
  ARGV[3] cluster time (ms)
  ARGV[4] mode: 'advance' (scheduled fires: checks the version, moves last/next) or
          'request' (an operator's request: leaves last/next alone, deletes the request)
  ARGV[5] expected schedule version ('advance')
  ARGV[6] new last nominal fire time ('advance')
  ARGV[7] next nominal fire time, '' when the trigger is done ('advance')
  ARGV[8] next jittered fire time ('advance')
  ARGV[9] key prefix `sundial:{<ns>}`     ARGV[10] BullMQ key prefix
  ARGV[11] JSON: { scheduleId, queue, task (for events), overlap, maxInstances, force,
                   runs: [{ runId, kind, nominalMs, fireAtMs, jobJson }], ranges: [FireRange],
                   backlog: whether due fire times remain for the next tick }
  ARGV[12] request id ('request')
  ARGV[13] runs kept per schedule     ARGV[14] approximate length of the events stream

  Returns { code, outcomes }: code 0 done, 1 lease lost, 2 stale (the schedule changed since it
  was read; nothing done), 3 schedule gone; outcomes is a JSON object of run id to
  'enqueued' | 'buffered' | 'skipped' | 'duplicate'.
]]
--- @include "fence"
--- @include "runs"

if not holdsLease(KEYS[1], KEYS[2], ARGV[1], ARGV[2]) then return { 1, '{}' } end

local payload = cjson.decode(ARGV[11])
local ctx = {
  base = ARGV[9], bull = ARGV[10], now = tonumber(ARGV[3]), scheduleId = payload.scheduleId, queue = payload.queue, task = payload.task,
  historyLimit = tonumber(ARGV[13]), eventsMaxLen = tonumber(ARGV[14]), epoch = ARGV[2],
}
local mode = ARGV[4]

if mode == 'request' then redis.call('HDEL', KEYS[5], ARGV[12]) end
if redis.call('EXISTS', KEYS[3]) == 0 then
  redis.call('ZREM', KEYS[4], payload.scheduleId)
  return { 3, '{}' }
end

if mode == 'advance' then
  local state = redis.call('HMGET', KEYS[3], 'version', 'paused')
  if state[1] ~= ARGV[5] or state[2] == '1' then return { 2, '{}' } end
  redis.call('HSET', KEYS[3], 'last', ARGV[6], 'next', ARGV[7], 'nextAt', ARGV[8], 'updatedAt', ctx.now)
  redis.call('HSET', KEYS[3], 'backlog', payload.backlog and '1' or '')
  -- `last` moves on with time; `lastFire` only when a fire time was actually handled.
  if #payload.runs > 0 or #payload.ranges > 0 then redis.call('HSET', KEYS[3], 'lastFire', ARGV[6]) end
  if ARGV[7] == '' then
    redis.call('ZREM', KEYS[4], payload.scheduleId)
    emitEvent(ctx, 'schedule.updated', '', '', '', 'finished', 0)
  else
    redis.call('ZADD', KEYS[4], ARGV[8], payload.scheduleId)
  end
  recordRanges(ctx, payload.ranges)
end

local policy = { overlap = payload.overlap, maxInstances = payload.maxInstances, force = payload.force }
local outcomes = {}
for _, run in ipairs(payload.runs) do
  outcomes[run.runId] = admitRun(ctx, policy, run)
end
trimHistory(ctx)
-- cjson encodes an empty table as an object, which is what the caller expects.
return { 0, cjson.encode(outcomes) }
