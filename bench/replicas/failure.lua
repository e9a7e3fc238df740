-- wrk script for the replica benchmark's failure run: POSTs the bodies of a file (one a line), in
-- turn, as bench/service/match.lua does, and counts the answers second by second (2xx and the
-- rest), so that the dip when a replica dies shows as a timeline rather than only in wrk's totals.
-- wrk -s bench/replicas/failure.lua URL -- BODIES.jsonl API_KEY
local bodies = {}
local next_body = 0
-- Per epoch second: ok[second], bad[second]. Read by done() through the thread objects.
ok = {}
bad = {}

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    bodies[#bodies + 1] = line
  end
  next_body = math.random(#bodies)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. args[2]
end

function request()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next_body])
end

function response(status, headers, body)
  local second = os.time()
  if status >= 200 and status < 300 then
    ok[second] = (ok[second] or 0) + 1
  else
    bad[second] = (bad[second] or 0) + 1
  end
end

function done(summary, latency, requests)
  local seconds = {}
  local oks, bads = {}, {}
  for _, thread in ipairs(threads) do
    for second, n in pairs(thread:get("ok")) do
      oks[second] = (oks[second] or 0) + n
      seconds[second] = true
    end
    for second, n in pairs(thread:get("bad")) do
      bads[second] = (bads[second] or 0) + n
      seconds[second] = true
    end
  end
  local sorted = {}
  for second in pairs(seconds) do
    sorted[#sorted + 1] = second
  end
  table.sort(sorted)
  io.write("timeline: epoch_second 2xx other\n")
  for _, second in ipairs(sorted) do
    io.write(string.format("timeline: %d %d %d\n", second, oks[second] or 0, bads[second] or 0))
  end
end
