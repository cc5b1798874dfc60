--[[
  Starts a new fencing epoch for the holder of the leader lease, and records the election.

  KEYS[1] leader lease    KEYS[2] fencing epoch    KEYS[3] events stream
  ARGV[1] lease token     ARGV[2] coordinator id ('' when unnamed)
  ARGV[3] cluster time (ms)                        ARGV[4] approximate events stream length

  Writes `leader.elected` with the coordinator and the new epoch.
  Returns the new epoch, or 0 when the token does not hold the lease.
]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local epoch = redis.call('INCR', KEYS[2])
local fields = { 'type', 'leader.elected', 'epoch', tostring(epoch) }
if ARGV[2] ~= '' then
  fields[#fields + 1] = 'coordinator'
  fields[#fields + 1] = ARGV[2]
end
fields[#fields + 1] = 'time'
fields[#fields + 1] = ARGV[3]
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[4], '*', unpack(fields))
return epoch
