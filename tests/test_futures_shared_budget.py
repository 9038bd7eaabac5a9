"""A UMFuturesClient and a CMFuturesClient in one process draw from one IP weight budget and, for one API key, one
account order budget (Binance counts USDⓈ-M and COIN-M together since 2026-06-30: FUTURES-API.md §3, CMUM A.3),
each client against its own loopback fake exchange, in one event loop. Needs both futures plugins (the full
environment); tests/test_shared_budgets_functional.py covers the shared 429/418 hold and a waiting weight call."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from binance import (
    CMFuturesClient,
    Credentials,
    RateLimiter,
    RateLimitReachedException,
    StreamRateLimitException,
    UMFuturesClient,
)
from binance_testing import FakeExchange

KEY = Credentials('one-account', api_secret='its-secret')  # one Binance API key trades both markets
UM_ORDER = {'symbol': 'BTCUSDT', 'side': 'BUY', 'type': 'LIMIT', 'timeInForce': 'GTC', 'quantity': '0.010',
            'price': '43187.00'}  # fmt: skip
CM_ORDER = {'symbol': 'BTCUSD_PERP', 'side': 'BUY', 'type': 'LIMIT', 'timeInForce': 'GTC', 'quantity': '2',
            'price': '43187.0'}  # fmt: skip


@pytest.fixture
async def exchanges() -> AsyncIterator[tuple[FakeExchange, FakeExchange]]:
    async with FakeExchange('usdm') as um, FakeExchange('coinm') as cm:
        for fx in (um, cm):
            fx.add_key('one-account', secret='its-secret')
            fx.add_key('another-account', secret='its-secret')
        yield um, cm


class _Clock:
    """Epoch seconds that move only when the test moves them (both limiters read the same one)."""

    def __init__(self, t: float) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


async def clear_of_a_minute_boundary(margin: float = 2.0) -> None:
    """The fakes count weight per calendar minute, as Binance does: a test reading their counts must not
    straddle :00."""
    left = 60 - time.time() % 60
    if left < margin:
        await asyncio.sleep(left + 0.05)


def window(client: Any, kind: str, interval: str) -> Any:
    [w] = [w for w in client.rate_limit_snapshot().windows if (w.type, w.interval, w.group) == (kind, interval, None)]
    return w


async def test_weight_spent_on_one_market_shows_in_the_others_snapshot(
    exchanges: tuple[FakeExchange, FakeExchange],
) -> None:
    fx_um, fx_cm = exchanges
    await clear_of_a_minute_boundary()
    async with UMFuturesClient(**fx_um.client_kwargs()) as um, CMFuturesClient(**fx_cm.client_kwargs()) as cm:
        gate = asyncio.Event()

        async def held(req: Any) -> Any:
            await gate.wait()
            return []

        fx_um.set_response('GET /fapi/v1/ticker/24hr', held)
        async with asyncio.timeout(5):
            # In flight, before any answer: the 40 a UM ticker without a symbol costs is counted where COIN-M looks.
            call = asyncio.create_task(um.get_ticker())
            try:
                while not fx_um.requests_for('GET /fapi/v1/ticker/24hr'):
                    await asyncio.sleep(0.001)
                pre = window(cm, 'request_weight', '1m')
            finally:
                gate.set()  # a failing check must not leave the fake holding its answer
            await call
            assert (pre.used, pre.source, pre.shared) == (40, 'client', True)
            # Answered: Binance's count of the shared minute (the UM fake's header) is COIN-M's count too.
            after = window(cm, 'request_weight', '1m')
            assert (after.used, after.source) == (fx_um.used_weight, 'header') == (40, 'header')
            # COIN-M spends 10 (premiumIndex, flat). Binance counts both hosts in one counter: the COIN-M fake
            # stands for the same Binance, so it goes on from the count UM's fake reported.
            fx_cm.used_weight = fx_um.used_weight
            await cm.get_premium_index()
        assert window(um, 'request_weight', '1m').used == window(cm, 'request_weight', '1m').used == 50
        assert [r.method for r in fx_cm.requests] == ['GET /dapi/v1/premiumIndex']  # no UM call reached COIN-M


async def test_orders_on_both_markets_fill_one_order_pool_and_the_next_is_refused_before_sending(
    exchanges: tuple[FakeExchange, FakeExchange],
) -> None:
    fx_um, fx_cm = exchanges
    # Each fake counts only its own market's orders, while Binance counts both markets' orders of an account in
    # one pool and reports that count. So that a half count from one fake does not overwrite the shared one, the
    # fakes report no order count here: the client's own shared count is what decides.
    fx_um.order_limits = fx_cm.order_limits = ()
    minute = (int(time.time()) // 60 + 1) * 60
    clock = _Clock(minute + 0.5)  # both limiters: windows roll only when the test moves the clock
    um_limiter, cm_limiter = RateLimiter(clock=clock), RateLimiter(clock=clock)
    async with (
        UMFuturesClient(KEY, rate_limiter=um_limiter, **fx_um.client_kwargs()) as um,
        CMFuturesClient(KEY, rate_limiter=cm_limiter, **fx_cm.client_kwargs()) as cm,
    ):

        async def fill_ten_seconds() -> None:
            """300 orders, the 10 s limit: 60 batches of five, alternately on UM and CM."""
            for n in range(60):
                client, order = (um, UM_ORDER) if n % 2 == 0 else (cm, CM_ORDER)
                await client.create_batch_orders(batchOrders=[order] * 5)

        async with asyncio.timeout(30):
            await fill_ten_seconds()
            for client in (um, cm):
                assert (window(client, 'orders', '10s').used, window(client, 'orders', '1m').used) == (300, 300)
            # Full: an order on either market is refused before it leaves, over the WS-API or REST alike.
            sent = len(fx_um.requests), len(fx_cm.requests)
            with pytest.raises(RateLimitReachedException) as on_um:
                await um.create_order(**UM_ORDER)
            with pytest.raises(RateLimitReachedException) as on_cm:
                await cm.create_algo_order(
                    algoType='CONDITIONAL', symbol='BTCUSD_PERP', side='SELL', type='STOP_MARKET', quantity='2',
                    triggerPrice='40000.0',
                )  # fmt: skip
            assert on_um.value.pool == on_cm.value.pool == 'orders 10s'
            assert (len(fx_um.requests), len(fx_cm.requests)) == sent and fx_um.ws_api_connections == 0
            # What places no order still goes; so do orders of another account (order pools are per API key).
            await cm.get_open_orders(symbol='BTCUSD_PERP')
            other = Credentials('another-account', api_secret='its-secret')
            async with CMFuturesClient(other, rate_limiter=RateLimiter(clock=clock), **fx_cm.client_kwargs()) as cm2:
                await cm2.create_batch_orders(batchOrders=[CM_ORDER])

            # The minute pool: three more 10-second windows of 300 bring the account to 1200, the 1 min limit.
            for _ in range(3):
                clock.t += 10
                await fill_ten_seconds()
            clock.t += 10  # a fresh 10 s window, still in the same minute
            assert window(cm, 'orders', '10s').used == 0 and window(um, 'orders', '1m').used == 1200
            sent = len(fx_um.requests), len(fx_cm.requests)
            with pytest.raises(RateLimitReachedException) as on_cm:
                await cm.create_batch_orders(batchOrders=[CM_ORDER])
            with pytest.raises(RateLimitReachedException) as on_um:
                await um.create_order(**UM_ORDER)
            assert on_um.value.pool == on_cm.value.pool == 'orders 1m'
            assert (len(fx_um.requests), len(fx_cm.requests)) == sent
        placed = (
            len(fx_um.requests_for('POST /fapi/v1/batchOrders')),
            len(fx_cm.requests_for('POST /dapi/v1/batchOrders')),
        )
        assert placed == (120, 120 + 1)  # the account's 1200 orders, half on each market, and the other account's one


async def test_a_too_many_orders_answer_on_one_market_holds_the_accounts_orders_on_the_other(
    exchanges: tuple[FakeExchange, FakeExchange],
) -> None:
    """-1015 is about the account's order count, which both markets share: after USDⓈ-M answers it, a COIN-M
    order of the same API key fails fast without being sent; reads go on, and another account is not held."""
    fx_um, fx_cm = exchanges
    async with (
        UMFuturesClient(KEY, **fx_um.client_kwargs()) as um,
        CMFuturesClient(KEY, **fx_cm.client_kwargs()) as cm,
        CMFuturesClient(Credentials('another-account', api_secret='its-secret'), **fx_cm.client_kwargs()) as other,
    ):
        async with asyncio.timeout(10):
            await cm.get_server_time()  # bound to the loop's budgets before the hold
            fx_um.fail_next('order.place', -1015, status=429, retry_after=5)
            with pytest.raises(StreamRateLimitException) as refused:
                await um.create_order(**UM_ORDER)
            assert refused.value.code == -1015
            with pytest.raises(RateLimitReachedException, match='-1015'):
                await cm.create_order(**CM_ORDER)
            assert fx_cm.requests_for('order.place') == []  # refused before sending
            await cm.get_open_orders(symbol='BTCUSD_PERP')  # reads are not held
            await other.create_order(**CM_ORDER)  # another account's orders go out
    assert len(fx_cm.requests_for('order.place')) == 1
