--[[
  Adds a schedule, or replaces or keeps an existing one per the conflict policy.

  KEYS[1] schedule hash (state)                      KEYS[2] definition string
  KEYS[3] ids sorted set   KEYS[4] due sorted set    KEYS[5] events stream
  ARGV[1] schedule id      ARGV[2] spec JSON         ARGV[3] conflict policy: error | replace | keep
  ARGV[4] cluster time (ms)                          ARGV[5] '1' to create it paused
  ARGV[6] last nominal fire time (fire times after it are due)
  ARGV[7] next nominal fire time, '' when none       ARGV[8] next jittered fire time
  ARGV[9] approximate events stream length           ARGV[10] changes channel
  ARGV[11] the schedule's task (for the event)       ARGV[12] key prefix `sundial:{<ns>}`
  ARGV[13] the schedule's queue                      ARGV[14] '0' to leave out the change notice
                                                    (a bulk add sends one per batch); absent: sent

  What it writes: lua/includes/add-schedule.lua. Returns 'created', 'replaced', 'kept' or 'conflict'.
]]
--- @include "definition"
--- @include "add-schedule"

local outcome = putSchedule(
  { schedule = KEYS[1], definition = KEYS[2], ids = KEYS[3], due = KEYS[4], events = KEYS[5] },
  {
    id = ARGV[1], specJson = ARGV[2], policy = ARGV[3], now = ARGV[4], paused = ARGV[5], last = ARGV[6], next = ARGV[7],
    nextAt = ARGV[8], eventsMaxLen = ARGV[9], task = ARGV[11], base = ARGV[12], queue = ARGV[13],
  })
if (outcome == 'created' or outcome == 'replaced') and ARGV[14] ~= '0' then redis.call('PUBLISH', ARGV[10], ARGV[1]) end
return outcome
