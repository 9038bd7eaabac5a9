"""The plugin-author API of the async Binance SDK core.

A plugin needs only what is exported here: the ``hookimpl`` marker, the row types and
``SecurityType``. Users import from :mod:`binance` instead.
"""

from binance_core.assembly import for_markets
from binance_core.hookspecs import hookimpl
from binance_core.specs import (
    REST,
    WS,
    Endpoint,
    Hosts,
    MarketSpec,
    OrderBookSpec,
    PoolSpec,
    SecurityType,
    StreamType,
    SubParam,
)

__all__ = [
    'REST',
    'WS',
    'Endpoint',
    'Hosts',
    'MarketSpec',
    'OrderBookSpec',
    'PoolSpec',
    'SecurityType',
    'StreamType',
    'SubParam',
    'for_markets',
    'hookimpl',
]
