"""Rows that declare their optional params: unknown params refused before sending (with the closest known
one named), ``recvWindow`` known on signed rows, ``extra_params`` as the escape, and real signatures."""

import inspect
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest

from binance_core import WS, Endpoint, Hosts, MarketSpec, SecurityType, hookimpl
from binance_core.assembly import assemble, for_markets
from binance_core.exceptions import ParamsException, UnknownParamException, UnsupportedParamException
from binance_core.paramkinds import KINDS, Kind, kind_of
from binance_core.params import prepare
from binance_core.plugins import make_plugin_manager

PLACE = Endpoint(
    name='place',
    call=WS('order.place'),
    security=SecurityType.TRADE,
    required=('symbol', 'side', ('orderId', 'origClientOrderId')),
    optional=('price', 'quantity', 'newClientOrderId', 'flags'),
    kinds={'flags': Kind.LIST},
)
DEPTH = Endpoint(name='depth', call=WS('depth'), security=SecurityType.NONE, required=('symbol',), optional=('limit',))
LOOSE = Endpoint(name='loose', call=WS('loose'), security=SecurityType.NONE, required=('symbol',))


def test_an_unknown_param_is_a_type_error_naming_the_closest_known_one():
    with pytest.raises(UnknownParamException) as info:
        prepare(PLACE, {'symbl': 'BTCUSDT', 'side': 'BUY', 'orderId': 1})
    e = info.value
    assert isinstance(e, TypeError) and isinstance(e, ParamsException)
    assert (e.method, e.param, e.suggestion) == ('place', 'symbl', 'symbol')
    assert "did you mean 'symbol'?" in str(e) and 'extra_params' not in str(e)  # a typo is not to be sent


def test_a_case_slip_is_suggested_too_and_a_wild_name_gets_no_suggestion():
    with pytest.raises(UnknownParamException) as info:
        prepare(PLACE, {'symbol': 'X', 'side': 'BUY', 'ORDERID': 1})
    assert info.value.suggestion == 'orderId'
    with pytest.raises(UnknownParamException) as info:
        prepare(DEPTH, {'symbol': 'X', 'zzz': 1})
    assert info.value.suggestion is None and 'did you mean' not in str(info.value)
    assert "extra_params={'zzz': ...}" in str(info.value)  # no known param is close: maybe one Binance added


def test_the_unknown_check_comes_before_the_required_check():
    # A typo of a required param is reported as the typo, not as a missing param.
    with pytest.raises(UnknownParamException):
        prepare(DEPTH, {'symbl': 'X'})


def test_recv_window_is_known_on_signed_rows_only():
    assert prepare(PLACE, {'symbol': 'X', 'side': 'BUY', 'orderId': 1, 'recvWindow': 5000})['recvWindow'] == 5000
    with pytest.raises(UnknownParamException):
        prepare(DEPTH, {'symbol': 'X', 'recvWindow': 5000})


def test_a_row_without_declared_params_passes_anything_as_before():
    assert LOOSE.known is None
    assert prepare(LOOSE, {'symbol': 'X', 'anything': '1'}) == {'symbol': 'X', 'anything': '1'}


def test_declarations_are_validated_on_the_row():
    with pytest.raises(ValueError, match='repeat'):
        Endpoint(name='x', call=WS('x'), security=SecurityType.NONE, required=('symbol',), optional=('symbol',))
    with pytest.raises(ValueError, match='repeat'):
        Endpoint(name='x', call=WS('x'), security=SecurityType.NONE, optional=('a', 'a'))
    with pytest.raises(ValueError, match='does not take'):
        Endpoint(name='x', call=WS('x'), security=SecurityType.NONE, optional=('a',), kinds={'b': Kind.INT})
    with pytest.raises(ValueError, match='Kind'):
        Endpoint(name='x', call=WS('x'), security=SecurityType.NONE, optional=('a',), kinds={'a': 'int'})


def test_kinds_row_then_market_then_the_shared_table():
    assert kind_of('flags', PLACE.kinds, {}) is Kind.LIST
    assert kind_of('symbol', {}, {}) is KINDS['symbol'] is Kind.TEXT
    assert kind_of('limit', {}, {'limit': Kind.ANY}) is Kind.ANY
    assert kind_of('unheard', {}, {}) is Kind.ANY


# -- generated methods: signature and extra_params --------------------------------------------------------

TOY = MarketSpec(
    name='toy',
    client_name='ToyClient',
    distribution='binance-market-toy',
    hosts={'live': Hosts(rest='http://127.0.0.1:9', ws_api='ws://127.0.0.1:9/ws', stream='ws://127.0.0.1:9')},
    param_kinds={'flags': Kind.BOOL},
)


class Toy:
    @hookimpl
    def binance_markets(self):
        return (TOY,)

    @hookimpl
    @for_markets('toy')
    def binance_endpoints(self, market):
        return (
            Endpoint(name='get_server_time', call=WS('time'), security=SecurityType.NONE, optional=()),
            PLACE,
            DEPTH,
            LOOSE,
        )


@pytest.fixture(scope='module')
def toy_client():
    return assemble(make_plugin_manager([Toy()], load_entry_points=False)).clients['ToyClient']


def test_generated_methods_carry_keyword_only_signatures(toy_client):
    sig = inspect.signature(toy_client.place)
    P = inspect.Parameter
    shape = [(p.name, p.kind, p.default) for p in sig.parameters.values()]
    assert shape == [
        ('self', P.POSITIONAL_OR_KEYWORD, P.empty),
        ('symbol', P.KEYWORD_ONLY, P.empty),
        ('side', P.KEYWORD_ONLY, P.empty),
        ('orderId', P.KEYWORD_ONLY, None),  # one of two alternatives: neither is required on its own
        ('origClientOrderId', P.KEYWORD_ONLY, None),
        ('price', P.KEYWORD_ONLY, None),
        ('quantity', P.KEYWORD_ONLY, None),
        ('newClientOrderId', P.KEYWORD_ONLY, None),
        ('flags', P.KEYWORD_ONLY, None),
        ('recvWindow', P.KEYWORD_ONLY, None),
        ('extra_params', P.KEYWORD_ONLY, None),
    ]
    ann = {name: p.annotation for name, p in sig.parameters.items()}
    assert ann['symbol'] is str and ann['side'] is str
    assert ann['price'] == str | Decimal | int | None and ann['orderId'] == int | None
    assert ann['flags'] == Sequence[Any] | str | None  # the row's kind (LIST) wins over the market's (BOOL)
    assert str(sig).startswith('(self, *, symbol: str, side: str, orderId: int | None = None')
    assert 'Optional params: price, quantity, newClientOrderId, flags.' in toy_client.place.__doc__


def test_a_row_without_declared_params_keeps_var_keywords(toy_client):
    params = inspect.signature(toy_client.loose).parameters
    assert [p.kind for p in params.values()][-1] is inspect.Parameter.VAR_KEYWORD
    assert list(inspect.signature(toy_client.depth).parameters) == ['self', 'symbol', 'limit', 'extra_params']


async def test_extra_params_may_not_carry_a_declared_param_or_a_float(toy_client):
    client = toy_client()
    try:
        with pytest.raises(UnsupportedParamException, match=r'pass it as limit=\.\.\.'):
            await client.depth(symbol='X', extra_params={'limit': 5})
        with pytest.raises(TypeError, match='mapping'):
            await client.depth(symbol='X', extra_params=[('a', 1)])
        with pytest.raises(ParamsException):
            await client.depth(symbol='X', extra_params={'weight': 0.5})
        with pytest.raises(UnknownParamException):
            await client.depth(symbol='X', extra_param={'a': 1})  # the escape's own name, misspelt
    finally:
        await client.close()


def _annotations_are_real_types(sig: inspect.Signature) -> Any:
    return all(not isinstance(p.annotation, str) for p in sig.parameters.values())


def test_annotations_are_objects_not_strings(toy_client):
    assert _annotations_are_real_types(inspect.signature(toy_client.place))


# -- a stable SubType ------------------------------------------------------------------------------------------


def test_every_spec_sub_type_exists_whatever_is_installed():
    from binance_core.catalog import SUB_TYPES

    # A market with no stream types at all, and nothing else installed.
    sub_type = assemble(make_plugin_manager([Toy()], load_entry_points=False)).sub_type
    assert [m.name for m in sub_type] == list(SUB_TYPES)
    assert {'USER', 'TRADE', 'INDEX_PRICE', 'COMPOSITE_INDEX'} <= set(SUB_TYPES)


async def test_a_sub_type_no_installed_market_offers_names_the_distribution_to_install(toy_client):
    from binance_core.exceptions import UnsupportedSubTypeException

    client = toy_client()
    try:
        with pytest.raises(UnsupportedSubTypeException) as info:
            await client.subscribe(client.SubType.INDEX_PRICE, 'BTCUSD')
    finally:
        await client.close()
    message = str(info.value)
    assert 'SubType.INDEX_PRICE is not offered on the toy market' in message
    assert 'CMFuturesClient (pip install binance-market-coinm)' in message
    assert message.rstrip().endswith(')')  # never a trailing empty list


async def test_a_required_param_given_only_in_extra_params_says_to_pass_it_by_keyword(toy_client):
    client = toy_client()
    try:
        with pytest.raises(UnsupportedParamException, match=r'pass it as symbol=\.\.\.'):
            await client.depth(extra_params={'symbol': 'X'})
    finally:
        await client.close()


def test_refused_params_are_known_only_to_be_refused_by_the_check():
    def no_stops(params):
        """Binance `order.place`: no `stopPrice`"""
        if params.get('stopPrice') is not None:
            raise UnsupportedParamException('order', 'stopPrice', params['stopPrice'], 'use create_algo_order')

    row = Endpoint(
        name='order', call=WS('order.place'), security=SecurityType.TRADE, required=('symbol',), optional=('price',),
        refused=('stopPrice',), check=no_stops,
    )  # fmt: skip
    assert 'stopPrice' in row.known
    with pytest.raises(UnsupportedParamException, match='create_algo_order'):
        no_stops(prepare(row, {'symbol': 'X', 'stopPrice': '1'}))
    with pytest.raises(ValueError, match='need a check'):
        Endpoint(name='x', call=WS('x'), security=SecurityType.NONE, optional=(), refused=('a',))
    with pytest.raises(ValueError, match='both taken and refused'):
        Endpoint(name='x', call=WS('x'), security=SecurityType.NONE, optional=('a',), refused=('a',), check=no_stops)


def test_refused_params_stay_out_of_the_signature():
    from binance_core.client import _signature

    row = Endpoint(
        name='order', call=WS('order.place'), security=SecurityType.TRADE, required=('symbol',), optional=('price',),
        refused=('stopPrice',), check=test_refused_params_are_known_only_to_be_refused_by_the_check,
    )  # fmt: skip
    assert 'stopPrice' not in _signature(row, {}).parameters
