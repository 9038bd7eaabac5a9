"""The coinm plugin on its own: with only the core, the futures library, the test kit and this plugin
installed, it runs the checks every futures plugin runs (binance_futures.suite) against the fake exchange.
Its hosts: the hand-written table in hosts.txt."""

import pathlib

from binance import CMFuturesClient
from binance_futures.suite import FuturesCase, FuturesChecks
from binance_testing import FakeExchange

HOSTS = pathlib.Path(__file__).with_name('hosts.txt')


class TestCoinm(FuturesChecks):
    case = FuturesCase(market='coinm', client=CMFuturesClient, rest_root='/dapi', hosts=HOSTS)


def test_one_stream_path_and_the_rest_root_on_the_fake():
    """COIN-M kept ``/ws`` and ``/stream`` (no URL split) and serves REST under ``/dapi/``."""
    fx = FakeExchange('coinm')
    assert (fx.stream_prefixes, fx.rest_prefixes, fx.ws_api_path) == (
        ('',),
        ('/dapi/', '/futures/data/'),
        '/ws-dapi/v1',
    )
