"""Editor and type-checker stubs, generated from the rows: the clients are assembled at import, so without a
stub an editor sees ``SpotClient`` as ``Any``.

- :func:`client_stub`: a market's ``binance_<market>/client.pyi``, one ``async def`` per row with the row's
  keyword-only params and their kinds (:mod:`binance_core.paramkinds`).
- :func:`facade_stub`: ``binance/__init__.pyi``, every name ``binance`` exports, with the clients from the
  markets' stubs and ``SubType`` with all its members.
- :func:`rows_protocol`: a ``typing.Protocol`` of a third-party plugin's own rows, for the plugin to ship.

``python -m binance stubs`` writes the repository's stubs; ``--check`` fails when a committed one is stale.
"""

from __future__ import annotations

import keyword
from collections.abc import Iterable, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING

from binance_core.paramkinds import Kind, kind_of
from binance_core.specs import Endpoint

if TYPE_CHECKING:
    from binance_core.assembly import MarketAssembly

__all__ = ['HEADER', 'client_stub', 'facade_stub', 'rows_protocol']

HEADER = '# Generated from the rows by `python -m binance stubs`: do not edit by hand.\n'
_IMPORTS = (
    'from collections.abc import Mapping, Sequence\n'
    'from decimal import Decimal\n'
    'from typing import Any, ClassVar\n'
    '\n'
    'from volas import TimeFrame\n'
)


def _params(row: Endpoint, market_kinds: Mapping[str, Kind]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()

    def add(name: str, required: bool) -> None:
        if name in seen:
            return
        seen.add(name)
        stub = kind_of(name, row.kinds, market_kinds).stub
        out.append(f'{name}: {stub}' if required else f'{name}: {stub if stub == "Any" else stub + " | None"} = None')

    for item in row.required:
        for name in item if isinstance(item, tuple) else (item,):
            add(name, required=not isinstance(item, tuple))
    if row.optional is None:
        out.append('**params: Any')
    else:
        for name in row.optional:
            add(name, required=False)
        if row.security.signed:
            add('recvWindow', required=False)
        out.append('extra_params: Mapping[str, Any] | None = None')
    return out


def _method(row: Endpoint, market_kinds: Mapping[str, Kind], indent: str = '    ') -> str:
    params = _params(row, market_kinds)
    star = [] if params and params[0].startswith('**') else ['*']
    head = f'{indent}async def {row.name}('
    one_line = f'{head}self, {", ".join([*star, *params])}) -> Any:'
    summary = (row.summary or f'Call {row.call.describe()}.').replace('"""', "'''")
    doc = f'{indent}    """{summary}"""'
    if len(one_line) <= 120:
        return f'{one_line}\n{doc}\n'
    lines = [head, f'{indent}    self,'] + [f'{indent}    {p},' for p in [*star, *params]]
    return '\n'.join([*lines, f'{indent}) -> Any:', doc]) + '\n'


def _check_names(names: Iterable[str]) -> None:
    for name in names:
        if not name.isidentifier() or keyword.iskeyword(name):
            raise ValueError(f'{name!r} cannot be a Python parameter name in a stub')


def client_stub(ma: MarketAssembly, rows: Iterable[Endpoint] | None = None) -> str:
    """The ``.pyi`` text of a market's client: ``class <Client>(BaseClient)`` with one method per row.

    :param ma: the assembled market.
    :param rows: the rows to write (the market's own distribution's); all of the market's by default.
    """
    endpoints = list(ma.endpoints.values()) if rows is None else list(rows)
    for row in endpoints:
        _check_names(row.required_names().union(row.optional or ()))
    name = ma.spec.client_name
    body = '\n'.join(_method(row, ma.spec.param_kinds) for row in endpoints)
    return (
        f'{HEADER}"""Types of ``binance.{name}`` ({ma.spec.distribution}): its methods, params and their kinds."""\n\n'
        f'{_IMPORTS}\nfrom binance import SubType as _SubType\nfrom binance_core.client import BaseClient\n\n'
        f'__all__ = [{name!r}]\n\n'
        f'class {name}(BaseClient):\n    """The {ma.spec.name} market client."""\n\n'
        f'    SubType: ClassVar[type[_SubType]]\n\n{body}'
    )


def rows_protocol(name: str, rows: Sequence[Endpoint], market_kinds: Mapping[str, Kind] | None = None) -> str:
    """The ``.pyi`` text of a ``typing.Protocol`` named *name* with a third-party plugin's rows as methods.

    A plugin that adds rows to a market ships this stub (beside a module defining the same Protocol at run
    time); its users write ``calls = cast(MyCalls, spot)`` to have the new methods checked, and keep ``spot``
    for the market's own.
    """
    kinds = market_kinds or {}
    for row in rows:
        _check_names(row.required_names().union(row.optional or ()))
    body = '\n'.join(_method(row, kinds) for row in rows)
    header = f'# Generated from the rows by binance_core.stubs.rows_protocol({name!r}, ...): do not edit by hand.\n'
    return f'{header}{_IMPORTS}from typing import Protocol\n\n\nclass {name}(Protocol):\n{body}'


def facade_stub(
    facade: ModuleType, *, modules: Mapping[str, str], first_party: Sequence[str], sub_types: Sequence[str]
) -> str:
    """The ``binance/__init__.pyi`` text: every name *facade* (the imported ``binance``) exports, each imported
    from the module that defines it, the clients from their stubs, and ``SubType`` with all its members.

    :param facade: the ``binance`` module, assembled with every first-party market installed.
    :param modules: where to import a name from when its ``__module__`` does not say: each client class
        (``'SpotClient': 'binance_spot.client'``, its stub) and extension types (``'TimeFrame': 'volas'``).
    :param first_party: top-level packages whose exports the stub names (a third-party plugin's exports stay
        out of the repository's stub: its plugin ships its own).
    :param sub_types: the ``SubType`` members to name: the spec's and the first-party markets' (a third-party
        plugin's stream types stay out too).
    """
    lines = [
        HEADER.rstrip('\n'),
        '"""Types of the ``binance`` facade, which assembles these names from the installed plugins at import."""',
        '',
        'import enum',
        '',
        'from binance_core.assembly import Assembly',
    ]
    exported = ['SubType', 'assembly']
    for name in sorted(facade.__all__):
        if name in ('SubType', 'assembly'):
            continue
        module = str(modules.get(name) or getattr(getattr(facade, name), '__module__', ''))
        if name in modules or module.split('.')[0] in first_party:
            lines.append(f'from {module} import {name} as {name}')
            exported.append(name)
    lines += ['', f'__all__ = {sorted(exported)!r}', '', 'assembly: Assembly', '', '', 'class SubType(enum.Enum):']
    lines += [f'    {m.name} = {m.value!r}' for m in facade.SubType if m.name in sub_types]
    return '\n'.join(lines) + '\n'
