-- add_member: adds a member to a group unless it is full, atomically, so that concurrent additions
-- never push a group past its cap.
-- Java side: io.groupwire.core.directory.AddMemberScript.
--
-- KEYS: group, members
-- ARGV: user id, max members
-- Returns 1 added, 0 already a member, -1 no such group, -2 full.
local groupKey = KEYS[1]
local membersKey = KEYS[2]
local userId = ARGV[1]
local maxMembers = tonumber(ARGV[2])

if redis.call('EXISTS', groupKey) == 0 then
  return -1
end
if redis.call('SISMEMBER', membersKey, userId) == 1 then
  return 0
end
if redis.call('SCARD', membersKey) >= maxMembers then
  return -2
end
return redis.call('SADD', membersKey, userId)
