"""The fallback of a limiter whose shared backend fails (``binance_core.rate_limit.shared``, ``LocalBudgetBackend``):
what a process may take in the window the backend was lost in and in later ones, how soon the backend is asked
again, that a fallback never outlives the failure, and that nothing counted during a hand-over is lost.

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
from binance_core.specs import PoolSpec

LIMIT = 1200
WEIGHT = PoolSpec(type='request_weight', scope='ip', interval='1m', limit=LIMIT)
P_WEIGHT = SharedPool('spot', 'live', 'ip', 'request_weight', '1m', 60)
T0 = 1_800_000_000.0  # :00 of a minute


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

    def __init__(self, *, timeout: float = 0.05, retry_interval: float = 1.0) -> None:
        self.store = LocalBudgetBackend()
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


def shared_count(backend: Switchable, clock: Clock) -> int:
    return backend.store.usage_now((P_WEIGHT,), clock.t).counts[0]


# -- what a process may take without the backend ---------------------------------------------------------------


def take_all(store: LocalBudgetBackend, now: float) -> int:
    """Take 1 at a time until refused; how many were taken."""
    n = 0
    while store.take_now((P_WEIGHT,), (1,), (LIMIT,), now).ok:
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


def test_a_backend_lost_twice_in_one_window_leaves_a_share_of_what_was_left_each_time() -> None:
    store = LocalBudgetBackend(share=0.25)
    store.record((P_WEIGHT,), (10,), (400,), T0 + 1)
    store.lost(T0 + 2)  # 800 left: 200 of it
    assert take_all(store, T0 + 3) == 200
    # Back: the 200 were handed over, the others went on, and the last answer said 1,000.
    store.record((P_WEIGHT,), (1,), (1000,), T0 + 10)
    store.lost(T0 + 11)  # 200 left: 50 of it
    assert take_all(store, T0 + 12) == 50


def test_a_process_that_saw_no_count_in_the_window_takes_its_share_of_the_limit() -> None:
    store = LocalBudgetBackend(share=0.25)
    store.record((P_WEIGHT,), (1,), (1199,), T0 - 1)  # the previous minute
    store.lost(T0 + 1)
    assert take_all(store, T0 + 2) == 300


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
    limiter = RateLimiter((WEIGHT,), market='spot', backend=backend, clock=Clock())
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
    limiter = RateLimiter((WEIGHT,), market='spot', backend=backend, clock=Clock())
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
    limiter: RateLimiter | None = RateLimiter((WEIGHT,), market='spot', backend=backend, clock=clock)
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
    later = RateLimiter((WEIGHT,), market='spot', backend=backend, clock=clock)
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
    limiter = RateLimiter((WEIGHT,), market='spot', backend=backend, clock=clock)
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
    limiter = RateLimiter((WEIGHT,), market='spot', backend=backend, clock=clock)
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
