"""How long requests are held after a 429 or 418: Binance's own figure when it sends one, else one documented
default shared by the WS-API and REST transports.

Binance rules this follows (Spot docs, "LIMITS" in rest-api.md and web-socket-api.md; BINANCE-API.md §12.3-§12.4):
- A 429 means slow down; carrying on after 429s gets the IP banned with a 418, for 2 minutes to 3 days.
- REST sends ``Retry-After`` (seconds) with both; the WS-API sends ``error.data.retryAfter`` (an epoch-ms time).
- When neither comes (a proxy in between, a truncated answer), the SDK still holds back: for a 429 the length of
  the shortest request-weight window (1 minute, calendar-aligned, so a full minute always sees it reset), and
  for a 418 the shortest ban Binance gives (2 minutes).
"""

from __future__ import annotations

__all__ = ['BAN_FALLBACK', 'RATE_LIMIT_FALLBACK', 'hold_seconds']

# A 429 without a time: one REQUEST_WEIGHT window (1 minute).
RATE_LIMIT_FALLBACK = 60.0
# A 418 without a time: Binance's bans start at 2 minutes.
BAN_FALLBACK = 120.0


def hold_seconds(retry_after: float | None, *, banned: bool) -> float:
    """Seconds to hold requests after a 429 (or a 418 when *banned*): *retry_after* when Binance gave one,
    else :data:`RATE_LIMIT_FALLBACK` (429) or :data:`BAN_FALLBACK` (418)."""
    if retry_after is not None:
        return max(0.0, float(retry_after))
    return BAN_FALLBACK if banned else RATE_LIMIT_FALLBACK
