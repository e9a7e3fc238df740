-- wrk script for the report-intake benchmark: POSTs reports as a platform relays them, made up as
-- it goes (the same sequence on every run: a fixed seed, one wrk thread), and writes the id of
-- every report the server acknowledged (201) to a file, one a line, for the check after the run.
-- wrk -t1 -s bench/service/reports.lua URL/api/v1/reports -- API_KEY ACKED_IDS_FILE [SEED]
--
-- The mix, of every 100 reports:
--   55 the first report of new content (post-N by one of 50,000 accounts), from an established
--      user (account 30 to 3,000 days old); one in ten of those names the content by URL only;
--   25 another user's report of content reported a little earlier (one of the last 500 pieces):
--      the report joins that content's case (URL-only content by a differently written URL:
--      upper-case host, explicit default port, a #fragment);
--    5 a trusted flagger's report (4 flaggers) of content reported a little earlier;
--   15 a mass-report campaign: accounts made 0 to 6 days before, each reporting once, in bursts
--      of 60 reports (the first 60 of every 400) against one of 20 target accounts (3 posts each),
--      the next target for the next burst.
-- Reporter ids of users are drawn from a million, so a user now and then reports content twice
-- (kept, counted once). Post and new-account ids carry the seed, so a run with another seed
-- (the warm-up) reports other content; the target accounts are the same.
local key, acked_file, seed
local out
local sent = 0

local post = 0          -- posts made so far: post-1 .. post-N
local recent = {}       -- the last 500 posts, as {id, url, url_only}
local target = 0
local newcomer = 0
local reasons = {"terrorist_content", "violent_extremism", "glorification", "recruitment", "threat", "other"}
local words = {"praises the attack", "recruiting for a banned group", "shares the attacker's manifesto", "threatens a school",
  "glorifies the shooter", "call to violence", "propaganda video"}

function init(args)
  key = args[1]
  acked_file = args[2]
  seed = tonumber(args[3] or "20261205")
  math.randomseed(seed)
  out = assert(io.open(acked_file, "w"))
  -- A line at a time: wrk ends the thread without closing the file.
  out:setvbuf("line")
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. key
end

local function json_string(s)
  return '"' .. s .. '"'
end

local function body(fields)
  local parts = {}
  for _, kv in ipairs(fields) do
    if kv[2] ~= nil then
      parts[#parts + 1] = json_string(kv[1]) .. ":" .. kv[2]
    end
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

local function user()
  return json_string("user-" .. math.random(1000000))
end

local function new_post()
  post = post + 1
  local url_only = math.random(10) == 1
  local p = {
    id = "post-" .. seed .. "-" .. post,
    account = "acct-" .. math.random(50000),
    url_only = url_only,
    url = url_only and ("https://news.example.net/a/" .. seed .. "-" .. post) or ("https://example.org/p/" .. seed .. "-" .. post),
  }
  recent[(post - 1) % 500 + 1] = p
  return p
end

local function content(p, again)
  local url = p.url
  if again and p.url_only then
    -- The same page, written another way: the same canonical URL.
    url = "https://NEWS.Example.NET:443/a/" .. string.match(p.url, "([%d-]+)$") .. "#comments"
  end
  return p.url_only and nil or json_string(p.id), json_string(url), json_string(p.account)
end

local function earlier()
  if post == 0 then
    return new_post(), false
  end
  return recent[math.random(math.min(post, 500))], true
end

function request()
  local fields
  local r = math.random(85)
  local place = sent % 400
  sent = sent + 1
  if place < 60 then
    if place == 0 then
      target = target % 20 + 1
    end
    newcomer = newcomer + 1
    local victim = "target-" .. target
    local p = victim .. "-post-" .. math.random(3)
    fields = {{"reporter_id", json_string("new-" .. seed .. "-" .. newcomer)}, {"reporter_kind", '"user"'},
      {"reporter_account_age_days", tostring(math.random(0, 6))}, {"reason", '"other"'},
      {"content_id", json_string(p)}, {"url", json_string("https://example.org/" .. victim .. "/" .. p)},
      {"account", json_string(victim)}}
  elseif r <= 55 then
    local p = new_post()
    local id, url, account = content(p, false)
    fields = {{"reporter_id", user()}, {"reporter_kind", '"user"'}, {"reporter_account_age_days", tostring(math.random(30, 3000))},
      {"reason", json_string(reasons[math.random(#reasons)])}, {"details", json_string(words[math.random(#words)])},
      {"content_id", id}, {"url", url}, {"account", account}}
    if math.random(4) == 1 then
      fields[#fields + 1] = {"signals", '{"md5":"' .. string.format("%08x%08x%08x%08x", math.random(0, 0x7fffffff),
        math.random(0, 0x7fffffff), math.random(0, 0x7fffffff), post) .. '"}'}
    end
  elseif r <= 80 then
    local p, again = earlier()
    local id, url, account = content(p, again)
    fields = {{"reporter_id", user()}, {"reporter_kind", '"user"'}, {"reporter_account_age_days", tostring(math.random(30, 3000))},
      {"reason", json_string(reasons[math.random(#reasons)])}, {"content_id", id}, {"url", url}, {"account", account}}
  else
    local p, again = earlier()
    local id, url, account = content(p, again)
    fields = {{"reporter_id", json_string("tf-" .. math.random(4))}, {"reporter_kind", '"trusted_flagger"'},
      {"reason", '"terrorist_content"'}, {"content_id", id}, {"url", url}, {"account", account}}
  end
  return wrk.format(nil, nil, nil, body(fields))
end

function response(status, headers, body)
  if status == 201 then
    -- The report's own id comes first in the answer: {"report":{"id":N,...
    out:write(string.match(body, '"id":(%d+)'), "\n")
  end
end
