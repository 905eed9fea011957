-- Records the outcome of a batch of provider calls and acknowledges the claims, atomically: the
-- ledger gets each delivery's new state, retries go to the retry set scored by their due time,
-- poison goes to the dead-letter list. Only for the lease holder.
-- KEYS: inflight, lease, retry zset, dead-letter list, ledger per delivery
-- ARGV: worker, settled-ledger ttl s, then per delivery: raw entry, delivery id, state ('' leaves it as
--       it is), retry due ms (0 = none), retry entry, '1' if the attempt may have reached the provider
--       (the retry will be a resend: marked 'amb:<id>' so that an audit can tell it from a duplicate)
-- Returns the number of claims acknowledged, or -1 when the lease is not held (nothing done).
if redis.call('GET', KEYS[2]) ~= ARGV[1] then
  return -1
end
local SETTLED = {sent = true, failed = true, dead = true, expired = true, ambiguous = true, dead_letter = true}
local acked = 0
local k = 5
for a = 3, #ARGV, 6 do
  local raw, id, state, due = ARGV[a], ARGV[a + 1], ARGV[a + 2], tonumber(ARGV[a + 3])
  if state ~= '' and redis.call('EXISTS', KEYS[k]) == 1 then
    local before = redis.call('HGET', KEYS[k], id)
    redis.call('HSET', KEYS[k], id, state)
    if ARGV[a + 5] == '1' then
      redis.call('HSET', KEYS[k], 'amb:' .. id, 1)
    end
    -- a delivery settles once; when a message has none left open, its ledger is kept only
    -- long enough to recognise a late duplicate, not for the whole TTL
    if SETTLED[state] and before and not SETTLED[before] then
      if redis.call('HINCRBY', KEYS[k], '_open', -1) <= 0 then
        redis.call('EXPIRE', KEYS[k], ARGV[2])
      end
    end
  end
  if due > 0 then
    redis.call('ZADD', KEYS[3], due, ARGV[a + 4])
  end
  if state == 'dead_letter' then
    redis.call('LPUSH', KEYS[4], raw)
  end
  acked = acked + redis.call('LREM', KEYS[1], 1, raw)
  k = k + 1
end
return acked
