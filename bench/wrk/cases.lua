-- One of the three case operations of bench/bench_load.py, for wrk:
--
--   BENCH_TOKEN=... wrk -c 32 -d 10s -s bench/wrk/cases.lua http://127.0.0.1:PORT/ -- OPERATION PATH IDS
--
-- OPERATION is page, read or create; PATH the collection (/api/t/t001/cases, /bare/t/1/cases);
-- IDS a file of numbers, one a line, written by the bench: page starts (after_id), case ids or
-- person ids. Each request picks one at random, so requests spread over the tenant's rows as
-- real traffic does instead of hitting one cached row. The bearer token comes from the
-- environment (BENCH_TOKEN, empty for the bare app), not the command line, where `ps` shows it.
-- done() prints one RESULT line of figures for the bench to parse (wrk's latencies are in µs).

local operation, path, ids, headers
local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("seed", #threads)
end

function init(args)
   operation, path = args[1], args[2]
   ids = {}
   for line in io.lines(args[3]) do
      ids[#ids + 1] = line
   end
   headers = {}
   local token = os.getenv("BENCH_TOKEN") or ""
   if token ~= "" then
      headers["Authorization"] = "Bearer " .. token
   end
   if operation == "create" then
      headers["Content-Type"] = "application/json"
   end
   math.randomseed(7919 * seed)
end

function request()
   local id = ids[math.random(#ids)]
   if operation == "page" then
      return wrk.format("GET", path .. "?limit=50&after_id=" .. id, headers)
   elseif operation == "read" then
      return wrk.format("GET", path .. "/" .. id, headers)
   end
   return wrk.format("POST", path, headers, '{"person_id": ' .. id .. ', "plugin": "example"}')
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d duration_us=%d p50_us=%.0f p99_us=%.0f connect=%d read=%d write=%d status=%d timeout=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
      e.connect, e.read, e.write, e.status, e.timeout))
end
