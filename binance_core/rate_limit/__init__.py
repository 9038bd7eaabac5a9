"""Client-side rate limiting: pools that mirror Binance's limits, shared across markets where Binance counts
them together (``PoolSpec.budget``), with a local snapshot; and the :class:`BudgetBackend` contract through which
a plugin (Redis: ``binance-ratelimit-redis``) shares them across processes and hosts.

The backend names (``BudgetBackend`` ... ``window_start``) load :mod:`binance_core.rate_limit.backend` on first
use: a process that shares no budget never imports it (``import binance`` stays fast)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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
_BACKEND_NAMES = frozenset(
    {'BudgetBackend', 'Hold', 'LocalBudgetBackend', 'SharedPool', 'Taken', 'backend_from_plugins', 'window_start'}
)


def __getattr__(name: str) -> Any:
    if name in _BACKEND_NAMES:
        value = getattr(importlib.import_module(f'{__name__}.backend'), name)
        globals()[name] = value  # found directly from now on
        return value
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
