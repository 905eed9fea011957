-- Gives a lease up (shutdown, re-balancing): what is still in flight goes back to the head of the
-- queue, oldest first, and the lease is deleted so that the next owner can take it at once.
-- Called by io.groupwire.core.queue.ReleaseLeaseScript, which owns this layout.
--
-- Returns the number of entries returned to the queue, or -1 when the caller did not hold the
-- lease (it expired, or another worker holds it): then nothing is touched.
local lease_key = KEYS[1]
local inflight_key = KEYS[2]
local queue_key = KEYS[3]
local worker = ARGV[1]

if redis.call('GET', lease_key) ~= worker then
  return -1
end
local items = redis.call('LRANGE', inflight_key, 0, -1)
for i = #items, 1, -1 do
  redis.call('RPUSH', queue_key, items[i])
end
redis.call('DEL', inflight_key, lease_key)
return #items
