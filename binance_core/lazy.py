"""Names a package exports but imports only on first access (PEP 562), so that ``import binance`` loads no more
than it needs::

    __getattr__, __dir__ = lazy_exports(__name__, {'OrderBook': 'binance_core.orderbook.managed'})

A name is imported from its module on first access, then stored in the package, so later accesses are plain
attribute lookups; ``dir()`` lists the lazy names before that.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ['lazy_exports']


def lazy_exports(package: str, names: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for the module *package*, which exports each of *names* from the module it maps
    to; any other missing name is an ``AttributeError`` as usual."""
    namespace = sys.modules[package].__dict__

    def __getattr__(name: str) -> Any:
        source = names.get(name)
        if source is None:
            raise AttributeError(f'module {package!r} has no attribute {name!r}')
        value = getattr(importlib.import_module(source), name)
        namespace[name] = value  # found directly from now on
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *names})

    return __getattr__, __dir__
