"""Where shared rate-limit counters live when processes (or hosts behind one egress IP) share a budget: the
:class:`BudgetBackend` contract a plugin implements (Redis: ``binance-ratelimit-redis``), and
:class:`LocalBudgetBackend`, its in-memory reference and the store a limiter counts on while its backend is away.

Without a backend a limiter keeps today's in-process counters (:mod:`binance_core.rate_limit.budgets`), touched
inline on every request: no await, nothing to fail.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol, runtime_checkable

import attrs

from binance_core.exceptions import InvalidRowError

if TYPE_CHECKING:
    import pluggy

    from binance_core.specs import MarketSpec

__all__ = [
    'BudgetBackend',
    'Hold',
    'LocalBudgetBackend',
    'SharedPool',
    'Taken',
    'backend_from_plugins',
    'window_start',
]


def window_start(now: float, seconds: int) -> int:
    """The start (epoch seconds) of the calendar window holding *now*: Binance resets a 1-minute window at
    :00 and 10 s windows at :00/:10/... (Binance "LIMITS"), so every reader of one clock computes the same
    start. A shared backend applies it to its own clock (Redis: ``TIME``), not to each sharer's."""
    return int(now - now % seconds)


@attrs.frozen(cache_hash=True)  # a dict key on every take
class SharedPool:
    """One pool a backend counts: whose budget, which environment, which pool and, for account pools, whose.

    A backend keeps one counter per pool and calendar window (:func:`window_start`); it adds what it needs to
    tell sharers apart (Redis: the egress label of IP pools).

    Attributes:
        budget: the ``PoolSpec.budget`` (USDⓈ-M and COIN-M share ``'futures'``), else the market's name: Binance
            counts Spot apart from futures.
        environment: ``'live'``, ``'testnet'`` or ``'demo'``: separate servers, separate counts.
        scope: ``'ip'`` or ``'account'``.
        type: ``request_weight``, ``raw_requests``, ``orders`` or ``ws_connections``.
        interval: Binance's label (``'1m'``, ``'10s'``, ``'1d'``).
        seconds: the interval in seconds.
        group: the ``PoolSpec.group`` of an endpoint-specific pool, else ``None``.
        account: for account pools, the API key's stand-in (``budgets.account_id``, a hash): never the key.
    """

    budget: str
    environment: str
    scope: str
    type: str
    interval: str
    seconds: int
    group: str | None = None
    account: str | None = None

    @property
    def label(self) -> str:
        """``'request_weight 1m'`` (and the group), as a refusal names the pool."""
        label = f'{self.type} {self.interval}'
        return label if self.group is None else f'{label} ({self.group})'


@attrs.frozen(cache_hash=True)
class Hold:
    """Whose hold a backend keeps: the IP's 429/418 block of a budget (``account`` is ``None``), or an
    account's ``-1015`` order hold.

    Attributes:
        budget: as :attr:`SharedPool.budget`.
        environment: as :attr:`SharedPool.environment`.
        account: the API key's stand-in for an order hold; ``None`` for the IP's block.
    """

    budget: str
    environment: str
    account: str | None = None


class Taken(NamedTuple):
    """A backend's answer: whether the amounts were taken, and what it knows now.

    Every time in it is on the **caller's clock** (the ``now`` it passed): a backend that keeps time on a clock
    of its own (Redis) measures what remains there and adds it to the caller's ``now``, so a limiter whose host
    clock is off still waits exactly as long as every other sharer.

    Attributes:
        ok: everything was taken (or counted, ``enforce=False``); ``False``: nothing was.
        full: the index (in the call's pools) of the first pool without room, or -1.
        counts: each pool's usage in its current window after the call (every sharer's).
        blocked_until: when the IP budget's 429/418 hold ends (0: not held).
        banned: whether that hold came from a 418 IP ban.
        orders_held_until: when the account's -1015 hold of new orders ends (0: not held).
        ends: when each pool's current window ends (the backend's window, on the caller's clock); empty when the
            backend does not say (the caller's own calendar windows stand in).
    """

    ok: bool
    full: int
    counts: tuple[int, ...]
    blocked_until: float = 0.0
    banned: bool = False
    orders_held_until: float = 0.0
    ends: tuple[float, ...] = ()


@runtime_checkable
class BudgetBackend(Protocol):
    """Shared counters of rate-limit pools, for every process that is given a backend of the same ``name``.

    Windows are calendar windows (:func:`window_start`) of **one clock for every sharer**: a backend shared
    across hosts counts on its own (Redis: the server's ``TIME``), because hosts' clocks disagree and two hosts
    counting in windows of their own clocks would each start a fresh window at a different moment. The *now*
    every call takes is the caller's clock: times given (hold durations start at it) and times answered
    (:class:`Taken`) are on it. The in-memory reference, with one process clock, takes its windows from *now*.
    A pool without room refuses unless its window is empty (a single call heavier than the whole budget still
    goes, into an empty window, or it could never be sent). Every call is one atomic step: concurrent callers
    never over-commit between a check and an increment.

    The limiter bounds every call by :attr:`timeout`. A call that raises or times out sends the limiter (every
    limiter of this process on a backend of this ``name``) to its local counters, at :attr:`fallback_share` of
    every limit, and it asks the backend again every :attr:`retry_interval` seconds in the background. So a
    backend needs no retry or fallback of its own: raise, and never block.

    Optional: a backend whose first call in an event loop costs more than :attr:`timeout` (opening connections,
    loading scripts) sets ``warm_up_timeout`` (seconds). The limiter then sends ``usage((), now)`` once per event
    loop before anything else, bounded by it; concurrent first callers wait for that one warm-up, and only then
    does every call get :attr:`timeout` (a cold start under load would otherwise send the process to its
    fallback against a healthy backend). A backend that fails or overruns it falls back like any failed call,
    so an unreachable backend costs at most ``warm_up_timeout`` once. Without it, no warm-up.

    Attributes:
        name: tells budgets apart in this process and names the backend in logs (never a password or URL).
        timeout: seconds a call may take before the limiter counts locally instead (e.g. 0.075).
        fallback_share: the fraction of each limit one process uses while the backend is unreachable, e.g.
            ``1 / processes`` (the processes sharing the budget cannot coordinate then).
        retry_interval: seconds between background attempts to reach the backend again.
    """

    name: str
    timeout: float
    fallback_share: float
    retry_interval: float

    async def take(
        self,
        pools: Sequence[SharedPool],
        amounts: Sequence[int],
        limits: Sequence[int],
        now: float,
        *,
        blocks: Sequence[Hold] = (),
        holds: Sequence[Hold] = (),
        enforce: bool = True,
    ) -> Taken:
        """Take ``amounts[i]`` from each ``pools[i]`` in its current window, all or nothing; *now* is the
        caller's clock, which the answer's times are on.

        With *enforce*, nothing is taken when a pool has no room under ``limits[i]``, when one of *blocks* (IP
        budgets) is held past *now*, or one of *holds* (accounts, passed for order requests) is; without it the
        amounts are counted anyway (a limiter with its guard off; usage counted while the backend was away).
        """
        ...

    async def usage(
        self, pools: Sequence[SharedPool], now: float, *, blocks: Sequence[Hold] = (), holds: Sequence[Hold] = ()
    ) -> Taken:
        """Read each pool's usage in its current window and the holds; changes nothing (``ok`` is true)."""
        ...

    async def adopt(self, pools: Sequence[SharedPool], counts: Sequence[int], now: float) -> tuple[int, ...]:
        """Binance reported ``counts[i]`` for ``pools[i]`` (response headers, WS-API ``rateLimits``): keep the
        larger of it and the shared count in the current window, and return the counts kept. Never lower:
        requests of other sharers may still be on their way, counted by us and not yet by Binance."""
        ...

    async def block(self, hold: Hold, seconds: float, banned: bool, now: float) -> None:
        """Hold the IP budget *hold* for *seconds* from now after a 429 (or a 418 ban, *banned*), unless it is
        held longer already; every sharer's next take sees it. A duration, not a time: it ends at the same
        moment for every sharer whatever their clocks (*now*, the caller's clock, serves a backend without a
        clock of its own)."""
        ...

    async def hold_orders(self, hold: Hold, seconds: float, now: float) -> None:
        """Hold the account's new orders (*hold*) for *seconds* from now after a ``-1015``, unless held longer
        already."""
        ...


# Weight and raw-request windows of at most this many seconds that the shared backend was lost in, without a count
# of them, are waited out (a minute at most); order pools and longer windows take a share of their limit instead.
_WAIT_OUT_SECONDS = 60
# An offset of the backend's clock that moves by more than this is a new clock (a failover, a first answer), not
# jitter of the round trip: counts of the window current under the old offset move to the window current now.
_CLOCK_STEP = 0.5
# + 1e-9: 1200 * (1 / 3) is 399.99999999999994 in floating point; a share must not lose a unit to it.
_ROUNDING = 1e-9


class _Count:
    """One pool's counts in one window: ``start`` on the shared backend's calendar, ``seen`` the best total known,
    ``known`` whether the shared backend (or Binance) told a count of this window; and, once the window is counted
    here (:meth:`LocalBudgetBackend.take_now`, :meth:`~LocalBudgetBackend.lost`), ``debt``: this store's cap in
    it is ``share × limit − debt``, ``own`` what it took since (locally, or on the backend while the cap stands),
    ``pending`` what it reserved for backend calls on their way, and ``closed``: treated as full until it ends.
    ``debt`` is ``None`` while the window was never counted here (no cap: the backend alone decides)."""

    __slots__ = ('closed', 'debt', 'known', 'own', 'pending', 'seen', 'start')

    def __init__(self, start: int) -> None:
        self.start = start
        self.seen = 0
        self.known = False
        self.own = 0
        self.pending = 0
        self.debt: float | None = None
        self.closed = False


# What reserve_now() set aside: each capped window with its amount, for settle().
Reserved = tuple[tuple[_Count, int], ...]


def _nearest(value: float, seconds: int, to: float) -> float:
    """The value congruent to *value* modulo *seconds* nearest to *to*."""
    return to + ((value - to + seconds / 2) % seconds - seconds / 2)


class LocalBudgetBackend:
    """A :class:`BudgetBackend` in this process's memory: the reference semantics of the contract, and the
    store a limiter counts on while its shared backend is unreachable. Its windows and holds are on the clock
    of the *now* it is given (one process, one clock), its windows shifted to the shared backend's calendar
    once answers have told it (below).

    Each window keeps ``seen``, the best total known (the shared backend's last count, Binance's headers, plus
    what was taken here since), refused past the whole limit; and, in a window counted here, a cap on what
    this store takes itself:

    - in a window the shared backend was lost in (:meth:`lost`) with a count *C* of it known, ``share × (limit −
      C)``. That count already holds everything every sharer took in the window, this process's own takes
      included, so what is left is ``limit − C``, and each of the ``1 / share`` processes takes its share of
      that: together they fill what was left, no more, as far as their last answers were current (a process
      whose last answer is older saw more left, and may take a share of that). Lost again in the same window,
      the smaller of what is left of that and ``share × (limit − C')``, *C'* the newer count;
    - lost in it without a count of it (the process was idle, or knew only an earlier window's count): a window
      of weight or raw requests of at most 60 s is treated as full until it ends (a minute's wait at most, and
      nobody's count is guessed); an order pool (refused, not queued: Redis being away must not refuse orders)
      or a longer window (a day cannot wait) ``share × limit``;
    - in any other window (one that began without the backend), ``share × limit``: together ``limit``.

    A window counted here keeps its cap until it ends, also once the backend is back (:meth:`reserve_now`,
    :meth:`settle`): sharers still counting locally are not in the backend's count yet, their probes finding it
    later, so a process back on the backend must not fill it up on their behalf.

    Windows follow the shared backend's clock: :meth:`record` learns, from the ends of the backend's windows
    (``Taken.ends``, on the caller's clock), the offset of its calendar from the caller's for each interval
    length, and every window here starts and ends by it (the caller's own calendar until an answer told it).
    So a host whose clock is off neither starts a fresh window while the backend's (and Binance's) still runs,
    nor files its takes under a window the backend has not got to (:meth:`window`, the hand-over's key).

    With ``share=1`` and no backend lost, this is a plain shared counter.

    The methods are synchronous underneath (``*_now``): the limiter calls those directly.

    :param share: the fraction of each limit this store hands out of its own (0 < share <= 1).
    :param name: see :attr:`BudgetBackend.name`.
    """

    timeout = 1.0
    retry_interval = 1.0

    def __init__(self, share: float = 1.0, *, name: str = 'local') -> None:
        if not 0 < share <= 1:
            raise ValueError(f'share must be in (0, 1], got {share}')
        self.name = name
        self.fallback_share = share
        self._counts: dict[SharedPool, _Count] = {}
        self._holds: dict[Hold, tuple[float, bool]] = {}
        # The shared backend's clock minus the caller's, modulo each interval length (seconds -> offset).
        self._offsets: dict[int, float] = {}
        # When the shared backend was last lost (the caller's clock), and how late that may be on its calendar.
        self._lost_at: float | None = None
        self._lost_until = 0.0

    def __repr__(self) -> str:
        return f'LocalBudgetBackend(share={self.fallback_share}, name={self.name!r})'

    # -- the shared backend's calendar --------------------------------------------------------------------------

    def _offset(self, seconds: int) -> float:
        offset = self._offsets.get(seconds)
        if offset is not None:
            return offset
        # Calendar windows nest (a minute holds six 10 s windows): a longer interval's offset serves a shorter one.
        for longer, offset in self._offsets.items():
            if longer % seconds == 0:
                return _nearest(offset, seconds, 0.0)
        return 0.0

    def window(self, pool: SharedPool, now: float) -> int:
        """The start of *pool*'s window holding *now* (the caller's clock) on the shared backend's calendar: the
        key counts are kept and handed over under."""
        return window_start(now + self._offset(pool.seconds), pool.seconds)

    def _ends(self, pools: Sequence[SharedPool], starts: Sequence[int]) -> tuple[float, ...]:
        return tuple(start + p.seconds - self._offset(p.seconds) for p, start in zip(pools, starts, strict=True))

    def _align(self, pools: Sequence[SharedPool], ends: Sequence[float], now: float) -> None:
        """Learn the offset of the shared backend's calendar from its windows' *ends* (the caller's clock): a
        window ends on a multiple of its length there. Kept continuous (the value nearest the last), so that a
        few milliseconds of round trip never relabel a window."""
        for p, end in zip(pools, ends, strict=True):
            seconds = p.seconds
            before = self._offset(seconds)
            after = _nearest(-end, seconds, before)
            self._offsets[seconds] = after
            if abs(after - before) > _CLOCK_STEP:
                self._relabel(seconds, window_start(now + before, seconds), window_start(now + after, seconds))

    def _relabel(self, seconds: int, old: int, new: int) -> None:
        """The backend's calendar moved: the window current under the old offset is the one current now (its
        counts and cap go with it rather than vanish)."""
        if old == new:
            return
        for pool, c in self._counts.items():
            if pool.seconds == seconds and c.start == old:
                c.start = new

    def _count(self, pool: SharedPool, now: float) -> _Count:
        start = self.window(pool, now)
        c = self._counts.get(pool)
        if c is None or c.start != start:
            # A window that has not started yet (a clock stepped back) keeps the later one: never lower a count.
            if c is None or c.start < start:
                c = self._counts[pool] = _Count(start)
        return c

    def _held(self, holds: Sequence[Hold]) -> tuple[float, bool]:
        until, banned = 0.0, False
        for h in holds:
            t, b = self._holds.get(h, (0.0, False))
            if t > until:
                until, banned = t, b
        return until, banned

    # -- what this store may take itself ------------------------------------------------------------------------

    def _cap(self, c: _Count, pool: SharedPool, limit: int) -> float:
        """What this store may take itself in *c*'s window, in all (see the class docstring); the window counts
        as counted here from now on."""
        if c.debt is None:
            share = self.fallback_share
            lost_at = self._lost_at
            if lost_at is not None and self.window(pool, lost_at) <= c.start <= self.window(pool, self._lost_until):
                # The window the backend was lost in, and no count of it then: one learnt since (Binance's
                # headers) stands in; without one, a short window of weight is waited out (requests wait; a 429
                # and then a 418 ban is what over-committing it costs), a long one shared. Order pools are
                # shared too: an order is refused rather than queued, and Redis being away must not refuse
                # orders; over-committing them costs a -1015 for the excess, which holds orders, never a ban.
                c.debt = share * c.seen if c.known else 0.0
                c.closed = not c.known and pool.seconds <= _WAIT_OUT_SECONDS and pool.type != 'orders'
            else:
                c.debt = 0.0
        return limit * self.fallback_share - c.debt + _ROUNDING

    @staticmethod
    def _over_cap(c: _Count, cap: float, amount: int) -> bool:
        # An empty window lets one call heavier than the part through (or it could never be sent); a window with
        # anything in it, this store's or a sharer's, does not; a closed window lets nothing through.
        mine = c.own + c.pending
        return c.closed or (mine + amount > cap and bool(mine or c.seen))

    def take_now(
        self,
        pools: Sequence[SharedPool],
        amounts: Sequence[int],
        limits: Sequence[int],
        now: float,
        *,
        blocks: Sequence[Hold] = (),
        holds: Sequence[Hold] = (),
        enforce: bool = True,
    ) -> Taken:
        """:meth:`take`, synchronously."""
        counts = [self._count(p, now) for p in pools]
        blocked, banned = self._held(blocks)
        held, _ = self._held(holds)
        full = -1
        for i, (c, p, amount, limit) in enumerate(zip(counts, pools, amounts, limits, strict=True)):
            if not amount:
                continue
            cap = self._cap(c, p, limit)
            if full < 0 and (self._over_cap(c, cap, amount) or (c.seen and c.seen + amount > limit)):
                full = i
        ends = self._ends(pools, [c.start for c in counts])
        if enforce and (full >= 0 or blocked > now or held > now):
            return Taken(False, full, tuple(c.seen for c in counts), blocked, banned, held, ends)
        for c, amount in zip(counts, amounts, strict=True):
            c.own += amount
            c.seen += amount
        return Taken(True, -1, tuple(c.seen for c in counts), blocked, banned, held, ends)

    def reserve_now(
        self,
        pools: Sequence[SharedPool],
        amounts: Sequence[int],
        limits: Sequence[int],
        now: float,
        *,
        enforce: bool = True,
    ) -> tuple[Taken | None, Reserved]:
        """Before a take on the shared backend: in the windows of *pools* counted here, check and set aside the
        amounts against this store's cap (the backend's count lacks what sharers still away counted locally).
        Returns a refusal (``ok`` false, the first pool without room as ``full``, nothing set aside) or ``None``
        and what was set aside, which :meth:`settle` books or releases once the backend answered. Windows never
        counted here are the backend's alone: nothing to check, nothing set aside."""
        reserved: list[tuple[_Count, int]] = []
        for i, (p, amount, limit) in enumerate(zip(pools, amounts, limits, strict=True)):
            if not amount:
                continue
            c = self._counts.get(p)
            if c is None or c.debt is None or c.start != self.window(p, now):
                continue
            if enforce and self._over_cap(c, self._cap(c, p, limit), amount):
                return self.usage_now(pools, now)._replace(ok=False, full=i), ()
            reserved.append((c, amount))
        for c, amount in reserved:
            c.pending += amount
        return None, tuple(reserved)

    @staticmethod
    def settle(reserved: Reserved, taken: bool) -> None:
        """The backend answered (or not) a take :meth:`reserve_now` set *reserved* aside for: book it as this
        store's own when *taken*, else release it."""
        for c, amount in reserved:
            c.pending -= amount
            if taken:
                c.own += amount

    def record(
        self,
        pools: Sequence[SharedPool],
        amounts: Sequence[int],
        counts: Sequence[int],
        now: float,
        ends: Sequence[float] = (),
    ) -> None:
        """The shared backend took *amounts* for this process and reported *counts*, its windows ending at *ends*
        (the caller's clock; empty: not said): remember the counts as the best total known (they hold this
        process's own takes already; :meth:`lost` starts from them), and the backend's calendar."""
        if ends:
            self._align(pools, ends, now)
        for p, amount, count in zip(pools, amounts, counts, strict=True):
            c = self._count(p, now)
            c.seen = max(c.seen + amount, count)
            c.known = True

    def lost(self, now: float, slack: float = 0.0) -> None:
        """The shared backend was lost at *now*: in every window still running with a count of it known, this
        store takes from now on at most its share of what that count left, and no more than what is left of an
        earlier cap in the same window; windows without a count get theirs when first counted (see the class
        docstring).

        :param slack: how late this store's idea of the backend's calendar may run (the round trip of the answer
            it learnt it from, at most the backend's timeout): a window beginning that soon after *now* may be the
            one the backend was really lost in, so it counts as lost in too (without a count of it).
        """
        self._lost_at = now
        self._lost_until = now + slack
        share = self.fallback_share
        for pool, c in self._counts.items():
            if c.known and c.start == self.window(pool, now):
                # share × (limit − seen) counted from now on: share × limit − (share × seen − own) in all.
                debt = share * c.seen - c.own
                c.debt = debt if c.debt is None else max(c.debt, debt)

    def usage_now(
        self, pools: Sequence[SharedPool], now: float, *, blocks: Sequence[Hold] = (), holds: Sequence[Hold] = ()
    ) -> Taken:
        """:meth:`usage`, synchronously."""
        counts = []
        starts = [self.window(p, now) for p in pools]
        for p, start in zip(pools, starts, strict=True):
            c = self._counts.get(p)
            counts.append(c.seen if c is not None and c.start == start else 0)
        blocked, banned = self._held(blocks)
        held, _ = self._held(holds)
        return Taken(True, -1, tuple(counts), blocked, banned, held, self._ends(pools, starts))

    def adopt_now(self, pools: Sequence[SharedPool], counts: Sequence[int], now: float) -> tuple[int, ...]:
        """:meth:`adopt`, synchronously."""
        kept = []
        for p, count in zip(pools, counts, strict=True):
            c = self._count(p, now)
            c.seen = max(c.seen, count)
            c.known = True
            kept.append(c.seen)
        return tuple(kept)

    def hold_now(self, hold: Hold, until: float, banned: bool = False) -> None:
        """:meth:`block` and :meth:`hold_orders`, synchronously, until *until* (on the clock of the *now*
        given to the other methods)."""
        if until > self._holds.get(hold, (0.0, False))[0]:
            self._holds[hold] = (until, banned)

    def own(self, pool: SharedPool, now: float) -> int:
        """What this store counted as its own in *pool*'s window at *now*."""
        c = self._counts.get(pool)
        return c.own if c is not None and c.start == self.window(pool, now) else 0

    def holds(self) -> dict[Hold, tuple[float, bool]]:
        """Every hold known: ``until`` (on the clock of the *now* given) and whether it is a ban."""
        return dict(self._holds)

    async def take(
        self,
        pools: Sequence[SharedPool],
        amounts: Sequence[int],
        limits: Sequence[int],
        now: float,
        *,
        blocks: Sequence[Hold] = (),
        holds: Sequence[Hold] = (),
        enforce: bool = True,
    ) -> Taken:
        return self.take_now(pools, amounts, limits, now, blocks=blocks, holds=holds, enforce=enforce)

    async def usage(
        self, pools: Sequence[SharedPool], now: float, *, blocks: Sequence[Hold] = (), holds: Sequence[Hold] = ()
    ) -> Taken:
        return self.usage_now(pools, now, blocks=blocks, holds=holds)

    async def adopt(self, pools: Sequence[SharedPool], counts: Sequence[int], now: float) -> tuple[int, ...]:
        return self.adopt_now(pools, counts, now)

    async def block(self, hold: Hold, seconds: float, banned: bool, now: float) -> None:
        self.hold_now(hold, now + seconds, banned)

    async def hold_orders(self, hold: Hold, seconds: float, now: float) -> None:
        self.hold_now(hold, now + seconds)


def backend_from_plugins(pm: pluggy.PluginManager, market: MarketSpec) -> BudgetBackend | None:
    """The backend a plugin supplies for *market* (hook ``binance_rate_limit_backend``), or ``None``; called at
    assembly.

    :raises InvalidRowError: a plugin returned something that is not a :class:`BudgetBackend`.
    """
    return checked_backend(pm.hook.binance_rate_limit_backend(market=market), market)


def checked_backend(backend: object, market: MarketSpec) -> BudgetBackend | None:
    """*backend*, what the hook ``binance_rate_limit_backend`` returned for *market*: :func:`backend_from_plugins`
    after the hook call. Assembly calls the hook itself and this only when a plugin returned a backend, so a
    process that shares no budget never imports this module.

    :raises InvalidRowError: *backend* is neither ``None`` nor a :class:`BudgetBackend`.
    """
    if backend is not None and not isinstance(backend, BudgetBackend):
        raise InvalidRowError(
            f'binance_rate_limit_backend for market {market.name!r} returned {type(backend).__name__}, which is '
            'not a BudgetBackend (name, timeout, fallback_share, retry_interval; take, usage, adopt, block, '
            'hold_orders)'
        )
    return backend
