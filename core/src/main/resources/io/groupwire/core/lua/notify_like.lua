-- notify_like: the notifier writes a like's push notifications to the author's devices into the
-- shard's outboxes and acknowledges the entry, in one atomic step, only when this liker was never
-- notified of this message: a replay, or an entry claimed again after a crash, writes nothing.
-- The deliveries go through the pacer like any other (ledger, retries, TTL).
-- Java side: io.groupwire.core.events.NotifyLikeScript.
--
-- KEYS: notified (likers notified of the message), ledger, outbox apns, outbox fcm, event stream
-- ARGV: consumer group, entry id, liker, notified ttl s, ledger ttl s,
--       then per delivery: delivery id, channel index (0 apns, 1 fcm), delivery JSON
-- Returns the number of deliveries written.
local notifiedKey = KEYS[1]
local ledgerKey = KEYS[2]
local FIRST_OUTBOX_KEY = 3
local eventsKey = KEYS[5]
local group = ARGV[1]
local entryId = ARGV[2]
local liker = ARGV[3]
local notifiedTtl = ARGV[4]
local ledgerTtl = ARGV[5]
local FIRST_DELIVERY_ARG = 6

local written = 0
if redis.call('SADD', notifiedKey, liker) == 1 then
  redis.call('EXPIRE', notifiedKey, notifiedTtl)
  for a = FIRST_DELIVERY_ARG, #ARGV, 3 do
    if redis.call('HSETNX', ledgerKey, ARGV[a], 'queued') == 1 then
      redis.call('LPUSH', KEYS[FIRST_OUTBOX_KEY + tonumber(ARGV[a + 1])], ARGV[a + 2])
      written = written + 1
    end
  end
  if written > 0 then
    redis.call('HINCRBY', ledgerKey, '_open', written)
    redis.call('EXPIRE', ledgerKey, ledgerTtl)
  end
end
redis.call('XACK', eventsKey, group, entryId)
return written
