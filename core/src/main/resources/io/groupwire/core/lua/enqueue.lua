-- Accepts a message into its group's mailbox, atomically with the checks that decide whether it
-- may be accepted: the group exists, the sender is a member, the source_guid is new, the mailbox
-- is under its high-water mark.
-- KEYS: group, members, guid, mailbox   ARGV: sender, message JSON, guid ttl s, high-water mark (0 = none)
-- Returns {status, message JSON}: accepted | duplicate (with the first message) | no_group | not_member | full
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'no_group'}
end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then
  return {'not_member'}
end
local prior = redis.call('GET', KEYS[3])
if prior then
  return {'duplicate', prior}
end
local hwm = tonumber(ARGV[4])
if hwm > 0 and redis.call('LLEN', KEYS[4]) >= hwm then
  return {'full'}
end
redis.call('LPUSH', KEYS[4], ARGV[2])
redis.call('SET', KEYS[3], ARGV[2], 'EX', ARGV[3])
return {'accepted', ARGV[2]}
