-- Moves up to N of the oldest entries of a queue into its in-flight list, for the lease holder only.
-- KEYS: queue, inflight, lease   ARGV: worker, count, lease ms
-- Returns the claimed entries, oldest first, or false when the lease is not held.
if redis.call('GET', KEYS[3]) ~= ARGV[1] then
  return false
end
redis.call('PEXPIRE', KEYS[3], ARGV[3])
local items = redis.call('RPOP', KEYS[1], ARGV[2])
if not items then
  return {}
end
redis.call('RPUSH', KEYS[2], unpack(items))
return items
