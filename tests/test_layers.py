"""The layers stay visible in the source: nothing below the client touches the client, signing lives in one
module, and every library logger hangs under ``binance.`` so users configure the SDK as one tree."""

from __future__ import annotations

import ast
import pathlib
import re

import binance_core

CORE = pathlib.Path(binance_core.__file__).parent
ROOT = CORE.parent
PACKAGES = [CORE, ROOT / 'binance', *sorted((ROOT / 'plugins').glob('*/binance_*'))]


def _sources(*folders: pathlib.Path) -> list[pathlib.Path]:
    return sorted(p for folder in folders for p in folder.rglob('*.py'))


def test_nothing_below_the_client_reaches_into_a_client() -> None:
    offenders = [
        f'{path.relative_to(ROOT)}:{n}'
        for path in _sources(CORE)
        if path.name != 'client.py' or path.parent != CORE
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r'client\._', line)
    ]
    assert offenders == []


def test_nothing_below_the_client_reads_a_private_name_of_a_client_indirectly() -> None:
    """The regex above misses ``getattr(self._client, '_streams', None)``: look for any getattr or attribute
    access whose object names a client and whose attribute is private."""
    offenders = []
    for path in _sources(CORE):
        if path == CORE / 'client.py':
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, 'id', None) in ('getattr', 'hasattr', 'setattr'):
                target, name = [*node.args, None, None][:2]
                if (
                    isinstance(name, ast.Constant)
                    and str(name.value).startswith('_')
                    and 'client' in ast.unparse(target).lower()
                ):
                    offenders.append(f'{path.relative_to(ROOT)}:{node.lineno}')
            elif isinstance(node, ast.Attribute) and node.attr.startswith('_') and not node.attr.startswith('__'):
                if ast.unparse(node.value).lower().endswith('client'):
                    offenders.append(f'{path.relative_to(ROOT)}:{node.lineno}')
    assert offenders == []


def test_only_the_assembly_imports_the_client_module() -> None:
    importers = set()
    for path in _sources(CORE):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == 'binance_core.client':
                importers.add(path.relative_to(CORE).as_posix())
    assert importers <= {'assembly.py'}


def test_signing_and_the_resend_live_in_one_module() -> None:
    for path in _sources(CORE / 'transport'):
        text = path.read_text()
        assert '.sign(' not in text, f'{path.name} signs by itself; use binance_core.signing'
        assert 'clock.sync' not in text, f'{path.name} syncs the clock by itself; use binance_core.signing'
        assert 'limiter.acquire(' not in text, f'{path.name} takes request budget by itself'


def test_every_library_logger_is_under_binance() -> None:
    names = {}
    for path in _sources(*PACKAGES):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, 'attr', None) == 'getLogger':
                arg = node.args[0] if node.args else None
                names[f'{path.relative_to(ROOT)}:{node.lineno}'] = arg.value if isinstance(arg, ast.Constant) else None
    assert names, 'no logger found: the scan is broken'
    bad = {where: name for where, name in names.items() if not (isinstance(name, str) and name.startswith('binance.'))}
    assert bad == {}


def test_library_code_never_prints() -> None:
    printing = [
        f'{path.relative_to(ROOT)}:{node.lineno}'
        for path in _sources(CORE, *[p for p in PACKAGES if p.name != 'binance_testing'])
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call) and getattr(node.func, 'id', None) == 'print'
    ]
    assert printing == []
