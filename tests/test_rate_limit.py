"""Client-side rate limiting: waiting pools, fail-fast orders, reconciliation, Retry-After blocks, snapshots,
and budgets shared across markets."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
import weakref
from collections import Counter
from typing import Any

import pytest

from binance_core.exceptions import RateLimitReachedException, TooManyStreamsException
from binance_core.rate_limit import RateLimiter, RateLimitSnapshot, RateLimitWindow
from binance_core.specs import PoolSpec


class FakeClock:
    """Epoch seconds that only move when a test moves them."""

    def __init__(self, t: float = 1_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


WEIGHT = PoolSpec(type='request_weight', scope='ip', interval='1m', limit=100)
RAW = PoolSpec(type='raw_requests', scope='ip', interval='5m', limit=1000)
ORDERS_10S = PoolSpec(type='orders', scope='account', interval='10s', limit=2, wait=False)
ORDERS_1D = PoolSpec(type='orders', scope='account', interval='1d', limit=1000, wait=False)
CONNECTIONS = PoolSpec(type='ws_connections', scope='ip', interval='5m', limit=2)
MESSAGES = PoolSpec(type='ws_messages', scope='connection', interval='1s', limit=3)
STREAMS = PoolSpec(type='ws_streams', scope='connection', interval=None, limit=1024)
POOLS = (WEIGHT, RAW, ORDERS_10S, ORDERS_1D, CONNECTIONS, MESSAGES, STREAMS)


def window(snap: RateLimitSnapshot, type: str, interval: str | None) -> RateLimitWindow:
    found = [w for w in snap.windows if w.type == type and w.interval == interval]
    assert len(found) == 1, snap.windows
    return found[0]


async def early_in_a_second() -> None:
    """Real-time tests need most of a 1 s window ahead of them; wait out a nearly finished one."""
    frac = time.time() % 1
    if frac > 0.7:
        await asyncio.sleep(1 - frac + 0.01)


async def wait_for(predicate, timeout: float = 1.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0)


# -- waiting pools ---------------------------------------------------------------------------


async def test_burst_over_budget_is_delayed_in_fifo_order_and_never_exceeds_a_window():
    pool = PoolSpec(type='request_weight', scope='ip', interval='1s', limit=4)
    limiter = RateLimiter((pool,), market='spot')
    done: list[tuple[int, float]] = []

    async def call(i: int) -> None:
        await limiter.acquire(weight=1, raw=0)
        done.append((i, time.time()))

    await early_in_a_second()
    tasks = [asyncio.create_task(call(i)) for i in range(6)]
    await wait_for(lambda: limiter.snapshot().pending == 2)
    snap = limiter.snapshot()
    assert snap.throttled
    w = window(snap, 'request_weight', '1s')
    assert (w.used, w.pending, w.remaining) == (4, 2, 0)
    async with asyncio.timeout(3):
        await asyncio.gather(*tasks)

    assert [i for i, _ in done] == list(range(6))  # FIFO
    per_window = Counter(int(t) for _, t in done)
    assert max(per_window.values()) <= 4
    assert int(done[4][1]) > int(done[0][1])  # the over-budget calls ran in a later window
    snap = limiter.snapshot()
    assert snap.pending == 0 and not snap.throttled


async def test_a_single_call_heavier_than_the_whole_budget_goes_into_an_empty_window():
    limiter = RateLimiter((WEIGHT,), clock=FakeClock())
    async with asyncio.timeout(0.5):
        await limiter.acquire(weight=150)
    assert window(limiter.snapshot(), 'request_weight', '1m').used == 150


async def test_connection_attempts_wait_and_a_cancelled_waiter_leaves_no_trace():
    clock = FakeClock()
    limiter = RateLimiter(POOLS, clock=clock)
    async with asyncio.timeout(0.5):
        await limiter.acquire_connection()
        await limiter.acquire_connection()
    waiter = asyncio.create_task(limiter.acquire_connection())
    await wait_for(lambda: limiter.snapshot().pending == 1)
    assert window(limiter.snapshot(), 'ws_connections', '5m').pending == 1
    assert not waiter.done()
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    snap = limiter.snapshot()
    assert snap.pending == 0 and window(snap, 'ws_connections', '5m').used == 2

    clock.t += 300  # next 5-minute window
    async with asyncio.timeout(0.5):
        await limiter.acquire_connection()
    assert window(limiter.snapshot(), 'ws_connections', '5m').used == 1


# -- orders ----------------------------------------------------------------------------------


async def test_order_over_budget_raises_with_retry_after_and_charges_nothing():
    clock = FakeClock(1_000_003.5)  # 3.5 s into a 10 s window (windows align to :00/:10/...)
    limiter = RateLimiter(POOLS, market='spot', clock=clock)
    await limiter.acquire(weight=1, orders=1)
    await limiter.acquire(weight=1, orders=1)
    with pytest.raises(RateLimitReachedException) as info:
        await limiter.acquire(weight=1, orders=1)
    assert info.value.pool == 'orders 10s'
    assert info.value.retry_after == pytest.approx(6.5)

    snap = limiter.snapshot()
    assert window(snap, 'request_weight', '1m').used == 2
    assert window(snap, 'raw_requests', '5m').used == 2
    assert window(snap, 'orders', '10s').used == 2
    assert window(snap, 'orders', '1d').used == 2

    clock.t = 1_000_010.0  # the 10 s window reset; the day window did not
    await limiter.acquire(weight=1, orders=1)
    snap = limiter.snapshot()
    assert window(snap, 'orders', '10s').used == 1
    assert window(snap, 'orders', '1d').used == 3


async def test_guard_off_never_delays_or_raises_but_counts():
    clock = FakeClock()
    limiter = RateLimiter(POOLS, guard=False, clock=clock)
    limiter.block(60)
    conn = limiter.connection()
    async with asyncio.timeout(0.2):  # any wait would be a real sleep of seconds
        for _ in range(150):
            await limiter.acquire(weight=1, orders=1)
        for _ in range(4):
            await limiter.acquire_connection()
            await conn.message()
    snap = limiter.snapshot()
    assert window(snap, 'request_weight', '1m').used == 150
    assert window(snap, 'request_weight', '1m').utilization == pytest.approx(1.5)
    assert window(snap, 'orders', '10s').used == 150
    assert window(snap, 'ws_connections', '5m').used == 4
    assert window(snap, 'ws_messages', '1s').used == 4
    assert snap.max_utilization == pytest.approx(75.0)  # orders 10s: 150 / 2


# -- reconciliation --------------------------------------------------------------------------


def test_rest_headers_set_used_and_source_case_insensitively():
    clock = FakeClock()
    limiter = RateLimiter(POOLS, clock=clock)
    limiter.reconcile_headers(
        {
            'x-mbx-used-weight-1m': '20',
            'X-MBX-ORDER-COUNT-10S': '1',
            'X-Mbx-Order-Count-1d': '7',
            'X-MBX-USED-WEIGHT-1H': '99',  # no 1 h weight pool here: ignored
            'X-MBX-USED-WEIGHT': '5',  # legacy header without interval: ignored
            'Content-Type': 'application/json',
        }
    )
    snap = limiter.snapshot()
    assert (window(snap, 'request_weight', '1m').used, window(snap, 'request_weight', '1m').source) == (20, 'header')
    assert (window(snap, 'orders', '10s').used, window(snap, 'orders', '10s').source) == (1, 'header')
    assert (window(snap, 'orders', '1d').used, window(snap, 'orders', '1d').source) == (7, 'header')
    assert window(snap, 'raw_requests', '5m').source == 'client'

    # Smaller than ours is adopted too: successful orders weigh 0 and filled orders leave the count.
    limiter.reconcile_headers({'X-MBX-USED-WEIGHT-1M': '3', 'X-MBX-ORDER-COUNT-10S': '0'})
    assert window(limiter.snapshot(), 'request_weight', '1m').used == 3
    assert window(limiter.snapshot(), 'orders', '10s').used == 0

    clock.t += 60  # the minute rolled over: count and source reset
    w = window(limiter.snapshot(), 'request_weight', '1m')
    assert (w.used, w.source) == (0, 'client')


def test_ws_api_rate_limits_set_used_and_source():
    limiter = RateLimiter(POOLS, clock=FakeClock())
    limiter.reconcile_ws(
        [
            {'rateLimitType': 'REQUEST_WEIGHT', 'interval': 'MINUTE', 'intervalNum': 1, 'limit': 6000, 'count': 12},
            {'rateLimitType': 'ORDERS', 'interval': 'SECOND', 'intervalNum': 10, 'limit': 100, 'count': 2},
            {'rateLimitType': 'ORDERS', 'interval': 'DAY', 'intervalNum': 1, 'limit': 200000, 'count': 9},
            {'rateLimitType': 'RAW_REQUESTS', 'interval': 'MINUTE', 'intervalNum': 5, 'limit': 300000, 'count': 30},
            {'rateLimitType': 'REQUEST_WEIGHT', 'interval': 'HOUR', 'intervalNum': 1, 'limit': 1, 'count': 5},
        ]
    )
    snap = limiter.snapshot()
    for type, interval, used in (
        ('request_weight', '1m', 12),
        ('orders', '10s', 2),
        ('orders', '1d', 9),
        ('raw_requests', '5m', 30),
    ):
        w = window(snap, type, interval)
        assert (w.used, w.source) == (used, 'header'), w
    assert len(snap.windows) == 5  # the unknown 1 h pool was not invented


async def test_reconciled_order_count_makes_the_next_order_fail_fast():
    limiter = RateLimiter(POOLS, clock=FakeClock())
    limiter.reconcile_ws([{'rateLimitType': 'ORDERS', 'interval': 'SECOND', 'intervalNum': 10, 'count': 2}])
    with pytest.raises(RateLimitReachedException):
        await limiter.acquire(weight=1, orders=1)


# -- Retry-After blocks ----------------------------------------------------------------------


async def test_block_delays_then_releases_and_shows_in_the_snapshot():
    limiter = RateLimiter(POOLS)
    limiter.block(0.3)
    snap = limiter.snapshot()
    assert 0.2 < snap.retry_after <= 0.3
    assert snap.throttled

    start = time.monotonic()
    task = asyncio.create_task(limiter.acquire(weight=1))
    await wait_for(lambda: limiter.snapshot().pending == 1)
    async with asyncio.timeout(2):
        await task
    assert time.monotonic() - start >= 0.25
    snap = limiter.snapshot()
    assert snap.retry_after is None and not snap.throttled and snap.pending == 0
    assert window(snap, 'request_weight', '1m').used == 1


async def test_block_counts_down_fails_orders_fast_and_spares_guard_off_callers():
    clock = FakeClock()
    limiter = RateLimiter(POOLS, clock=clock)
    limiter.block(120, banned=True)
    clock.t += 20
    assert limiter.snapshot().retry_after == pytest.approx(100)
    with pytest.raises(RateLimitReachedException) as info:
        async with asyncio.timeout(0.5):  # orders never wait out a block
            await limiter.acquire(weight=1, orders=1)
    assert info.value.retry_after == pytest.approx(100)
    assert '418' in info.value.pool
    assert window(limiter.snapshot(), 'orders', '10s').used == 0

    limiter.guard = False
    async with asyncio.timeout(0.2):
        await limiter.acquire(weight=1, orders=1)


# -- markets and connections -----------------------------------------------------------------


def test_attach_binds_one_market_and_adopts_pools_only_when_it_has_none():
    limiter = RateLimiter(POOLS, market='spot')
    limiter.attach('spot')
    with pytest.raises(ValueError, match="serves 'spot' and cannot also serve 'usdm'.*name no budget"):
        limiter.attach('usdm')

    empty = RateLimiter()
    assert empty.snapshot().windows == ()
    empty.attach('usdm', (WEIGHT,))
    assert empty.market == 'usdm'
    assert len(empty.snapshot().windows) == 1
    empty.attach('usdm', POOLS)  # already has pools: kept
    assert len(empty.snapshot().windows) == 1


async def test_connections_cap_streams_have_their_own_message_budget_and_leave_on_close():
    limiter = RateLimiter(POOLS, clock=FakeClock())
    a, b = limiter.connection(), limiter.connection()
    async with asyncio.timeout(0.2):  # 3/s each: neither waits for the other
        for _ in range(3):
            await a.message()
            await b.message()
    a.check_streams(1024)
    with pytest.raises(TooManyStreamsException) as info:
        b.check_streams(1025)
    assert (info.value.requested, info.value.limit) == (1025, 1024)

    snap = limiter.snapshot()
    streams = window(snap, 'ws_streams', None)
    assert (streams.scope, streams.used, streams.utilization) == ('connection', 1024, 1.0)
    assert window(snap, 'ws_messages', '1s').used == 3

    waiter = asyncio.create_task(a.message())
    await wait_for(lambda: limiter.snapshot().pending == 1)
    assert window(limiter.snapshot(), 'ws_messages', '1s').pending == 1
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter

    a.close()
    b.close()
    a.close()
    assert all(w.scope != 'connection' for w in limiter.snapshot().windows)


async def test_messages_wait_for_the_next_second():
    limiter = RateLimiter(POOLS)
    conn = limiter.connection()
    await early_in_a_second()
    stamps = []
    async with asyncio.timeout(3):
        for _ in range(5):
            await conn.message()
            stamps.append(time.time())
    assert max(Counter(int(t) for t in stamps).values()) <= 3
    assert int(stamps[-1]) > int(stamps[0])


@pytest.fixture
def clock_sleeps(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """A FakeClock that ``asyncio.sleep`` moves forward instead of waiting (only for tests without I/O)."""
    clock = FakeClock(1_000_000.9)  # 0.1 s before a second boundary
    real_sleep = asyncio.sleep

    async def sleep(delay: float) -> None:
        clock.t += delay
        await real_sleep(0)

    monkeypatch.setattr(asyncio, 'sleep', sleep)
    return clock


async def test_messages_never_exceed_the_limit_in_any_one_second_span_across_a_second_boundary(clock_sleeps):
    """Calendar windows let 3 messages leave at x.9 and 3 more at x+1.0; Binance counts any 1 s span."""
    clock = clock_sleeps
    limiter = RateLimiter(POOLS, clock=clock)
    conn = limiter.connection()
    sent: list[tuple[int, float]] = []

    async def send(i: int) -> None:
        await conn.message()
        sent.append((i, clock.t))

    async with asyncio.timeout(2):
        await asyncio.gather(*(send(i) for i in range(10)))
    assert [i for i, _ in sent] == list(range(10))  # FIFO
    stamps = [t for _, t in sent]
    limit = MESSAGES.limit
    # Any 1 s span holds at most `limit` sends: the (limit+1)-th send after any send is >= 1 s later.
    assert all(later - first >= 1.0 for first, later in zip(stamps, stamps[limit:], strict=False))
    assert stamps[limit] > 1_000_001.9  # not at the boundary (1_000_001.0) the calendar window allowed
    snap = window(limiter.snapshot(), 'ws_messages', '1s')
    assert (snap.used, snap.scope, snap.pending) == (1, 'connection', 0)  # the last send; 3 a moment ago


async def test_message_log_counts_with_the_guard_off_and_survives_the_clock_stepping_back(clock_sleeps):
    clock = clock_sleeps
    limiter = RateLimiter(POOLS, clock=clock, guard=False)
    conn = limiter.connection()
    async with asyncio.timeout(0.5):
        for _ in range(5):
            await conn.message()  # never waits with the guard off, but counts
    assert window(limiter.snapshot(), 'ws_messages', '1s').utilization == pytest.approx(5 / 3)
    limiter.guard = True
    clock.t -= 30  # the clock steps back: what was sent counts as sent just now, so the next one waits...
    start = clock.t
    async with asyncio.timeout(0.5):
        await conn.message()
    assert 1.0 <= clock.t - start < 2  # ... about one interval, not the 30 s of the step
    assert window(limiter.snapshot(), 'ws_messages', '1s').used == 1


# -- snapshot --------------------------------------------------------------------------------


async def test_snapshot_fields():
    clock = FakeClock()
    half = PoolSpec(type='request_weight', scope='ip', interval='1m', limit=100, safety=0.5)
    limiter = RateLimiter((half, RAW, ORDERS_10S), clock=clock)
    await limiter.acquire(weight=10, orders=1)
    snap = limiter.snapshot()
    w = window(snap, 'request_weight', '1m')
    assert w == RateLimitWindow(
        scope='ip',
        type='request_weight',
        interval='1m',
        used=10,
        limit=50,
        remaining=40,
        utilization=0.2,
        pending=0,
        source='client',
    )
    assert window(snap, 'orders', '10s').scope == 'account'
    assert window(snap, 'raw_requests', '5m').utilization == pytest.approx(0.001)
    assert snap.max_utilization == pytest.approx(0.5)  # orders 10s: 1 of 2
    assert (snap.pending, snap.retry_after, snap.throttled, snap.at) == (0, None, False, clock.t)
    with pytest.raises(AttributeError):
        snap.pending = 3  # frozen


def test_market_tables_declare_each_pool_once():
    from binance_futures.rate_limits import POOLS as FUTURES
    from binance_spot.rate_limits import POOLS as SPOT

    for pools in (SPOT, FUTURES):
        keys = [(p.type, p.seconds, p.group) for p in pools]
        assert len(keys) == len(set(keys))
        assert {p.type for p in pools if not p.wait} == {'orders'}
    limits = {(p.type, p.interval): p.effective_limit for p in SPOT}
    assert limits[('request_weight', '1m')] == 5400
    assert limits[('ws_connections', '5m')] == 290
    assert not any(p.budget for p in SPOT)  # Spot is counted apart
    assert all(p.budget for p in FUTURES if p.scope != 'connection')  # UM and CM count together
    snap = RateLimiter(FUTURES, market='usdm').snapshot()
    assert window(snap, 'request_weight', '1m').limit == 2160


def test_a_spot_limiter_is_refused_by_a_futures_client_and_futures_clients_share_one():
    from binance import CMFuturesClient, RateLimiter, SpotClient, UMFuturesClient

    shared = RateLimiter()
    SpotClient(rate_limiter=shared)
    with pytest.raises(ValueError, match="serves 'spot' and cannot also serve 'usdm'.*shared automatically"):
        UMFuturesClient(rate_limiter=shared)

    futures = RateLimiter()
    UMFuturesClient(rate_limiter=futures)
    CMFuturesClient(rate_limiter=futures)
    assert futures.markets == ('usdm', 'coinm')
    # Weight, two order pools, connections and the two endpoint-specific pools (/futures/data, funding): once each.
    windows = futures.snapshot().windows
    assert len(windows) == 6
    assert sorted(w.group for w in windows if w.group) == ['funding', 'futures-data']


async def test_an_order_never_waits_for_request_weight():
    clock = FakeClock()
    pools = (
        PoolSpec(type='request_weight', scope='ip', interval='1m', limit=10),
        PoolSpec(type='orders', scope='account', interval='10s', limit=100, wait=False),
    )
    limiter = RateLimiter(pools, clock=clock)
    await limiter.acquire(weight=10)
    with pytest.raises(RateLimitReachedException) as info:
        await limiter.acquire(weight=1, orders=1)
    assert 'request_weight' in info.value.pool and 0 < info.value.retry_after <= 60
    assert window(limiter.snapshot(), 'orders', '10s').used == 0  # nothing charged


# -- budgets shared across markets -----------------------------------------------------------
# USDⓈ-M and COIN-M count IP weight and account orders together since 2026-06-30 (PoolSpec.budget).

MINUTE_END = 1_000_020.0  # a minute boundary: 1_000_020 % 60 == 0
FUT_WEIGHT = PoolSpec(type='request_weight', scope='ip', interval='1m', limit=10, budget='futures')
FUT_ORDERS_10S = PoolSpec(type='orders', scope='account', interval='10s', limit=2, wait=False, budget='futures')
FUT_ORDERS_1M = PoolSpec(type='orders', scope='account', interval='1m', limit=1200, wait=False, budget='futures')
FUT_MESSAGES = PoolSpec(type='ws_messages', scope='connection', interval='1s', limit=10)
FUT_STREAMS = PoolSpec(type='ws_streams', scope='connection', interval=None, limit=200)
USDM = (FUT_WEIGHT, FUT_ORDERS_10S, FUT_ORDERS_1M, FUT_MESSAGES, FUT_STREAMS)
COINM = (FUT_WEIGHT, FUT_ORDERS_10S, FUT_ORDERS_1M, FUT_MESSAGES, FUT_STREAMS)
COINM_WITHOUT_10S = (FUT_WEIGHT, FUT_ORDERS_1M, FUT_MESSAGES, FUT_STREAMS)


def used(limiter: RateLimiter, type: str, interval: str | None) -> int:
    return window(limiter.snapshot(), type, interval).used


async def test_budgeted_pools_are_one_counter_and_one_queue_across_markets():
    clock = FakeClock(MINUTE_END - 0.05)  # the minute ends 50 ms (of real sleep) from now
    um = RateLimiter(USDM, market='usdm', account='key-a', clock=clock)
    cm = RateLimiter(COINM, market='coinm', account='key-a', clock=clock)
    await um.acquire(weight=4)
    w = window(cm.snapshot(), 'request_weight', '1m')
    assert (w.used, w.budget, w.shared) == (4, 'futures', True)
    await cm.acquire(weight=3)
    assert used(um, 'request_weight', '1m') == 7

    um.reconcile_headers({'X-MBX-USED-WEIGHT-1M': '9'})  # Binance's count is the whole budget's
    w = window(cm.snapshot(), 'request_weight', '1m')
    assert (w.used, w.source) == (9, 'header')
    await um.acquire(weight=1)  # the budget (10) is full

    done: list[str] = []

    async def call(limiter: RateLimiter, name: str) -> None:
        await limiter.acquire(weight=1)
        done.append(name)

    first = asyncio.create_task(call(cm, 'coinm'))
    await wait_for(lambda: cm.snapshot().pending == 1)
    second = asyncio.create_task(call(um, 'usdm'))
    await wait_for(lambda: um.snapshot().pending == 1)
    assert window(um.snapshot(), 'request_weight', '1m').pending == 2  # both markets' waiters
    await asyncio.sleep(0.12)  # real time passes, the injected clock does not: still held
    assert done == [] and cm.snapshot().throttled

    clock.t = MINUTE_END  # the shared window ends
    async with asyncio.timeout(1):
        await asyncio.gather(first, second)
    assert done == ['coinm', 'usdm']  # one FIFO for both markets
    assert used(um, 'request_weight', '1m') == used(cm, 'request_weight', '1m') == 2
    assert um.snapshot().pending == cm.snapshot().pending == 0


async def test_orders_charged_through_one_market_fail_fast_on_the_other():
    clock = FakeClock()
    um = RateLimiter(USDM, market='usdm', account='key-a', clock=clock)
    cm = RateLimiter(COINM_WITHOUT_10S, market='coinm', account='key-a', clock=clock)
    await um.acquire(weight=1, orders=1)
    await cm.acquire(weight=1, orders=1)
    assert used(um, 'orders', '1m') == 2
    await um.acquire(weight=1, orders=1)  # still counted though COIN-M here has no 10 s pool
    cm2 = RateLimiter(COINM, market='coinm', account='key-a', clock=clock)
    with pytest.raises(RateLimitReachedException) as info:
        await cm2.acquire(weight=1, orders=1)
    assert info.value.pool == 'orders 10s'
    assert used(cm2, 'orders', '10s') == 2 and used(cm2, 'request_weight', '1m') == 3  # nothing charged


async def test_account_pools_are_per_api_key_and_every_pool_per_environment():
    clock = FakeClock()
    a = RateLimiter(USDM, market='usdm', account='key-a', clock=clock)
    b = RateLimiter(COINM, market='coinm', account='key-b', clock=clock)
    anonymous = RateLimiter(COINM, market='coinm', clock=clock)
    testnet = RateLimiter(COINM, market='coinm', environment='testnet', account='key-a', clock=clock)
    await a.acquire(weight=5, orders=1)
    for other in (b, anonymous):
        assert used(other, 'request_weight', '1m') == 5  # one IP
        assert used(other, 'orders', '10s') == 0  # another account
    assert used(testnet, 'request_weight', '1m') == used(testnet, 'orders', '10s') == 0  # other servers
    await anonymous.acquire(weight=1)
    assert used(RateLimiter(USDM, market='usdm', clock=clock), 'orders', '1m') == 0
    for limiter in (a, b, testnet):
        assert 'key-' not in repr(limiter) and 'key-' not in repr(limiter.snapshot())
        assert 'key-' not in repr(vars(limiter))
    with pytest.raises(ValueError, match='environment'):
        RateLimiter(USDM, environment='mainnet')


def test_limiters_on_different_event_loops_count_apart_and_a_closed_loop_is_released():
    um = RateLimiter(USDM, market='usdm', clock=FakeClock())  # built outside any loop
    cm = RateLimiter(COINM, market='coinm', clock=FakeClock())

    async def charge(limiter: RateLimiter, weight: int) -> int:
        await limiter.acquire(weight=weight)
        return used(limiter, 'request_weight', '1m')

    async def weight_of(limiter: RateLimiter) -> int:
        return used(limiter, 'request_weight', '1m')

    one, two = asyncio.new_event_loop(), asyncio.new_event_loop()
    try:
        assert one.run_until_complete(charge(um, 3)) == 3
        assert two.run_until_complete(weight_of(cm)) == 0  # another loop: its own counters
        assert two.run_until_complete(charge(cm, 1)) == 1
        assert one.run_until_complete(weight_of(cm)) == 3  # cm follows the loop it runs on
    finally:
        one.close()
        two.close()
    gone = weakref.ref(one)
    del one, two
    gc.collect()
    assert gone() is None  # the registry did not keep the closed loop alive

    assert asyncio.run(charge(um, 2)) == 2  # a fresh loop starts from zero, as in one-loop-per-test suites


async def test_a_block_on_one_limiter_holds_every_limiter_on_the_ip_budget(caplog):
    clock = FakeClock()
    um = RateLimiter(USDM, market='usdm', account='key-a', clock=clock)
    cm = RateLimiter(COINM, market='coinm', account='key-b', clock=clock)
    spot = RateLimiter(POOLS, market='spot', clock=clock)
    testnet = RateLimiter(COINM, market='coinm', environment='testnet', clock=clock)
    for limiter in (cm, spot, testnet):
        await limiter.acquire(weight=1)  # bound before the block
    with caplog.at_level(logging.WARNING, logger='binance.rate_limit'):
        um.block(30, banned=True)
    assert [r.name for r in caplog.records] == ['binance.rate_limit']
    assert 'futures' in caplog.text and 'key-' not in caplog.text

    clock.t += 10
    assert cm.snapshot().retry_after == pytest.approx(20)
    assert RateLimiter(COINM, market='coinm', clock=clock).snapshot().retry_after == pytest.approx(20)  # late
    with pytest.raises(RateLimitReachedException, match='418') as info:
        await cm.acquire(weight=1, orders=1)
    assert info.value.retry_after == pytest.approx(20)
    assert spot.snapshot().retry_after is None  # no budget: Spot is counted apart
    assert testnet.snapshot().retry_after is None  # other servers
    async with asyncio.timeout(0.5):
        await testnet.acquire(weight=1, orders=1)
        await spot.acquire(weight=1, orders=1)


async def test_attach_takes_a_second_futures_market_and_lists_each_shared_pool_once():
    clock = FakeClock()
    both = RateLimiter(USDM, market='usdm', clock=clock)
    both.attach('usdm', environment='testnet', account='key-a')  # the first client sets what is counted
    both.attach('coinm', COINM_WITHOUT_10S, environment='testnet', account='key-a')
    assert both.markets == ('usdm', 'coinm') and both.market == 'usdm'
    assert "markets=('usdm', 'coinm')" in repr(both)
    await both.acquire(weight=2, orders=1)

    snap = both.snapshot()
    keys = [(w.type, w.interval) for w in snap.windows]
    assert sorted(keys) == [('orders', '10s'), ('orders', '1m'), ('request_weight', '1m')]
    assert all(w.shared for w in snap.windows)
    other = RateLimiter(COINM, market='coinm', environment='testnet', account='key-a', clock=clock)
    assert used(other, 'request_weight', '1m') == 2 and used(other, 'orders', '10s') == 1
    conn = both.connection()
    assert window(both.snapshot(), 'ws_streams', None).limit == 200  # its own connection pools
    conn.close()

    with pytest.raises(ValueError, match="'testnet' budgets.*'live'"):
        both.attach('coinm', COINM, environment='live', account='key-a')
    with pytest.raises(ValueError, match='another API key.*own limiter') as info:
        both.attach('coinm', COINM, environment='testnet', account='key-b')
    assert 'key-' not in str(info.value)
    louder = PoolSpec(type='request_weight', scope='ip', interval='1m', limit=20, budget='futures')
    with pytest.raises(ValueError, match=r'request_weight 1m pools disagree.*limit 10.*limit 20.*shared automatically'):
        both.attach('other', (louder,), environment='testnet', account='key-a')
    assert both.markets == ('usdm', 'coinm')  # a refused attach changes nothing


async def test_attach_refuses_spot_with_futures_and_says_why():
    futures = RateLimiter(USDM, market='usdm')
    with pytest.raises(ValueError) as info:
        futures.attach('spot', POOLS)
    message = str(info.value)
    assert "serves 'usdm' and cannot also serve 'spot'" in message
    assert "the 'spot' pools request_weight 1m, raw_requests 5m" in message and 'name no budget' in message
    assert 'shared automatically between clients, so each market can simply keep its own limiter' in message
    assert futures.markets == ('usdm',)


async def test_unbudgeted_pools_are_never_shared():
    clock = FakeClock()
    a = RateLimiter(POOLS, market='spot', clock=clock)
    b = RateLimiter(POOLS, market='spot', clock=clock)
    await a.acquire(weight=5, orders=1)
    a.block(30)
    snap = b.snapshot()
    assert window(snap, 'request_weight', '1m').used == 0 and window(snap, 'orders', '10s').used == 0
    assert snap.retry_after is None
    assert not any(w.shared or w.budget for w in a.snapshot().windows)


def test_a_window_built_positionally_has_no_budget():
    w = RateLimitWindow('ip', 'request_weight', '1m', 1, 10, 9, 0.1, 0, 'client')
    assert (w.budget, w.shared) == (None, False)
    assert RateLimitWindow('ip', 'request_weight', '1m', 1, 10, 9, 0.1, 0, 'client', 'futures').shared


async def test_connection_messages_are_taken_in_arrival_order() -> None:
    """A waiter queued for a message slot is not overtaken by a later caller that finds the lock released
    (between a release and the next waiter taking it)."""
    pool = PoolSpec(type='ws_messages', scope='connection', interval='1s', limit=3)
    conn = RateLimiter((pool,)).connection()
    for _ in range(3):
        await conn.message()
    order: list[str] = []

    async def a() -> None:
        await conn.message()
        order.append('A1')
        await conn.message()  # right after, same task: B queued before it
        order.append('A2')

    async def b() -> None:
        await asyncio.sleep(0.01)
        await conn.message()
        order.append('B')

    async with asyncio.timeout(5):
        await asyncio.gather(a(), b())
    assert order == ['A1', 'B', 'A2']


# -- endpoint-specific pools (PoolSpec.group) ---------------------------------------------------
# USDⓈ-M /futures/data/*: 1000 requests / 5 min / IP; fundingRate + fundingInfo: 500 / 5 min / IP. Only the
# rows naming the group are charged (Endpoint.pool_group), one request per call.

FIVE_MINUTES_END = 1_000_200.0  # 1_000_200 % 300 == 0
DATA = PoolSpec(type='raw_requests', scope='ip', interval='5m', limit=2, group='data')
FUNDING = PoolSpec(type='raw_requests', scope='ip', interval='5m', limit=3, group='funding')
GROUPED = (WEIGHT, RAW, ORDERS_10S, DATA, FUNDING)


def group_window(snap: RateLimitSnapshot, group: str) -> RateLimitWindow:
    found = [w for w in snap.windows if w.group == group]
    assert len(found) == 1, snap.windows
    return found[0]


async def test_a_group_pool_is_charged_only_by_its_group_one_request_per_call():
    limiter = RateLimiter(GROUPED, market='usdm', clock=FakeClock())
    await limiter.acquire(weight=5)
    snap = limiter.snapshot()
    assert group_window(snap, 'data').used == group_window(snap, 'funding').used == 0
    assert [w.used for w in snap.windows if w.type == 'raw_requests' and w.group is None] == [1]

    await limiter.acquire_group('data')
    await limiter.acquire(weight=1, group='funding')  # the one-call form: group first, then the general pools
    snap = limiter.snapshot()
    assert (group_window(snap, 'data').used, group_window(snap, 'funding').used) == (1, 1)
    assert window(snap, 'request_weight', '1m').used == 6  # a group charge takes no weight by itself
    w = group_window(snap, 'data')
    assert (w.scope, w.type, w.interval, w.limit, w.budget) == ('ip', 'raw_requests', '5m', 2, None)
    await limiter.acquire_group('no-such-group')  # a limiter without that pool charges nothing
    assert limiter.snapshot().windows == snap.windows


async def test_a_full_group_waits_in_fifo_order_without_holding_back_other_calls():
    clock = FakeClock(FIVE_MINUTES_END - 0.05)  # the 5-minute window ends 50 ms (of real sleep) from now
    limiter = RateLimiter(GROUPED, market='usdm', clock=clock)
    for _ in range(2):
        await limiter.acquire_group('data')
    done: list[int] = []

    async def call(i: int) -> None:
        await limiter.acquire_group('data')
        done.append(i)

    tasks = [asyncio.create_task(call(i)) for i in range(2)]
    await wait_for(lambda: limiter.snapshot().pending == 2)
    assert group_window(limiter.snapshot(), 'data').pending == 2
    # Weight, orders and another group go on while 'data' waits (its own FIFO, not the request lane).
    async with asyncio.timeout(1):
        await limiter.acquire(weight=1, orders=1)
        await limiter.acquire_group('funding')
    await asyncio.sleep(0.1)  # real time passes, the injected clock does not: still held
    assert done == [] and limiter.snapshot().throttled

    clock.t = FIVE_MINUTES_END  # the window rolls over
    async with asyncio.timeout(1):
        await asyncio.gather(*tasks)
    assert done == [0, 1] and limiter.snapshot().pending == 0
    assert group_window(limiter.snapshot(), 'data').used == 2


async def test_group_pools_are_not_reconciled_from_headers_and_count_with_the_guard_off():
    limiter = RateLimiter(GROUPED, market='usdm', guard=False, clock=FakeClock())
    for _ in range(5):
        await limiter.acquire_group('data')  # over the limit: the guard is off, so it only counts
    limiter.reconcile_headers({'X-MBX-USED-WEIGHT-1M': '7'})
    limiter.reconcile_ws([{'rateLimitType': 'RAW_REQUESTS', 'interval': 'MINUTE', 'intervalNum': 5, 'count': 9}])
    snap = limiter.snapshot()
    assert (group_window(snap, 'data').used, group_window(snap, 'data').source) == (5, 'client')
    assert window(snap, 'request_weight', '1m').used == 7
    assert [w.used for w in snap.windows if w.type == 'raw_requests' and w.group is None] == [9]


async def test_a_budgeted_group_is_one_counter_for_every_limiter_on_the_ip():
    data = PoolSpec(type='raw_requests', scope='ip', interval='5m', limit=1000, budget='futures', group='data')
    um = RateLimiter((*USDM, data), market='usdm', account='key-a', clock=FakeClock())
    cm = RateLimiter((*COINM, data), market='coinm', account='key-b', clock=FakeClock())
    await um.acquire_group('data')
    await cm.acquire_group('data')
    w = group_window(um.snapshot(), 'data')
    assert (w.used, w.budget, w.group) == (2, 'futures', 'data')
    # A general raw-request pool of the same interval is another counter.
    raw = PoolSpec(type='raw_requests', scope='ip', interval='5m', limit=1000, budget='futures')
    assert used(RateLimiter((*USDM, raw), market='usdm', clock=FakeClock()), 'raw_requests', '5m') == 0


def test_a_group_pool_counts_raw_requests_over_an_interval_and_waits():
    assert DATA.group == 'data' and PoolSpec(type='raw_requests', scope='ip', limit=1, interval='1m').group is None
    for bad in (
        {'type': 'request_weight', 'scope': 'ip', 'interval': '5m'},
        {'type': 'raw_requests', 'scope': 'ip', 'interval': None},
        {'type': 'raw_requests', 'scope': 'connection', 'interval': '1s'},
        {'type': 'raw_requests', 'scope': 'ip', 'interval': '5m', 'wait': False},
    ):
        with pytest.raises(ValueError, match='group pool'):
            PoolSpec(limit=10, group='data', **bad)
    for name in ('', 'Data', 'a b', 7):
        with pytest.raises(ValueError, match='group'):
            PoolSpec(type='raw_requests', scope='ip', interval='5m', limit=10, group=name)


async def test_group_pools_serve_their_callers_in_arrival_order() -> None:
    """A caller served a moment ago does not jump a group's queue when it asks again (a released lock is not
    yet taken by its next waiter)."""
    now = [1000.0]
    pools = (
        PoolSpec(type='request_weight', scope='ip', interval='1m', limit=2400),
        PoolSpec(type='raw_requests', scope='ip', interval='1s', limit=2, group='g'),
    )
    limiter = RateLimiter(pools, clock=lambda: now[0])
    await limiter.acquire_group('g')
    await limiter.acquire_group('g')  # the window is full
    order: list[str] = []

    async def b() -> None:
        await limiter.acquire_group('g')
        order.append('B1')
        await limiter.acquire_group('g')  # at once again: C queued before this one
        order.append('B2')

    async def c() -> None:
        await asyncio.sleep(0.01)
        await limiter.acquire_group('g')
        order.append('C')

    async with asyncio.timeout(5):
        tasks = [asyncio.create_task(b()), asyncio.create_task(c())]
        await asyncio.sleep(0.05)
        now[0] = 1001.5  # the window rolled over: room for two
        while len(order) < 2:
            await asyncio.sleep(0.01)
        assert order == ['B1', 'C']
        now[0] = 1003.0
        await asyncio.gather(*tasks)
    assert order == ['B1', 'C', 'B2']


@pytest.mark.parametrize('lane', ['acquire', 'try_acquire', 'connection'])
async def test_requests_and_connection_attempts_serve_their_callers_in_arrival_order(lane: str) -> None:
    """A caller served a moment ago does not jump the queue when it asks again at once: the lock the caller before
    it released is not yet taken by the next waiter, and the fast path must see that waiter all the same (the
    request lane through ``acquire`` and ``try_acquire``, and connection attempts)."""
    now = [1000.0]
    pools = (
        PoolSpec(type='request_weight', scope='ip', interval='1s', limit=2),
        PoolSpec(type='ws_connections', scope='ip', interval='1s', limit=2),
    )
    limiter = RateLimiter(pools, clock=lambda: now[0])

    async def take() -> None:
        if lane == 'connection':
            await limiter.acquire_connection()
        else:
            await limiter.acquire(weight=1)

    await take()
    await take()  # the window is full
    order: list[str] = []

    async def b() -> None:
        await take()
        order.append('B1')
        if lane != 'try_acquire' or not limiter.try_acquire(weight=1):  # at once again: C queued before this one
            await take()
        order.append('B2')

    async def c() -> None:
        await asyncio.sleep(0.01)
        await take()
        order.append('C')

    async with asyncio.timeout(5):
        tasks = [asyncio.create_task(b()), asyncio.create_task(c())]
        await asyncio.sleep(0.05)
        now[0] = 1001.5  # the window rolled over: room for two
        while len(order) < 2:
            await asyncio.sleep(0.01)
        assert order == ['B1', 'C']
        now[0] = 1003.0
        await asyncio.gather(*tasks)
    assert order == ['B1', 'C', 'B2']


async def test_an_order_in_the_moment_a_waiter_is_woken_is_refused_never_queued_or_let_ahead() -> None:
    """Orders never wait: one asked for while a woken waiter has not yet run is refused as queued-behind, as it is
    while the waiter sleeps, rather than taking the weight ahead of it or sleeping."""
    now = [1000.0]
    pools = (
        PoolSpec(type='request_weight', scope='ip', interval='1s', limit=2),
        PoolSpec(type='orders', scope='account', interval='10s', limit=50, wait=False),
    )
    limiter = RateLimiter(pools, clock=lambda: now[0])
    await limiter.acquire(weight=1)
    await limiter.acquire(weight=1)  # the weight window is full
    seen: list[Any] = []

    async def b() -> None:
        await limiter.acquire(weight=1)
        try:
            limiter.try_acquire(weight=1, orders=1)  # C is queued for the weight this would take
        except RateLimitReachedException as exc:
            seen.append(exc)

    async def c() -> None:
        await asyncio.sleep(0.01)
        await limiter.acquire(weight=1)
        seen.append('C')

    async with asyncio.timeout(5):
        tasks = [asyncio.create_task(b()), asyncio.create_task(c())]
        await asyncio.sleep(0.05)
        now[0] = 1001.5
        await asyncio.gather(*tasks)
    assert len(seen) == 2 and isinstance(seen[0], RateLimitReachedException) and seen[1] == 'C', seen
    assert 'queued' in str(seen[0])
