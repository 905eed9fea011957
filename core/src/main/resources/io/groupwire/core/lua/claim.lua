-- claim: moves up to N of the oldest entries of a queue into its in-flight list, for the lease
-- holder only, and renews the lease.
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
local leaseMillis = ARGV[3]

if redis.call('GET', leaseKey) ~= worker then
  return false
end
redis.call('PEXPIRE', leaseKey, leaseMillis)
local items = redis.call('RPOP', queueKey, count)
if not items then
  return {}
end
redis.call('RPUSH', inflightKey, unpack(items))
return items
