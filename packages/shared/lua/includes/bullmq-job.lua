--[[
  Adds a run's BullMQ job from inside a Sundial script, so that a run is committed and handed to
  its queue in one atomic step (docs/adr/0003-jobs-added-in-the-commit.md). It writes what BullMQ
  5's `addStandardJob` / `addPrioritizedJob` write for a job with a custom id and no delay, parent
  or deduplication: the job hash, the wait list (the paused list while the queue is paused) or the
  prioritized set, the marker that wakes blocked workers, and the `added` and `waiting` events.
  test/integration/bullmq-job-layout.test.ts pins this against the installed BullMQ.

  `queueBase` is `<BullMQ prefix>:<queue>:`; `job` has name, priority (0 for none), optsJson and
  dataJson (JSON text, stored as it is); `timestampMs` is when the job is added.
  Returns false, adding nothing, when a job with that id exists.
]]
local queueStates = {}

-- What BullMQ's add reads of a queue before adding a job (its events cap, whether it is paused or
-- at its global concurrency), read once per queue and script call: nothing else runs meanwhile,
-- and the script itself moves no job to active. `marked` records that the marker is set.
local function queueState(queueBase)
  local state = queueStates[queueBase]
  if state then return state end
  local metaKey = queueBase .. 'meta'
  local maxEvents = redis.call('HGET', metaKey, 'opts.maxLenEvents')
  if not maxEvents then
    maxEvents = 10000
    redis.call('HSET', metaKey, 'opts.maxLenEvents', maxEvents)
  end
  local meta = redis.call('HMGET', metaKey, 'paused', 'concurrency')
  local paused = meta[1] ~= false
  local maxed = meta[2] ~= false and redis.call('LLEN', queueBase .. 'active') >= tonumber(meta[2])
  state = { maxEvents = maxEvents, paused = paused, pausedOrMaxed = paused or maxed, marked = false }
  queueStates[queueBase] = state
  return state
end

local function addBullJob(queueBase, jobId, job, timestampMs)
  local jobKey = queueBase .. jobId
  if redis.call('EXISTS', jobKey) == 1 then return false end
  local queue = queueState(queueBase)
  redis.call('HSET', jobKey, 'name', job.name, 'data', job.dataJson, 'opts', job.optsJson, 'timestamp', timestampMs,
    'delay', '0', 'priority', job.priority)
  redis.call('XADD', queueBase .. 'events', '*', 'event', 'added', 'jobId', jobId, 'name', job.name)
  if job.priority > 0 then
    local counter = redis.call('INCR', queueBase .. 'pc')
    redis.call('ZADD', queueBase .. 'prioritized', job.priority * 0x100000000 + counter % 0x100000000, jobId)
  else
    redis.call('LPUSH', queue.paused and (queueBase .. 'paused') or (queueBase .. 'wait'), jobId)
  end
  -- BullMQ sets the marker with each job; setting it once per script call is the same to workers.
  if not queue.pausedOrMaxed and not queue.marked then
    redis.call('ZADD', queueBase .. 'marker', 0, '0')
    queue.marked = true
  end
  redis.call('XADD', queueBase .. 'events', 'MAXLEN', '~', queue.maxEvents, '*', 'event', 'waiting', 'jobId', jobId)
  return true
end

local addedAtMs
-- The job's `timestamp`, as text: Redis' time (the cluster clock) when the script first adds a job.
local function jobTimestampMs()
  if not addedAtMs then
    local time = redis.call('TIME')
    addedAtMs = time[1] .. string.format('%03d', math.floor(tonumber(time[2]) / 1000))
  end
  return addedAtMs
end
