"""The WS-API request path without its detours (no coroutine for the limiter or the clock when nothing waits, the
checks run when the call is awaited, one rate-limit reconciliation per burst of answers), against the loopback fake
exchange: every request is still counted, checked before anything is sent, adopted before its caller resumes, and
a cancelled caller leaves nothing behind."""

import asyncio
import time

import pytest

from binance import (
    Credentials,
    FloatParamException,
    RateLimiter,
    SpotClient,
    UnknownOutcomeException,
    UnknownParamException,
)
from binance_core import PoolSpec
from binance_testing import FakeExchange

# Day-long pools that no test fills: the counts only grow (a minute window could roll over mid-test).
DAY_POOLS = (
    PoolSpec(type='request_weight', scope='ip', interval='1d', limit=10**9),
    PoolSpec(type='raw_requests', scope='ip', interval='1d', limit=10**9),
    PoolSpec(type='orders', scope='account', interval='1d', limit=10**9, wait=False),
)
ROWS = SpotClient._market_assembly.endpoints


@pytest.fixture
async def fx():
    async with FakeExchange('spot') as exchange:
        yield exchange


def hmac_creds(fx):
    fx.add_key('fast-key', secret='fast-secret')
    return Credentials('fast-key', api_secret='fast-secret')


async def until(predicate, timeout=5):
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


def used(limiter, type_):
    return next(w.used for w in limiter.snapshot().windows if w.type == type_)


@pytest.mark.parametrize('guard', [True, False])
async def test_every_request_is_counted_when_binance_reports_no_counts(fx, guard):
    """With ``returnRateLimits=false`` nothing is reconciled: the local counts are all there is, so each request
    (concurrent reads, orders, the clock sync) must have been charged once, weight and orders alike."""
    limiter = RateLimiter(DAY_POOLS, guard=guard)
    kwargs = {**fx.client_kwargs(), 'ws_api_host': fx.ws_api_url + '?returnRateLimits=false'}
    async with SpotClient(hmac_creds(fx), rate_limiter=limiter, **kwargs) as spot:
        async with asyncio.timeout(10):
            await asyncio.gather(*(spot.get_account() for _ in range(30)))
            await asyncio.gather(
                *(spot.create_order(symbol='BTCUSDT', side='BUY', type='MARKET', quantity='1') for _ in range(5))
            )
    assert not any('rateLimits' in r.params for r in fx.requests)
    # The WS-API handshake costs 2 weight (Binance "IP limits"): counted as the exchange counts it.
    handshake = 2
    weight = 30 * ROWS['get_account'].weight + 5 * ROWS['create_order'].weight + ROWS['get_server_time'].weight
    assert fx.ws_api_connections == 1 and fx.ws_connect_weight == handshake
    assert used(limiter, 'request_weight') == weight + handshake == fx.used_weight
    assert used(limiter, 'raw_requests') == 36
    assert used(limiter, 'orders') == 5


async def test_a_caller_resumes_only_once_its_answers_rate_limits_are_adopted(fx):
    """Binance counts more than this client did (other tools on the IP): every caller must already see at least
    the count its own answer reported, however many answers were read in one go, and the newest count wins."""
    fx.ws_method('ping', lambda req: {'count': fx.used_weight})  # the count the answer's rateLimits carry
    async with SpotClient(**fx.client_kwargs()) as spot:
        await spot.ping()
        phase = time.time() % 60  # keep clear of a minute boundary, where Binance's count restarts
        if phase > 50:
            await asyncio.sleep(60 - phase + 0.1)
        fx.used_weight = 4000

        async def one():
            count = (await spot.ping())['count']
            return count, used(spot._ctx.limiter, 'request_weight')

        async with asyncio.timeout(10):
            pairs = await asyncio.gather(*(one() for _ in range(40)))
        assert all(seen >= count > 4000 for count, seen in pairs), pairs
        assert used(spot._ctx.limiter, 'request_weight') == fx.used_weight == 4040


async def test_a_cancelled_request_leaves_nothing_pending_and_its_late_answer_is_ignored(fx):
    async with SpotClient(**fx.client_kwargs()) as spot:
        await spot.ping()
        fx.delay_next('exchangeInfo', 0.3)
        call = asyncio.create_task(spot.get_exchange_info())
        await until(lambda: fx.requests_for('exchangeInfo'))  # it reached the exchange
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        conn = await spot._ws_api.connection()
        assert conn.pending == {}
        await asyncio.sleep(0.4)  # its answer arrives and matches nothing
        async with asyncio.timeout(5):
            assert await spot.ping() == {}
        assert conn.pending == {} and spot._ws_api.malformed == 0 and spot._ws_api.connections == 1


async def test_an_order_cancelled_in_flight_or_dropped_is_never_sent_again(fx):
    async with SpotClient(hmac_creds(fx), **fx.client_kwargs()) as spot:
        fx.drop_next('order.place')
        with pytest.raises(UnknownOutcomeException):
            async with asyncio.timeout(5):
                await spot.create_order(symbol='BTCUSDT', side='BUY', type='MARKET', quantity='1')
        async with asyncio.timeout(5):
            await spot.ping()
        assert len(fx.requests_for('order.place')) == 1


async def test_params_are_checked_when_the_call_is_awaited_and_nothing_is_sent(fx):
    async with SpotClient(hmac_creds(fx), **fx.client_kwargs()) as spot:
        await spot.ping()
        sent = len(fx.requests)
        misspelt = spot.get_account(omitZeroBalance=True)  # a coroutine: nothing checked or sent yet
        with pytest.raises(UnknownParamException, match='omitZeroBalances'):
            await misspelt
        floated = spot.create_order(symbol='BTCUSDT', side='BUY', type='LIMIT', timeInForce='GTC', quantity='1',
                                    price=30000.1)  # fmt: skip
        with pytest.raises(FloatParamException):
            await floated
        assert len(fx.requests) == sent


async def test_a_ws_api_host_that_refuses_the_connection_is_charged_no_weight(fx):
    """The handshake's weight is counted once the connection opened: a host that refuses it (nothing reached
    Binance) costs none, and the request that asked for the connection took no budget either."""
    import socket

    from binance import ConnectionFailedException

    with socket.socket() as s:  # a loopback port nothing listens on
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    limiter = RateLimiter(DAY_POOLS)
    kwargs = {**fx.client_kwargs(), 'ws_api_host': f'ws://127.0.0.1:{port}/ws-api/v3'}
    async with SpotClient(rate_limiter=limiter, **kwargs) as spot:
        for _ in range(3):
            with pytest.raises(ConnectionFailedException):
                async with asyncio.timeout(10):
                    await spot.ping()
    assert used(limiter, 'request_weight') == 0
    assert next(w.used for w in limiter.snapshot().windows if w.type == 'raw_requests') == 0
