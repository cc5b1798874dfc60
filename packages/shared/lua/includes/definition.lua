--[[
  Stores a schedule's definition in its own key (`definition` JSON; nil keeps the stored one).
  A hash of the layout that held the definition in its field `spec` is written anew without it:
  Redis never turns a hash table back into a listpack, so deleting the field alone would leave
  the hash as large as before. The definition key wins over a `spec` field when both exist.
]]
local function storeDefinition(scheduleKey, definitionKey, definition)
  local legacy = redis.call('HGET', scheduleKey, 'spec')
  if legacy then
    local fields = redis.call('HGETALL', scheduleKey)
    local kept = {}
    for i = 1, #fields, 2 do
      if fields[i] ~= 'spec' then
        kept[#kept + 1] = fields[i]
        kept[#kept + 1] = fields[i + 1]
      end
    end
    redis.call('DEL', scheduleKey)
    redis.call('HSET', scheduleKey, unpack(kept))
    if definition == nil and redis.call('EXISTS', definitionKey) == 0 then definition = legacy end
  end
  if definition ~= nil then redis.call('SET', definitionKey, definition) end
end
