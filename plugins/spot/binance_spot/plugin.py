"""Hook implementations of the Spot plugin (entry point ``binance.markets: spot``)."""

from binance_core import hookimpl
from binance_core.assembly import for_markets
from binance_spot.endpoints import ENDPOINTS
from binance_spot.rate_limits import POOLS
from binance_spot.market import SPOT


@hookimpl
def binance_markets():
    return (SPOT,)


@hookimpl
@for_markets('spot')
def binance_endpoints(market):
    return ENDPOINTS


@hookimpl
@for_markets('spot')
def binance_rate_pools(market):
    return POOLS


@hookimpl
def binance_fake_exchange(market, exchange):
    from binance_spot.fake import binance_fake_exchange as teach

    teach(market, exchange)
