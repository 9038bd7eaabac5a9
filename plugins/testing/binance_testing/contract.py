"""Checks a hook-spec module against the house contract (STYLE.md §3): the core's, the test kit's, or a
third-party plugin's own hooks. Each check returns what is wrong, so a test asserts it is empty."""

from __future__ import annotations

import inspect
import pathlib
import re
from types import ModuleType
from typing import Any

__all__ = ['hook_doc_problems', 'hook_names', 'untested_hooks']


def hook_names(module: ModuleType) -> list[str]:
    """The hook specs a module declares: its callables named ``binance_*``."""
    return [name for name, fn in vars(module).items() if name.startswith('binance_') and callable(fn)]


def hook_doc_problems(fn: Any) -> list[str]:
    """What the docstring of hook spec *fn* fails to say: its first line starts ``Return`` or ``Teach``;
    it says when it is called, what it returns and since when; it documents each argument with
    ``:param:``; and it says "Stops at the first non-None result" exactly when the hook is firstresult."""
    name = fn.__name__
    doc = inspect.getdoc(fn) or ''
    problems = []
    if not doc.startswith(('Return', 'Teach')):
        problems.append(f'{name}: start with what to return')
    for needed, why in (('Called ', 'say when it is called'), (':returns:', 'say what it returns'),
                        ('.. versionadded::', 'say since when')):  # fmt: skip
        if needed not in doc:
            problems.append(f'{name}: {why}')
    problems += [f'{name}: document {arg}' for arg in inspect.signature(fn).parameters if f':param {arg}:' not in doc]
    firstresult = fn.binance_spec['firstresult'] if hasattr(fn, 'binance_spec') else False
    if ('Stops at the first non-None result' in doc) != firstresult:
        problems.append(f'{name}: say "Stops at the first non-None result" exactly when it is firstresult')
    return problems


def untested_hooks(module: ModuleType, tests: pathlib.Path) -> list[str]:
    """Hooks of *module* with no test named ``test_hook_<name>`` in a ``test_*.py`` below *tests*."""
    texts = [p.read_text() for p in tests.rglob('test_*.py')]
    return [n for n in hook_names(module) if not any(re.search(rf'def test_hook_{n}\b', t) for t in texts)]
