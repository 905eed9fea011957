-- Accepts a batch of messages into one shard's mailbox (group commit: the gateway's concurrent
-- requests for a shard share one call). Each message is checked on its own, atomically with its
-- storage: the group exists, the sender is a member, the source_guid is new, the mailbox is under
-- its high-water mark and none of the shard's outboxes is over its own (back-pressure: when the
-- providers cannot keep up, clients are told to retry instead of Redis running out of memory).
-- The source_guid record holds only the first message's id, time and group.
-- KEYS: mailbox, outbox apns, outbox fcm, outbox sms, then per message: group, members, guid
-- ARGV: guid ttl s, mailbox high-water mark, outbox high-water mark (0 = none), then per message:
--       sender, message JSON, guid record
-- Returns {codes, prior...}: one character per message (A accepted, D duplicate, G no group,
-- M not a member, F full) and, for each D in order, the first message's guid record.
local ttl = ARGV[1]
local hwm = tonumber(ARGV[2])
local outboxHwm = tonumber(ARGV[3])
local depth = -1
if hwm > 0 then
  depth = redis.call('LLEN', KEYS[1])
end
if outboxHwm > 0 then
  for k = 2, 4 do
    if redis.call('LLEN', KEYS[k]) >= outboxHwm then
      hwm = 1
      depth = 1
    end
  end
end
local codes = {}
local accepted = {}
local out = {''}
local seen = {}
for i = 1, (#KEYS - 4) / 3 do
  local group, members, guid = KEYS[3 * i + 2], KEYS[3 * i + 3], KEYS[3 * i + 4]
  local a = 3 * i + 1
  local sender = ARGV[a]
  local who = members .. '\0' .. sender
  local known = seen[who]
  if known == nil then
    if redis.call('EXISTS', group) == 0 then
      known = 'G'
    elseif redis.call('SISMEMBER', members, sender) == 0 then
      known = 'M'
    else
      known = 'A'
    end
    seen[who] = known
  end
  if known ~= 'A' then
    codes[i] = known
  elseif not redis.call('SET', guid, ARGV[a + 2], 'NX', 'EX', ttl) then
    -- a retry of an accepted message is answered as such, even under back-pressure
    codes[i] = 'D'
    out[#out + 1] = redis.call('GET', guid)
  elseif hwm > 0 and depth >= hwm then
    redis.call('DEL', guid)
    codes[i] = 'F'
  else
    accepted[#accepted + 1] = ARGV[a + 1]
    if depth >= 0 then
      depth = depth + 1
    end
    codes[i] = 'A'
  end
end
-- one push for the batch, in order: the first accepted is the first to be claimed
if #accepted > 0 then
  redis.call('LPUSH', KEYS[1], unpack(accepted))
end
out[1] = table.concat(codes)
return out
