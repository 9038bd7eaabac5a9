"""Read-only views of the rate-limit pools, as returned by ``client.rate_limit_snapshot()``."""

from __future__ import annotations

import attrs

__all__ = ['RateLimitSnapshot', 'RateLimitWindow']


@attrs.frozen
class RateLimitWindow:
    """One pool at one moment.

    Attributes:
        scope: ``'ip'``, ``'account'`` or ``'connection'``.
        type: ``request_weight`` | ``raw_requests`` | ``orders`` | ``ws_connections`` |
            ``ws_messages`` | ``ws_streams``.
        interval: ``'1m'``, ``'10s'``, ...; ``None`` for a cap (streams per connection).
        used: usage in the current window.
        limit: the effective cap (Binance's limit times the pool's safety factor).
        remaining: ``max(0, limit - used)``.
        utilization: ``used / limit`` (can exceed 1.0 with the guard off or after a header).
        pending: callers currently waiting on this pool.
        source: ``'header'`` when reconciled from Binance in this window, else ``'client'``.
        budget: the ``PoolSpec.budget`` this pool shares with other markets' pools (USDⓈ-M and COIN-M
            count IP weight and account orders together since 2026-06-30), or ``None`` for the
            limiter's own pool. A shared window's ``used``, ``pending`` and ``source`` count every
            limiter in the process drawing from it (per environment, and per API key for account pools).
        group: the ``PoolSpec.group`` of an endpoint-specific pool (only the rows naming it are charged, one
            request per call), or ``None`` for a general pool.
        backend: the name of the :class:`~binance_core.rate_limit.backend.BudgetBackend` that counts this window
            for every process on the budget (``used`` is its count at the latest answer, every sharer's), or
            ``None`` when counted in this process.
    """

    scope: str
    type: str
    interval: str | None
    used: int
    limit: int
    remaining: int
    utilization: float
    pending: int
    source: str
    # Last, with a default: positional construction written before budgets keeps working.
    budget: str | None = None
    group: str | None = None
    backend: str | None = None

    @property
    def shared(self) -> bool:
        """Whether other limiters draw from this window too (a ``budget`` or a ``backend``)."""
        return self.budget is not None or self.backend is not None


@attrs.frozen
class RateLimitSnapshot:
    """Every pool of one limiter, computed locally (no network).

    Attributes:
        windows: one :class:`RateLimitWindow` per pool; connection pools appear while a
            connection is open, showing the busiest open connection. A shared pool appears once,
            also when the limiter serves two markets.
        pending: this limiter's calls currently waiting on any pool or on a Retry-After block
            (callers of other limiters sharing a budget show in that window's ``pending``).
        retry_after: seconds left on a 429/418 Retry-After block, or ``None``.
        throttled: ``True`` while anything waits or a Retry-After block is active.
        at: when the snapshot was taken (epoch seconds, the limiter's clock).
        max_utilization: the highest ``utilization`` among ``windows`` (0.0 when none).
    """

    windows: tuple[RateLimitWindow, ...]
    pending: int
    retry_after: float | None
    throttled: bool
    at: float
    max_utilization: float
