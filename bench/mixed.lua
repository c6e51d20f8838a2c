-- wrk script: the mixed load of issue 25 on one server.  Of every 100
-- requests: 68 board lists (17 each: the plain list, light=red,
-- status=assigned, offset=100), 1 dashboard (驾驶舱, GET /dashboard),
-- 1 inbox (待办, GET /api/v1/inbox as a handler: its lists hold up to 200
-- items each, the heaviest answer here), 20 durable creates and 10 item
-- reads (a random id among the seeded items).  Tokens and the item
-- count come from the environment: LUOSHI_TOKEN (supervisor),
-- LUOSHI_HANDLER_TOKEN, LUOSHI_ITEMS.
local sup = "Bearer " .. os.getenv("LUOSHI_TOKEN")
local handler = "Bearer " .. (os.getenv("LUOSHI_HANDLER_TOKEN") or os.getenv("LUOSHI_TOKEN"))
local items = tonumber(os.getenv("LUOSHI_ITEMS") or "100000")
local body = '{"kind":"task","title":"基准新建事项","lead_unit_id":5,"deadline":"2030-06-30","feedback_cycle":"monthly"}'
local lists = {"/api/v1/items?limit=25", "/api/v1/items?limit=25&light=red",
               "/api/v1/items?limit=25&status=assigned", "/api/v1/items?limit=25&offset=100"}
local get = {["Authorization"] = sup}
local post = {["Authorization"] = sup, ["Content-Type"] = "application/json"}
local inbox = {["Authorization"] = handler}
local n = 0

function setup(thread)
  thread:set("seed", math.random(1, 1000000))
end

function init(args)
  math.randomseed(seed or 1)
end

function request()
  n = n + 1
  local r = math.random(100)
  if r <= 68 then
    return wrk.format("GET", lists[(r % 4) + 1], get)
  elseif r <= 69 then
    return wrk.format("GET", "/dashboard", get)
  elseif r <= 70 then
    return wrk.format("GET", "/api/v1/inbox", inbox)
  elseif r <= 90 then
    return wrk.format("POST", "/api/v1/items", post, body)
  end
  return wrk.format("GET", "/api/v1/items/" .. math.random(1, items), get)
end
