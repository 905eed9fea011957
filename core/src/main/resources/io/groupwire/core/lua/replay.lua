-- Replays dead letters to the head of their queue.
-- Mailbox form   KEYS: dead-letter list, queue            ARGV: count
--   moves up to count entries, oldest first.
-- Outbox form    KEYS: dead-letter list, queue, then one ledger per entry
--                ARGV: count, then per entry: stored entry, delivery id, entry to queue
--   removes each stored entry, sets the delivery's ledger state back to 'retry', creating the
--   ledger if it expired (otherwise the pacer would take it for settled or gone), and queues the
--   fresh entry (attempts reset).
-- Returns the number replayed.
local n = 0
if #KEYS == 2 then
  local popped = {}
  for _ = 1, tonumber(ARGV[1]) do
    local e = redis.call('RPOP', KEYS[1])
    if not e then break end
    popped[#popped + 1] = e
  end
  -- the oldest must end up nearest the claiming end
  for i = #popped, 1, -1 do
    redis.call('RPUSH', KEYS[2], popped[i])
  end
  return #popped
end
for j = 1, #KEYS - 2 do
  local stored, id, fresh = ARGV[3 * j - 1], ARGV[3 * j], ARGV[3 * j + 1]
  if redis.call('LREM', KEYS[1], 1, stored) == 1 then
    -- the ledger may be gone (settled ledgers expire within minutes): recreate it, or the pacer
    -- would take the replayed delivery for one whose message expired and drop it unsent
    redis.call('HSET', KEYS[j + 2], id, 'retry')
    -- open again: the ledger must live until it settles (three hours covers any message TTL an
    -- operator would still replay for; older deliveries are dropped as expired anyway)
    redis.call('HINCRBY', KEYS[j + 2], '_open', 1)
    redis.call('EXPIRE', KEYS[j + 2], 10800)
    redis.call('RPUSH', KEYS[2], fresh)
    n = n + 1
  end
end
return n
