-- wrk script for the token store bench (bench/tokenstore/wrk-load.ts runs it).
-- Arguments after `--`: a targets file ("<path>\t<authorization>" per line; "-" = the URL's own
-- path, no header) and a mean think time in ms (0 = none: each connection sends as soon as its
-- answer arrives). Think times are drawn from an exponential distribution, so at a given mean the
-- aggregate rate is smooth rather than bursting at each second's start
-- (https://github.com/wg/wrk/blob/master/SCRIPTING).
local requests = {}
local next_index = 0
local think_ms = 0

function init(args)
  local file = args[1]
  think_ms = tonumber(args[2] or "0") or 0
  if file and file ~= "-" then
    for line in io.lines(file) do
      local path, authorization = line:match("^([^\t]+)\t(.+)$")
      if path then
        requests[#requests + 1] = wrk.format("GET", path, { ["Authorization"] = authorization })
      end
    end
  end
  -- Each thread starts at its own place in the list, so threads do not read in lockstep.
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
  if #requests > 0 then next_index = math.random(#requests) - 1 end
end

function request()
  if #requests == 0 then return wrk.format() end
  next_index = next_index % #requests + 1
  return requests[next_index]
end

function delay()
  if think_ms <= 0 then return 0 end
  return math.floor(-think_ms * math.log(1 - math.random()) + 0.5)
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"non2xx":%d,"errors":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
