--[[
  Records the outcome of cancellations the leader carried out, fenced.

  KEYS[1] leader lease    KEYS[2] fencing epoch    KEYS[3] cancels hash    KEYS[4] events stream
  ARGV[1] lease token     ARGV[2] epoch            ARGV[3] cluster time (ms)
  ARGV[4] key prefix      ARGV[5] approximate events stream length
  ARGV[6..] pairs of run id and outcome: 'cancelled' when it was removed before it started
            (its record becomes cancelled); 'aborting' when its worker was asked to abort it, or
            'finished' when it had already ended (its record keeps following its job)

  A cancels entry is `<queue>|<reason>` (`cancel-previous` or `operator`); the reason is recorded
  on the cancelled run and its event. An entry without a reason is `cancel-previous`.

  Returns 1, or 0 when the lease is lost.
]]
--- @include "fence"

if not holdsLease(KEYS[1], KEYS[2], ARGV[1], ARGV[2]) then return 0 end
for i = 6, #ARGV, 2 do
  local runId, status = ARGV[i], ARGV[i + 1]
  local entry = redis.call('HGET', KEYS[3], runId)
  local reason = (entry and string.match(entry, '|([^|]+)$')) or 'cancel-previous'
  redis.call('HDEL', KEYS[3], runId)
  local runKey = ARGV[4] .. ':run:' .. runId
  if status == 'cancelled' and redis.call('EXISTS', runKey) == 1 then
    redis.call('HSET', runKey, 'status', status, 'reason', reason, 'updatedAt', ARGV[3])
    local run = redis.call('HMGET', runKey, 'scheduleId', 'fireTime', 'task')
    -- A run buffered by `overlap: buffer-one` has no job yet: drop it from the buffer, or it would start later.
    local bufferedKey = ARGV[4] .. ':buffered'
    local buffered = run[1] and redis.call('HGET', bufferedKey, run[1])
    if buffered and cjson.decode(buffered).run.runId == runId then redis.call('HDEL', bufferedKey, run[1]) end
    local fields = { 'type', 'run.cancelled', 'scheduleId', run[1], 'runId', runId, 'fireTime', run[2], 'status', status,
      'reason', reason, 'count', '1' }
    if run[3] then
      fields[#fields + 1] = 'task'
      fields[#fields + 1] = run[3]
    end
    fields[#fields + 1] = 'time'
    fields[#fields + 1] = ARGV[3]
    redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[5], '*', unpack(fields))
  end
end
return 1
