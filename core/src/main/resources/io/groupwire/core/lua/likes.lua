-- likes: a member likes or unlikes a message kept in the group's history, or lists who liked it.
-- A change is appended to the shard's event stream in the same atomic step (like.added,
-- like.removed, naming the message's author, for the notifier and the counters); repeating a like
-- or an unlike changes nothing and appends nothing.
-- Java side: io.groupwire.core.history.LikesScript.
--
-- KEYS: group members, history messages, likes of the message, event stream
-- ARGV: operation (add, remove, list), user, message id, group id, now ms, like ttl s, event stream
--       max length
-- Returns {'M'} when the user is not a member (or there is no group), {'N'} when the message is not
-- in the history; else for add and remove {'OK', 1 if it changed anything else 0}, for list
-- {'OK', user, liked at ms, ...}.
local membersKey = KEYS[1]
local messagesKey = KEYS[2]
local likesKey = KEYS[3]
local eventsKey = KEYS[4]
local op = ARGV[1]
local user = ARGV[2]
local messageId = ARGV[3]
local groupId = ARGV[4]
local now = ARGV[5]
local ttl = ARGV[6]
local eventsMax = ARGV[7]

if redis.call('SISMEMBER', membersKey, user) == 0 then
  return {'M'}
end
local json = redis.call('HGET', messagesKey, messageId)
if not json then
  return {'N'}
end
if op == 'list' then
  local out = {'OK'}
  for _, v in ipairs(redis.call('HGETALL', likesKey)) do
    out[#out + 1] = v
  end
  return out
end
local changed
local type
if op == 'add' then
  changed = redis.call('HSETNX', likesKey, user, now)
  type = 'like.added'
else
  changed = redis.call('HDEL', likesKey, user)
  type = 'like.removed'
end
if changed == 1 then
  redis.call('EXPIRE', likesKey, ttl)
  local author = cjson.decode(json)['sender_id']
  redis.call('XADD', eventsKey, 'MAXLEN', '~', eventsMax, '*', 'type', type, 'group', groupId,
    'message', messageId, 'user', user, 'author', author, 'at', now)
end
return {'OK', changed}
