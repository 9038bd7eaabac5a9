"""The usdm plugin on its own: its market, its general endpoints over REST against the fake
exchange, and that nothing but the core and this plugin had to be installed."""

import asyncio
import os
from importlib.metadata import entry_points

import pytest

from binance import Credentials, RateLimitReachedException, UMFuturesClient
from binance_core.testing import FakeExchange


def test_installed_markets():
    markets = {ep.name for ep in entry_points(group='binance.markets')}
    assert 'usdm' in markets
    expected = os.environ.get('BINANCE_EXPECT_MARKETS')
    if expected is not None:  # set by scripts/test for the isolated environment
        assert markets == set(expected.split(','))


def test_environments_resolve_every_host():
    live = UMFuturesClient()
    assert live.rest_host == 'https://fapi.binance.com'
    assert live.ws_api_host == 'wss://ws-fapi.binance.com/ws-fapi/v1'
    assert live.stream_host == 'wss://fstream.binance.com'
    testnet = UMFuturesClient(environment='testnet')
    assert testnet.rest_host == 'https://testnet.binancefuture.com'
    assert testnet.ws_api_host == 'wss://testnet.binancefuture.com/ws-fapi/v1'
    demo = UMFuturesClient(environment='demo')
    assert demo.rest_host == 'https://demo-fapi.binance.com'
    assert demo.ws_api_host is None  # none is documented; never silently the testnet's


async def test_demo_without_a_ws_api_host_fails_clearly_and_sends_nothing():
    client = UMFuturesClient(environment='demo')
    with pytest.raises(ValueError, match='no WebSocket API host'):
        client._ws_api_transport()
    await client.close()


async def test_general_endpoints_over_rest():
    async with FakeExchange('usdm') as fx:
        fx.skew_ms = 2500
        async with UMFuturesClient(**fx.client_kwargs()) as client:
            async with asyncio.timeout(5):
                assert await client.ping() == {}
                server = await client.get_server_time()
                info = await client.get_exchange_info()
        assert abs(server['serverTime'] - fx.server_time()) < 1000
        assert 'rateLimits' in info
        assert [r.method for r in fx.requests] == [
            'GET /fapi/v1/ping', 'GET /fapi/v1/time', 'GET /fapi/v1/exchangeInfo',
        ]
        assert client.used_weight['1m'] >= 3


async def test_rest_escape_hatch_signs_with_the_same_credentials():
    async with FakeExchange('usdm') as fx:
        fx.add_key('k', secret='s')
        fx.rest_route('GET', '/fapi/v2/balance', lambda req: [{'asset': 'USDT', 'balance': '10'}])
        from binance import SecurityType

        async with UMFuturesClient(Credentials('k', api_secret='s'), **fx.client_kwargs()) as client:
            result = await client.get('/fapi/v2/balance', security_type=SecurityType.USER_DATA)
        assert result == [{'asset': 'USDT', 'balance': '10'}]
        sent = fx.requests_for('GET /fapi/v2/balance')[0]
        assert 'signature' in sent.params and sent.headers['X-MBX-APIKEY'] == 'k'


def test_rate_pools_are_this_markets():
    snap = UMFuturesClient().rate_limit_snapshot()
    weight = [w for w in snap.windows if w.type == 'request_weight']
    assert [(w.interval, w.limit) for w in weight] == [('1m', 2160)]  # 2400 used at 90%
    assert RateLimitReachedException.__name__ == 'RateLimitReachedException'
