"""Spot handler bases: one short class per stream or user-data event (Binance Spot docs,
web-socket-streams.md and user-data-stream.md). Subclass one and override ``receive``.

``OrderBookHandlerBase`` (``<symbol>@depth``, a managed local book) lives in
``binance_core.orderbook.managed``.
"""

from typing import Any

from binance_core.handlers import HandlerBase, HandlerExceptionHandlerBase, StreamErrorHandlerBase, levels_frame
from binance_spot import columns as cols

__all__ = [
    'HANDLER_BASES',
    'AccountPositionHandlerBase',
    'AggTradeHandlerBase',
    'AllMarketMiniTickersHandlerBase',
    'AllMarketWindowTickersHandlerBase',
    'AvgPriceHandlerBase',
    'BalanceUpdateHandlerBase',
    'BlockTradeHandlerBase',
    'BookTickerHandlerBase',
    'EventStreamTerminatedHandlerBase',
    'ExternalLockUpdateHandlerBase',
    'KlineHandlerBase',
    'MiniTickerHandlerBase',
    'OrderListStatusHandlerBase',
    'OrderUpdateHandlerBase',
    'PartialOrderBookHandlerBase',
    'ReferencePriceHandlerBase',
    'TickerHandlerBase',
    'TradeHandlerBase',
    'UserDataSnapshotHandlerBase',
    'WindowTickerHandlerBase',
]

# Binance "Individual Symbol Rolling Window Statistics Streams": `e` is "<window>Ticker".
_WINDOW_EVENTS = ('1hTicker', '4hTicker', '1dTicker')

# -- market data ------------------------------------------------------------------------------


class TradeHandlerBase(HandlerBase):
    """``<symbol>@trade``: one raw trade per frame."""

    event, columns = 'trade', cols.TRADE


class AggTradeHandlerBase(HandlerBase):
    """``<symbol>@aggTrade``: trades aggregated per taker order."""

    event, columns = 'aggTrade', cols.AGG_TRADE


class BlockTradeHandlerBase(HandlerBase):
    """``<symbol>@blockTrade``: block trades."""

    event, columns = 'blockTrade', cols.BLOCK_TRADE


class ReferencePriceHandlerBase(HandlerBase):
    """``<symbol>@referencePrice``: the reference price, every second (NA while there is none)."""

    event, columns = 'referencePrice', cols.REFERENCE_PRICE


class BookTickerHandlerBase(HandlerBase):
    """``<symbol>@bookTicker``: best bid and ask. The payload has no ``e``: frames are routed
    by stream name."""

    event, columns = None, cols.BOOK_TICKER


class AvgPriceHandlerBase(HandlerBase):
    """``<symbol>@avgPrice``: the average price over Binance's fixed interval."""

    event, columns = 'avgPrice', cols.AVG_PRICE


class KlineHandlerBase(HandlerBase):
    """``<symbol>@kline_<interval>`` and ``<symbol>@kline_<interval>@+08:00``: the current
    candle, with ``k`` flattened into one row."""

    event, columns = 'kline', cols.KLINE


class MiniTickerHandlerBase(HandlerBase):
    """``<symbol>@miniTicker``: 24 h rolling-window mini ticker."""

    event, columns = '24hrMiniTicker', cols.MINI_TICKER


class TickerHandlerBase(HandlerBase):
    """``<symbol>@ticker``: 24 h rolling-window ticker."""

    event, columns = '24hrTicker', cols.TICKER


class WindowTickerHandlerBase(HandlerBase):
    """``<symbol>@ticker_<1h|4h|1d>``: rolling-window ticker (``e`` is ``1hTicker`` etc.)."""

    event, columns = _WINDOW_EVENTS, cols.WINDOW_TICKER


class AllMarketMiniTickersHandlerBase(HandlerBase):
    """``!miniTicker@arr``: an array of mini tickers (only symbols that changed) -> one row each."""

    event, columns = '24hrMiniTicker', cols.MINI_TICKER


class AllMarketWindowTickersHandlerBase(HandlerBase):
    """``!ticker_<1h|4h|1d>@arr``: an array of rolling-window tickers -> one row each."""

    event, columns = _WINDOW_EVENTS, cols.WINDOW_TICKER


class PartialOrderBookHandlerBase(HandlerBase):
    """``<symbol>@depth<5|10|20>[@100ms]``: the top levels of the book. The payload has no
    ``e`` (nor symbol): frames are routed by stream name.

    ``super().receive(payload)`` returns a tuple ``(bids_df, asks_df)``: two frames with float
    columns ``price`` and ``quantity``, best level first. ``payload['lastUpdateId']`` is the
    book's update id.
    """

    event = None

    def receive(self, payload: Any) -> Any:
        if not self.as_frame:
            return payload
        return levels_frame(payload['bids']), levels_frame(payload['asks'])


# -- user data ----------------------------------------------------------------------------


class AccountPositionHandlerBase(HandlerBase):
    """User data ``outboundAccountPosition``: balances that may have changed -> one row per asset."""

    event, columns = 'outboundAccountPosition', cols.ACCOUNT_POSITION


class BalanceUpdateHandlerBase(HandlerBase):
    """User data ``balanceUpdate``: a deposit, withdrawal or transfer."""

    event, columns = 'balanceUpdate', cols.BALANCE_UPDATE


class OrderUpdateHandlerBase(HandlerBase):
    """User data ``executionReport``: an order's lifecycle (new, fills, cancel, expiry)."""

    event, columns = 'executionReport', cols.ORDER_UPDATE


class OrderListStatusHandlerBase(HandlerBase):
    """User data ``listStatus``: an order list's status -> one row per order of the list."""

    event, columns = 'listStatus', cols.ORDER_LIST_STATUS


class ExternalLockUpdateHandlerBase(HandlerBase):
    """User data ``externalLockUpdate``: balance locked or unlocked by an external system."""

    event, columns = 'externalLockUpdate', cols.EXTERNAL_LOCK_UPDATE


class EventStreamTerminatedHandlerBase(HandlerBase):
    """User data ``eventStreamTerminated``: the user-data subscription ended (logout,
    unsubscribe, token expiry)."""

    event, columns = 'eventStreamTerminated', cols.EVENT_STREAM_TERMINATED


class UserDataSnapshotHandlerBase(HandlerBase):
    """Open orders and balances fetched after a user-data gap, as one event (an opt-in; not a Binance event).

    When the WS-API connection carrying ``SubType.USER`` drops, Binance keeps no backlog: order and
    balance events sent while it was down are lost. Registering a handler of this base asks the client,
    once it has subscribed again, to fetch ``openOrders.status`` (all symbols, weight 80) and
    ``account.status`` (weight 20) and deliver them as one payload, after the events received meanwhile
    (which it may already reflect)::

        {'e': 'userDataSnapshot', 'E': 1700000000000,    # server time (ms) when fetched
         'reason': 'gap',
         'openOrders': [...],                            # as get_open_orders() returns them
         'account': {...}}                               # as get_account() returns it

    Without such a handler nothing is fetched. Not after a ``serverShutdown`` handover (nothing is
    lost), nor while the client is stopped. A failed fetch is reported to ``StreamErrorHandlerBase``
    handlers (``phase='reconcile'``); the gap itself always is (``phase='gap'``). Example::

        class Reconcile(UserDataSnapshotHandlerBase):
            def receive(self, snapshot):
                my_orders.replace(snapshot['openOrders'])
                my_balances.replace(snapshot['account']['balances'])

        spot.handler(Reconcile())
        await spot.subscribe(SubType.USER)
    """

    event, as_frame = 'userDataSnapshot', False


HANDLER_BASES = (
    TradeHandlerBase,
    AggTradeHandlerBase,
    BlockTradeHandlerBase,
    ReferencePriceHandlerBase,
    BookTickerHandlerBase,
    PartialOrderBookHandlerBase,
    AvgPriceHandlerBase,
    WindowTickerHandlerBase,
    KlineHandlerBase,
    MiniTickerHandlerBase,
    TickerHandlerBase,
    AllMarketMiniTickersHandlerBase,
    AllMarketWindowTickersHandlerBase,
    AccountPositionHandlerBase,
    BalanceUpdateHandlerBase,
    OrderUpdateHandlerBase,
    OrderListStatusHandlerBase,
    ExternalLockUpdateHandlerBase,
    EventStreamTerminatedHandlerBase,
    UserDataSnapshotHandlerBase,
    HandlerExceptionHandlerBase,
    StreamErrorHandlerBase,
)
