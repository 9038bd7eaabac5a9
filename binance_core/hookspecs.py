"""The plugin contract: every hook a market or third-party plugin may implement.

Hooks run only while clients are assembled; nothing here is on a request's hot path. The test
kit (``binance-sdk-testing``) adds a hook of its own, ``binance_fake_exchange``, with pluggy's
``add_hookspecs``: the runtime contract knows nothing of tests. Call hooks with
keyword arguments only. To evolve a hook, add an argument; never rename or reorder one.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import pluggy

from binance_core.orderbook.sequencing import SequencingRule

if TYPE_CHECKING:
    from binance_core.rate_limit.backend import BudgetBackend
    from binance_core.specs import Endpoint, MarketSpec, PoolSpec, StreamType
    from binance_core.userdata import UserDataServices

__all__ = [
    'PROJECT',
    'SequencingRule',
    'UserDataFlow',
    'UserDataFlowFactory',
    'hookimpl',
    'hookspec',
]

PROJECT = 'binance'

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# -- what crosses the hooks ------------------------------------------------------------------
# Rows (MarketSpec, Endpoint, StreamType, PoolSpec) are frozen attrs classes in specs.py. The
# behaviour a plugin hands the core is typed by these Protocols; the core calls nothing else on
# them (tests/test_contract.py holds it to that). ``SequencingRule`` (the order-book rule a
# MarketSpec's OrderBookSpec carries) is defined beside the engine in orderbook/sequencing.py.


@runtime_checkable
class UserDataFlow(Protocol):
    """One client's user-data stream, kept alive by its market's mechanism (a WS-API subscription
    on Spot, the listenKey flow on futures). Events go to ``services.deliver``; failures that a
    flow recovers from, or gives up on, go to ``services.report_error``.

    The core calls exactly these, from the client's event loop:
    """

    async def start(self) -> None:
        """Subscribe (``subscribe(SubType.USER)``); idempotent. Raise when the first subscription fails."""
        ...

    async def stop(self) -> None:
        """Unsubscribe (``unsubscribe(SubType.USER)``); idempotent. ``start()`` may follow."""
        ...

    def pause(self) -> None:
        """Discard events from now on, and those not yet delivered (``client.stop()``)."""
        ...

    def resume(self) -> None:
        """Deliver the events received from now on (``client.start()``)."""
        ...

    async def close(self) -> None:
        """Stop every task the flow runs (``client.close()``); called once, last."""
        ...


class UserDataFlowFactory(Protocol):
    """What ``binance_user_data_flow`` returns: called once per client, on its first
    ``subscribe(SubType.USER)``, with what the core offers a flow (never the client itself)."""

    def __call__(self, services: UserDataServices) -> UserDataFlow: ...


# -- markets ---------------------------------------------------------------------------------


@hookspec
def binance_markets() -> Sequence[MarketSpec]:
    """Return the markets this plugin defines.

    Called once per assembly, before any other hook. Market plugins (entry-point group
    ``binance.markets``) return one :class:`~binance_core.specs.MarketSpec`; extension
    plugins return ``()``.

    :returns: market specs; two plugins defining the same ``name`` stop assembly with
        ``PluginConflictError`` naming both.

    .. versionadded:: 0.1
    """


# -- tables ----------------------------------------------------------------------------------


@hookspec
def binance_endpoints(market: MarketSpec) -> Sequence[Endpoint]:
    """Return endpoint rows to add to *market*'s client.

    Called once per market while clients are assembled. Return ``()`` for markets you do
    not extend. Each row becomes one ``async`` method on the client.

    :param market: the market being assembled; compare ``market.name``.
    :returns: rows whose ``name`` is free on that market; a taken name stops assembly with
        ``PluginConflictError`` naming both plugins (identical rows are fine).

    .. versionadded:: 0.1
    """


@hookspec
def binance_stream_types(market: MarketSpec) -> Sequence[StreamType]:
    """Return stream-type rows (``SubType`` members) that *market* offers.

    Called once per market while clients are assembled. ``SubType`` is the union of the
    members of all markets; subscribing on a market that has no row for a member raises
    ``UnsupportedSubTypeException``.

    :param market: the market being assembled.
    :returns: rows whose ``sub_type`` is free on that market (``PluginConflictError`` otherwise).

    .. versionadded:: 0.1
    """


@hookspec
def binance_handler_bases(market: MarketSpec) -> Sequence[type]:
    """Return handler base classes for *market*, exported by name from ``binance``.

    Called once per market while clients are assembled. The same class may be returned for
    several markets; two different classes with the same ``__name__`` stop assembly with
    ``PluginConflictError``.

    :param market: the market being assembled.
    :returns: subclasses of ``binance_core.handlers.HandlerBase``.

    .. versionadded:: 0.1
    """


@hookspec
def binance_rate_pools(market: MarketSpec) -> Sequence[PoolSpec]:
    """Return the rate-limit pools *market* enforces on the client side.

    Called once per market while clients are assembled; each client's limiter is built from
    the union of the rows. A pool is identified by ``(type, interval)``; declaring one twice
    is a ``PluginConflictError``.

    :param market: the market being assembled.
    :returns: :class:`~binance_core.specs.PoolSpec` rows.

    .. versionadded:: 0.1
    """


@hookspec
def binance_enums(market: MarketSpec) -> Sequence[type[enum.Enum]]:
    """Return enum classes for *market*'s params, exported by name from ``binance``.

    Called once per market while clients are assembled. The same class may be returned for
    several markets (the futures enums serve USDⓈ-M and COIN-M); two different classes with
    the same ``__name__`` stop assembly with ``PluginConflictError``.

    :param market: the market being assembled.
    :returns: ``enum.Enum`` subclasses (``str`` enums, so members pass as Binance's text).

    .. versionadded:: 0.2
    """


# -- behaviour -------------------------------------------------------------------------------


@hookspec(firstresult=True)
def binance_user_data_flow(market: MarketSpec) -> UserDataFlowFactory | None:
    """Return the user-data flow factory for *market*, or ``None`` if you do not supply one.

    Called once per market while clients are assembled.
    Stops at the first non-None result. Spot returns the general WS-API subscription flow
    configured with Spot's wire names (``binance_core.userdata.ws_api_flow``); futures return the
    listenKey flow. A market with no flow cannot subscribe ``SubType.USER``.

    :param market: the market being assembled.
    :returns: a :class:`UserDataFlowFactory`: ``factory(services)`` gives a :class:`UserDataFlow`.

    .. versionadded:: 0.1
    """


@hookspec(firstresult=True)
def binance_rate_limit_backend(market: MarketSpec) -> BudgetBackend | None:
    """Return where *market*'s clients count their IP and account rate-limit pools, or ``None`` to leave them
    in the process (the default).

    Called once per market while clients are assembled. A client given ``rate_limiter=`` or
    ``rate_limit_backend=`` uses that instead. Return one backend object for every market you serve: a
    backend is shared by name, and its usage is keyed by each pool's budget (Spot apart from futures).
    Stops at the first non-None result.

    :param market: the market being assembled.
    :returns: a :class:`~binance_core.rate_limit.backend.BudgetBackend` (the Redis plugin,
        ``binance-ratelimit-redis``, returns one when it is configured), or ``None``.

    .. versionadded:: 0.2
    """


@hookspec
def binance_client_mixins(market: MarketSpec) -> Sequence[type]:
    """Return mixin classes placed before the core base class of *market*'s client.

    Called once per market while clients are assembled. Keep these rare: behaviour that a
    table row can express belongs in a row.

    :param market: the market being assembled.
    :returns: plain classes; their public names must not clash with endpoint rows.

    .. versionadded:: 0.1
    """
