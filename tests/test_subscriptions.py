"""subscribe() argument parsing, independent of any market: the three call forms, the errors
raised before anything is sent, and de-duplication."""

import enum

import pytest

from binance_core.exceptions import InvalidSubParamsException, InvalidSubTypeParamException, UnsupportedSubTypeException
from binance_core.specs import StreamType, SubParam
from binance_core.subscriptions import Subscription, parse, signature


def lower_symbol(value):
    if not isinstance(value, str) or not value:
        raise ValueError('a symbol is a non-empty string')
    return value.lower()


def speed(value):
    if value not in (1000, 100):
        raise ValueError('1000 or 100')
    return '' if value == 1000 else '@100ms'


def strict_int(value):
    return str(int(value))  # int('x') raises ValueError, int(None) TypeError: both are param errors


SYMBOL = SubParam(name='symbol', convert=lower_symbol)
ROWS = {
    r.sub_type: r
    for r in (
        StreamType(sub_type='TRADE', wire='{symbol}@trade', params=(SYMBOL,), handler='TradeH'),
        StreamType(
            sub_type='DEPTH',
            wire='{symbol}@depth{speed}',
            params=(SYMBOL, SubParam(name='speed', convert=speed, optional=True, default=1000)),
            handler='D',
        ),
        StreamType(
            sub_type='LEVELS',
            wire='{symbol}@depth{level}',
            params=(SYMBOL, SubParam(name='level', convert=strict_int)),
            handler='L',
        ),
        StreamType(sub_type='ALL', wire='!all@arr', handler='A'),
        StreamType(sub_type='USER', connection='user'),
        StreamType(sub_type='GONE', unsupported='retired in 2026; use SubType.TRADE'),
    )
}
SubType = enum.Enum('SubType', [(n, n) for n in (*ROWS, 'ELSEWHERE')])


def wires(subs):
    return [(s.sub_type, s.wire) for s in subs]


def test_single_form():
    (sub,) = parse((SubType.TRADE, 'BNBUSDT'), ROWS, SubType)
    assert isinstance(sub, Subscription)
    assert (sub.sub_type, sub.wire, sub.row) == ('TRADE', 'bnbusdt@trade', ROWS['TRADE'])
    assert sub.params == (('symbol', 'bnbusdt'),)


def test_optional_param_default_and_explicit():
    assert wires(parse((SubType.DEPTH, 'X'), ROWS, SubType)) == [('DEPTH', 'x@depth')]
    assert wires(parse((SubType.DEPTH, 'X', 100), ROWS, SubType)) == [('DEPTH', 'x@depth@100ms')]


def test_no_param_and_user_rows():
    assert wires(parse((SubType.ALL,), ROWS, SubType)) == [('ALL', '!all@arr')]
    (user,) = parse((SubType.USER,), ROWS, SubType)
    assert user.wire is None and user.row.connection == 'user'


def test_tuple_form_with_trailing_comma_and_cross_product_inside():
    subs = parse(
        ((SubType.TRADE, 'A'), (SubType.ALL,), ([SubType.TRADE, SubType.DEPTH], ['B', 'C']), (SubType.USER,)),
        ROWS,
        SubType,
    )
    assert wires(subs) == [
        ('TRADE', 'a@trade'),
        ('ALL', '!all@arr'),
        ('TRADE', 'b@trade'),
        ('TRADE', 'c@trade'),
        ('DEPTH', 'b@depth'),
        ('DEPTH', 'c@depth'),
        ('USER', None),
    ]


def test_cross_product_form_with_more_params():
    subs = parse(([SubType.DEPTH], ['A', 'B'], 100), ROWS, SubType)
    assert wires(subs) == [('DEPTH', 'a@depth@100ms'), ('DEPTH', 'b@depth@100ms')]


def test_single_subtype_with_a_list_of_symbols():
    assert wires(parse((SubType.TRADE, ['A', 'B']), ROWS, SubType)) == [('TRADE', 'a@trade'), ('TRADE', 'b@trade')]


def test_duplicates_are_removed_keeping_order():
    subs = parse(
        (
            (SubType.TRADE, 'B'),
            (SubType.TRADE, 'a'),
            (SubType.TRADE, 'b'),
            (SubType.DEPTH, 'a', 1000),
            (SubType.DEPTH, 'A'),
        ),
        ROWS,
        SubType,
    )
    assert wires(subs) == [('TRADE', 'b@trade'), ('TRADE', 'a@trade'), ('DEPTH', 'a@depth')]


def test_members_of_another_assembly_are_matched_by_name():
    Other = enum.Enum('SubType', [('TRADE', 'TRADE')])
    assert wires(parse((Other.TRADE, 'x'), ROWS, SubType)) == [('TRADE', 'x@trade')]


@pytest.mark.parametrize(
    'args, words',
    [
        ((), ['needs a SubType']),
        (('TRADE', 'x'), ['SubType member', "'TRADE'"]),
        ((SubType.TRADE,), ['SubType.TRADE(symbol)', 'takes 1 param', 'got 0']),
        ((SubType.TRADE, 'a', 'b'), ['takes 1 param', 'got 2']),
        ((SubType.DEPTH, 'a', 100, 5), ['SubType.DEPTH(symbol[, speed=1000])', '1 to 2 params']),
        ((SubType.ALL, 'x'), ['SubType.ALL()', 'takes 0 params']),
        (((SubType.TRADE, 'a'), SubType.ALL), ['non-empty tuple', 'trailing comma']),
        (((SubType.TRADE, 'a'), ()), ['non-empty tuple']),
        (([], ['a']), ['list of SubTypes', 'empty']),
        (([SubType.TRADE], []), ['list of params', 'empty']),
        (([SubType.TRADE, SubType.ALL], ['a']), ['SubType.ALL()', 'takes 0 params']),
    ],
)
def test_shape_errors_show_the_expected_call(args, words):
    with pytest.raises(InvalidSubParamsException) as info:
        parse(args, ROWS, SubType)
    assert type(info.value) is InvalidSubParamsException
    assert isinstance(info.value, ValueError)
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize(
    'args, param, value',
    [
        ((SubType.TRADE, ''), 'symbol', "''"),
        ((SubType.TRADE, 42), 'symbol', '42'),
        ((SubType.DEPTH, 'a', 500), 'speed', '500'),
        ((SubType.LEVELS, 'a', 'x'), 'level', "'x'"),
        ((SubType.LEVELS, 'a', None), 'level', 'None'),
    ],
)
def test_converter_rejections_name_the_param_and_value(args, param, value):
    with pytest.raises(InvalidSubTypeParamException) as info:
        parse(args, ROWS, SubType)
    assert f'invalid {param}={value}' in str(info.value)
    assert f'SubType.{args[0].name}' in str(info.value)


def test_unsupported_row_uses_its_text():
    with pytest.raises(UnsupportedSubTypeException, match=r'retired in 2026; use SubType\.TRADE'):
        parse((SubType.GONE,), ROWS, SubType, market='demo')


def test_member_without_a_row_names_what_the_market_offers():
    with pytest.raises(UnsupportedSubTypeException) as info:
        parse((SubType.ELSEWHERE, 'x'), ROWS, SubType, market='demo')
    text = str(info.value)
    assert 'SubType.ELSEWHERE' in text and 'demo market' in text and 'TRADE' in text and 'GONE' not in text


def test_an_error_anywhere_rejects_the_whole_call():
    # Nothing is returned (so nothing is sent) when a later subscription is invalid.
    with pytest.raises(UnsupportedSubTypeException):
        parse(((SubType.TRADE, 'a'), (SubType.GONE,)), ROWS, SubType)


def test_signature():
    assert signature(ROWS['DEPTH']) == 'SubType.DEPTH(symbol[, speed=1000])'
    assert signature(ROWS['ALL']) == 'SubType.ALL()'


def test_invalid_param_exception_carries_its_data():
    from binance import InvalidSubTypeParamException, SpotClient, SubType
    from binance_core.subscriptions import parse

    ma = SpotClient._market_assembly
    try:
        parse((SubType.PARTIAL_ORDER_BOOK, 'BNBUSDT', 7), ma.stream_types, SubType)
    except InvalidSubTypeParamException as exc:
        assert (exc.sub_type, exc.param, exc.value) == ('PARTIAL_ORDER_BOOK', 'level', 7)
    else:
        raise AssertionError('level 7 must be refused')
