-- enqueue: accepts a batch of messages into one shard's mailbox (group commit: the gateway's
-- concurrent requests for a shard share one call). Each message is checked on its own, atomically
-- with its storage: the group exists, the sender is a member, the source_guid is new, the mailbox is
-- under its high-water mark and none of the shard's outboxes is over its own (back-pressure: when
-- the providers cannot keep up, clients are told to retry instead of Redis running out of memory).
-- Java side: io.groupwire.core.intake.EnqueueScript.
--
-- source_guid records live in per-shard hashes, one per time bucket (field: sender and guid, value:
-- the first message's id, time and use: its group and a digest of its text); a guid is new when no
-- bucket still alive holds it. A known guid is a duplicate when this send's use is the record's, and
-- a conflict otherwise (another group or text: refused, nothing enqueued). The
-- Redis calls are per batch, not per message (one HMGET per bucket, one HSET, one LPUSH), because a
-- redis.call costs more than the lookup it makes: per-message SET NX EX was over half the script's time.
--
-- Accepted messages are also kept in their group's history (a zset of ids by acceptance time and a
-- hash of their JSON), trimmed to the newest history-max and to those younger than the history TTL,
-- and announced on the shard's event stream: one message.accepted entry per batch (its messages
-- as group/id, space-separated), so that the stream costs one call per batch.
--
-- KEYS: mailbox, outbox apns, outbox fcm, outbox sms, event stream, guid buckets (current first,
--       then older), then per distinct group of the batch: group, members, history, history messages
-- ARGV: guid bucket count, current bucket ttl s, mailbox high-water mark, outbox high-water mark
--       (0 = none), history max, history ttl s, now ms, event stream max length, sender count,
--       then per distinct (group, sender) of the batch: group index (1-based), sender,
--       then per message: its (group, sender) index (1-based), guid field, message JSON, guid record
--       (id:acceptedAt:use)
-- Returns {codes, prior...}: one character per message (A accepted, D duplicate, C conflict,
-- G no group, M not a member, F full) and, for each D in order, the first message's guid record.
local mailboxKey = KEYS[1]
local FIRST_OUTBOX_KEY, LAST_OUTBOX_KEY = 2, 4
local eventsKey = KEYS[5]
local currentBucketKey = KEYS[6]
local FIRST_BUCKET_KEY = 6
local buckets = tonumber(ARGV[1])
local bucketTtl = ARGV[2]
local hwm = tonumber(ARGV[3])
local outboxHwm = tonumber(ARGV[4])
local historyMax = tonumber(ARGV[5])
local historyTtl = tonumber(ARGV[6])
local now = tonumber(ARGV[7])
local eventsMax = ARGV[8]
local senders = tonumber(ARGV[9])
-- per distinct group g (1-based): its hash is KEYS[firstGroupKey + 4 * (g - 1)], then its members,
-- its history and its history's messages
local GROUP_KEYS = 4
local firstGroupKey = FIRST_BUCKET_KEY + buckets
-- per (group, sender) p (1-based): ARGV[8 + 2 * p] is its group index, ARGV[9 + 2 * p] the sender
-- per message i (1-based): ARGV[base + 4 * i - 3] is its (group, sender) index, then come its guid
-- field, its JSON and its guid record (plain arithmetic, not a function: this runs per message)
local base = 9 + 2 * senders
local n = (#ARGV - base) / 4

local depth = -1
if hwm > 0 then
  depth = redis.call('LLEN', mailboxKey)
end
if outboxHwm > 0 then
  for k = FIRST_OUTBOX_KEY, LAST_OUTBOX_KEY do
    if redis.call('LLEN', KEYS[k]) >= outboxHwm then
      hwm = 1
      depth = 1
    end
  end
end
-- every field of the batch looked up in every live bucket, one call per bucket
local fields = {}
for i = 1, n do
  fields[i] = ARGV[base + 4 * i - 2]
end
local prior = {}
for b = FIRST_BUCKET_KEY, FIRST_BUCKET_KEY + buckets - 1 do
  local found = redis.call('HMGET', KEYS[b], unpack(fields))
  for i = 1, n do
    if found[i] and not prior[fields[i]] then
      prior[fields[i]] = found[i]
    end
  end
end
-- whether two guid records are of the same use: what follows their second colon (a record from
-- before text digests ends at the group: it matches any text sent to that group)
local function sameUse(prior, record)
  local priorUse = string.match(prior, '^[^:]*:[^:]*:(.*)$')
  local use = string.match(record, '^[^:]*:[^:]*:(.*)$')
  return priorUse == use or (not string.find(priorUse, ':', 1, true) and string.sub(use, 1, #priorUse + 1) == priorUse .. ':')
end
local codes = {}
local accepted = {}
local records = {}
local out = {''}
-- per group key with accepted messages: {score, id, ...} for the history zset, {id, json, ...} for its hash
local historyScores = {}
local historyJson = {}
local historyGroups = {}
-- each (group, sender) is checked once per batch
local allowed = {}
-- the first key of each (group, sender)'s group
local groupOf = {}
for p = 1, senders do
  local group = firstGroupKey + GROUP_KEYS * (tonumber(ARGV[8 + 2 * p]) - 1)
  groupOf[p] = group
  local sender = ARGV[9 + 2 * p]
  if redis.call('EXISTS', KEYS[group]) == 0 then
    allowed[p] = 'G'
  elseif redis.call('SISMEMBER', KEYS[group + 1], sender) == 0 then
    allowed[p] = 'M'
  else
    allowed[p] = 'A'
  end
end
for i = 1, n do
  local a = base + 4 * i - 3
  local known = allowed[tonumber(ARGV[a])]
  local field = fields[i]
  local json, record = ARGV[a + 2], ARGV[a + 3]
  if known ~= 'A' then
    codes[i] = known
  elseif prior[field] and not sameUse(prior[field], record) then
    codes[i] = 'C'
  elseif prior[field] then
    -- a retry of an accepted message is answered as such, even under back-pressure
    codes[i] = 'D'
    out[#out + 1] = prior[field]
  elseif hwm > 0 and depth >= hwm then
    codes[i] = 'F'
  else
    accepted[#accepted + 1] = json
    local g = groupOf[tonumber(ARGV[a])]
    local scores = historyScores[g]
    if not scores then
      scores = {}
      historyScores[g] = scores
      historyJson[g] = {}
      historyGroups[#historyGroups + 1] = g
    end
    -- the guid record starts with the message's id and acceptance time
    local id, at = string.match(record, '^([^:]*):([^:]*):')
    scores[#scores + 1] = at
    scores[#scores + 1] = id
    local kept = historyJson[g]
    kept[#kept + 1] = id
    kept[#kept + 1] = json
    records[#records + 1] = field
    records[#records + 1] = record
    -- a second send of the same guid in this batch is a duplicate of this one
    prior[field] = record
    if depth >= 0 then
      depth = depth + 1
    end
    codes[i] = 'A'
  end
end
if #accepted > 0 then
  redis.call('HSET', currentBucketKey, unpack(records))
  redis.call('EXPIRE', currentBucketKey, bucketTtl)
  -- one push for the batch, in order: the first accepted is the first to be claimed
  redis.call('LPUSH', mailboxKey, unpack(accepted))
end
-- the age trim runs on about one batch in AGE_TRIM_EVERY (chosen by the batch's time, the same for
-- all its groups): it is a call per group, and a kept message outliving the TTL by a few batches
-- harms nobody (a quiet group's keys expire whole)
local AGE_TRIM_EVERY = 16
local ageTrim = now % AGE_TRIM_EVERY == 0
local announced = {}
for _, g in ipairs(historyGroups) do
  local historyKey, messagesKey = KEYS[g + 2], KEYS[g + 3]
  local scores = historyScores[g]
  redis.call('ZADD', historyKey, unpack(scores))
  redis.call('HSET', messagesKey, unpack(historyJson[g]))
  -- beyond the newest historyMax, and older than the TTL: forgotten
  local over = redis.call('ZCARD', historyKey) - historyMax
  if over > 0 then
    local gone = redis.call('ZRANGE', historyKey, 0, over - 1)
    redis.call('ZREMRANGEBYRANK', historyKey, 0, over - 1)
    redis.call('HDEL', messagesKey, unpack(gone))
  end
  if ageTrim then
    local stale = redis.call('ZRANGEBYSCORE', historyKey, '-inf', '(' .. (now - historyTtl * 1000), 'LIMIT', 0, 100)
    if #stale > 0 then
      redis.call('ZREM', historyKey, unpack(stale))
      redis.call('HDEL', messagesKey, unpack(stale))
    end
  end
  redis.call('EXPIRE', historyKey, historyTtl)
  redis.call('EXPIRE', messagesKey, historyTtl)
  local groupId = string.match(KEYS[g], ':group:(.*)$')
  for k = 2, #scores, 2 do
    announced[#announced + 1] = groupId .. '/' .. scores[k]
  end
end
if #announced > 0 then
  redis.call('XADD', eventsKey, 'MAXLEN', '~', eventsMax, '*', 'type', 'message.accepted',
    'messages', table.concat(announced, ' '), 'at', now)
end
out[1] = table.concat(codes)
return out
