-- Marks claimed deliveries 'sending' before the provider call, and says what to do with each:
--   go        first attempt or a scheduled retry: send it
--   ambiguous it was 'sending' when its previous owner died: the provider may have it already
--   done      already settled (sent, failed, dead, expired...): acknowledge, do not send
--   gone      its ledger expired with its message: acknowledge, do not send
-- A repeat of a begin whose answer this worker never got (a dropped connection, replicas that did
-- not acknowledge in time) names that begin's time: its own marks from then are known unsent.
-- KEYS: ledger per delivery   ARGV: worker, now ms, repeated begin's ms (0: none), delivery id per delivery
local out = {}
local mark = 'sending:' .. ARGV[1] .. ':' .. ARGV[2]
local repeated = ARGV[3] ~= '0' and ('sending:' .. ARGV[1] .. ':' .. ARGV[3]) or nil
for i = 1, #KEYS do
  local id = ARGV[i + 3]
  local state = redis.call('HGET', KEYS[i], id)
  if not state then
    out[i] = 'gone'
  elseif state == 'queued' or state == 'retry' or state == repeated then
    redis.call('HSET', KEYS[i], id, mark)
    out[i] = 'go'
  elseif string.sub(state, 1, 8) == 'sending:' then
    -- remembered, so that an audit can tell a resend the policy allows from a true duplicate
    redis.call('HSET', KEYS[i], id, mark, 'amb:' .. id, 1)
    out[i] = 'ambiguous'
  else
    out[i] = 'done'
  end
end
return out
