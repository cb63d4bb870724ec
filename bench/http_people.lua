-- wrk script of bench/http_load.py: every request acts as one of the seeded people.
--
-- wrk ... -s bench/http_people.lua URL -- MODE PEOPLE_FILE THREADS
-- MODE: today, set, progress, ics (the app) or page, write (the bare FastAPI ceiling).
-- PEOPLE_FILE, one person a line, tab-separated: login cookie, csrftoken cookie, the page's
-- CSRF token, open session id, calendar token, planned sets as exercise:kind:number,...
--
-- wrk runs Lua per thread, not per connection: each thread takes its share of the people and
-- cycles through them request by request, so with as many people as connections each person
-- has about one request in flight. Set saves cycle through the open session's planned sets
-- (upserts keyed by session, exercise and number), with a changing amount.
-- done() prints one RESULT line that bench/http_load.py reads; wrk counts only statuses >= 400 as
-- errors, so 2xx is checked here (a 303 to the login page would otherwise pass for a page).

local threads = {}
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local function split(text, separator)
  local parts = {}
  for part in string.gmatch(text, "([^" .. separator .. "]+)") do
    table.insert(parts, part)
  end
  return parts
end

local function read_person(line, index)
  local fields = split(line, "\t")
  local slots = {}
  for _, slot in ipairs(split(fields[6], ",")) do
    local parts = split(slot, ":")
    table.insert(slots, { exercise = parts[1], kind = parts[2], number = parts[3] })
  end
  return {
    index = index,
    cookie = "backcoach_session=" .. fields[1] .. "; csrftoken=" .. fields[2],
    token = fields[3],
    session = fields[4],
    calendar = fields[5],
    slots = slots,
    saves = 0,
  }
end

function init(args)
  mode = args[1]
  local thread_count = tonumber(args[3])
  local everyone = {}
  people = {}
  local index = 0
  for line in io.lines(args[2]) do
    if line ~= "" then
      local person = read_person(line, index)
      table.insert(everyone, person)
      if index % thread_count == id - 1 then
        table.insert(people, person)
      end
      index = index + 1
    end
  end
  if #people == 0 then -- fewer people than threads: share them
    people = everyone
  end
  turn = 0
  non2xx = 0
end

local function set_body(person)
  person.saves = person.saves + 1
  local slot = person.slots[(person.saves - 1) % #person.slots + 1]
  local amount = 5 + person.saves % 10
  return "exercise_id=" .. slot.exercise .. "&number=" .. slot.number .. "&" .. slot.kind
    .. "=" .. amount .. "&felt=target"
end

function request()
  turn = turn + 1
  local person = people[(turn - 1) % #people + 1]
  if mode == "today" or mode == "progress" then
    return wrk.format("GET", "/" .. mode, { ["Cookie"] = person.cookie })
  elseif mode == "ics" then
    return wrk.format("GET", "/calendar/" .. person.calendar .. ".ics")
  elseif mode == "set" then
    local headers = {
      ["Cookie"] = person.cookie,
      ["x-csrftoken"] = person.token,
      ["Accept"] = "application/json",
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }
    return wrk.format("POST", "/session/" .. person.session .. "/sets", headers, set_body(person))
  elseif mode == "page" then
    return wrk.format("GET", "/ceiling/page")
  elseif mode == "write" then
    local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
    local path = "/ceiling/write?person=" .. person.index
    return wrk.format("POST", path, headers, set_body(person))
  end
  error("unknown mode " .. tostring(mode))
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f p50=%d p95=%d p99=%d non2xx=%d socket=%d timeout=%d\n",
    summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    bad, errors.connect + errors.read + errors.write, errors.timeout
  ))
end
