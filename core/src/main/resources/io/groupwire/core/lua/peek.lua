-- peek: one call per pacer step: brings due retries back to the head of the outbox, then says how
-- many deliveries wait in it.
-- Java side: io.groupwire.core.ledger.PeekScript.
--
-- KEYS: retry zset, outbox
-- ARGV: now ms, most retries to bring back
-- Returns the outbox's length after the retries were brought back.
local retryKey = KEYS[1]
local outboxKey = KEYS[2]
local nowMillis = ARGV[1]
local limit = ARGV[2]

local due = redis.call('ZRANGEBYSCORE', retryKey, '-inf', nowMillis, 'LIMIT', 0, limit)
for i = 1, #due do
  redis.call('ZREM', retryKey, due[i])
  redis.call('RPUSH', outboxKey, due[i])
end
return redis.call('LLEN', outboxKey)
