-- bind_guids: binds each sender's source_guid to its first use (group and text digest), for the
-- senders of one lane (the shard their id maps to): the same use again matches, another use is a
-- conflict. The group's shard cannot see a guid its sender used in a group of another shard; this
-- binding, in the sender's lane, can. Records live in per-lane hashes, one per time bucket, as the
-- enqueue script keeps its own (field: sender and guid, value: the use).
-- Java side: io.groupwire.core.intake.BindGuidsScript.
--
-- KEYS: the lane's binding buckets (current first, then older)
-- ARGV: current bucket ttl s, then per guid: its field, its use
-- Returns one character per guid: N bound now, M the same use was bound before, C another use was.
local currentBucketKey = KEYS[1]
local bucketTtl = ARGV[1]
local FIRST_GUID_ARG = 2
local n = (#ARGV - 1) / 2

local fields = {}
for i = 1, n do
  fields[i] = ARGV[FIRST_GUID_ARG + 2 * (i - 1)]
end
local bound = {}
for b = 1, #KEYS do
  local found = redis.call('HMGET', KEYS[b], unpack(fields))
  for i = 1, n do
    if found[i] and not bound[fields[i]] then
      bound[fields[i]] = found[i]
    end
  end
end
local codes = {}
local writes = {}
for i = 1, n do
  local field, use = fields[i], ARGV[FIRST_GUID_ARG + 2 * (i - 1) + 1]
  local prior = bound[field]
  if not prior then
    bound[field] = use
    writes[#writes + 1] = field
    writes[#writes + 1] = use
    codes[i] = 'N'
  elseif prior == use then
    codes[i] = 'M'
  else
    codes[i] = 'C'
  end
end
if #writes > 0 then
  redis.call('HSET', currentBucketKey, unpack(writes))
  redis.call('EXPIRE', currentBucketKey, bucketTtl)
end
return table.concat(codes)
