"""The three Lua scripts the Redis backend runs: each call is one atomic round trip (``EVALSHA``), so processes
never over-commit between a check and an increment.

Time is Redis's own (``TIME``, in milliseconds), one clock for every sharer: hosts' clocks disagree, and a host
counting in windows of its own clock would start a fresh window while the others still fill the old one. So the
scripts work out each window's start and key, expiries and the ends of holds on that clock; holds come in as
durations, and the times they answer are durations too (milliseconds left), which the Python side adds to the
caller's clock.

Keys: the caller passes each window counter's key *prefix* (ending in ``:``), and the script appends the window
start (epoch seconds). Redis asks scripts to name their keys in ``KEYS``; a key built inside the script is fine on
a single server, and on a Redis Cluster as long as it lives in the slot of a key that was passed: every key here
begins with the same ``{prefix}`` hash tag, so every key, passed or built, hashes to one slot.
"""

from __future__ import annotations

__all__ = ['ADOPT', 'HOLD', 'TAKE']

# Shared by the scripts: Redis's clock in ms, and a window counter's key and ms left in its window.
_CLOCK = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function window(prefix, seconds)
  local len = seconds * 1000
  local start = now - now % len
  return prefix .. string.format('%d', start / 1000), start + len - now
end
"""

# KEYS: n window counter prefixes, then nb IP block hashes, then nh account order holds (hashes: until, banned).
# ARGV: n, enforce (1/0), nb, nh, grace (ms a counter outlives its window), then for each window: amount, limit,
# seconds (the window's length).
# Returns {ok, full (1-based, 0: none), blocked_ms, banned, orders_held_ms, count_1 .. count_n, left_1 .. left_n}:
# the ms a block and an order hold still run (0: none), each window's count and the ms left in it.
# A window refuses an amount that would take it past its limit unless it is empty (Binance lets one call heavier
# than the budget through into an empty window, and so does the in-process limiter). With enforce=0 everything
# is counted (guard off; usage counted locally while Redis was away). Amounts of 0 read only.
TAKE = (
    _CLOCK
    + """
local n = tonumber(ARGV[1])
local nb = tonumber(ARGV[3])
local nh = tonumber(ARGV[4])
local grace = tonumber(ARGV[5])
local blocked, banned, held = 0, 0, 0
for j = n + 1, n + nb do
  local b = redis.call('HMGET', KEYS[j], 'until', 'banned')
  local left = (tonumber(b[1]) or 0) - now
  if left > blocked then blocked = left; banned = tonumber(b[2]) or 0 end
end
for j = n + nb + 1, n + nb + nh do
  local left = (tonumber(redis.call('HGET', KEYS[j], 'until')) or 0) - now
  if left > held then held = left end
end
local out = {1, 0, blocked, banned, held}
local keys = {}
local full = 0
for i = 1, n do
  local left
  keys[i], left = window(KEYS[i], tonumber(ARGV[3 * i + 5]))
  local used = tonumber(redis.call('GET', keys[i])) or 0
  local amount = tonumber(ARGV[3 * i + 3])
  if full == 0 and amount > 0 and used > 0 and used + amount > tonumber(ARGV[3 * i + 4]) then full = i end
  out[5 + i] = used
  out[5 + n + i] = left
end
if ARGV[2] == '1' and (full > 0 or blocked > 0 or held > 0) then
  out[1] = 0
  out[2] = full
  return out
end
for i = 1, n do
  local amount = tonumber(ARGV[3 * i + 3])
  if amount > 0 then
    out[5 + i] = redis.call('INCRBY', keys[i], amount)
    redis.call('PEXPIRE', keys[i], out[5 + n + i] + grace)
  end
end
return out
"""
)

# KEYS: n window counter prefixes. ARGV: n, grace (ms), then for each window: Binance's count, seconds.
# Keeps the larger of the shared count and Binance's in the current window (never lower: other processes'
# requests may still be on their way), returns the counts kept.
ADOPT = (
    _CLOCK
    + """
local grace = tonumber(ARGV[2])
local out = {}
for i = 1, tonumber(ARGV[1]) do
  local key, left = window(KEYS[i], tonumber(ARGV[2 * i + 2]))
  local count = tonumber(ARGV[2 * i + 1])
  local used = tonumber(redis.call('GET', key)) or 0
  if count > used then
    redis.call('SET', key, count, 'PX', left + grace)
    used = count
  end
  out[i] = used
end
return out
"""
)

# KEYS[1]: an IP block or an account order hold (a hash: until, in Redis's ms, and banned).
# ARGV: the hold's duration (ms), banned (1/0), grace (ms the key outlives the hold).
# A hold only ever grows: a shorter one arriving later never shortens a ban.
HOLD = (
    _CLOCK
    + """
local ms = tonumber(ARGV[1])
local ends = now + ms
local current = tonumber(redis.call('HGET', KEYS[1], 'until')) or 0
if ends > current then
  redis.call('HSET', KEYS[1], 'until', ends, 'banned', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ms + tonumber(ARGV[3]))
  return 1
end
return 0
"""
)
