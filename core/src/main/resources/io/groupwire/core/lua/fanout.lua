-- fanout: fans a claimed batch of messages out into the shard's outboxes and acknowledges the
-- claims, in one atomic step. A per-message ledger (hash: delivery id -> state) admits each delivery
-- once: a message claimed again after a crash yields no second delivery for a recipient already
-- written. Only for the lease holder.
-- Java side: io.groupwire.core.fanout.FanoutScript.
--
-- KEYS: inflight, lease, dead-letter list, outbox apns, outbox fcm, outbox sms,
--       then one ledger per message, in the order of the messages
-- ARGV: worker, ledger ttl s,
--       then per message: raw entry, disposition, delivery count, trace of the message,
--         then per delivery: delivery id, channel index (0 apns, 1 fcm, 2 sms), delivery JSON,
--           trace of the delivery
--       the traces are what an operator's trace of the message shows once its deliveries have left
--       the queues (kept in the ledger as '_m' and 'i:<delivery id>'; addresses already masked)
--       disposition: 'fan' (write deliveries), 'drop' (expired: ack, and mark the ledger '_expired' so
--       that an operator asking after the message learns it was dropped on purpose), 'dead' (poison:
--       dead-letter)
-- Returns, per message, the number of deliveries written (the rest were duplicates), or -1 when the
-- lease is not held (nothing was done).
--
-- Cost, because this runs once per message on the hot path: a message seen for the first time (no
-- ledger yet: the usual case) has its ledger written in one HSET and its deliveries pushed with one
-- LPUSH per channel, instead of an HSETNX and an LPUSH per delivery; only a message claimed again
-- checks its deliveries one by one. A batch that is the head of the in-flight list (the usual case:
-- it was claimed in one go, oldest first) is acknowledged with one LTRIM instead of an LREM each.
local inflightKey = KEYS[1]
local leaseKey = KEYS[2]
local deadLetterKey = KEYS[3]
-- the outbox of channel index c is KEYS[FIRST_OUTBOX_KEY + c]
local FIRST_OUTBOX_KEY = 4
-- the ledger of message m (1-based) is KEYS[LEDGER_KEY_BEFORE + m]
local LEDGER_KEY_BEFORE = 6
local worker = ARGV[1]
local ttl = ARGV[2]
local FIRST_MESSAGE_ARG = 3

if redis.call('GET', leaseKey) ~= worker then
  return -1
end
local results = {}
local raws = {}
local a = FIRST_MESSAGE_ARG
local m = 0
while a <= #ARGV do
  m = m + 1
  local raw = ARGV[a]
  local disposition = ARGV[a + 1]
  local n = tonumber(ARGV[a + 2])
  local messageTrace = ARGV[a + 3]
  a = a + 4
  raws[m] = raw
  local ledger = KEYS[LEDGER_KEY_BEFORE + m]
  local created = 0
  if n > 0 and redis.call('EXISTS', ledger) == 0 then
    -- first fan-out of this message: every delivery is new, except a second one with the same id
    -- (two members sharing a phone number get one text)
    local fields = {}
    local seen = {}
    local perChannel = {{}, {}, {}}
    for _ = 1, n do
      local id, channel, json, trace = ARGV[a], tonumber(ARGV[a + 1]), ARGV[a + 2], ARGV[a + 3]
      if not seen[id] then
        seen[id] = true
        fields[#fields + 1] = id
        fields[#fields + 1] = 'queued'
        fields[#fields + 1] = 'i:' .. id
        fields[#fields + 1] = trace
        local list = perChannel[channel + 1]
        list[#list + 1] = json
        created = created + 1
      end
      a = a + 4
    end
    fields[#fields + 1] = '_m'
    fields[#fields + 1] = messageTrace
    -- deliveries not yet settled; when none is left the pacer shortens the ledger's life
    fields[#fields + 1] = '_open'
    fields[#fields + 1] = created
    redis.call('HSET', ledger, unpack(fields))
    for c = 1, 3 do
      if #perChannel[c] > 0 then
        -- pushed in order, as one LPUSH per delivery would
        redis.call('LPUSH', KEYS[FIRST_OUTBOX_KEY + c - 1], unpack(perChannel[c]))
      end
    end
  else
    for _ = 1, n do
      local id, channel, json, trace = ARGV[a], tonumber(ARGV[a + 1]), ARGV[a + 2], ARGV[a + 3]
      if redis.call('HSETNX', ledger, id, 'queued') == 1 then
        redis.call('HSET', ledger, 'i:' .. id, trace)
        redis.call('LPUSH', KEYS[FIRST_OUTBOX_KEY + channel], json)
        created = created + 1
      end
      a = a + 4
    end
    if created > 0 then
      redis.call('HINCRBY', ledger, '_open', created)
    end
  end
  if n > 0 then
    redis.call('EXPIRE', ledger, ttl)
  end
  if disposition == 'drop' and redis.call('EXISTS', ledger) == 0 then
    redis.call('HSET', ledger, '_expired', 1)
    redis.call('EXPIRE', ledger, ttl)
  end
  if disposition == 'dead' then
    redis.call('LPUSH', deadLetterKey, raw)
  end
  results[m] = created
end
-- the claims: the in-flight list only grows at its tail, so matching ends at the right distance
-- mean the batch is its head
if m > 0 and redis.call('LINDEX', inflightKey, 0) == raws[1] and redis.call('LINDEX', inflightKey, m - 1) == raws[m] then
  redis.call('LTRIM', inflightKey, m, -1)
else
  for i = 1, m do
    redis.call('LREM', inflightKey, 1, raws[i])
  end
end
return results
