"""One clock for every sharer, against a real redis-server: hosts whose clocks disagree still count in the same
windows and see a hold end at the same moment, because the Redis scripts read Redis's own clock (``TIME``) and
answer in durations that each limiter turns into times on its own clock."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from binance import RateLimiter, RateLimitReachedException
from binance_core import PoolSpec
from binance_core.rate_limit import Hold, SharedPool, account_id
from binance_ratelimit_redis import RedisBudgetBackend

POOLS = (
    PoolSpec(type='request_weight', scope='ip', interval='1m', limit=10**6),
    PoolSpec(type='orders', scope='account', interval='1m', limit=10, wait=False),
)
ORDERS = SharedPool('spot', 'live', 'account', 'orders', '1m', 60, account=account_id('rl-key'))


@pytest.fixture
async def backends(redis_server: Any) -> AsyncIterator[tuple[RedisBudgetBackend, RedisBudgetBackend]]:
    """Two backends on one Redis and egress, as two hosts would hold them."""
    async with (
        RedisBudgetBackend(redis_server.url, processes=2, egress='nat-1', timeout=2.0) as a,
        RedisBudgetBackend(redis_server.url, processes=2, egress='nat-1', timeout=2.0) as b,
    ):
        yield a, b


async def clear_of_a_minute_boundary(margin: float = 3.0) -> None:
    """Start well inside a minute (on the machine's clock, which Redis's is too): a run straddling a boundary
    would count in two windows. Waits *margin* seconds at most."""
    left = 60 - time.time() % 60
    if left < margin:
        await asyncio.sleep(left + 0.05)


async def refusal(limiter: RateLimiter, match: str, timeout: float = 2.0) -> RateLimitReachedException:
    """The refusal of an order on *limiter* that names *match* (a hold written by another limiter reaches Redis
    in the background: ask until it is there)."""
    async with asyncio.timeout(timeout):
        while True:
            try:
                await limiter.acquire(weight=0, orders=1)
            except RateLimitReachedException as exc:
                if match in str(exc):
                    return exc
            await asyncio.sleep(0.005)


async def test_limiters_whose_clocks_disagree_share_one_window_and_see_holds_end_together(
    backends: tuple[RedisBudgetBackend, RedisBudgetBackend],
) -> None:
    a, b = backends
    await clear_of_a_minute_boundary()
    # Whatever the second now, the other host's clock reads 15 s into the next calendar minute (15 to 75 s ahead):
    # on its own clock a fresh window, in Redis's the same one.
    skew = 75 - time.time() % 60
    one = RateLimiter(POOLS, market='spot', account='rl-key', backend=a)
    two = RateLimiter(POOLS, market='spot', account='rl-key', backend=b, clock=lambda: time.time() + skew)
    taken = 0
    retries: list[float] = []
    async with asyncio.timeout(5):
        for limiter in (one, two) * 10:
            try:
                await limiter.acquire(weight=1, orders=1)
                taken += 1
            except RateLimitReachedException as exc:
                retries.append(exc.retry_after - (60 - time.time() % 60))  # vs the real minute's end
        assert taken == 10  # together, never past the limit in Redis's window
        assert (await a.usage((ORDERS,), time.time())).counts == (10,)
    # Each is told to come back when Redis's window ends, not when its own clock's minute does.
    assert len(retries) == 10 and all(abs(r) < 0.5 for r in retries), retries

    two.hold_orders(3)  # a -1015 on the host whose clock is ahead
    held = await refusal(one, '-1015')
    assert held.retry_after == pytest.approx(3, abs=0.3)  # ends at the same real time for the other host

    one.block(5)  # a 429 on the host whose clock is right
    async with asyncio.timeout(2):
        while not (await b.usage((), time.time(), blocks=(Hold('spot', 'live'),))).blocked_until:
            await asyncio.sleep(0.005)  # written to Redis in the background
    read = asyncio.create_task(two.acquire(weight=1))  # a read waits for the block to end
    try:
        async with asyncio.timeout(2):
            while (retry_after := two.snapshot().retry_after) is None:
                await asyncio.sleep(0.005)
        assert retry_after == pytest.approx(5, abs=0.3)  # ends at the same real time for the other host
        assert not read.done()
    finally:
        read.cancel()
        await asyncio.gather(read, return_exceptions=True)


async def test_a_window_key_expires_with_redis_s_window(
    backends: tuple[RedisBudgetBackend, RedisBudgetBackend], redis_server: Any
) -> None:
    import redis.asyncio as aioredis

    a, _ = backends
    await clear_of_a_minute_boundary()
    far_ahead = time.time() + 3600 * 5 + 17  # a caller's clock hours off changes neither the key nor its expiry
    pool = SharedPool('spot', 'live', 'ip', 'request_weight', '1m', 60)
    await a.take((pool,), (1,), (100,), far_ahead)
    real = time.time()
    client = aioredis.Redis.from_url(redis_server.url)
    try:
        [key] = [k.decode() for k in await client.keys('*')]
        ttl = await client.pttl(key)
    finally:
        await client.aclose()
    start = int(real - real % 60)
    assert key == f'{{binance-rl}}:w:ip:nat-1:live:spot:request_weight:1m:{start}'
    left_ms = (start + 60 - real) * 1000
    assert left_ms <= ttl <= left_ms + 5_500  # the window's end in Redis's time, plus a few seconds of grace
