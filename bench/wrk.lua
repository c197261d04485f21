-- wrk script for Doitong's benchmark (used by bench/wrk.py).
-- Arguments after "--": keys_file method path [body_file]
-- Rotates the bench keys over requests, reads every response, counts non-2xx and
-- GraphQL "errors" bodies, sums X-Query-Count, and prints one JSON line at the end.

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  local keys = {}
  for line in io.lines(args[1]) do
    if #line > 0 then keys[#keys + 1] = line end
  end
  local body = nil
  if args[4] ~= nil and #args[4] > 0 then
    local f = assert(io.open(args[4], "rb"))
    body = f:read("*a")
    f:close()
  end
  reqs = {}
  for i, key in ipairs(keys) do
    local headers = { ["Authorization"] = "Bearer " .. key, ["Accept"] = "application/json" }
    if body ~= nil then headers["Content-Type"] = "application/json" end
    reqs[i] = wrk.format(args[2], args[3], headers, body)
  end
  idx = (id * 17) % #reqs
  non2xx = 0
  gql_errors = 0
  qsum = 0
  qn = 0
  first_error = ""
  statuses = {}
end

function request()
  idx = idx % #reqs + 1
  return reqs[idx]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local qc = headers["X-Query-Count"] or headers["x-query-count"]
  if qc ~= nil then
    qsum = qsum + tonumber(qc)
    qn = qn + 1
  end
  local failed = false
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    failed = true
  elseif body ~= nil and string.find(body, '"errors"', 1, true) then
    gql_errors = gql_errors + 1
    failed = true
  end
  if failed and first_error == "" then
    first_error = "HTTP " .. status .. ": " .. string.sub(body or "", 1, 300)
  end
end

local function json_string(s)
  return '"' .. string.gsub(s, '[%c"\\]', function(c)
    return string.format("\\u%04x", string.byte(c))
  end) .. '"'
end

function done(summary, latency, requests)
  local t = { non2xx = 0, gql_errors = 0, qsum = 0, qn = 0 }
  local first = ""
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
    t.non2xx = t.non2xx + thread:get("non2xx")
    t.gql_errors = t.gql_errors + thread:get("gql_errors")
    t.qsum = t.qsum + thread:get("qsum")
    t.qn = t.qn + thread:get("qn")
    if first == "" then first = thread:get("first_error") end
  end
  local parts = {}
  for status, n in pairs(counts) do
    parts[#parts + 1] = string.format('"%d": %d', status, n)
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, '
      .. '"timeout": %d, "status": %d, "non2xx": %d, "gql_errors": %d, "qsum": %d, "qn": %d, '
      .. '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "first_error": %s, "statuses": {%s}}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status,
    t.non2xx, t.gql_errors, t.qsum, t.qn,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    json_string(first), table.concat(parts, ", ")))
end
