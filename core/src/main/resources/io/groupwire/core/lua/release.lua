-- Gives a lease up on shutdown: what is still in flight goes back to the head of the queue.
-- KEYS: lease, inflight, queue   ARGV: worker
-- Returns the number of entries returned, or -1 when the lease was not held.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return -1
end
local items = redis.call('LRANGE', KEYS[2], 0, -1)
for i = #items, 1, -1 do
  redis.call('RPUSH', KEYS[3], items[i])
end
redis.call('DEL', KEYS[2], KEYS[1])
return #items
