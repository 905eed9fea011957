-- replay: replays dead letters to the head of their queue.
-- Java side: io.groupwire.core.deadletter.ReplayScript.
--
-- Mailbox form   KEYS: dead-letter list, queue
--                ARGV: count, then optionally the stored entries to replay
--   moves up to count entries, oldest first; or, when entries are given, those of them still there.
-- Outbox form    KEYS: dead-letter list, queue, then one ledger per entry
--                ARGV: count, then per entry, in the order of the ledgers: stored entry, delivery id,
--                      entry to queue
--   removes each stored entry, sets the delivery's ledger state back to 'retry', creating the
--   ledger if it expired (otherwise the pacer would take it for settled or gone), and queues the
--   fresh entry (attempts reset).
-- Returns the number replayed.
local deadLetterKey = KEYS[1]
local queueKey = KEYS[2]
local count = tonumber(ARGV[1])
-- outbox form: entry j (1-based) has its ledger at KEYS[2 + j] and its three arguments from ARGV[3 * j - 1]
local entries = #KEYS - 2

local n = 0
if entries == 0 and #ARGV > 1 then
  -- chosen entries, in the order given: the last one given ends up nearest the claiming end
  for i = 2, #ARGV do
    if redis.call('LREM', deadLetterKey, 1, ARGV[i]) == 1 then
      redis.call('RPUSH', queueKey, ARGV[i])
      n = n + 1
    end
  end
  return n
end
if entries == 0 then
  local popped = {}
  for _ = 1, count do
    local e = redis.call('RPOP', deadLetterKey)
    if not e then break end
    popped[#popped + 1] = e
  end
  -- the oldest must end up nearest the claiming end
  for i = #popped, 1, -1 do
    redis.call('RPUSH', queueKey, popped[i])
  end
  return #popped
end
for j = 1, entries do
  local ledgerKey = KEYS[2 + j]
  local a = 3 * j - 1
  local stored, id, fresh = ARGV[a], ARGV[a + 1], ARGV[a + 2]
  if redis.call('LREM', deadLetterKey, 1, stored) == 1 then
    -- the ledger may be gone (settled ledgers expire within minutes): recreate it, or the pacer
    -- would take the replayed delivery for one whose message expired and drop it unsent
    redis.call('HSET', ledgerKey, id, 'retry')
    -- open again: the ledger must live until it settles (three hours covers any message TTL an
    -- operator would still replay for; older deliveries are dropped as expired anyway)
    redis.call('HINCRBY', ledgerKey, '_open', 1)
    redis.call('EXPIRE', ledgerKey, 10800)
    redis.call('RPUSH', queueKey, fresh)
    n = n + 1
  end
end
return n
