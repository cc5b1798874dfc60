--[[
  Admits an operator's request (trigger now, backfill) under the schedule's overlap policy and
  deletes the request, fenced. The schedule's last and next fire times stay as they are. A leader
  that lost its lease changes nothing.

  KEYS[1] leader lease          KEYS[4] due sorted set
  KEYS[2] fencing epoch         KEYS[5] requests hash (trigger-now and backfill)
  KEYS[3] schedule hash         KEYS[6] events stream (declared; written through helpers)

  ARGV[1] lease token           ARGV[2] epoch
  ARGV[3] cluster time (ms)
  ARGV[4] key prefix `sundial:{<ns>}`     ARGV[5] BullMQ key prefix
  ARGV[6] runs kept per schedule          ARGV[7] approximate length of the events stream
  ARGV[8] request id
  ARGV[9] JSON: { scheduleId, queue, task (for events), overlap, maxInstances, force,
                  runs: [{ runId, kind, nominalMs, fireAtMs, name, priority }] } (the runs' times as decimal text)
  ARGV[10...] the BullMQ job options and data (JSON text, two arguments) of each run, in order

  Returns { 1 } when the lease is lost, { 3 } when the schedule is gone (the request is deleted),
  else { 0, outcome of each run ('enqueued' | 'buffered' | 'skipped' | 'duplicate'), in order }.
]]
--- @include "fence"
--- @include "bullmq-job"
--- @include "runs"
--- @include "commit"

if not holdsLease(KEYS[1], KEYS[2], ARGV[1], ARGV[2]) then return { 1 } end

local request = cjson.decode(ARGV[9])
attachJobs(request.runs, 10)
local ctx = {
  base = ARGV[4], bull = ARGV[5], now = ARGV[3], scheduleId = request.scheduleId, queue = request.queue, task = request.task,
  historyLimit = tonumber(ARGV[6]), eventsMaxLen = tonumber(ARGV[7]), epoch = ARGV[2],
}

redis.call('HDEL', KEYS[5], ARGV[8])
if redis.call('EXISTS', KEYS[3]) == 0 then
  redis.call('ZREM', KEYS[4], request.scheduleId)
  return { 3 }
end
return admitRuns(ctx, { overlap = request.overlap, maxInstances = request.maxInstances, force = request.force }, request.runs)
