--[[
  Helpers of the leader's commit scripts (`commitFires`, `commitRequest`), after "runs". A commit
  takes its runs from JSON without their BullMQ jobs; each job follows in ARGV as JSON text of its
  own, so it is not escaped twice on the way in.
]]

-- Gives each run its job, read from ARGV at `index` on (one per run, in order), and returns the
-- index after the last.
local function attachJobs(runs, index)
  for _, run in ipairs(runs) do
    run.jobJson = ARGV[index]
    index = index + 1
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
