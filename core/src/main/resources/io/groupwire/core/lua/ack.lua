-- Acknowledges claimed entries: removes them from the in-flight list, for the lease holder only
-- (a worker that lost its lease must not remove what the new owner claimed).
-- KEYS: inflight, lease   ARGV: worker, entry...
-- Returns the number removed, or -1 when the lease is not held.
if redis.call('GET', KEYS[2]) ~= ARGV[1] then
  return -1
end
local removed = 0
for i = 2, #ARGV do
  removed = removed + redis.call('LREM', KEYS[1], 1, ARGV[i])
end
return removed
