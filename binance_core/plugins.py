"""Build a plugin manager from the installed entry points.

Entry-point groups: ``binance.markets`` (a plugin that defines a market) and
``binance.plugins`` (a plugin that extends markets). Environment switches:
``BINANCE_PLUGINS=spot,usdm`` loads only the named entry points (empty: none);
``BINANCE_TRACE_PLUGINS=1`` logs every hook call and its result.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import pluggy

from binance_core import hookspecs as _hookspecs

__all__ = ['ENTRY_POINT_GROUPS', 'PluginInfo', 'PluginManager', 'make_plugin_manager']

ENTRY_POINT_GROUPS = ('binance.markets', 'binance.plugins')

log = logging.getLogger('binance.plugins')


class PluginInfo:
    """Where a registered plugin came from (for error messages and ``python -m binance plugins``)."""

    __slots__ = ('distribution', 'group', 'name')

    def __init__(self, name: str, group: str, distribution: str) -> None:
        self.name = name
        self.group = group
        self.distribution = distribution

    def __repr__(self) -> str:
        return f'{self.name} ({self.distribution})'


class PluginManager(pluggy.PluginManager):
    """A pluggy plugin manager that also remembers where each plugin came from.

    Attributes:
        binance_info: ``PluginInfo`` by registered plugin name.
    """

    def __init__(self, project_name: str) -> None:
        super().__init__(project_name)
        self.binance_info: dict[str, PluginInfo] = {}


def _selected(names: Iterable[EntryPoint]) -> list[EntryPoint]:
    wanted = os.environ.get('BINANCE_PLUGINS')
    eps = list(names)
    if wanted is None:
        return eps
    keep = {n.strip() for n in wanted.split(',') if n.strip()}
    return [ep for ep in eps if ep.name in keep]


def make_plugin_manager(
    plugins: Iterable[Any] | None = None,
    *,
    load_entry_points: bool = True,
    hookspecs: Iterable[Any] = (),
    groups: Iterable[str] = ENTRY_POINT_GROUPS,
) -> PluginManager:
    """A fresh plugin manager with the hook specs, the installed entry points (unless
    ``load_entry_points=False``) and any extra *plugins* (modules or objects) registered.

    :param hookspecs: more hook-spec modules or classes, added before any plugin is registered
        (pluggy ``add_hookspecs``), as a distribution that defines hooks of its own does: the
        test kit declares ``binance_fake_exchange`` this way, outside the runtime contract.
    :param groups: the entry-point groups to load; the test kit adds ``binance.testing``.

    Each registered plugin gets a ``PluginInfo`` under ``pm.binance_info[plugin_name]``.
    """
    pm = PluginManager(_hookspecs.PROJECT)
    pm.add_hookspecs(_hookspecs)
    for extra in hookspecs:
        pm.add_hookspecs(extra)
    if load_entry_points:
        installed = entry_points()  # one scan of the installed distributions serves every group
        for group in groups:
            for ep in _selected(installed.select(group=group)):
                # A market's test-kit module shares the market's entry-point name ('spot'): keep both.
                name = ep.name if group in ENTRY_POINT_GROUPS else f'{group}:{ep.name}'
                if pm.get_plugin(name) is not None:
                    continue
                plugin = ep.load()
                dist = ep.dist.name if ep.dist is not None else '?'
                pm.register(plugin, name=name)
                pm.binance_info[name] = PluginInfo(name, group, dist)
    for plugin in plugins or ():
        registered = pm.register(plugin)
        if registered is not None:
            dist = getattr(plugin, '__name__', type(plugin).__name__)
            pm.binance_info[registered] = PluginInfo(registered, 'direct', dist)
    pm.check_pending()
    if os.environ.get('BINANCE_TRACE_PLUGINS'):
        pm.trace.root.setwriter(lambda msg: log.info('%s', msg.rstrip()))
        pm.enable_tracing()
    return pm


def plugin_label(pm: pluggy.PluginManager, plugin: Any) -> str:
    """A readable name for a registered plugin: its entry-point name and distribution."""
    name = pm.get_name(plugin) or repr(plugin)
    info = getattr(pm, 'binance_info', {}).get(name)
    return repr(info) if info is not None else name
