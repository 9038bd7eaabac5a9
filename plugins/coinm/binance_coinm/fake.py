"""Teaches the test fake exchange COIN-M's wire: WS-API at ``/ws-dapi/v1``, REST under ``/dapi/``,
streams at ``/stream`` and ``/ws``, and the listenKey user-data flow."""

from __future__ import annotations

from typing import Any

WS_API_PATH = '/ws-dapi/v1'
REST_PREFIXES = ('/dapi/',)
STREAM_PREFIXES = ('',)
LISTEN_KEY_PATH = '/dapi/v1/listenKey'
# Fallback limits when no rate-pool rows are installed: UM and CM share one per-IP pool of 2400
# weight per minute; orders 300 per 10 s and 1200 per minute (BINANCE-API.md §9, §12.1).
WEIGHT_LIMIT = 2400
ORDER_LIMITS = (('10s', 300), ('1m', 1200))


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


ROUTES = (('/dapi/v1/ping', _ping), ('/dapi/v1/time', _time), ('/dapi/v1/exchangeInfo', _exchange_info))


def binance_fake_exchange(market: Any, exchange: Any) -> None:
    """Configure *exchange* for COIN-M; ``None`` (nothing) for other markets."""
    if market.name != 'coinm':
        return None
    exchange.ws_api_path = WS_API_PATH
    exchange.rest_prefixes = REST_PREFIXES
    exchange.stream_prefixes = STREAM_PREFIXES
    if not any(p.type == 'request_weight' for p in exchange.pools):
        exchange.weight_limit = WEIGHT_LIMIT
    if not any(p.type == 'orders' for p in exchange.pools):
        exchange.order_limits = ORDER_LIMITS
    # Futures WS-API has no userDataStream.subscribe; user data rides a listenKey stream.
    exchange.ws_user_data_subscriptions = False
    exchange.install_listen_key_flow(rest_path=LISTEN_KEY_PATH)
    for path, handler in ROUTES:
        exchange.rest_route('GET', path, handler)
    return None
