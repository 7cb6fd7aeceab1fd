-- wrk script for bench/server.py: count the answers that are not 2xx and print the run's
-- figures as one JSON line, "bench-summary {...}", after wrk's own report.
--
-- With a file argument (`wrk ... -s summary.lua URL -- steps.tsv`), each thread sends the
-- file's requests in turn, one a line: method, path, body and "Name: value|..." headers,
-- separated by tabs. The command line's headers (the session cookie) go with every one.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non_2xx = 0
  steps = {}
  step = 0
  if args[1] then
    for line in io.lines(args[1]) do
      local method, path, body, fields = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
      local headers = {}
      for name, value in pairs(wrk.headers) do
        headers[name] = value
      end
      for pair in fields:gmatch("[^|]+") do
        local name, value = pair:match("^([^:]+):%s*(.*)$")
        headers[name] = value
      end
      if body == "" then
        body = nil
      end
      table.insert(steps, wrk.format(method, path, headers, body))
    end
  end
end

function request()
  if #steps == 0 then
    return wrk.request()
  end
  step = step % #steps + 1
  return steps[step]
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
  end
end

function done(summary, latency, requests)
  local non_2xx_total = 0
  for _, thread in ipairs(threads) do
    non_2xx_total = non_2xx_total + thread:get("non_2xx")
  end
  local errors = summary.errors
  io.write(string.format(
    'bench-summary {"requests": %d, "duration_us": %d, "bytes": %d, "non_2xx": %d, '
      .. '"socket_errors": %d, "p50_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, non_2xx_total,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max
  ))
end
