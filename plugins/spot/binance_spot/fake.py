"""Teaches the test fake exchange Spot's wire: WS-API at ``/ws-api/v3``, REST under ``/api/`` and
``/sapi/``, streams at ``/stream`` and ``/ws``. The lead registers it with ``@hookimpl``."""

from __future__ import annotations

from typing import Any

from aiohttp import web

# Binance Spot `exchangeInfo` also reports the RAW_REQUESTS pool (300,000 per 5 minutes since 2026-04-02).
RAW_REQUESTS = {'rateLimitType': 'RAW_REQUESTS', 'interval': 'MINUTE', 'intervalNum': 5, 'limit': 300000}

# Spot REST general endpoints and their weights (Spot REST docs, "General endpoints").
REST_GENERAL = (('/api/v3/ping', 'ping', 1), ('/api/v3/time', 'time', 1), ('/api/v3/exchangeInfo', 'exchangeInfo', 20))

# The Spot listenKey endpoints were retired on 2026-02-20; Binance now answers 410 Gone.
RETIRED_LISTEN_KEY_PATH = '/api/v3/userDataStream'


def _ping(req: Any) -> Any:
    return {}


def _time(req: Any) -> Any:
    return {'serverTime': req.exchange.server_time()}


def _exchange_info(req: Any) -> Any:
    fx = req.exchange
    wanted = set()
    if req.params.get('symbol'):
        wanted.add(req.params['symbol'])
    symbols = req.params.get('symbols')
    if isinstance(symbols, list):
        wanted.update(symbols)
    return {
        'timezone': 'UTC',
        'serverTime': fx.server_time(),
        'rateLimits': [*fx.exchange_info_rate_limits(), RAW_REQUESTS],
        'exchangeFilters': [],
        'symbols': [s for s in fx.symbols if not wanted or s.get('symbol') in wanted],
    }


def _gone(req: Any) -> Any:
    return web.Response(status=410, text='Gone')


HANDLERS = {'ping': _ping, 'time': _time, 'exchangeInfo': _exchange_info}


def binance_fake_exchange(market: Any, exchange: Any) -> None:
    """Configure *exchange* for Spot; ``None`` (nothing) for other markets."""
    if market.name != 'spot':
        return None
    exchange.ws_api_path = '/ws-api/v3'
    exchange.rest_prefixes = ('/api/', '/sapi/')
    exchange.stream_prefixes = ('',)
    for name, handler in HANDLERS.items():
        exchange.ws_method(name, handler)
    for path, name, weight in REST_GENERAL:
        exchange.rest_route('GET', path, HANDLERS[name], weight=weight)
    for verb in ('POST', 'PUT', 'DELETE'):
        exchange.rest_route(verb, RETIRED_LISTEN_KEY_PATH, _gone)
    return None
