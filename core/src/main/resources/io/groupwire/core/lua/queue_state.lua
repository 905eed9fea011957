-- queue_state: the state of a shard's queues for the operators' console, in one call per shard:
-- per queue its length, its claims in flight, when its next entry to be claimed (the oldest
-- waiting) was accepted, its lease holder and the lease's remaining time, its retry set's size and
-- its dead letters. Reads only.
-- Java side: io.groupwire.core.queue.QueueStateScript.
--
-- KEYS: per queue, five keys: queue, in-flight list, lease, retry set ('' for none: the mailbox
--       has none, any key of the slot will do), dead-letter list
-- ARGV: none
-- Returns per queue: length, in flight, accepted at ms of the oldest waiting entry (0: empty),
-- lease holder ('' when free), lease ms left (-2 when free), retry set size, dead letters.
local KEYS_PER_QUEUE = 5
local out = {}
for q = 0, #KEYS / KEYS_PER_QUEUE - 1 do
  local base = q * KEYS_PER_QUEUE
  local queueKey = KEYS[base + 1]
  local inflightKey = KEYS[base + 2]
  local leaseKey = KEYS[base + 3]
  local retryKey = KEYS[base + 4]
  local deadLetterKey = KEYS[base + 5]
  local oldest = 0
  local head = redis.call('LINDEX', queueKey, -1)
  if head then
    oldest = tonumber(string.match(head, '"accepted_at_millis":(%d+)')) or 0
  end
  local holder = redis.call('GET', leaseKey) or ''
  local retries = 0
  if retryKey ~= queueKey then
    retries = redis.call('ZCARD', retryKey)
  end
  out[#out + 1] = redis.call('LLEN', queueKey)
  out[#out + 1] = redis.call('LLEN', inflightKey)
  out[#out + 1] = oldest
  out[#out + 1] = holder
  out[#out + 1] = redis.call('PTTL', leaseKey)
  out[#out + 1] = retries
  out[#out + 1] = redis.call('LLEN', deadLetterKey)
end
return out
