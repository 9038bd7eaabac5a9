"""What the USDⓈ-M and COIN-M fakes share: the futures wire of the test kit's fake exchange (REST root,
stream prefixes, the listenKey user-data flow, general endpoints) and, for a ``SimulatedExchange``, the simulated
market (``binance_futures.simulation``). Each futures plugin's fake module declares one ``FuturesFake`` row,
which is itself the ``binance_fake_exchange`` hook implementation its ``binance.testing`` entry point names.
Imported only by the test kit and tests, never by a plugin's runtime modules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from binance_core import hookimpl

if TYPE_CHECKING:
    from binance_core.specs import MarketSpec
    from binance_futures.simulation import FuturesWire
    from binance_testing.fake_exchange import Request
    from binance_testing.hookspecs import FakeExchangeProtocol

__all__ = ['FuturesFake', 'exchange_info', 'teach']


@attrs.frozen(kw_only=True, eq=False)  # eq=False: pluggy tells plugins apart by identity
class FuturesFake:
    """One futures market's wire, as the fake exchange serves it. The WS-API path is the fake's default,
    the path of the market's live WS-API host (``/ws-fapi/v1``).

    Attributes:
        market: the market name the row is for.
        rest_root: e.g. ``'/fapi'``; general endpoints live under ``<root>/v1/``.
        stream_prefixes: stream URL prefixes (USDⓈ-M splits ``/public``, ``/market``, ``/private``).
        simulation: the market's simulated wire (``binance_futures.simulation.UM_WIRE``, ``CM_WIRE``), installed
            on a ``SimulatedExchange``; ``None``: the plain fake only.
    """

    market: str
    rest_root: str
    stream_prefixes: tuple[str, ...] = ('',)
    simulation: FuturesWire | None = None

    @hookimpl
    def binance_fake_exchange(self, market: MarketSpec, exchange: FakeExchangeProtocol) -> None:
        teach(self, market, exchange)
        if market.name == self.market and self.simulation is not None and exchange.simulation is not None:
            self.simulation.install(exchange)


def _ping(req: Request) -> Any:
    return {}


def _time(req: Request) -> Any:
    return {'serverTime': req.exchange.server_time()}


def exchange_info(exchange: FakeExchangeProtocol, symbols: list[dict[str, Any]]) -> dict[str, Any]:
    """An ``exchangeInfo`` answer of *exchange* listing *symbols*."""
    return {
        'timezone': 'UTC',
        'serverTime': exchange.server_time(),
        'rateLimits': exchange.exchange_info_rate_limits(),
        'exchangeFilters': [],
        'assets': [],
        'symbols': symbols,
    }


def _exchange_info(req: Request) -> Any:
    return exchange_info(req.exchange, list(req.exchange.symbols))


GENERAL = (('ping', _ping), ('time', _time), ('exchangeInfo', _exchange_info))


def teach(row: FuturesFake, market: MarketSpec, exchange: FakeExchangeProtocol) -> None:
    """Configure *exchange* for *row*'s market; nothing for other markets. Its limits come from the market's
    pool rows (``binance_futures.rate_limits``), which the fake reads itself."""
    if market.name != row.market:
        return
    # /futures/data/* (open interest history, ratios) sits beside the market's root on the same host.
    exchange.rest_prefixes = (row.rest_root + '/', '/futures/data/')
    exchange.stream_prefixes = row.stream_prefixes
    # The futures WS-API has no userDataStream.subscribe; user data rides a listenKey stream (FUTURES-API.md §4):
    # keys over the WS-API (`userDataStream.start/ping/stop`) and REST (POST/PUT/DELETE <root>/v1/listenKey), both
    # USER_STREAM, weight 1; the stream at <prefix>/ws?listenKey=<key> (bare events), <prefix>/stream?listenKey=<key>
    # (wrapped) or <prefix>/ws/<key>, under each of the market's stream prefixes.
    exchange.ws_user_data_subscriptions = False
    exchange.install_listen_key_flow(rest_path=f'{row.rest_root}/v1/listenKey')
    for name, handler in GENERAL:
        exchange.rest_route('GET', f'{row.rest_root}/v1/{name}', handler)
