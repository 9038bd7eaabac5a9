"""Rate-limit budgets shared across processes and hosts on Redis, for the async Binance SDK: install it, and give
clients a :class:`RedisBudgetBackend` (``rate_limit_backend=``), or set ``BINANCE_RATELIMIT_REDIS_URL`` and
``BINANCE_RATELIMIT_REDIS_PROCESSES`` so every client of the process uses one."""

from binance_ratelimit_redis.backend import RedisBudgetBackend

__all__ = ['RedisBudgetBackend']
