--[[
  Adds many schedules in one call, each as `addSchedule` would (per the conflict policy, without
  change notices: the caller sends one per batch). The bulk path of `addMany`. Each schedule's
  hash and definition are `<prefix>:schedule:<id>` and `<prefix>:def:<id>`, in the namespace's
  hash tag like the declared keys.

  KEYS[1] ids sorted set   KEYS[2] due sorted set    KEYS[3] events stream
  ARGV[1] conflict policy: error | replace | keep    ARGV[2] cluster time (ms)
  ARGV[3] approximate events stream length           ARGV[4] key prefix `sundial:{<ns>}`
  ARGV[5...] for each schedule, 8 arguments: id, spec JSON, '1' to create it paused,
    last nominal fire time, next nominal fire time ('' when none), next jittered fire time,
    task, queue

  What it writes: lua/includes/add-schedule.lua. Returns the outcome of each schedule, in order:
  'created', 'replaced', 'kept' or 'conflict'.
]]
--- @include "definition"
--- @include "add-schedule"

local base = ARGV[4]
local outcomes = {}
for index = 5, #ARGV, 8 do
  local id = ARGV[index]
  outcomes[#outcomes + 1] = putSchedule(
    { schedule = base .. ':schedule:' .. id, definition = base .. ':def:' .. id, ids = KEYS[1], due = KEYS[2], events = KEYS[3] },
    {
      id = id, specJson = ARGV[index + 1], policy = ARGV[1], now = ARGV[2], paused = ARGV[index + 2], last = ARGV[index + 3],
      next = ARGV[index + 4], nextAt = ARGV[index + 5], task = ARGV[index + 6], queue = ARGV[index + 7],
      base = base, eventsMaxLen = ARGV[3],
    })
end
return outcomes
