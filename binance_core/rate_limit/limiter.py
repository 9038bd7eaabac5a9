"""Client-side rate limiter: waits for request-weight headroom, fails orders fast, gates WebSocket
connections and messages, shares budgeted pools across markets, and keeps the counts a snapshot shows."""

from __future__ import annotations

import asyncio
import logging
import re
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from binance_core.exceptions import RateLimitReachedException, TooManyStreamsException
from binance_core.rate_limit.budgets import AccountBudget, Budgets, IPBudget, account_id, budgets_for
from binance_core.rate_limit.pools import SlidingLog, Window
from binance_core.rate_limit.snapshot import RateLimitSnapshot
from binance_core.specs import ENVIRONMENTS, PoolSpec, interval_seconds

if TYPE_CHECKING:
    from binance_core.rate_limit.backend import BudgetBackend
    from binance_core.rate_limit.shared import SharedPath

__all__ = ['ConnectionLimits', 'RateLimiter']

log = logging.getLogger('binance.rate_limit')

# Pools charged by acquire(); the index picks the amount: weight, orders or raw.
_REQUEST_TYPES = {'request_weight': 0, 'orders': 1, 'raw_requests': 2}
# REST visibility headers (Binance "LIMITS": X-MBX-USED-WEIGHT-<n><S|M|H|D>, X-MBX-ORDER-COUNT-<n><unit>).
_HEADER = re.compile(r'x-mbx-(used-weight|order-count)-(\d+[smhd])', re.IGNORECASE)
_HEADER_TYPES = {'used-weight': 'request_weight', 'order-count': 'orders'}
# WS-API rateLimits[] interval words (Binance "rateLimits" objects).
_WS_INTERVALS = {'SECOND': 1, 'MINUTE': 60, 'HOUR': 3600, 'DAY': 86400}
# Held after a -1015 with no order window known to roll over sooner (Spot's and futures' shortest is 10 s).
ORDERS_HOLD_FALLBACK = 10.0
# Sleep a hair past a window boundary so the re-check lands in the new window.
_EPSILON = 0.001
# A connection's message log holds each message this much longer than the pool's interval: messages that
# leave exactly one interval apart may reach Binance closer together (network jitter), and Binance counts
# them on arrival.
_MESSAGE_SLACK = 0.05

_running_loop = asyncio.get_running_loop
Pairs = tuple[tuple[Window, int], ...]
# The amounts of a group charge: one request on each of the group's pools (their pairs use index 0).
_ONE_REQUEST = (1,)


def _no_loop() -> asyncio.AbstractEventLoop | None:
    """Stands in for the weak reference to the bound loop while a limiter is not bound to one."""
    return None


def _check_environment(environment: str) -> None:
    if environment not in ENVIRONMENTS:
        raise ValueError(f'unknown environment {environment!r}; expected one of {ENVIRONMENTS}')


class RateLimiter:
    """The rate-limit pools of the market(s) it serves, used by every client that is given it.

    With ``guard`` on, request weight, raw requests, connections and messages wait for headroom in
    FIFO order, and order pools (``wait=False``) raise :class:`RateLimitReachedException` without
    charging anything. With ``guard`` off nothing waits or raises, but usage is still counted so
    monitoring stays accurate.

    Pools that name a ``budget`` (USDⓈ-M and COIN-M count IP weight and account orders together since
    2026-06-30) are counted once per process: every limiter whose rows name the same budget draws from
    one window per pool, per ``environment`` and, for account pools, per API key. The sharing is per
    running event loop, bound lazily on first use inside the loop, so a limiter may be built at import
    time and a test suite with one loop per test starts each test from zero. Limiters waiting on the
    same shared windows queue in one FIFO, and a 429/418 seen by one holds back every limiter on the
    same IP budget. Pools without a budget stay this limiter's own.

    Spot limits are counted apart from futures on Binance's side, so a limiter serves one market, or
    several only when all their IP and account pools are shared budgets that agree (:meth:`attach`).

    Given a *backend* (:class:`~binance_core.rate_limit.backend.BudgetBackend`, e.g. Redis), every IP and
    account pool is counted there instead, shared with every process on the same budget (the egress IP,
    and the account for order pools): one backend call per request, bounded by the backend's timeout. When
    the backend fails or is slow, every limiter of the process counts locally at the backend's
    ``fallback_share`` of each limit, logs it once and finds the backend again in the background; a request
    never fails because the backend did. Connection pools stay local either way.

    :param pools: the market's pool rows (the union of its ``binance_rate_pools`` hooks).
    :param market: the market served; ``None`` until the first :meth:`attach`.
    :param guard: enforce the pools (``True``) or only count (``False``).
    :param environment: ``'live'``, ``'testnet'`` or ``'demo'``: separate servers, separate budgets.
    :param account: the API key whose account pools are counted (``None`` without credentials); it
        only tells accounts apart and is never stored or shown.
    :param clock: epoch seconds; injectable for tests.
    :param backend: where the IP and account pools are counted; ``None`` (default): in this process.

    Attributes:
        market: the first market served, or ``None``.
        markets: every market served, in attach order.
        environment: the environment whose budgets are counted.
        guard: whether the pools are enforced.
        pools: the pool rows in force (a second market adds the pools the first did not declare).
    """

    def __init__(
        self,
        pools: Sequence[PoolSpec] = (),
        *,
        market: str | None = None,
        guard: bool = True,
        environment: str = 'live',
        account: str | None = None,
        clock: Callable[[], float] = time.time,
        backend: BudgetBackend | None = None,
    ) -> None:
        _check_environment(environment)
        if backend is not None:
            # Imported where a backend is given: a process that shares no budget never loads it.
            from binance_core.rate_limit.backend import BudgetBackend

            if not isinstance(backend, BudgetBackend):
                raise TypeError(
                    f'backend must implement binance_core.rate_limit.BudgetBackend, got {type(backend).__name__}'
                )
        self._backend = backend
        self._shared: SharedPath | None = None
        self.market = market
        self.markets: tuple[str, ...] = () if market is None else (market,)
        self.guard = guard
        self.environment = environment
        self._account = account_id(account)
        self._clock = clock
        self._attached = False
        self._blocked_until = 0.0
        self._orders_held_until = 0.0  # -1015 "too many orders": new orders fail fast, everything else goes
        self._banned = False
        self._pending = 0
        self._own_request_lock = self._request_lock = asyncio.Lock()
        self._own_connect_lock = self._connect_lock = asyncio.Lock()
        # One FIFO per endpoint-specific pool group (PoolSpec.group), so a group that waits holds back only
        # the calls of that group, never the market's weight or orders.
        self._own_group_locks: dict[str, asyncio.Lock] = {}
        self._connections: dict[int, ConnectionLimits] = {}
        # The loop whose shared windows are installed (a weak reference, or _no_loop), the loop the own
        # locks belong to, and the IP budgets joined there. _check_loop is the hot path's only cost:
        # true while a budgeted limiter is unbound or its loop has been collected.
        self._check_loop = False
        self._loop: Callable[[], asyncio.AbstractEventLoop | None] = _no_loop
        self._locks_loop: Callable[[], asyncio.AbstractEventLoop | None] = _no_loop
        self._ip_budgets: tuple[IPBudget, ...] = ()
        self._account_budgets: tuple[AccountBudget, ...] = ()
        self._set_pools(tuple(pools))

    @property
    def backend(self) -> BudgetBackend | None:
        """Where the IP and account pools are counted across processes, or ``None``: in this process."""
        return self._backend

    def _set_pools(self, pools: tuple[PoolSpec, ...]) -> None:
        self.pools = pools
        self._connection_specs = tuple(p for p in pools if p.scope == 'connection')
        specs: dict[tuple[str, str | None, str | None], PoolSpec] = {}
        for p in pools:
            if p.scope != 'connection':
                specs.setdefault((p.type, p.interval, p.group), p)
        self._specs = tuple(specs.values())
        groups = {p.group for p in self._specs if p.group is not None}
        self._own_group_locks = {g: self._own_group_locks.get(g) or asyncio.Lock() for g in sorted(groups)}
        # Own windows for every pool; a budgeted pool's one only stands in until the limiter is bound.
        self._own_windows = tuple(Window(p) for p in self._specs)
        self._budgeted = any(p.budget is not None for p in self._specs)
        self._unbind()
        self._share()

    def _share(self) -> None:
        """With a backend, (re)build the path through it: pools, market, environment or account changed."""
        if self._backend is not None:
            from binance_core.rate_limit.shared import SharedPath

            self._shared = SharedPath(self, self._backend)

    def _install(self, windows: tuple[Window, ...]) -> None:
        pairs = tuple(zip(self._specs, windows, strict=True))
        self._windows = windows
        general = tuple((p, w) for p, w in pairs if p.group is None)
        # (window, amount index) pairs, split by behaviour; tuples so the hot path does not allocate.
        self._fail_fast: Pairs = tuple(
            (w, _REQUEST_TYPES[p.type]) for p, w in general if p.type in _REQUEST_TYPES and not p.wait
        )
        self._waiting: Pairs = tuple(
            (w, _REQUEST_TYPES[p.type]) for p, w in general if p.type in _REQUEST_TYPES and p.wait
        )
        self._counted: Pairs = self._fail_fast + self._waiting  # every pool acquire() charges
        self._connect: Pairs = tuple((w, 0) for p, w in general if p.type == 'ws_connections')
        # Endpoint-specific pools by group: charged only by acquire_group(), one request each (index 0).
        self._groups: dict[str, Pairs] = {}
        for p, w in pairs:
            if p.group is not None:
                self._groups[p.group] = (*self._groups.get(p.group, ()), (w, 0))
        # Binance's headers and rateLimits[] report the general pools only.
        self._by_key = {(p.type, w.seconds): w for p, w in general}

    # -- binding to the loop's shared windows ---------------------------------------------------

    def _unbind(self) -> None:
        """Fall back to the own windows; budgeted pools rebind on the next use inside a loop."""
        for state in self._ip_budgets:
            state.limiters.discard(self)
        for account_state in self._account_budgets:
            account_state.limiters.discard(self)
        self._ip_budgets = ()
        self._account_budgets = ()
        self._loop = _no_loop
        # With a backend the flag stays up: it diverts every call to the backend's path (and costs the default
        # path nothing more than the check it already makes).
        self._check_loop = self._budgeted or self._backend is not None
        self._install(self._own_windows)
        self._request_lock, self._connect_lock = self._own_request_lock, self._own_connect_lock
        self._group_locks = dict(self._own_group_locks)

    def _bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Point the budgeted pools at *loop*'s shared windows (first use in a loop, or a new loop)."""
        if self._locks_loop() is not loop:
            # asyncio locks are loop-bound: a limiter reused on a new loop needs fresh ones.
            self._own_request_lock, self._own_connect_lock = asyncio.Lock(), asyncio.Lock()
            self._own_group_locks = {g: asyncio.Lock() for g in self._own_group_locks}
            self._locks_loop = weakref.ref(loop)
        self._unbind()
        budgets = budgets_for(loop)
        self._install(
            tuple(
                own if p.budget is None else budgets.window(p, self.environment, self._account)
                for p, own in zip(self._specs, self._own_windows, strict=True)
            )
        )
        self._request_lock = self._lane(budgets, 'request', self._waiting, self._own_request_lock)
        self._connect_lock = self._lane(budgets, 'connect', self._connect, self._own_connect_lock)
        self._group_locks = {
            g: self._lane(budgets, f'group {g}', pairs, self._own_group_locks[g]) for g, pairs in self._groups.items()
        }
        names = sorted({p.budget for p in self._specs if p.budget is not None and p.scope == 'ip'})
        self._ip_budgets = tuple(budgets.ip_budget(name, self.environment) for name in names)
        for state in self._ip_budgets:
            state.limiters.add(self)
            self._hold(state.blocked_until, state.banned)
        for state in self._ip_budgets:
            if self._blocked_until > state.blocked_until:  # blocked before it was bound
                state.hold(self._blocked_until, self._banned)
        # The -1015 hold is the account's: shared by every limiter of this API key on an account budget.
        accounts = sorted({p.budget for p in self._specs if p.budget is not None and p.scope == 'account'})
        if self._account is not None:
            self._account_budgets = tuple(
                budgets.account_budget(name, self.environment, self._account) for name in accounts
            )
        for account_state in self._account_budgets:
            account_state.limiters.add(self)
            self._hold_orders(account_state.orders_held_until)
            if self._orders_held_until > account_state.orders_held_until:  # held before it was bound
                account_state.hold_orders(self._orders_held_until)
        me = weakref.ref(self)

        def loop_gone(ref: object) -> None:
            # The counters of a collected loop are gone with it: rebind on the next call (one loop per
            # test, or asyncio.run() called again). Runs at garbage collection, so it only sets a flag.
            limiter = me()
            if limiter is not None and limiter._loop is ref:
                limiter._check_loop = limiter._budgeted

        self._loop = weakref.ref(loop, loop_gone)
        self._check_loop = False

    @staticmethod
    def _lane(budgets: Budgets, kind: str, pairs: Pairs, own: asyncio.Lock) -> asyncio.Lock:
        """One FIFO for every limiter waiting on exactly these shared windows; the own lock otherwise."""
        if not pairs or any(w.spec.budget is None for w, _ in pairs):
            return own
        # The registry keeps its windows alive, so their ids are stable keys for as long as it lives.
        return budgets.lock((kind, frozenset(id(w) for w, _ in pairs)))

    def _sync_bind(self) -> bool:
        """Bind to the running loop's shared windows unless bound to them already; ``True`` if it bound.

        Not on the hot path: ``asyncio.get_running_loop()`` costs about a quarter of an ``acquire``. It
        runs on a limiter's first call, on every slow-path call, connection attempt, reconciliation,
        block and snapshot, so a limiter moved to a new loop while the old one is still alive follows
        it at its next such call (the first calls may still count on the old loop's windows).
        """
        if not self._budgeted or self._backend is not None:
            return False
        try:
            loop = _running_loop()
        except RuntimeError:
            return False  # outside any loop: keep the windows of the loop last used
        if self._loop() is loop:
            self._check_loop = False
            return False
        self._bind(loop)
        return True

    def attach(
        self,
        market: str,
        pools: Sequence[PoolSpec] = (),
        *,
        environment: str = 'live',
        account: str | None = None,
    ) -> None:
        """Bind this limiter to a client of *market*, adopting *pools* if it was built without any.

        Called by every client that is handed this limiter. The first client sets the environment and
        account counted (it is the one talking to Binance); later clients must agree. A second market
        is accepted when every IP- and account-scoped pool of both markets names a budget and pools
        with the same type and interval agree on scope, budget, limit and waiting; its pools the first
        did not declare are added, and this limiter's connection pools stay.

        :raises ValueError: another environment, another API key on budgeted account pools, or a
            market whose pools cannot share this limiter (the message says which and why).
        """
        _check_environment(environment)
        pools = tuple(pools)
        account_key = account_id(account)
        if self._attached:
            if environment != self.environment:
                raise ValueError(
                    f'this RateLimiter counts the {self.environment!r} budgets and cannot also serve a '
                    f'{environment!r} client: Binance counts each environment on its own servers; give that '
                    f'client its own limiter'
                )
            if account_key != self._account and any(
                p.scope == 'account' and p.budget is not None for p in (*self._specs, *pools)
            ):
                raise ValueError(
                    'this RateLimiter counts the account pools of another API key; budgeted account pools '
                    'are counted per API key and shared automatically between clients of the same key, so '
                    'give this client its own limiter'
                )
        merged = self._merged_pools(market, pools) if self.markets and market not in self.markets else None
        if not self._attached and (environment, account_key) != (self.environment, self._account):
            self.environment, self._account = environment, account_key
            self._unbind()
        self._attached = True
        if not self.markets:
            self.market, self.markets = market, (market,)
        elif merged is not None:
            self.markets = (*self.markets, market)
            self._set_pools(merged)
        if not self.pools and pools:
            self._set_pools(pools)
        self._share()
        self._sync_bind()

    def _merged_pools(self, market: str, pools: tuple[PoolSpec, ...]) -> tuple[PoolSpec, ...]:
        """This limiter's pools plus *market*'s, if the two can share one limiter (else ValueError)."""
        served = ', '.join(repr(m) for m in self.markets)
        mine = {(p.type, p.interval, p.group): p for p in self.pools if p.scope != 'connection'}
        theirs = {(p.type, p.interval, p.group): p for p in pools if p.scope != 'connection'}
        reason = ''
        for name, table in ((served, mine), (repr(market), theirs)):
            unshared = [f'{p.type} {p.interval}' for p in table.values() if p.budget is None]
            if unshared:
                reason = f'the {name} pools {", ".join(unshared)} name no budget (Binance counts them for one market)'
                break
        for key in mine.keys() & theirs.keys():
            if reason:
                break
            a, b = mine[key], theirs[key]
            if (a.scope, a.budget, a.effective_limit, a.wait) != (b.scope, b.budget, b.effective_limit, b.wait):
                reason = (
                    f'their {a.type} {a.interval} pools disagree ({a.scope}, budget {a.budget!r}, limit '
                    f'{a.effective_limit}, wait={a.wait} vs {b.scope}, budget {b.budget!r}, limit '
                    f'{b.effective_limit}, wait={b.wait})'
                )
        if reason:
            raise ValueError(
                f'this RateLimiter serves {served} and cannot also serve {market!r}: {reason}. Budgeted pools '
                f'are shared automatically between clients, so each market can simply keep its own limiter'
            )
        return (*self.pools, *(p for key, p in theirs.items() if key not in mine))

    # -- requests ------------------------------------------------------------------------------

    async def acquire(self, *, weight: int = 0, orders: int = 0, raw: int = 1, group: str | None = None) -> None:
        """Take budget for one REST or WS-API request; call once before sending it.

        :param group: also take one request from the endpoint-specific pools of this ``PoolSpec.group``
            first (:meth:`acquire_group`); ``None`` (the common case) costs one comparison.
        :raises RateLimitReachedException: an order pool has no room (guard on); nothing is charged.
        """
        if group is not None:
            await self.acquire_group(group)
        if self._check_loop:
            if self._shared is not None:
                return await self._shared.acquire(weight, orders, raw)
            self._sync_bind()
        if self._take(weight, orders, raw):
            return
        if self._sync_bind():  # moved to another loop that the check above could not see: start over
            return await self.acquire(weight=weight, orders=orders, raw=raw)
        await self._wait(True, (weight, orders, raw), self._request_lock)

    def try_acquire(self, weight: int = 0, orders: int = 0, raw: int = 1) -> bool:
        """:meth:`acquire` without the wait: take the budget now and return ``True`` when no caller is queued and
        every pool has room (or the guard is off), else take nothing and return ``False`` (then ``await``
        :meth:`acquire`, which queues). Also ``False`` whenever the limiter must first bind to the running loop's
        shared windows or go through its backend, which only :meth:`acquire` does.

        The request path calls it first: most requests find room, and this saves them the coroutine
        :meth:`acquire` is (``binance_core.signing.send``).

        :raises RateLimitReachedException: as :meth:`acquire`, for an order that has no room; nothing is charged.
        """
        return not self._check_loop and self._take(weight, orders, raw)

    def _take(self, weight: int, orders: int, raw: int) -> bool:
        """The fast path of :meth:`acquire` on this limiter's windows: charge and return ``True``, raise for an
        order without room, or return ``False`` (nothing charged) when the caller must queue.

        Every request runs it, so the window methods are inlined where the window is current: ``now >= w.end``
        is when :meth:`Window.roll` starts a new window (a cap's ``end`` stays 0 and its roll does nothing), and
        the room test is :meth:`Window.fits`'s.
        """
        amounts = (weight, orders, raw)
        now = self._clock()
        if not self.guard:
            for w, i in self._counted:
                if now >= w.end:
                    w.roll(now)
                w.used += amounts[i]
            return True
        if orders and now < self._blocked_until:
            raise RateLimitReachedException(self._block_label(), retry_after=self._blocked_until - now)
        if orders and now < self._orders_held_until:
            raise RateLimitReachedException('orders (-1015 too many orders)', retry_after=self._orders_held_until - now)
        for w, i in self._fail_fast:  # _check_fail_fast
            if now >= w.end:
                w.roll(now)
            amount = amounts[i]
            if amount and w.used + amount > w.limit and w.used != 0:
                raise RateLimitReachedException(w.label, retry_after=w.reset_in(now))
        if orders:
            # Orders never sleep, not even for request weight: a late order can be worse than none.
            self._check_order_headroom(amounts, now)
        if now < self._blocked_until or self._request_lock.locked():
            return False
        for w, i in self._waiting:
            if now >= w.end:
                w.roll(now)
            amount = amounts[i]
            # Not w.fits(amount), or someone queued for this pool: a lock just released is not yet taken by its next
            # waiter, and a newcomer must not jump it.
            if amount and (w.pending or (w.used + amount > w.limit and w.used != 0)):
                return False
        for w, i in self._counted:
            w.used += amounts[i]
        return True

    async def acquire_group(self, group: str) -> None:
        """Take one request from every pool of the endpoint-specific *group* (``PoolSpec.group``), waiting for
        room like request weight, in FIFO order among that group's callers only: a group that is out of room
        (USDⓈ-M ``/futures/data/*``, 1000 requests / 5 min) never holds back other calls.

        The client calls it for rows with an ``Endpoint.pool_group``, before the transport's :meth:`acquire`.
        A limiter without a pool of that group (built from other pool rows) charges nothing.
        """
        if self._check_loop:
            if self._shared is not None:
                return await self._shared.acquire_group(group)
            self._sync_bind()
        pairs = self._groups.get(group)
        if pairs is None:
            return
        now = self._clock()
        if not self.guard:
            for w, _ in pairs:
                w.roll(now)
                w.used += 1
            return
        # Nobody queued (a lock just released is not yet taken by its next waiter: a newcomer must not jump it).
        if not any(w.pending for w, _ in pairs) and self._fits(pairs, _ONE_REQUEST, now):
            for w, _ in pairs:
                w.used += 1
            return
        if self._sync_bind():
            return await self.acquire_group(group)
        await self._wait(True, _ONE_REQUEST, self._group_locks[group], group)

    def _check_fail_fast(self, amounts: tuple[int, ...], now: float) -> None:
        """Order pools never wait: delaying an order can be worse than not sending it (spec, "Rate Limits")."""
        for w, i in self._fail_fast:
            w.roll(now)
            if amounts[i] and not w.fits(amounts[i]):
                raise RateLimitReachedException(w.label, retry_after=w.reset_in(now))

    def _check_order_headroom(self, amounts: tuple[int, ...], now: float) -> None:
        locked = self._request_lock.locked()
        for w, i in self._waiting:
            w.roll(now)
            queued = locked or w.pending > 0  # a waiter woken but not yet running is still queued
            if amounts[i] and (queued or not w.fits(amounts[i])):
                reason = f'{w.label} (requests are queued for it)' if queued else w.label
                raise RateLimitReachedException(reason, retry_after=w.reset_in(now))

    @staticmethod
    def _fits(pools: Pairs, amounts: tuple[int, ...], now: float) -> bool:
        for w, i in pools:
            w.roll(now)
            if amounts[i] and not w.fits(amounts[i]):
                return False
        return True

    def _charge(self, amounts: tuple[int, ...]) -> None:
        for w, i in self._fail_fast:
            w.used += amounts[i]
        for w, i in self._waiting:
            w.used += amounts[i]

    def _pairs(self, requests: bool, group: str | None) -> Pairs:
        if group is not None:
            return self._groups.get(group, ())
        return self._waiting if requests else self._connect

    async def _wait(
        self, requests: bool, amounts: tuple[int, ...], lock: asyncio.Lock, group: str | None = None
    ) -> None:
        """Slow path: queue behind earlier callers (asyncio.Lock wakes waiters in FIFO order), then
        sleep until the Retry-After block and every exhausted window have passed.

        *group* picks that group's pools, else *requests* the request pools (else the connection pools);
        they are looked up on each round, so a limiter rebound meanwhile (a second market attached)
        charges its current windows.
        """
        waiting_on = tuple(w for w, i in self._pairs(requests, group) if amounts[i])
        self._pending += 1
        for w in waiting_on:
            w.pending += 1
        try:
            async with lock:
                while True:
                    pools = self._pairs(requests, group)
                    now = self._clock()
                    if now < self._blocked_until:
                        await asyncio.sleep(self._blocked_until - now + _EPSILON)
                        continue
                    delay = 0.0
                    for w, i in pools:
                        w.roll(now)
                        if amounts[i] and not w.fits(amounts[i]):
                            delay = max(delay, w.reset_in(now))
                    if delay:
                        await asyncio.sleep(delay + _EPSILON)
                        continue
                    if requests and group is None:
                        # Other callers may have used the order budget while this one waited.
                        self._check_fail_fast(amounts, now)
                        self._charge(amounts)
                    else:
                        for w, i in pools:
                            w.used += amounts[i]
                    return
        finally:
            self._pending -= 1
            for w in waiting_on:
                w.pending -= 1

    # -- WebSocket -----------------------------------------------------------------------------

    async def connected(self, weight: int) -> None:
        """Count the request *weight* a WebSocket connection that just opened costs (a WS-API handshake: Spot 2,
        futures 5; stream connections cost none).

        Counted at once, never waited for nor refused: Binance charged it when the connection opened, and requests
        that already hold their budget may be waiting for this connection, so queueing it behind other requests
        could only delay them. The requests after it find that much less room."""
        if not weight:
            return
        self._sync_bind()
        if self._shared is not None:
            return await self._shared.count_now(weight)
        now = self._clock()
        for w, i in self._counted:
            if i == 0:  # the request weight pools
                if now >= w.end:
                    w.roll(now)
                w.used += weight

    async def acquire_connection(self) -> None:
        """Take one WebSocket connection attempt from the ``ws_connections`` pool (waits like weight)."""
        if self._shared is not None:
            return await self._shared.acquire_connection()
        self._sync_bind()
        now = self._clock()
        if not self.guard:
            for w, _ in self._connect:
                w.roll(now)
                w.used += 1
            return
        # Nobody queued (a lock just released is not yet taken by its next waiter: a newcomer must not jump it).
        queued = self._connect_lock.locked() or any(w.pending for w, _ in self._connect)
        if now >= self._blocked_until and not queued and self._fits(self._connect, (1,), now):
            for w, _ in self._connect:
                w.used += 1
            return
        await self._wait(False, (1,), self._connect_lock)

    def connection(self) -> ConnectionLimits:
        """Per-connection limits (messages per second, streams cap) for one new WebSocket connection."""
        conn = ConnectionLimits(self)
        self._connections[id(conn)] = conn
        return conn

    # -- reconciliation ------------------------------------------------------------------------

    def reconcile_headers(self, headers: Mapping[str, str]) -> None:
        """Adopt ``X-MBX-USED-WEIGHT-<n><u>`` / ``X-MBX-ORDER-COUNT-<n><u>`` from a REST response.

        A shared pool's header is Binance's count for the whole budget, so every sharer sees it. With a
        backend, the larger of Binance's count and the shared one is kept (other processes' requests may be
        on their way, counted by them and not yet by Binance).
        """
        self._sync_bind()
        now = None
        reported: list[tuple[Window, int]] | None = None if self._shared is None else []
        for name, value in headers.items():
            m = _HEADER.fullmatch(name)
            if m is None:
                continue
            w = self._by_key.get((_HEADER_TYPES[m.group(1).lower()], interval_seconds(m.group(2))))
            if w is None:
                continue
            try:
                used = int(value)
            except (TypeError, ValueError):
                log.debug('ignoring unparsable rate-limit header %s=%r', name, value)
                continue
            if now is None:
                now = self._clock()
            if reported is None:
                w.adopt(used, now)
            else:
                reported.append((w, used))
        if reported and self._shared is not None and now is not None:
            self._shared.adopt(reported, now)

    def reconcile_ws(self, rate_limits: Sequence[Mapping[str, Any]]) -> None:
        """Adopt the ``rateLimits`` array of a WS-API response (shared pools: for every sharer)."""
        self._sync_bind()
        now = None
        reported: list[tuple[Window, int]] | None = None if self._shared is None else []
        for item in rate_limits:
            kind = str(item.get('rateLimitType', '')).lower()
            unit = _WS_INTERVALS.get(str(item.get('interval', '')).upper())
            try:
                seconds = None if unit is None else unit * int(item.get('intervalNum', 1))
                count = int(item['count'])
            except (KeyError, TypeError, ValueError):
                continue
            w = self._by_key.get((kind, seconds))
            if w is None:
                continue
            if now is None:
                now = self._clock()
            if reported is None:
                w.adopt(count, now)
            else:
                reported.append((w, count))
        if reported and self._shared is not None and now is not None:
            self._shared.adopt(reported, now)

    def block(self, retry_after: float, *, banned: bool = False) -> None:
        """Hold back weight, raw, order and connection budget for *retry_after* seconds (429/418).

        A 429 that is ignored escalates to a 418 IP ban of 2 minutes to 3 days (Binance "LIMITS"). The
        ban is per IP and pool, so every limiter sharing one of this limiter's IP budgets in the same
        environment (and event loop) is held back too.
        """
        self._sync_bind()
        until = self._clock() + max(0.0, float(retry_after))
        self._hold(until, banned)
        for state in self._ip_budgets:
            state.hold(until, banned)
        shared = ''
        if self._ip_budgets:
            names = sorted({p.budget for p in self._specs if p.budget is not None and p.scope == 'ip'})
            shared = f' (with every client on budget {", ".join(names)})'
        if self._shared is not None:
            self._shared.block(until, banned)
            shared = f' (with every process on {self._shared.backend.name})'
        log.warning(
            '%s: %s, holding requests for %.1f s%s',
            '/'.join(self.markets) or 'rate limiter',
            'IP banned (418)' if banned else 'rate limited (429)',
            retry_after,
            shared,
        )

    def hold_orders(self, retry_after: float | None = None) -> None:
        """Binance answered ``-1015`` (too many new orders, HTTP/status 429): hold NEW ORDERS only, failing
        fast, for *retry_after* seconds, or, when Binance gave no time, until this limiter's shortest order
        window rolls over (10 s at most on every market; a longer exhausted window just answers -1015 again).
        Request weight is not exhausted, so reads and cancels (which add no orders) go on.
        """
        self._sync_bind()
        now = self._clock()
        if retry_after is None:
            ends = [w.end for w, _ in self._fail_fast if w.seconds is not None and w.end > now]
            until = min(ends) if ends else now + ORDERS_HOLD_FALLBACK
        else:
            until = now + max(0.0, float(retry_after))
        self._hold_orders(until)
        for state in self._account_budgets:  # the account's order count is shared (USDⓈ-M and COIN-M)
            state.hold_orders(until)
        if self._shared is not None:
            self._shared.hold_orders(until)
        log.warning('%s: too many orders (-1015); new orders fail fast for %.1f s%s', '/'.join(self.markets) or
                    'rate limiter', until - now, ' (with every client of this account on its budget)'
                    if self._account_budgets else '')  # fmt: skip

    def _hold_orders(self, until: float) -> None:
        """Fail new orders fast until *until* (epoch seconds) unless already held longer."""
        self._orders_held_until = max(self._orders_held_until, until)

    def _hold(self, until: float, banned: bool) -> None:
        """Hold requests until *until* (epoch seconds) unless already held longer."""
        if until > self._blocked_until:
            self._blocked_until = until
            self._banned = banned

    def _block_label(self) -> str:
        return 'IP ban (418) Retry-After' if self._banned else 'rate limit (429) Retry-After'

    # -- monitoring ----------------------------------------------------------------------------

    def snapshot(self) -> RateLimitSnapshot:
        """Every pool now, computed locally. Connection-scoped pools show the busiest open
        connection (highest ``used``), with ``pending`` summed over all open connections. Shared
        pools show the whole budget's usage, once each. Outside a running loop, a limiter with shared
        pools shows the counts of the loop it last ran in."""
        self._sync_bind()
        now = self._clock()
        windows = [w.view(now) for w in self._windows]
        if self._connections:
            for spec in self._connection_specs:
                key = (spec.type, spec.interval)
                busiest: Window | SlidingLog | None = None
                busiest_used = -1
                pending = 0
                for conn in self._connections.values():
                    w = conn.windows.get(key)
                    if w is None:
                        continue
                    used = w.view(conn.now()).used
                    pending += w.pending
                    if used > busiest_used:
                        busiest, busiest_used = w, used
                if busiest is not None:
                    windows.append(busiest.view(now, scope='connection', used=busiest_used, pending=pending))
        retry_after = self._blocked_until - now if now < self._blocked_until else None
        pending = self._pending + sum(c.pending for c in self._connections.values())
        return RateLimitSnapshot(
            windows=tuple(windows),
            pending=pending,
            retry_after=retry_after,
            throttled=pending > 0 or retry_after is not None,
            at=now,
            max_utilization=max((w.utilization for w in windows), default=0.0),
        )

    def __repr__(self) -> str:
        served = f'market={self.market!r}' if len(self.markets) < 2 else f'markets={self.markets!r}'
        backend = '' if self._backend is None else f', backend={self._backend.name!r}'
        return (
            f'RateLimiter({served}, environment={self.environment!r}, guard={self.guard}, pools={len(self.pools)}'
            f'{backend})'
        )


class ConnectionLimits:
    """The per-connection pools of one WebSocket connection: outgoing messages (Spot 5/s, futures 10/s;
    pings, pongs and control frames all count) and the ``ws_streams`` cap. Connection pools are never
    shared: each connection has its own.

    Messages are counted in a :class:`~binance_core.rate_limit.pools.SlidingLog`, so the cap holds over
    any one-second span (Binance closes a connection that exceeds it, losing every stream on it); a
    message over the cap waits for room, in FIFO order. The log runs on the monotonic clock, or on the
    limiter's clock when one was injected (tests), so a step of the wall clock cannot open a burst.

    Get one from :meth:`RateLimiter.connection`; call :meth:`close` when the connection ends.
    """

    def __init__(self, limiter: RateLimiter) -> None:
        self._limiter = limiter
        # Only intervals matter here, never the date: a wall clock that steps would open or close gaps.
        self._clock = time.monotonic if limiter._clock is time.time else limiter._clock
        self._lock = asyncio.Lock()
        self.pending = 0
        self.windows: dict[tuple[str, str | None], Window | SlidingLog] = {}
        for p in limiter._connection_specs:
            sliding = p.type == 'ws_messages' and p.seconds is not None
            self.windows[(p.type, p.interval)] = SlidingLog(p, _MESSAGE_SLACK) if sliding else Window(p)
        self._messages = tuple(w for w in self.windows.values() if isinstance(w, SlidingLog))
        self._streams = tuple(w for w in self.windows.values() if isinstance(w, Window) and w.spec.type == 'ws_streams')

    def now(self) -> float:
        """The clock the message log runs on (what :meth:`RateLimiter.snapshot` reads it with)."""
        return self._clock()

    async def message(self) -> None:
        """Take one outgoing message from this connection's budget; waits (FIFO) while it would make more
        than the limit within one interval (guard on)."""
        logs = self._messages
        now = self._clock()
        # The fast path only when nobody waits: a lock just released is not yet re-taken by its next waiter,
        # and a newcomer must not jump that queue (FIFO).
        if not self._limiter.guard or (not self.pending and not any(w.wait_time(now) for w in logs)):
            for w in logs:
                w.record(now)
            return
        self.pending += 1
        for w in logs:
            w.pending += 1
        try:
            async with self._lock:
                while True:
                    now = self._clock()
                    delay = max((w.wait_time(now) for w in logs), default=0.0)
                    if delay <= 0:
                        break
                    await asyncio.sleep(delay + _EPSILON)
                for w in logs:
                    w.record(now)
        finally:
            self.pending -= 1
            for w in logs:
                w.pending -= 1

    def check_streams(self, n_total: int) -> None:
        """Record that the connection would carry *n_total* streams.

        Enforced even with the guard off: Binance refuses more than its cap on one connection.

        :raises TooManyStreamsException: *n_total* exceeds the ``ws_streams`` cap.
        """
        for w in self._streams:
            if n_total > w.limit:
                raise TooManyStreamsException(requested=n_total, limit=w.limit)
        for w in self._streams:
            w.used = n_total

    def close(self) -> None:
        """Forget this connection (it leaves the snapshot). Safe to call twice."""
        self._limiter._connections.pop(id(self), None)
