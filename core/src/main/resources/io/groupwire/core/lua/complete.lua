-- Records the outcome of a batch of provider calls and acknowledges the claims, atomically: the
-- ledger gets each delivery's new state, retries go to the retry set scored by their due time,
-- poison goes to the dead-letter list. Only for the lease holder.
-- KEYS: inflight, lease, retry zset, dead-letter list, ledger per delivery
-- ARGV: worker, then per delivery: raw entry, delivery id, state ('' leaves it as it is), retry due ms
--       (0 = none), retry entry
-- Returns the number of claims acknowledged, or -1 when the lease is not held (nothing done).
if redis.call('GET', KEYS[2]) ~= ARGV[1] then
  return -1
end
local acked = 0
local k = 5
for a = 2, #ARGV, 5 do
  local raw, id, state, due = ARGV[a], ARGV[a + 1], ARGV[a + 2], tonumber(ARGV[a + 3])
  if state ~= '' and redis.call('EXISTS', KEYS[k]) == 1 then
    redis.call('HSET', KEYS[k], id, state)
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
