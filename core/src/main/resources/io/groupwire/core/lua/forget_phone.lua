-- forget_phone: a user lost their phone (the provider declared it dead): its reply numbers, mutes
-- and owner go, if the phone still belongs to that user (compare and clear).
-- Java side: io.groupwire.core.reply.ForgetPhoneScript.
--
-- KEYS: phone hash (layout in reply_number.lua)
-- ARGV: user id
-- Returns 1 forgotten, 0 kept.
local phoneKey = KEYS[1]
local user = ARGV[1]

if redis.call('HGET', phoneKey, 'user') == user then
  return redis.call('DEL', phoneKey)
end
return 0
