--[[
  Starts a new fencing epoch for the holder of the leader lease.

  KEYS[1] leader lease    KEYS[2] fencing epoch
  ARGV[1] lease token

  Returns the new epoch, or 0 when the token does not hold the lease.
]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('INCR', KEYS[2])
