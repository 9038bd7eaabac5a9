"""Client-side rate limiting: pools that mirror Binance's limits, shared across markets where Binance counts
them together (``PoolSpec.budget``), with a local snapshot."""

from binance_core.rate_limit.limiter import ConnectionLimits, RateLimiter
from binance_core.rate_limit.snapshot import RateLimitSnapshot, RateLimitWindow

__all__ = ['ConnectionLimits', 'RateLimitSnapshot', 'RateLimitWindow', 'RateLimiter']
