"""Managed local order books: the engine (``book``), the sequencing-rule contract (``sequencing``; plugins
supply the rules) and the self-resyncing ``OrderBook`` with its handler base (``managed``).

``Book`` and ``OrderBook`` load their modules on first use: the market plugins export only the handler base at
import, so ``import binance`` does not load the books."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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
_LAZY = {'Book': 'book', 'OrderBook': 'managed'}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is not None:
        value = getattr(importlib.import_module(f'{__name__}.{module}'), name)
        globals()[name] = value  # found directly from now on
        return value
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
