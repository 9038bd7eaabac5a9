"""Spot clients counting on one Redis budget, against the loopback fake exchange and a real redis-server: the
budget is shared, a 429 and a -1015 hold every sharer, Binance's counts raise the shared one, the snapshot shows
the shared usage, and the plugin supplies the backend from the environment."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from binance import Credentials, RateLimiter, RateLimitReachedException, SpotClient, StreamRateLimitException
from binance_core import PoolSpec
from binance_core.rate_limit import SharedPool
from binance_ratelimit_redis import RedisBudgetBackend
from binance_ratelimit_redis.plugin import backend_from_environment, binance_rate_limit_backend
from binance_testing import FakeExchange

# Hourly pools: Binance reports no 1-hour counts, so only the clients count them (no header moves them), and a
# test never straddles a window.
HOURLY = (
    PoolSpec(type='request_weight', scope='ip', interval='1h', limit=30),
    PoolSpec(type='raw_requests', scope='ip', interval='1h', limit=1000),
    PoolSpec(type='orders', scope='account', interval='1h', limit=3, wait=False),
)
ORDER = {'symbol': 'BTCUSDT', 'side': 'BUY', 'type': 'MARKET', 'quantity': '1'}
BOOK = {'lastUpdateId': 1, 'bids': [], 'asks': []}


@pytest.fixture
async def fx() -> AsyncIterator[FakeExchange]:
    async with FakeExchange('spot') as exchange:
        exchange.set_response('depth', BOOK)
        exchange.add_key('rl-key', secret='rl-secret')
        yield exchange


@pytest.fixture
async def backends(redis_server: Any) -> AsyncIterator[tuple[RedisBudgetBackend, RedisBudgetBackend]]:
    """Two backends on one Redis and egress, as two processes would hold them (each its own connections)."""
    async with (
        RedisBudgetBackend(redis_server.url, processes=2, egress='host-a', timeout=2.0) as a,
        RedisBudgetBackend(redis_server.url, processes=2, egress='host-a', timeout=2.0) as b,
    ):
        yield a, b


def creds() -> Credentials:
    return Credentials('rl-key', api_secret='rl-secret')


def weight(client: Any) -> Any:
    [w] = [w for w in client.rate_limit_snapshot().windows if w.type == 'request_weight']
    return w


async def test_two_clients_on_one_budget_draw_from_one_count(fx: FakeExchange, backends: Any) -> None:
    a, b = backends
    async with (
        SpotClient(rate_limiter=RateLimiter(HOURLY, backend=a), **fx.client_kwargs()) as one,
        SpotClient(rate_limiter=RateLimiter(HOURLY, backend=b), **fx.client_kwargs()) as two,
    ):
        async with asyncio.timeout(5):
            await one.get_orderbook(symbol='BTCUSDT', limit=100)  # 2 (its WS-API handshake) + 5: 7 of 30
            await two.ping()  # 2 + 1 more: 10
        w = weight(two)
        assert (w.used, w.limit, w.backend, w.shared) == (10, 30, a.name, True)
        call = asyncio.create_task(two.get_orderbook(symbol='BTCUSDT', limit=500))  # 25 more: over, it waits
        async with asyncio.timeout(5):
            while not two.rate_limit_snapshot().throttled:
                await asyncio.sleep(0.01)
        assert len(fx.requests_for('depth')) == 1  # the second snapshot never went out
        assert weight(two).pending == 1
        call.cancel()
        await asyncio.gather(call, return_exceptions=True)
        async with asyncio.timeout(5):
            await one.ping()  # 1 more still fits, for either client
        assert weight(one).used == 11


async def test_a_429_seen_by_one_client_holds_the_other(fx: FakeExchange, backends: Any) -> None:
    a, b = backends
    async with (
        SpotClient(rate_limit_backend=a, **fx.client_kwargs()) as one,
        SpotClient(rate_limit_backend=b, **fx.client_kwargs()) as two,
    ):
        async with asyncio.timeout(5):
            await two.ping()
        now = fx.server_time()
        fx.fail_next('ping', -1003, status=429, data={'serverTime': now, 'retryAfter': now + 1000})
        with pytest.raises(StreamRateLimitException):
            async with asyncio.timeout(5):
                await one.ping()
        started = time.monotonic()
        await asyncio.sleep(0.05)  # the block reaches Redis in the background
        async with asyncio.timeout(5):
            await two.get_server_time()  # held by Redis's block until the Retry-After passes, then sent
        assert time.monotonic() - started >= 0.8
        [sent] = fx.requests_for('time')
        assert sent.at - now >= 900


async def test_a_minus_1015_on_one_client_holds_the_accounts_orders_on_the_other(
    fx: FakeExchange, backends: Any
) -> None:
    a, b = backends
    async with (
        SpotClient(creds(), rate_limiter=RateLimiter(HOURLY, backend=a), **fx.client_kwargs()) as one,
        SpotClient(creds(), rate_limiter=RateLimiter(HOURLY, backend=b), **fx.client_kwargs()) as two,
    ):
        fx.fail_next('order.place', -1015, 'Too many new orders; current limit is 3 orders per HOUR.', status=429)
        with pytest.raises(StreamRateLimitException):
            async with asyncio.timeout(5):
                await one.create_order(**ORDER)
        await asyncio.sleep(0.05)  # the hold reaches Redis in the background
        with pytest.raises(RateLimitReachedException, match='-1015'):
            async with asyncio.timeout(5):
                await two.create_order(**ORDER)
        assert len(fx.requests_for('order.place')) == 1  # the second never went out
        async with asyncio.timeout(5):
            await two.ping()  # reads still flow: the hold is on new orders only


async def test_orders_over_the_shared_order_pool_fail_fast_on_either_client(fx: FakeExchange, backends: Any) -> None:
    a, b = backends
    async with (
        SpotClient(creds(), rate_limiter=RateLimiter(HOURLY, backend=a), **fx.client_kwargs()) as one,
        SpotClient(creds(), rate_limiter=RateLimiter(HOURLY, backend=b), **fx.client_kwargs()) as two,
    ):
        async with asyncio.timeout(5):
            for client in (one, two, one):
                await client.create_order(**ORDER)
        started = time.monotonic()
        with pytest.raises(RateLimitReachedException) as info:
            await two.create_order(**ORDER)
        assert time.monotonic() - started < 0.5
        assert info.value.pool == 'orders 1h'
        assert len(fx.requests_for('order.place')) == 3


async def test_binances_larger_count_is_adopted_for_every_sharer(fx: FakeExchange, backends: Any) -> None:
    a, b = backends
    async with SpotClient(rate_limit_backend=a, **fx.client_kwargs()) as one:
        async with asyncio.timeout(5):
            await one.ping()
            fx.used_weight = 4000  # another tool on the IP spent weight this minute
            await one.ping()  # its answer reports 4001
        assert weight(one).used >= 4001 and weight(one).source == 'header'
        pool = SharedPool('spot', 'live', 'ip', 'request_weight', '1m', 60)
        async with asyncio.timeout(5):
            while (await b.usage((pool,), time.time())).counts[0] < 4001:  # the other process sees it
                await asyncio.sleep(0.01)


async def test_the_api_key_never_reaches_redis(fx: FakeExchange, backends: Any, redis_server: Any) -> None:
    import redis.asyncio as aioredis

    a, _ = backends
    async with SpotClient(creds(), rate_limit_backend=a, **fx.client_kwargs()) as one:
        async with asyncio.timeout(5):
            await one.create_order(**ORDER)
        assert 'rl-key' not in repr(one._ctx.limiter)
    client = aioredis.Redis.from_url(redis_server.url)
    try:
        keys = [k.decode() for k in await client.keys('*')]
    finally:
        await client.aclose()
    assert any(':acct:' in k for k in keys) and not any('rl-key' in k for k in keys)


async def test_a_limiter_and_another_backend_for_one_client_are_refused(fx: FakeExchange, backends: Any) -> None:
    a, b = backends
    with pytest.raises(ValueError, match='give the backend to the limiter'):
        SpotClient(rate_limiter=RateLimiter(HOURLY, backend=a), rate_limit_backend=b)
    assert SpotClient(rate_limiter=RateLimiter(HOURLY, backend=a), rate_limit_backend=a) is not None


# -- the plugin ------------------------------------------------------------------------------------------------


def test_the_plugin_is_inert_until_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv('BINANCE_RATELIMIT_REDIS_URL', raising=False)
    assert backend_from_environment() is None
    assert SpotClient()._ctx.limiter.backend is None


def test_an_unconfigured_plugin_loads_neither_redis_nor_the_backend() -> None:
    """``import binance`` loads the entry point whether or not a URL is set; redis, the plugin's backend and the
    core's backend contract are imported once one is (a fresh interpreter: this one imported them long ago)."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith('BINANCE_RATELIMIT_REDIS_')}
    code = (
        'import sys, binance; assert "binance_ratelimit_redis.plugin" in sys.modules; '
        'print(sorted(m for m in sys.modules if m.split(".")[0] == "redis" '
        'or m in ("binance_ratelimit_redis.backend", "binance_core.rate_limit.backend")))'
    )
    run = subprocess.run([sys.executable, '-c', code], env=env, capture_output=True, text=True, check=True, timeout=120)
    assert run.stdout.strip() == '[]'
    env |= {'BINANCE_RATELIMIT_REDIS_URL': 'redis://127.0.0.1:1/0', 'BINANCE_RATELIMIT_REDIS_PROCESSES': '2'}
    code = (
        'import sys, binance; import binance_ratelimit_redis as p; '
        'print(type(binance.assembly.markets["spot"].rate_limit_backend) is p.RedisBudgetBackend, '
        '"binance_core.rate_limit.backend" in sys.modules)'
    )
    run = subprocess.run([sys.executable, '-c', code], env=env, capture_output=True, text=True, check=True, timeout=120)
    assert run.stdout.split() == ['True', 'True']


def test_the_plugin_supplies_one_backend_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from binance_core.assembly import assemble
    from binance_core.plugins import make_plugin_manager

    monkeypatch.setenv('BINANCE_RATELIMIT_REDIS_URL', 'redis://:pw@127.0.0.1:6399/3')
    monkeypatch.setenv('BINANCE_RATELIMIT_REDIS_PROCESSES', '4')
    monkeypatch.setenv('BINANCE_RATELIMIT_REDIS_EGRESS', 'nat-1')
    spot = assemble(make_plugin_manager()).markets['spot'].spec
    backend = binance_rate_limit_backend(market=spot)
    assert isinstance(backend, RedisBudgetBackend)
    assert backend is backend_from_environment()  # one per configuration, shared by every market
    assert (backend.egress, backend.fallback_share, backend.timeout) == ('nat-1', 0.25, 0.075)
    assert 'pw' not in backend.name
    pm = make_plugin_manager()
    assert pm.hook.binance_rate_limit_backend(market=spot) is backend  # registered under binance.plugins
    monkeypatch.setenv('BINANCE_RATELIMIT_REDIS_PROCESSES', '')
    with pytest.raises(ValueError, match='BINANCE_RATELIMIT_REDIS_PROCESSES'):
        backend_from_environment()


def test_no_secret_in_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    RedisBudgetBackend('redis://user:hunter2@127.0.0.1:1/0', processes=2)
    assert 'hunter2' not in caplog.text


def test_the_plugin_is_registered_and_needs_no_other_market() -> None:
    import os
    import sys
    from importlib.metadata import entry_points

    plugins = {ep.name: ep.dist.name if ep.dist else None for ep in entry_points(group='binance.plugins')}
    assert plugins.get('redis') == 'binance-ratelimit-redis'
    if os.environ.get('BINANCE_EXPECT_MARKETS') == 'spot':  # scripts/test's environment: core, test kit, spot, redis
        assert {ep.name for ep in entry_points(group='binance.markets')} == {'spot'}
        assert not {'binance_usdm', 'binance_coinm', 'binance_futures'} & set(sys.modules)
