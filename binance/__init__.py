"""The async Binance SDK: ``SpotClient``, ``UMFuturesClient``, ``CMFuturesClient`` and friends.

This module is a facade. On import it assembles the clients, ``SubType``, the handler bases and
the plugins' enums (``FuturesOrderType`` and friends come with the futures plugins) from whatever
market plugins are installed; it holds no logic of its own.
"""

from __future__ import annotations

from typing import Any

# ``X as X``: an explicit re-export, which type checkers honour (``__all__`` below is computed).
from volas import TimeFrame as TimeFrame

from binance_core.assembly import assemble as _assemble
from binance_core.catalog import MARKETS as _MARKETS
from binance_core.credentials import Credentials as Credentials
from binance_core.enums import OrderSide as OrderSide
from binance_core.enums import OrderType as OrderType
from binance_core.enums import TimeInForce as TimeInForce
from binance_core.exceptions import *  # noqa: F403  (the exception hierarchy is public API)
from binance_core.exceptions import __all__ as _exception_names
from binance_core.handlers.errors import HandlerExceptionHandlerBase as HandlerExceptionHandlerBase
from binance_core.handlers.errors import StreamErrorHandlerBase as StreamErrorHandlerBase
from binance_core.lazy import lazy_exports
from binance_core.specs import SecurityType as SecurityType
from binance_core.transport.retry import RetryInfo as RetryInfo

# Which distribution provides each client, for the ImportError of a missing one.
_CLIENT_DISTRIBUTIONS = dict(_MARKETS.values())
# Exported, and imported from their modules on first use: a client imports the rate limiter when it is made, a
# handler base's books the order book when they need it; a program that makes neither never loads them.
_LAZY = {
    'OrderBook': 'binance_core.orderbook.managed',
    'RateLimitSnapshot': 'binance_core.rate_limit',
    'RateLimitWindow': 'binance_core.rate_limit',
    'RateLimiter': 'binance_core.rate_limit',
}
_lazy, __dir__ = lazy_exports(__name__, _LAZY)


# Defined before the assembly below: a plugin it loads may import these names from `binance` (partially
# initialised then).
def __getattr__(name: str) -> Any:
    if name == 'OrderBookFetchAbandonedException':  # built on first use: it subclasses aiohttp.ClientError
        from binance_core import exceptions

        return exceptions.OrderBookFetchAbandonedException
    if name in _LAZY:
        return _lazy(name)
    dist = _CLIENT_DISTRIBUTIONS.get(name)
    if dist is not None:
        raise ImportError(
            f'{name} needs the market plugin {dist!r}, which is not installed: pip install {dist}',
            name='binance',
        )
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


assembly = _assemble()
# Assembled at import: every member of the spec whatever is installed, and any a plugin adds. Type checkers
# read the members from the generated stub, __init__.pyi.
SubType: Any = assembly.sub_type
globals().update(assembly.clients)
globals().update(assembly.handler_bases)
globals().update(assembly.enums)

__all__ = sorted(
    {  # a set: a plugin may also export a name the core exports
        'Credentials',
        'OrderSide',
        'OrderType',
        'RateLimitSnapshot',
        'RateLimitWindow',
        'RateLimiter',
        'SecurityType',
        'SubType',
        'TimeFrame',
        'TimeInForce',
        'assembly',
        'OrderBook',
        'OrderBookFetchAbandonedException',
        'HandlerExceptionHandlerBase',
        'StreamErrorHandlerBase',
        'RetryInfo',
        *_exception_names,
        *assembly.clients,
        *assembly.handler_bases,
        *assembly.enums,
    }
)
