"""The fallback of a limiter whose shared backend fails (``binance_core.rate_limit.shared``, ``LocalBudgetBackend``):
what a process may take in the window the backend was lost in and in later ones, and still once back on the
backend; windows on the backend's calendar, not the host's; how soon the backend is asked again, that a fallback
never outlives the failure, that nothing counted during a hand-over is lost, and the backend's warm-up.

The shared store is the in-memory reference behind a switch (down, slow, or held at a gate: the faults of a store
across a network); the Redis plugin's suite proves the same against a real redis-server."""

from __future__ import annotations

import asyncio
import gc
import itertools
import logging
from collections.abc import Sequence

import pytest

from binance_core.rate_limit import Hold, LocalBudgetBackend, RateLimiter, SharedPool, Taken
from binance_core.rate_limit.budgets import budgets_for
from binance_core.rate_limit.shared import BackendState
from binance_core.specs import PoolSpec

LIMIT = 1200
WEIGHT = PoolSpec(type='request_weight', scope='ip', interval='1m', limit=LIMIT)
P_WEIGHT = SharedPool('spot', 'live', 'ip', 'request_weight', '1m', 60)
# Tests whose backend is away from the first call count an hourly pool: a minute's window the backend was lost in
# without a count of it is waited out (tested below), and those tests are about the probe and the hand-over.
HOURLY = PoolSpec(type='request_weight', scope='ip', interval='1h', limit=LIMIT)
P_HOURLY = SharedPool('spot', 'live', 'ip', 'request_weight', '1h', 3600)
T0 = 1_800_000_000.0  # :00 of a minute (08:00 UTC)


class Clock:
    def __init__(self, t: float = T0 + 1) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


class Switchable:
    """A :class:`BudgetBackend` whose store (the in-memory reference) is reachable or not (``down``), answers
    late (``slow`` seconds, once), or holds every call at ``gate`` until it is set."""

    name = 'switchable'
    fallback_share = 0.25

    def __init__(
        self,
        *,
        timeout: float = 0.05,
        retry_interval: float = 1.0,
        store: LocalBudgetBackend | None = None,
        name: str = 'switchable',
        share: float = 0.25,
    ) -> None:
        self.name = name  # another name: another process's state (two processes in one test)
        self.fallback_share = share
        self.store = LocalBudgetBackend() if store is None else store
        self.timeout = timeout
        self.retry_interval = retry_interval
        self.down = False
        self.slow = 0.0
        self.gate: asyncio.Event | None = None
        self.waiting = 0  # calls held at the gate now
        self.calls: list[float] = []  # when each call came (loop time)

    async def _reach(self) -> None:
        self.calls.append(asyncio.get_running_loop().time())
        if self.down:
            raise ConnectionError('down')
        if self.slow:
            slow, self.slow = self.slow, 0.0
            await asyncio.sleep(slow)
        if self.gate is not None:
            self.waiting += 1
            try:
                await self.gate.wait()
            finally:
                self.waiting -= 1

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
        await self._reach()
        return await self.store.take(pools, amounts, limits, now, blocks=blocks, holds=holds, enforce=enforce)

    async def usage(
        self, pools: Sequence[SharedPool], now: float, *, blocks: Sequence[Hold] = (), holds: Sequence[Hold] = ()
    ) -> Taken:
        await self._reach()
        return await self.store.usage(pools, now, blocks=blocks, holds=holds)

    async def adopt(self, pools: Sequence[SharedPool], counts: Sequence[int], now: float) -> tuple[int, ...]:
        await self._reach()
        return await self.store.adopt(pools, counts, now)

    async def block(self, hold: Hold, seconds: float, banned: bool, now: float) -> None:
        await self._reach()
        await self.store.block(hold, seconds, banned, now)

    async def hold_orders(self, hold: Hold, seconds: float, now: float) -> None:
        await self._reach()
        await self.store.hold_orders(hold, seconds, now)


def shared_count(backend: Switchable, clock: Clock, pool: SharedPool = P_HOURLY) -> int:
    return backend.store.usage_now((pool,), clock.t).counts[0]


def state_of(backend: Switchable) -> BackendState:
    return budgets_for(asyncio.get_running_loop()).backends[backend.name]


# -- what a process may take without the backend ---------------------------------------------------------------


def take_all(store: LocalBudgetBackend, now: float, pool: SharedPool = P_WEIGHT, limit: int = LIMIT) -> int:
    """Take 1 at a time until refused; how many were taken."""
    n = 0
    while store.take_now((pool,), (1,), (limit,), now).ok:
        n += 1
    return n


def test_processes_that_lose_the_backend_together_fill_what_was_left_and_no_more() -> None:
    stores = [LocalBudgetBackend(share=0.25) for _ in range(4)]
    for i, store in enumerate(stores):
        # Every process took a part of the 1,150 on the backend, and its last answer said 1,150.
        store.record((P_WEIGHT,), (1,), (1150,), T0 + 1 + i / 10)
        store.lost(T0 + 2)
    taken = [take_all(store, T0 + 3) for store in stores]
    assert taken == [12] * 4  # a quarter of the 50 left each (rounded down), not a quarter of the limit (300)
    assert 1150 + sum(taken) <= LIMIT
    # A window that begins without the backend: a quarter of the whole limit each.
    assert [take_all(store, T0 + 60) for store in stores] == [300] * 4


def test_a_full_window_lost_leaves_nothing_and_a_heavy_call_waits_for_an_empty_one() -> None:
    store = LocalBudgetBackend(share=0.25)
    store.record((P_WEIGHT,), (5,), (1198,), T0 + 1)
    store.lost(T0 + 2)
    t = store.take_now((P_WEIGHT,), (1,), (LIMIT,), T0 + 3)  # a quarter of 2 is 0
    assert (t.ok, t.full, t.counts) == (False, 0, (1198,))
    assert store.take_now((P_WEIGHT,), (2000,), (LIMIT,), T0 + 61).ok  # heavier than the limit: an empty window


def test_a_backend_lost_twice_in_one_window_leaves_the_smaller_of_both_shares() -> None:
    store = LocalBudgetBackend(share=0.25)
    store.record((P_WEIGHT,), (10,), (400,), T0 + 1)
    store.lost(T0 + 2)  # 800 left: 200 of it
    for _ in range(120):  # stopped early: 80 of its 200 left
        assert store.take_now((P_WEIGHT,), (1,), (LIMIT,), T0 + 3).ok
    # Back: the 120 were handed over, the others went on, and the last answer said 1,000.
    store.record((P_WEIGHT,), (1,), (1000,), T0 + 10)
    store.lost(T0 + 11)  # 200 left: 50 of it, fewer than the 80 left of the first share
    assert take_all(store, T0 + 12) == 50
    # Lost twice again, the newer count older than the process's own takes: the first share still binds.
    again = LocalBudgetBackend(share=0.25)
    again.record((P_WEIGHT,), (10,), (400,), T0 + 1)
    again.lost(T0 + 2)
    assert take_all(again, T0 + 3) == 200  # its whole share of the 800 left
    again.record((P_WEIGHT,), (0,), (600,), T0 + 10)  # back, handed over; 600 left, a quarter is 150
    again.lost(T0 + 11)
    assert take_all(again, T0 + 12) == 0  # sharers may still count their shares of the 800: nothing more


def test_lost_without_a_count_of_the_window_a_short_one_is_waited_out_a_long_one_shared() -> None:
    store = LocalBudgetBackend(share=0.25)
    store.record((P_WEIGHT,), (1,), (1199,), T0 - 1)  # only the previous minute's count: nothing of this one
    store.lost(T0 + 1)
    t = store.take_now((P_WEIGHT,), (1,), (LIMIT,), T0 + 2)
    assert (t.ok, t.full, t.ends) == (False, 0, (T0 + 60,))  # treated as full: wait for the next minute
    assert not store.take_now((P_WEIGHT,), (2000,), (LIMIT,), T0 + 59).ok  # not even a call into its "empty" window
    assert take_all(store, T0 + 60) == 300  # a minute that began without the backend: a share of the limit
    # A day of orders cannot be waited out: a share of the limit, or of what a count of that day left.
    day = SharedPool('spot', 'live', 'account', 'orders', '1d', 86400, account='a')
    idle = LocalBudgetBackend(share=0.25)
    idle.lost(T0 + 1)
    assert take_all(idle, T0 + 2, day, 1000) == 250
    earlier = LocalBudgetBackend(share=0.25)
    earlier.record((day,), (1,), (600,), T0 - 3600)  # an hour ago, the same UTC day
    earlier.lost(T0 + 1)
    assert take_all(earlier, T0 + 2, day, 1000) == 100


def test_a_window_beginning_within_a_timeout_of_the_loss_counts_as_lost_in_too() -> None:
    # The backend's window ends measured at its answers run late by up to a round trip: lost 20 ms before the end
    # this store believes in, the backend may have been lost in the next window already, of which nobody here
    # has a count.
    store = LocalBudgetBackend(share=0.25)
    store.record((P_WEIGHT,), (1,), (LIMIT,), T0 + 59.9, (T0 + 60.0,))
    store.lost(T0 + 59.98, slack=0.075)
    t = store.take_now((P_WEIGHT,), (1,), (LIMIT,), T0 + 60.01)
    assert (t.ok, t.ends) == (False, (T0 + 120,))  # waited out
    assert take_all(store, T0 + 120) == 300
    sure = LocalBudgetBackend(share=0.25)  # lost well before the end: the next minute began without the backend
    sure.record((P_WEIGHT,), (1,), (LIMIT,), T0 + 59.0, (T0 + 60.0,))
    sure.lost(T0 + 59.1, slack=0.075)
    assert take_all(sure, T0 + 60.01) == 300


def test_a_window_counted_locally_keeps_its_cap_on_the_backend_until_it_ends() -> None:
    store = LocalBudgetBackend(share=0.25)
    store.record((P_WEIGHT,), (1,), (1100,), T0 + 1)
    store.lost(T0 + 2)
    assert take_all(store, T0 + 3) == 25  # a quarter of the 100 left
    # Back on the backend, which (lacking what the sharers still away counted) would say there is room.
    refused, reserved = store.reserve_now((P_WEIGHT,), (1,), (LIMIT,), T0 + 4)
    assert refused is not None and (refused.ok, refused.full, refused.ends) == (False, 0, (T0 + 60,))
    assert reserved == ()
    refused, reserved = store.reserve_now((P_WEIGHT,), (1,), (LIMIT,), T0 + 60)  # a new window: the backend's
    assert refused is None and reserved == ()


def test_windows_follow_the_backend_s_calendar_not_the_host_s() -> None:
    store = LocalBudgetBackend(share=1.0)
    ten = SharedPool('spot', 'live', 'ip', 'request_weight', '10s', 10)
    # This host's clock is 5 s ahead: the backend's window [T0, T0 + 10) ends at T0 + 15 here.
    store.record((ten,), (90,), (90,), T0 + 5.3, (T0 + 15.0,))
    store.lost(T0 + 6)
    assert take_all(store, T0 + 6, ten, 100) == 10  # what the backend's count left
    assert take_all(store, T0 + 12, ten, 100) == 0  # the host's window rolled over at T0 + 10: the backend's did not
    assert store.window(ten, T0 + 6) == store.window(ten, T0 + 14.9)  # one key for the hand-over
    t = store.take_now((ten,), (1,), (100,), T0 + 14.9)
    assert (t.ok, t.ends) == (False, (T0 + 15.0,))  # told to come back when the backend's window ends
    assert take_all(store, T0 + 15, ten, 100) == 100  # the backend's next window, begun without it
    # A pool never answered for: the calendar of a longer interval it nests in serves it (a minute holds six 10 s).
    nested = LocalBudgetBackend(share=1.0)
    nested.record((P_WEIGHT,), (1,), (1,), T0 + 5.3, (T0 + 65.0,))
    assert nested.usage_now((ten,), T0 + 6).ends == (T0 + 15.0,)


# -- the limiter on a failing backend --------------------------------------------------------------------------


async def test_the_limiter_keeps_to_a_share_of_what_its_last_answer_left() -> None:
    backend = Switchable()
    clock = Clock()
    limiter = RateLimiter((WEIGHT,), market='spot', backend=backend, clock=clock)
    backend.store.take_now((P_WEIGHT,), (1000,), (LIMIT,), clock.t)  # the other processes
    async with asyncio.timeout(1):
        await limiter.acquire(weight=100)  # on the backend: 1,100 of 1,200
        backend.down = True
        for _ in range(25):  # a quarter of the 100 left
            await limiter.acquire(weight=1)
    waiter = asyncio.create_task(limiter.acquire(weight=1))
    async with asyncio.timeout(1):
        while not limiter.snapshot().throttled:
            await asyncio.sleep(0)
    waiter.cancel()
    await asyncio.gather(waiter, return_exceptions=True)


async def test_one_slow_answer_costs_about_one_timeout_not_a_retry_interval(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger='binance')
    backend = Switchable(timeout=0.05, retry_interval=1.0)
    limiter = RateLimiter((HOURLY,), market='spot', backend=backend, clock=Clock())
    loop = asyncio.get_running_loop()
    backend.slow = 0.2  # one answer too late
    started = loop.time()
    async with asyncio.timeout(2):
        await limiter.acquire(weight=1)  # counted locally after the timeout
        state = budgets_for(loop).backends[backend.name]
        assert not state.healthy
        while not state.healthy:
            await asyncio.sleep(0.005)
    assert loop.time() - started < 0.3
    assert any('is back: counting on it again' in r.getMessage() for r in caplog.records)


async def test_a_backend_still_away_is_asked_at_intervals_growing_to_the_retry_interval() -> None:
    backend = Switchable(timeout=0.02, retry_interval=0.32)
    backend.down = True
    limiter = RateLimiter((HOURLY,), market='spot', backend=backend, clock=Clock())
    await limiter.acquire(weight=1)  # the failed call, then the probe's attempts
    async with asyncio.timeout(3):
        while len(backend.calls) < 7:
            await asyncio.sleep(0.005)
    gaps = [b - a for a, b in itertools.pairwise(backend.calls)]
    # About one timeout after the failure, then doubling up to the retry interval. A sleep never ends early; on a
    # busy machine it may end late, hence the loose upper bounds.
    for gap, expected in zip(gaps, (0.02, 0.04, 0.08, 0.16, 0.32, 0.32), strict=True):
        assert expected * 0.9 <= gap <= expected + 0.08, gaps


async def test_a_fallback_outlives_its_limiters_and_a_later_limiter_finds_the_backend_again() -> None:
    backend = Switchable(timeout=0.05, retry_interval=0.05)
    clock = Clock()
    limiter: RateLimiter | None = RateLimiter((HOURLY,), market='spot', backend=backend, clock=clock)
    assert limiter is not None
    backend.down = True
    await limiter.acquire(weight=1)
    state = budgets_for(asyncio.get_running_loop()).backends[backend.name]
    limiter = None
    gc.collect()
    async with asyncio.timeout(1):
        while state._probe is not None:  # the probe saw nobody left and ended, leaving no task behind
            await asyncio.sleep(0.01)
    assert not state.healthy
    backend.down = False
    later = RateLimiter((HOURLY,), market='spot', backend=backend, clock=clock)
    async with asyncio.timeout(1):
        await later.acquire(weight=1)  # still local, but it starts a probe
        while not state.healthy:
            await asyncio.sleep(0.01)
        await later.acquire(weight=1)
    # The one counted locally before the limiters were gone and the later limiter's, handed over, and one more.
    assert shared_count(backend, clock) == 3


async def test_takes_counted_during_a_hand_over_are_handed_over_too(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger='binance')
    backend = Switchable(timeout=0.5, retry_interval=0.05)
    clock = Clock()
    limiter = RateLimiter((HOURLY,), market='spot', backend=backend, clock=clock)
    backend.down = True
    for _ in range(3):
        await limiter.acquire(weight=1)
    backend.gate = gate = asyncio.Event()
    backend.down = False
    async with asyncio.timeout(1):
        while not backend.waiting:  # the probe's hand-over is on its way
            await asyncio.sleep(0.005)
        for _ in range(2):
            await limiter.acquire(weight=1)  # counted locally meanwhile
    gate.set()
    state = budgets_for(asyncio.get_running_loop()).backends[backend.name]
    async with asyncio.timeout(1):
        while not state.healthy:
            await asyncio.sleep(0.005)
    assert shared_count(backend, clock) == 5


async def test_a_process_that_counts_through_every_hand_over_round_still_hands_everything_over() -> None:
    backend = Switchable(timeout=0.5, retry_interval=0.05)
    clock = Clock()
    limiter = RateLimiter((HOURLY,), market='spot', backend=backend, clock=clock)
    backend.down = True
    await limiter.acquire(weight=1)
    backend.gate = asyncio.Event()
    backend.down = False
    state = budgets_for(asyncio.get_running_loop()).backends[backend.name]
    async with asyncio.timeout(2):
        seen = len(backend.calls)
        for _ in range(5):  # four rounds of hand-over, then the residue after the flip
            while not (backend.waiting and len(backend.calls) > seen):  # the next call is held at the gate
                await asyncio.sleep(0.005)
            seen = len(backend.calls)
            if not state.healthy:
                await limiter.acquire(weight=1)  # counted locally while this round is on its way
            held, backend.gate = backend.gate, asyncio.Event()
            held.set()
        backend.gate = None
        while shared_count(backend, clock) < 5:
            await asyncio.sleep(0.005)
    assert state.healthy and shared_count(backend, clock) == 5  # the round-4 take came with the residue


async def test_a_process_back_first_keeps_its_fallback_cap_while_a_sharer_still_counts_locally() -> None:
    clock = Clock()
    store = LocalBudgetBackend()  # the shared store both processes reach (or not)
    a = Switchable(store=store, name='process-a', share=0.5, retry_interval=0.05)
    b = Switchable(store=store, name='process-b', share=0.5, retry_interval=0.05)
    one = RateLimiter((HOURLY,), market='spot', backend=a, clock=clock)
    two = RateLimiter((HOURLY,), market='spot', backend=b, clock=clock)
    store.take_now((P_HOURLY,), (1098,), (LIMIT,), clock.t)  # earlier takes: 1,100 of 1,200 with one each
    async with asyncio.timeout(2):
        await one.acquire(weight=1)
        await two.acquire(weight=1)  # both last saw 1,100
        a.down = b.down = True
        for limiter in (one, two):
            for _ in range(50):  # half of the 100 left each
                await limiter.acquire(weight=1)
        a.down = False  # a's probe finds the store first; b's does not yet
        while not state_of(a).healthy:
            await asyncio.sleep(0.005)
    assert shared_count(a, clock) == 1150  # a's 50 handed over; b's 50 are still b's own
    waiter = asyncio.create_task(one.acquire(weight=1))  # the store says 50 left: the cap says none
    async with asyncio.timeout(1):
        while not one.snapshot().throttled:
            await asyncio.sleep(0.005)
    assert not waiter.done() and shared_count(a, clock) == 1150
    b.down = False
    async with asyncio.timeout(2):
        while not state_of(b).healthy:
            await asyncio.sleep(0.005)
    assert shared_count(b, clock) == LIMIT  # and no more
    waiter.cancel()
    await asyncio.gather(waiter, return_exceptions=True)
    clock.t = T0 + 3600  # the next window: the store's alone again
    async with asyncio.timeout(1):
        await one.acquire(weight=1)
    assert shared_count(a, clock) == 1


class WarmingUp(Switchable):
    """A backend asking for a warm-up (``warm_up_timeout``) whose first answer takes ``cold`` seconds."""

    def __init__(self, *, cold: float, warm_up_timeout: float, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.warm_up_timeout = warm_up_timeout
        self.cold = cold
        self.reads = 0

    async def usage(
        self, pools: Sequence[SharedPool], now: float, *, blocks: Sequence[Hold] = (), holds: Sequence[Hold] = ()
    ) -> Taken:
        self.reads += 1
        if self.cold:
            cold, self.cold = self.cold, 0.0
            await asyncio.sleep(cold)
        return await super().usage(pools, now, blocks=blocks, holds=holds)


async def test_concurrent_first_callers_wait_for_one_warm_up_bounded_by_its_own_timeout() -> None:
    backend = WarmingUp(cold=0.15, warm_up_timeout=1.0, timeout=0.05)  # a cold start 3 timeouts long
    limiter = RateLimiter((HOURLY,), market='spot', backend=backend, clock=Clock())
    async with asyncio.timeout(2):
        await asyncio.gather(*(limiter.acquire(weight=1) for _ in range(20)))
    assert state_of(backend).healthy  # no fallback against a healthy backend
    assert backend.reads == 1  # one warm-up for all of them
    assert shared_count(backend, Clock()) == 20  # every take on the backend


async def test_a_backend_that_cannot_warm_up_sends_the_process_to_its_fallback_within_the_warm_up_bound() -> None:
    backend = WarmingUp(cold=3600, warm_up_timeout=0.2, timeout=0.05)  # hung
    limiter = RateLimiter((HOURLY,), market='spot', backend=backend, clock=Clock())
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with asyncio.timeout(2):
        await asyncio.gather(*(limiter.acquire(weight=1) for _ in range(5)))
    assert 0.2 <= loop.time() - started < 0.6  # the warm-up's bound, once, then the local count
    assert not state_of(backend).healthy and backend.reads == 1
    started = loop.time()
    await limiter.acquire(weight=1)
    assert loop.time() - started < 0.05  # no backend on the path any more
