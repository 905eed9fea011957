-- Takes or renews the lease on a queue. A new owner first returns whatever a previous owner left
-- in flight to the head of the queue, oldest first, so a crashed worker loses nothing.
-- KEYS: lease, inflight, queue   ARGV: worker, lease ms
-- Returns {held (1/0), recovered count}
local owner = redis.call('GET', KEYS[1])
if owner == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {1, 0}
end
if owner then
  return {0, 0}
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local items = redis.call('LRANGE', KEYS[2], 0, -1)
for i = #items, 1, -1 do
  redis.call('RPUSH', KEYS[3], items[i])
end
redis.call('DEL', KEYS[2])
return {1, #items}
