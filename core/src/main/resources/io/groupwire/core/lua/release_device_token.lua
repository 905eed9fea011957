-- release_device_token: ends a device token's registration everywhere when its owner gives it up
-- (the user deleted the device, or the provider declared the token dead): the token's owner record
-- becomes the tombstone, which no user's registration matches, unless another user holds the token
-- by now (then it is theirs and stays). A token with no owner record (registered before owner
-- records existed) gets the tombstone too, so that every older registration of it ends as well.
-- Java side: io.groupwire.core.directory.ReleaseDeviceTokenScript.
--
-- KEYS: the token's owner record
-- ARGV: the owner value that may be released ("userId deviceId"), the tombstone
-- Returns 1 released, 0 held by someone else.
local ownerKey = KEYS[1]
local expectedOwner = ARGV[1]
local tombstone = ARGV[2]

local owner = redis.call('GET', ownerKey)
if owner and owner ~= expectedOwner and owner ~= tombstone then
  return 0
end
redis.call('SET', ownerKey, tombstone)
return 1
