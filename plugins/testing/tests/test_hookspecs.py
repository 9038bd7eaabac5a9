"""The test kit's hook contract: every hook it declares documents its arguments and has a test of its own,
as the core's hooks do (tests/test_hookspecs.py)."""

import importlib
import inspect
import pathlib
import re
import sys
from importlib.metadata import entry_points

import pytest

from binance_core import hookspecs as core_hookspecs
from binance_testing import hookspecs
from binance_testing.contract import hook_doc_problems, hook_names, untested_hooks

HOOKS = hook_names(hookspecs)
TESTS = pathlib.Path(__file__).parent


def test_there_are_hooks():
    assert set(HOOKS) == {'binance_fake_exchange'}
    assert not set(HOOKS) & set(vars(core_hookspecs))  # declared here, outside the runtime contract


@pytest.mark.parametrize('name', HOOKS)
def test_hook_docstring_documents_every_argument(name):
    assert hook_doc_problems(getattr(hookspecs, name)) == []


def test_every_hook_has_a_test_named_after_it():
    assert untested_hooks(hookspecs, TESTS) == []


def test_the_contract_checks_find_problems():
    def binance_badly_documented(market):
        """Gives something back."""

    assert len(hook_doc_problems(binance_badly_documented)) == 5


def test_the_protocol_lists_what_the_market_fakes_use():
    """Every ``exchange.<name>`` (or ``fx.<name>``) an installed market fake uses is on ``FakeExchangeProtocol``."""
    protocol = hookspecs.FakeExchangeProtocol
    members = {n for n in dir(protocol) if not n.startswith('_')} | set(protocol.__annotations__)
    modules = {importlib.import_module(ep.module) for ep in entry_points(group='binance.testing')}
    assert modules, 'no market fake installed'

    # A fake may delegate to a shared module of its plugin's family (the futures fakes are FuturesFake rows
    # from binance_futures.fake, whose hook implementation does the teaching).
    def home(value):
        return getattr(value, '__module__', None) if inspect.isfunction(value) else type(value).__module__

    modules |= {
        sys.modules[home(v)]
        for m in list(modules)
        for v in vars(m).values()
        if (home(v) or '').startswith('binance_') and not home(v).startswith(('binance_core', 'binance_testing'))
    }
    used = set()
    for module in modules:
        used |= set(re.findall(r'\b(?:exchange|fx)\.([a-z_]+)', inspect.getsource(module)))
    assert used <= members, sorted(used - members)
    if {ep.name for ep in entry_points(group='binance.testing')} >= {'spot', 'usdm', 'coinm'}:
        assert used == members, sorted(members - used)  # and nothing more: the protocol is what fakes use
