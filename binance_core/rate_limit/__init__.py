"""Client-side rate limiting: per-market pools that mirror Binance's limits, with a local snapshot."""

from binance_core.rate_limit.limiter import ConnectionLimits, RateLimiter
from binance_core.rate_limit.snapshot import RateLimitSnapshot, RateLimitWindow

__all__ = ['ConnectionLimits', 'RateLimitSnapshot', 'RateLimitWindow', 'RateLimiter']
