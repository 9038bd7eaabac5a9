"""Client-side rate limiting: pools that mirror Binance's limits, shared across markets where Binance counts
them together (``PoolSpec.budget``), with a local snapshot; and the :class:`BudgetBackend` contract through which
a plugin (Redis: ``binance-ratelimit-redis``) shares them across processes and hosts."""

from binance_core.rate_limit.backend import (
    BudgetBackend,
    Hold,
    LocalBudgetBackend,
    SharedPool,
    Taken,
    backend_from_plugins,
    window_start,
)
from binance_core.rate_limit.budgets import account_id
from binance_core.rate_limit.limiter import ConnectionLimits, RateLimiter
from binance_core.rate_limit.snapshot import RateLimitSnapshot, RateLimitWindow

__all__ = [
    'BudgetBackend',
    'ConnectionLimits',
    'Hold',
    'LocalBudgetBackend',
    'RateLimitSnapshot',
    'RateLimitWindow',
    'RateLimiter',
    'SharedPool',
    'Taken',
    'account_id',
    'backend_from_plugins',
    'window_start',
]
