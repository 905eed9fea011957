-- Forgets a user's phone after the SMS provider declared it dead, if it is still that number.
-- KEYS: user   ARGV: phone
if redis.call('HGET', KEYS[1], 'phone') == ARGV[1] then
  return redis.call('HDEL', KEYS[1], 'phone')
end
return 0
