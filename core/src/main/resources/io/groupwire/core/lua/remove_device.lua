-- Removes a device registration, but only if it is the one meant: same token, and (for a
-- provider's invalidation) registered no later than the invalidation (compare and clear: a token
-- the app registered again after it was invalidated must stay).
-- KEYS: devices   ARGV: device id, token ('' = any), invalidated at ms (0 = unconditional)
-- Returns 1 removed, 0 kept or absent
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then
  return 0
end
local d = cjson.decode(json)
if ARGV[2] ~= '' and d['token'] ~= ARGV[2] then
  return 0
end
local at = tonumber(ARGV[3])
if at > 0 and tonumber(d['created_at_millis']) > at then
  return 0
end
return redis.call('HDEL', KEYS[1], ARGV[1])
