-- inbound_route: where a text from a phone to one of the pool's numbers goes, from the one key
-- that holds all of it (the phone's hash, layout in reply_number.lua), so it works on Redis Cluster.
-- Java side: io.groupwire.core.reply.InboundRouteScript.
--
-- KEYS: phone hash
-- ARGV: the number the text was sent to
-- Returns {user id or '', group id or '', opted out 0/1, muted 0/1}.
local phoneKey = KEYS[1]
local number = ARGV[1]

local h = redis.call('HMGET', phoneKey, 'user', 'n:' .. number, 'optout')
local group = h[2] or ''
local muted = 0
if group ~= '' then
  muted = redis.call('HEXISTS', phoneKey, 'm:' .. group)
end
return {h[1] or '', group, h[3] and 1 or 0, muted}
