--[[
  Updates a schedule's definition and, with it, its next fire time; or pauses or resumes it.
  Runs only if the schedule is still at the version the caller read.

  KEYS[1] schedule hash (state)                      KEYS[2] definition string
  KEYS[3] due sorted set   KEYS[4] events stream (written through helpers)
  ARGV[1] schedule id      ARGV[2] expected version  ARGV[3] cluster time (ms)
  ARGV[4] action: update | pause | resume
  ARGV[5] spec JSON ('update'; '' to keep)
  ARGV[6] new last nominal fire time ('' to keep)
  ARGV[7] next nominal fire time ('' when none)      ARGV[8] next jittered fire time
  ARGV[9] JSON array of FireRange to record (fire times the change passes over)
  ARGV[10] key prefix      ARGV[11] runs kept per schedule
  ARGV[12] approximate events stream length          ARGV[13] changes channel
  ARGV[14] queue of the schedule (for run records)   ARGV[15] task of the schedule (for events)

  Keeps the paused-schedule set and the set of queue names up to date. A schedule of the layout
  that held the definition in its hash (field `spec`) moves to the definition key, whatever the
  action.
  Returns 'done', 'not-found', 'stale', 'already' (pause of a paused schedule, resume of an
  active one).
]]
--- @include "bullmq-job"
--- @include "runs"
--- @include "definition"

if redis.call('EXISTS', KEYS[1]) == 0 then return 'not-found' end
local state = redis.call('HMGET', KEYS[1], 'version', 'paused')
if state[1] ~= ARGV[2] then return 'stale' end
local action = ARGV[4]
if (action == 'pause' and state[2] == '1') or (action == 'resume' and state[2] ~= '1') then return 'already' end

local ctx = {
  base = ARGV[10], now = tonumber(ARGV[3]), scheduleId = ARGV[1], queue = ARGV[14], task = ARGV[15],
  historyLimit = tonumber(ARGV[11]), eventsMaxLen = tonumber(ARGV[12]),
}
redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[3])
storeDefinition(KEYS[1], KEYS[2], ARGV[5] ~= '' and ARGV[5] or nil)
redis.call('SADD', ARGV[10] .. ':queues', ARGV[14])
-- Moving `last` on leaves any backlog of the old position behind.
if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'last', ARGV[6], 'backlog', '') end

local paused = state[2] == '1'
if action == 'pause' then
  paused = true
  redis.call('HSET', KEYS[1], 'paused', 1, 'pausedAt', ARGV[3])
  redis.call('SADD', ARGV[10] .. ':paused', ARGV[1])
elseif action == 'resume' then
  paused = false
  redis.call('HSET', KEYS[1], 'paused', 0, 'pausedAt', '')
  redis.call('SREM', ARGV[10] .. ':paused', ARGV[1])
end
if action ~= 'pause' then redis.call('HSET', KEYS[1], 'next', ARGV[7], 'nextAt', ARGV[8]) end
if paused or redis.call('HGET', KEYS[1], 'next') == '' then
  redis.call('ZREM', KEYS[3], ARGV[1])
else
  redis.call('ZADD', KEYS[3], redis.call('HGET', KEYS[1], 'nextAt'), ARGV[1])
end
recordRanges(ctx, cjson.decode(ARGV[9]))
trimHistory(ctx)
emitEvent(ctx, 'schedule.' .. (action == 'update' and 'updated' or (action == 'pause' and 'paused' or 'resumed')), '', '', '', '', 0)
redis.call('PUBLISH', ARGV[13], ARGV[1])
return 'done'
