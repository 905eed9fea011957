-- Acknowledges claimed entries: removes them from the in-flight list, for the lease holder only
-- (a worker that lost its lease must not remove what the new owner claimed).
-- Entries are normally acknowledged in claim order, so the common case is one LTRIM of the list's
-- head, and the caller sends only the count and the run's first and last entries: entries carry
-- their message or delivery id, so matching ends at the right distance mean the run is the one
-- claimed (the in-flight list only grows at its tail). Sending every entry back cost as much Redis
-- time as the claim. When the ends do not match, the caller sends every entry and they are removed
-- one by one.
-- KEYS: inflight, lease
-- ARGV: worker, 'run', count, first entry, last entry   (acknowledge the head run, or answer -2)
--    or worker, 'each', entry...                        (remove each entry wherever it is)
-- Returns the number removed, -1 when the lease is not held, -2 when the head is not that run.
if redis.call('GET', KEYS[2]) ~= ARGV[1] then
  return -1
end
if ARGV[2] == 'run' then
  local n = tonumber(ARGV[3])
  if redis.call('LINDEX', KEYS[1], 0) == ARGV[4] and redis.call('LINDEX', KEYS[1], n - 1) == ARGV[5] then
    redis.call('LTRIM', KEYS[1], n, -1)
    return n
  end
  return -2
end
local removed = 0
for i = 3, #ARGV do
  removed = removed + redis.call('LREM', KEYS[1], 1, ARGV[i])
end
return removed
