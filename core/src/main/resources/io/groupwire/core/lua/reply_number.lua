-- reply_number: the number a member sees a group from, assigned atomically when first needed: the
-- first pool number this phone uses for no other group, else (more groups than numbers) the pool's
-- first number, shared, whose replies go to the group that most recently sent on it. Kept stable
-- until release_number. Also says whether the phone opted out and whether it muted the group, so
-- that the fan-out learns everything about an SMS recipient in one call.
-- Java side: io.groupwire.core.reply.ReplyNumberScript.
--
-- Layout of the phone's hash: user (the user id that owns the phone), optout ('1' after STOP),
-- n:NUMBER (the group a reply to NUMBER goes to), g:GROUP (the group's number for this phone),
-- m:GROUP ('1' while the phone muted the group).
--
-- KEYS: phone hash
-- ARGV: user id, group id, mode ('send': an SMS goes out now, so a shared number points at this
--       group; 'view': only look or assign), the pool's numbers (ARGV[4]...)
-- Returns {number, opted out 0/1, muted 0/1, the phone's owner is this user 0/1}.
local phoneKey = KEYS[1]
local user = ARGV[1]
local group = ARGV[2]
local mode = ARGV[3]
local firstNumber = 4

local owner = redis.call('HGET', phoneKey, 'user')
if not owner then
  redis.call('HSET', phoneKey, 'user', user)
  owner = user
end
local optout = redis.call('HEXISTS', phoneKey, 'optout')
local muted = redis.call('HEXISTS', phoneKey, 'm:' .. group)
if owner ~= user then
  -- another user holds this phone: they get the shared number and their replies route nowhere
  return {ARGV[firstNumber], optout, muted, 0}
end

local number = redis.call('HGET', phoneKey, 'g:' .. group)
if not number then
  for i = firstNumber, #ARGV do
    if redis.call('HEXISTS', phoneKey, 'n:' .. ARGV[i]) == 0 then
      number = ARGV[i]
      break
    end
  end
  number = number or ARGV[firstNumber]
  redis.call('HSET', phoneKey, 'g:' .. group, number, 'n:' .. number, group)
elseif mode == 'send' and number == ARGV[firstNumber] then
  redis.call('HSET', phoneKey, 'n:' .. number, group)
end
return {number, optout, muted, 1}
