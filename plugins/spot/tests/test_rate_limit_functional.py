"""SpotClient rate limiting against the loopback fake exchange: waiting for weight, failing orders fast,
guard off, reconciliation with Binance's counts, 429 Retry-After blocks, shared limiters and the snapshot."""

import asyncio
import time
from collections import Counter

import attrs
import pytest

from binance import (
    Credentials,
    RateLimiter,
    RateLimitException,
    RateLimitReachedException,
    RateLimitSnapshot,
    RateLimitWindow,
    SpotClient,
    StreamRateLimitException,
    SubType,
)
from binance_core import PoolSpec
from binance_testing import FakeExchange

# Small pools keep the tests fast: 20 weight per calendar second, 2 orders per 10 s.
SMALL = (
    PoolSpec(type='request_weight', scope='ip', interval='1s', limit=20),
    PoolSpec(type='orders', scope='account', interval='10s', limit=2, wait=False),
)
# Hourly pools: Binance reports no 1-hour counts, so nothing reconciles them and the numbers are ours alone.
HOURLY = (
    PoolSpec(type='request_weight', scope='ip', interval='1h', limit=1000),
    PoolSpec(type='raw_requests', scope='ip', interval='1h', limit=1000),
)
ORDER = {'symbol': 'BTCUSDT', 'side': 'BUY', 'type': 'MARKET', 'quantity': '1'}


@pytest.fixture
async def fx():
    async with FakeExchange('spot') as exchange:
        yield exchange


def hmac_creds(fx):
    fx.add_key('rl-key', secret='rl-secret')
    return Credentials('rl-key', api_secret='rl-secret')


async def until(predicate, timeout=5):
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


async def into_window(period, start=0.0, end=0.5):
    """Sleep until the current calendar-aligned window of *period* seconds is between the fractions *start*
    and *end* of its length, so that a short test step does not straddle a window boundary (Binance windows
    are fixed and reset at :00, BINANCE-API.md §12.1)."""
    phase = time.time() % period
    if not start * period <= phase < end * period:
        await asyncio.sleep(period - phase + start * period + 0.01)


def window(snapshot, type_, interval=None):
    found = [w for w in snapshot.windows if w.type == type_ and (interval is None or w.interval == interval)]
    assert len(found) == 1, (type_, interval, snapshot.windows)
    return found[0]


# -- waiting and failing fast --------------------------------------------------------------------------------------


async def test_a_burst_over_the_weight_budget_is_delayed_not_rejected(fx):
    async with SpotClient(rate_limiter=RateLimiter(SMALL), **fx.client_kwargs()) as spot:
        await into_window(1, 0.05, 0.5)
        started = time.monotonic()
        burst = asyncio.ensure_future(asyncio.gather(*(spot.ping() for _ in range(50))))  # noqa: RUF006
        async with asyncio.timeout(0.4):  # the connection opens first (a handshake), then the burst queues
            while spot.rate_limit_snapshot().pending < 32:
                await asyncio.sleep(0.005)
        snap = spot.rate_limit_snapshot()
        weight = window(snap, 'request_weight')
        # The WS-API handshake's 2 weight first (the connection opens before the burst takes its budget), then 18
        # pings went at once; the other 32 queue for the next windows.
        assert (weight.used, weight.pending, snap.pending, snap.throttled) == (20, 32, 32, True)
        async with asyncio.timeout(10):
            results = await burst
        elapsed = time.monotonic() - started
        assert spot.rate_limit_snapshot().pending == 0
    assert results == [{}] * 50  # every call went through: delayed, never rejected
    per_second = Counter(r.at // 1000 for r in fx.requests_for('ping'))
    assert sum(per_second.values()) == 50
    assert max(per_second.values()) <= 20, per_second  # the fake never saw more than the budget in a window
    assert len(per_second) >= 3
    assert elapsed >= 1.4  # three windows: started at most 0.5 s into the first, finished in the third


async def test_an_order_over_the_order_budget_fails_fast_and_never_reaches_the_fake(fx):
    async with SpotClient(hmac_creds(fx), rate_limiter=RateLimiter(SMALL), **fx.client_kwargs()) as spot:
        await into_window(10, 0.0, 0.9)
        for _ in range(2):
            await spot.create_order(**ORDER)
        assert len(fx.requests_for('order.place')) == 2
        started = time.monotonic()
        with pytest.raises(RateLimitReachedException) as info:
            await spot.create_order(**ORDER)
        assert time.monotonic() - started < 0.2  # orders never wait (spec, "Rate Limits")
        assert len(fx.requests_for('order.place')) == 2  # nothing was sent
        orders = window(spot.rate_limit_snapshot(), 'orders')
        assert orders.used == 2  # the refused order charged nothing
        assert orders.remaining == 0 and orders.utilization == 1.0
        await spot.ping()  # requests that are not orders still flow
    assert info.value.pool == 'orders 10s'
    assert 0 < info.value.retry_after <= 10


async def test_guard_off_never_delays_but_counts_usage(fx):
    async with SpotClient(rate_limiter=RateLimiter(SMALL, guard=False), **fx.client_kwargs()) as spot:
        await into_window(1, 0.05, 0.5)
        started = time.monotonic()
        async with asyncio.timeout(5):
            await asyncio.gather(*(spot.ping() for _ in range(50)))
        elapsed = time.monotonic() - started
        assert elapsed < 0.45  # the same burst as above, not held back at all
        snap = spot.rate_limit_snapshot()  # still inside the window the burst ran in
    weight = window(snap, 'request_weight')
    assert (weight.used, weight.limit, weight.remaining, weight.utilization) == (52, 20, 0, 2.6)  # + the handshake
    assert snap.max_utilization == 2.6 and not snap.throttled and snap.pending == 0
    assert max(Counter(r.at // 1000 for r in fx.requests_for('ping')).values()) > 20


async def test_rate_limit_guard_false_on_the_clients_own_limiter(fx):
    # Spot's own pools: 5400 weight/min (90% of 6000). 22 snapshots of depth 5000 (weight 250) are 5500.
    async with SpotClient(rate_limit_guard=False, **fx.client_kwargs()) as spot:
        await into_window(60, 0.0, 0.95)
        started = time.monotonic()
        async with asyncio.timeout(10):
            await asyncio.gather(*(spot.get_orderbook(symbol='BTCUSDT', limit=5000) for _ in range(22)))
        assert time.monotonic() - started < 2  # guard on, the 22nd would wait for the next minute
        snap = spot.rate_limit_snapshot()
    weight = window(snap, 'request_weight', '1m')
    assert weight.used >= 5500 and weight.limit == 5400 and weight.utilization > 1
    assert not snap.throttled and snap.retry_after is None


# -- reconciliation ------------------------------------------------------------------------------------------------


async def test_rest_headers_and_ws_api_rate_limits_set_the_weight_window(fx):
    async with SpotClient(**fx.client_kwargs()) as spot:
        await into_window(60, 0.0, 0.95)
        fx.used_weight = 3000  # other tools on this IP have used weight we did not count
        await spot.get('/api/v3/ping')  # REST escape hatch: X-MBX-USED-WEIGHT-1M
        weight = window(spot.rate_limit_snapshot(), 'request_weight', '1m')
        assert (weight.used, weight.source, weight.remaining) == (3001, 'header', 5400 - 3001)
        assert spot.used_weight == {'1m': 3001}
        fx.used_weight = 4000
        await spot.ping()  # WS-API rateLimits[]: connecting costs 2, the ping 1
        weight = window(spot.rate_limit_snapshot(), 'request_weight', '1m')
        assert (weight.used, weight.source) == (4003, 'header')


# -- 429 Retry-After -----------------------------------------------------------------------------------------------


async def test_rest_429_blocks_every_pool_until_retry_after_passes(fx):
    async with SpotClient(hmac_creds(fx), **fx.client_kwargs()) as spot:
        fx.fail_next('GET /api/v3/ping', -1003, status=429, retry_after=1)
        with pytest.raises(RateLimitException) as info:
            await spot.get('/api/v3/ping')
        blocked = time.monotonic()
        assert info.value.status_code == 429 and info.value.retry_after == 1
        snap = spot.rate_limit_snapshot()
        assert snap.throttled and 0.5 < snap.retry_after <= 1
        # An order is not held back: it fails at once, unsent.
        with pytest.raises(RateLimitReachedException) as order_info:
            await spot.create_order(**ORDER)
        assert 0.5 < order_info.value.retry_after <= 1
        assert fx.requests_for('order.place') == []
        # Anything else waits for the block to pass, then goes through.
        call = asyncio.ensure_future(spot.get('/api/v3/ping'))
        await until(lambda: spot.rate_limit_snapshot().pending == 1)
        snap = spot.rate_limit_snapshot()
        assert snap.throttled and snap.retry_after is not None
        assert len(fx.requests_for('GET /api/v3/ping')) == 1
        async with asyncio.timeout(5):
            assert await call == {}
        assert time.monotonic() - blocked >= 0.9
        snap = spot.rate_limit_snapshot()
        assert (snap.retry_after, snap.throttled, snap.pending) == (None, False, 0)
    first, second = fx.requests_for('GET /api/v3/ping')
    assert second.at - first.at >= 900


async def test_ws_api_429_with_retry_after_blocks_the_pools(fx):
    async with SpotClient(**fx.client_kwargs()) as spot:
        await spot.ping()
        now = fx.server_time()
        fx.fail_next('ping', -1003, status=429, data={'serverTime': now, 'retryAfter': now + 1000})
        with pytest.raises(StreamRateLimitException) as info:
            await spot.ping()
        blocked = time.monotonic()
        assert (info.value.code, info.value.status) == (-1003, 429)
        assert 500 < info.value.retry_after <= 1000  # milliseconds, from the epoch-ms retryAfter
        snap = spot.rate_limit_snapshot()
        assert snap.throttled and 0.5 < snap.retry_after <= 1
        call = asyncio.ensure_future(spot.get_server_time())
        await until(lambda: spot.rate_limit_snapshot().pending == 1)
        assert fx.requests_for('time') == []
        async with asyncio.timeout(5):
            await call
        assert time.monotonic() - blocked >= 0.9
        assert len(fx.requests_for('time')) == 1
        snap = spot.rate_limit_snapshot()
        assert (snap.retry_after, snap.throttled) == (None, False)


@pytest.mark.parametrize('skew_ms', [-3000, 3000])
async def test_ws_api_retry_after_is_measured_on_the_servers_clock(fx, skew_ms):
    # Binance's 429 data is {"serverTime": ms, "retryAfter": ms}, both on the server's clock: the wait is their
    # difference, whatever the local clock says (BINANCE-API.md §12.3).
    fx.skew_ms = skew_ms
    async with SpotClient(**fx.client_kwargs()) as spot:
        fx.fail_next('ping', -1003, status=429)  # retryAfter = serverTime + 1000
        with pytest.raises(StreamRateLimitException) as info:
            await spot.ping()
        snap = spot.rate_limit_snapshot()
    assert 500 < info.value.retry_after <= 1000
    assert snap.retry_after is not None and 0.5 < snap.retry_after <= 1


# -- sharing ---------------------------------------------------------------------------------------------------------


async def test_a_shared_limiter_is_shared_within_a_market_and_refused_across_markets(fx):
    shared = RateLimiter(HOURLY)
    async with (
        SpotClient(rate_limiter=shared, **fx.client_kwargs()) as a,
        SpotClient(rate_limiter=shared, **fx.client_kwargs()) as b,
    ):
        for _ in range(3):
            await a.ping()
        for _ in range(2):
            await b.ping()
        snap_a, snap_b = a.rate_limit_snapshot(), b.rate_limit_snapshot()
    # Five pings and two WS-API handshakes (2 weight each, as Binance charges them).
    assert window(snap_a, 'request_weight').used == window(snap_b, 'request_weight').used == 5 + 2 * 2
    assert window(snap_a, 'raw_requests').used == window(snap_b, 'raw_requests').used == 5
    assert fx.ws_api_connections == 2  # two clients, two connections, one budget
    # This suite runs with only the Spot plugin installed: ask the limiter the way any other market's client
    # would (tests/test_rate_limit.py does it with a real UMFuturesClient in the full environment).
    with pytest.raises(ValueError, match="serves 'spot'.*'usdm'"):
        shared.attach('usdm')
    with pytest.raises(TypeError, match='RateLimiter'):
        SpotClient(rate_limiter=object())


async def test_a_limiter_built_without_pools_learns_them_from_its_first_client(fx):
    bare = RateLimiter()
    async with SpotClient(rate_limiter=bare, **fx.client_kwargs()) as spot:
        weight = window(spot.rate_limit_snapshot(), 'request_weight')
    assert bare.market == 'spot'
    assert (weight.interval, weight.limit) == ('1m', 5400)


# -- the snapshot ---------------------------------------------------------------------------------------------------


async def test_snapshot_is_local_typed_and_sensible(fx):
    async with SpotClient(**fx.client_kwargs()) as spot:
        snap = spot.rate_limit_snapshot()
        assert fx.requests == [] and fx.ws_api_connections == 0  # no network
        assert isinstance(snap, RateLimitSnapshot)
        assert all(isinstance(w, RateLimitWindow) for w in snap.windows)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            snap.pending = 1
        assert abs(snap.at - time.time()) < 1
        assert (snap.pending, snap.retry_after, snap.throttled, snap.max_utilization) == (0, None, False, 0.0)
        by_key = {(w.scope, w.type, w.interval): w for w in snap.windows}
        assert set(by_key) == {
            ('ip', 'request_weight', '1m'),
            ('ip', 'raw_requests', '5m'),
            ('account', 'orders', '10s'),
            ('account', 'orders', '1d'),
            ('ip', 'ws_connections', '5m'),
        }  # connection pools appear once a stream connection is open
        weight = by_key['ip', 'request_weight', '1m']
        assert (weight.used, weight.limit, weight.remaining, weight.utilization, weight.pending, weight.source) == (
            0,
            5400,
            5400,
            0.0,
            0,
            'client',
        )
        assert by_key['account', 'orders', '10s'].limit == 100

        await into_window(60, 0.0, 0.95)
        await spot.ping()
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        seen = len(fx.requests)
        for _ in range(100):
            snap = spot.rate_limit_snapshot()
        assert len(fx.requests) == seen  # reading the snapshot never talks to the exchange
        by_key = {(w.scope, w.type, w.interval): w for w in snap.windows}
        weight = by_key['ip', 'request_weight', '1m']
        assert (weight.used, weight.source) == (3, 'header')  # Binance's count: connect 2 + ping 1
        assert weight.utilization == 3 / 5400 and weight.remaining == 5397
        assert by_key['ip', 'raw_requests', '5m'].used == 1
        assert by_key['ip', 'ws_connections', '5m'].used == 2  # the WS-API and the stream connection
        streams = by_key['connection', 'ws_streams', None]
        assert (streams.used, streams.limit) == (1, 1024)
        assert by_key['connection', 'ws_messages', '1s'].limit == 5
        assert snap.max_utilization == max(w.utilization for w in snap.windows)
