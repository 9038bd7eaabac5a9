"""Managed local order books: the engine (``book``), the sequencing-rule contract (``sequencing``; plugins
supply the rules) and the self-resyncing ``OrderBook`` with its handler base (``managed``).

``Book`` and ``OrderBook`` load their modules on first use: the market plugins export only the handler base at
import, so ``import binance`` does not load the books."""

from __future__ import annotations

from typing import TYPE_CHECKING

from binance_core.lazy import lazy_exports
from binance_core.orderbook.handler import OrderBookHandlerBase
from binance_core.orderbook.sequencing import APPLY, DROP, GAP, SequencingRule, Verdict

if TYPE_CHECKING:
    from binance_core.orderbook.book import Book
    from binance_core.orderbook.managed import OrderBook

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

# Exported here, imported from these modules on first access.
__getattr__, __dir__ = lazy_exports(__name__, {'Book': f'{__name__}.book', 'OrderBook': f'{__name__}.managed'})
