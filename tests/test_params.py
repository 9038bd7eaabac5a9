"""Parameter checks and encodings: floats refused, required params named, values as Binance reads them."""

import enum
from decimal import Decimal

import pytest
from volas import TimeFrame

from binance_core.enums import OrderSide
from binance_core.exceptions import FloatParamException, MissingParamException
from binance_core.params import normalize, prepare, query_string, signature_payload
from binance_core.specs import WS, Endpoint, SecurityType

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
