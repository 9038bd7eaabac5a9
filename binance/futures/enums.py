"""Futures order enums, also importable from :mod:`binance` when a futures plugin is installed. They live in
the futures library (``binance-futures-common``), which comes with binance-market-usdm and -coinm."""

try:
    from binance_futures.enums import FuturesOrderType, FuturesTimeInForce, MarginType, PositionSide, WorkingType
except ModuleNotFoundError as exc:  # only the futures library missing; anything else is a real error
    if exc.name != 'binance_futures' and not (exc.name or '').startswith('binance_futures.'):
        raise
    raise ImportError(
        'binance.futures.enums needs the futures library binance-futures-common, which is not installed; it comes '
        'with binance-market-usdm / binance-market-coinm: pip install binance-market-usdm',
        name=__name__,
    ) from exc

__all__ = ['FuturesOrderType', 'FuturesTimeInForce', 'MarginType', 'PositionSide', 'WorkingType']
