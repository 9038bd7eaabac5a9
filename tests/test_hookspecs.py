"""The hook contract: every hook documents its arguments, and every hook has a test of its own."""

import pathlib

import pytest

from binance_core import hookspecs
from binance_testing.contract import hook_doc_problems, hook_names, untested_hooks

HOOKS = hook_names(hookspecs)
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
        'binance_rate_limit_backend',
        'binance_client_mixins',
    }  # the test kit declares binance_fake_exchange itself (plugins/testing/tests/test_hookspecs.py)


@pytest.mark.parametrize('name', HOOKS)
def test_hook_docstring_documents_every_argument(name):
    assert hook_doc_problems(getattr(hookspecs, name)) == []


def test_every_hook_has_a_test_named_after_it():
    assert untested_hooks(hookspecs, TESTS) == []
