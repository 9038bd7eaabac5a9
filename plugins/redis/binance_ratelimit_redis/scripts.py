"""The three Lua scripts the Redis backend runs: each call is one atomic round trip (``EVALSHA``), so processes
never over-commit between a check and an increment. Times are epoch milliseconds on the callers' clock."""

from __future__ import annotations

__all__ = ['ADOPT', 'HOLD', 'TAKE']

# KEYS: n window counters, then nb IP block hashes, then nh account order holds (hashes: until, banned).
# ARGV: now, n, enforce (1/0), nb, nh, then for each window: amount, limit, ttl (ms).
# Returns {ok, full (1-based, 0: none), blocked_until, banned, orders_held_until, count_1 .. count_n}.
# A window refuses an amount that would take it past its limit unless it is empty (Binance lets one call heavier
# than the budget through into an empty window, and so does the in-process limiter). With enforce=0 everything
# is counted (guard off; usage counted locally while Redis was away). Amounts of 0 read only.
TAKE = """
local now = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local nb = tonumber(ARGV[4])
local nh = tonumber(ARGV[5])
local blocked, banned, held = 0, 0, 0
for j = n + 1, n + nb do
  local b = redis.call('HMGET', KEYS[j], 'until', 'banned')
  local t = tonumber(b[1]) or 0
  if t > blocked then blocked = t; banned = tonumber(b[2]) or 0 end
end
for j = n + nb + 1, n + nb + nh do
  local t = tonumber(redis.call('HGET', KEYS[j], 'until')) or 0
  if t > held then held = t end
end
local out = {1, 0, blocked, banned, held}
local full = 0
for i = 1, n do
  local used = tonumber(redis.call('GET', KEYS[i])) or 0
  local amount = tonumber(ARGV[3 * i + 3])
  if full == 0 and amount > 0 and used > 0 and used + amount > tonumber(ARGV[3 * i + 4]) then full = i end
  out[5 + i] = used
end
if ARGV[3] == '1' and (full > 0 or blocked > now or held > now) then
  out[1] = 0
  out[2] = full
  return out
end
for i = 1, n do
  local amount = tonumber(ARGV[3 * i + 3])
  if amount > 0 then
    out[5 + i] = redis.call('INCRBY', KEYS[i], amount)
    redis.call('PEXPIRE', KEYS[i], ARGV[3 * i + 5])
  end
end
return out
"""

# KEYS: n window counters. ARGV: n, then for each window: Binance's count, ttl (ms).
# Keeps the larger of the shared count and Binance's (never lower: other processes' requests may still be on
# their way), returns the counts kept.
ADOPT = """
local out = {}
for i = 1, tonumber(ARGV[1]) do
  local count = tonumber(ARGV[2 * i])
  local used = tonumber(redis.call('GET', KEYS[i])) or 0
  if count > used then
    redis.call('SET', KEYS[i], count, 'PX', ARGV[2 * i + 1])
    used = count
  end
  out[i] = used
end
return out
"""

# KEYS[1]: an IP block or an account order hold (a hash: until, banned). ARGV: until, banned (1/0), ttl (ms).
# A hold only ever grows: a shorter one arriving later never shortens a ban.
HOLD = """
local current = tonumber(redis.call('HGET', KEYS[1], 'until')) or 0
if tonumber(ARGV[1]) > current then
  redis.call('HSET', KEYS[1], 'until', ARGV[1], 'banned', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return 1
end
return 0
"""
