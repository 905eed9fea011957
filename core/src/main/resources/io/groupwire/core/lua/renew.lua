-- Renews a lease the caller holds, and never takes one: a queue that is being given up is renewed
-- until its release completes, and a renewal that crossed the release on the wire must not take the
-- freed lease again (acquire.lua would, and would keep the next owner waiting a whole lease).
-- Called by io.groupwire.core.queue.RenewLeaseScript, which owns this layout.
--
-- KEYS: lease
-- ARGV: worker, lease ms
-- Returns 1 when the caller held the lease (now renewed), 0 when it did not (nothing changed).
local lease_key = KEYS[1]
local worker = ARGV[1]
local lease_ms = ARGV[2]

if redis.call('GET', lease_key) ~= worker then
  return 0
end
redis.call('PEXPIRE', lease_key, lease_ms)
return 1
