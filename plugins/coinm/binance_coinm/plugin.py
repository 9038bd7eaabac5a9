"""Hook implementations of the coinm plugin (entry point ``binance.markets: coinm``)."""

from binance_coinm.endpoints import ENDPOINTS
from binance_coinm.market import COINM
from binance_coinm.rate_limits import POOLS
from binance_core import hookimpl
from binance_core.assembly import for_markets


@hookimpl
def binance_markets():
    return (COINM,)


@hookimpl
@for_markets('coinm')
def binance_endpoints(market):
    return ENDPOINTS


@hookimpl
@for_markets('coinm')
def binance_rate_pools(market):
    return POOLS

