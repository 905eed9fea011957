-- claim: moves up to N of the oldest entries of a queue into its in-flight list, for the lease
-- holder only, and renews the lease once a third of it has run down. Not at every claim: an idle
-- consumer claims every few milliseconds, and a renewal per claim is a write per claim, which grew
-- the AOF of a Redis with no traffic at all by ~50 KB/s; an empty claim that renews nothing writes
-- nothing (it must not even call RPOP: Redis 6.2 wraps a script that calls a write command in
-- MULTI/EXEC in the AOF, 29 bytes, whether the command changed anything or not).
-- Java side: io.groupwire.core.queue.ClaimScript.
--
-- KEYS: queue, inflight, lease
-- ARGV: worker, count, lease ms
-- Returns the claimed entries, oldest first, or false when the lease is not held.
local queueKey = KEYS[1]
local inflightKey = KEYS[2]
local leaseKey = KEYS[3]
local worker = ARGV[1]
local count = ARGV[2]
local leaseMillis = tonumber(ARGV[3])

if redis.call('GET', leaseKey) ~= worker then
  return false
end
if redis.call('PTTL', leaseKey) < leaseMillis - leaseMillis / 3 then
  redis.call('PEXPIRE', leaseKey, leaseMillis)
end
if redis.call('LLEN', queueKey) == 0 then
  return {}
end
local items = redis.call('RPOP', queueKey, count)
if not items then
  return {}
end
redis.call('RPUSH', inflightKey, unpack(items))
return items
