-- clear_phone: forgets a user's phone after the SMS provider declared it dead, if it is still that
-- number (compare and clear: a number the user set again meanwhile stays).
-- Java side: io.groupwire.core.directory.ClearPhoneScript.
--
-- KEYS: user
-- ARGV: phone
-- Returns 1 forgotten, 0 kept (another number, or none).
local userKey = KEYS[1]
local phone = ARGV[1]

if redis.call('HGET', userKey, 'phone') == phone then
  return redis.call('HDEL', userKey, 'phone')
end
return 0
