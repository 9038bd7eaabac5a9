"""Hook implementations of the usdm plugin (entry point ``binance.markets: usdm``)."""

from binance_core import hookimpl
from binance_core.assembly import for_markets
from binance_usdm.endpoints import ENDPOINTS
from binance_usdm.market import USDM
from binance_usdm.rate_limits import POOLS


@hookimpl
def binance_markets():
    return (USDM,)


@hookimpl
@for_markets('usdm')
def binance_endpoints(market):
    return ENDPOINTS


@hookimpl
@for_markets('usdm')
def binance_rate_pools(market):
    return POOLS

