"""The ``binance.plugins`` entry point: supplies a :class:`RedisBudgetBackend` to every market's clients when
``BINANCE_RATELIMIT_REDIS_URL`` is set, and nothing otherwise (installing the plugin changes nothing by itself).

Environment (read when clients are assembled, at ``import binance``):

- ``BINANCE_RATELIMIT_REDIS_URL``: ``redis://host:port/db``; unset or empty: the plugin stays out of the way.
- ``BINANCE_RATELIMIT_REDIS_PROCESSES``: how many processes share the budget (required with the URL).
- ``BINANCE_RATELIMIT_REDIS_EGRESS``: the egress label; default: this host's name.
- ``BINANCE_RATELIMIT_REDIS_TIMEOUT``: seconds per Redis call before counting locally; default 0.075.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from binance_core import MarketSpec, hookimpl

if TYPE_CHECKING:
    from binance_ratelimit_redis.backend import RedisBudgetBackend

__all__ = ['backend_from_environment', 'binance_rate_limit_backend']

# One backend per configuration in a process: every market's clients share it (and its fallback state).
_BACKENDS: dict[tuple[str, int, str | None, float], RedisBudgetBackend] = {}


def backend_from_environment() -> RedisBudgetBackend | None:
    """The backend ``BINANCE_RATELIMIT_REDIS_*`` describe, or ``None`` when no URL is set.

    :raises ValueError: a URL without a valid ``BINANCE_RATELIMIT_REDIS_PROCESSES`` (the fallback share
        depends on it), or another invalid setting; the message names the variable.
    """
    url = os.environ.get('BINANCE_RATELIMIT_REDIS_URL', '').strip()
    if not url:
        return None
    raw = os.environ.get('BINANCE_RATELIMIT_REDIS_PROCESSES', '').strip()
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(
            'BINANCE_RATELIMIT_REDIS_URL is set but BINANCE_RATELIMIT_REDIS_PROCESSES is not a positive number: '
            'set it to how many processes share the budget (each uses 1/N of every limit while Redis is away)'
        )
    egress = os.environ.get('BINANCE_RATELIMIT_REDIS_EGRESS', '').strip() or None
    try:
        timeout = float(os.environ.get('BINANCE_RATELIMIT_REDIS_TIMEOUT', '') or 0.075)
    except ValueError:
        raise ValueError('BINANCE_RATELIMIT_REDIS_TIMEOUT must be seconds, e.g. 0.075') from None
    key = (url, int(raw), egress, timeout)
    backend = _BACKENDS.get(key)
    if backend is None:
        # Imported once a URL is set: an installed plugin left unconfigured never loads redis.
        from binance_ratelimit_redis.backend import RedisBudgetBackend

        backend = _BACKENDS[key] = RedisBudgetBackend(url, processes=int(raw), egress=egress, timeout=timeout)
    return backend


@hookimpl
def binance_rate_limit_backend(market: MarketSpec) -> RedisBudgetBackend | None:
    return backend_from_environment()
