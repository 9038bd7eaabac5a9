"""The request path's synchronous shortcuts keep every guarantee of the coroutines they stand in for:
``RateLimiter.try_acquire`` charges exactly what ``acquire`` would, or nothing when the caller must queue (a queue
already, no room, a 429 hold, windows still to be bound to the loop's shared ones, a backend that counts);
``TimeSync.stale`` is exactly when ``ensure`` syncs; ``signature_payload`` keeps Binance's rule for every value
type. The WS-API side of the same path is tested against the fake exchange in the Spot suite
(``test_request_fast_path_functional.py``)."""

from __future__ import annotations

import asyncio
import enum
import json
import time
from typing import Any

import pytest

from binance_core.exceptions import RateLimitReachedException
from binance_core.params import signature_payload
from binance_core.rate_limit import LocalBudgetBackend, RateLimiter
from binance_core.specs import PoolSpec
from binance_core.timesync import RESYNC_INTERVAL, TimeSync


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
POOLS = (WEIGHT, RAW, ORDERS_10S, ORDERS_1D)
MINUTE_END = 1_000_020.0  # a minute boundary: 1_000_020 % 60 == 0
SHARED_WEIGHT = PoolSpec(type='request_weight', scope='ip', interval='1m', limit=100, budget='futures')


def counts(limiter: RateLimiter) -> dict[tuple[str, str | None], int]:
    return {(w.type, w.interval): w.used for w in limiter.snapshot().windows}


# -- RateLimiter.try_acquire ----------------------------------------------------------------------------------------


@pytest.mark.parametrize('guard', [True, False])
async def test_try_acquire_charges_every_pool_exactly_as_acquire_does(guard: bool) -> None:
    clock = FakeClock()
    slow = RateLimiter(POOLS, market='spot', guard=guard, clock=clock)
    fast = RateLimiter(POOLS, market='spot', guard=guard, clock=clock)
    for weight, orders, raw in [(20, 0, 1), (1, 1, 1), (5, 0, 0), (2, 1, 1)]:
        await slow.acquire(weight=weight, orders=orders, raw=raw)
        assert fast.try_acquire(weight, orders, raw) is True
        assert counts(fast) == counts(slow)
    clock.t += 60  # the minute and the 10 s windows roll over on both alike
    await slow.acquire(weight=3)
    assert fast.try_acquire(3)
    assert counts(fast) == counts(slow)
    assert counts(fast)[('request_weight', '1m')] == 3
    assert counts(fast)[('orders', '1d')] == 2


async def test_try_acquire_takes_nothing_when_a_caller_must_wait_and_acquire_then_queues() -> None:
    clock = FakeClock(MINUTE_END - 0.05)  # the minute ends 50 ms (of real sleep) from now
    limiter = RateLimiter(POOLS, market='spot', clock=clock)
    assert limiter.try_acquire(95)
    before = counts(limiter)
    assert limiter.try_acquire(10) is False  # no room in the minute: nothing charged
    assert counts(limiter) == before

    waiter = asyncio.create_task(limiter.acquire(weight=10))  # queues until the minute ends
    async with asyncio.timeout(1):
        while limiter.snapshot().pending != 1:
            await asyncio.sleep(0)
    clock.t = MINUTE_END  # room again, but a caller is queued: a newcomer must not jump the queue (FIFO)
    assert limiter.try_acquire(1) is False
    async with asyncio.timeout(1):
        await waiter
    assert counts(limiter)[('request_weight', '1m')] == 10  # only the waiter, in the new minute
    assert limiter.try_acquire(1)
    assert counts(limiter)[('request_weight', '1m')] == 11


async def test_try_acquire_honours_a_429_hold_and_fails_orders_fast_like_acquire() -> None:
    clock = FakeClock()
    limiter = RateLimiter(POOLS, market='spot', clock=clock)
    limiter.block(5)
    assert limiter.try_acquire(1) is False  # weight waits for the hold (acquire sleeps it out)
    with pytest.raises(RateLimitReachedException, match='Retry-After'):
        limiter.try_acquire(1, 1)  # an order never waits
    clock.t += 6
    assert limiter.try_acquire(1, 1) and limiter.try_acquire(1, 1)
    with pytest.raises(RateLimitReachedException) as info:
        limiter.try_acquire(1, 1)  # the 10 s order window (2) is full
    assert info.value.pool == 'orders 10s'
    assert counts(limiter)[('orders', '10s')] == 2 and counts(limiter)[('request_weight', '1m')] == 2
    limiter.hold_orders(3)  # -1015
    with pytest.raises(RateLimitReachedException, match='-1015'):
        limiter.try_acquire(1, 1)
    assert limiter.try_acquire(1)  # reads go on


async def test_a_limiter_that_must_bind_or_counts_on_a_backend_is_only_charged_by_acquire() -> None:
    clock = FakeClock()
    one = RateLimiter((SHARED_WEIGHT,), market='usdm', clock=clock)
    two = RateLimiter((SHARED_WEIGHT,), market='coinm', clock=clock)
    assert one.try_acquire(4) is False  # not bound to this loop's shared window yet: nothing charged
    await one.acquire(weight=4)  # binds, and charges the shared window
    assert one.try_acquire(3)
    assert counts(two)[('request_weight', '1m')] == 7  # the fast path charged the window both share

    backed = RateLimiter(POOLS, market='spot', clock=clock, backend=LocalBudgetBackend())
    assert backed.try_acquire(1) is False  # only acquire() goes through the backend
    await backed.acquire(weight=1)
    assert backed.try_acquire(1) is False
    assert counts(backed)[('request_weight', '1m')] == 1


async def test_pools_learned_or_added_after_the_first_request_are_charged_by_the_fast_path() -> None:
    """The pools a request charges are worked out once per change of pools (RateLimiter._install), not per
    request: a limiter that learns its pools from its first client, or takes a second market, charges them."""
    clock = FakeClock()
    limiter = RateLimiter(clock=clock)
    assert limiter.try_acquire(5)  # no pools yet: nothing to charge
    limiter.attach('spot', POOLS)
    assert limiter.try_acquire(5, 1)
    assert counts(limiter)[('request_weight', '1m')] == 5 and counts(limiter)[('orders', '10s')] == 1

    futures_orders = PoolSpec(type='orders', scope='account', interval='1m', limit=10, wait=False, budget='futures')
    both = RateLimiter((SHARED_WEIGHT,), market='usdm', account='key-a', clock=clock)
    await both.acquire(weight=1)
    both.attach('usdm', account='key-a')
    both.attach('coinm', (SHARED_WEIGHT, futures_orders), account='key-a')  # adds the order pool
    await both.acquire(weight=1)  # binds to the new pools
    assert both.try_acquire(1, 1)
    assert counts(both)[('orders', '1m')] == 1 and counts(both)[('request_weight', '1m')] == 3


# -- TimeSync.stale -------------------------------------------------------------------------------------------------


async def test_stale_is_exactly_when_ensure_syncs() -> None:
    fetched = 0

    async def fetch() -> Any:
        nonlocal fetched
        fetched += 1
        return {'serverTime': int(time.time() * 1000)}

    clock = TimeSync(fetch)
    assert clock.stale()
    await clock.ensure()
    assert (fetched, clock.stale()) == (1, False)
    await clock.ensure()
    assert fetched == 1
    clock._synced_at -= RESYNC_INTERVAL + 1  # the last sync is too old now
    assert clock.stale()
    await clock.ensure()
    assert (fetched, clock.stale()) == (2, False)


# -- signature_payload ---------------------------------------------------------------------------------------------


class Side(enum.IntEnum):
    ONE = 1


class Name(str):
    """A str subclass whose text is its own."""


def reference_payload(params: dict[str, Any]) -> str:
    """Binance's WS-API rule, written plainly: every param but ``signature``, sorted by name, ``k=v`` with ``&``;
    bools as ``true``/``false``, numbers as written, lists and objects as compact JSON."""

    def value(v: Any) -> str:
        if isinstance(v, str):
            return v
        if isinstance(v, bool):
            return 'true' if v else 'false'
        if isinstance(v, int):
            return str(v)
        return json.dumps(v, separators=(',', ':'), ensure_ascii=False)

    return '&'.join(f'{k}={value(params[k])}' for k in sorted(params) if k != 'signature')


@pytest.mark.parametrize(
    'params',
    [
        {},
        {'timestamp': 1_764_523_123_456, 'apiKey': 'key'},
        {'signature': 'old', 'b': 'x', 'a': 2},
        {'flag': True, 'other': False, 'n': 0, 'big': 10**20, 'side': Side.ONE},
        {'price': '0.00100000', 'qty': '1E-8', 'name': Name('zz'), 'text': 'é ü 币'},
        {'orders': [{'symbol': 'BTCUSDT', 'reduceOnly': 'true', 'q': '1'}], 'ids': [1, 2, 3], 'm': {'k': 'v'}},
    ],
)
def test_signature_payload_keeps_binances_rule_for_every_value_type(params: dict[str, Any]) -> None:
    assert signature_payload(params) == reference_payload(params)
