"""Managed local order books: the engine (``book``), the sequencing-rule contract (``sequencing``; plugins
supply the rules) and the self-resyncing ``OrderBook`` with its handler base (``managed``)."""

from binance_core.orderbook.book import Book
from binance_core.orderbook.managed import OrderBook, OrderBookHandlerBase
from binance_core.orderbook.sequencing import APPLY, DROP, GAP, SequencingRule, Verdict

__all__ = [
    'APPLY',
    'DROP',
    'GAP',
    'Book',
    'OrderBook',
    'OrderBookHandlerBase',
    'SequencingRule',
    'Verdict',
]
