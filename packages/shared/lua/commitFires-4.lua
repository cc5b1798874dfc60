--[[
  Commits one tick of each schedule of a batch, fenced: checks the lease once, then for each
  schedule in turn advances its state and records its due runs or enqueues them (adds their
  BullMQ jobs). A leader that lost its lease changes nothing. Each schedule's hash is `<prefix>:schedule:<id>`
  (in the namespace's hash tag, like every key the helpers derive from the prefix).

  KEYS[1] leader lease          KEYS[3] due sorted set
  KEYS[2] fencing epoch         KEYS[4] events stream (declared; written through helpers)

  ARGV[1] lease token           ARGV[2] epoch
  ARGV[3] cluster time (ms)
  ARGV[4] key prefix `sundial:{<ns>}`     ARGV[5] BullMQ key prefix
  ARGV[6] runs kept per schedule          ARGV[7] approximate length of the events stream
  ARGV[8...] for each schedule, a tick as JSON (last, next, nextAt and the runs' times as decimal text):
      { scheduleId, version (read with the plan), last (new last nominal fire time),
        next (next nominal fire time, '' when the trigger is done), nextAt (next jittered fire time),
        queue, task (for events), overlap, maxInstances, ranges: [FireRange],
        backlog (whether due fire times remain for the next tick),
        runs: [{ runId, kind, nominalMs, fireAtMs, name, priority }] }
    followed by the BullMQ job options and data (JSON text, two arguments) of each of its runs,
    in order.

  Returns { 1 } when the lease is lost, else { 0, result of each schedule, in order }. A result is
  { 0, outcome of each run ('enqueued' | 'buffered' | 'skipped' | 'duplicate'), in order },
  { 2 } stale (the schedule changed or was paused since it was read; nothing done) or
  { 3 } schedule gone.
]]
--- @include "fence"
--- @include "bullmq-job"
--- @include "runs"
--- @include "commit"

if not holdsLease(KEYS[1], KEYS[2], ARGV[1], ARGV[2]) then return { 1 } end

-- Times stay the text they came as: Lua would write a number back through a slow float format.
local now, historyLimit, eventsMaxLen = ARGV[3], tonumber(ARGV[6]), tonumber(ARGV[7])

local function commitTick(tick)
  local ctx = {
    base = ARGV[4], bull = ARGV[5], now = now, scheduleId = tick.scheduleId, queue = tick.queue, task = tick.task,
    historyLimit = historyLimit, eventsMaxLen = eventsMaxLen, epoch = ARGV[2],
  }
  local scheduleKey = ctx.base .. ':schedule:' .. tick.scheduleId
  -- Every schedule hash holds a version: none means the schedule is gone.
  local state = redis.call('HMGET', scheduleKey, 'version', 'paused')
  if not state[1] then
    redis.call('ZREM', KEYS[3], tick.scheduleId)
    return { 3 }
  end
  if state[1] ~= tick.version or state[2] == '1' then return { 2 } end
  local fields = { 'last', tick.last, 'next', tick.next, 'nextAt', tick.nextAt, 'updatedAt', now, 'backlog', tick.backlog and '1' or '' }
  -- `last` moves on with time; `lastFire` only when a fire time was actually handled.
  if #tick.runs > 0 or #tick.ranges > 0 then
    fields[#fields + 1] = 'lastFire'
    fields[#fields + 1] = tick.last
  end
  redis.call('HSET', scheduleKey, unpack(fields))
  if tick.next == '' then
    redis.call('ZREM', KEYS[3], tick.scheduleId)
    emitEvent(ctx, 'schedule.updated', '', '', '', 'finished', 0)
  else
    redis.call('ZADD', KEYS[3], tick.nextAt, tick.scheduleId)
  end
  recordRanges(ctx, tick.ranges)
  return admitRuns(ctx, { overlap = tick.overlap, maxInstances = tick.maxInstances, force = false }, tick.runs)
end

local results = { 0 }
local index = 8
while index <= #ARGV do
  local tick = cjson.decode(ARGV[index])
  index = attachJobs(tick.runs, index + 1)
  results[#results + 1] = commitTick(tick)
end
return results
