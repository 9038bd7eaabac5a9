"""Parameter checks and encodings: floats refused, required params named, values as Binance reads them."""

import enum
from decimal import Decimal

import pytest
from volas import TimeFrame

from binance_core.enums import OrderSide
from binance_core.exceptions import (
    FloatParamException,
    InvalidParamException,
    InvalidParamTypeException,
    InvalidParamValueException,
    MissingParamException,
    ParamsException,
)
from binance_core.params import normalize, prepare, query_string, signature_payload
from binance_core.specs import REST, WS, Endpoint, Hosts, MarketSpec, SecurityType

ROW = Endpoint(
    name='create_thing',
    call=WS('thing.place'),
    security=SecurityType.TRADE,
    required=('symbol', ('orderId', 'origClientOrderId')),
)


@pytest.mark.parametrize('value', [0.1, 1e-08, float('nan')])
def test_float_is_a_type_error_naming_the_param(value):
    with pytest.raises(FloatParamException) as info:
        prepare(ROW, {'symbol': 'BTCUSDT', 'orderId': 1, 'price': value})
    assert isinstance(info.value, TypeError)
    assert info.value.param == 'price'
    assert "'price'" in str(info.value) and 'string' in str(info.value)


def test_float_inside_a_list_of_orders_is_refused():
    with pytest.raises(FloatParamException) as info:
        normalize({'batchOrders': [{'symbol': 'X', 'price': '1'}, {'symbol': 'Y', 'quantity': 0.5}]})
    assert info.value.param == 'batchOrders.quantity'


def test_missing_required_params_are_named_with_alternatives():
    with pytest.raises(MissingParamException) as info:
        prepare(ROW, {})
    assert info.value.missing == ('symbol', 'orderId|origClientOrderId')
    assert 'create_thing()' in str(info.value)
    prepare(ROW, {'symbol': 'X', 'origClientOrderId': 'abc'})  # either alternative satisfies


class Color(enum.Enum):
    RED = 'RED'


def test_encodings():
    out = normalize(
        {
            'a': Decimal('0.00000001'),
            'b': Decimal('1E+3'),
            'c': True,
            'd': 5,
            'e': OrderSide.BUY,
            'f': Color.RED,
            'g': TimeFrame.m15,
            'h': None,
            'i': ['BTCUSDT', 'BNBUSDT'],
            'j': '１２３',
        }
    )
    assert out == {
        'a': '0.00000001',
        'b': '1000',
        'c': True,
        'd': 5,
        'e': 'BUY',
        'f': 'RED',
        'g': '15m',
        'i': ['BTCUSDT', 'BNBUSDT'],
        'j': '１２３',
    }
    assert signature_payload({'z': True, 'a': ['X', 'Y'], 'm': 1}) == 'a=["X","Y"]&m=1&z=true'
    assert query_string({'symbols': ['X', 'Y'], 'flag': False}) == 'symbols=%5B%22X%22%2C%22Y%22%5D&flag=false'


def test_unsupported_types_and_non_finite_decimals_are_refused():
    with pytest.raises(TypeError):
        normalize({'x': object()})
    with pytest.raises(ValueError):
        normalize({'x': Decimal('NaN')})


# -- text params (issue 11, item 10): checked from row data before anything is sent ------------

TEXT = frozenset({'symbol', 'side', 'type', 'newClientOrderId'})
ORDER = Endpoint(name='create_order', call=WS('order.place'), security=SecurityType.TRADE, required=('symbol',))


class Level(enum.IntEnum):
    ONE = 1


@pytest.mark.parametrize(
    'value',
    [123, 0, True, ['BTCUSDT'], ('BTCUSDT',), {}, {'symbol': 'BTCUSDT'}, Decimal('1'), b'BTCUSDT', Level.ONE, 1.5],
    ids=lambda v: type(v).__name__,
)
def test_a_text_param_given_anything_but_text_is_a_type_error_naming_it(value):
    with pytest.raises(InvalidParamTypeException) as info:
        prepare(ORDER, {'symbol': value, 'side': 'BUY'}, TEXT)
    exc = info.value
    assert isinstance(exc, TypeError) and isinstance(exc, InvalidParamException)
    assert isinstance(exc, ParamsException)
    assert (exc.method, exc.param) == ('create_order', 'symbol')
    assert exc.value is value
    message = str(exc)
    assert "create_order(): param 'symbol'" in message
    assert "pass a non-empty str such as symbol='BTCUSDT'" in message


@pytest.mark.parametrize(
    ('param', 'says'),
    [
        ('side', "side='BUY' (or OrderSide.BUY)"),
        ('type', "type='LIMIT' (or OrderType.LIMIT)"),
        ('newClientOrderId', "newClientOrderId='my-order-1'"),
        ('selfTradePreventionMode', 'a non-empty str (or a str-valued enum member)'),
    ],
)
def test_the_message_says_what_to_pass(param, says):
    with pytest.raises(InvalidParamTypeException) as info:
        prepare(ORDER, {'symbol': 'BTCUSDT', param: 1}, TEXT | {'selfTradePreventionMode'})
    assert says in str(info.value)


def test_a_list_given_for_symbol_points_at_symbols():
    with pytest.raises(InvalidParamTypeException, match="several symbols go in 'symbols'"):
        prepare(ORDER, {'symbol': ['BTCUSDT', 'ETHUSDT']}, TEXT)


@pytest.mark.parametrize('value', ['', ' ', '\t\n', '\u3000'])
def test_an_empty_or_blank_text_param_is_a_value_error_naming_it(value):
    with pytest.raises(InvalidParamValueException) as info:
        prepare(ORDER, {'symbol': 'BTCUSDT', 'newClientOrderId': value}, TEXT)
    assert isinstance(info.value, ValueError) and isinstance(info.value, InvalidParamException)
    assert info.value.param == 'newClientOrderId'
    assert "param 'newClientOrderId' is" in str(info.value)
    assert "newClientOrderId='my-order-1'" in str(info.value)


class Blank(enum.Enum):
    EMPTY = ''


def test_an_enum_member_with_an_empty_value_is_refused():
    with pytest.raises(InvalidParamValueException, match="'side' is an empty string"):
        prepare(ORDER, {'symbol': 'BTCUSDT', 'side': Blank.EMPTY}, TEXT)


def test_text_params_accept_str_str_enums_timeframes_and_none():
    out = prepare(
        ORDER,
        {
            'symbol': '１２３',
            'side': OrderSide.BUY,
            'type': Color.RED,
            'interval': TimeFrame.m15,
            'newClientOrderId': None,
        },
        TEXT | {'interval'},
    )
    assert out == {'symbol': '１２３', 'side': 'BUY', 'type': 'RED', 'interval': '15m'}


def test_params_outside_the_text_set_keep_their_types():
    out = prepare(ORDER, {'symbol': 'BTCUSDT', 'orderId': 12569099453, 'symbols': ['A', 'B'], 'flag': True}, TEXT)
    assert out == {'symbol': 'BTCUSDT', 'orderId': 12569099453, 'symbols': ['A', 'B'], 'flag': True}


def test_the_text_check_runs_before_floats_and_required_params():
    # symbol=1.5 is not "a float to write as a string": it is not a symbol at all.
    with pytest.raises(InvalidParamTypeException):
        prepare(ORDER, {'symbol': 1.5}, TEXT)
    with pytest.raises(InvalidParamValueException):
        prepare(ORDER, {'symbol': ''}, TEXT)  # not "missing symbol": it was given, empty


def test_a_row_adds_text_params_and_opts_out_of_the_markets():
    row = Endpoint(
        name='set_margin',
        call=REST('POST', '/fapi/v1/positionMargin'),
        security=SecurityType.TRADE,
        text=('marginAsset',),
        not_text=('type',),
    )
    assert prepare(row, {'symbol': 'BTCUSDT', 'type': 1}, TEXT) == {'symbol': 'BTCUSDT', 'type': 1}
    with pytest.raises(InvalidParamTypeException, match="'marginAsset'"):
        prepare(row, {'marginAsset': 7}, TEXT)
    with pytest.raises(InvalidParamTypeException, match="'symbol'"):
        prepare(row, {'symbol': 7}, TEXT)
    assert row.text_names(TEXT) == {'symbol', 'side', 'newClientOrderId', 'marginAsset'}
    assert ORDER.text_names(TEXT) is TEXT
    assert "text=('marginAsset',), not_text=('type',)" in repr(row)


def test_without_a_text_set_nothing_is_checked_as_text():
    # Rows prepared outside a client (and the escape hatch, which has no row) keep today's encoding.
    assert prepare(ORDER, {'symbol': 123}) == {'symbol': 123}


def test_text_declarations_are_validated_on_the_rows():
    with pytest.raises(ValueError, match=r"\['type'\] are in both text and not_text"):
        Endpoint(name='x', call=WS('x'), security=SecurityType.NONE, text=('type',), not_text='type')
    with pytest.raises(ValueError, match='is not a param name'):
        Endpoint(name='x', call=WS('x'), security=SecurityType.NONE, text=('',))
    assert Endpoint(name='x', call=WS('x'), security=SecurityType.NONE, text='symbol').text == ('symbol',)
    hosts = {'live': Hosts(rest='https://x.example', ws_api=None, stream='wss://x.example')}
    spec = MarketSpec(name='toy', client_name='ToyClient', distribution='d', hosts=hosts, text_params=['symbol'])
    assert spec.text_params == frozenset({'symbol'})
    assert MarketSpec(name='toy', client_name='ToyClient', distribution='d', hosts=hosts).text_params == frozenset()
    with pytest.raises(TypeError, match='set of param names'):
        MarketSpec(name='toy', client_name='ToyClient', distribution='d', hosts=hosts, text_params='symbol')
    with pytest.raises(ValueError, match='is not a param name'):
        MarketSpec(name='toy', client_name='ToyClient', distribution='d', hosts=hosts, text_params={1})


def test_invalid_param_exceptions_are_in_the_tree_and_exported():
    import binance_core.exceptions as exceptions

    for cls in (InvalidParamException, InvalidParamTypeException, InvalidParamValueException):
        assert cls.__name__ in exceptions.__all__
        assert cls.__name__ in exceptions.__doc__
