"""Rate-limit budgets shared across processes and hosts on Redis, for the async Binance SDK: install it, and give
clients a :class:`RedisBudgetBackend` (``rate_limit_backend=``), or set ``BINANCE_RATELIMIT_REDIS_URL`` and
``BINANCE_RATELIMIT_REDIS_PROCESSES`` so every client of the process uses one.

``RedisBudgetBackend`` (and with it redis) is imported on first use: the entry point
(``binance_ratelimit_redis.plugin``) is loaded at ``import binance`` whether or not a URL is set."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from binance_ratelimit_redis.backend import RedisBudgetBackend

__all__ = ['RedisBudgetBackend']


def __getattr__(name: str) -> Any:
    if name == 'RedisBudgetBackend':
        from binance_ratelimit_redis.backend import RedisBudgetBackend

        globals()[name] = RedisBudgetBackend  # found directly from now on
        return RedisBudgetBackend
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
