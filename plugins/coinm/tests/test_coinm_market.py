"""The coinm plugin on its own: its hosts, plus the checks every futures plugin runs
(binance_core.futures.suite) against the fake exchange with only the core and this plugin installed."""

import pytest

from binance import CMFuturesClient
from binance_core.futures.suite import (  # collected here by pytest
    FuturesCase,
    test_demo_without_a_ws_api_host_fails_clearly,  # noqa: F401
    test_general_endpoints_over_rest,  # noqa: F401
    test_installed_markets,  # noqa: F401
    test_rate_pools_are_the_futures_ones,  # noqa: F401
    test_rest_escape_hatch_signs,  # noqa: F401
)


@pytest.fixture
def futures_case():
    return FuturesCase(market='coinm', client=CMFuturesClient, rest_root='/dapi')


def test_environments_resolve_every_host():
    live = CMFuturesClient()
    assert live.rest_host == 'https://dapi.binance.com'
    assert live.ws_api_host == 'wss://ws-dapi.binance.com/ws-dapi/v1'
    assert live.stream_host == 'wss://dstream.binance.com'
    testnet = CMFuturesClient(environment='testnet')
    assert testnet.rest_host == 'https://testnet.binancefuture.com'
    assert testnet.ws_api_host == 'wss://testnet.binancefuture.com/ws-dapi/v1'
    demo = CMFuturesClient(environment='demo')
    assert demo.rest_host == 'https://demo-dapi.binance.com'
    assert demo.ws_api_host is None  # none is documented; never silently the testnet's
