"""The plugin-author API of the async Binance SDK core.

A plugin needs only what is exported here: the ``hookimpl`` marker and ``for_markets``, the row
types and ``SecurityType``, and the contract of what crosses the hooks (a user-data flow and its
factory, the services the core hands a flow, a sequencing rule and its verdicts). Users import
from :mod:`binance` instead.
"""

from binance_core.assembly import for_markets
from binance_core.context import RequestContext
from binance_core.hookspecs import UserDataFlow, UserDataFlowFactory, hookimpl
from binance_core.orderbook.sequencing import APPLY, DROP, GAP, SequencingRule, Verdict
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
from binance_core.userdata import UserDataServices

__all__ = [
    'APPLY',
    'DROP',
    'GAP',
    'REST',
    'WS',
    'Endpoint',
    'Hosts',
    'MarketSpec',
    'OrderBookSpec',
    'PoolSpec',
    'RequestContext',
    'SecurityType',
    'SequencingRule',
    'StreamType',
    'SubParam',
    'UserDataFlow',
    'UserDataFlowFactory',
    'UserDataServices',
    'Verdict',
    'for_markets',
    'hookimpl',
]
