--[[
  Records what a worker does with a run: starting an attempt, or its outcome.

  KEYS[1] run hash         KEYS[2] events stream
  ARGV[1] action: start | succeeded | retrying | failed | dropped
  ARGV[2] cluster time (ms)       ARGV[3] attempt (1-based)
  ARGV[4] worker id               ARGV[5] result JSON ('succeeded') or error message
  ARGV[6] duration of the attempt in ms ('' for start)
  ARGV[7] approximate events stream length

  Returns for 'start': 'ok', or 'final' when the run already succeeded, failed or was cancelled
  (a duplicate job of a finished run must not run again); for the others: 'ok'. A run without a
  record (trimmed from the history) is run and not recorded.
]]
local action = ARGV[1]
local exists = redis.call('EXISTS', KEYS[1]) == 1
if action == 'start' and exists then
  local status = redis.call('HGET', KEYS[1], 'status')
  -- A final record blocks any further attempt: a duplicate job of a finished run, or a job that
  -- stalled after its success was recorded. A retry by hand sets the record back first.
  if status == 'succeeded' or status == 'failed' or status == 'cancelled' then return 'final' end
end
if not exists then return 'ok' end

-- A note on a run in flight (retrying, retried, buffered) ends with the attempt it was about; a
-- cancel request stays visible until the run ends.
if action ~= 'retrying' and redis.call('HGET', KEYS[1], 'reason') ~= 'cancel-requested' then
  redis.call('HSET', KEYS[1], 'reason', '')
end
local scheduleId = redis.call('HGET', KEYS[1], 'scheduleId')
local runId = redis.call('HGET', KEYS[1], 'runId')
local status = action
if action == 'start' then
  status = 'running'
  redis.call('HSET', KEYS[1], 'status', 'running', 'attempts', ARGV[3], 'worker', ARGV[4], 'startedAt', ARGV[2], 'updatedAt', ARGV[2])
elseif action == 'succeeded' then
  redis.call('HSET', KEYS[1], 'status', 'succeeded', 'attempts', ARGV[3], 'result', ARGV[5], 'error', '', 'durationMs', ARGV[6],
    'finishedAt', ARGV[2], 'updatedAt', ARGV[2])
elseif action == 'retrying' then
  status = 'enqueued'
  redis.call('HSET', KEYS[1], 'status', 'enqueued', 'reason', 'retrying', 'attempts', ARGV[3], 'error', ARGV[5], 'durationMs', ARGV[6],
    'updatedAt', ARGV[2])
elseif action == 'failed' then
  redis.call('HSET', KEYS[1], 'status', 'failed', 'attempts', ARGV[3], 'error', ARGV[5], 'durationMs', ARGV[6], 'finishedAt', ARGV[2],
    'updatedAt', ARGV[2])
else
  return 'ok'
end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[7], '*', 'type', 'run.' .. (action == 'start' and 'started' or action),
  'scheduleId', scheduleId, 'runId', runId, 'fireTime', redis.call('HGET', KEYS[1], 'fireTime'), 'status', status,
  'reason', action == 'retrying' and 'retrying' or '', 'count', '1', 'time', ARGV[2], 'attempt', ARGV[3], 'worker', ARGV[4])
return 'ok'
