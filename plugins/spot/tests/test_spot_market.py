"""The Spot plugin on its own: installed alone in its isolated environment, and its market spec."""

import os
import sys
from importlib.metadata import entry_points

import binance
from binance import SpotClient


def test_installed_markets_and_no_foreign_plugin_imported():
    markets = {ep.name for ep in entry_points(group='binance.markets')}
    assert 'spot' in markets
    expected = os.environ.get('BINANCE_EXPECT_MARKETS')
    if expected is not None:  # set by scripts/test for the isolated environment
        assert markets == set(expected.split(','))
        assert not {'binance_usdm', 'binance_coinm'} & set(sys.modules)
        assert list(binance.assembly.clients) == ['SpotClient']


def test_spot_defaults_follow_the_spec():
    spot = SpotClient()
    assert spot.stream_timeout == 30 and spot.request_timeout == 10 and spot.recv_window is None
    assert spot._market_assembly.spec.orderbook.max_limit == 5000
    snap = spot.rate_limit_snapshot()
    by_type = {(w.type, w.interval): w.limit for w in snap.windows}
    assert by_type[('request_weight', '1m')] == 5400  # 6000 used at 90%
    assert by_type[('raw_requests', '5m')] == 300000
    assert by_type[('orders', '10s')] == 100 and by_type[('orders', '1d')] == 200000
