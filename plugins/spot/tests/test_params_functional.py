"""Params Binance takes as text (symbols, client order ids, enums such as ``side``) are checked
against the Spot market's ``text_params`` before anything is sent: a wrong type or an empty string
never reaches the loopback fake exchange."""

import asyncio
import importlib.util
from pathlib import Path

import pytest

from binance import (
    Credentials,
    InvalidParamException,
    InvalidParamTypeException,
    InvalidParamValueException,
    SpotClient,
)
from binance_core.params import prepare
from binance_spot.endpoints import ENDPOINTS
from binance_spot.market import SPOT
from binance_testing import FakeExchange


def _load_cases():
    # --import-mode=importlib keeps this folder off sys.path, so load the sibling by path.
    spec = importlib.util.spec_from_file_location('spot_wire_cases', Path(__file__).with_name('wire_cases.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CASES


CASES = _load_cases()
ROWS = {row.name: row for row in ENDPOINTS}

# Required params of Spot rows that Binance does not type as text (web-socket-api.md): LONG/INT ids,
# DECIMAL quantities and prices, and the `symbols` ARRAY.
NOT_TEXT_REQUIRED = {
    'fromId',
    'orderId',
    'orderListId',
    'preventedMatchId',
    'cancelOrderId',
    'quantity',
    'newQty',
    'workingPrice',
    'workingQuantity',
    'pendingQuantity',
    'symbols',
}


@pytest.fixture
async def fx():
    async with FakeExchange('spot') as exchange:
        yield exchange


# -- the market's set against the rows (no network) ---------------------------------------------


def test_every_required_param_of_every_row_is_classified():
    # A new row whose required params nobody has classified as text or not fails here.
    required = {
        name for row in ENDPOINTS for item in row.required for name in (item if isinstance(item, tuple) else (item,))
    }
    unclassified = required - SPOT.text_params - NOT_TEXT_REQUIRED
    assert not unclassified, f'classify these as text (SPOT_TEXT_PARAMS) or not: {sorted(unclassified)}'
    assert NOT_TEXT_REQUIRED <= required, 'NOT_TEXT_REQUIRED names a param no row requires any more'
    assert not NOT_TEXT_REQUIRED & SPOT.text_params


def test_the_spot_set_holds_symbols_ids_and_enums_but_no_lists_or_numbers():
    assert {'symbol', 'side', 'type', 'timeInForce', 'interval', 'newClientOrderId', 'origClientOrderId'} <= (
        SPOT.text_params
    )
    assert {'symbols', 'permissions', 'orderId', 'orderListId', 'price', 'quantity', 'limit'}.isdisjoint(
        SPOT.text_params
    )
    assert all(not row.text and not row.not_text for row in ENDPOINTS)  # the market's set covers every row


@pytest.mark.parametrize(('name', 'kwargs', 'wire', 'expected'), CASES, ids=[c[0] for c in CASES])
def test_every_wire_case_passes_the_text_check_and_each_text_param_in_it_is_checked(name, kwargs, wire, expected):
    row = ROWS[name]
    sent = prepare(row, kwargs, SPOT.text_params)
    assert {k: sent.get(k) for k in expected} == expected
    for param in SPOT.text_params.intersection(kwargs):
        with pytest.raises(InvalidParamTypeException) as info:
            prepare(row, {**kwargs, param: 123}, SPOT.text_params)
        assert (info.value.method, info.value.param) == (name, param)
        with pytest.raises(InvalidParamValueException):
            prepare(row, {**kwargs, param: ''}, SPOT.text_params)


# -- through the client, against the fake ----------------------------------------------------------


@pytest.mark.parametrize(
    ('symbol', 'exc'),
    [
        (123, InvalidParamTypeException),
        (['BTCUSDT'], InvalidParamTypeException),
        ({}, InvalidParamTypeException),
        ('', InvalidParamValueException),
        ('   ', InvalidParamValueException),
    ],
    ids=['int', 'list', 'dict', 'empty', 'blank'],
)
async def test_a_bad_symbol_never_reaches_the_exchange(fx, symbol, exc):
    async with SpotClient(**fx.client_kwargs()) as spot:
        async with asyncio.timeout(5):
            with pytest.raises(exc) as info:
                await spot.get_orderbook(symbol=symbol)
            assert isinstance(info.value, TypeError if exc is InvalidParamTypeException else ValueError)
            assert isinstance(info.value, InvalidParamException)
            assert "get_orderbook(): param 'symbol'" in str(info.value)
            assert "symbol='BTCUSDT'" in str(info.value)  # says what to pass
            assert fx.requests_for('depth') == []
            assert fx.requests == []
            # The same client then sends a good call: the check refused the value, not the client.
            await spot.get_orderbook(symbol='BTCUSDT', limit=5)
    assert [r.params['symbol'] for r in fx.requests_for('depth')] == ['BTCUSDT']


@pytest.mark.parametrize(
    ('bad', 'exc'),
    [
        ({'side': 1}, InvalidParamTypeException),
        ({'type': ['LIMIT']}, InvalidParamTypeException),
        ({'timeInForce': ''}, InvalidParamValueException),
        ({'newClientOrderId': 42}, InvalidParamTypeException),
    ],
    ids=['side-int', 'type-list', 'tif-empty', 'client-id-int'],
)
async def test_a_bad_order_enum_or_client_id_never_reaches_the_exchange(fx, bad, exc):
    fx.add_key('hmac-key', secret='hmac-secret')
    order = {'symbol': 'BTCUSDT', 'side': 'BUY', 'type': 'LIMIT', 'timeInForce': 'GTC', 'quantity': '1', 'price': '10'}
    async with SpotClient(Credentials('hmac-key', api_secret='hmac-secret'), **fx.client_kwargs()) as spot:
        async with asyncio.timeout(5):
            with pytest.raises(exc) as info:
                await spot.create_order(**{**order, **bad})
    (param,) = bad
    assert info.value.param == param and f'create_order(): param {param!r}' in str(info.value)
    assert fx.requests_for('order.place') == []
    assert fx.requests == []  # not even a time sync or a session logon


async def test_the_escape_hatch_has_no_row_and_is_not_checked(fx):
    fx.set_response('GET /api/v3/depth', {'lastUpdateId': 1, 'bids': [], 'asks': []})
    async with SpotClient(**fx.client_kwargs()) as spot:
        async with asyncio.timeout(5):
            await spot.get('/api/v3/depth', symbol=123)
    assert [r.params['symbol'] for r in fx.requests_for('GET /api/v3/depth')] == ['123']
