"""Futures order enums, also importable from :mod:`binance`."""

from binance_core.futures.enums import FuturesOrderType, FuturesTimeInForce, MarginType, PositionSide, WorkingType

__all__ = ['FuturesOrderType', 'FuturesTimeInForce', 'MarginType', 'PositionSide', 'WorkingType']
