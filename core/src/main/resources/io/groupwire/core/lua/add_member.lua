-- Adds a member to a group unless it is full.
-- KEYS: group, members   ARGV: user id, max members
-- Returns 1 added, 0 already a member, -1 no such group, -2 full
if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then
  return 0
end
if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[2]) then
  return -2
end
return redis.call('SADD', KEYS[2], ARGV[1])
