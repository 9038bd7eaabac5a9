"""Managed local order books: the engine (``book``), the per-market sequencing rules (``sequencing``) and the
self-resyncing ``OrderBook`` with its handler base (``managed``)."""

from binance_core.orderbook.book import Book
from binance_core.orderbook.managed import OrderBook, OrderBookHandlerBase
from binance_core.orderbook.sequencing import (
    APPLY,
    DROP,
    FUTURES_RULE,
    GAP,
    SPOT_RULE,
    FuturesRule,
    SequencingRule,
    SpotRule,
    Verdict,
)

__all__ = [
    'APPLY',
    'DROP',
    'FUTURES_RULE',
    'GAP',
    'SPOT_RULE',
    'Book',
    'FuturesRule',
    'OrderBook',
    'OrderBookHandlerBase',
    'SequencingRule',
    'SpotRule',
    'Verdict',
]
