"""Stream types and handler bases only COIN-M has; the shared ones come from ``binance_futures.streams``.

CM-MS "Index Price Stream", "Index Kline/Candlestick Streams" and "Mark Price Kline/Candlestick Streams" (OFF-CM
``websocket_streams``: ``<pair>@indexPrice@<updateSpeed>``, ``<pair>@indexPriceKline_<interval>``,
``<symbol>@markPriceKline_<interval>``), all on dstream's one path: COIN-M did not split its stream URLs. OFF-CM
says that since the 2026-06-30 integration fstream may subscribe the two kline streams for COIN-M symbols too;
the spec keeps them COIN-M's, and so do we.
"""

from __future__ import annotations

from binance_core.handlers import HandlerBase
from binance_core.specs import StreamType
from binance_futures import columns as cols
from binance_futures.streams import INTERVAL, MARK_PRICE_SPEED, PAIR, SYMBOL

__all__ = [
    'HANDLER_BASES',
    'STREAM_TYPES',
    'IndexPriceHandlerBase',
    'IndexPriceKlineHandlerBase',
    'MarkPriceKlineHandlerBase',
]


class IndexPriceHandlerBase(HandlerBase):
    """``<pair>@indexPrice[@1s]`` (``subscribe(SubType.INDEX_PRICE, 'BTCUSD')``, optional speed ``'1s'``): the
    index price of an underlying pair, every 3 s (or 1 s): ``pair``, ``index_price``."""

    event, columns = 'indexPriceUpdate', cols.INDEX_PRICE


class IndexPriceKlineHandlerBase(HandlerBase):
    """``<pair>@indexPriceKline_<interval>``: the current candle of a pair's index price, ``k`` flattened
    (``open_time`` ... ``is_closed``; ``data_points`` is how many prices it was built from)."""

    event, columns = 'indexPrice_kline', cols.INDEX_PRICE_KLINE


class MarkPriceKlineHandlerBase(HandlerBase):
    """``<symbol>@markPriceKline_<interval>``: the current candle of a contract's mark price, ``k`` flattened,
    with ``pair`` and ``symbol``."""

    event, columns = 'markPrice_kline', cols.MARK_PRICE_KLINE


# Not formatted: a table: one row per entry reads better than one field per line.
# fmt: off
STREAM_TYPES: tuple[StreamType, ...] = (
    StreamType(sub_type='INDEX_PRICE', wire='{pair}@indexPrice{speed}', params=(PAIR, MARK_PRICE_SPEED),
               handler='IndexPriceHandlerBase'),
    StreamType(sub_type='INDEX_PRICE_KLINE', wire='{pair}@indexPriceKline_{interval}', params=(PAIR, INTERVAL),
               handler='IndexPriceKlineHandlerBase'),
    StreamType(sub_type='MARK_PRICE_KLINE', wire='{symbol}@markPriceKline_{interval}', params=(SYMBOL, INTERVAL),
               handler='MarkPriceKlineHandlerBase'),
)
# fmt: on

HANDLER_BASES: tuple[type, ...] = (IndexPriceHandlerBase, IndexPriceKlineHandlerBase, MarkPriceKlineHandlerBase)
