"""Every Spot row declares its optional params (issue 14, item 1): a param the method does not take is
refused before sending, naming the closest one it does; ``extra_params`` carries a param Binance added
later; the generated signatures list the params, typed by their kinds. Calls go to the loopback fake
exchange."""

import asyncio
import inspect
from decimal import Decimal

import pytest

from binance import Credentials, SpotClient, UnknownParamException, UnsupportedParamException
from binance_core.paramkinds import KINDS, Kind, kind_of
from binance_spot.endpoints import ENDPOINTS
from binance_spot.market import SPOT
from binance_testing import FakeExchange

ROWS = {row.name: row for row in ENDPOINTS}
# Filled by the SDK (the signing layer, the WS-API frame), never declared by a row.
SDK_MANAGED = {'apiKey', 'signature', 'timestamp', 'recvWindow', 'id'}
ORDER = {'symbol': 'BTCUSDT', 'side': 'BUY', 'type': 'LIMIT', 'timeInForce': 'GTC', 'quantity': '1', 'price': '10'}


@pytest.fixture
async def fx():
    async with FakeExchange('spot') as exchange:
        yield exchange


def hmac_creds(fx):
    fx.add_key('hmac-key', secret='hmac-secret')
    return Credentials('hmac-key', api_secret='hmac-secret')


# -- the table (no network) -----------------------------------------------------------------------


def test_every_row_declares_its_optional_params():
    undeclared = [row.name for row in ENDPOINTS if row.optional is None]
    assert not undeclared, f'declare optional=(...) (or optional=()) on: {undeclared}'
    for row in ENDPOINTS:
        assert not SDK_MANAGED & set(row.optional), row.name
        assert not SDK_MANAGED & row.required_names(), row.name
        signing = {'recvWindow'} if row.security.signed else set()
        assert row.known == row.required_names() | set(row.optional) | signing, row.name


def test_every_declared_param_has_a_kind():
    untyped = sorted(
        {
            (row.name, name)
            for row in ENDPOINTS
            for name in (*row.required_names(), *row.optional)
            if kind_of(name, row.kinds, SPOT.param_kinds) is Kind.ANY
            and name != 'timeZone'  # any on purpose: "0", "+08:00", "-1:30" or a whole number of hours
        }
    )
    assert not untyped, f'give these a kind in SPOT_PARAM_KINDS (market.py): {untyped}'


def test_the_market_kinds_are_spot_names_the_rows_use():
    declared = {name for row in ENDPOINTS for name in (*row.required_names(), *row.optional)}
    assert set(SPOT.param_kinds) <= declared, 'SPOT_PARAM_KINDS names a param no row takes'
    assert not set(SPOT.param_kinds) & set(KINDS), 'a name in the core KINDS is not the market to type'
    # The params the client checks as text are the text and enum kinds (timeZone, TEXT, is left out there).
    for name in SPOT.text_params:
        assert kind_of(name, {}, SPOT.param_kinds) in (Kind.TEXT, Kind.ENUM, Kind.INTERVAL), name


@pytest.mark.parametrize(
    ('name', 'kinds'),
    [
        ('get_exchange_info', {'symbols': Kind.LIST, 'permissions': Kind.LIST, 'showPermissionSets': Kind.BOOL}),
        ('get_rolling_window_ticker', {'windowSize': Kind.ENUM, 'type': Kind.ENUM}),
        ('amend_order', {'newQty': Kind.DECIMAL, 'newClientOrderId': Kind.TEXT}),
        ('get_allocations', {'fromAllocationId': Kind.INT}),
        ('create_oco', {'aboveType': Kind.ENUM, 'abovePrice': Kind.DECIMAL, 'belowIcebergQty': Kind.DECIMAL}),
        ('create_oto', {'workingPrice': Kind.DECIMAL, 'pendingTrailingDelta': Kind.INT, 'pendingSide': Kind.ENUM}),
        ('create_opoco', {'pendingBelowType': Kind.ENUM, 'pendingAbovePegOffsetValue': Kind.INT}),
    ],
)
def test_spot_names_take_the_kind_binance_documents(name, kinds):
    row = ROWS[name]
    for param, kind in kinds.items():
        assert kind_of(param, row.kinds, SPOT.param_kinds) is kind, param


def test_create_order_signature_lists_the_declared_params_typed():
    sig = inspect.signature(SpotClient.create_order)
    params = list(sig.parameters.values())
    assert [p.name for p in params] == [
        'self',
        'symbol',
        'side',
        'type',
        *ROWS['create_order'].optional,
        'recvWindow',
        'extra_params',
    ]
    assert 'quantity' in ROWS['create_order'].optional and 'selfTradePreventionMode' in ROWS['create_order'].optional
    for p in params[1:]:
        assert p.kind is inspect.Parameter.KEYWORD_ONLY, p.name
    for name in ('symbol', 'side', 'type'):
        assert sig.parameters[name].default is inspect.Parameter.empty, name
        assert sig.parameters[name].annotation is str, name
    for p in params[4:]:
        assert p.default is None, p.name
        assert p.annotation is not inspect.Parameter.empty, p.name
    assert sig.parameters['price'].annotation == str | Decimal | int | None
    assert sig.parameters['trailingDelta'].annotation == int | None
    assert sig.parameters['timeInForce'].annotation == str | None
    assert sig.parameters['recvWindow'].annotation == str | Decimal | int | None  # Spot takes fractional ms


def test_every_generated_signature_is_exactly_the_declared_params():
    for row in ENDPOINTS:
        sig = inspect.signature(getattr(SpotClient, row.name))
        assert not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in sig.parameters.values()), row.name
        assert set(sig.parameters) == {'self', 'extra_params', *row.known}, row.name


# -- through the client, against the fake ----------------------------------------------------------


async def test_a_typo_names_the_closest_param_and_nothing_is_sent(fx):
    async with SpotClient(hmac_creds(fx), **fx.client_kwargs()) as spot:
        async with asyncio.timeout(5):
            with pytest.raises(UnknownParamException) as info:
                await spot.create_order(symbl='BTCUSDT', **{k: v for k, v in ORDER.items() if k != 'symbol'})
    assert isinstance(info.value, TypeError)
    assert (info.value.method, info.value.param, info.value.suggestion) == ('create_order', 'symbl', 'symbol')
    assert "did you mean 'symbol'?" in str(info.value)
    assert fx.requests == []  # not even a time sync


@pytest.mark.parametrize(
    ('method', 'kwargs', 'param'),
    [
        ('create_order', {**ORDER, 'reduceOnly': True}, 'reduceOnly'),  # a futures param
        ('get_orderbook', {'symbol': 'BTCUSDT', 'startTime': 1}, 'startTime'),  # documented on klines, not depth
        ('ping', {'symbol': 'BTCUSDT'}, 'symbol'),
    ],
    ids=['create_order-reduceOnly', 'get_orderbook-startTime', 'ping-symbol'],
)
async def test_a_param_the_method_does_not_document_is_refused(fx, method, kwargs, param):
    async with SpotClient(hmac_creds(fx), **fx.client_kwargs()) as spot:
        async with asyncio.timeout(5):
            with pytest.raises(UnknownParamException) as info:
                await getattr(spot, method)(**kwargs)
            assert (info.value.method, info.value.param) == (method, param)
            assert f'extra_params={{{param!r}: ...}}' in str(info.value)
            assert fx.requests == []
            # Without it the same call goes through.
            await getattr(spot, method)(**{k: v for k, v in kwargs.items() if k != param})
    assert fx.requests_for(ROWS[method].call.method)


async def test_extra_params_reach_the_wire(fx):
    async with SpotClient(hmac_creds(fx), **fx.client_kwargs()) as spot:
        async with asyncio.timeout(5):
            await spot.get_orderbook(symbol='BTCUSDT', limit=5, extra_params={'newParam': 'x'})
            await spot.create_test_order(**ORDER, extra_params={'newParam': 'y', 'newFlag': True})
    (depth,) = fx.requests_for('depth')
    assert depth.params == {'symbol': 'BTCUSDT', 'limit': 5, 'newParam': 'x'}
    (test,) = fx.requests_for('order.test')
    assert (test.params['newParam'], test.params['newFlag'], test.params['symbol']) == ('y', True, 'BTCUSDT')
    assert 'signature' in test.params  # signed with the extra params in it: the fake verified the signature


@pytest.mark.parametrize(
    ('method', 'kwargs', 'extra'),
    [
        ('get_orderbook', {'symbol': 'BTCUSDT'}, {'limit': 5}),
        ('get_orderbook', {'symbol': 'BTCUSDT'}, {'symbol': 'ETHUSDT'}),
        ('create_order', ORDER, {'newClientOrderId': 'mine'}),
        ('get_account', {}, {'recvWindow': 5000}),
    ],
    ids=['optional', 'required', 'client-id', 'recvWindow'],
)
async def test_extra_params_may_not_carry_a_declared_param(fx, method, kwargs, extra):
    async with SpotClient(hmac_creds(fx), **fx.client_kwargs()) as spot:
        async with asyncio.timeout(5):
            with pytest.raises(UnsupportedParamException) as info:
                await getattr(spot, method)(**kwargs, extra_params=extra)
    (name,) = extra
    assert (info.value.method, info.value.param) == (method, name)
    assert f'pass it as {name}=...' in str(info.value)
    assert fx.requests == []


async def test_recv_window_is_taken_by_signed_rows_only(fx):
    async with SpotClient(hmac_creds(fx), **fx.client_kwargs()) as spot:
        async with asyncio.timeout(5):
            await spot.get_account(recvWindow=7000)
            with pytest.raises(UnknownParamException) as info:
                await spot.get_orderbook(symbol='BTCUSDT', recvWindow=7000)
    assert (info.value.method, info.value.param) == ('get_orderbook', 'recvWindow')
    (account,) = fx.requests_for('account.status')
    assert account.params['recvWindow'] == 7000
    assert fx.requests_for('depth') == []
