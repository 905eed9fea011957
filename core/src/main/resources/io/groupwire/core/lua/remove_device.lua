-- remove_device: removes a device registration, but only if it is the one meant: same token, and
-- (for a provider's invalidation) registered no later than the invalidation (compare and clear: a
-- token the app registered again after it was invalidated must stay).
-- Java side: io.groupwire.core.directory.RemoveDeviceScript.
--
-- KEYS: devices
-- ARGV: device id, token ('' = any), invalidated at ms (0 = unconditional)
-- Returns 1 removed, 0 kept or absent.
local devicesKey = KEYS[1]
local deviceId = ARGV[1]
local token = ARGV[2]
local invalidatedAt = tonumber(ARGV[3])

local json = redis.call('HGET', devicesKey, deviceId)
if not json then
  return 0
end
local d = cjson.decode(json)
if token ~= '' and d['token'] ~= token then
  return 0
end
if invalidatedAt > 0 and tonumber(d['created_at_millis']) > invalidatedAt then
  return 0
end
return redis.call('HDEL', devicesKey, deviceId)
