"""``import binance`` leaves out the modules that only some users need (a shared rate-limit backend, the user-data
flows, the managed order book and its engine) and those a client needs only once it is made (the rate limiter, the
stream connection): each loads where it is first used, and every public name stays importable from where it always
was, the same object, pickled under the same name.

Each check runs a fresh interpreter: this process has imported everything long ago."""

import pickle
import subprocess
import sys

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


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True, timeout=120)
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
    # Defined apart from the heavy modules, they still say they live there (docs, pickles, the facade stub).
    assert managed.OrderBookHandlerBase.__module__ == 'binance_core.orderbook.managed'
    assert listen_key_flow.ListenKeyUserData.__module__ == 'binance_core.userdata.listen_key_flow'
    assert ws_api_flow.WsApiUserData.__module__ == 'binance_core.userdata.ws_api_flow'
    with pytest.raises(AttributeError, match='no attribute'):
        rate_limit.NoSuchName  # noqa: B018
    with pytest.raises(AttributeError, match='no attribute'):
        orderbook.NoSuchName  # noqa: B018


def test_user_data_rows_pickle_under_their_flow_modules() -> None:
    from binance_core.specs import WS
    from binance_core.userdata.listen_key_flow import ListenKeyUserData
    from binance_core.userdata.ws_api_flow import WsApiUserData

    listen_key = ListenKeyUserData(start=WS('a.start'), ping=WS('a.ping'), stop=WS('a.stop'), url='{host}/ws/{key}')
    ws_api = WsApiUserData(subscribe='s', subscribe_signed='ss', unsubscribe='u')
    for row, module in (
        (listen_key, b'binance_core.userdata.listen_key_flow'),
        (ws_api, b'binance_core.userdata.ws_api_flow'),
    ):
        data = pickle.dumps(row)
        assert module in data and b'binance_core.userdata.rows' not in data
        assert pickle.loads(data) == row
