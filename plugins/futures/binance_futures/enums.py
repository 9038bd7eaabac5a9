"""Futures order enums (Binance derivatives "Common Definition"). ``str`` enums, so members
may be passed wherever Binance expects the text."""

from __future__ import annotations

import enum

__all__ = ['FuturesOrderType', 'FuturesTimeInForce', 'MarginType', 'PositionSide', 'WorkingType']


class PositionSide(enum.StrEnum):
    BOTH = 'BOTH'
    LONG = 'LONG'
    SHORT = 'SHORT'


class FuturesOrderType(enum.StrEnum):
    LIMIT = 'LIMIT'
    MARKET = 'MARKET'
    STOP = 'STOP'
    STOP_MARKET = 'STOP_MARKET'
    TAKE_PROFIT = 'TAKE_PROFIT'
    TAKE_PROFIT_MARKET = 'TAKE_PROFIT_MARKET'
    TRAILING_STOP_MARKET = 'TRAILING_STOP_MARKET'


class FuturesTimeInForce(enum.StrEnum):
    GTC = 'GTC'
    IOC = 'IOC'
    FOK = 'FOK'
    GTX = 'GTX'
    GTD = 'GTD'
    RPI = 'RPI'


class WorkingType(enum.StrEnum):
    MARK_PRICE = 'MARK_PRICE'
    CONTRACT_PRICE = 'CONTRACT_PRICE'


class MarginType(enum.StrEnum):
    ISOLATED = 'ISOLATED'
    CROSSED = 'CROSSED'
