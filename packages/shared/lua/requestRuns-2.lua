--[[
  Queues operator requests (trigger now, backfill) for the leader to admit under the schedule's
  overlap policy. A request whose id is already queued is not queued twice.

  KEYS[1] schedule hash    KEYS[2] requests hash
  ARGV[1] changes channel  ARGV[2] schedule id   ARGV[3..] pairs of request id and request JSON

  Returns the number of requests queued, or -1 when the schedule does not exist.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local queued = 0
for i = 3, #ARGV, 2 do
  queued = queued + redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i + 1])
end
redis.call('PUBLISH', ARGV[1], ARGV[2])
return queued
