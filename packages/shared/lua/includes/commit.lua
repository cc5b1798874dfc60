--[[
  Helpers of the leader's commit scripts (`commitFires`, `commitRequest`), after "runs". A commit
  takes its runs from JSON without their BullMQ jobs' data and options; each run's options and
  data follow in ARGV as JSON text of their own, so they are not escaped twice on the way in.
]]

-- Gives each run its job's options and data, read from ARGV at `index` on (two per run, in
-- order), and returns the index after the last.
local function attachJobs(runs, index)
  for _, run in ipairs(runs) do
    run.optsJson = ARGV[index]
    run.dataJson = ARGV[index + 1]
    index = index + 2
  end
  return index
end

-- Admits `runs` in order under `policy`, then trims the schedule's history. Returns the commit's
-- result: { 0, outcome of each run, in order }.
local function admitRuns(ctx, policy, runs)
  local result = { 0 }
  for _, run in ipairs(runs) do
    result[#result + 1] = admitRun(ctx, policy, run)
  end
  trimHistory(ctx)
  return result
end
