"""A plugin manager for the test kit: the runtime hooks plus ``binance_fake_exchange``, and the market
plugins' fake modules from the entry-point group ``binance.testing``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pluggy

from binance_core import plugins as _core
from binance_testing import hookspecs

__all__ = ['TESTING_GROUP', 'add_testing_hookspecs', 'make_plugin_manager']

# Where each market plugin registers its fake module (``spot = "binance_spot.fake"``).
TESTING_GROUP = 'binance.testing'


def make_plugin_manager(
    plugins: Iterable[Any] | None = None, *, load_entry_points: bool = True
) -> pluggy.PluginManager:
    """A fresh plugin manager as ``binance_core.plugins.make_plugin_manager`` builds it, with the test
    kit's hook spec and (unless ``load_entry_points=False``) the ``binance.testing`` entry points too.
    ``BINANCE_PLUGINS`` applies to both groups: a market's fake module shares its entry-point name."""
    return _core.make_plugin_manager(
        plugins,
        load_entry_points=load_entry_points,
        hookspecs=(hookspecs,),
        groups=(*_core.ENTRY_POINT_GROUPS, TESTING_GROUP),
    )


def add_testing_hookspecs(pm: pluggy.PluginManager) -> pluggy.PluginManager:
    """Give *pm* (say, one a test built with the core's ``make_plugin_manager``) the test kit's hook spec,
    unless it has it already (pluggy refuses a spec added twice). Registers no plugin. Returns *pm*."""
    caller = getattr(pm.hook, 'binance_fake_exchange', None)
    if caller is None or caller.spec is None:
        pm.add_hookspecs(hookspecs)
    return pm
