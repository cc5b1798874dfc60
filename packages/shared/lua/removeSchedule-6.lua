--[[
  Removes a schedule with its state, its buffered fire and its run history. Runs already in
  BullMQ are left to finish.

  KEYS[1] schedule hash (state)                      KEYS[2] definition string
  KEYS[3] ids sorted set   KEYS[4] due sorted set    KEYS[5] buffered hash
  KEYS[6] events stream
  ARGV[1] schedule id      ARGV[2] cluster time (ms)  ARGV[3] key prefix
  ARGV[4] approximate events stream length            ARGV[5] changes channel

  Its id leaves the paused-schedule set; its queue stays in the set of queue names (its jobs may
  outlive it, and other schedules may share the queue).
  Returns 1 when removed, 0 when there was no such schedule.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('DEL', KEYS[1], KEYS[2], ARGV[3] .. ':active:' .. ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('HDEL', KEYS[5], ARGV[1])
redis.call('SREM', ARGV[3] .. ':paused', ARGV[1])
local history = ARGV[3] .. ':runs:' .. ARGV[1]
for _, runId in ipairs(redis.call('ZRANGE', history, 0, -1)) do
  redis.call('DEL', ARGV[3] .. ':run:' .. runId)
  redis.call('ZREM', ARGV[3] .. ':runs', runId)
end
redis.call('DEL', history)
redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[4], '*', 'type', 'schedule.removed', 'scheduleId', ARGV[1], 'time', ARGV[2])
redis.call('PUBLISH', ARGV[5], ARGV[1])
return 1
