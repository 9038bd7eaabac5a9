"""``import binance`` leaves out the modules that only some users need (a shared rate-limit backend, the user-data
flows, the managed order book and its engine) and those a client needs only once it is made (the rate limiter, the
stream connection): each loads where it is first used, and every public name stays importable from where it always
was, the same object, pickled under the same name.

Each check runs a fresh interpreter: this process has imported everything long ago."""

import inspect
import os
import pickle
import subprocess
import sys
import textwrap
import typing
from pathlib import Path

import pytest

LAZY = (
    'binance_core.rate_limit',
    'binance_core.rate_limit.limiter',
    'binance_core.rate_limit.backend',
    'binance_core.userdata.listen_key_flow',
    'binance_core.userdata.ws_api_flow',
    'binance_core.orderbook.managed',
    'binance_core.orderbook.book',
    'binance_core.transport.stream',
)


def _run(code: str, **env: str) -> str:
    # Without the Redis plugin's settings (a configured plugin imports what it needs at import, by design).
    base = {k: v for k, v in os.environ.items() if not k.startswith('BINANCE_RATELIMIT_REDIS')}
    out = subprocess.run(
        [sys.executable, '-c', code], capture_output=True, text=True, check=True, timeout=120, env={**base, **env}
    )
    return out.stdout.strip()


def test_import_binance_loads_none_of_them() -> None:
    assert _run(f'import sys, binance; print(sorted(m for m in {LAZY!r} if m in sys.modules))') == '[]'


@pytest.mark.parametrize(
    ('statement', 'module'),
    [
        ('from binance_core.rate_limit import BudgetBackend', 'binance_core.rate_limit.backend'),
        ('from binance_core.rate_limit import LocalBudgetBackend', 'binance_core.rate_limit.backend'),
        ('from binance_core.rate_limit import backend_from_plugins', 'binance_core.rate_limit.backend'),
        ('from binance_core.rate_limit.backend import SharedPool', 'binance_core.rate_limit.backend'),
        ('from binance import OrderBook', 'binance_core.orderbook.managed'),
        ('from binance_core.orderbook import OrderBook', 'binance_core.orderbook.managed'),
        ('from binance_core.orderbook import Book', 'binance_core.orderbook.book'),
        ('from binance_core.orderbook.managed import OrderBookHandlerBase', 'binance_core.orderbook.managed'),
        (
            'from binance_core.userdata.listen_key_flow import ListenKeyUserData',
            'binance_core.userdata.listen_key_flow',
        ),
        ('from binance_core.userdata.ws_api_flow import WsApiUserData', 'binance_core.userdata.ws_api_flow'),
        ('from binance_core.transport.stream import StreamConnection', 'binance_core.transport.stream'),
        ('from binance import RateLimiter', 'binance_core.rate_limit.limiter'),
        ('from binance import RateLimitSnapshot, RateLimitWindow', 'binance_core.rate_limit.snapshot'),
        ('binance.SpotClient()', 'binance_core.rate_limit.limiter'),
        ('binance.SpotClient()', 'binance_core.transport.stream'),
    ],
)
def test_each_name_still_imports_and_loads_its_module(statement: str, module: str) -> None:
    assert _run(f'import sys, binance; {statement}; print({module!r} in sys.modules)') == 'True'


def test_the_names_are_the_objects_of_their_modules() -> None:
    import binance
    import binance_core.orderbook as orderbook
    import binance_core.rate_limit as rate_limit
    from binance_core.orderbook import book, managed
    from binance_core.rate_limit import backend
    from binance_core.userdata import listen_key_flow, ws_api_flow

    for name in ('BudgetBackend', 'Hold', 'LocalBudgetBackend', 'SharedPool', 'Taken', 'window_start'):
        assert getattr(rate_limit, name) is getattr(backend, name), name
        assert name in dir(rate_limit)
    assert orderbook.OrderBook is managed.OrderBook is binance.OrderBook
    assert orderbook.Book is book.Book
    assert orderbook.OrderBookHandlerBase is managed.OrderBookHandlerBase is binance.OrderBookHandlerBase
    assert {'OrderBook', 'RateLimiter', 'RateLimitSnapshot', 'RateLimitWindow'} <= set(dir(binance))
    assert 'OrderBook' in dir(orderbook)
    assert binance.RateLimiter is rate_limit.RateLimiter and binance.RateLimitWindow is rate_limit.RateLimitWindow
    # Defined apart from the heavy modules, and found where they are defined (inspect, type hints).
    assert managed.OrderBookHandlerBase.__module__ == 'binance_core.orderbook.handler'
    assert listen_key_flow.ListenKeyUserData.__module__ == 'binance_core.userdata.rows'
    assert ws_api_flow.WsApiUserData.__module__ == 'binance_core.userdata.rows'
    for cls in (managed.OrderBookHandlerBase, listen_key_flow.ListenKeyUserData, ws_api_flow.WsApiUserData):
        assert f'class {cls.__name__}' in inspect.getsource(cls)
    typing.get_type_hints(managed.OrderBookHandlerBase.__init__)
    typing.get_type_hints(listen_key_flow.ListenKeyUserData)
    with pytest.raises(AttributeError, match='no attribute'):
        rate_limit.NoSuchName  # noqa: B018
    with pytest.raises(AttributeError, match='no attribute'):
        orderbook.NoSuchName  # noqa: B018


def test_user_data_rows_pickle() -> None:
    from binance_core.specs import WS
    from binance_core.userdata.listen_key_flow import ListenKeyUserData
    from binance_core.userdata.ws_api_flow import WsApiUserData

    listen_key = ListenKeyUserData(start=WS('a.start'), ping=WS('a.ping'), stop=WS('a.stop'), url='{host}/ws/{key}')
    ws_api = WsApiUserData(subscribe='s', subscribe_signed='ss', unsubscribe='u')
    for row in (listen_key, ws_api):
        assert pickle.loads(pickle.dumps(row)) == row


def test_a_plugin_may_import_the_lazy_names_from_binance_while_binance_assembles(tmp_path: Path) -> None:
    """Plugins load while ``binance`` is being imported (its assembly): one that takes ``RateLimiter`` from the
    facade at import must find it, as it did before the name was lazy."""
    (tmp_path / 'facade_probe.py').write_text(
        'from binance import OrderBook, RateLimiter, RateLimitWindow\nSHARED = RateLimiter()\n'
    )
    info = tmp_path / 'facade_probe-0.1.dist-info'
    info.mkdir()
    (info / 'METADATA').write_text('Metadata-Version: 2.1\nName: facade-probe\nVersion: 0.1\n')
    (info / 'entry_points.txt').write_text('[binance.plugins]\nfacade_probe = facade_probe\n')
    code = textwrap.dedent(
        """
        import binance, facade_probe
        print(type(facade_probe.SHARED).__name__, facade_probe.RateLimiter is binance.RateLimiter)
        """
    )
    assert _run(code, PYTHONPATH=str(tmp_path)) == 'RateLimiter True'
