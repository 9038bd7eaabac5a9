"""What ``binance`` exports, and the ``python -m binance`` command line."""

import subprocess
import sys

import binance
import binance_core


def _isort_key(name):
    """ruff's RUF022 order: CONSTANTS, then Classes, then functions."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def test_all_is_sorted_and_complete():
    assert binance.__all__ == sorted(binance.__all__)  # computed with sorted() from the assembly
    for name in binance.__all__:
        assert getattr(binance, name) is not None, name
    assert binance_core.__all__ == sorted(binance_core.__all__, key=_isort_key)
    for name in binance_core.__all__:
        assert hasattr(binance_core, name)


def test_spec_names_are_exported():
    for name in (
        'Credentials',
        'SpotClient',
        'UMFuturesClient',
        'CMFuturesClient',
        'SubType',
        'TimeFrame',
        'OrderSide',
        'OrderType',
        'TimeInForce',
        'SecurityType',
        'RateLimitSnapshot',
        'RateLimitWindow',
        'RateLimiter',
        'OrderBook',
        'OrderBookHandlerBase',
        'HandlerExceptionHandlerBase',
        'StreamErrorHandlerBase',
        'StreamSubscribeException',
        'StreamRateLimitException',
        'RateLimitException',
        'IPBannedException',
        'StatusException',
        'RateLimitReachedException',
        'TooManyStreamsException',
        'InvalidSubParamsException',
        'UnsupportedSubTypeException',
        'InvalidSubTypeParamException',
        'StreamAbandonedException',
        'ReuseHandlerException',
        'PositionSide',
        'FuturesOrderType',
        'FuturesTimeInForce',
        'WorkingType',
        'MarginType',
    ):
        assert name in binance.__all__, name
    from binance.futures.enums import FuturesOrderType, FuturesTimeInForce

    assert FuturesOrderType.STOP_MARKET == 'STOP_MARKET' and FuturesTimeInForce.GTX == 'GTX'


def test_cli_lists_markets_distributions_and_counts():
    out = subprocess.run([sys.executable, '-m', 'binance', 'plugins'], capture_output=True, text=True, check=True)
    text = out.stdout
    assert "spot  [binance.markets]  distribution binance-market-spot: market 'spot' (SpotClient)" in text
    assert 'distribution binance-market-usdm' in text and 'distribution binance-market-coinm' in text
    spot = binance.SpotClient._market_assembly
    counts = f'{len(spot.endpoints) - 1} endpoints, {len(spot.stream_types)} stream types'
    assert counts in text  # the example plugin's endpoint is counted under its own line
    assert 'example  [binance.plugins]  distribution binance-example-plugin: extension' in text
    assert 'spot: 1 endpoints, 0 stream types, 1 handler bases' in text
