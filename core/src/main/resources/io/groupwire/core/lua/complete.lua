-- complete: records the outcome of a batch of provider calls and acknowledges the claims,
-- atomically: the ledger gets each delivery's new state, retries go to the retry set scored by
-- their due time, poison goes to the dead-letter list. Only for the lease holder.
-- Java side: io.groupwire.core.ledger.CompleteScript.
--
-- Deliveries come grouped by ledger, so a ledger costs one EXISTS, one HMGET, one HSET and at most
-- one HINCRBY however many of its deliveries the batch holds. The claims are normally the head of
-- the in-flight list in claim order: then only their count and the run's two ends are sent (entries
-- carry their delivery id, so matching ends at the right distance are the run claimed) and one LTRIM
-- acknowledges them, as in ack.lua; otherwise the script answers -2 having done nothing, and the
-- caller sends every entry to be removed one by one.
--
-- KEYS: inflight, lease, retry zset, dead-letter list, then each ledger once
-- ARGV: worker, settled-ledger ttl s, 'run' or 'each', number of acknowledgement arguments,
--       the acknowledgement arguments ('run': count, first entry, last entry; 'each': every entry),
--       then per ledger, in the order of KEYS: delivery count, then per delivery:
--         delivery id, new state ('' leaves it as it is), flags, then what the flags announce:
--         flags hold 'r' (a retry: due ms and the entry to queue follow), 'm' (the attempt may have
--         reached the provider: the retry will be a resend, marked 'amb:<id>' so that an audit can
--         tell it from a duplicate) and 'd' (dead letter: the raw entry follows), in that order
-- Returns the number of claims acknowledged, -1 when the lease is not held, -2 when the claims are
-- not the in-flight list's head run ('run' only); in both cases nothing was done.
local inflightKey = KEYS[1]
local leaseKey = KEYS[2]
local retryKey = KEYS[3]
local deadLetterKey = KEYS[4]
local FIRST_LEDGER_KEY = 5
local worker = ARGV[1]
local settledTtl = ARGV[2]
local mode = ARGV[3]
local nack = tonumber(ARGV[4])
-- the acknowledgement arguments are ARGV[FIRST_ACK_ARG .. FIRST_ACK_ARG + nack - 1]
local FIRST_ACK_ARG = 5
-- 'run' form of the acknowledgement
local runCount = ARGV[5]
local runFirst = ARGV[6]
local runLast = ARGV[7]

if redis.call('GET', leaseKey) ~= worker then
  return -1
end
if mode == 'run' then
  local n = tonumber(runCount)
  if redis.call('LINDEX', inflightKey, 0) ~= runFirst or redis.call('LINDEX', inflightKey, n - 1) ~= runLast then
    return -2
  end
end
local CHUNK = 1000
local SETTLED = {sent = true, failed = true, dead = true, expired = true, ambiguous = true, dead_letter = true}
local a = FIRST_ACK_ARG + nack
for k = FIRST_LEDGER_KEY, #KEYS do
  local ledger = KEYS[k]
  local n = tonumber(ARGV[a])
  a = a + 1
  -- parse this ledger's deliveries
  local ids, states, amb = {}, {}, {}
  for j = 1, n do
    local id, state, flags = ARGV[a], ARGV[a + 1], ARGV[a + 2]
    a = a + 3
    ids[j] = id
    states[j] = state
    if flags ~= '' then
      if string.find(flags, 'r', 1, true) then
        local dueMillis, retryEntry = ARGV[a], ARGV[a + 1]
        redis.call('ZADD', retryKey, tonumber(dueMillis), retryEntry)
        a = a + 2
      end
      amb[j] = string.find(flags, 'm', 1, true) ~= nil
      if string.find(flags, 'd', 1, true) then
        local rawEntry = ARGV[a]
        redis.call('LPUSH', deadLetterKey, rawEntry)
        a = a + 1
      end
    end
  end
  -- a ledger that expired stays expired: nothing here recreates it
  if redis.call('EXISTS', ledger) == 1 then
    local now = {}
    local closed = 0
    local j = 0
    while j < n do
      local m = math.min(CHUNK, n - j)
      local want = {}
      local at = {}
      for x = j + 1, j + m do
        if states[x] ~= '' then
          want[#want + 1] = ids[x]
          at[#want] = x
        end
      end
      if #want > 0 then
        local before = redis.call('HMGET', ledger, unpack(want))
        local set = {}
        for w = 1, #want do
          local x = at[w]
          local id, state = ids[x], states[x]
          local prior = now[id]
          if prior == nil then
            prior = before[w]
          end
          set[#set + 1] = id
          set[#set + 1] = state
          if amb[x] then
            set[#set + 1] = 'amb:' .. id
            set[#set + 1] = 1
          end
          -- a delivery settles once; when a message has none left open, its ledger is kept only
          -- long enough to recognise a late duplicate, not for the whole TTL
          if SETTLED[state] and prior and not SETTLED[prior] then
            closed = closed + 1
          end
          now[id] = state
        end
        redis.call('HSET', ledger, unpack(set))
      end
      j = j + m
    end
    if closed > 0 and redis.call('HINCRBY', ledger, '_open', -closed) <= 0 then
      redis.call('EXPIRE', ledger, settledTtl)
    end
  end
end
if mode == 'run' then
  local n = tonumber(runCount)
  redis.call('LTRIM', inflightKey, n, -1)
  return n
end
local acked = 0
for i = FIRST_ACK_ARG, FIRST_ACK_ARG + nack - 1 do
  acked = acked + redis.call('LREM', inflightKey, 1, ARGV[i])
end
return acked
