"""Budget backends: the contract (``BudgetBackend``), the in-memory reference (``LocalBudgetBackend``), a limiter
counting through one, the fallback when a backend fails or hangs, the hook a plugin supplies one through, and a
default limiter that never touches any of it. The Redis backend's own suite runs against a real redis-server
(``plugins/redis/tests``)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import pytest

from binance_core import hookimpl
from binance_core.exceptions import InvalidRowError, RateLimitReachedException
from binance_core.plugins import make_plugin_manager
from binance_core.rate_limit import (
    BudgetBackend,
    Hold,
    LocalBudgetBackend,
    RateLimiter,
    SharedPool,
    Taken,
    backend_from_plugins,
    window_start,
)
from binance_core.specs import PoolSpec

WEIGHT = PoolSpec(type='request_weight', scope='ip', interval='1m', limit=20)
RAW = PoolSpec(type='raw_requests', scope='ip', interval='5m', limit=1000)
ORDERS = PoolSpec(type='orders', scope='account', interval='10s', limit=4, wait=False)
CONNECTIONS = PoolSpec(type='ws_connections', scope='ip', interval='5m', limit=3)
MESSAGES = PoolSpec(type='ws_messages', scope='connection', interval='1s', limit=5)
POOLS = (WEIGHT, RAW, ORDERS, CONNECTIONS, MESSAGES)
P_WEIGHT = SharedPool('spot', 'live', 'ip', 'request_weight', '1m', 60)
T0 = 1_800_000_000.0  # :00 of a minute


class Clock:
    def __init__(self, t: float = T0 + 1) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def window(limiter: RateLimiter, type_: str) -> Any:
    [w] = [w for w in limiter.snapshot().windows if w.type == type_]
    return w


class Unreachable:
    """A backend plugin whose store is down (raises) or hung (never answers): a stand-in for Redis faults."""

    name = 'unreachable'
    fallback_share = 0.25
    retry_interval = 3600.0

    def __init__(self, hang: bool = False, timeout: float = 0.05) -> None:
        self.hang = hang
        self.timeout = timeout
        self.calls = 0

    async def _fail(self) -> Any:
        self.calls += 1
        if self.hang:
            await asyncio.sleep(3600)
        raise ConnectionError('store at 10.0.0.9 refused (password=hunter2)')

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
        return await self._fail()  # type: ignore[no-any-return]

    async def usage(
        self, pools: Sequence[SharedPool], now: float, *, blocks: Sequence[Hold] = (), holds: Sequence[Hold] = ()
    ) -> Taken:
        return await self._fail()  # type: ignore[no-any-return]

    async def adopt(self, pools: Sequence[SharedPool], counts: Sequence[int], now: float) -> tuple[int, ...]:
        return await self._fail()  # type: ignore[no-any-return]

    async def block(self, hold: Hold, seconds: float, banned: bool, now: float) -> None:
        await self._fail()

    async def hold_orders(self, hold: Hold, seconds: float, now: float) -> None:
        await self._fail()


# -- the default path ------------------------------------------------------------------------------------------


async def test_a_limiter_without_a_backend_counts_in_the_process_as_before() -> None:
    limiter = RateLimiter(POOLS, market='spot')
    assert limiter.backend is None and limiter._shared is None
    await limiter.acquire(weight=3)
    w = window(limiter, 'request_weight')
    assert (w.used, w.backend, w.shared) == (3, None, False)
    assert 'backend' not in repr(limiter)


def test_a_backend_must_implement_the_contract() -> None:
    assert isinstance(LocalBudgetBackend(), BudgetBackend)
    assert isinstance(Unreachable(), BudgetBackend)
    with pytest.raises(TypeError, match='BudgetBackend'):
        RateLimiter(POOLS, backend=object())  # type: ignore[arg-type]


# -- LocalBudgetBackend: the reference semantics --------------------------------------------------------------


def test_windows_start_on_the_calendar() -> None:
    assert window_start(T0 + 59.999, 60) == T0 and window_start(T0 + 60, 60) == T0 + 60
    assert window_start(T0 + 12.5, 10) == T0 + 10


def test_a_share_limits_what_this_process_takes_and_the_best_known_total_limits_it_too() -> None:
    local = LocalBudgetBackend(share=0.25)
    # Taken through the shared store before it failed: 12 in all, this process's own 3 among them.
    local.record((P_WEIGHT,), (3,), (12,), T0 + 1)
    local.lost(T0 + 1.5)  # 8 left: a quarter of it, 2, is this process's
    assert local.take_now((P_WEIGHT,), (2,), (20,), T0 + 2).ok  # total 14 of 20
    t = local.take_now((P_WEIGHT,), (1,), (20,), T0 + 3)
    assert (t.ok, t.full, t.counts) == (False, 0, (14,))  # past its share of what was left
    assert t.ends == (T0 + 60,)
    local.adopt_now((P_WEIGHT,), (19,), T0 + 4)  # Binance counts 19 (every process)
    assert local.usage_now((P_WEIGHT,), T0 + 5).counts == (19,)
    assert local.own(P_WEIGHT, T0 + 5) == 2
    assert local.take_now((P_WEIGHT,), (5,), (20,), T0 + 61).ok  # a new minute: the share of the limit, from zero
    assert not local.take_now((P_WEIGHT,), (1,), (20,), T0 + 62).ok
    fresh = LocalBudgetBackend(share=0.25)
    fresh.adopt_now((P_WEIGHT,), (18,), T0 + 1)
    assert not fresh.take_now((P_WEIGHT,), (3,), (20,), T0 + 2).ok  # within its share, past the known total


async def test_limiters_on_one_backend_share_its_counts_holds_and_queue() -> None:
    clock = Clock()
    backend = LocalBudgetBackend()
    one = RateLimiter(POOLS, market='spot', account='key-1', backend=backend, clock=clock)
    two = RateLimiter(POOLS, market='spot', account='key-1', backend=backend, clock=clock)
    await one.acquire(weight=15)
    await two.acquire(weight=5)
    w = window(two, 'request_weight')
    assert (w.used, w.limit, w.backend, w.shared) == (20, 20, 'local', True)
    waiter = asyncio.create_task(one.acquire(weight=1))  # full: waits for the next minute
    async with asyncio.timeout(1):
        while not one.snapshot().throttled:
            await asyncio.sleep(0)
    with pytest.raises(RateLimitReachedException, match='queued'):
        await one.acquire(weight=1, orders=1)  # orders never queue behind it
    waiter.cancel()
    await asyncio.gather(waiter, return_exceptions=True)
    for _ in range(2):
        await one.acquire(weight=0, orders=1, raw=1)
        await two.acquire(weight=0, orders=1, raw=1)
    with pytest.raises(RateLimitReachedException) as info:
        await one.acquire(weight=0, orders=1)
    assert info.value.pool == 'orders 10s' and info.value.retry_after == pytest.approx(9)
    clock.t += 10
    two.hold_orders(5)  # a -1015 through one limiter holds the account's orders on the other
    await asyncio.sleep(0.01)  # written to the backend in the background
    with pytest.raises(RateLimitReachedException, match='-1015'):
        await one.acquire(weight=0, orders=1)
    one.block(30)  # a 429 through one holds every request on the other
    await asyncio.sleep(0.01)
    clock.t += 6  # past the -1015 hold, within the 429 block
    with pytest.raises(RateLimitReachedException, match='429'):
        await two.acquire(weight=1, orders=1)
    assert two.snapshot().retry_after == pytest.approx(24)
    assert 'key-1' not in repr(one) and "backend='local'" in repr(one)


async def test_connections_and_groups_are_taken_from_the_backend_and_connection_pools_stay_local() -> None:
    group = PoolSpec(type='raw_requests', scope='ip', interval='5m', limit=2, group='funding')
    clock = Clock()
    backend = LocalBudgetBackend()
    limiters = [RateLimiter((*POOLS, group), market='usdm', backend=backend, clock=clock) for _ in range(2)]
    for limiter in (*limiters, limiters[0]):
        await limiter.acquire_connection()
    blocked = asyncio.create_task(limiters[1].acquire_connection())
    await limiters[0].acquire_group('funding')
    await limiters[1].acquire(weight=1, group='funding')
    grouped = asyncio.create_task(limiters[0].acquire_group('funding'))
    await asyncio.sleep(0.01)
    assert not blocked.done() and not grouped.done()
    conn = limiters[0].connection()
    for _ in range(5):
        await conn.message()  # per connection, never shared
    blocked.cancel()
    grouped.cancel()
    await asyncio.gather(blocked, grouped, return_exceptions=True)


async def test_headers_raise_the_shared_count_and_never_lower_it() -> None:
    clock = Clock()
    backend = LocalBudgetBackend()
    one = RateLimiter(POOLS, market='spot', backend=backend, clock=clock)
    two = RateLimiter(POOLS, market='spot', backend=backend, clock=clock)
    await one.acquire(weight=5)
    one.reconcile_headers({'X-MBX-USED-WEIGHT-1M': '12'})
    await asyncio.sleep(0)  # the backend is told in the background
    one.reconcile_ws([{'rateLimitType': 'REQUEST_WEIGHT', 'interval': 'MINUTE', 'intervalNum': 1, 'count': 3}])
    w = window(one, 'request_weight')
    assert (w.used, w.source) == (12, 'header')
    await two.acquire(weight=1)
    assert window(two, 'request_weight').used == 13


async def test_guard_off_counts_through_the_backend_and_never_waits() -> None:
    backend = LocalBudgetBackend()
    limiter = RateLimiter(POOLS, market='spot', backend=backend, guard=False, clock=Clock())
    limiter.block(60)
    async with asyncio.timeout(0.5):
        for _ in range(30):
            await limiter.acquire(weight=1, orders=1)
        for _ in range(5):
            await limiter.acquire_connection()
    assert window(limiter, 'request_weight').used == 30


# -- faults: the fallback --------------------------------------------------------------------------------------


async def test_a_failing_backend_sends_the_process_to_its_share_logs_once_and_never_raises(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger='binance')
    backend = Unreachable()
    clock = Clock()
    one = RateLimiter(POOLS, market='spot', backend=backend, clock=clock)
    two = RateLimiter(POOLS, market='spot', backend=backend, clock=clock)
    async with asyncio.timeout(1):
        # Lost at the first call, with no count of the 10 s window: an order still goes within the process's share
        # of the order pool (4 / 4 = 1: Redis being away never refuses an order the share has room for); a second
        # is past the share.
        await one.acquire(weight=0, orders=1)
        with pytest.raises(RateLimitReachedException, match='orders 10s') as info:
            await one.acquire(weight=0, orders=1)
    assert info.value.retry_after == pytest.approx(9)
    clock.t += 59  # T0 + 60: windows that began without the backend, a share of each limit
    async with asyncio.timeout(1):
        for _ in range(3):
            await one.acquire(weight=1)
        await two.acquire(weight=2)  # 5 of 20: the process's share at 1/4
    assert backend.calls == 1  # the first failure; afterwards the local count, no call on the path
    waiter = asyncio.create_task(two.acquire(weight=1))
    await asyncio.sleep(0.05)
    assert not waiter.done()  # past the share it waits like a full window
    waiter.cancel()
    await asyncio.gather(waiter, return_exceptions=True)
    await one.acquire(weight=0, orders=1)  # orders go within the share (4 / 4 = 1)
    with pytest.raises(RateLimitReachedException, match='orders 10s'):
        await one.acquire(weight=0, orders=1)
    one.block(1)  # a hold while the backend is away: still held locally for every limiter of the process
    with pytest.raises(RateLimitReachedException, match='429'):
        await two.acquire(weight=0, orders=1)
    assert two.snapshot().retry_after == pytest.approx(1)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and 'backend' in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].name == 'binance.rate_limit'
    assert 'counting locally at 25% of every limit' in warnings[0].getMessage()
    assert 'hunter2' not in caplog.text and '10.0.0.9' not in caplog.text


async def test_a_hung_backend_costs_one_timeout_and_the_callers_cancellation_always_gets_through() -> None:
    backend = Unreachable(hang=True, timeout=0.05)
    # Only the 5-minute raw pool: a window of a minute or less, lost without a count of it, would be waited out.
    limiter = RateLimiter((RAW,), market='spot', backend=backend)
    loop = asyncio.get_running_loop()
    call = asyncio.create_task(limiter.acquire(weight=1))
    await asyncio.sleep(0.01)
    call.cancel()  # cancelled while the backend call is in flight: cancelled at once, not swallowed
    with pytest.raises(asyncio.CancelledError):
        await call
    started = loop.time()
    await limiter.acquire(weight=1)
    assert 0.04 <= loop.time() - started < 0.5
    started = loop.time()
    await limiter.acquire(weight=1)
    assert loop.time() - started < 0.04


async def test_a_callers_cancellation_gets_through_a_backend_client_that_swallows_it() -> None:
    """Some clients catch a cancellation and return normally (seen with redis-py under load): the request that
    was cancelled must still end, or a cancelled trading loop would go on sending."""

    class Swallowing(LocalBudgetBackend):
        timeout = 10.0

        async def take(self, *args: Any, **kwargs: Any) -> Taken:
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                pass
            return await super().take(*args, **kwargs)

    limiter = RateLimiter(POOLS, market='spot', backend=Swallowing())
    call = asyncio.create_task(limiter.acquire(weight=1))
    await asyncio.sleep(0.01)
    call.cancel()
    async with asyncio.timeout(1):
        with pytest.raises(asyncio.CancelledError):
            await call


async def test_the_backend_is_asked_again_in_the_background_and_taken_back_when_it_answers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger='binance')
    store = LocalBudgetBackend()

    class Flaky(LocalBudgetBackend):
        down = True
        timeout = 0.05
        retry_interval = 0.02

        async def take(self, *args: Any, **kwargs: Any) -> Taken:
            if self.down:
                raise ConnectionError('down')
            return await store.take(*args, **kwargs)

        async def usage(self, *args: Any, **kwargs: Any) -> Taken:
            if self.down:
                raise ConnectionError('down')
            return await store.usage(*args, **kwargs)

    backend = Flaky(0.5, name='flaky')
    backend.down = False
    clock = Clock()
    limiter = RateLimiter(POOLS, market='spot', backend=backend, clock=clock)
    await limiter.acquire(weight=1)
    backend.down = True
    for _ in range(3):
        await limiter.acquire(weight=1)
    backend.down = False
    async with asyncio.timeout(2):
        while not any('is back: counting on it again' in r.getMessage() for r in caplog.records):
            await asyncio.sleep(0.01)
    assert store.usage_now((P_WEIGHT,), clock.t).counts == (4,)  # what was counted meanwhile, handed over
    await limiter.acquire(weight=1)
    assert store.usage_now((P_WEIGHT,), clock.t).counts == (5,)


# -- the contract, both ways -----------------------------------------------------------------------------------


class Strict:
    """Forwards only the members the Protocol declares; records any other attribute the core asks for."""

    def __init__(self, target: Any) -> None:
        allowed = {n for n in vars(BudgetBackend) if not n.startswith('_')} | set(BudgetBackend.__annotations__)
        object.__setattr__(self, '_strict', (target, allowed, set(), []))

    def __getattribute__(self, name: str) -> Any:
        if name.startswith('__') or name == '_strict':
            return object.__getattribute__(self, name)
        target, allowed, used, undeclared = object.__getattribute__(self, '_strict')
        if name not in allowed:
            undeclared.append(name)
            raise AttributeError(name)
        used.add(name)
        return getattr(target, name)


async def test_the_core_calls_only_what_the_protocol_declares() -> None:
    proxy = Strict(LocalBudgetBackend())
    clock = Clock()
    limiter = RateLimiter(POOLS, market='spot', account='k', backend=proxy, clock=clock)  # type: ignore[arg-type]
    await limiter.acquire(weight=1, orders=1)
    await limiter.acquire_connection()
    limiter.reconcile_headers({'X-MBX-USED-WEIGHT-1M': '9'})
    limiter.block(1)
    limiter.hold_orders(1)
    await asyncio.sleep(0.01)
    limiter.snapshot()
    _target, allowed, used, undeclared = object.__getattribute__(proxy, '_strict')
    # The one optional member (BudgetBackend's docstring), read with a default: a backend without it works.
    assert set(undeclared) <= {'warm_up_timeout'}
    assert allowed == {'name', 'timeout', 'fallback_share', 'retry_interval', 'take', 'usage', 'adopt', 'block',
                       'hold_orders'}  # fmt: skip
    assert {'name', 'timeout', 'fallback_share', 'take', 'adopt', 'block', 'hold_orders'} <= used


# -- the hook --------------------------------------------------------------------------------------------------


def test_hook_binance_rate_limit_backend() -> None:
    backend = LocalBudgetBackend(name='from-a-plugin')
    spot = SimpleNamespace(name='spot')

    class Supplies:
        @hookimpl
        def binance_rate_limit_backend(self, market: Any) -> Any:
            return backend if market.name == 'spot' else None

    class Declines:
        @hookimpl
        def binance_rate_limit_backend(self, market: Any) -> Any:
            return None

    class Wrong:
        @hookimpl(tryfirst=True)
        def binance_rate_limit_backend(self, market: Any) -> Any:
            return 'redis://localhost'

    pm = make_plugin_manager([Supplies(), Declines()], load_entry_points=False)
    assert backend_from_plugins(pm, spot) is backend  # type: ignore[arg-type]
    assert backend_from_plugins(pm, SimpleNamespace(name='usdm')) is None  # type: ignore[arg-type]
    assert backend_from_plugins(make_plugin_manager(load_entry_points=False), spot) is None  # type: ignore[arg-type]
    with pytest.raises(InvalidRowError, match="'spot' returned str, which is not a BudgetBackend"):
        backend_from_plugins(make_plugin_manager([Wrong()], load_entry_points=False), spot)  # type: ignore[arg-type]


async def test_a_client_counts_on_the_backend_given_or_assembled() -> None:
    from binance_core.assembly import assemble

    backend = LocalBudgetBackend(name='given')
    client_class = assemble(make_plugin_manager()).clients['SpotClient']
    given = client_class(rate_limit_backend=backend)
    assert given._ctx.limiter.backend is backend
    assert given._ctx.limiter.market == 'spot'
    ma = client_class._market_assembly

    class Assembled:  # the MarketAssembly of an assembly whose plugins supplied a backend
        rate_limit_backend = LocalBudgetBackend(name='assembled')

        def __getattr__(self, name: str) -> Any:
            return getattr(ma, name)

    with_backend = type('SpotClient', (client_class,), {'_market_assembly': Assembled()})
    assert with_backend()._ctx.limiter.backend is Assembled.rate_limit_backend
    assert with_backend(rate_limit_backend=backend)._ctx.limiter.backend is backend  # the kwarg wins
    assert client_class()._ctx.limiter.backend is None
    started = time.monotonic()
    await given._ctx.limiter.acquire(weight=1)
    assert time.monotonic() - started < 0.5


def test_assembly_hands_the_plugins_backend_to_every_client_of_the_market() -> None:
    from binance_core.assembly import assemble

    backend = LocalBudgetBackend(name='assembled')

    class Supplies:
        @hookimpl
        def binance_rate_limit_backend(self, market: Any) -> Any:
            return backend if market.name == 'spot' else None

    assembly = assemble(make_plugin_manager([Supplies()]))
    assert assembly.markets['spot'].rate_limit_backend is backend  # type: ignore[attr-defined]
    assert assembly.clients['SpotClient']()._ctx.limiter.backend is backend


@pytest.mark.parametrize('lane', ['acquire', 'connection', 'order'])
async def test_a_backend_limiter_serves_its_callers_in_arrival_order(lane: str) -> None:
    """As the in-process limiter: a caller served a moment ago does not jump one queued before it asks again (the
    lock just released is not yet taken by its next waiter), and an order asked for in that moment is refused as
    queued-behind instead of taking the weight ahead of it."""
    clock = Clock(T0 + 1)
    pools = (
        PoolSpec(type='request_weight', scope='ip', interval='1s', limit=2),
        PoolSpec(type='orders', scope='account', interval='10s', limit=50, wait=False),
        PoolSpec(type='ws_connections', scope='ip', interval='1s', limit=2),
    )
    limiter = RateLimiter(pools, market='spot', backend=LocalBudgetBackend(), clock=clock)

    async def take() -> None:
        if lane == 'connection':
            await limiter.acquire_connection()
        else:
            await limiter.acquire(weight=1)

    await take()
    await take()  # the window is full
    order: list[Any] = []

    async def b() -> None:
        await take()
        order.append('B1')
        if lane == 'order':
            with pytest.raises(RateLimitReachedException, match='queued'):
                await limiter.acquire(weight=1, orders=1)
            order.append('refused')
            return
        await take()  # at once again: C queued before this one
        order.append('B2')

    async def c() -> None:
        await asyncio.sleep(0.01)
        await take()
        order.append('C')

    async with asyncio.timeout(5):
        tasks = [asyncio.create_task(b()), asyncio.create_task(c())]
        await asyncio.sleep(0.05)
        clock.t = T0 + 2.5  # the window rolled over: room for two
        while len(order) < 2:
            await asyncio.sleep(0.01)
        assert order[:2] == (['B1', 'refused'] if lane == 'order' else ['B1', 'C'])
        clock.t = T0 + 4
        await asyncio.gather(*tasks)
    assert order == (['B1', 'refused', 'C'] if lane == 'order' else ['B1', 'C', 'B2'])
