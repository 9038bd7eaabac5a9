"""What the USDⓈ-M and COIN-M fakes share: the futures wire of the loopback fake exchange
(WS-API and REST paths, stream prefixes, the listenKey user-data flow, general endpoints).
Each futures plugin declares one ``FuturesFake`` row and calls ``teach`` from its hook."""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ['FuturesFake', 'teach']


@attrs.frozen(kw_only=True)
class FuturesFake:
    """One futures market's wire, as the fake exchange serves it.

    Attributes:
        market: the market name the row is for.
        ws_api_path: e.g. ``'/ws-fapi/v1'``.
        rest_root: e.g. ``'/fapi'``; general endpoints live under ``<root>/v1/``.
        stream_prefixes: stream URL prefixes (USDⓈ-M splits ``/public``, ``/market``, ``/private``).
        weight_limit / order_limits: fallbacks when no rate-pool rows are installed.
    """

    market: str
    ws_api_path: str
    rest_root: str
    stream_prefixes: tuple[str, ...]
    # UM and CM share one per-IP pool of 2400 weight per minute; orders 300 per 10 s and 1200 per
    # minute (BINANCE-API.md §9, §12.1).
    weight_limit: int = 2400
    order_limits: tuple[tuple[str, int], ...] = (('10s', 300), ('1m', 1200))


def _ping(req: Any) -> Any:
    return {}


def _time(req: Any) -> Any:
    return {'serverTime': req.exchange.server_time()}


def _exchange_info(req: Any) -> Any:
    fx = req.exchange
    return {
        'timezone': 'UTC',
        'serverTime': fx.server_time(),
        'rateLimits': fx.exchange_info_rate_limits(),
        'exchangeFilters': [],
        'assets': [],
        'symbols': list(fx.symbols),
    }


GENERAL = (('ping', _ping), ('time', _time), ('exchangeInfo', _exchange_info))


def teach(row: FuturesFake, market: Any, exchange: Any) -> None:
    """Configure *exchange* for *row*'s market; nothing for other markets."""
    if market.name != row.market:
        return
    exchange.ws_api_path = row.ws_api_path
    exchange.rest_prefixes = (row.rest_root + '/',)
    exchange.stream_prefixes = row.stream_prefixes
    if not any(p.type == 'request_weight' for p in exchange.pools):
        exchange.weight_limit = row.weight_limit
    if not any(p.type == 'orders' for p in exchange.pools):
        exchange.order_limits = row.order_limits
    # The futures WS-API has no userDataStream.subscribe; user data rides a listenKey stream.
    exchange.ws_user_data_subscriptions = False
    exchange.install_listen_key_flow(rest_path=f'{row.rest_root}/v1/listenKey')
    for name, handler in GENERAL:
        exchange.rest_route('GET', f'{row.rest_root}/v1/{name}', handler)
