-- ack: acknowledges claimed entries, removing them from the in-flight list, for the lease holder
-- only (a worker that lost its lease must not remove what the new owner claimed).
-- Java side: io.groupwire.core.queue.AckScript.
--
-- Entries are normally acknowledged in claim order, so the common case is one LTRIM of the list's
-- head, and the caller sends only the count and the run's first and last entries: entries carry
-- their message or delivery id, so matching ends at the right distance mean the run is the one
-- claimed (the in-flight list only grows at its tail). Sending every entry back cost as much Redis
-- time as the claim. When the ends do not match, the caller sends every entry and they are removed
-- one by one.
--
-- KEYS: inflight, lease
-- ARGV: worker, 'run', count, first entry, last entry   (acknowledge the head run, or answer -2)
--    or worker, 'each', entry...                        (remove each entry wherever it is)
-- Returns the number removed, -1 when the lease is not held, -2 when the head is not that run.
local inflightKey = KEYS[1]
local leaseKey = KEYS[2]
local worker = ARGV[1]
local mode = ARGV[2]
-- 'run' form
local runCount = ARGV[3]
local runFirst = ARGV[4]
local runLast = ARGV[5]
-- 'each' form: the entries are ARGV[FIRST_ENTRY..]
local FIRST_ENTRY = 3

if redis.call('GET', leaseKey) ~= worker then
  return -1
end
if mode == 'run' then
  local n = tonumber(runCount)
  if redis.call('LINDEX', inflightKey, 0) == runFirst and redis.call('LINDEX', inflightKey, n - 1) == runLast then
    redis.call('LTRIM', inflightKey, n, -1)
    return n
  end
  return -2
end
local removed = 0
for i = FIRST_ENTRY, #ARGV do
  removed = removed + redis.call('LREM', inflightKey, 1, ARGV[i])
end
return removed
