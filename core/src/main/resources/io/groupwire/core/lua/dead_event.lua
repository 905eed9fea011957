-- dead_event: moves an event that failed too often to the shard's dead-letter list and
-- acknowledges it, atomically, so that it is neither lost nor delivered again.
-- Java side: io.groupwire.core.events.DeadEventScript.
--
-- KEYS: event stream, dead events list
-- ARGV: consumer group, entry id, dead letter (JSON)
-- Returns 1.
local eventsKey = KEYS[1]
local deadKey = KEYS[2]
local group = ARGV[1]
local entryId = ARGV[2]
local letter = ARGV[3]

redis.call('LPUSH', deadKey, letter)
redis.call('XACK', eventsKey, group, entryId)
return 1
