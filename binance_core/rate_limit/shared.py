"""A limiter's path through a shared :class:`~binance_core.rate_limit.backend.BudgetBackend`: every IP and account
pool is taken from the backend in one call per request, and a backend that fails or is slow sends every limiter
of the process to local counters at a conservative share of each limit, until a background probe finds it back.

Only limiters given a backend come here; the default limiter never does (its hot path has no await).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
import weakref
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from binance_core.exceptions import RateLimitReachedException
from binance_core.rate_limit.backend import BudgetBackend, Hold, LocalBudgetBackend, Reserved, SharedPool, Taken
from binance_core.rate_limit.pools import Window

if TYPE_CHECKING:
    from binance_core.rate_limit.limiter import RateLimiter

__all__ = ['BackendState', 'SharedPath']

log = logging.getLogger('binance.rate_limit')

T = TypeVar('T')
# Pools acquire() charges; the index picks the amount: weight, orders or raw (as in limiter.py).
_REQUEST_TYPES = {'request_weight': 0, 'orders': 1, 'raw_requests': 2}
# Sleep a hair past a window boundary so the re-check lands in the new window.
_EPSILON = 0.001
# Selected pools of one call: (index into SharedPath.pools, amount).
Selection = tuple[tuple[int, int], ...]
# A backend that fails again within this many seconds of the last warning is logged at DEBUG: a flapping backend
# must not flood the log.
_WARN_EVERY = 60.0
# Hand-overs in a row before the backend is deemed back: takes counted locally during one are handed over in the
# next, and rounds shrink to nothing in practice (a round lasts one round trip); a process that kept counting
# through every round has the rest handed over just after (BackendState._hand_over_residue).
_HAND_OVER_ROUNDS = 4


def _retrieve(task: asyncio.Task[object]) -> None:
    """Read the outcome of a backend call nobody waits for any more, so asyncio does not report it."""
    if not task.cancelled():
        task.exception()


async def bounded(make: Callable[[], Awaitable[T]], seconds: float) -> T:
    """``await make()`` within *seconds*, in a task of its own that the caller waits for through a future of its
    own: the caller's cancellation always reaches the caller (a client library that swallows a cancellation and
    returns normally would otherwise lose it, and a request cancelled by its caller would go on), the caller's
    task is never cancelled by a timer, and a call that overruns is cancelled, not awaited.

    :raises TimeoutError: it took longer; anything ``make()`` raised.
    """
    loop = asyncio.get_running_loop()
    task: asyncio.Task[T] = asyncio.ensure_future(make())
    settled: asyncio.Future[None] = loop.create_future()

    def settle(_: object = None) -> None:
        if not settled.done():
            settled.set_result(None)

    task.add_done_callback(settle)
    timer = loop.call_later(seconds, settle)
    try:
        await settled  # cancelling the caller cancels this future: always raised here
    except BaseException:
        task.cancel()
        task.add_done_callback(_retrieve)
        raise
    finally:
        timer.cancel()
    if not task.done():
        task.cancel()
        task.add_done_callback(_retrieve)
        raise TimeoutError(f'no answer within {seconds} s')
    if task.cancelled():  # cancelled inside the backend's client, not by our caller: a failed call
        raise ConnectionError('the backend call was cancelled')
    return task.result()


class BackendState:
    """One backend's health in one event loop, shared by every limiter of the process on a backend of that name.

    Healthy: every take goes to the backend (bounded by its ``timeout``; the first one in this loop waits for
    the backend's warm-up when it asks for one, ``warm_up_timeout``), and the shared counts it answers and the
    ends of its windows are remembered in :attr:`local`. After a failure: a warning (once), every take counts in
    :attr:`local`, at the backend's ``fallback_share`` of what the last shared count left in the window the
    backend was lost in, and of each whole limit in later windows, in windows of the backend's calendar
    (:class:`~binance_core.rate_limit.backend.LocalBudgetBackend`); a background probe tries the backend again,
    first after about one ``timeout`` (a single slow answer should cost little more than itself), then at
    intervals doubling up to ``retry_interval``. When it answers, the usage counted meanwhile in windows still
    running and the holds still running are handed to it, and takes go back to it (logged once), still within
    this process's fallback cap in every window it counted locally, until that window ends.

    A probe ends when no limiter uses the state any more; a later call on a state still unhealthy starts one,
    so a fallback never outlives the failure that caused it.

    Attributes:
        backend: the shared backend.
        local: this process's own counts (its fallback), with the backend's ``fallback_share``.
        healthy: whether takes go to the backend.
        limiters: the limiters using it (weakly held).
    """

    def __init__(self, backend: BudgetBackend, clock: Callable[[], float]) -> None:
        self.backend = backend
        self.local = LocalBudgetBackend(backend.fallback_share, name=f'{backend.name} fallback')
        self.healthy = True
        self.limiters: weakref.WeakSet[RateLimiter] = weakref.WeakSet()
        self._clock = clock
        self._warned_at: float | None = None  # monotonic time of the last warning
        self._episode_warned = False
        self._probe: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        # Usage taken locally while the backend was away, by pool and window start: (amount, limit).
        self._unsynced: dict[tuple[SharedPool, int], tuple[int, int]] = {}
        # The backend's warm-up (BudgetBackend, optional warm_up_timeout): done once per loop (this state's).
        self._warm_up_timeout: float | None = getattr(backend, 'warm_up_timeout', None)
        self._warm = self._warm_up_timeout is None
        self._warming: asyncio.Task[None] | None = None

    async def call(self, make: Callable[[], Awaitable[T]]) -> T | None:
        """The backend's answer to ``make()`` within its timeout; ``None`` when unhealthy or it failed (then
        unhealthy from now on). Never raises but for the caller's own cancellation."""
        if not self.healthy:
            # No await from the health check to the local count the caller makes: a hand-over cannot slip in.
            self._ensure_probe()
            return None
        if not self._warm and not await self._warm_up():
            return None
        try:
            return await bounded(make, self.backend.timeout)
        except Exception as exc:  # anything a backend raises means "count locally", never a failed request
            self.fail(exc)
            return None

    async def _warm_up(self) -> bool:
        """Wait for the backend's warm-up in this loop, starting it unless under way; whether it is healthy then.

        One warm-up for every concurrent first caller, under a bound of its own: the first call of a cold client
        opens connections and loads scripts, which the short ``timeout`` is not meant for (cold and under load,
        it would send the process to its fallback against a healthy backend). It runs in a task of its own that a
        caller's cancellation does not reach, as the other callers wait for it too. An unreachable backend costs
        ``warm_up_timeout`` once, then fails like any call. After it fails, no awaiting between here and the
        caller's local count: the probe it started sleeps first.
        """
        task = self._warming
        if task is None:
            loop = asyncio.get_running_loop()
            task = self._warming = loop.create_task(self._run_warm_up(), name='binance-rl-warm-up')
        await asyncio.shield(task)
        return self.healthy

    async def _run_warm_up(self) -> None:
        b = self.backend
        try:
            await bounded(lambda: b.usage((), self._clock()), self._warm_up_timeout or b.timeout)
        except Exception as exc:
            self.fail(exc)
        else:
            self._warm = True
        finally:
            self._warming = None

    def fail(self, exc: BaseException) -> None:
        """Count locally from now on, say so once, and start looking for the backend in the background."""
        if not self.healthy:
            return
        self.healthy = False
        # The ends the backend answered are measured at its answers (never early), so they may run late by a round
        # trip, at most one timeout: a window beginning that soon may be the one the backend was lost in.
        self.local.lost(self._clock(), self.backend.timeout)
        b = self.backend
        now = time.monotonic()
        self._episode_warned = self._warned_at is None or now - self._warned_at >= _WARN_EVERY
        if self._episode_warned:
            self._warned_at = now
        # The exception's type only: a client's message may carry its address and, in a URL, a password.
        log.log(
            logging.WARNING if self._episode_warned else logging.DEBUG,
            'rate-limit backend %s failed (%s): counting locally at %.0f%% of every limit until it is back '
            '(retrying at most every %.1f s)',
            b.name,
            type(exc).__name__,
            b.fallback_share * 100,
            b.retry_interval,
        )
        self._ensure_probe()

    def _ensure_probe(self) -> None:
        """Start looking for the backend unless a probe is at it already."""
        if self._probe is not None and not self._probe.done():
            return
        try:
            self._probe = asyncio.get_running_loop().create_task(self._look_for_backend(), name='binance-rl-probe')
        except RuntimeError:  # no running loop: the next call inside one starts it
            self._probe = None

    def count_unsynced(self, pools: Sequence[SharedPool], amounts: Sequence[int], limits: Sequence[int]) -> None:
        """Remember usage taken locally, to hand to the backend when it is back."""
        now = self._clock()
        for p, amount, limit in zip(pools, amounts, limits, strict=True):
            if amount:
                # The window on the backend's calendar (as its last answers told it), not this host's: a host whose
                # clock is off would file a take under a window the backend left or has not got to yet.
                key = (p, self.local.window(p, now))
                had = self._unsynced.get(key, (0, limit))[0]
                self._unsynced[key] = (had + amount, limit)

    def spawn(self, make: Callable[[], Awaitable[object]], *, always: bool = False) -> None:
        """Run ``make()`` against the backend in the background (an answer nobody waits for: adopt, holds); with
        *always*, also while the backend is deemed away (a hold matters more than a wasted attempt)."""
        if not self.healthy and not always:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # outside a loop (a synchronous caller): local only

        async def run() -> None:
            if self.healthy:
                await self.call(make)
                return
            self._ensure_probe()
            try:
                await bounded(make, self.backend.timeout)
            except Exception:
                log.debug('rate-limit backend %s: a hold could not be written; it is handed over when it is back',
                          self.backend.name)  # fmt: skip

        task = loop.create_task(run(), name='binance-rl-write')
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _look_for_backend(self) -> None:
        """The probe: wait, try the backend with a hand-over, until it answers or no limiter is left.

        The first attempt comes after about one ``timeout``: a single answer slower than the timeout (a busy
        server, a lost packet) is the common failure, and it should not cost a whole ``retry_interval`` of
        counting at a share. A backend still away is asked again at intervals doubling up to ``retry_interval``.
        """
        b = self.backend
        delay = min(b.timeout, b.retry_interval)
        try:
            while not self.healthy:
                await asyncio.sleep(delay)
                delay = min(delay * 2, b.retry_interval)
                if not self.limiters:
                    return  # nobody counts on it any more; a later call starts a probe again (call())
                if await self._hand_over_all():
                    # No await between the hand-over's last look at what was counted locally and the flip: a take
                    # counted locally is either handed over already or in this residue (empty but for a process
                    # that kept counting through every round).
                    residue, self._unsynced = self._unsynced, {}
                    self.healthy = True
                    self._warm = True  # the hand-over reached it: warm
                    if residue:
                        self._hand_over_residue(residue)
                    log.log(logging.INFO if self._episode_warned else logging.DEBUG,
                            'rate-limit backend %s is back: counting on it again', b.name)  # fmt: skip
        finally:
            if self._probe is asyncio.current_task():
                self._probe = None

    async def _hand_over_all(self) -> bool:
        """Hand the backend everything counted locally and the holds, then again whatever was counted locally
        while a hand-over was on its way (takes count locally until the backend is deemed back), until a round
        finds nothing new or :data:`_HAND_OVER_ROUNDS` were made; ``True`` then. On a failure, what was not handed
        over is kept for the next attempt, and ``False``."""
        holds = True
        for _ in range(_HAND_OVER_ROUNDS):
            unsynced, self._unsynced = self._unsynced, {}
            try:
                await bounded(functools.partial(self._hand_over, unsynced, holds=holds), self._hand_over_bound())
            except Exception:
                self._keep_unsynced(unsynced)
                return False
            # A hold set meanwhile was written in the background already (spawn(always=True)).
            holds = False
            if not self._unsynced:
                break
        return True

    def _hand_over_bound(self) -> float:
        """Seconds a hand-over may take: a few calls, and a backend back after a restart warms up again within
        it (connections, scripts)."""
        return max(self.backend.timeout * 4 + 0.1, self._warm_up_timeout or 0.0)

    def _keep_unsynced(self, unsynced: dict[tuple[SharedPool, int], tuple[int, int]]) -> None:
        """Put usage a hand-over could not deliver back, for the next one."""
        for key, (amount, limit) in unsynced.items():
            had = self._unsynced.get(key, (0, limit))[0]
            self._unsynced[key] = (had + amount, limit)

    def _hand_over_residue(self, residue: dict[tuple[SharedPool, int], tuple[int, int]]) -> None:
        """Hand over, just after the backend was deemed back, what was counted locally during the last round; if
        that fails, it is kept for the next probe, which the failure starts."""

        async def run() -> None:
            try:
                await bounded(functools.partial(self._hand_over, residue, holds=False), self._hand_over_bound())
            except Exception as exc:
                self._keep_unsynced(residue)
                self.fail(exc)

        task = asyncio.get_running_loop().create_task(run(), name='binance-rl-hand-over')
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _hand_over(self, unsynced: dict[tuple[SharedPool, int], tuple[int, int]], *, holds: bool) -> None:
        """Give the backend what was counted locally in windows still running, and (*holds*) the holds still
        running, as durations from now."""
        b = self.backend
        now = self._clock()
        # Windows on the backend's calendar (LocalBudgetBackend.window): a take filed under a window the backend
        # still runs is handed over, whenever this host's own calendar rolled over.
        current = [(p, amount, limit) for (p, start), (amount, limit) in unsynced.items()
                   if start == self.local.window(p, now)]  # fmt: skip
        if current:
            pools, amounts, limits = zip(*current, strict=True)
            await b.take(pools, amounts, limits, now, enforce=False)
        else:
            await b.usage((), now)
        if not holds:
            return
        for hold, (until, banned) in self.local.holds().items():
            if until > now:
                if hold.account is None:
                    await b.block(hold, until - now, banned, now)
                else:
                    await b.hold_orders(hold, until - now, now)


class SharedPath:
    """How one limiter takes its IP and account pools from a backend. Built from the limiter's pool rows each
    time they, its market, environment or account change; its mirror windows are the limiter's own windows,
    so ``snapshot()`` shows the shared usage as of this limiter's last answer from the backend (every sharer's,
    not only this limiter's): while this limiter sends nothing, other sharers' takes do not show.

    Times a backend answers are on this limiter's clock (:class:`~binance_core.rate_limit.backend.Taken`), and
    holds go to it as durations, so a host whose clock is off still waits as long as every other sharer.
    """

    def __init__(self, limiter: RateLimiter, backend: BudgetBackend) -> None:
        self.limiter = limiter
        self.backend = backend
        market = limiter.market or 'default'
        env = limiter.environment
        account = limiter._account or 'anonymous'
        self.pools: list[SharedPool] = []
        self.windows: list[Window] = []
        self.limits: list[int] = []
        index: dict[int, int] = {}  # id(window) -> position
        for spec, w in zip(limiter._specs, limiter._own_windows, strict=True):
            if spec.seconds is None or spec.scope == 'connection':
                continue
            index[id(w)] = len(self.pools)
            self.pools.append(
                SharedPool(
                    budget=spec.budget or market,
                    environment=env,
                    scope=spec.scope,
                    type=spec.type,
                    interval=str(spec.interval),
                    seconds=int(spec.seconds),
                    group=spec.group,
                    account=account if spec.scope == 'account' else None,
                )
            )
            w.backend = backend.name
            self.windows.append(w)
            self.limits.append(w.limit)
        self._index = index
        general = [(i, p) for i, p in enumerate(self.pools) if p.group is None]
        self.requests = tuple((i, _REQUEST_TYPES[p.type]) for i, p in general if p.type in _REQUEST_TYPES)
        self.connect = tuple(i for i, p in general if p.type == 'ws_connections')
        groups: dict[str, tuple[int, ...]] = {}
        for i, p in enumerate(self.pools):
            if p.group is not None:
                groups[p.group] = (*groups.get(p.group, ()), i)
        self.groups = groups
        self.blocks = tuple(sorted({Hold(p.budget, env) for p in self.pools if p.scope == 'ip'}, key=repr))
        self.holds = tuple(sorted({Hold(p.budget, env, account) for p in self.pools if p.scope == 'account'}, key=repr))
        self._state: BackendState | None = None
        self._state_loop: Callable[[], asyncio.AbstractEventLoop | None] = lambda: None

    # -- plumbing ------------------------------------------------------------------------------

    def state(self) -> BackendState:
        """The backend's state in the running loop (one per backend name and loop, shared by the process)."""
        from binance_core.rate_limit.budgets import budgets_for

        loop = asyncio.get_running_loop()
        if self._state is None or self._state_loop() is not loop:
            self._state = budgets_for(loop).backend_state(self.backend, self.limiter._clock)
            self._state.limiters.add(self.limiter)
            self._state_loop = weakref.ref(loop)
        return self._state

    def _mirror(self, sel: Selection, taken: Taken, now: float) -> None:
        """Show the backend's counts (and holds) in the limiter's windows and Retry-After state; a window ends
        when the backend's does (on this limiter's clock), so the snapshot rolls over with it."""
        lim = self.limiter
        ends = taken.ends
        for k, ((i, _), count) in enumerate(zip(sel, taken.counts, strict=True)):
            w = self.windows[i]
            w.roll(now)
            w.used = count
            if ends:
                w.end = ends[k]
        if taken.blocked_until > lim._blocked_until:
            lim._hold(taken.blocked_until, taken.banned)
        if taken.orders_held_until > lim._orders_held_until:
            lim._hold_orders(taken.orders_held_until)

    async def take(self, sel: Selection, now: float, *, enforce: bool = True, orders: bool = False) -> Taken:
        """Take the selected amounts: from the backend while it answers, else from the local counts.

        On the backend, a window this process counted locally keeps its local cap until it ends (the take must
        pass both): sharers still on their fallback are not in the backend's count until their probes find it,
        so a process back first must not fill the window up on their behalf.
        """
        st = self.state()
        local = st.local
        pools = tuple(self.pools[i] for i, _ in sel)
        amounts = tuple(a for _, a in sel)
        limits = tuple(self.limits[i] for i, _ in sel)
        holds = self.holds if orders else ()
        backend = self.backend
        reserved: Reserved = ()
        if st.healthy:
            refused, reserved = local.reserve_now(pools, amounts, limits, now, enforce=enforce)
            if refused is not None:
                self._mirror(sel, refused, now)
                return refused
        try:
            taken = await st.call(
                lambda: backend.take(pools, amounts, limits, now, blocks=self.blocks, holds=holds, enforce=enforce)
            )
        except BaseException:  # the caller's cancellation: nothing was taken for it
            local.settle(reserved, False)
            raise
        if taken is not None:
            local.record(pools, amounts if taken.ok else (0,) * len(amounts), taken.counts, now, taken.ends)
            local.settle(reserved, taken.ok)
            for h in self.blocks:
                local.hold_now(h, taken.blocked_until, taken.banned)
            for h in holds:
                local.hold_now(h, taken.orders_held_until)
        else:
            local.settle(reserved, False)
            taken = local.take_now(pools, amounts, limits, now, blocks=self.blocks, holds=holds, enforce=enforce)
            if taken.ok:
                st.count_unsynced(pools, amounts, limits)
        self._mirror(sel, taken, now)
        return taken

    def _reset_in(self, i: int, now: float) -> float:
        """Seconds until pool *i*'s window ends on this limiter's own calendar (no answer says otherwise)."""
        seconds = self.pools[i].seconds
        return seconds - now % seconds

    def _full_ends_in(self, sel: Selection, taken: Taken, now: float) -> tuple[int, float]:
        """The full pool of a refusal and the seconds until its window ends: the backend's window when it says
        (its clock may be ahead of or behind this one), else this limiter's calendar."""
        k = max(taken.full, 0)
        i = sel[k][0]
        if k < len(taken.ends):
            return i, max(0.0, taken.ends[k] - now)
        return i, self._reset_in(i, now)

    def _refuse(self, sel: Selection, taken: Taken, now: float) -> RateLimitReachedException:
        lim = self.limiter
        if taken.blocked_until > now:
            return RateLimitReachedException(lim._block_label(), retry_after=taken.blocked_until - now)
        if taken.orders_held_until > now:
            return RateLimitReachedException(
                'orders (-1015 too many orders)', retry_after=taken.orders_held_until - now
            )
        i, ends_in = self._full_ends_in(sel, taken, now)
        return RateLimitReachedException(self.windows[i].label, retry_after=ends_in)

    # -- what the limiter delegates --------------------------------------------------------------

    async def acquire(self, weight: int, orders: int, raw: int) -> None:
        """:meth:`RateLimiter.acquire` on the backend: requests wait for room, orders fail fast."""
        lim = self.limiter
        amounts = (weight, orders, raw)
        sel = tuple((i, amounts[k]) for i, k in self.requests if amounts[k])
        now = lim._clock()
        if not lim.guard:
            await self.take(sel, now, enforce=False)
            return
        if orders:
            if now < lim._blocked_until:
                raise RateLimitReachedException(lim._block_label(), retry_after=lim._blocked_until - now)
            if now < lim._orders_held_until:
                raise RateLimitReachedException(
                    'orders (-1015 too many orders)', retry_after=lim._orders_held_until - now
                )
            if self._queued(sel, lim._request_lock):
                # Orders never queue, not even behind requests waiting for weight (a late order can be worse).
                waiting = [i for i, _ in sel if self.pools[i].type != 'orders']
                if waiting:
                    i = waiting[0]
                    raise RateLimitReachedException(
                        f'{self.windows[i].label} (requests are queued for it)', retry_after=self._reset_in(i, now)
                    )
            taken = await self.take(sel, now, orders=True)
            if not taken.ok:
                raise self._refuse(sel, taken, now)
            return
        if now >= lim._blocked_until and not self._queued(sel, lim._request_lock):
            if (await self.take(sel, now)).ok:
                return
        await self._wait(sel, lim._request_lock)

    async def acquire_group(self, group: str) -> None:
        """:meth:`RateLimiter.acquire_group` on the backend."""
        lim = self.limiter
        pools = self.groups.get(group)
        if pools is None:
            return
        sel = tuple((i, 1) for i in pools)
        now = lim._clock()
        if not lim.guard:
            await self.take(sel, now, enforce=False)
            return
        lock = lim._group_locks[group]
        if now >= lim._blocked_until and not self._queued(sel, lock) and (await self.take(sel, now)).ok:
            return
        await self._wait(sel, lock)

    async def acquire_connection(self) -> None:
        """:meth:`RateLimiter.acquire_connection` on the backend."""
        lim = self.limiter
        sel = tuple((i, 1) for i in self.connect)
        now = lim._clock()
        if not lim.guard:
            await self.take(sel, now, enforce=False)
            return
        lock = lim._connect_lock
        if now >= lim._blocked_until and not self._queued(sel, lock) and (await self.take(sel, now)).ok:
            return
        await self._wait(sel, lock)

    async def count_now(self, weight: int) -> None:
        """Count request *weight* on the backend at once, never waiting nor refused (a WS-API handshake's)."""
        sel = tuple((i, weight) for i, k in self.requests if k == 0)
        if sel:
            await self.take(sel, self.limiter._clock(), enforce=False)

    def _queued(self, sel: Selection, lock: asyncio.Lock) -> bool:
        """Whether a caller of this limiter waits for *lock* or for a window of *sel*: a lock just released is not
        yet taken by its next waiter, and a newcomer must not jump it."""
        return lock.locked() or any(self.windows[i].pending for i, _ in sel)

    async def _wait(self, sel: Selection, lock: asyncio.Lock) -> None:
        """Queue behind earlier callers of this limiter (FIFO), then retry until the block and every full window
        have passed. Other processes are not in this queue: the backend decides between them, call by call."""
        lim = self.limiter
        windows = tuple(self.windows[i] for i, _ in sel)
        lim._pending += 1
        for w in windows:
            w.pending += 1
        try:
            async with lock:
                while True:
                    now = lim._clock()
                    if now < lim._blocked_until:
                        await asyncio.sleep(lim._blocked_until - now + _EPSILON)
                        continue
                    taken = await self.take(sel, now)
                    if taken.ok:
                        return
                    if taken.blocked_until > now:
                        continue  # held: the loop sleeps until the block ends
                    await asyncio.sleep(self._full_ends_in(sel, taken, now)[1] + _EPSILON)
        finally:
            lim._pending -= 1
            for w in windows:
                w.pending -= 1

    def adopt(self, reported: Sequence[tuple[Window, int]], now: float) -> None:
        """Binance's counts from a response: the larger of ours and Binance's, here and on the backend (in the
        background: reconciliation is synchronous, and the next take carries the count anyway)."""
        pools: list[SharedPool] = []
        counts: list[int] = []
        newer = False
        for w, used in reported:
            i = self._index.get(id(w))
            if i is None:
                continue
            w.roll(now)
            if used > w.used:
                newer = True
                w.used = used
            w.source = 'header'
            pools.append(self.pools[i])
            counts.append(used)
        if not pools:
            return
        try:
            st = self.state()
        except RuntimeError:
            return  # outside a loop: the mirror alone
        st.local.adopt_now(pools, counts, now)
        if newer:  # Binance counted usage no sharer did (another tool on the IP): tell every sharer
            backend = self.backend
            st.spawn(lambda: backend.adopt(pools, counts, now))

    def block(self, until: float, banned: bool) -> None:
        """A 429/418: hold every sharer of the IP budgets (here at once, on the backend in the background)."""
        self._hold(self.blocks, until, banned)

    def hold_orders(self, until: float) -> None:
        """A -1015: hold the account's new orders for every sharer."""
        self._hold(self.holds, until, False)

    def _hold(self, holds: Sequence[Hold], until: float, banned: bool) -> None:
        """Hold here until *until* (this limiter's clock), and on the backend for as long from now: a duration,
        which every sharer sees end at the same moment whatever its clock."""
        try:
            st = self.state()
        except RuntimeError:
            return
        backend = self.backend
        now = self.limiter._clock()
        seconds = max(0.0, until - now)
        for h in holds:
            st.local.hold_now(h, until, banned)
            if h.account is None:
                st.spawn(functools.partial(backend.block, h, seconds, banned, now), always=True)
            else:
                st.spawn(functools.partial(backend.hold_orders, h, seconds, now), always=True)
