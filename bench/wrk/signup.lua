-- signup.lua: wrk script for the durable-write scenario of `make bench`. BENCH_PAIRS names a
-- file of "TOKEN ACTIVITY_ID" lines (volunteer API tokens and activities of their own
-- community); wrk thread i of n takes every n-th pair, so no pair is sent twice until a thread
-- has used all of its own. Each request signs the token's volunteer up (POST, empty body).
-- done() prints the same BENCH_JSON line as report.lua.
local pairs_file = os.getenv("BENCH_PAIRS")
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
local counter = 0
local threads = {}

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local list, idx = {}, 0

function init(args)
  local n = 0
  for line in io.lines(pairs_file) do
    if n % nthreads == tid then
      local tok, act = line:match("^(%S+) (%d+)$")
      if tok then list[#list + 1] = { tok, act } end
    end
    n = n + 1
  end
end

function request()
  idx = idx % #list + 1
  local p = list[idx]
  return wrk.format("POST", "/api/v1/activities/" .. p[2] .. "/signups",
    { ["Authorization"] = "Bearer " .. p[1], ["Content-Type"] = "application/json" }, "{}")
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\nBENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"errors_connect":%d,"errors_read":%d,' ..
    '"errors_write":%d,"errors_status":%d,"errors_timeout":%d,"lat_mean_us":%.1f,"lat_max_us":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"p999_us":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.max, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9)))
end
