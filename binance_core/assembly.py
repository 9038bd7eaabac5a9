"""Turn what the plugins return into client classes, ``SubType`` and the exports of ``binance``.

Every hook implementation is called one by one so that a conflict names the plugins
involved. Nothing here runs after assembly: generated methods call plain functions.
"""

from __future__ import annotations

import enum
import functools
import inspect
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import attrs
import pluggy

from binance_core.catalog import SUB_TYPES
from binance_core.exceptions import InvalidRowError, PluginConflictError
from binance_core.hookspecs import UserDataFlowFactory
from binance_core.plugins import PluginManager, make_plugin_manager, plugin_label
from binance_core.specs import Endpoint, MarketSpec, PoolSpec, StreamType

if TYPE_CHECKING:
    from binance_core.rate_limit.backend import BudgetBackend

__all__ = ['Assembly', 'MarketAssembly', 'assemble']


@attrs.frozen(kw_only=True)
class MarketAssembly:
    """Everything assembled for one market.

    Attributes:
        spec: the market's ``MarketSpec``.
        plugin: label of the plugin that defined the market.
        endpoints: ``name -> Endpoint`` in declaration order.
        stream_types: ``SubType member name -> StreamType``.
        handler_bases: handler base classes by name.
        pools: rate-limit pool rows.
        user_data_flow: the user-data flow factory, or ``None``.
        rate_limit_backend: where the market's shared budgets are counted, from a plugin's
            ``binance_rate_limit_backend`` hook (``binance-ratelimit-redis``), or ``None``: in this process.
        mixins: client mixin classes.
        sources: ``'endpoint:<name>'`` etc. -> label of the plugin that supplied it.
    """

    spec: MarketSpec
    plugin: str
    endpoints: dict[str, Endpoint]
    stream_types: dict[str, StreamType]
    handler_bases: dict[str, type]
    pools: tuple[PoolSpec, ...]
    user_data_flow: UserDataFlowFactory | None
    mixins: tuple[type, ...]
    sources: dict[str, str]
    client_class: type | None = None
    rate_limit_backend: BudgetBackend | None = None


@attrs.frozen(kw_only=True)
class Assembly:
    """The assembled SDK: ``markets`` by name, ``clients`` by class name, ``SubType``,
    and ``handler_bases`` by name (all markets)."""

    pm: PluginManager
    markets: dict[str, MarketAssembly]
    clients: dict[str, type]
    sub_type: type[enum.Enum]
    handler_bases: dict[str, type]
    enums: dict[str, type[enum.Enum]] = attrs.field(factory=dict)


def _impls(pm: pluggy.PluginManager, hook: str) -> list[tuple[str, Callable[..., Any]]]:
    caller = getattr(pm.hook, hook)
    # pluggy returns implementations in call order (LIFO); reverse to registration order so
    # that declaration order (e.g. of endpoints) follows plugin load order.
    return [(plugin_label(pm, impl.plugin), impl.function) for impl in reversed(caller.get_hookimpls())]


def _call(fn: Callable[..., Any], **kwargs: Any) -> Any:
    wanted = inspect.signature(fn).parameters
    return fn(**{k: v for k, v in kwargs.items() if k in wanted})


def _rows(result: Any, kind: type, who: str, hook: str) -> list[Any]:
    if result is None:
        return []
    if isinstance(result, kind) or isinstance(result, str | bytes) or not isinstance(result, Iterable):
        raise InvalidRowError(f'{who}: {hook} must return a sequence of {kind.__name__}, got {result!r}')
    rows = list(result)
    for row in rows:
        if not isinstance(row, kind):
            raise InvalidRowError(f'{who}: {hook} returned {row!r}, which is not a {kind.__name__}')
    return rows


def _markets(pm: pluggy.PluginManager) -> dict[str, tuple[MarketSpec, str]]:
    markets: dict[str, tuple[MarketSpec, str]] = {}
    clients: dict[str, str] = {}
    for who, fn in _impls(pm, 'binance_markets'):
        for spec in _rows(_call(fn), MarketSpec, who, 'binance_markets'):
            if spec.name in markets:
                raise PluginConflictError(f'market {spec.name!r} is defined by both {markets[spec.name][1]} and {who}')
            if spec.client_name in clients:
                raise PluginConflictError(
                    f'client class {spec.client_name!r} is claimed by both {clients[spec.client_name]} and {who}'
                )
            markets[spec.name] = (spec, who)
            clients[spec.client_name] = who
    return markets


def _collect(pm: pluggy.PluginManager, hook: str, spec: MarketSpec, kind: type) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for who, fn in _impls(pm, hook):
        out.extend((who, row) for row in _rows(_call(fn, market=spec), kind, who, hook))
    return out


def _keyed(
    rows: list[tuple[str, Any]], key: Callable[[Any], str], what: str, market: str, sources: dict[str, str]
) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for who, row in rows:
        k = key(row)
        if k in table:
            if table[k] == row:
                continue
            raise PluginConflictError(
                f'{what} {k!r} on market {market!r} is declared by both {sources[f"{what}:{k}"]} and {who}'
            )
        table[k] = row
        sources[f'{what}:{k}'] = who
    return table


def _check_foreign_rows(pm: pluggy.PluginManager, markets: dict[str, tuple[MarketSpec, str]]) -> None:
    """A row for a market nobody defines is a mistake (typo, or a missing plugin): say so."""
    for hook in (
        'binance_endpoints',
        'binance_stream_types',
        'binance_handler_bases',
        'binance_rate_pools',
        'binance_enums',
    ):
        for who, fn in _impls(pm, hook):
            targets = getattr(fn, 'binance_markets', None)
            if targets is None:
                continue
            unknown = sorted(set(targets) - set(markets))
            if unknown:
                raise InvalidRowError(
                    f'{who}: {hook} declares rows for market(s) {unknown}, which no installed plugin defines; '
                    f'installed markets: {sorted(markets)}'
                )


def _rate_limit_backend(pm: pluggy.PluginManager, spec: MarketSpec) -> BudgetBackend | None:
    """``rate_limit.backend_from_plugins(pm, spec)``, with the backend module imported only when a plugin returned
    a backend (the Redis plugin, configured): assembly without one never loads it."""
    backend = pm.hook.binance_rate_limit_backend(market=spec)
    if backend is None:
        return None
    from binance_core.rate_limit.backend import checked_backend

    return checked_backend(backend, spec)


def for_markets(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a hook implementation with the markets it serves.

    The implementation is then called only for those markets (it can ignore ``market``),
    and assembly fails if a named market is not installed.
    """

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def impl(*args: Any, **kwargs: Any) -> Any:
            market = kwargs['market'] if 'market' in kwargs else args[-1]
            return fn(*args, **kwargs) if market.name in names else ()

        impl.binance_markets = names  # type: ignore[attr-defined]
        return impl

    return deco


def assemble(pm: PluginManager | None = None) -> Assembly:
    """Assemble every installed market. With no *pm*, uses the installed entry points."""
    from binance_core.client import BaseClient, make_client_class
    from binance_core.handlers.base import HandlerBase

    pm = pm if pm is not None else make_plugin_manager()
    markets = _markets(pm)
    _check_foreign_rows(pm, markets)
    assembled: dict[str, MarketAssembly] = {}
    all_handlers: dict[str, tuple[type, str]] = {}
    all_enums: dict[str, tuple[type[enum.Enum], str]] = {}
    # Every member of the spec first, whatever is installed; then any a plugin adds.
    sub_type_names: dict[str, None] = dict.fromkeys(SUB_TYPES)
    for name, (spec, definer) in markets.items():
        sources: dict[str, str] = {}
        endpoints = _keyed(
            _collect(pm, 'binance_endpoints', spec, Endpoint), lambda r: r.name, 'endpoint', name, sources
        )
        streams = _keyed(
            _collect(pm, 'binance_stream_types', spec, StreamType), lambda r: r.sub_type, 'stream type', name, sources
        )
        pools = _keyed(
            _collect(pm, 'binance_rate_pools', spec, PoolSpec),
            lambda r: f'{r.type}/{r.interval}' + (f'/{r.group}' if r.group else ''),
            'pool',
            name,
            sources,
        )
        handlers: dict[str, type] = {}
        for who, cls in _collect(pm, 'binance_handler_bases', spec, type):
            if not issubclass(cls, HandlerBase):
                raise InvalidRowError(f'{who}: handler base {cls!r} does not subclass HandlerBase')
            prev = all_handlers.get(cls.__name__)
            if prev is not None and prev[0] is not cls:
                raise PluginConflictError(f'handler base {cls.__name__!r} is exported by both {prev[1]} and {who}')
            all_handlers[cls.__name__] = (cls, who)
            handlers[cls.__name__] = cls
            sources.setdefault(f'handler base:{cls.__name__}', who)
        for row in streams.values():
            if row.handler and row.handler not in handlers and row.handler not in all_handlers:
                raise InvalidRowError(
                    f'{sources["stream type:" + row.sub_type]}: stream type {row.sub_type} names handler '
                    f'{row.handler!r}, which no plugin exports for market {name!r}'
                )
            sub_type_names.setdefault(row.sub_type)
        for who, cls in _collect(pm, 'binance_enums', spec, type):
            if not issubclass(cls, enum.Enum):
                raise InvalidRowError(f'{who}: binance_enums returned {cls!r}, which is not an Enum')
            prev = all_enums.get(cls.__name__)
            if prev is not None and prev[0] is not cls:
                raise PluginConflictError(f'enum {cls.__name__!r} is exported by both {prev[1]} and {who}')
            all_enums[cls.__name__] = (cls, who)
        mixins: list[type] = []
        for _who, cls in _collect(pm, 'binance_client_mixins', spec, type):
            mixins.append(cls)
        flow = pm.hook.binance_user_data_flow(market=spec)
        if flow is not None and not callable(flow):
            raise InvalidRowError(
                f'binance_user_data_flow for market {name!r} returned {flow!r}, which is not callable'
            )
        clashes = sorted(n for n in endpoints if hasattr(BaseClient, n))
        if clashes:
            raise PluginConflictError(
                f'endpoint(s) {clashes} on market {name!r} ({", ".join(sources["endpoint:" + c] for c in clashes)}) '
                'collide with built-in client methods'
            )
        assembled[name] = MarketAssembly(
            spec=spec,
            plugin=definer,
            endpoints=endpoints,
            stream_types=streams,
            handler_bases=handlers,
            pools=tuple(pools.values()),
            user_data_flow=flow,
            rate_limit_backend=_rate_limit_backend(pm, spec),
            mixins=tuple(mixins),
            sources=sources,
        )
    sub_type = enum.Enum('SubType', [(n, n) for n in sub_type_names], module='binance')  # type: ignore[misc]
    # Which installed client offers each member, for the UnsupportedSubTypeException of one that does not.
    offered: dict[str, tuple[str, ...]] = {
        n: tuple(
            ma.spec.client_name
            for ma in assembled.values()
            if n in ma.stream_types and not ma.stream_types[n].unsupported
        )
        for n in sub_type_names
    }
    setattr(sub_type, '_offered_by', offered)  # noqa: B010 (not an enum member: a plain class attribute)
    clients = {}
    for name, ma in list(assembled.items()):
        cls = make_client_class(ma, sub_type)
        assembled[name] = attrs.evolve(ma, client_class=cls)
        clients[ma.spec.client_name] = cls
    for cls in clients.values():
        cls._market_assembly = assembled[cls._market_assembly.spec.name]  # type: ignore[attr-defined]
    return Assembly(
        pm=pm,
        markets=assembled,
        clients=clients,
        sub_type=sub_type,
        handler_bases={n: c for n, (c, _w) in all_handlers.items()},
        enums={n: c for n, (c, _w) in all_enums.items()},
    )
