"""Checks every futures plugin's own test suite runs, written once.

A plugin's test module imports the ``test_*`` functions it wants and defines a ``futures_case``
fixture returning a :class:`FuturesCase`; pytest collects the imported tests there. What differs
per market (hosts, tables) stays hand-written in the plugin's own tests.
"""

from __future__ import annotations

import asyncio
import os
from importlib.metadata import entry_points
from typing import Any

import attrs
import pytest

from binance_core.credentials import Credentials
from binance_core.specs import SecurityType
from binance_core.testing import FakeExchange

__all__ = [
    'FuturesCase',
    'test_demo_without_a_ws_api_host_fails_clearly',
    'test_general_endpoints_over_rest',
    'test_installed_markets',
    'test_rate_pools_are_the_futures_ones',
    'test_rest_escape_hatch_signs',
]


@attrs.frozen(kw_only=True)
class FuturesCase:
    """The market under test: its name, client class and REST root (``'/fapi'``)."""

    market: str
    client: Any
    rest_root: str


def test_installed_markets(futures_case: FuturesCase) -> None:
    markets = {ep.name for ep in entry_points(group='binance.markets')}
    assert futures_case.market in markets
    expected = os.environ.get('BINANCE_EXPECT_MARKETS')
    if expected is not None:  # set by scripts/test for the isolated environment
        assert markets == set(expected.split(','))


async def test_demo_without_a_ws_api_host_fails_clearly(futures_case: FuturesCase) -> None:
    client = futures_case.client(environment='demo')
    with pytest.raises(ValueError, match='no WebSocket API host'):
        client._ws_api_transport()
    await client.close()


async def test_general_endpoints_over_rest(futures_case: FuturesCase) -> None:
    root = futures_case.rest_root
    async with FakeExchange(futures_case.market) as fx:
        fx.skew_ms = 2500
        async with futures_case.client(**fx.client_kwargs()) as client:
            async with asyncio.timeout(5):
                assert await client.ping() == {}
                server = await client.get_server_time()
                info = await client.get_exchange_info()
        assert abs(server['serverTime'] - fx.server_time()) < 1000
        assert 'rateLimits' in info
        assert [r.method for r in fx.requests] == [
            f'GET {root}/v1/ping', f'GET {root}/v1/time', f'GET {root}/v1/exchangeInfo',
        ]
        assert client.used_weight['1m'] >= 3


async def test_rest_escape_hatch_signs(futures_case: FuturesCase) -> None:
    path = f'{futures_case.rest_root}/v2/balance'
    async with FakeExchange(futures_case.market) as fx:
        fx.add_key('k', secret='s')
        fx.rest_route('GET', path, lambda req: [{'asset': 'USDT', 'balance': '10'}])
        async with futures_case.client(Credentials('k', api_secret='s'), **fx.client_kwargs()) as client:
            result = await client.get(path, security_type=SecurityType.USER_DATA)
        assert result == [{'asset': 'USDT', 'balance': '10'}]
        sent = fx.requests_for(f'GET {path}')[0]
        assert 'signature' in sent.params and sent.headers['X-MBX-APIKEY'] == 'k'


def test_rate_pools_are_the_futures_ones(futures_case: FuturesCase) -> None:
    snap = futures_case.client().rate_limit_snapshot()
    weight = [w for w in snap.windows if w.type == 'request_weight']
    assert [(w.interval, w.limit) for w in weight] == [('1m', 2160)]  # 2400 used at 90%
