"""Every row of the assembled USDⓈ-M market against its hand-written transcript (``wire_cases.py``): the checks
every futures market runs (``binance_futures.suite.rows``) with USDⓈ-M's data, then what only USDⓈ-M has."""

from pathlib import Path

from binance import UMFuturesClient
from binance_futures.suite.rows import RowChecks, load_wire
from binance_usdm import endpoints as usdm_module

WIRE = load_wire(Path(__file__).with_name('wire_cases.py'))


class TestUsdmRows(WIRE.Usdm, RowChecks):
    client = UMFuturesClient
    endpoints_module = usdm_module
    # Binance's param-dependent rules of the UM-only rows, at their boundaries (OFF-UM).
    weight_rules = (
        ('get_premium_index', {'symbol': 'BTCUSDT'}, 1),
        ('get_premium_index', {}, 10),
        ('get_ticker_price', {'symbol': 'BTCUSDT'}, 1),
        ('get_ticker_price', {}, 2),
        ('get_open_algo_orders', {}, 40),
        ('get_open_orders', {'symbol': 'BTCUSDT'}, 1),
        ('get_orderbook', {'symbol': 'BTCUSDT', 'limit': 1000}, 20),
        ('get_orderbook', {'symbol': 'BTCUSDT'}, 10),
    )


def test_the_futures_data_pool_is_named_in_the_generated_docs():
    doc = UMFuturesClient.get_open_interest_hist.__doc__
    assert "Also counts one request against the 'futures-data' pool." in doc
