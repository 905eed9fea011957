-- release_number: a member left a group: the group's reply number for this phone is free again and
-- the mute goes. When other groups share the number (the pool's first, shared beyond the pool's
-- size), a reply to it goes to one of them from now on.
-- Java side: io.groupwire.core.reply.ReleaseNumberScript.
--
-- KEYS: phone hash (layout in reply_number.lua)
-- ARGV: group id
-- Returns the number released, or '' when the group had none.
local phoneKey = KEYS[1]
local group = ARGV[1]

local number = redis.call('HGET', phoneKey, 'g:' .. group)
redis.call('HDEL', phoneKey, 'g:' .. group, 'm:' .. group)
if not number then
  return ''
end
if redis.call('HGET', phoneKey, 'n:' .. number) == group then
  redis.call('HDEL', phoneKey, 'n:' .. number)
  local all = redis.call('HGETALL', phoneKey)
  for i = 1, #all, 2 do
    if string.sub(all[i], 1, 2) == 'g:' and all[i + 1] == number then
      redis.call('HSET', phoneKey, 'n:' .. number, string.sub(all[i], 3))
      break
    end
  end
end
return number
