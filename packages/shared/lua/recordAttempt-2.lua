--[[
  Records what a worker does with a run: starting an attempt, or its outcome, with its events.

  KEYS[1] run hash         KEYS[2] events stream
  ARGV[1] action: start | succeeded | retrying | failed | cancelled
  ARGV[2] cluster time (ms)       ARGV[3] attempt (1-based; '' for start, which works it out)
  ARGV[4] worker id               ARGV[5] result JSON ('succeeded') or error message
  ARGV[6] duration of the attempt in ms ('' for start)
  ARGV[7] approximate events stream length
  ARGV[8] the run's task          ARGV[9] the error as events carry it (shortened; '' for none)
  ARGV[10] '1' when the attempt hit its time limit ('retrying' and 'failed' only)
  ARGV[11] the job's BullMQ attemptsMade (start only)
  ARGV[12..14] attempt, round, roundStart: the attempt state the job's data carries (written by
    older workers; start only, '' for none)

  Attempt state: start works out the attempt about to begin from the state the record keeps
  (`attempts`, `round`, `roundStart`), or, in a record that keeps no round yet, from the one the
  job carries, by the rule of `nextAttempt` (src/runs/attempt-state.ts): the previous attempt + 1,
  in a new round (the job failed for good and was retried by hand) when the stored round differs
  from attemptsMade. It stores it in the record.

  Events: start -> run.started; succeeded -> run.succeeded; retrying -> [run.timed_out]
  run.retrying; failed -> [run.timed_out] run.failed; cancelled -> run.cancelled (reason
  'cancel-previous' when the overlap policy asked for it, i.e. the record carries the note
  'cancel-requested', else 'operator').

  Returns { code, fireAt, cancelReason, attempt, round, roundStart }: code 'ok', 'final' (start
  only: the run already succeeded, failed or was cancelled, so a duplicate job of a finished run
  must not run again) or 'unrecorded' (the run has no record, e.g. trimmed from the history: it
  is run and not recorded, and its attempt state stays in its job); fireAt is when the run was
  due, jitter included (ms, '' when unknown); cancelReason the reason recorded for 'cancelled'
  ('' otherwise); attempt, round and roundStart the state start stored (start with 'ok' only).
]]
local action = ARGV[1]
if redis.call('EXISTS', KEYS[1]) == 0 then return { 'unrecorded', '', '' } end
local run = redis.call('HMGET', KEYS[1], 'status', 'reason', 'scheduleId', 'runId', 'fireTime', 'fireAt', 'attempts', 'round', 'roundStart')
local fireAt = run[6] or ''
local now, attempt, worker, task, eventError = ARGV[2], ARGV[3], ARGV[4], ARGV[8], ARGV[9]
local round, roundStart
if action == 'start' then
  -- A final record blocks any further attempt: a duplicate job of a finished run, or a job that
  -- stalled after its success was recorded. A retry by hand sets the record back first.
  if run[1] == 'succeeded' or run[1] == 'failed' or run[1] == 'cancelled' then return { 'final', fireAt, '' } end
  local previous = run[7]
  round, roundStart = run[8], run[9]
  -- A record kept by an older worker has no round: the job's data carries the state then.
  if not round then previous, round, roundStart = ARGV[12], ARGV[13], ARGV[14] end
  local attemptsMade = tonumber(ARGV[11])
  attempt = (tonumber(previous) or 0) + 1
  if tonumber(round) == attemptsMade then
    round, roundStart = attemptsMade, tonumber(roundStart)
  else
    round, roundStart = attemptsMade, attempt
  end
end

-- Appends one event of this run; empty fields are left out, `time` comes last.
local function emit(eventType, status, reason, withError)
  local fields = { 'type', eventType }
  local optional = { 'scheduleId', run[3], 'runId', run[4], 'fireTime', run[5], 'status', status, 'reason', reason,
    'count', '1', 'attempt', attempt, 'task', task, 'error', withError and eventError or '', 'worker', worker }
  for i = 1, #optional, 2 do
    local value = optional[i + 1]
    if value and value ~= '' then
      fields[#fields + 1] = optional[i]
      fields[#fields + 1] = value
    end
  end
  fields[#fields + 1] = 'time'
  fields[#fields + 1] = now
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[7], '*', unpack(fields))
end

local cancelRequested = run[2] == 'cancel-requested'
-- A note on a run in flight (retrying, retried, buffered) ends with the attempt it was about; a
-- cancel request stays visible until the run ends.
if action ~= 'retrying' and not cancelRequested then redis.call('HSET', KEYS[1], 'reason', '') end
if ARGV[10] == '1' and (action == 'retrying' or action == 'failed') then
  emit('run.timed_out', action == 'retrying' and 'enqueued' or 'failed', 'timeout', true)
end
if action == 'start' then
  redis.call('HSET', KEYS[1], 'status', 'running', 'attempts', attempt, 'round', round, 'roundStart', roundStart, 'worker', worker,
    'startedAt', now, 'updatedAt', now)
  emit('run.started', 'running', '', false)
  return { 'ok', fireAt, '', attempt, round, roundStart }
elseif action == 'succeeded' then
  redis.call('HSET', KEYS[1], 'status', 'succeeded', 'attempts', attempt, 'result', ARGV[5], 'error', '', 'durationMs', ARGV[6],
    'finishedAt', now, 'updatedAt', now)
  emit('run.succeeded', 'succeeded', '', false)
elseif action == 'retrying' then
  redis.call('HSET', KEYS[1], 'status', 'enqueued', 'reason', 'retrying', 'attempts', attempt, 'error', ARGV[5],
    'durationMs', ARGV[6], 'updatedAt', now)
  emit('run.retrying', 'enqueued', 'retrying', true)
elseif action == 'failed' then
  redis.call('HSET', KEYS[1], 'status', 'failed', 'attempts', attempt, 'error', ARGV[5], 'durationMs', ARGV[6],
    'finishedAt', now, 'updatedAt', now)
  emit('run.failed', 'failed', '', true)
elseif action == 'cancelled' then
  local reason = cancelRequested and 'cancel-previous' or 'operator'
  redis.call('HSET', KEYS[1], 'status', 'cancelled', 'reason', reason, 'attempts', attempt, 'error', ARGV[5],
    'durationMs', ARGV[6], 'finishedAt', now, 'updatedAt', now)
  emit('run.cancelled', 'cancelled', reason, true)
  return { 'ok', fireAt, reason }
else
  return redis.error_reply('recordAttempt: unknown action ' .. tostring(action))
end
return { 'ok', fireAt, '' }
