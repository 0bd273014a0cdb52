-- writes.lua: wrk script for the durable-write scenario of `make bench`: sign-ups and QR
-- check-ins, alternately. BENCH_PAIRS names a file of "TOKEN ACTIVITY_ID" lines (volunteer API
-- tokens and coming activities of their own community), BENCH_CHECKINS one of
-- "TOKEN ACTIVITY_ID QR_TOKEN" lines (a token holder and the QR code of their community's
-- service day, under way). wrk thread i of n takes every n-th line of each, so no request is
-- sent twice until a thread has used all of its own. done() prints the same BENCH_JSON line as
-- report.lua.
local pairs_file = os.getenv("BENCH_PAIRS")
local checkins_file = os.getenv("BENCH_CHECKINS")
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

local signups, checkins, si, ci, n = {}, {}, 0, 0, 0

local function load(file, pattern, into)
  local i = 0
  for line in io.lines(file) do
    if i % nthreads == tid then
      local a, b, c = line:match(pattern)
      if a then into[#into + 1] = { a, b, c } end
    end
    i = i + 1
  end
end

function init(args)
  load(pairs_file, "^(%S+) (%d+)$", signups)
  if checkins_file and checkins_file ~= "" then load(checkins_file, "^(%S+) (%d+) (%S+)$", checkins) end
end

function request()
  n = n + 1
  -- each holder checks in once; when all have, only sign-ups follow (a repeated scan
  -- answers 409 and writes nothing: it would not be a write)
  if n % 2 == 0 and ci < #checkins then
    ci = ci + 1
    local c = checkins[ci]
    return wrk.format("POST", "/api/v1/activities/" .. c[2] .. "/checkin",
      { ["Authorization"] = "Bearer " .. c[1], ["Content-Type"] = "application/json" },
      '{"token":"' .. c[3] .. '"}')
  end
  si = si % #signups + 1
  local p = signups[si]
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
