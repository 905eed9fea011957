-- Takes or renews the lease on a queue. A new owner first returns whatever a previous owner left
-- in flight to the head of the queue, oldest first, so a crashed worker loses nothing.
-- Called by io.groupwire.core.queue.AcquireLeaseScript, which owns this layout.
--
-- Returns {held, recovered}: held is 1 when the caller holds the lease now (taken or renewed), 0
-- when another worker does; recovered is how many in-flight entries went back to the queue's head.
local lease_key = KEYS[1]
local inflight_key = KEYS[2]
local queue_key = KEYS[3]
local worker = ARGV[1]
local lease_ms = ARGV[2]

local owner = redis.call('GET', lease_key)
if owner == worker then
  redis.call('PEXPIRE', lease_key, lease_ms)
  return {1, 0}
end
if owner then
  return {0, 0}
end
redis.call('SET', lease_key, worker, 'PX', lease_ms)
local items = redis.call('LRANGE', inflight_key, 0, -1)
for i = #items, 1, -1 do
  redis.call('RPUSH', queue_key, items[i])
end
redis.call('DEL', inflight_key)
return {1, #items}
