"""Checks every futures plugin's own test suite runs, written once.

A plugin's test module subclasses :class:`FuturesChecks` as ``Test<Market>`` with ``case = FuturesCase(...)``;
pytest collects the inherited tests there. What differs per market stays hand-written in the plugin's own
tests: its hosts, literally, in ``tests/hosts.txt``.
Imported only by tests (it needs pytest and the test kit, ``binance-sdk-testing``).
"""

from __future__ import annotations

import asyncio
import os
import pathlib
from importlib.metadata import entry_points
from typing import Any

import attrs
import pytest

import binance
from binance_core import WS, Endpoint, SecurityType, hookimpl
from binance_core.assembly import assemble
from binance_core.credentials import Credentials
from binance_core.plugins import make_plugin_manager
from binance_futures.rate_limits import FUTURES_BUDGET
from binance_testing import FakeExchange

__all__ = ['FuturesCase', 'FuturesChecks']

# pytest rewrites asserts only in test modules and in modules registered before their first import: the shared
# checks live here, in the library, so register them (this package's __init__ runs before any of them loads).
pytest.register_assert_rewrite(
    *(
        f'binance_futures.suite.{name}'
        for name in ('rows', 'requests', 'streams', 'userdata', 'orderbook', 'simulation')
    )
)


@attrs.frozen(kw_only=True)
class FuturesCase:
    """The market under test.

    Attributes:
        market: its name (``'usdm'``).
        client: its client class.
        rest_root: its REST root (``'/fapi'``).
        hosts: a hand-written table, one line per environment: ``<environment> <rest> <ws_api or -> <stream>``
            (``#`` starts a comment), copied from Binance's docs, never from the plugin.
    """

    market: str
    client: Any
    rest_root: str
    hosts: pathlib.Path


def _host_table(path: pathlib.Path) -> dict[str, tuple[str, str | None, str]]:
    table = {}
    for line in path.read_text(encoding='utf-8').splitlines():
        words = line.partition('#')[0].split()
        if words:
            env, rest, ws_api, stream = words
            table[env] = (rest, None if ws_api == '-' else ws_api, stream)
    return table


class _WsRow:
    """A third-party plugin adding one WS-API row to the market under test: the public way to make a WS-API
    call on a futures client before the futures plugins declare WS-API rows of their own."""

    def __init__(self, market: str) -> None:
        self.market = market

    @hookimpl
    def binance_endpoints(self, market: Any) -> Any:
        row = Endpoint(name='get_probe', call=WS('time'), security=SecurityType.NONE)
        return (row,) if market.name == self.market else ()


class FuturesChecks:
    """The shared checks. A plugin's test module subclasses this as ``Test<Market>`` and sets ``case``; pytest
    collects the inherited ``test_*`` methods there (this class itself is not collected: no ``Test`` prefix)."""

    case: FuturesCase

    def test_installed_markets(self) -> None:
        markets = {ep.name for ep in entry_points(group='binance.markets')}
        assert self.case.market in markets
        expected = os.environ.get('BINANCE_EXPECT_MARKETS')
        if expected is not None:  # set by scripts/test for the isolated environment
            assert markets == set(expected.split(','))

    def test_environments_resolve_every_host(self) -> None:
        expected = _host_table(self.case.hosts)
        assert set(expected) == {'live', 'testnet', 'demo'}
        for env, hosts in expected.items():
            client = self.case.client(environment=env)
            assert (client.rest_host, client.ws_api_host, client.stream_host) == hosts, env
        # No demo WS-API host is documented; never silently the testnet's.
        assert expected['demo'][1] is None

    async def test_demo_without_a_ws_api_host_fails_clearly(self) -> None:
        client = self.case.client(environment='demo')
        assert client.ws_api_host is None
        await client.close()
        cls = assemble(make_plugin_manager([_WsRow(self.case.market)])).markets[self.case.market].client_class
        assert cls is not None
        async with cls(environment='demo') as probe:
            with pytest.raises(ValueError, match='no WebSocket API host'):
                await probe.get_probe()

    async def test_general_endpoints_over_rest(self) -> None:
        root = self.case.rest_root
        async with FakeExchange(self.case.market) as fx:
            fx.skew_ms = 2500
            async with self.case.client(**fx.client_kwargs()) as client:
                async with asyncio.timeout(5):
                    assert await client.ping() == {}
                    server = await client.get_server_time()
                    info = await client.get_exchange_info()
            assert abs(server['serverTime'] - fx.server_time()) < 1000
            assert 'rateLimits' in info
            assert [r.method for r in fx.requests] == [
                f'GET {root}/v1/ping',
                f'GET {root}/v1/time',
                f'GET {root}/v1/exchangeInfo',
            ]
            assert client.used_weight['1m'] >= 3

    async def test_rest_escape_hatch_signs(self) -> None:
        path = f'{self.case.rest_root}/v2/balance'
        async with FakeExchange(self.case.market) as fx:
            fx.add_key('k', secret='s')
            fx.rest_route('GET', path, lambda req: [{'asset': 'USDT', 'balance': '10'}])
            async with self.case.client(Credentials('k', api_secret='s'), **fx.client_kwargs()) as client:
                result = await client.get(path, security_type=SecurityType.USER_DATA)
            assert result == [{'asset': 'USDT', 'balance': '10'}]
            sent = fx.requests_for(f'GET {path}')[0]
            assert 'signature' in sent.params and sent.headers['X-MBX-APIKEY'] == 'k'

    def test_rate_pools_are_the_futures_ones(self) -> None:
        pools = binance.assembly.markets[self.case.market].pools
        rows = {(p.type, p.interval, p.group): (p.scope, p.limit, p.budget) for p in pools}
        assert rows == {
            ('request_weight', '1m', None): ('ip', 2400, FUTURES_BUDGET),
            ('orders', '10s', None): ('account', 300, FUTURES_BUDGET),  # COIN-M too, since 2026-06-30
            ('orders', '1m', None): ('account', 1200, FUTURES_BUDGET),
            ('ws_connections', '5m', None): ('ip', 290, FUTURES_BUDGET),
            ('ws_messages', '1s', None): ('connection', 10, None),
            ('ws_streams', None, None): ('connection', 200, None),  # futures: 200 streams per connection, not 1024
            # Their own 5-minute pools: /futures/data/* 1000 requests, fundingRate + fundingInfo 500 (per IP).
            ('raw_requests', '5m', 'futures-data'): ('ip', 1000, FUTURES_BUDGET),
            ('raw_requests', '5m', 'funding'): ('ip', 500, FUTURES_BUDGET),
        }
        snap = self.case.client().rate_limit_snapshot()
        limits = {(w.type, w.interval): w.limit for w in snap.windows}
        assert limits[('request_weight', '1m')] == 2160  # 2400 used at 90%
        assert limits[('orders', '10s')] == 300 and limits[('orders', '1m')] == 1200
