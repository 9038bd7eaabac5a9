"""The test kit's own hook: market plugins teach the fake exchange their wire through it.

The runtime contract (``binance_core.hookspecs``) knows nothing of tests; this module is added to a
plugin manager with pluggy's ``add_hookspecs`` (see ``binance_testing.plugins``), as pytest plugins add
hooks. Market plugins implement it in a module that only the test kit imports, registered under the
entry-point group ``binance.testing``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from binance_core.hookspecs import hookspec

if TYPE_CHECKING:
    from binance_core.specs import MarketSpec, SecurityType
    from binance_testing.fake_exchange import Request
    from binance_testing.matching import Simulation

__all__ = ['FakeExchangeProtocol', 'binance_fake_exchange']


@runtime_checkable
class FakeExchangeProtocol(Protocol):
    """What a market plugin's fake module may use on the exchange it is taught (and reaches again as
    ``req.exchange`` from its route handlers). ``FakeExchange`` and ``SimulatedExchange`` provide it.

    Attributes:
        ws_api_path: the WS-API path (Spot ``'/ws-api/v3'``, USDⓈ-M ``'/ws-fapi/v1'``).
        rest_prefixes: REST path prefixes served by the generic fallback (``('/api/', '/sapi/')``).
        stream_prefixes: stream path prefixes (``''`` serves ``/stream`` and ``/ws/...``).
        ws_user_data_subscriptions: whether ``userDataStream.subscribe*`` exist on the WS-API.
        symbols: the ``symbols`` list an ``exchangeInfo`` handler serves.
        simulation: the matching engine of a ``SimulatedExchange``; ``None`` on a plain fake.

    Limits (``weight_limit``, ``order_limits``) are not here: the fake reads them from the market's pool rows.
    """

    ws_api_path: str
    rest_prefixes: tuple[str, ...]
    stream_prefixes: tuple[str, ...]
    ws_user_data_subscriptions: bool
    symbols: list[dict[str, Any]]

    @property
    def simulation(self) -> Simulation | None: ...

    def ws_method(
        self,
        name: str,
        handler: Callable[[Request], Any],
        *,
        security: SecurityType | None = None,
        weight: int | None = None,
    ) -> None:
        """Serve WS-API method *name* with ``handler(req) -> result``."""
        ...

    def rest_route(
        self,
        verb: str,
        path: str,
        handler: Callable[[Request], Any],
        *,
        security: SecurityType | None = None,
        weight: int | None = None,
    ) -> None:
        """Serve ``VERB path`` with ``handler(req) -> result``."""
        ...

    def install_listen_key_flow(self, rest_path: str | None = None, weight: int = 1) -> None:
        """Serve the listenKey user-data flow (WS-API ``userDataStream.start/ping/stop``, REST at *rest_path*)."""
        ...

    def server_time(self) -> int:
        """Server time in ms, skew included."""
        ...

    def exchange_info_rate_limits(self) -> list[dict[str, Any]]:
        """The ``rateLimits`` of an ``exchangeInfo`` answer."""
        ...

    async def execute(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """Run an engine operation and publish what it caused (simulated exchange; a plain fake just runs it)."""
        ...


@hookspec
def binance_fake_exchange(market: MarketSpec, exchange: FakeExchangeProtocol) -> None:
    """Teach the test kit's fake *exchange* your market's wire.

    Called once by every ``FakeExchange`` (and ``SimulatedExchange``) while it is built: after the
    market's endpoint rows and pools are assembled, before it listens. Configure *exchange* only when
    ``market.name`` is a market you serve (paths, ``rest_route``/``ws_method`` handlers, limits); on a
    simulated exchange (``exchange.simulation`` is not ``None``) also install the market's wire for the
    engine. Return ``None``: what the hook returns is ignored.

    :param market: the market being faked; compare ``market.name``.
    :param exchange: the fake exchange being built (:class:`FakeExchangeProtocol`).
    :returns: ``None``.

    .. versionadded:: 0.1
    """
