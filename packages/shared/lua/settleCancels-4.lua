--[[
  Records the outcome of cancellations the leader carried out, fenced.

  KEYS[1] leader lease    KEYS[2] fencing epoch    KEYS[3] cancels hash    KEYS[4] events stream
  ARGV[1] lease token     ARGV[2] epoch            ARGV[3] cluster time (ms)
  ARGV[4] key prefix      ARGV[5] approximate events stream length
  ARGV[6..] pairs of run id and outcome: 'cancelled' when it was removed before it started
            (its record becomes cancelled); 'aborting' when its worker was asked to abort it, or
            'finished' when it had already ended (its record keeps following its job)

  Returns 1, or 0 when the lease is lost.
]]
--- @include "fence"

if not holdsLease(KEYS[1], KEYS[2], ARGV[1], ARGV[2]) then return 0 end
for i = 6, #ARGV, 2 do
  local runId, status = ARGV[i], ARGV[i + 1]
  redis.call('HDEL', KEYS[3], runId)
  local runKey = ARGV[4] .. ':run:' .. runId
  if status == 'cancelled' and redis.call('EXISTS', runKey) == 1 then
    redis.call('HSET', runKey, 'status', status, 'reason', 'cancel-previous', 'updatedAt', ARGV[3])
    local scheduleId = redis.call('HGET', runKey, 'scheduleId')
    redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[5], '*', 'type', 'run.' .. status, 'scheduleId', scheduleId,
      'runId', runId, 'fireTime', redis.call('HGET', runKey, 'fireTime'), 'status', status, 'reason', 'cancel-previous',
      'count', '1', 'time', ARGV[3])
  end
end
return 1
