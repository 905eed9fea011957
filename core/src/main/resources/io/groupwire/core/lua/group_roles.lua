-- group_roles: reads or changes a group's membership and roles, checking the caller's right to do
-- it atomically with the change. A group has one owner (its creator, until ownership is handed
-- over), admins named by the owner or an admin, and members. Owner and admins add and remove
-- members and name admins; only the owner removes an admin, hands ownership over or demotes an
-- admin (an admin may step down); nobody removes the owner; any member may leave. When the owner
-- leaves, the longest-standing member becomes the owner.
-- Java side: io.groupwire.core.directory.GroupRolesScript.
--
-- Groups written before owners existed have no owner_id: their owner is the creator while the
-- creator is a member, else the longest-standing member; the first change records it. Members
-- without a join time (added before join times existed) count as joined when the group was
-- created; ties go to the smaller user id.
--
-- KEYS: group hash, members set, admins set, joined zset (member to join time ms)
-- ARGV: operation (view, add, remove, promote, demote, transfer), caller ('' = the directory
--       itself, which may do anything), target user, now ms, max members
-- Returns {status} or, for OK and SAME (nothing to change), {status, name, creator, created at,
-- owner, {admins}, {members}}. Statuses: OK, SAME, NO_GROUP, NOT_MEMBER (the caller is not a
-- member), FORBIDDEN (a member without the right), NO_TARGET (the target is not a member, or not an
-- admin for demote), FULL.
local groupKey = KEYS[1]
local membersKey = KEYS[2]
local adminsKey = KEYS[3]
local joinedKey = KEYS[4]
local op = ARGV[1]
local caller = ARGV[2]
local target = ARGV[3]
local now = tonumber(ARGV[4])
local maxMembers = tonumber(ARGV[5])

if redis.call('EXISTS', groupKey) == 0 then
  return {'NO_GROUP'}
end
local function member(u)
  return redis.call('SISMEMBER', membersKey, u) == 1
end
local function longestStanding()
  local createdAt = tonumber(redis.call('HGET', groupKey, 'created_at') or '0')
  local best, bestAt
  for _, m in ipairs(redis.call('SMEMBERS', membersKey)) do
    local score = redis.call('ZSCORE', joinedKey, m)
    local at = score and tonumber(score) or createdAt
    if not best or at < bestAt or (at == bestAt and m < best) then
      best, bestAt = m, at
    end
  end
  return best
end
local function recordedOwner()
  local owner = redis.call('HGET', groupKey, 'owner_id')
  if owner then
    -- '' records that the group was left empty
    if owner ~= '' and member(owner) then
      return owner
    end
    return longestStanding()
  end
  local creator = redis.call('HGET', groupKey, 'creator_id')
  if creator and member(creator) then
    return creator
  end
  return longestStanding()
end
local owner = recordedOwner()
local function setOwner(u)
  owner = u
  redis.call('HSET', groupKey, 'owner_id', u or '')
end
-- a change writes down the owner the rules above chose, so that it never changes by itself later
-- (a view writes nothing)
if op ~= 'view' and owner and redis.call('HGET', groupKey, 'owner_id') ~= owner then
  setOwner(owner)
end
local function view(status)
  local h = redis.call('HMGET', groupKey, 'name', 'creator_id', 'created_at')
  return {status, h[1] or '', h[2] or '', h[3] or '0', owner or '', redis.call('SMEMBERS', adminsKey),
          redis.call('SMEMBERS', membersKey)}
end

local system = caller == ''
if not system and not member(caller) then
  return {'NOT_MEMBER'}
end
local isOwner = system or caller == owner
local isAdmin = isOwner or redis.call('SISMEMBER', adminsKey, caller) == 1

if op == 'view' then
  return view('OK')
elseif op == 'add' then
  if not isAdmin then
    return {'FORBIDDEN'}
  end
  if member(target) then
    return view('SAME')
  end
  if redis.call('SCARD', membersKey) >= maxMembers then
    return {'FULL'}
  end
  redis.call('SADD', membersKey, target)
  redis.call('ZADD', joinedKey, 'NX', now, target)
  return view('OK')
elseif op == 'remove' then
  if not member(target) then
    return {'NO_TARGET'}
  end
  local leaving = target == caller
  local targetIsAdmin = redis.call('SISMEMBER', adminsKey, target) == 1
  if not leaving and not system then
    if target == owner or not isAdmin or (targetIsAdmin and not isOwner) then
      return {'FORBIDDEN'}
    end
  end
  redis.call('SREM', membersKey, target)
  redis.call('SREM', adminsKey, target)
  redis.call('ZREM', joinedKey, target)
  if target == owner then
    local heir = longestStanding()
    setOwner(heir)
    if heir then
      redis.call('SREM', adminsKey, heir)
    end
  end
  return {'OK'}
elseif op == 'promote' then
  if not isAdmin then
    return {'FORBIDDEN'}
  end
  if not member(target) then
    return {'NO_TARGET'}
  end
  if target == owner or redis.call('SISMEMBER', adminsKey, target) == 1 then
    return view('SAME')
  end
  redis.call('SADD', adminsKey, target)
  return view('OK')
elseif op == 'demote' then
  if not isOwner and caller ~= target then
    return {'FORBIDDEN'}
  end
  if redis.call('SREM', adminsKey, target) == 0 then
    return {'NO_TARGET'}
  end
  return view('OK')
elseif op == 'transfer' then
  if not isOwner then
    return {'FORBIDDEN'}
  end
  if not member(target) then
    return {'NO_TARGET'}
  end
  if target == owner then
    return view('SAME')
  end
  local previous = owner
  setOwner(target)
  redis.call('SREM', adminsKey, target)
  if previous then
    redis.call('SADD', adminsKey, previous)
  end
  return view('OK')
end
return redis.error_reply('group_roles: unknown operation ' .. op)
