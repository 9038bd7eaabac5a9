"""Client-side rate limiting: pools that mirror Binance's limits, shared across markets where Binance counts
them together (``PoolSpec.budget``), with a local snapshot; and the :class:`BudgetBackend` contract through which
a plugin (Redis: ``binance-ratelimit-redis``) shares them across processes and hosts.

The backend names (``BudgetBackend`` ... ``window_start``) load :mod:`binance_core.rate_limit.backend` on first
use: a process that shares no budget never imports it (``import binance`` stays fast)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from binance_core.lazy import lazy_exports
from binance_core.rate_limit.budgets import account_id
from binance_core.rate_limit.limiter import ConnectionLimits, RateLimiter
from binance_core.rate_limit.snapshot import RateLimitSnapshot, RateLimitWindow

if TYPE_CHECKING:
    from binance_core.rate_limit.backend import (
        BudgetBackend,
        Hold,
        LocalBudgetBackend,
        SharedPool,
        Taken,
        backend_from_plugins,
        window_start,
    )

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

# Exported here, defined in binance_core.rate_limit.backend (imported on first access).
_BACKEND = (
    'BudgetBackend',
    'Hold',
    'LocalBudgetBackend',
    'SharedPool',
    'Taken',
    'backend_from_plugins',
    'window_start',
)
__getattr__, __dir__ = lazy_exports(__name__, dict.fromkeys(_BACKEND, f'{__name__}.backend'))
