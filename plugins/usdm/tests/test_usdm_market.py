"""The usdm plugin on its own: the checks every futures plugin runs (binance_futures.suite) against the
fake exchange, with only the core, the futures library, the test kit and this plugin installed; its hosts
are the hand-written table in hosts.txt."""

import pathlib

from binance import UMFuturesClient
from binance_futures.suite import FuturesCase, FuturesChecks
from binance_testing import FakeExchange


class TestUsdm(FuturesChecks):
    case = FuturesCase(
        market='usdm',
        client=UMFuturesClient,
        rest_root='/fapi',
        hosts=pathlib.Path(__file__).with_name('hosts.txt'),
    )


def test_streams_route_by_category_on_the_fake():
    """USDⓈ-M alone split its stream URLs (WSN, 2026-04-23): the fake serves the three new prefixes."""
    assert FakeExchange('usdm').stream_prefixes == ('/public', '/market', '/private')
