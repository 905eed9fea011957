-- begin: marks claimed deliveries 'sending' before the provider call, and says what to do with each:
--   go        first attempt or a scheduled retry: send it
--   ambiguous it was 'sending' when its previous owner died: the provider may have it already
--             (the ledger keeps 'amb:<id>' = 1 and 'amb-by:<id>' = the mark found, 'sending:<worker>:<ms>')
--   done      already settled (sent, failed, dead, expired...): acknowledge, do not send
--   gone      its ledger expired with its message: acknowledge, do not send
-- Java side: io.groupwire.core.ledger.BeginScript.
--
-- A repeat of a begin whose answer this worker never got (a dropped connection, replicas that did
-- not acknowledge in time) names that begin's time: its own marks from then are known unsent.
-- Deliveries come grouped by ledger (a message's deliveries sit together in an outbox), so each
-- ledger costs one HMGET and at most one HSET however many of its deliveries the batch holds.
--
-- KEYS: each ledger once
-- ARGV: worker, now ms, repeated begin's ms (0: none),
--       then per ledger, in the order of KEYS: delivery count, then that many delivery ids
-- Returns the verdicts in the order of the delivery ids.
local worker = ARGV[1]
local nowMillis = ARGV[2]
local repeatedMillis = ARGV[3]
-- where the per-ledger sections start
local FIRST_LEDGER_ARG = 4

local CHUNK = 1000
local out = {}
local mark = 'sending:' .. worker .. ':' .. nowMillis
local repeated = repeatedMillis ~= '0' and ('sending:' .. worker .. ':' .. repeatedMillis) or nil
local a = FIRST_LEDGER_ARG
local o = 0
for k = 1, #KEYS do
  local ledgerKey = KEYS[k]
  local n = tonumber(ARGV[a])
  a = a + 1
  -- a delivery listed twice (a straggling copy) must see the mark its first copy just got
  local now = {}
  local i = 0
  while i < n do
    local m = math.min(CHUNK, n - i)
    local ids = {}
    for j = 1, m do
      ids[j] = ARGV[a + i + j - 1]
    end
    local states = redis.call('HMGET', ledgerKey, unpack(ids))
    local set = {}
    for j = 1, m do
      local id = ids[j]
      local state = now[id]
      if state == nil then
        state = states[j]
      end
      o = o + 1
      if not state then
        out[o] = 'gone'
      elseif state == 'queued' or state == 'retry' or state == repeated then
        set[#set + 1] = id
        set[#set + 1] = mark
        now[id] = mark
        out[o] = 'go'
      elseif string.sub(state, 1, 8) == 'sending:' then
        -- remembered, so that an audit can tell a resend the policy allows from a true duplicate,
        -- and whose mark it was, so that it can tell which crash left it
        set[#set + 1] = id
        set[#set + 1] = mark
        set[#set + 1] = 'amb:' .. id
        set[#set + 1] = 1
        set[#set + 1] = 'amb-by:' .. id
        set[#set + 1] = state
        now[id] = mark
        out[o] = 'ambiguous'
      else
        out[o] = 'done'
      end
    end
    if #set > 0 then
      redis.call('HSET', ledgerKey, unpack(set))
    end
    i = i + m
  end
  a = a + n
end
return out
