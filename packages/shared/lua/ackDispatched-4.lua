--[[
  Removes runs from the outbox once their BullMQ jobs exist, fenced: a leader that lost its
  lease leaves them for the next leader, whose re-add is a no-op (same job id).

  KEYS[1] leader lease    KEYS[2] fencing epoch
  KEYS[3] outbox          KEYS[4] outbox jobs
  ARGV[1] lease token     ARGV[2] epoch     ARGV[3..] run ids

  Returns 1 when done, 0 when the lease is lost.
]]
--- @include "fence"

if not holdsLease(KEYS[1], KEYS[2], ARGV[1], ARGV[2]) then return 0 end
for i = 3, #ARGV do
  redis.call('ZREM', KEYS[3], ARGV[i])
  redis.call('HDEL', KEYS[4], ARGV[i])
end
return 1
