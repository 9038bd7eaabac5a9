"""The Spot endpoint table against the spec's method list and Binance's documented rules
(weights at their boundaries, required params), without any network."""

import importlib.util
import inspect
from pathlib import Path

import pytest

from binance_core.exceptions import MissingParamException
from binance_core.params import normalize, prepare
from binance_core.specs import WS, SecurityType
from binance_spot import endpoints
from binance_spot.endpoints import ENDPOINTS


def _load_cases():
    # --import-mode=importlib keeps this folder off sys.path, so load the sibling by path.
    spec = importlib.util.spec_from_file_location('spot_wire_cases', Path(__file__).with_name('wire_cases.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CASES


CASES = _load_cases()
ROWS = {row.name: row for row in ENDPOINTS}

# The Python methods the spec ("WS-API request methods") promises on SpotClient.
SPEC_METHODS = (
    'ping',
    'get_server_time',
    'get_exchange_info',
    'get_orderbook',
    'get_klines',
    'get_ui_klines',
    'get_average_price',
    'get_recent_trades',
    'get_historical_trades',
    'get_aggregate_trades',
    'get_historical_block_trades',
    'get_ticker',
    'get_ticker_price',
    'get_orderbook_ticker',
    'get_rolling_window_ticker',
    'get_trading_day_ticker',
    'get_execution_rules',
    'get_reference_price',
    'get_reference_price_calculation',
    'get_account',
    'get_trades',
    'get_commission',
    'get_order_rate_limit',
    'get_prevented_matches',
    'get_allocations',
    'get_order_amendments',
    'get_my_filters',
    'create_order',
    'create_test_order',
    'get_order',
    'get_open_orders',
    'get_all_orders',
    'cancel_order',
    'cancel_all_orders',
    'cancel_replace_order',
    'amend_order',
    'create_sor_order',
    'create_test_sor_order',
    'create_oco',
    'create_oto',
    'create_otoco',
    'create_opo',
    'create_opoco',
    'cancel_oco',
    'get_oco',
    'get_all_oco',
    'get_open_oco',
    'get_session_status',
    'get_session_subscriptions',
    'session_logout',
)
# Rows the SDK adds beyond the spec's list: logging on again after session_logout (issue 11, item 9).
EXTRA_METHODS = ('session_logon',)


# -- table shape ------------------------------------------------------------------------------


def test_every_spec_method_has_a_row_and_nothing_else():
    assert len(SPEC_METHODS) == len(set(SPEC_METHODS))
    assert sorted(ROWS) == sorted(SPEC_METHODS + EXTRA_METHODS)


def test_row_names_and_wire_methods_are_unique():
    names = [row.name for row in ENDPOINTS]
    methods = [row.call.method for row in ENDPOINTS]
    assert len(names) == len(set(names))
    assert len(methods) == len(set(methods))
    assert all(isinstance(row.call, WS) for row in ENDPOINTS)


def test_every_row_has_exactly_one_wire_case_naming_its_wire_method():
    case_names = [case[0] for case in CASES]
    assert len(case_names) == len(set(case_names)), 'a row has two cases'
    assert sorted(case_names) == sorted(ROWS)
    for name, _kwargs, wire, _expected in CASES:
        assert ROWS[name].call.method == wire, name


@pytest.mark.parametrize(('name', 'kwargs', 'wire', 'expected'), CASES, ids=[c[0] for c in CASES])
def test_wire_case_kwargs_satisfy_the_row(name, kwargs, wire, expected):
    # The cases come from the docs' examples, so they must pass the row's required check and
    # the SDK's encoding must give exactly what the docs' request sends.
    sent = prepare(ROWS[name], kwargs)
    assert {k: sent.get(k) for k in expected} == expected
    for key in ('apiKey', 'timestamp', 'signature', 'recvWindow'):
        assert key not in expected


def test_public_data_and_session_methods_need_no_key():
    public = {*SPEC_METHODS[:19], 'get_session_status', 'get_session_subscriptions', 'session_logout'}
    for row in ENDPOINTS:
        if row.name in public:
            assert row.security is SecurityType.NONE, row.name
        else:
            assert row.security.signed, row.name


@pytest.mark.parametrize(
    ('name', 'security'),
    [
        ('create_order', SecurityType.TRADE),
        ('amend_order', SecurityType.TRADE),
        ('cancel_oco', SecurityType.TRADE),
        ('create_test_sor_order', SecurityType.TRADE),
        ('get_order', SecurityType.USER_DATA),
        ('get_open_oco', SecurityType.USER_DATA),
        ('get_my_filters', SecurityType.USER_DATA),
        ('session_logon', SecurityType.USER_DATA),  # "Log in with API key (SIGNED)"
    ],
)
def test_security_types_from_the_docs_headings(name, security):
    assert ROWS[name].security is security


def test_signing_params_are_never_listed_as_required():
    for row in ENDPOINTS:
        flat = {p for item in row.required for p in (item if isinstance(item, tuple) else (item,))}
        assert not flat & {'apiKey', 'timestamp', 'signature', 'recvWindow'}, row.name


# Binance's "Unfilled Order Count" per method, and the id param the SDK generates.
ORDER_EFFECTS = {
    'create_order': (1, 'newClientOrderId'),
    'cancel_replace_order': (1, 'newClientOrderId'),
    'create_sor_order': (1, 'newClientOrderId'),
    'create_oco': (2, 'listClientOrderId'),
    'create_oto': (2, 'listClientOrderId'),
    'create_opo': (2, 'listClientOrderId'),
    'create_otoco': (3, 'listClientOrderId'),
    'create_opoco': (3, 'listClientOrderId'),
}


def test_order_counts_and_generated_client_ids():
    for row in ENDPOINTS:
        assert (row.orders, row.client_order_id) == ORDER_EFFECTS.get(row.name, (0, None)), row.name


def test_every_row_has_a_one_line_summary():
    for row in ENDPOINTS:
        assert row.summary and '\n' not in row.summary, row.name


# -- weights ----------------------------------------------------------------------------------

FIXED_WEIGHTS = {
    'ping': 1,
    'get_server_time': 1,
    'get_exchange_info': 20,
    'get_klines': 2,
    'get_ui_klines': 2,
    'get_average_price': 2,
    'get_recent_trades': 25,
    'get_historical_trades': 25,
    'get_aggregate_trades': 4,
    'get_historical_block_trades': 25,
    'get_reference_price': 2,
    'get_reference_price_calculation': 2,
    'get_account': 20,
    'get_commission': 20,
    'get_order_rate_limit': 40,
    'get_allocations': 20,
    'get_order_amendments': 4,
    'get_my_filters': 40,
    'create_order': 1,
    'get_order': 4,
    'get_all_orders': 20,
    'cancel_order': 1,
    'cancel_all_orders': 1,
    'cancel_replace_order': 1,
    'amend_order': 4,  # raised from 1 on 2025-04-25 (CHANGELOG)
    'create_sor_order': 1,
    'create_oco': 1,
    'create_oto': 1,
    'create_otoco': 1,
    'create_opo': 1,
    'create_opoco': 1,
    'cancel_oco': 1,
    'get_oco': 4,
    'get_all_oco': 20,
    'get_open_oco': 6,
    'get_session_status': 2,
    'get_session_subscriptions': 2,
    'session_logout': 2,
    'session_logon': 2,
}


def test_fixed_weights():
    fixed = {row.name: row.weight for row in ENDPOINTS if isinstance(row.weight, int)}
    assert fixed == FIXED_WEIGHTS


def _syms(n):
    return [f'S{i}USDT' for i in range(n)]


# (row, params as the caller passes them, weight Binance charges) at each documented boundary.
WEIGHT_CASES = [
    ('get_orderbook', {'symbol': 'BNBBTC'}, 5),  # default limit 100
    ('get_orderbook', {'symbol': 'BNBBTC', 'limit': 1}, 5),
    ('get_orderbook', {'symbol': 'BNBBTC', 'limit': 100}, 5),
    ('get_orderbook', {'symbol': 'BNBBTC', 'limit': 101}, 25),
    ('get_orderbook', {'symbol': 'BNBBTC', 'limit': 500}, 25),
    ('get_orderbook', {'symbol': 'BNBBTC', 'limit': 501}, 50),
    ('get_orderbook', {'symbol': 'BNBBTC', 'limit': 1000}, 50),
    ('get_orderbook', {'symbol': 'BNBBTC', 'limit': 1001}, 250),
    ('get_orderbook', {'symbol': 'BNBBTC', 'limit': 5000}, 250),
    ('get_ticker', {'symbol': 'BNBBTC'}, 2),
    ('get_ticker', {'symbols': _syms(1)}, 2),
    ('get_ticker', {'symbols': _syms(20)}, 2),
    ('get_ticker', {'symbols': _syms(21)}, 40),
    ('get_ticker', {'symbols': _syms(100)}, 40),
    ('get_ticker', {'symbols': _syms(101)}, 80),
    ('get_ticker', {}, 80),
    ('get_ticker', {'symbolStatus': 'TRADING'}, 80),
    ('get_ticker_price', {'symbol': 'BNBBTC'}, 2),
    ('get_ticker_price', {'symbols': _syms(2)}, 4),
    ('get_ticker_price', {}, 4),
    ('get_orderbook_ticker', {'symbol': 'BNBBTC'}, 2),
    ('get_orderbook_ticker', {'symbols': _syms(2)}, 4),
    ('get_orderbook_ticker', {}, 4),
    ('get_rolling_window_ticker', {'symbol': 'BNBBTC'}, 4),
    ('get_rolling_window_ticker', {'symbols': _syms(2)}, 8),
    ('get_rolling_window_ticker', {'symbols': _syms(50)}, 200),
    ('get_rolling_window_ticker', {'symbols': _syms(51)}, 200),
    ('get_rolling_window_ticker', {'symbols': _syms(100)}, 200),
    ('get_trading_day_ticker', {'symbol': 'BNBBTC'}, 4),
    ('get_trading_day_ticker', {'symbols': _syms(49)}, 196),
    ('get_trading_day_ticker', {'symbols': _syms(50)}, 200),
    ('get_trading_day_ticker', {'symbols': _syms(51)}, 200),
    ('get_execution_rules', {'symbol': 'BAZUSD'}, 2),
    ('get_execution_rules', {'symbols': _syms(3)}, 6),
    ('get_execution_rules', {'symbols': _syms(20)}, 40),
    ('get_execution_rules', {'symbols': _syms(21)}, 40),
    ('get_execution_rules', {'symbolStatus': 'TRADING'}, 40),
    ('get_execution_rules', {}, 40),
    ('get_open_orders', {'symbol': 'BTCUSDT'}, 6),
    ('get_open_orders', {}, 80),
    ('get_trades', {'symbol': 'BTCUSDT'}, 20),
    ('get_trades', {'symbol': 'BTCUSDT', 'orderId': 35}, 5),
    ('get_prevented_matches', {'symbol': 'BTCUSDT', 'preventedMatchId': 1}, 2),
    ('get_prevented_matches', {'symbol': 'BTCUSDT', 'orderId': 35}, 20),
    ('get_prevented_matches', {'symbol': 'BTCUSDT', 'orderId': 35, 'fromPreventedMatchId': 1, 'limit': 10}, 20),
    ('create_test_order', {'symbol': 'BTCUSDT', 'side': 'BUY', 'type': 'MARKET'}, 1),
    ('create_test_order', {'symbol': 'BTCUSDT', 'side': 'BUY', 'type': 'MARKET', 'computeCommissionRates': False}, 1),
    ('create_test_order', {'symbol': 'BTCUSDT', 'side': 'BUY', 'type': 'MARKET', 'computeCommissionRates': True}, 20),
    ('create_test_order', {'symbol': 'BTCUSDT', 'side': 'BUY', 'type': 'MARKET', 'computeCommissionRates': 'true'}, 20),
    ('create_test_sor_order', {'symbol': 'BTCUSDT', 'side': 'BUY', 'type': 'LIMIT', 'quantity': '1'}, 1),
    ('create_test_sor_order', {'symbol': 'BTCUSDT', 'computeCommissionRates': True}, 20),
]


@pytest.mark.parametrize(
    ('name', 'params', 'weight'), WEIGHT_CASES, ids=[f'{c[0]}-{i}' for i, c in enumerate(WEIGHT_CASES)]
)
def test_weight_rules_at_documented_boundaries(name, params, weight):
    # The client computes the weight from the normalised params, as here.
    assert ROWS[name].weight_for(normalize(params)) == weight


def test_weight_functions_are_named_documented_and_not_lambdas():
    for row in ENDPOINTS:
        if isinstance(row.weight, int):
            continue
        fn = row.weight
        assert fn.__name__ != '<lambda>', row.name
        assert getattr(endpoints, fn.__name__) is fn, f'{row.name}: weight function is not beside the table'
        first = inspect.getdoc(fn).splitlines()[0]
        assert first.startswith('Binance `'), f'{row.name}: docstring must quote the Binance rule'
        assert not first.endswith('.'), f'{row.name}: the method docs add the full stop'


# -- required params --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ('name', 'missing'),
    [
        ('get_orderbook', ('symbol',)),
        ('get_klines', ('symbol', 'interval')),
        ('get_historical_block_trades', ('symbol', 'fromId')),
        ('get_rolling_window_ticker', ('symbol|symbols',)),
        ('get_order', ('symbol', 'orderId|origClientOrderId')),
        ('create_order', ('symbol', 'side', 'type')),
        (
            'cancel_replace_order',
            ('symbol', 'cancelReplaceMode', 'cancelOrderId|cancelOrigClientOrderId', 'side', 'type'),
        ),
        ('amend_order', ('symbol', 'orderId|origClientOrderId', 'newQty')),
        ('get_oco', ('origClientOrderId|orderListId',)),
        ('cancel_oco', ('symbol', 'orderListId|listClientOrderId')),
        ('create_oco', ('symbol', 'side', 'quantity', 'aboveType', 'belowType')),
        ('create_sor_order', ('symbol', 'side', 'type', 'quantity')),
    ],
)
def test_missing_required_params_are_named(name, missing):
    with pytest.raises(MissingParamException) as info:
        prepare(ROWS[name], {})
    assert info.value.method == name
    assert info.value.missing == missing


@pytest.mark.parametrize(
    'name', ['ping', 'get_ticker', 'get_account', 'get_open_orders', 'get_all_oco', 'session_logout']
)
def test_rows_without_required_params_accept_no_params(name):
    assert prepare(ROWS[name], {}) == {}


@pytest.mark.parametrize(
    ('name', 'base', 'alternatives'),
    [
        ('get_order', {'symbol': 'BTCUSDT'}, ('orderId', 'origClientOrderId')),
        ('cancel_order', {'symbol': 'BTCUSDT'}, ('orderId', 'origClientOrderId')),
        ('cancel_oco', {'symbol': 'BTCUSDT'}, ('orderListId', 'listClientOrderId')),
        ('get_oco', {}, ('orderListId', 'origClientOrderId')),
        ('get_trading_day_ticker', {}, ('symbol', 'symbols')),
        ('get_prevented_matches', {'symbol': 'BTCUSDT'}, ('preventedMatchId', 'orderId')),
    ],
)
def test_either_alternative_satisfies_the_requirement(name, base, alternatives):
    row = ROWS[name]
    for alt in alternatives:
        value = ['BNBBTC'] if alt == 'symbols' else ('BNBBTC' if alt == 'symbol' else 7)
        assert prepare(row, {**base, alt: value})[alt] == value
    with pytest.raises(MissingParamException) as info:
        prepare(row, base)
    assert info.value.missing == ('|'.join(next(r for r in row.required if isinstance(r, tuple))),)


def test_none_counts_as_not_given():
    with pytest.raises(MissingParamException) as info:
        prepare(ROWS['get_order'], {'symbol': 'BTCUSDT', 'orderId': None})
    assert info.value.missing == ('orderId|origClientOrderId',)
