--[[
  Starts fires buffered by `overlap: buffer-one` whose schedule has room again (under its current
  `maxInstances`) and is not paused, fenced.

  KEYS[1] leader lease    KEYS[2] fencing epoch    KEYS[3] buffered hash
  ARGV[1] lease token     ARGV[2] epoch            ARGV[3] cluster time (ms)
  ARGV[4] key prefix      ARGV[5] BullMQ prefix
  ARGV[6] runs kept per schedule                   ARGV[7] approximate events stream length

  Reads each schedule's definition from its definition key, else (a schedule written before the
  definition had a key of its own) from the field `spec` of its hash.

  Returns the number of fires started, or -1 when the lease is lost.
]]
--- @include "fence"
--- @include "bullmq-job"
--- @include "runs"

if not holdsLease(KEYS[1], KEYS[2], ARGV[1], ARGV[2]) then return -1 end
local started = 0
local entries = redis.call('HGETALL', KEYS[3])
for i = 1, #entries, 2 do
  local scheduleId = entries[i]
  local buffered = cjson.decode(entries[i + 1])
  local ctx = {
    base = ARGV[4], bull = ARGV[5], now = ARGV[3], scheduleId = scheduleId, queue = buffered.queue,
    historyLimit = tonumber(ARGV[6]), eventsMaxLen = tonumber(ARGV[7]), epoch = ARGV[2],
  }
  local schedule = redis.call('HMGET', ARGV[4] .. ':schedule:' .. scheduleId, 'spec', 'paused')
  local definition = redis.call('GET', ARGV[4] .. ':def:' .. scheduleId) or schedule[1]
  local spec = definition and cjson.decode(definition)
  if spec then ctx.task = spec.task end
  if not spec then
    redis.call('HDEL', KEYS[3], scheduleId)
  elseif schedule[2] ~= '1' and pruneActive(ctx) < spec.maxInstances then
    redis.call('HDEL', KEYS[3], scheduleId)
    -- The buffered record is rewritten as enqueued.
    redis.call('DEL', ARGV[4] .. ':run:' .. buffered.run.runId)
    enqueueRun(ctx, buffered.run)
    started = started + 1
  end
end
return started
