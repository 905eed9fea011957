-- One call per pacer step: brings due retries back to the head of the outbox, then says how many
-- deliveries wait in it.
-- KEYS: retry zset, outbox   ARGV: now ms, limit
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
for i = 1, #due do
  redis.call('ZREM', KEYS[1], due[i])
  redis.call('RPUSH', KEYS[2], due[i])
end
return redis.call('LLEN', KEYS[2])
