"""What kind of value each request param takes: the types of generated signatures and editor stubs.

Binance names a param the same way on every endpoint and market (``symbol`` is always text, ``limit`` always
an integer, ``price`` always a decimal), so one table of names serves every row: :data:`KINDS` holds the names
Spot and the futures markets share; a market adds its own with ``MarketSpec.param_kinds`` and a row overrides
one with ``Endpoint.kinds`` (USDⓈ-M ``positionMargin`` takes an INT ``type``). A name nobody types is
:attr:`Kind.ANY`. Kinds describe; the checks before sending are the text and float rules of
:mod:`binance_core.params` and each row's params list.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from volas import TimeFrame

__all__ = ['KINDS', 'Kind', 'kind_of']


class Kind(enum.Enum):
    """A param's kind, from Binance's parameter tables (STRING, ENUM, INT/LONG, DECIMAL, BOOLEAN, ARRAY).

    ``annotation`` is the Python type a caller passes; ``stub`` is the same, spelled for a ``.pyi``.
    """

    TEXT = 'text'  # STRING: a str
    ENUM = 'enum'  # ENUM: a str, or a str enum member (OrderSide.BUY)
    INTERVAL = 'interval'  # a kline interval: '1m' ..., or a volas.TimeFrame
    INT = 'int'  # INT / LONG
    DECIMAL = 'decimal'  # DECIMAL: a str, a Decimal or an int (a whole number of contracts), never a float
    BOOL = 'bool'  # BOOLEAN, or a "true"/"false" STRING
    LIST = 'list'  # ARRAY: a list, sent as a JSON array
    ANY = 'any'  # not typed

    @property
    def annotation(self) -> Any:
        return _ANNOTATIONS[self]

    @property
    def stub(self) -> str:
        return _STUBS[self]


_ANNOTATIONS: dict[Kind, Any] = {
    Kind.TEXT: str,
    Kind.ENUM: str,
    Kind.INTERVAL: str | TimeFrame,
    Kind.INT: int,
    Kind.DECIMAL: str | Decimal | int,
    Kind.BOOL: bool | str,
    Kind.LIST: Sequence[Any] | str,
    Kind.ANY: Any,
}
_STUBS = {
    Kind.TEXT: 'str',
    Kind.ENUM: 'str',
    Kind.INTERVAL: 'str | TimeFrame',
    Kind.INT: 'int',
    Kind.DECIMAL: 'str | Decimal | int',
    Kind.BOOL: 'bool | str',
    Kind.LIST: 'Sequence[Any] | str',
    Kind.ANY: 'Any',
}

_T, _E, _I, _D, _B, _L = Kind.TEXT, Kind.ENUM, Kind.INT, Kind.DECIMAL, Kind.BOOL, Kind.LIST

# The names Binance types the same way on Spot and futures (their "Parameters" tables). Not formatted: a table.
# fmt: off
KINDS: Mapping[str, Kind] = {
    # identifiers and text
    'symbol': _T, 'pair': _T, 'asset': _T, 'marginAsset': _T, 'newClientOrderId': _T, 'origClientOrderId': _T,
    'clientAlgoId': _T, 'listClientOrderId': _T, 'cancelNewClientOrderId': _T, 'cancelOrigClientOrderId': _T,
    'apiKey': _T,
    # Spot klines: "0", "+08:00", "-1:30" or a whole number of hours.
    'timeZone': Kind.ANY,
    # enums
    'side': _E, 'type': _E, 'timeInForce': _E, 'newOrderRespType': _E, 'selfTradePreventionMode': _E,
    'interval': Kind.INTERVAL, 'positionSide': _E, 'workingType': _E, 'priceMatch': _E, 'marginType': _E,
    'contractType': _E, 'period': _E, 'incomeType': _E, 'algoType': _E, 'cancelRestrictions': _E,
    'symbolStatus': _E, 'pegPriceType': _E, 'pegOffsetType': _E, 'orderRateLimitExceededMode': _E,
    'cancelReplaceMode': _E, 'autoCloseType': _E,
    # integers (INT, LONG): ids, times, counts
    'orderId': _I, 'fromId': _I, 'limit': _I, 'startTime': _I, 'endTime': _I,
    # Spot takes fractional milliseconds (up to three decimals) since 2025-08: a decimal, an int as ever.
    'recvWindow': _D,
    'algoId': _I, 'leverage': _I, 'goodTillDate': _I, 'trailingDelta': _I, 'strategyId': _I,
    'strategyType': _I, 'orderListId': _I, 'cancelOrderId': _I, 'preventedMatchId': _I, 'fromPreventedMatchId': _I,
    'modifyId': _I, 'pegOffsetValue': _I, 'page': _I,
    # decimals
    'price': _D, 'quantity': _D, 'quoteOrderQty': _D, 'stopPrice': _D, 'icebergQty': _D, 'triggerPrice': _D,
    'activatePrice': _D, 'activationPrice': _D, 'callbackRate': _D, 'amount': _D,
    # booleans (or "true"/"false" text)
    'reduceOnly': _B, 'closePosition': _B, 'priceProtect': _B, 'dualSidePosition': _B, 'multiAssetsMargin': _B,
    'computeCommissionRates': _B, 'omitZeroBalances': _B,
    # lists, sent as JSON arrays
    'symbols': _L, 'batchOrders': _L, 'orderIdList': _L, 'origClientOrderIdList': _L, 'permissions': _L,
}
# fmt: on


def kind_of(name: str, row_kinds: Mapping[str, Kind], market_kinds: Mapping[str, Kind]) -> Kind:
    """The kind of param *name*: the row's override, else the market's, else :data:`KINDS`, else ``ANY``."""
    return row_kinds.get(name) or market_kinds.get(name) or KINDS.get(name, Kind.ANY)
