"""The BudgetBackend contract, run against a real redis-server and against the core's in-memory reference
(``LocalBudgetBackend``) alike: all-or-nothing takes across pools, calendar windows, "the larger count wins",
holds that only grow, atomicity under concurrency, and keys that never carry an API key."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import redis.asyncio as aioredis

from binance_core.rate_limit import BudgetBackend, Hold, LocalBudgetBackend, SharedPool, account_id
from binance_ratelimit_redis import RedisBudgetBackend

T0 = 1_800_000_000.0  # a minute boundary (:00), and so a 10 s one
WEIGHT = SharedPool('spot', 'live', 'ip', 'request_weight', '1m', 60)
RAW = SharedPool('spot', 'live', 'ip', 'raw_requests', '5m', 300)
API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A'  # Binance's docs' example key
ORDERS = SharedPool('spot', 'live', 'account', 'orders', '10s', 10, account=account_id(API_KEY))
IP = Hold('spot', 'live')
ACCOUNT = Hold('spot', 'live', account_id(API_KEY))


@pytest.fixture(params=['redis', 'local'])
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[BudgetBackend]:
    if request.param == 'local':
        yield LocalBudgetBackend()
        return
    server = request.getfixturevalue('redis_server')
    async with RedisBudgetBackend(server.url, processes=2, egress='test-host', timeout=2.0) as b:
        yield b


async def test_backends_implement_the_contract(backend: BudgetBackend) -> None:
    assert isinstance(backend, BudgetBackend)


async def test_a_take_is_all_or_nothing_across_pools_and_names_the_full_one(backend: BudgetBackend) -> None:
    t = await backend.take((WEIGHT, RAW), (8, 1), (10, 100), T0 + 1)
    assert (t.ok, t.full, t.counts) == (True, -1, (8, 1))
    t = await backend.take((WEIGHT, RAW), (3, 1), (10, 100), T0 + 2)  # 8 + 3 > 10
    assert (t.ok, t.full, t.counts) == (False, 0, (8, 1))  # refused, nothing charged, the weight pool named
    t = await backend.take((RAW, WEIGHT), (1, 2), (100, 10), T0 + 3)
    assert (t.ok, t.counts) == (True, (2, 10))
    assert (await backend.usage((WEIGHT, RAW), T0 + 4)).counts == (10, 2)


async def test_one_call_heavier_than_the_budget_goes_into_an_empty_window_only(backend: BudgetBackend) -> None:
    assert (await backend.take((WEIGHT,), (250,), (100,), T0)).ok
    assert not (await backend.take((WEIGHT,), (1,), (100,), T0 + 1)).ok


async def test_windows_are_calendar_windows(backend: BudgetBackend) -> None:
    """Binance resets a minute at :00 and 10 s windows at :00/:10/..., not a minute after the first request."""
    assert (await backend.take((WEIGHT, ORDERS), (10, 1), (10, 1), T0 + 59.9)).ok
    t = await backend.take((WEIGHT, ORDERS), (10, 1), (10, 1), T0 + 59.95)
    assert not t.ok and t.counts == (10, 1)
    t = await backend.take((WEIGHT, ORDERS), (10, 1), (10, 1), T0 + 60.0)  # a new minute, a new 10 s window
    assert t.ok and t.counts == (10, 1)
    assert (await backend.usage((WEIGHT,), T0 + 119.99)).counts == (10,)
    assert (await backend.usage((WEIGHT, ORDERS), T0 + 120)).counts == (0, 0)


async def test_without_enforce_everything_is_counted(backend: BudgetBackend) -> None:
    await backend.block(IP, T0 + 30, False)
    t = await backend.take((WEIGHT,), (50,), (10,), T0 + 1, blocks=(IP,), enforce=False)
    assert t.ok and t.counts == (50,) and t.blocked_until == T0 + 30


async def test_the_larger_of_binances_count_and_ours_is_kept(backend: BudgetBackend) -> None:
    await backend.take((WEIGHT,), (30,), (100,), T0 + 1)
    assert await backend.adopt((WEIGHT,), (45,), T0 + 2) == (45,)  # another tool on the IP used 15
    assert await backend.adopt((WEIGHT,), (20,), T0 + 3) == (45,)  # lower: sharers' requests still on their way
    assert (await backend.usage((WEIGHT,), T0 + 4)).counts == (45,)
    assert await backend.adopt((WEIGHT,), (7,), T0 + 61) == (7,)  # a new window starts from Binance's count


async def test_a_429_block_holds_every_sharer_and_only_ever_grows(backend: BudgetBackend) -> None:
    await backend.block(IP, T0 + 10, False)
    t = await backend.take((WEIGHT,), (1,), (100,), T0 + 1, blocks=(IP,))
    assert (t.ok, t.blocked_until, t.banned, t.counts) == (False, T0 + 10, False, (0,))
    await backend.block(IP, T0 + 5, True)  # shorter: ignored, it never shortens a hold
    assert (await backend.usage((), T0 + 1, blocks=(IP,))).blocked_until == T0 + 10
    await backend.block(IP, T0 + 120, True)  # a 418 ban
    u = await backend.usage((), T0 + 1, blocks=(IP,))
    assert (u.blocked_until, u.banned) == (T0 + 120, True)
    assert (await backend.take((WEIGHT,), (1,), (100,), T0 + 121, blocks=(IP,))).ok  # over: taken


async def test_a_minus_1015_hold_stops_only_order_takes(backend: BudgetBackend) -> None:
    await backend.hold_orders(ACCOUNT, T0 + 10)
    t = await backend.take((WEIGHT, ORDERS), (1, 1), (100, 10), T0 + 1, blocks=(IP,), holds=(ACCOUNT,))
    assert (t.ok, t.orders_held_until) == (False, T0 + 10)
    assert (await backend.take((WEIGHT,), (1,), (100,), T0 + 1, blocks=(IP,))).ok  # a read is not an order


async def test_concurrent_takes_never_over_commit(backend: BudgetBackend) -> None:
    results = await asyncio.gather(*(backend.take((WEIGHT, RAW), (1, 1), (50, 1000), T0 + 1) for _ in range(200)))
    assert sum(t.ok for t in results) == 50
    assert (await backend.usage((WEIGHT, RAW), T0 + 2)).counts == (50, 50)


async def test_redis_keys_name_the_budget_pool_and_window_and_never_the_api_key(redis_server: Any) -> None:
    async with RedisBudgetBackend(redis_server.url, processes=2, egress='bot-host-1', timeout=2.0) as b:
        await b.take((WEIGHT, RAW, ORDERS), (5, 1, 1), (100, 100, 10), T0 + 61.5, blocks=(IP,), holds=(ACCOUNT,))
        await b.block(IP, T0 + 70, False)
        await b.hold_orders(ACCOUNT, T0 + 70)
    client = aioredis.Redis.from_url(redis_server.url)
    try:
        keys = sorted(k.decode() for k in await client.keys('*'))
        ttls = {k: await client.pttl(k) for k in keys}
    finally:
        await client.aclose()
    acct = account_id(API_KEY)
    assert keys == sorted(
        [
            '{binance-rl}:w:ip:bot-host-1:live:spot:request_weight:1m:1800000060',
            '{binance-rl}:w:ip:bot-host-1:live:spot:raw_requests:5m:1800000000',
            f'{{binance-rl}}:w:acct:{acct}:live:spot:orders:10s:1800000060',
            '{binance-rl}:block:ip:bot-host-1:live:spot',
            f'{{binance-rl}}:hold:acct:{acct}:live:spot',
        ]
    )
    assert not any(API_KEY in k for k in keys)
    assert all(ttl > 0 for ttl in ttls.values())  # every key expires by itself
    # The minute key lives until its window ends (58.5 s) plus one interval, so a host a little behind finds it.
    assert 118_000 <= ttls['{binance-rl}:w:ip:bot-host-1:live:spot:request_weight:1m:1800000060'] <= 118_500


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
