"""Futures user data: the listenKey flow's wire per market, and the handler bases of the futures user events
(Binance derivatives "User Data Streams"; FUTURES-API.md §4).

Events are routed to handlers by their type ``e``, whether they arrived bare (``{"e": ...}``) or wrapped
(``{"stream": <listenKey>, "data": {...}}``): handlers always get the bare event. A plain ``HandlerBase``
subclass with ``event`` set to one of these types receives it too.
"""

from __future__ import annotations

from binance_core import REST, WS, UserDataFlowFactory
from binance_core.handlers import HandlerBase
from binance_core.userdata.rows import ListenKeyUserData

__all__ = [
    'CM_USER_DATA',
    'UM_USER_DATA',
    'USER_HANDLER_BASES',
    'FuturesAccountConfigUpdateHandlerBase',
    'FuturesAccountUpdateHandlerBase',
    'FuturesAlgoUpdateHandlerBase',
    'FuturesListenKeyExpiredHandlerBase',
    'FuturesMarginCallHandlerBase',
    'FuturesOrderUpdateHandlerBase',
    'FuturesStrategyUpdateHandlerBase',
    'FuturesTradeLiteHandlerBase',
    'user_data_flow',
]

# -- the listenKey flow, per market ------------------------------------------------------------------

# USDⓈ-M: the key over the futures WS-API (`userDataStream.start/ping/stop`, weight 1, USER_STREAM: apiKey only),
# REST `POST/PUT/DELETE /fapi/v1/listenKey` being the alternative (OFF-UM). The private stream is the documented
# query form of the 2026 URL split (WSN; FUTURES-API.md §1.1, §4): `/private/ws?listenKey=<key>`, which sends
# events bare. The path form `/private/ws/<key>` is quoted by several 2026 clients but was not found on the
# primary page, so it is not used.
UM_USER_DATA = ListenKeyUserData(
    start=WS('userDataStream.start'),
    ping=WS('userDataStream.ping'),
    stop=WS('userDataStream.stop'),
    url='{host}/private/ws?listenKey={key}',
)

# COIN-M: the documented REST calls (`POST/PUT/DELETE /dapi/v1/listenKey`, weight 1, USER_STREAM), which work
# in every environment (no futures demo WS-API host is documented); the ws-dapi `userDataStream.*` methods exist
# too (OFF-CM) and either keeps the same key. The stream is the raw `wss://dstream.binance.com/ws/<key>` (CM-MS:
# COIN-M did not split its stream URLs).
CM_USER_DATA = ListenKeyUserData(
    start=REST('POST', '/dapi/v1/listenKey'),
    ping=REST('PUT', '/dapi/v1/listenKey'),
    stop=REST('DELETE', '/dapi/v1/listenKey'),
    url='{host}/ws/{key}',
)

_ROWS = {'fapi': UM_USER_DATA, 'dapi': CM_USER_DATA}


def user_data_flow(api: str) -> UserDataFlowFactory | None:
    """The user-data flow factory of the market whose REST host label is *api*, or ``None`` (unknown market).

    :param api: ``'fapi'`` (USDⓈ-M: :data:`UM_USER_DATA`) or ``'dapi'`` (COIN-M: :data:`CM_USER_DATA`).
    :returns: the market's :class:`~binance_core.userdata.listen_key_flow.ListenKeyUserData` row.
    """
    return _ROWS.get(api)


# -- handler bases -------------------------------------------------------------------------------------
# `super().receive(payload)` returns the event dict unchanged (`as_frame = False`): the spec hands `receive` "the
# raw Binance ORDER_TRADE_UPDATE dict" and documents no columns for futures user events, which are nested
# (ACCOUNT_UPDATE: `a.B[]` balances and `a.P[]` positions; ORDER_TRADE_UPDATE: `o{}`) where Spot's are flat rows.


class FuturesAccountUpdateHandlerBase(HandlerBase):
    """User data ``ACCOUNT_UPDATE``: balances (``a.B``) and positions (``a.P``) changed, with the reason
    ``a.m`` (order, funding fee, transfer, ...)."""

    event, as_frame = 'ACCOUNT_UPDATE', False


class FuturesOrderUpdateHandlerBase(HandlerBase):
    """User data ``ORDER_TRADE_UPDATE``: an order's lifecycle in ``o`` (new, partial fill, fill, cancel,
    expiry with reason ``o.er``). Order acks carry no fills since 2026-07-15: read them here."""

    event, as_frame = 'ORDER_TRADE_UPDATE', False


class FuturesMarginCallHandlerBase(HandlerBase):
    """User data ``MARGIN_CALL``: positions (``p``) whose risk ratio is too high."""

    event, as_frame = 'MARGIN_CALL', False


class FuturesAccountConfigUpdateHandlerBase(HandlerBase):
    """User data ``ACCOUNT_CONFIG_UPDATE``: a symbol's leverage (``ac``) or the multi-assets mode (``ai``)
    changed."""

    event, as_frame = 'ACCOUNT_CONFIG_UPDATE', False


class FuturesListenKeyExpiredHandlerBase(HandlerBase):
    """User data ``listenKeyExpired``: the stream's key expired (``E`` is an int since 2026-05-22). The SDK
    moves to a new key by itself and reports the gap to ``StreamErrorHandlerBase`` handlers."""

    event, as_frame = 'listenKeyExpired', False


class FuturesTradeLiteHandlerBase(HandlerBase):
    """User data ``TRADE_LITE`` (USDⓈ-M only): a fill, sooner and with fewer fields than
    ``ORDER_TRADE_UPDATE``."""

    event, as_frame = 'TRADE_LITE', False


class FuturesStrategyUpdateHandlerBase(HandlerBase):
    """User data ``STRATEGY_UPDATE``: a strategy's lifecycle in ``su`` (USDⓈ-M and COIN-M)."""

    event, as_frame = 'STRATEGY_UPDATE', False


class FuturesAlgoUpdateHandlerBase(HandlerBase):
    """User data ``ALGO_UPDATE``: an algo (conditional) order's status in ``o``; rejected triggers carry their
    reason in ``o.rm`` since 2025-12-10 (``CONDITIONAL_ORDER_TRIGGER_REJECT`` is gone). USDⓈ-M."""

    event, as_frame = 'ALGO_UPDATE', False


USER_HANDLER_BASES: tuple[type, ...] = (
    FuturesAccountUpdateHandlerBase,
    FuturesOrderUpdateHandlerBase,
    FuturesMarginCallHandlerBase,
    FuturesAccountConfigUpdateHandlerBase,
    FuturesListenKeyExpiredHandlerBase,
    FuturesTradeLiteHandlerBase,
    FuturesStrategyUpdateHandlerBase,
    FuturesAlgoUpdateHandlerBase,
)
