-- count_like: the counters consumer applies one like event to its message's like count and
-- acknowledges the entry, in one atomic step, so that a crash never counts an entry twice.
-- Idempotent under replays and reordering: per (message, user) it keeps the id and state of the
-- newest event applied, ignores an event not newer than that, and moves the count only when the
-- user's state changes.
-- Java side: io.groupwire.core.events.CountLikeScript.
--
-- KEYS: counted (per user: last event id and state), like counts, event stream
-- ARGV: consumer group, entry id, user, state (1 liked, 0 not), message id, ttl s
-- Returns 1 when the count changed, else 0.
local countedKey = KEYS[1]
local countsKey = KEYS[2]
local eventsKey = KEYS[3]
local group = ARGV[1]
local entryId = ARGV[2]
local user = ARGV[3]
local state = ARGV[4]
local messageId = ARGV[5]
local ttl = ARGV[6]

-- stream ids compare as (ms, seq) pairs of numbers
local function newer(a, b)
  local am, as = string.match(a, '^(%d+)-(%d+)$')
  local bm, bs = string.match(b, '^(%d+)-(%d+)$')
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
  return am > bm or (am == bm and as > bs)
end
local changed = 0
local prior = redis.call('HGET', countedKey, user)
local priorId, priorState = nil, '0'
if prior then
  priorId, priorState = string.match(prior, '^([^:]+):(.)$')
end
if not priorId or newer(entryId, priorId) then
  redis.call('HSET', countedKey, user, entryId .. ':' .. state)
  redis.call('EXPIRE', countedKey, ttl)
  if state ~= priorState then
    redis.call('HINCRBY', countsKey, messageId, state == '1' and 1 or -1)
    redis.call('EXPIRE', countsKey, ttl)
    changed = 1
  end
end
redis.call('XACK', eventsKey, group, entryId)
return changed
