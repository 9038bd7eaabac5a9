"""``FuturesPlugin``: the hook implementations USDⓈ-M and COIN-M share, as one object per market.

A futures plugin builds one instance from its market spec and rows and names it in its entry point
(``usdm = "binance_usdm.plugin:PLUGIN"``). Each hook answers only for the instance's own market, so the
two instances can be installed side by side. Rows that later issues add (stream types, handler bases,
the user-data flow) become fields with defaults here.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence

import attrs

from binance_core import hookimpl
from binance_core.specs import Endpoint, MarketSpec, PoolSpec
from binance_futures.endpoints import general_endpoints
from binance_futures.enums import FuturesOrderType, FuturesTimeInForce, MarginType, PositionSide, WorkingType
from binance_futures.market import futures_hosts, futures_market
from binance_futures.rate_limits import POOLS

__all__ = ['FUTURES_ENUMS', 'FuturesPlugin', 'futures_plugin']

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


@attrs.frozen(kw_only=True, eq=False)  # eq=False: pluggy tells plugins apart by identity
class FuturesPlugin:
    """One futures market's hook implementations.

    Attributes:
        market: the market this plugin defines (``binance_futures.market.futures_market(...)``).
        endpoints: its endpoint rows (``binance_futures.endpoints.general_endpoints('/fapi')``, ...).
        pools: its rate-limit pools; the shared futures pools by default.
        enums: enum classes exported from ``binance``; the futures order enums by default.
    """

    market: MarketSpec
    endpoints: tuple[Endpoint, ...] = attrs.field(converter=_endpoints)
    pools: tuple[PoolSpec, ...] = attrs.field(default=POOLS, converter=_pools)
    enums: tuple[type[enum.Enum], ...] = attrs.field(default=FUTURES_ENUMS, converter=_enums)

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

    def __repr__(self) -> str:
        return f'FuturesPlugin(market={self.market.name!r}, endpoints={len(self.endpoints)}, pools={len(self.pools)})'


def futures_plugin(*, name: str, client_name: str, api: str, stream: str) -> FuturesPlugin:
    """A futures market's plugin from the four things that differ between USDⓈ-M and COIN-M.

    :param name: the market key; the distribution is ``binance-market-<name>``.
    :param client_name: the exported client class, e.g. ``'UMFuturesClient'``.
    :param api: the REST host label, which is also the REST root: ``'fapi'`` serves ``/fapi/...`` on
        ``fapi.binance.com`` (and the WS-API at ``ws-fapi.binance.com/ws-fapi/v1``).
    :param stream: the stream host label, e.g. ``'fstream'``.
    :returns: the plugin object a ``binance.markets`` entry point names.
    """
    market = futures_market(
        name=name,
        client_name=client_name,
        distribution=f'binance-market-{name}',
        hosts=futures_hosts(api=api, stream=stream),
    )
    return FuturesPlugin(market=market, endpoints=general_endpoints(f'/{api}'))
