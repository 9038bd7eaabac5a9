"""The process's shared rate-limit counters: one window per budget, environment, pool and account, per
event loop, so every limiter whose pool rows name the same ``PoolSpec.budget`` draws from one count."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

from binance_core.rate_limit.pools import Window
from binance_core.specs import PoolSpec

if TYPE_CHECKING:
    from binance_core.rate_limit.backend import BudgetBackend
    from binance_core.rate_limit.limiter import RateLimiter
    from binance_core.rate_limit.shared import BackendState

__all__ = ['AccountBudget', 'Budgets', 'IPBudget', 'WindowKey', 'account_id', 'budgets_for']

log = logging.getLogger('binance.rate_limit')

# (budget, environment, scope, type, interval, account id, group); the account id is None for ip pools, the
# group None for a general pool.
WindowKey = tuple[str, str, str, str, str | None, str | None, str | None]


def account_id(api_key: str | None) -> str | None:
    """A stable stand-in for *api_key* in registry keys, so no key is kept or shown anywhere."""
    if api_key is None:
        return None
    return hashlib.blake2b(api_key.encode(), digest_size=16, person=b'binance-rl').hexdigest()


class IPBudget:
    """The Retry-After state of one IP-scoped budget in one environment.

    A 429 or 418 is Binance answering for the IP's whole pool (Binance "LIMITS": the ban is per IP), so
    every limiter drawing from the budget holds back, not only the one whose request was refused.

    Attributes:
        blocked_until: epoch seconds until which the budget is held; 0 when never blocked.
        banned: whether the latest hold came from a 418 IP ban.
        limiters: the limiters that currently share the budget (weakly held).
    """

    __slots__ = ('banned', 'blocked_until', 'limiters')

    def __init__(self) -> None:
        self.blocked_until = 0.0
        self.banned = False
        self.limiters: weakref.WeakSet[RateLimiter] = weakref.WeakSet()

    def hold(self, until: float, banned: bool) -> None:
        """Hold every sharer back until *until* (epoch seconds) unless they are held longer already."""
        if until > self.blocked_until:
            self.blocked_until, self.banned = until, banned
        for limiter in tuple(self.limiters):
            limiter._hold(until, banned)


class AccountBudget:
    """The ``-1015`` state of one account-scoped budget (one API key, one environment).

    A ``-1015`` (too many new orders) is Binance answering for the account's order count, which USDⓈ-M and
    COIN-M share since 2026-06-30: every limiter of that account on the budget stops sending new orders,
    not only the one whose order was refused.

    Attributes:
        orders_held_until: epoch seconds until which new orders fail fast; 0 when never held.
        limiters: the limiters that currently share the budget (weakly held).
    """

    __slots__ = ('limiters', 'orders_held_until')

    def __init__(self) -> None:
        self.orders_held_until = 0.0
        self.limiters: weakref.WeakSet[RateLimiter] = weakref.WeakSet()

    def hold_orders(self, until: float) -> None:
        """Hold every sharer's new orders until *until* (epoch seconds) unless they are held longer."""
        self.orders_held_until = max(self.orders_held_until, until)
        for limiter in tuple(self.limiters):
            limiter._hold_orders(until)


class Budgets:
    """The shared counters of one event loop.

    Windows are held strongly: Binance keeps counting after a client closes, so a client opened later in
    the same minute must see the earlier one's usage. FIFO locks are held weakly (the limiters that queue
    on them keep them alive) because a lock that has been contended refers to its loop, and a registry
    must never keep its loop alive.

    Attributes:
        windows: one :class:`Window` per shared pool identity (:data:`WindowKey`).
        ip_budgets: one :class:`IPBudget` per ``(budget, environment)`` of IP-scoped pools.
        account_budgets: one :class:`AccountBudget` per ``(budget, environment, account id)`` of
            account-scoped pools.
        backends: the health and local fallback counts of each shared backend in use, by backend name
            (:class:`~binance_core.rate_limit.shared.BackendState`).
    """

    __slots__ = ('_locks', 'account_budgets', 'backends', 'ip_budgets', 'windows')

    def __init__(self) -> None:
        self.windows: dict[WindowKey, Window] = {}
        self.ip_budgets: dict[tuple[str, str], IPBudget] = {}
        self.account_budgets: dict[tuple[str, str, str], AccountBudget] = {}
        self._locks: weakref.WeakValueDictionary[object, asyncio.Lock] = weakref.WeakValueDictionary()
        self.backends: dict[str, BackendState] = {}

    def window(self, spec: PoolSpec, environment: str, account: str | None) -> Window:
        """The shared window for a budgeted *spec*; created from the first spec that names it.

        Rows that name one budget should agree on the limit; when they do not, the stricter limit wins
        (going over Binance's count costs a 429 for every sharer) and the mismatch is logged.
        """
        assert spec.budget is not None
        key: WindowKey = (
            spec.budget,
            environment,
            spec.scope,
            spec.type,
            spec.interval,
            account if spec.scope == 'account' else None,
            spec.group,
        )
        w = self.windows.get(key)
        if w is None:
            w = self.windows[key] = Window(spec)
        elif w.limit != spec.effective_limit:
            log.warning(
                'budget %r: %s declared with limits %d and %d; using %d for every client sharing it',
                spec.budget,
                w.label,
                w.limit,
                spec.effective_limit,
                min(w.limit, spec.effective_limit),
            )
            w.limit = min(w.limit, spec.effective_limit)
        return w

    def lock(self, key: object) -> asyncio.Lock:
        """The FIFO lock that limiters waiting on the same shared windows (*key*) queue on together."""
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        return lock

    def ip_budget(self, budget: str, environment: str) -> IPBudget:
        """The Retry-After state of an IP-scoped *budget* in *environment*."""
        state = self.ip_budgets.get((budget, environment))
        if state is None:
            state = self.ip_budgets[(budget, environment)] = IPBudget()
        return state

    def backend_state(self, backend: BudgetBackend, clock: Callable[[], float]) -> BackendState:
        """The state of *backend* in this loop, shared by every limiter on a backend of its name: the process
        falls back, counts its own share and finds the backend again as one."""
        from binance_core.rate_limit.shared import BackendState

        state = self.backends.get(backend.name)
        if state is None:
            state = self.backends[backend.name] = BackendState(backend, clock)
        return state

    def account_budget(self, budget: str, environment: str, account: str) -> AccountBudget:
        """The ``-1015`` state of an account-scoped *budget* for *account* (an :func:`account_id`)."""
        state = self.account_budgets.get((budget, environment, account))
        if state is None:
            state = self.account_budgets[(budget, environment, account)] = AccountBudget()
        return state


# Keyed weakly by loop: asyncio primitives are loop-bound, a test suite with one loop per test must
# start each test from zero, and a closed loop's counters go with it.
_BY_LOOP: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Budgets] = weakref.WeakKeyDictionary()


def budgets_for(loop: asyncio.AbstractEventLoop) -> Budgets:
    """The shared counters of *loop*, created on first use."""
    budgets = _BY_LOOP.get(loop)
    if budgets is None:
        budgets = _BY_LOOP[loop] = Budgets()
    return budgets
