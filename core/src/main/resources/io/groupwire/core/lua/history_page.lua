-- history_page: one page of a group's history for a member, newest first, with each message's like
-- count, read atomically with the membership check.
-- Java side: io.groupwire.core.history.HistoryPageScript.
--
-- Pages by rank in the history zset (message ids by acceptance time): 'before' gives the messages
-- just older than that message, 'after' the ones just newer (catch-up after a reconnect; still
-- answered newest first), both the ones between.
--
-- KEYS: group members, history, history messages, like counts
-- ARGV: user, before message id ('' for none), after message id ('' for none), limit
-- Returns {'M'} when the user is not a member (or there is no group), {'C'} when a before or after
-- message is not in the history, else {'OK', json, like count, json, like count, ...}.
local membersKey = KEYS[1]
local historyKey = KEYS[2]
local messagesKey = KEYS[3]
local countsKey = KEYS[4]
local user = ARGV[1]
local before = ARGV[2]
local after = ARGV[3]
local limit = tonumber(ARGV[4])

if redis.call('SISMEMBER', membersKey, user) == 0 then
  return {'M'}
end
-- ranks count from the newest (0)
local first, last = 0, limit - 1
if before ~= '' then
  local r = redis.call('ZREVRANK', historyKey, before)
  if not r then
    return {'C'}
  end
  first, last = r + 1, r + limit
end
if after ~= '' then
  local r = redis.call('ZREVRANK', historyKey, after)
  if not r then
    return {'C'}
  end
  if before == '' then
    first, last = math.max(0, r - limit), r - 1
  else
    last = math.min(last, r - 1)
  end
end
local out = {'OK'}
if last < first then
  return out
end
local ids = redis.call('ZREVRANGE', historyKey, first, last)
if #ids == 0 then
  return out
end
local jsons = redis.call('HMGET', messagesKey, unpack(ids))
local counts = redis.call('HMGET', countsKey, unpack(ids))
for i = 1, #ids do
  if jsons[i] then
    out[#out + 1] = jsons[i]
    out[#out + 1] = counts[i] or '0'
  end
end
return out
