--[[
  Adds a schedule, or replaces or keeps an existing one per the conflict policy.

  KEYS[1] schedule hash (state)                      KEYS[2] definition string
  KEYS[3] ids sorted set   KEYS[4] due sorted set    KEYS[5] events stream
  ARGV[1] schedule id      ARGV[2] spec JSON         ARGV[3] conflict policy: error | replace | keep
  ARGV[4] cluster time (ms)                          ARGV[5] '1' to create it paused
  ARGV[6] last nominal fire time (fire times after it are due)
  ARGV[7] next nominal fire time, '' when none       ARGV[8] next jittered fire time
  ARGV[9] approximate events stream length           ARGV[10] changes channel
  ARGV[11] the schedule's task (for the event)       ARGV[12] key prefix `sundial:{<ns>}`
  ARGV[13] the schedule's queue                      ARGV[14] '0' to leave out the change notice
                                                    (a bulk add sends one per batch); absent: sent

  Keeps the paused-schedule set and the set of queue names up to date. A replaced schedule of the
  layout that held the definition in its hash (field `spec`) moves to the definition key.

  Writes `schedule.added` (created) or `schedule.updated` (replaced); keeping writes nothing.
  Returns 'created', 'replaced', 'kept' or 'conflict'.
]]
--- @include "definition"

local exists = redis.call('EXISTS', KEYS[1]) == 1
if exists and ARGV[3] == 'keep' then return 'kept' end
if exists and ARGV[3] ~= 'replace' then return 'conflict' end

local outcome = 'created'
if exists then
  outcome = 'replaced'
  redis.call('HINCRBY', KEYS[1], 'version', 1)
  storeDefinition(KEYS[1], KEYS[2], ARGV[2])
else
  redis.call('HSET', KEYS[1], 'version', 1, 'createdAt', ARGV[4], 'enqueued', 0, 'missed', 0, 'skipped', 0, 'pausedFires', 0)
  redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
  redis.call('SET', KEYS[2], ARGV[2])
end
redis.call('HSET', KEYS[1], 'paused', ARGV[5], 'pausedAt', ARGV[5] == '1' and ARGV[4] or '',
  'last', ARGV[6], 'next', ARGV[7], 'nextAt', ARGV[8], 'updatedAt', ARGV[4])
if ARGV[5] == '1' then
  redis.call('SADD', ARGV[12] .. ':paused', ARGV[1])
else
  redis.call('SREM', ARGV[12] .. ':paused', ARGV[1])
end
redis.call('SADD', ARGV[12] .. ':queues', ARGV[13])
if ARGV[5] == '1' or ARGV[7] == '' then
  redis.call('ZREM', KEYS[4], ARGV[1])
else
  redis.call('ZADD', KEYS[4], ARGV[8], ARGV[1])
end
redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[9], '*', 'type', outcome == 'created' and 'schedule.added' or 'schedule.updated',
  'scheduleId', ARGV[1], 'task', ARGV[11], 'time', ARGV[4])
if ARGV[14] ~= '0' then redis.call('PUBLISH', ARGV[10], ARGV[1]) end
return outcome
