"""UMFuturesClient over REST against the loopback fake exchange: the checks every futures market runs
(``binance_futures.suite.requests.RestChecks``: signing with all three key types after a time sync against
``/fapi/v1/time``, the single re-signed resend after ``-1021`` / ``-5028``, unknown outcomes never re-sent,
MARKET_DATA calls, the endpoint-specific pools) with USDⓈ-M's data, then a full ``/futures/data`` pool, which only
USDⓈ-M's rows draw from."""

import asyncio
import time
from pathlib import Path

from binance import RateLimiter, UMFuturesClient
from binance_core import PoolSpec
from binance_futures.suite.requests import RestChecks
from binance_futures.suite.rows import load_wire
from binance_testing import FakeExchange

WIRE = load_wire(Path(__file__).with_name('wire_cases.py'))


class TestUsdmRest(WIRE.Usdm, RestChecks):
    client = UMFuturesClient


class _Clock:
    def __init__(self, t):
        self.t = t

    def __call__(self):
        return self.t


async def test_a_full_group_pool_delays_its_rows_but_not_the_others():
    # The market's pools with a 2-request /futures/data pool, on a clock 50 ms (of real sleep) before a
    # 5-minute boundary that only moves when the test moves it.
    end = (int(time.time()) // 300 + 10) * 300
    clock = _Clock(end - 0.05)
    pools = tuple(
        PoolSpec(type=p.type, scope=p.scope, interval=p.interval, limit=2, budget=p.budget, group=p.group)
        if p.group == 'futures-data'
        else p
        for p in UMFuturesClient._market_assembly.pools
    )
    async with FakeExchange('usdm') as fx:
        async with UMFuturesClient(rate_limiter=RateLimiter(pools, clock=clock), **fx.client_kwargs()) as um:
            async with asyncio.timeout(10):
                for _ in range(2):
                    await um.get_open_interest_hist(symbol='BTCUSDT', period='1h')
                third = asyncio.create_task(um.get_open_interest_hist(symbol='BTCUSDT', period='1h'))
                while not um.rate_limit_snapshot().pending:
                    await asyncio.sleep(0.001)
                # Other rows, the funding group included, go on meanwhile.
                await um.get_orderbook(symbol='BTCUSDT', limit=5)
                await um.get_funding_rate(symbol='BTCUSDT')
                await asyncio.sleep(0.1)
                assert not third.done() and len(fx.requests_for('GET /futures/data/openInterestHist')) == 2
                clock.t = end  # the 5-minute window rolls over
                await third
        assert len(fx.requests_for('GET /futures/data/openInterestHist')) == 3
