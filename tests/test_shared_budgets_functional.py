"""USDⓈ-M and COIN-M share one IP weight pool and one account order pool since 2026-06-30 (FUTURES-API.md §3):
a UM client and a CM client in one process draw from one counter, each against its own loopback fake exchange."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from binance import CMFuturesClient, RateLimitException, UMFuturesClient
from binance_testing import FakeExchange


@pytest.fixture
async def exchanges() -> AsyncIterator[tuple[FakeExchange, FakeExchange]]:
    async with FakeExchange('usdm') as um, FakeExchange('coinm') as cm:
        yield um, cm


async def clear_of_a_minute_boundary(margin: float = 3.0) -> None:
    """The shared weight window is Binance's calendar minute: a test that fills it must not straddle :00."""
    left = 60 - time.time() % 60
    if left < margin:
        await asyncio.sleep(left + 0.05)


def weight_windows(client: Any) -> list[Any]:
    return [w for w in client.rate_limit_snapshot().windows if w.type == 'request_weight']


async def test_weight_used_through_usdm_throttles_coinm(exchanges: tuple[FakeExchange, FakeExchange]) -> None:
    fx_um, fx_cm = exchanges
    await clear_of_a_minute_boundary()
    async with UMFuturesClient(**fx_um.client_kwargs()) as um, CMFuturesClient(**fx_cm.client_kwargs()) as cm:
        async with asyncio.timeout(5):
            await cm.ping()
            [window] = weight_windows(um)
            # Binance reports the shared counter on every response: it is all but spent.
            fx_um.used_weight = window.limit - 1
            await um.get_server_time()
        [um_window], [cm_window] = weight_windows(um), weight_windows(cm)
        assert um_window.shared and cm_window.shared and um_window.budget == cm_window.budget
        assert um_window.used == cm_window.used == window.limit
        # The COIN-M call has no room left in the one shared minute: it waits instead of going out.
        call = asyncio.create_task(cm.get_exchange_info())
        async with asyncio.timeout(2):
            while not cm.rate_limit_snapshot().throttled:
                await asyncio.sleep(0.01)
        assert not call.done()
        assert fx_cm.requests_for('GET /dapi/v1/exchangeInfo') == []
        assert [w.pending for w in weight_windows(um)] == [1]  # UM sees COIN-M's waiter on the shared pool
        call.cancel()
        await asyncio.gather(call, return_exceptions=True)


async def test_a_429_on_usdm_holds_coinm_back(exchanges: tuple[FakeExchange, FakeExchange]) -> None:
    fx_um, fx_cm = exchanges
    async with UMFuturesClient(**fx_um.client_kwargs()) as um, CMFuturesClient(**fx_cm.client_kwargs()) as cm:
        fx_um.fail_next('GET /fapi/v1/time', -1003, status=429, retry_after=1)
        with pytest.raises(RateLimitException):
            async with asyncio.timeout(5):
                await um.get_server_time()
        snap = cm.rate_limit_snapshot()
        assert snap.retry_after is not None and 0 < snap.retry_after <= 1
        loop = asyncio.get_running_loop()
        started = loop.time()
        async with asyncio.timeout(5):
            await cm.ping()  # held until the shared Retry-After block ends, then sent
        assert loop.time() - started >= 0.5
        assert len(fx_cm.requests_for('GET /dapi/v1/ping')) == 1


async def test_spot_is_not_in_the_futures_budget(exchanges: tuple[FakeExchange, FakeExchange]) -> None:
    from binance import SpotClient

    fx_um, _ = exchanges
    async with UMFuturesClient(**fx_um.client_kwargs()) as um:
        fx_um.fail_next('GET /fapi/v1/time', -1003, status=429, retry_after=1)
        with pytest.raises(RateLimitException):
            async with asyncio.timeout(5):
                await um.get_server_time()
        spot = SpotClient()
        assert spot.rate_limit_snapshot().retry_after is None
        assert not any(w.shared for w in spot.rate_limit_snapshot().windows)
