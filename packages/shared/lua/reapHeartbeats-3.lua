--[[
  Removes expired heartbeats: a worker whose heartbeat expired gets one `worker.left` event
  (reason `expired`), written with its removal so that however many coordinators call this, it
  is written once. Expired coordinator heartbeats are removed without an event.

  KEYS[1] workers hash    KEYS[2] coordinators hash    KEYS[3] events stream
  ARGV[1] cluster time (ms)                            ARGV[2] approximate events stream length

  Returns the ids of the workers removed.
]]
local now = tonumber(ARGV[1])

-- A heartbeat that is not JSON with a numeric `expiresAt` is as good as expired.
local function expired(text)
  local ok, beat = pcall(cjson.decode, text)
  return not ok or type(beat) ~= 'table' or type(beat.expiresAt) ~= 'number' or beat.expiresAt <= now
end

local removed = {}
local workers = redis.call('HGETALL', KEYS[1])
for i = 1, #workers, 2 do
  local id = workers[i]
  if expired(workers[i + 1]) then
    redis.call('HDEL', KEYS[1], id)
    redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], '*', 'type', 'worker.left', 'worker', id, 'reason', 'expired', 'time', ARGV[1])
    removed[#removed + 1] = id
  end
end
local coordinators = redis.call('HGETALL', KEYS[2])
for i = 1, #coordinators, 2 do
  if expired(coordinators[i + 1]) then redis.call('HDEL', KEYS[2], coordinators[i]) end
end
return removed
