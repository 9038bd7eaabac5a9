"""Hook implementations of the Spot plugin (entry point ``binance.markets: spot``)."""

from collections.abc import Sequence

from binance_core import Endpoint, MarketSpec, PoolSpec, StreamType, UserDataFlowFactory, hookimpl
from binance_core.assembly import for_markets
from binance_core.orderbook import OrderBookHandlerBase
from binance_spot.endpoints import ENDPOINTS
from binance_spot.handlers import HANDLER_BASES
from binance_spot.market import SPOT
from binance_spot.rate_limits import POOLS
from binance_spot.streams import STREAM_TYPES, USER_DATA


@hookimpl
def binance_markets() -> Sequence[MarketSpec]:
    return (SPOT,)


@hookimpl
@for_markets('spot')
def binance_endpoints(market: MarketSpec) -> Sequence[Endpoint]:
    return ENDPOINTS


@hookimpl
@for_markets('spot')
def binance_stream_types(market: MarketSpec) -> Sequence[StreamType]:
    return STREAM_TYPES


@hookimpl
@for_markets('spot')
def binance_handler_bases(market: MarketSpec) -> Sequence[type]:
    return (*HANDLER_BASES, OrderBookHandlerBase)


@hookimpl
@for_markets('spot')
def binance_rate_pools(market: MarketSpec) -> Sequence[PoolSpec]:
    return POOLS


@hookimpl
def binance_user_data_flow(market: MarketSpec) -> UserDataFlowFactory | None:
    # Spot user data only over the WS-API session since the listenKey endpoints were retired (2026-02-20).
    return USER_DATA if market.name == 'spot' else None
