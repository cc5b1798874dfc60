--[[
  Adds one schedule, or replaces or keeps an existing one per the conflict policy: the body of
  `addSchedule` and of `addSchedules` (after the "definition" include). `s` has:
    id, specJson, policy ('error' | 'replace' | 'keep'), now (cluster time, ms),
    paused ('1' to create it paused), last (fire times after it are due),
    next ('' when none), nextAt (next jittered fire time), task and queue,
    base (key prefix `sundial:{<ns>}`), eventsMaxLen
  `keys` has schedule (state hash), definition, ids, due and events.
  Keeps the paused-schedule set and the set of queue names up to date. A replaced schedule of the
  layout that held the definition in its hash (field `spec`) moves to the definition key.
  Writes `schedule.added` (created) or `schedule.updated` (replaced); keeping writes nothing.
  Returns 'created', 'replaced', 'kept' or 'conflict'.
]]
local function putSchedule(keys, s)
  local exists = redis.call('EXISTS', keys.schedule) == 1
  if exists and s.policy == 'keep' then return 'kept' end
  if exists and s.policy ~= 'replace' then return 'conflict' end

  local outcome = 'created'
  if exists then
    outcome = 'replaced'
    redis.call('HINCRBY', keys.schedule, 'version', 1)
    storeDefinition(keys.schedule, keys.definition, s.specJson)
  else
    redis.call('HSET', keys.schedule, 'version', 1, 'createdAt', s.now, 'enqueued', 0, 'missed', 0, 'skipped', 0, 'pausedFires', 0)
    redis.call('ZADD', keys.ids, s.now, s.id)
    redis.call('SET', keys.definition, s.specJson)
  end
  redis.call('HSET', keys.schedule, 'paused', s.paused, 'pausedAt', s.paused == '1' and s.now or '',
    'last', s.last, 'next', s.next, 'nextAt', s.nextAt, 'updatedAt', s.now)
  if s.paused == '1' then
    redis.call('SADD', s.base .. ':paused', s.id)
  else
    redis.call('SREM', s.base .. ':paused', s.id)
  end
  redis.call('SADD', s.base .. ':queues', s.queue)
  if s.paused == '1' or s.next == '' then
    redis.call('ZREM', keys.due, s.id)
  else
    redis.call('ZADD', keys.due, s.nextAt, s.id)
  end
  redis.call('XADD', keys.events, 'MAXLEN', '~', s.eventsMaxLen, '*', 'type', outcome == 'created' and 'schedule.added' or 'schedule.updated',
    'scheduleId', s.id, 'task', s.task, 'time', s.now)
  return outcome
end
