"""Redis unreachable, hung or killed mid-run, against a real redis-server: the client counts locally within the
backend's timeout, logs once, keeps to its share of each limit, never raises or hangs because of Redis, and counts
on Redis again (handing over what it counted meanwhile) once Redis answers, within its share until the window it
counted locally in ends. Its fallback windows are Redis's, whatever its host's clock says; and a cold start warms
up once, under a bound of its own, instead of falling back against a healthy Redis."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from binance import Credentials, RateLimiter, SpotClient
from binance_core import PoolSpec
from binance_core.rate_limit import SharedPool, Taken
from binance_core.rate_limit.budgets import budgets_for
from binance_core.rate_limit.shared import BackendState
from binance_ratelimit_redis import RedisBudgetBackend
from binance_testing import FakeExchange

# 40 weight an hour: with 4 processes expected, 10 each while Redis is away.
HOURLY = (
    PoolSpec(type='request_weight', scope='ip', interval='1h', limit=40),
    PoolSpec(type='orders', scope='account', interval='1h', limit=8, wait=False),
)
WEIGHT = SharedPool('spot', 'live', 'ip', 'request_weight', '1h', 3600)
ORDER = {'symbol': 'BTCUSDT', 'side': 'BUY', 'type': 'MARKET', 'quantity': '1'}


@pytest.fixture
async def fx() -> AsyncIterator[FakeExchange]:
    async with FakeExchange('spot') as exchange:
        exchange.add_key('rl-key', secret='rl-secret')
        yield exchange


def backend_for(redis_server: Any, url: str | None = None, **kwargs: Any) -> RedisBudgetBackend:
    options: dict[str, Any] = {'processes': 4, 'egress': 'host-f', 'timeout': 0.075, 'retry_interval': 0.1}
    return RedisBudgetBackend(url or redis_server.url, **{**options, **kwargs})


class Partitioned(RedisBudgetBackend):
    """The Redis backend of a process cut off from Redis (``cut``: a network partition) while Redis itself runs on
    for the others: each of its calls raises. Named apart, it is another process's budget state in this one."""

    def __init__(self, *args: Any, name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name = name
        self.cut = False

    def _reach(self) -> None:
        if self.cut:
            raise ConnectionError('partitioned')

    async def take(self, *args: Any, **kwargs: Any) -> Taken:  # usage() too
        self._reach()
        return await super().take(*args, **kwargs)

    async def adopt(self, *args: Any, **kwargs: Any) -> tuple[int, ...]:
        self._reach()
        return await super().adopt(*args, **kwargs)

    async def block(self, *args: Any, **kwargs: Any) -> None:
        self._reach()
        await super().block(*args, **kwargs)

    async def hold_orders(self, *args: Any, **kwargs: Any) -> None:
        self._reach()
        await super().hold_orders(*args, **kwargs)


def state_of(backend: RedisBudgetBackend) -> BackendState:
    return budgets_for(asyncio.get_running_loop()).backends[backend.name]


async def burst(limiter: RateLimiter, n: int, wait: float = 0.05) -> int:
    """Take weight 1 up to *n* times, stopping at the first take that has to wait; how many were taken."""
    taken = 0
    for _ in range(n):
        try:
            await asyncio.wait_for(limiter.acquire(weight=1), wait)
        except TimeoutError:
            break
        taken += 1
    return taken


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == 'binance.rate_limit' and r.levelno == logging.WARNING]


def used(client: Any) -> int:
    [w] = [w for w in client.rate_limit_snapshot().windows if w.type == 'request_weight']
    return int(w.used)


async def test_redis_down_counts_locally_at_once_logs_once_and_keeps_to_the_share(
    fx: FakeExchange, redis_server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    redis_server.kill()  # the port refuses from the start
    caplog.set_level(logging.INFO, logger='binance')
    url = redis_server.url.replace('redis://', 'redis://trader:s3cret@')  # a password: never in a log
    async with backend_for(redis_server, url) as backend:
        async with SpotClient(rate_limiter=RateLimiter(HOURLY, backend=backend), **fx.client_kwargs()) as spot:
            started = time.monotonic()
            async with asyncio.timeout(2):
                for _ in range(8):  # the share: 40 / 4, less the WS-API handshake's 2
                    await spot.ping()
            assert time.monotonic() - started < 1.0  # one refused connection, then no Redis on the path
            assert used(spot) == 10
            call = asyncio.create_task(spot.ping())  # the 11th would exceed this process's share: it waits
            async with asyncio.timeout(2):
                while not spot.rate_limit_snapshot().throttled:
                    await asyncio.sleep(0.01)
            await asyncio.sleep(0.3)  # several background retries fail meanwhile, silently
            assert not call.done() and len(fx.requests_for('ping')) == 8
            call.cancel()
            await asyncio.gather(call, return_exceptions=True)
    [warning] = warnings_of(caplog)
    assert 'counting locally at 25% of every limit' in warning and 'ConnectionError' in warning
    assert 's3cret' not in caplog.text


async def test_a_hung_redis_costs_one_timeout_then_nothing(fx: FakeExchange, redis_server: Any) -> None:
    async with backend_for(redis_server) as backend:
        async with SpotClient(rate_limiter=RateLimiter(HOURLY, backend=backend), **fx.client_kwargs()) as spot:
            async with asyncio.timeout(2):
                await spot.ping()  # connected, counted on Redis
            redis_server.pause()  # accepts, answers nothing
            loop = asyncio.get_running_loop()
            started = loop.time()
            async with asyncio.timeout(2):
                await spot.ping()
            first = loop.time() - started
            assert 0.07 <= first < 0.5  # the backend's timeout (75 ms), then the local count
            started = loop.time()
            async with asyncio.timeout(2):
                for _ in range(5):
                    await spot.ping()
            assert loop.time() - started < first  # Redis is off the path until it answers again
            assert used(spot) == 2 + 7  # the WS-API handshake and the pings
            redis_server.resume()


async def test_redis_back_is_used_again_and_gets_what_was_counted_meanwhile(
    fx: FakeExchange, redis_server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger='binance')
    async with backend_for(redis_server) as backend, backend_for(redis_server) as observer:
        async with SpotClient(rate_limiter=RateLimiter(HOURLY, backend=backend), **fx.client_kwargs()) as spot:
            async with asyncio.timeout(2):
                await spot.ping()
            redis_server.kill()
            async with asyncio.timeout(2):
                for _ in range(3):
                    await spot.ping()  # counted locally (the first finds Redis gone)
            redis_server.start()  # same port, empty (no persistence)
            async with asyncio.timeout(5):
                while not any('is back: counting on it again' in r.getMessage() for r in caplog.records):
                    await asyncio.sleep(0.02)
            # The 3 pings counted while it was away were handed over (the 1 before died with the server).
            assert (await observer.usage((WEIGHT,), time.time())).counts == (3,)
            async with asyncio.timeout(2):
                await spot.ping()
            assert (await observer.usage((WEIGHT,), time.time())).counts == (4,)  # on Redis again
    assert len(warnings_of(caplog)) == 1


async def test_redis_dying_under_load_never_hangs_or_raises(fx: FakeExchange, redis_server: Any) -> None:
    creds = Credentials('rl-key', api_secret='rl-secret')
    pools = (PoolSpec(type='request_weight', scope='ip', interval='1h', limit=100_000),)
    async with backend_for(redis_server) as backend:
        async with SpotClient(creds, rate_limiter=RateLimiter(pools, backend=backend), **fx.client_kwargs()) as spot:
            done = 0

            async def hammer() -> None:
                nonlocal done
                for _ in range(40):
                    await spot.ping()
                    done += 1

            async with asyncio.timeout(10):
                tasks = [asyncio.create_task(hammer()) for _ in range(20)]
                while done < 100:
                    await asyncio.sleep(0.001)
                redis_server.kill()  # with calls in flight on its connections
                await asyncio.gather(*tasks)  # every call completes: none raises, none hangs
                await spot.create_order(**ORDER)  # orders too
            assert done == 800 and len(fx.requests_for('ping')) == 800


async def test_guard_off_counts_without_redis_and_never_waits(fx: FakeExchange, redis_server: Any) -> None:
    redis_server.kill()
    async with backend_for(redis_server) as backend:
        limiter = RateLimiter(HOURLY, backend=backend, guard=False)
        async with SpotClient(rate_limiter=limiter, **fx.client_kwargs()) as spot:
            async with asyncio.timeout(2):
                for _ in range(15):  # past the share and the limit
                    await spot.ping()
            assert used(spot) == 2 + 15  # the WS-API handshake and the pings


async def test_the_window_redis_is_lost_in_allows_a_share_of_what_was_left_in_it(
    fx: FakeExchange, redis_server: Any
) -> None:
    async with backend_for(redis_server) as other, backend_for(redis_server) as backend:
        async with asyncio.timeout(2):
            assert (await other.take((WEIGHT,), (32,), (40,), time.time())).ok  # another process used 32 of 40
        async with SpotClient(rate_limiter=RateLimiter(HOURLY, backend=backend), **fx.client_kwargs()) as spot:
            async with asyncio.timeout(2):
                await spot.ping()  # on Redis: 33 of 40 seen, this process's own ping included
            redis_server.kill()

            async def pings() -> None:
                for _ in range(10):
                    await spot.ping()

            call = asyncio.create_task(pings())
            async with asyncio.timeout(2):
                while not spot.rate_limit_snapshot().throttled:
                    await asyncio.sleep(0.01)
            # 7 were left: this process takes a quarter of that (1), not its share of the limit (10) nor all 7.
            assert len(fx.requests_for('ping')) == 1 + 1
            call.cancel()
            await asyncio.gather(call, return_exceptions=True)


async def test_one_slow_answer_costs_well_under_a_retry_interval(
    fx: FakeExchange, redis_server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger='binance')
    # The default retry_interval (1 s): a single answer slower than the timeout must not cost a second of fallback.
    async with RedisBudgetBackend(redis_server.url, processes=4, egress='host-f', timeout=0.075) as backend:
        async with SpotClient(rate_limiter=RateLimiter(HOURLY, backend=backend), **fx.client_kwargs()) as spot:
            async with asyncio.timeout(2):
                await spot.ping()
            loop = asyncio.get_running_loop()
            redis_server.pause()  # one hiccup of 0.1 s
            loop.call_later(0.1, redis_server.resume)
            started = loop.time()
            async with asyncio.timeout(2):
                await spot.ping()  # answered locally after the timeout
                while not any('is back: counting on it again' in r.getMessage() for r in caplog.records):
                    await asyncio.sleep(0.005)
            assert loop.time() - started < 0.5


async def test_a_fallback_outlives_its_limiters_and_a_later_client_finds_redis_again(redis_server: Any) -> None:
    import gc

    from binance_core.rate_limit.budgets import budgets_for

    async with backend_for(redis_server) as backend, backend_for(redis_server) as observer:
        limiter: RateLimiter | None = RateLimiter(HOURLY, market='spot', backend=backend)
        assert limiter is not None
        redis_server.kill()
        async with asyncio.timeout(2):
            await limiter.acquire(weight=1)  # refused: counted locally, a probe looks for Redis
        state = budgets_for(asyncio.get_running_loop()).backends[backend.name]
        assert not state.healthy
        limiter = None
        gc.collect()  # every limiter of the process is gone: the probe ends
        async with asyncio.timeout(2):
            while state._probe is not None and not state._probe.done():
                await asyncio.sleep(0.01)
        redis_server.start()  # back, empty
        later = RateLimiter(HOURLY, market='spot', backend=backend)  # a new client on the same backend object
        async with asyncio.timeout(2):
            while (await observer.usage((WEIGHT,), time.time())).counts == (0,):
                await later.acquire(weight=1)
                await asyncio.sleep(0.01)
        assert state.healthy


async def test_takes_made_while_the_hand_over_is_in_flight_reach_redis(
    redis_server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger='binance')
    # A timeout long enough for the hand-over to wait out a paused server (it is bounded by 4 timeouts).
    async with backend_for(redis_server, timeout=0.5) as backend, backend_for(redis_server) as observer:
        limiter = RateLimiter(HOURLY, market='spot', backend=backend)
        redis_server.kill()
        async with asyncio.timeout(2):
            for _ in range(3):
                await limiter.acquire(weight=1)  # counted locally
        redis_server.start()
        redis_server.pause()  # the next probe connects and hands over, and waits for an answer
        await asyncio.sleep(0.3)  # the probe tries every 0.1 s: its hand-over is in flight now
        assert not any('is back: counting' in r.getMessage() for r in caplog.records)
        async with asyncio.timeout(2):
            for _ in range(2):
                await limiter.acquire(weight=1)  # counted locally while the hand-over waits
        redis_server.resume()
        async with asyncio.timeout(3):
            while not any('is back: counting on it again' in r.getMessage() for r in caplog.records):
                await asyncio.sleep(0.01)
            assert (await observer.usage((WEIGHT,), time.time())).counts == (5,)


async def test_a_process_back_on_redis_first_keeps_its_share_while_another_still_counts_locally(
    redis_server: Any,
) -> None:
    pools = (PoolSpec(type='request_weight', scope='ip', interval='1h', limit=100),)
    options: dict[str, Any] = {'processes': 2, 'egress': 'host-f', 'timeout': 0.075, 'retry_interval': 0.05}
    async with (
        Partitioned(redis_server.url, name='process-a', **options) as a,
        Partitioned(redis_server.url, name='process-b', **options) as b,
        backend_for(redis_server) as observer,
    ):
        one = RateLimiter(pools, market='spot', backend=a)
        two = RateLimiter(pools, market='spot', backend=b)
        a.cut = b.cut = True  # both cut off from the start: an hour's window, so half of it each
        async with asyncio.timeout(3):
            assert await burst(one, 60) == 50
            assert await burst(two, 60) == 50
            a.cut = False  # a's probe finds Redis; b's not yet
            while not state_of(a).healthy:
                await asyncio.sleep(0.01)
            assert (await observer.usage((WEIGHT,), time.time())).counts == (50,)  # a's, handed over
            # Redis says 50 are left; they are b's, still counted on its own: a keeps to its half.
            assert await burst(one, 10) == 0
            assert (await observer.usage((WEIGHT,), time.time())).counts == (50,)
            b.cut = False
            while not state_of(b).healthy:
                await asyncio.sleep(0.01)
            assert (await observer.usage((WEIGHT,), time.time())).counts == (100,)  # the limit, not 150


async def test_a_host_whose_clock_is_ahead_falls_back_in_redis_s_windows_and_hands_over_in_them(
    redis_server: Any,
) -> None:
    pool = SharedPool('spot', 'live', 'ip', 'request_weight', '10s', 10)
    pools = (PoolSpec(type='request_weight', scope='ip', interval='10s', limit=20),)
    if 10 - time.time() % 10 < 2.5:  # Redis's window (the machine's clock) must run on through the test
        await asyncio.sleep(10 - time.time() % 10 + 0.05)
    rollover = time.time() + 1.0
    skew = -rollover % 10  # this host's clock starts a new 10 s window in a second; Redis's does not
    async with (
        Partitioned(redis_server.url, name='skewed', processes=1, egress='host-f', retry_interval=0.05) as backend,
        backend_for(redis_server) as observer,
    ):
        limiter = RateLimiter(pools, market='spot', backend=backend, clock=lambda: time.time() + skew)
        async with asyncio.timeout(3):
            await limiter.acquire(weight=18)  # on Redis: 18 of 20
            backend.cut = True
            before = await burst(limiter, 10)
            await asyncio.sleep(max(0.0, rollover - time.time()) + 0.05)
            after = await burst(limiter, 30)  # the host's window is new; Redis's (and Binance's) is not
            assert (before, after) == (2, 0)
            backend.cut = False
            while not state_of(backend).healthy:
                await asyncio.sleep(0.01)
            # The 2 counted before the host's clock rolled over are handed over into Redis's window.
            assert (await observer.usage((pool,), time.time())).counts == (20,)


async def test_a_cold_start_under_load_warms_up_once_and_stays_on_redis(
    redis_server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    import redis.asyncio as aioredis

    caplog.set_level(logging.INFO, logger='binance')
    pools = (PoolSpec(type='request_weight', scope='ip', interval='1h', limit=10**6),)
    raw = aioredis.Redis.from_url(redis_server.url)
    try:
        received = int((await raw.info('stats'))['total_connections_received'])
        async with RedisBudgetBackend(redis_server.url, processes=4, egress='host-f') as backend:  # timeout 75 ms
            limiter = RateLimiter(pools, market='spot', backend=backend)
            async with asyncio.timeout(5):
                await asyncio.gather(*(limiter.acquire(weight=1) for _ in range(30)))  # 30 first calls at once
            assert state_of(backend).healthy and warnings_of(caplog) == []  # no fallback against a healthy Redis
            assert int(await raw.get(next(iter(await raw.keys('*w:ip:*'))))) == 30  # all on Redis
        opened = int((await raw.info('stats'))['total_connections_received']) - received
        assert opened <= 8  # the pool's connections, opened once by the warm-up, not one per first caller
    finally:
        await raw.aclose()


async def test_a_redis_that_never_answers_costs_the_first_calls_one_connect_timeout(
    redis_server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    redis_server.pause()  # the port accepts, nothing answers: the warm-up cannot finish
    async with backend_for(redis_server, connect_timeout=0.3) as backend:
        limiter = RateLimiter(HOURLY, market='spot', backend=backend)
        loop = asyncio.get_running_loop()
        started = loop.time()
        async with asyncio.timeout(3):
            await asyncio.gather(*(limiter.acquire(weight=1) for _ in range(5)))
        assert 0.3 <= loop.time() - started < 0.8  # the warm-up's bound, once, then counted locally
        started = loop.time()
        await limiter.acquire(weight=1)
        assert loop.time() - started < 0.05  # Redis is off the path until it answers
        [w] = [w for w in limiter.snapshot().windows if w.type == 'request_weight']
        assert w.used == 6
    [warning] = warnings_of(caplog)
    assert 'TimeoutError' in warning
