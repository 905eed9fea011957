-- report: one instance's report of the second that just ended: its card (heartbeat) with an expiry,
-- its place in the instance set, and its figures in the second's hash and, every ten seconds, in the
-- ten-second window's hash; each hash expires after the retention, so the history is a ring of the
-- last hour. Expired instances leave the set here too, so that nothing grows without bound.
-- Java side: io.groupwire.core.report.ReportScript.
--
-- KEYS: instance set, card, second hash, ten-second hash
-- ARGV: member, now ms, card ttl ms, card JSON, second's figures JSON, retention s,
--       the ten-second window's figures JSON ('' when no window ended)
-- Returns 1.
local instancesKey = KEYS[1]
local cardKey = KEYS[2]
local secondKey = KEYS[3]
local windowKey = KEYS[4]
local member = ARGV[1]
local now = tonumber(ARGV[2])
local cardTtl = tonumber(ARGV[3])
local card = ARGV[4]
local second = ARGV[5]
local retention = ARGV[6]
local window = ARGV[7]

redis.call('ZREMRANGEBYSCORE', instancesKey, '-inf', now)
redis.call('ZADD', instancesKey, now + cardTtl, member)
redis.call('PEXPIRE', instancesKey, cardTtl)
redis.call('SET', cardKey, card, 'PX', cardTtl)
redis.call('HSET', secondKey, member, second)
redis.call('EXPIRE', secondKey, retention)
if window ~= '' then
  redis.call('HSET', windowKey, member, window)
  redis.call('EXPIRE', windowKey, retention)
end
return 1
