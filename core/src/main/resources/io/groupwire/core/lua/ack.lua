-- Acknowledges claimed entries: removes them from the in-flight list, for the lease holder only
-- (a worker that lost its lease must not remove what the new owner claimed). Entries are normally
-- acknowledged in claim order, so the common case is one LTRIM of the list's head; anything else
-- falls back to removing entry by entry.
-- KEYS: inflight, lease   ARGV: worker, entry...
-- Returns the number removed, or -1 when the lease is not held.
if redis.call('GET', KEYS[2]) ~= ARGV[1] then
  return -1
end
local n = #ARGV - 1
local head = redis.call('LRANGE', KEYS[1], 0, n - 1)
local prefix = #head == n
if prefix then
  for i = 1, n do
    if head[i] ~= ARGV[i + 1] then
      prefix = false
      break
    end
  end
end
if prefix then
  redis.call('LTRIM', KEYS[1], n, -1)
  return n
end
local removed = 0
for i = 2, #ARGV do
  removed = removed + redis.call('LREM', KEYS[1], 1, ARGV[i])
end
return removed
