-- True while `token` holds the leader lease and `epoch` is the current fencing epoch.
local function holdsLease(leaderKey, epochKey, token, epoch)
  return redis.call('GET', leaderKey) == token and redis.call('GET', epochKey) == epoch
end
