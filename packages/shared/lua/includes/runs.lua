--[[
  Helpers shared by the scripts that record runs. `ctx` carries:
    base        key prefix `sundial:{<ns>}`
    bull        BullMQ key prefix
    now         cluster time in ms
    epoch       fencing epoch of the leader (leader scripts only), kept on enqueued runs
    scheduleId, queue
    task        the schedule's task, when known (added to events and run records)
    historyLimit  runs kept per schedule
    eventsMaxLen  approximate length of the events stream
]]

-- Appends an event to the events stream; empty fields are left out (a count only when given).
local function emitEvent(ctx, eventType, runId, fireTime, status, reason, count)
  local fields = { 'type', eventType, 'scheduleId', ctx.scheduleId }
  local optional = { 'runId', runId, 'fireTime', fireTime and tostring(fireTime) or '', 'status', status, 'reason', reason,
    'count', (count and count > 0) and tostring(count) or '', 'task', ctx.task }
  for i = 1, #optional, 2 do
    local value = optional[i + 1]
    if value ~= nil and value ~= '' then
      fields[#fields + 1] = optional[i]
      fields[#fields + 1] = value
    end
  end
  fields[#fields + 1] = 'time'
  fields[#fields + 1] = tostring(ctx.now)
  redis.call('XADD', ctx.base .. ':events', 'MAXLEN', '~', ctx.eventsMaxLen, '*', unpack(fields))
end

-- Writes a run record (or a range of fire times recorded together) and indexes it; `epoch` is
-- kept on runs the leader enqueues.
local function recordRun(ctx, runId, kind, nominalMs, fireAtMs, status, reason, count, lastNominalMs, epoch)
  local fields = {
    'runId', runId, 'scheduleId', ctx.scheduleId, 'kind', kind, 'queue', ctx.queue,
    'fireTime', nominalMs, 'fireAt', fireAtMs, 'lastFireTime', lastNominalMs or nominalMs, 'count', count or 1,
    'status', status, 'reason', reason or '', 'createdAt', ctx.now, 'updatedAt', ctx.now,
  }
  if ctx.task then
    fields[#fields + 1] = 'task'
    fields[#fields + 1] = ctx.task
  end
  if epoch then
    fields[#fields + 1] = 'epoch'
    fields[#fields + 1] = epoch
  end
  redis.call('HSET', ctx.base .. ':run:' .. runId, unpack(fields))
  redis.call('ZADD', ctx.base .. ':runs:' .. ctx.scheduleId, nominalMs, runId)
  redis.call('ZADD', ctx.base .. ':runs', nominalMs, runId)
  emitEvent(ctx, 'run.' .. status, runId, nominalMs, status, reason, count or 1)
end

-- Keeps the newest `historyLimit` runs of the schedule; older records are deleted.
local function trimHistory(ctx)
  local key = ctx.base .. ':runs:' .. ctx.scheduleId
  local excess = redis.call('ZCARD', key) - ctx.historyLimit
  if excess <= 0 then return end
  local old = redis.call('ZRANGE', key, 0, excess - 1)
  for _, runId in ipairs(old) do
    redis.call('DEL', ctx.base .. ':run:' .. runId)
    redis.call('ZREM', ctx.base .. ':runs', runId)
  end
  redis.call('ZREMRANGEBYRANK', key, 0, excess - 1)
end

-- Records fire times grouped by the planner (missed, coalesced) as one run record per range.
local function recordRanges(ctx, ranges)
  local scheduleKey = ctx.base .. ':schedule:' .. ctx.scheduleId
  for _, range in ipairs(ranges) do
    local runId = ctx.scheduleId .. '@' .. string.format('%d', range.firstNominalMs)
    if range.count > 1 then runId = runId .. '-' .. string.format('%d', range.lastNominalMs) end
    recordRun(ctx, runId, 'scheduled', range.firstNominalMs, range.firstNominalMs, range.status, range.reason,
      range.count, range.lastNominalMs)
    redis.call('HINCRBY', scheduleKey, range.status == 'paused' and 'pausedFires' or range.status, range.count)
  end
end

--[[
  Drops runs that are no longer in flight from the schedule's active set and returns how many
  remain. A run is in flight while its BullMQ job exists and is neither completed nor failed, or
  while it waits in the outbox (left there by an older coordinator), so a run whose worker died stays counted until BullMQ settles its job.
]]
local function pruneActive(ctx)
  local key = ctx.base .. ':active:' .. ctx.scheduleId
  local entries = redis.call('HGETALL', key)
  for i = 1, #entries, 2 do
    local runId = entries[i]
    local queue = string.match(entries[i + 1], '^(.-)|')
    local queueBase = ctx.bull .. ':' .. queue .. ':'
    local inOutbox = redis.call('ZSCORE', ctx.base .. ':outbox', runId)
    local settled = redis.call('ZSCORE', queueBase .. 'completed', runId) or redis.call('ZSCORE', queueBase .. 'failed', runId)
    local exists = redis.call('EXISTS', queueBase .. runId) == 1
    if not inOutbox and (settled or not exists) then redis.call('HDEL', key, runId) end
  end
  return redis.call('HLEN', key)
end

--[[
  Where the count of runs in flight does not matter (`allow`, a forced run), only keeps the active
  set from growing without end: it prunes when the set holds 32, 64, 128, ... runs. Runs settle
  while workers keep up, so the set stays small; while no worker takes them (all down) it grows,
  and the pruning still costs a constant amount per fire.
]]
local function pruneActiveSometimes(ctx)
  local size = redis.call('HLEN', ctx.base .. ':active:' .. ctx.scheduleId)
  if size < 32 then return end
  while size % 2 == 0 do size = size / 2 end
  if size == 1 then pruneActive(ctx) end
end

-- Adds a run's BullMQ job (after the "bullmq-job" include) and counts it as in flight. The job's
-- data and options stay JSON text: decoding and encoding them here would turn the user's empty
-- arrays into objects. A run buffered by an older coordinator carries its whole job as JSON text
-- (`jobJson`) instead: it goes to the outbox, for the leader's dispatcher to add.
local function enqueueRun(ctx, run)
  if run.dataJson then
    addBullJob(ctx.bull .. ':' .. ctx.queue .. ':', run.runId, run, jobTimestampMs())
  else
    redis.call('ZADD', ctx.base .. ':outbox', run.fireAtMs, run.runId)
    redis.call('HSET', ctx.base .. ':outbox:jobs', run.runId, run.jobJson)
  end
  redis.call('HSET', ctx.base .. ':active:' .. ctx.scheduleId, run.runId, ctx.queue .. '|' .. string.format('%d', run.fireAtMs))
  recordRun(ctx, run.runId, run.kind, run.nominalMs, run.fireAtMs, 'enqueued', '', 1, nil, ctx.epoch)
  redis.call('HINCRBY', ctx.base .. ':schedule:' .. ctx.scheduleId, 'enqueued', 1)
end

-- The oldest run in flight (smallest fire time), to cancel under `cancel-previous`.
local function oldestActive(ctx)
  local entries = redis.call('HGETALL', ctx.base .. ':active:' .. ctx.scheduleId)
  local oldestId, oldestAt, oldestQueue = nil, nil, nil
  for i = 1, #entries, 2 do
    local queue, at = string.match(entries[i + 1], '^(.-)|(%d+)$')
    at = tonumber(at)
    if oldestAt == nil or at < oldestAt then oldestId, oldestAt, oldestQueue = entries[i], at, queue end
  end
  return oldestId, oldestQueue
end

--[[
  Applies the overlap policy to one run and enqueues, buffers, skips or cancels accordingly.
  `policy` has overlap, maxInstances and force (an operator asked to ignore overlap).
  Returns the outcome: 'enqueued', 'buffered', 'skipped' or 'duplicate'.
]]
local function admitRun(ctx, policy, run)
  if redis.call('EXISTS', ctx.base .. ':run:' .. run.runId) == 1 then return 'duplicate' end
  if policy.force or policy.overlap == 'allow' then
    pruneActiveSometimes(ctx)
    enqueueRun(ctx, run)
    return 'enqueued'
  end
  local inFlight = pruneActive(ctx)
  if inFlight < policy.maxInstances then
    enqueueRun(ctx, run)
    return 'enqueued'
  end
  local scheduleKey = ctx.base .. ':schedule:' .. ctx.scheduleId
  if policy.overlap == 'skip' then
    recordRun(ctx, run.runId, run.kind, run.nominalMs, run.fireAtMs, 'skipped', 'overlap', 1)
    redis.call('HINCRBY', scheduleKey, 'skipped', 1)
    return 'skipped'
  end
  if policy.overlap == 'buffer-one' then
    if redis.call('HEXISTS', ctx.base .. ':buffered', ctx.scheduleId) == 1 then
      recordRun(ctx, run.runId, run.kind, run.nominalMs, run.fireAtMs, 'skipped', 'buffer-full', 1)
      redis.call('HINCRBY', scheduleKey, 'skipped', 1)
      return 'skipped'
    end
    -- The whole job as JSON text too, built without re-encoding the data: what a coordinator of
    -- the previous version (after a rollback) promotes a buffered fire from.
    if run.dataJson then
      run.jobJson = '{"queue":' .. cjson.encode(ctx.queue) .. ',"name":' .. cjson.encode(run.name) .. ',"data":' .. run.dataJson
        .. ',"opts":' .. run.optsJson .. '}'
    end
    redis.call('HSET', ctx.base .. ':buffered', ctx.scheduleId, cjson.encode({ run = run, queue = ctx.queue }))
    -- Recorded as enqueued (it will be), with the reason saying it waits for the running one.
    recordRun(ctx, run.runId, run.kind, run.nominalMs, run.fireAtMs, 'enqueued', 'buffered', 1)
    return 'buffered'
  end
  -- cancel-previous: cancel the oldest runs in flight until there is room, then enqueue.
  while inFlight >= policy.maxInstances do
    local victim, victimQueue = oldestActive(ctx)
    if victim == nil then break end
    redis.call('HDEL', ctx.base .. ':active:' .. ctx.scheduleId, victim)
    redis.call('HSET', ctx.base .. ':cancels', victim, victimQueue .. '|cancel-previous')
    -- No event yet: the run's `run.cancelled` (or its outcome, when it was already running) follows.
    redis.call('HSET', ctx.base .. ':run:' .. victim, 'reason', 'cancel-requested', 'updatedAt', ctx.now)
    inFlight = inFlight - 1
  end
  enqueueRun(ctx, run)
  return 'enqueued'
end
