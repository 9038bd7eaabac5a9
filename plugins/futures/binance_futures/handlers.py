"""Futures market-data handler bases USDⓈ-M and COIN-M share: one short class per stream (Binance derivatives
"WebSocket Market Streams"). Subclass one and override ``receive``; ``super().receive(payload)`` gives a
``volas.DataFrame`` with the columns of ``binance_futures.columns``.

Frames reach a handler by the stream-type row they were subscribed with (``binance_futures.streams``), never
by ``e``: ``event`` below only names the payload's event type, as Binance documents it.

``FuturesOrderBookHandlerBase`` is the managed local book (``binance_core.orderbook.managed``) under its
futures name; the market's ``OrderBookSpec`` gives it the ``pu`` chain rule.
"""

from __future__ import annotations

from typing import Any

from binance_core.handlers import HandlerBase, levels_frame
from binance_core.orderbook import OrderBookHandlerBase
from binance_futures import columns as cols

__all__ = [
    'SHARED_HANDLER_BASES',
    'ForceOrderHandlerBase',
    'FuturesAggTradeHandlerBase',
    'FuturesAllMarketBookTickerHandlerBase',
    'FuturesAllMarketLiquidationHandlerBase',
    'FuturesAllMarketMarkPriceHandlerBase',
    'FuturesAllMarketMiniTickersHandlerBase',
    'FuturesAllMarketTickersHandlerBase',
    'FuturesBookTickerHandlerBase',
    'FuturesContinuousKlineHandlerBase',
    'FuturesContractInfoHandlerBase',
    'FuturesKlineHandlerBase',
    'FuturesMiniTickerHandlerBase',
    'FuturesOrderBookHandlerBase',
    'FuturesPartialOrderBookHandlerBase',
    'FuturesTickerHandlerBase',
    'MarkPriceHandlerBase',
]


# -- per symbol -----------------------------------------------------------------------------------


class MarkPriceHandlerBase(HandlerBase):
    """``<symbol>@markPrice[@1s]``: mark price, index price and funding, every 3 s (or 1 s).

    Columns: ``mark_price``, ``index_price``, ``estimated_settle_price``, ``funding_rate`` (NA for delivery
    contracts), ``next_funding_time``; on USDⓈ-M also ``mark_price_avg`` (the mark price moving average, wire
    ``ap``), which COIN-M payloads do not carry.
    """

    event, columns = 'markPriceUpdate', cols.MARK_PRICE


class ForceOrderHandlerBase(HandlerBase):
    """``<symbol>@forceOrder``: a liquidation order (at most the latest one per symbol each 1000 ms), with the
    order ``o`` flattened into the row; COIN-M rows also have ``pair``."""

    event, columns = 'forceOrder', cols.FORCE_ORDER


class FuturesAggTradeHandlerBase(HandlerBase):
    """``<symbol>@aggTrade``: trades aggregated per taker order (no buyer/seller order ids, unlike Spot)."""

    event, columns = 'aggTrade', cols.AGG_TRADE


class FuturesKlineHandlerBase(HandlerBase):
    """``<symbol>@kline_<interval>``: the current candle, ``k`` flattened into one row (``open_time`` ...
    ``is_closed``)."""

    event, columns = 'kline', cols.KLINE
    columns_by_market = cols.BY_MARKET_KLINE  # COIN-M: `q`/`Q` are base-asset volume


class FuturesContinuousKlineHandlerBase(HandlerBase):
    """``<pair>_<contractType>@continuousKline_<interval>``: the candle of a contract type (perpetual, current
    quarter, ...) of a pair; rows have ``pair`` and ``contract_type`` instead of ``symbol``."""

    event, columns = 'continuous_kline', cols.CONTINUOUS_KLINE
    columns_by_market = cols.BY_MARKET_CONTINUOUS_KLINE  # COIN-M: `q`/`Q` are base-asset volume


class FuturesMiniTickerHandlerBase(HandlerBase):
    """``<symbol>@miniTicker``: 24 h rolling-window mini ticker."""

    event, columns = '24hrMiniTicker', cols.MINI_TICKER
    columns_by_market = cols.BY_MARKET_MINI_TICKER  # COIN-M: `q`/`Q` are base-asset volume


class FuturesTickerHandlerBase(HandlerBase):
    """``<symbol>@ticker``: 24 h rolling-window ticker."""

    event, columns = '24hrTicker', cols.TICKER
    columns_by_market = cols.BY_MARKET_TICKER  # COIN-M: `q`/`Q` are base-asset volume


class FuturesBookTickerHandlerBase(HandlerBase):
    """``<symbol>@bookTicker``: best bid and ask, in real time."""

    event, columns = 'bookTicker', cols.BOOK_TICKER


class FuturesPartialOrderBookHandlerBase(HandlerBase):
    """``<symbol>@depth<5|10|20>[@100ms|@500ms]``: the top levels of the book.

    ``super().receive(payload)`` returns a tuple ``(bids_df, asks_df)``: two frames with float columns
    ``price`` and ``quantity``, in the payload's order. The payload keeps the rest: ``payload['u']`` is the book's
    update id, ``payload['T']`` the transaction time. (Futures partial depth carries its levels in ``b`` and
    ``a``, where Spot's has ``bids`` and ``asks``.)
    """

    # The payload's `e` is "depthUpdate", as on the diff stream: routing is by stream name only.
    event = None

    def receive(self, payload: Any) -> Any:
        if not self.as_frame:
            return payload
        return levels_frame(payload['b']), levels_frame(payload['a'])


class FuturesOrderBookHandlerBase(OrderBookHandlerBase):
    """``<symbol>@depth[@100ms|@500ms]``: a managed local order book per symbol, kept with Binance's futures
    procedure (UM/CM "How to manage a local order book correctly": the first event spans the snapshot's
    ``lastUpdateId``, every later one has ``pu`` equal to the previous ``u``).

    A subclass of ``OrderBookHandlerBase`` that adds nothing: that class works on futures too (the market's
    ``OrderBookSpec`` supplies the rule), and the ORDER_BOOK row routes frames to it, so both receive them;
    this one carries the futures name the spec gives it. Subclass either.
    """


class FuturesContractInfoHandlerBase(HandlerBase):
    """``!contractInfo``: a contract listed, settled or changed (no params). Brackets (``bks``), sent only when
    they change, stay in the raw payload."""

    event, columns = 'contractInfo', cols.CONTRACT_INFO


# -- all market ---------------------------------------------------------------------------------------


class FuturesAllMarketMarkPriceHandlerBase(HandlerBase):
    """``!markPrice@arr[@1s]``: an array of mark prices -> one row per symbol (``mark_price_avg`` where the
    payload has ``ap``: USDⓈ-M)."""

    event, columns = 'markPriceUpdate', cols.MARK_PRICE


class FuturesAllMarketLiquidationHandlerBase(HandlerBase):
    """``!forceOrder@arr``: liquidation orders of every symbol, one order per frame."""

    event, columns = 'forceOrder', cols.FORCE_ORDER


class FuturesAllMarketMiniTickersHandlerBase(HandlerBase):
    """``!miniTicker@arr``: an array of mini tickers (symbols that changed) -> one row each."""

    event, columns = '24hrMiniTicker', cols.MINI_TICKER
    columns_by_market = cols.BY_MARKET_MINI_TICKER  # COIN-M: `q`/`Q` are base-asset volume


class FuturesAllMarketTickersHandlerBase(HandlerBase):
    """``!ticker@arr``: an array of tickers (symbols that changed) -> one row each."""

    event, columns = '24hrTicker', cols.TICKER
    columns_by_market = cols.BY_MARKET_TICKER  # COIN-M: `q`/`Q` are base-asset volume


class FuturesAllMarketBookTickerHandlerBase(HandlerBase):
    """``!bookTicker`` (no ``@arr``): best bid and ask of any symbol, one symbol per frame."""

    event, columns = 'bookTicker', cols.BOOK_TICKER


# Exported from ``binance`` by both futures markets. ``OrderBookHandlerBase`` is among them: it is the class the
# ORDER_BOOK row routes to (so a plain one, and a stand-alone ``OrderBook``'s feeder, receive the diff stream),
# and an environment with only a futures market must still offer ``from binance import OrderBookHandlerBase``.
SHARED_HANDLER_BASES: tuple[type, ...] = (
    MarkPriceHandlerBase,
    ForceOrderHandlerBase,
    FuturesAggTradeHandlerBase,
    FuturesKlineHandlerBase,
    FuturesContinuousKlineHandlerBase,
    FuturesMiniTickerHandlerBase,
    FuturesTickerHandlerBase,
    FuturesBookTickerHandlerBase,
    FuturesPartialOrderBookHandlerBase,
    FuturesOrderBookHandlerBase,
    OrderBookHandlerBase,
    FuturesContractInfoHandlerBase,
    FuturesAllMarketMarkPriceHandlerBase,
    FuturesAllMarketLiquidationHandlerBase,
    FuturesAllMarketMiniTickersHandlerBase,
    FuturesAllMarketTickersHandlerBase,
    FuturesAllMarketBookTickerHandlerBase,
)
