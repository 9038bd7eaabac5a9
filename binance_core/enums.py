"""Order enums shared by every market (Binance "ENUM Definitions"). Each is a ``str`` enum,
so a member may be passed wherever Binance expects the text."""

from __future__ import annotations

import enum

__all__ = ['OrderSide', 'OrderType', 'TimeInForce']


class OrderSide(enum.StrEnum):
    BUY = 'BUY'
    SELL = 'SELL'


class OrderType(enum.StrEnum):
    LIMIT = 'LIMIT'
    MARKET = 'MARKET'
    STOP_LOSS = 'STOP_LOSS'
    STOP_LOSS_LIMIT = 'STOP_LOSS_LIMIT'
    TAKE_PROFIT = 'TAKE_PROFIT'
    TAKE_PROFIT_LIMIT = 'TAKE_PROFIT_LIMIT'
    LIMIT_MAKER = 'LIMIT_MAKER'


class TimeInForce(enum.StrEnum):
    GTC = 'GTC'
    IOC = 'IOC'
    FOK = 'FOK'
