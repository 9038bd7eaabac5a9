"""The hook contract: every hook documents its arguments, and every hook has a test of its own."""

import inspect
import pathlib
import re

import pytest

from binance_core import hookspecs

HOOKS = [name for name, fn in vars(hookspecs).items() if name.startswith('binance_') and callable(fn)]
TESTS = pathlib.Path(__file__).parent


def test_there_are_hooks():
    assert set(HOOKS) == {
        'binance_markets',
        'binance_endpoints',
        'binance_stream_types',
        'binance_handler_bases',
        'binance_rate_pools',
        'binance_enums',
        'binance_user_data_flow',
        'binance_client_mixins',
    }  # the test kit declares binance_fake_exchange itself (plugins/testing/tests/test_hookspecs.py)


@pytest.mark.parametrize('name', HOOKS)
def test_hook_docstring_documents_every_argument(name):
    fn = getattr(hookspecs, name)
    doc = inspect.getdoc(fn) or ''
    assert doc.splitlines()[0].startswith('Return') or doc.splitlines()[0].startswith('Teach'), name
    assert 'Called ' in doc, f'{name}: say when it is called'
    assert ':returns:' in doc, f'{name}: say what it returns'
    for arg in inspect.signature(fn).parameters:
        assert f':param {arg}:' in doc, f'{name}: document {arg}'
    firstresult = fn.binance_spec['firstresult'] if hasattr(fn, 'binance_spec') else False
    assert ('Stops at the first non-None result' in doc) == firstresult, name


@pytest.mark.parametrize('name', HOOKS)
def test_every_hook_has_a_test_named_after_it(name):
    pattern = re.compile(rf'def test_hook_{name}\b')
    assert any(pattern.search(p.read_text()) for p in TESTS.rglob('test_*.py')), f'no test_hook_{name}'
