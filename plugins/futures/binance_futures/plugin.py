"""``FuturesPlugin``: the hook implementations USDⓈ-M and COIN-M share, as one object per market.

A futures plugin builds one instance with :func:`futures_plugin` from what differs per market (names, host
labels, and its own :class:`MarketRows`) and names it in its entry point (``usdm =
"binance_usdm.plugin:PLUGIN"``). Each hook answers only for the instance's own market, so the two instances
can be installed side by side. Where each kind of row is declared:

- endpoints: shared ones in ``binance_futures.endpoints`` (factories of the REST root), a market's own in
  ``binance_<market>/endpoints.py``, where also live the market's optional params of the shared rows whose docs
  differ per market (``SHARED_OPTIONAL``, passed in as ``futures_plugin(shared_optional=...)``);
- stream types and handler bases: ``binance_futures.streams`` / ``handlers`` / ``columns``, a market's own in
  ``binance_<market>/streams.py``;
- user data (the listenKey flow and the user-event handler bases): ``binance_futures.userdata``;
- pools: ``binance_futures.rate_limits`` (one budget shared by USDⓈ-M and COIN-M).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from binance_core import UserDataFlowFactory, hookimpl
from binance_core.specs import Endpoint, MarketSpec, OrderBookSpec, PoolSpec, StreamType
from binance_futures import endpoints as _endpoints_mod
from binance_futures import streams as _streams_mod
from binance_futures import userdata as _userdata_mod
from binance_futures.enums import FuturesOrderType, FuturesTimeInForce, MarginType, PositionSide, WorkingType
from binance_futures.market import futures_hosts, futures_market
from binance_futures.rate_limits import POOLS
from binance_futures.sequencing import FUTURES_RULE

__all__ = ['FUTURES_ENUMS', 'FuturesPlugin', 'MarketRows', 'futures_plugin']

FUTURES_ENUMS: tuple[type[enum.Enum], ...] = (
    FuturesOrderType,
    FuturesTimeInForce,
    MarginType,
    PositionSide,
    WorkingType,
)


def _endpoints(rows: Iterable[Endpoint]) -> tuple[Endpoint, ...]:
    return tuple(rows)


def _pools(rows: Iterable[PoolSpec]) -> tuple[PoolSpec, ...]:
    return tuple(rows)


def _enums(classes: Iterable[type[enum.Enum]]) -> tuple[type[enum.Enum], ...]:
    return tuple(classes)


def _stream_types(rows: Iterable[StreamType]) -> tuple[StreamType, ...]:
    return tuple(rows)


def _classes(classes: Iterable[type]) -> tuple[type, ...]:
    return tuple(classes)


@attrs.frozen(kw_only=True)
class MarketRows:
    """The rows only one futures market has (USDⓈ-M's test order, COIN-M's index-price streams, ...).

    Attributes:
        endpoints: endpoint rows of this market only.
        stream_types: stream-type rows of this market only.
        handler_bases: handler base classes of this market only (its subclasses of shared bases too).
    """

    endpoints: tuple[Endpoint, ...] = attrs.field(default=(), converter=_endpoints)
    stream_types: tuple[StreamType, ...] = attrs.field(default=(), converter=_stream_types)
    handler_bases: tuple[type, ...] = attrs.field(default=(), converter=_classes)


@attrs.frozen(kw_only=True, eq=False)  # eq=False: pluggy tells plugins apart by identity
class FuturesPlugin:
    """One futures market's hook implementations.

    Attributes:
        market: the market this plugin defines (``binance_futures.market.futures_market(...)``).
        endpoints: its endpoint rows (``binance_futures.endpoints.general_endpoints('/fapi')``, ...).
        pools: its rate-limit pools; the shared futures pools by default.
        enums: enum classes exported from ``binance``; the futures order enums by default.
        stream_types: its stream-type rows (``SubType`` members).
        handler_bases: its handler base classes, exported by name from ``binance``.
        user_data_flow: the factory of its user-data flow (the listenKey flow), or ``None``.
    """

    market: MarketSpec
    endpoints: tuple[Endpoint, ...] = attrs.field(converter=_endpoints)
    pools: tuple[PoolSpec, ...] = attrs.field(default=POOLS, converter=_pools)
    enums: tuple[type[enum.Enum], ...] = attrs.field(default=FUTURES_ENUMS, converter=_enums)
    stream_types: tuple[StreamType, ...] = attrs.field(default=(), converter=_stream_types)
    handler_bases: tuple[type, ...] = attrs.field(default=(), converter=_classes)
    user_data_flow: UserDataFlowFactory | None = None

    def _mine(self, market: MarketSpec) -> bool:
        return market.name == self.market.name

    @hookimpl
    def binance_markets(self) -> Sequence[MarketSpec]:
        return (self.market,)

    @hookimpl
    def binance_endpoints(self, market: MarketSpec) -> Sequence[Endpoint]:
        return self.endpoints if self._mine(market) else ()

    @hookimpl
    def binance_rate_pools(self, market: MarketSpec) -> Sequence[PoolSpec]:
        return self.pools if self._mine(market) else ()

    @hookimpl
    def binance_enums(self, market: MarketSpec) -> Sequence[type[enum.Enum]]:
        return self.enums if self._mine(market) else ()

    @hookimpl
    def binance_stream_types(self, market: MarketSpec) -> Sequence[StreamType]:
        return self.stream_types if self._mine(market) else ()

    @hookimpl
    def binance_handler_bases(self, market: MarketSpec) -> Sequence[type]:
        return self.handler_bases if self._mine(market) else ()

    @hookimpl
    def binance_user_data_flow(self, market: MarketSpec) -> UserDataFlowFactory | None:
        return self.user_data_flow if self._mine(market) else None

    def __repr__(self) -> str:
        return f'FuturesPlugin(market={self.market.name!r}, endpoints={len(self.endpoints)}, pools={len(self.pools)})'


def futures_plugin(
    *,
    name: str,
    client_name: str,
    api: str,
    stream: str,
    own: MarketRows = MarketRows(),
    shared_optional: Mapping[str, Sequence[str]],
    session_logon: bool = True,
) -> FuturesPlugin:
    """A futures market's plugin from what differs between USDⓈ-M and COIN-M.

    :param name: the market key; the distribution is ``binance-market-<name>``.
    :param client_name: the exported client class, e.g. ``'UMFuturesClient'``.
    :param api: the REST host label, which is also the REST root: ``'fapi'`` serves ``/fapi/...`` on
        ``fapi.binance.com`` (and the WS-API at ``ws-fapi.binance.com/ws-fapi/v1``).
    :param stream: the stream host label, e.g. ``'fstream'``.
    :param own: the rows only this market has; the shared ones are built here from *api* and *stream*.
    :param shared_optional: the market's optional params of the shared rows whose docs differ per market
        (``binance_futures.endpoints.MARKET_OPTIONAL``: COIN-M's tickers and open orders take a ``pair``, the order
        params differ), in the market's docs' order; passed to ``shared_endpoints(root, optional=...)``.
    :param session_logon: whether its WS-API offers ``session.logon`` for Ed25519 keys (``MarketSpec``).
    :returns: the plugin object a ``binance.markets`` entry point names.
    """
    market = futures_market(
        name=name,
        client_name=client_name,
        distribution=f'binance-market-{name}',
        hosts=futures_hosts(api=api, stream=stream),
        # Binance "How to manage a local order book correctly" (UM/CM): snapshots up to 1000 levels, `pu` chain.
        orderbook=OrderBookSpec(snapshot_endpoint='get_orderbook', max_limit=1000, rule=FUTURES_RULE),
        session_logon=session_logon,
    )
    return FuturesPlugin(
        market=market,
        endpoints=(*_endpoints_mod.shared_endpoints(f'/{api}', optional=shared_optional), *own.endpoints),
        stream_types=(*_streams_mod.shared_stream_types(api), *own.stream_types),
        handler_bases=(*_streams_mod.SHARED_HANDLER_BASES, *_userdata_mod.USER_HANDLER_BASES, *own.handler_bases),
        user_data_flow=_userdata_mod.user_data_flow(api),
    )


def market_plugin(endpoints: Any, streams: Any, **market: Any) -> FuturesPlugin:
    """A futures plugin from its own modules: *endpoints* (``ENDPOINTS``, ``SHARED_OPTIONAL``) and *streams*
    (``STREAM_TYPES``, ``HANDLER_BASES``), and what else differs as keywords of :func:`futures_plugin`
    (``name``, ``client_name``, ``api``, ``stream``, ``session_logon``).
    """
    own = MarketRows(
        endpoints=endpoints.ENDPOINTS, stream_types=streams.STREAM_TYPES, handler_bases=streams.HANDLER_BASES
    )
    return futures_plugin(own=own, shared_optional=endpoints.SHARED_OPTIONAL, **market)
