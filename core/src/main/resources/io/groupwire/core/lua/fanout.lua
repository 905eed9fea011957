-- Fans a claimed batch of messages out into the shard's outboxes and acknowledges the claims, in one
-- atomic step. A per-message ledger (hash: delivery id -> state) admits each delivery once: a message
-- claimed again after a crash yields no second delivery for a recipient already written.
-- KEYS: inflight, lease, dead-letter list, outbox apns, outbox fcm, outbox sms, ledger per message...
-- ARGV: worker, ledger ttl s, then per message: raw entry, disposition, delivery count, then per delivery
--       id, channel index (0 apns, 1 fcm, 2 sms), delivery JSON
--       disposition: 'fan' (write deliveries), 'drop' (expired: ack, and mark the ledger '_expired' so
--       that an operator asking after the message learns it was dropped on purpose), 'dead' (poison:
--       dead-letter)
-- Returns, per message, the number of deliveries written (the rest were duplicates), or -1 when the
-- lease is not held (nothing was done).
if redis.call('GET', KEYS[2]) ~= ARGV[1] then
  return -1
end
local ttl = ARGV[2]
local results = {}
local a = 3
local m = 0
while a <= #ARGV do
  m = m + 1
  local raw = ARGV[a]
  local disposition = ARGV[a + 1]
  local n = tonumber(ARGV[a + 2])
  a = a + 3
  local ledger = KEYS[6 + m]
  local created = 0
  for _ = 1, n do
    if redis.call('HSETNX', ledger, ARGV[a], 'queued') == 1 then
      redis.call('LPUSH', KEYS[4 + tonumber(ARGV[a + 1])], ARGV[a + 2])
      created = created + 1
    end
    a = a + 3
  end
  if created > 0 then
    -- deliveries not yet settled; when none is left the pacer shortens the ledger's life
    redis.call('HINCRBY', ledger, '_open', created)
  end
  if n > 0 then
    redis.call('EXPIRE', ledger, ttl)
  end
  if disposition == 'drop' and redis.call('EXISTS', ledger) == 0 then
    redis.call('HSET', ledger, '_expired', 1)
    redis.call('EXPIRE', ledger, ttl)
  end
  if disposition == 'dead' then
    redis.call('LPUSH', KEYS[3], raw)
  end
  redis.call('LREM', KEYS[1], 1, raw)
  results[m] = created
end
return results
