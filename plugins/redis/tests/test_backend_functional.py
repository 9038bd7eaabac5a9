"""The BudgetBackend contract, run against a real redis-server and against the core's in-memory reference
(``LocalBudgetBackend``) alike: all-or-nothing takes across pools, calendar windows, "the larger count wins",
holds that only grow and end after their duration, times answered on the caller's clock, atomicity under
concurrency, and keys that never carry an API key.

Redis counts on its own clock, which is this machine's: the tests run in real time (the reference is given the
same clock), and the ones about windows use a one-second pool, so a boundary is never more than a second away."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
import redis.asyncio as aioredis

from binance_core.rate_limit import BudgetBackend, Hold, LocalBudgetBackend, SharedPool, account_id
from binance_ratelimit_redis import RedisBudgetBackend

WEIGHT = SharedPool('spot', 'live', 'ip', 'request_weight', '1m', 60)
RAW = SharedPool('spot', 'live', 'ip', 'raw_requests', '5m', 300)
SECOND = SharedPool('spot', 'live', 'ip', 'request_weight', '1s', 1)
API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A'  # Binance's docs' example key
ORDERS = SharedPool('spot', 'live', 'account', 'orders', '10s', 10, account=account_id(API_KEY))
IP = Hold('spot', 'live')
FUTURES_IP = Hold('futures', 'live')
ACCOUNT = Hold('spot', 'live', account_id(API_KEY))


@pytest.fixture(params=['redis', 'local'])
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[BudgetBackend]:
    if request.param == 'local':
        yield LocalBudgetBackend()
        return
    server = request.getfixturevalue('redis_server')
    async with RedisBudgetBackend(server.url, processes=2, egress='test-host', timeout=2.0) as b:
        yield b


async def inside(seconds: float, margin: float = 1.0) -> float:
    """Now, at least *margin* seconds before the end of the current *seconds*-long window (waiting for the next
    one when closer), so a test's steps fall in one window."""
    left = seconds - time.time() % seconds
    if left < margin:
        await asyncio.sleep(left + 0.01)
    return time.time()


async def test_backends_implement_the_contract(backend: BudgetBackend) -> None:
    assert isinstance(backend, BudgetBackend)


async def test_a_take_is_all_or_nothing_across_pools_and_names_the_full_one(backend: BudgetBackend) -> None:
    await inside(300)
    t = await backend.take((WEIGHT, RAW), (8, 1), (10, 100), time.time())
    assert (t.ok, t.full, t.counts) == (True, -1, (8, 1))
    t = await backend.take((WEIGHT, RAW), (3, 1), (10, 100), time.time())  # 8 + 3 > 10
    assert (t.ok, t.full, t.counts) == (False, 0, (8, 1))  # refused, nothing charged, the weight pool named
    t = await backend.take((RAW, WEIGHT), (1, 2), (100, 10), time.time())
    assert (t.ok, t.counts) == (True, (2, 10))
    assert (await backend.usage((WEIGHT, RAW), time.time())).counts == (10, 2)


async def test_one_call_heavier_than_the_budget_goes_into_an_empty_window_only(backend: BudgetBackend) -> None:
    await inside(60)
    assert (await backend.take((WEIGHT,), (250,), (100,), time.time())).ok
    assert not (await backend.take((WEIGHT,), (1,), (100,), time.time())).ok


async def test_windows_are_calendar_windows(backend: BudgetBackend) -> None:
    """Binance resets a minute at :00, 10 s windows at :00/:10/... and (here) a second at each whole second, not
    an interval after the first request; the answer says when the window ends."""
    now = await inside(1, margin=0.6)
    t = await backend.take((SECOND, WEIGHT), (10, 1), (10, 100), now)
    assert t.ok and t.counts == (10, 1)
    ends = (math.floor(now) + 1, now - now % 60 + 60)
    assert t.ends == pytest.approx(ends, abs=0.15)
    t = await backend.take((SECOND, WEIGHT), (1, 1), (10, 100), time.time())
    assert (t.ok, t.full, t.counts) == (False, 0, (10, 1))
    assert t.ends[0] == pytest.approx(ends[0], abs=0.15)
    await asyncio.sleep(t.ends[0] - time.time() + 0.01)  # the next second: a new window
    t = await backend.take((SECOND, WEIGHT), (10, 1), (10, 100), time.time())
    assert t.ok and t.counts == (10, 2)
    assert (await backend.usage((SECOND,), time.time())).counts == (10,)


async def test_without_enforce_everything_is_counted(backend: BudgetBackend) -> None:
    await inside(60)
    now = time.time()
    await backend.block(IP, 30, False, now)
    t = await backend.take((WEIGHT,), (50,), (10,), time.time(), blocks=(IP,), enforce=False)
    assert t.ok and t.counts == (50,) and t.blocked_until == pytest.approx(now + 30, abs=0.15)


async def test_the_larger_of_binances_count_and_ours_is_kept(backend: BudgetBackend) -> None:
    await inside(60)
    await backend.take((WEIGHT,), (30,), (100,), time.time())
    assert await backend.adopt((WEIGHT,), (45,), time.time()) == (45,)  # another tool on the IP used 15
    assert await backend.adopt((WEIGHT,), (20,), time.time()) == (45,)  # lower: sharers' requests on their way
    assert (await backend.usage((WEIGHT,), time.time())).counts == (45,)


async def test_binances_count_lands_in_the_current_window(backend: BudgetBackend) -> None:
    now = await inside(1, margin=0.6)
    assert await backend.adopt((SECOND,), (45,), now) == (45,)
    await asyncio.sleep(math.floor(now) + 1 - time.time() + 0.01)
    assert await backend.adopt((SECOND,), (7,), time.time()) == (7,)  # a new window starts from Binance's count


async def test_a_429_block_holds_every_sharer_for_its_duration_and_only_ever_grows(backend: BudgetBackend) -> None:
    now = time.time()
    await backend.block(IP, 10, False, now)
    t = await backend.take((WEIGHT,), (1,), (100,), time.time(), blocks=(IP,))
    assert (t.ok, t.banned, t.counts) == (False, False, (0,))
    assert t.blocked_until == pytest.approx(now + 10, abs=0.15)
    await backend.block(IP, 5, True, time.time())  # shorter: ignored, it never shortens a hold
    assert (await backend.usage((), time.time(), blocks=(IP,))).blocked_until == pytest.approx(now + 10, abs=0.15)
    await backend.block(IP, 120, True, time.time())  # a 418 ban
    u = await backend.usage((), time.time(), blocks=(IP,))
    assert (u.blocked_until, u.banned) == (pytest.approx(now + 120, abs=0.15), True)
    await backend.block(FUTURES_IP, 0.1, False, time.time())  # another budget, held briefly
    assert not (await backend.take((WEIGHT,), (1,), (100,), time.time(), blocks=(FUTURES_IP,))).ok
    await asyncio.sleep(0.12)
    assert (await backend.take((WEIGHT,), (1,), (100,), time.time(), blocks=(FUTURES_IP,))).ok  # over: taken


async def test_a_minus_1015_hold_stops_only_order_takes(backend: BudgetBackend) -> None:
    now = time.time()
    await backend.hold_orders(ACCOUNT, 10, now)
    t = await backend.take((WEIGHT, ORDERS), (1, 1), (100, 10), time.time(), blocks=(IP,), holds=(ACCOUNT,))
    assert not t.ok and t.orders_held_until == pytest.approx(now + 10, abs=0.15)
    assert (await backend.take((WEIGHT,), (1,), (100,), time.time(), blocks=(IP,))).ok  # a read is not an order


async def test_answers_are_on_the_callers_clock(backend: BudgetBackend) -> None:
    """A caller whose clock reads hours ahead is answered on its clock: holds end and windows roll over after
    as long as for everyone else. (Whole hours, so the reference, which counts on the clock it is given, agrees
    with Redis, which counts on its own: ``test_clock_functional`` has clocks that disagree by seconds.)"""
    await inside(60)
    ahead = 7 * 3600.0
    real = time.time()
    await backend.block(IP, 10, False, real + ahead)
    t = await backend.take((WEIGHT,), (1,), (100,), time.time() + ahead, blocks=(IP,))
    assert t.blocked_until == pytest.approx(real + ahead + 10, abs=0.15)
    assert t.ends == pytest.approx((real - real % 60 + 60 + ahead,), abs=0.15)


async def test_concurrent_takes_never_over_commit(backend: BudgetBackend) -> None:
    await inside(300)
    results = await asyncio.gather(*(backend.take((WEIGHT, RAW), (1, 1), (50, 1000), time.time()) for _ in range(200)))
    assert sum(t.ok for t in results) == 50
    assert (await backend.usage((WEIGHT, RAW), time.time())).counts == (50, 50)


async def test_redis_keys_name_the_budget_pool_and_window_and_never_the_api_key(redis_server: Any) -> None:
    now = await inside(300)
    async with RedisBudgetBackend(redis_server.url, processes=2, egress='bot-host-1', timeout=2.0) as b:
        await b.take((WEIGHT, RAW, ORDERS), (5, 1, 1), (100, 100, 10), now, blocks=(IP,), holds=(ACCOUNT,))
        await b.block(IP, 10, False, now)
        await b.hold_orders(ACCOUNT, 10, now)
    client = aioredis.Redis.from_url(redis_server.url)
    try:
        keys = sorted(k.decode() for k in await client.keys('*'))
        ttls = {k: await client.pttl(k) for k in keys}
    finally:
        await client.aclose()
    acct = account_id(API_KEY)
    minute, five, ten = (int(now - now % s) for s in (60, 300, 10))
    weight_key = f'{{binance-rl}}:w:ip:bot-host-1:live:spot:request_weight:1m:{minute}'
    assert keys == sorted(
        [
            weight_key,
            f'{{binance-rl}}:w:ip:bot-host-1:live:spot:raw_requests:5m:{five}',
            f'{{binance-rl}}:w:acct:{acct}:live:spot:orders:10s:{ten}',
            '{binance-rl}:block:ip:bot-host-1:live:spot',
            f'{{binance-rl}}:hold:acct:{acct}:live:spot',
        ]
    )
    assert not any(API_KEY in k for k in keys)
    assert all(ttl > 0 for ttl in ttls.values())  # every key expires by itself
    # The minute key lives until its window ends plus a few seconds (a promoted replica's clock may lag a little).
    left = (minute + 60 - now) * 1000
    assert left - 500 <= ttls[weight_key] <= left + 5_000


async def test_a_redis_that_may_evict_counters_is_reported_once(
    redis_server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    client = aioredis.Redis.from_url(redis_server.url)
    try:
        await client.config_set('maxmemory-policy', 'allkeys-lru')
    finally:
        await client.aclose()
    caplog.set_level(logging.DEBUG, logger='binance')
    url = redis_server.url.replace('redis://', 'redis://:s3cret@')
    async with RedisBudgetBackend(url, processes=2, egress='h', timeout=2.0) as b:
        for _ in range(3):
            await b.usage((WEIGHT,), time.time())
        async with asyncio.timeout(2):
            while not any('maxmemory-policy' in r.getMessage() for r in caplog.records):
                await asyncio.sleep(0.01)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and 'allkeys-lru' in warnings[0].getMessage()
    assert warnings[0].name == 'binance.rate_limit' and 's3cret' not in caplog.text


async def test_a_redis_that_refuses_config_is_fine(redis_servers: Any, caplog: pytest.LogCaptureFixture) -> None:
    """A managed Redis often refuses ``CONFIG``: no warning, a DEBUG line, and counting goes on."""
    import logging

    server = redis_servers('--rename-command', 'CONFIG', '')
    caplog.set_level(logging.DEBUG, logger='binance')
    async with RedisBudgetBackend(server.url, processes=2, egress='h', timeout=2.0) as b:
        async with asyncio.timeout(2):
            while not any('could not read maxmemory-policy' in r.getMessage() for r in caplog.records):
                assert (await b.take((WEIGHT,), (1,), (100,), time.time())).ok
                await asyncio.sleep(0.01)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_the_backend_shows_where_never_who() -> None:
    b = RedisBudgetBackend('redis://trader:s3cret-pw@10.0.0.5:6380/2', processes=3, egress='nat-a')
    assert 's3cret-pw' not in repr(b) and 's3cret-pw' not in b.name and 'trader' not in b.name
    assert b.name == 'redis redis://10.0.0.5:6380/2 egress=nat-a'
    assert b.fallback_share == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    ('kwargs', 'match'),
    [
        ({'processes': 0}, 'processes must be a positive int'),
        ({'processes': 2, 'egress': 'a:b'}, 'egress must be'),
        ({'processes': 2, 'fallback_share': 1.5}, 'fallback_share'),
        ({'processes': 2, 'timeout': 0}, 'positive'),
    ],
)
def test_settings_are_checked(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        RedisBudgetBackend('redis://127.0.0.1:6379/0', **kwargs)
