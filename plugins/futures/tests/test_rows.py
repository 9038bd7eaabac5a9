"""The futures row factories and tables: one market's roots and host labels in, its rows out."""

import enum
import inspect
import json
from decimal import Decimal
from importlib.metadata import entry_points

import attrs
import pytest

from binance_core import REST, WS, Endpoint, SecurityType
from binance_core.exceptions import MissingParamException, UnknownParamException, UnsupportedParamException
from binance_core.paramkinds import KINDS, Kind, kind_of
from binance_core.params import normalize, prepare
from binance_futures import endpoints as shared
from binance_futures.endpoints import MARKET_OPTIONAL, algo_endpoints, general_endpoints, not_together, shared_endpoints
from binance_futures.enums import FuturesOrderType, FuturesTimeInForce, MarginType, PositionSide, WorkingType
from binance_futures.market import (
    FUTURES_PARAM_KINDS,
    FUTURES_TEXT_PARAMS,
    TESTNET_REST,
    futures_hosts,
    futures_market,
)
from binance_futures.rate_limits import FUNDING_GROUP, FUTURES_BUDGET, FUTURES_DATA_GROUP, POOLS


@pytest.mark.parametrize('root', ['/fapi', '/dapi'])
def test_general_endpoints_live_under_the_markets_root(root):
    rows = {row.name: row for row in general_endpoints(root)}
    assert {name: row.call for name, row in rows.items()} == {
        'ping': REST('GET', f'{root}/v1/ping'),
        'get_server_time': REST('GET', f'{root}/v1/time'),
        'get_exchange_info': REST('GET', f'{root}/v1/exchangeInfo'),
    }
    for row in rows.values():  # FUTURES-API.md §1: weight 1 each, public, no params (OFF-UM, OFF-CM)
        assert (row.weight, row.security, row.required, row.orders) == (1, SecurityType.NONE, (), 0), row.name
        assert row.optional == () and row.known == frozenset(), row.name


def test_the_roots_differ_only_in_the_path():
    fapi, dapi = general_endpoints('/fapi'), general_endpoints('/dapi')
    for um, cm in zip(fapi, dapi, strict=True):
        assert um.call.path.replace('/fapi/', '/dapi/') == cm.call.path
        assert (um.name, um.weight, um.security, um.summary) == (cm.name, cm.weight, cm.security, cm.summary)


@pytest.mark.parametrize('root', ['fapi', '/fapi/', '/fapi/v1', ''])
def test_a_malformed_root_is_refused(root):
    with pytest.raises(ValueError, match='REST root'):
        general_endpoints(root)


def test_pools_are_shared_by_the_futures_markets():
    rows = {(p.type, p.seconds, p.group): p for p in POOLS}
    assert len(rows) == len(POOLS)  # each pool once
    assert {k: (p.scope, p.limit, p.safety, p.wait) for k, p in rows.items()} == {
        ('request_weight', 60, None): ('ip', 2400, 0.9, True),
        ('orders', 10, None): ('account', 300, 1.0, False),  # orders fail fast, never wait
        ('orders', 60, None): ('account', 1200, 1.0, False),
        ('ws_connections', 300, None): ('ip', 290, 1.0, True),
        ('ws_messages', 1, None): ('connection', 10, 1.0, True),
        ('ws_streams', None, None): ('connection', 200, 1.0, True),  # futures: 200 streams, not Spot's 1024
        # Endpoint-specific pools (OFF-UM): /futures/data/* 1000 / 5 min / IP; fundingRate + fundingInfo 500.
        ('raw_requests', 300, FUTURES_DATA_GROUP): ('ip', 1000, 1.0, True),
        ('raw_requests', 300, FUNDING_GROUP): ('ip', 500, 1.0, True),
    }
    # UM and CM count weight and orders together since 2026-06-30; connections are shared to be safe; the
    # per-IP group pools are one counter for every client in the process.
    assert {k for k, p in rows.items() if p.budget == FUTURES_BUDGET} == {
        ('request_weight', 60, None),
        ('orders', 10, None),
        ('orders', 60, None),
        ('ws_connections', 300, None),
        ('raw_requests', 300, FUTURES_DATA_GROUP),
        ('raw_requests', 300, FUNDING_GROUP),
    }
    assert all(p.budget is None for p in POOLS if p.scope == 'connection')
    assert rows[('request_weight', 60, None)].effective_limit == 2160


@pytest.mark.parametrize(
    ('api', 'stream', 'expected'),
    [
        (
            'fapi',
            'fstream',
            {
                'live': (
                    'https://fapi.binance.com',
                    'wss://ws-fapi.binance.com/ws-fapi/v1',
                    'wss://fstream.binance.com',
                ),
                'testnet': (
                    'https://testnet.binancefuture.com',
                    'wss://testnet.binancefuture.com/ws-fapi/v1',
                    'wss://fstream.binancefuture.com',
                ),
                'demo': ('https://demo-fapi.binance.com', None, 'wss://demo-fstream.binance.com'),
            },
        ),
        (
            'dapi',
            'dstream',
            {
                'live': (
                    'https://dapi.binance.com',
                    'wss://ws-dapi.binance.com/ws-dapi/v1',
                    'wss://dstream.binance.com',
                ),
                'testnet': (
                    'https://testnet.binancefuture.com',
                    'wss://testnet.binancefuture.com/ws-dapi/v1',
                    'wss://dstream.binancefuture.com',
                ),
                'demo': ('https://demo-dapi.binance.com', None, 'wss://demo-dstream.binance.com'),
            },
        ),
    ],
)
def test_hosts_follow_binances_futures_scheme(api, stream, expected):
    hosts = futures_hosts(api=api, stream=stream)
    assert {env: (h.rest, h.ws_api, h.stream) for env, h in hosts.items()} == expected
    assert hosts['testnet'].rest == TESTNET_REST


def test_a_futures_market_syncs_time_and_sends_ten_messages_a_second():
    spec = futures_market(
        name='toy',
        client_name='ToyClient',
        distribution='binance-market-toy',
        hosts=futures_hosts(api='tapi', stream='tstream'),
    )
    assert (spec.time_endpoint, spec.stream_message_rate, spec.orderbook) == ('get_server_time', 10, None)
    assert spec.hosts_for('live').rest == 'https://tapi.binance.com'


def test_a_futures_market_declares_the_params_binance_takes_as_text():
    spec = futures_market(
        name='toy',
        client_name='ToyClient',
        distribution='binance-market-toy',
        hosts=futures_hosts(api='tapi', stream='tstream'),
    )
    assert spec.text_params == FUTURES_TEXT_PARAMS
    assert {
        'symbol',
        'pair',
        'side',
        'type',
        'timeInForce',
        'positionSide',
        'newClientOrderId',
        'origClientOrderId',
        'workingType',
        'marginType',
        'interval',
        'period',
        'contractType',
        'asset',
        'marginAsset',
    } <= spec.text_params
    # JSON arrays, ids, decimals and the "true"/"false" flags users pass as bools are not text.
    assert {
        'symbols',
        'orderIdList',
        'origClientOrderIdList',
        'batchOrders',
        'orderId',
        'price',
        'quantity',
        'reduceOnly',
        'closePosition',
        'dualSidePosition',
    }.isdisjoint(spec.text_params)


def test_enums_are_str_enums_spelled_as_binance_does():
    for cls in (FuturesOrderType, FuturesTimeInForce, MarginType, PositionSide, WorkingType):
        assert issubclass(cls, enum.StrEnum)
        assert all(member.value == member.name for member in cls)
    assert FuturesOrderType.STOP_MARKET == 'STOP_MARKET' and FuturesTimeInForce.GTX == 'GTX'


def test_the_futures_library_registers_no_market():
    for group in ('binance.markets', 'binance.plugins', 'binance.testing'):
        assert not [ep for ep in entry_points(group=group) if ep.dist and ep.dist.name == 'binance-futures-common']


# -- the shared rows (FUTURES-API.md §1-§2; OFF-UM and OFF-CM docstrings), written out per root ------------

N, T, U, MD = SecurityType.NONE, SecurityType.TRADE, SecurityType.USER_DATA, SecurityType.MARKET_DATA
ID = ('orderId', 'origClientOrderId')


def _shared_table(root):
    """name -> (call, security, weight, required, orders, generated id); weights as Binance prints them."""
    return {
        'ping': (REST('GET', f'{root}/v1/ping'), N, 1, (), 0, None),
        'get_server_time': (REST('GET', f'{root}/v1/time'), N, 1, (), 0, None),
        'get_exchange_info': (REST('GET', f'{root}/v1/exchangeInfo'), N, 1, (), 0, None),
        'get_open_interest': (REST('GET', f'{root}/v1/openInterest'), N, 1, ('symbol',), 0, None),
        'get_orderbook': (REST('GET', f'{root}/v1/depth'), N, 'depth_weight', ('symbol',), 0, None),
        'get_recent_trades': (REST('GET', f'{root}/v1/trades'), N, 5, ('symbol',), 0, None),
        'get_historical_trades': (REST('GET', f'{root}/v1/historicalTrades'), MD, 200, ('symbol',), 0, None),
        'get_aggregate_trades': (REST('GET', f'{root}/v1/aggTrades'), N, 20, ('symbol',), 0, None),
        'get_klines': (REST('GET', f'{root}/v1/klines'), N, 'klines_weight', ('symbol', 'interval'), 0, None),
        'get_continuous_klines': (
            REST('GET', f'{root}/v1/continuousKlines'),
            N,
            'klines_weight',
            ('pair', 'contractType', 'interval'),
            0,
            None,
        ),
        'get_index_price_klines': (
            REST('GET', f'{root}/v1/indexPriceKlines'),
            N,
            'klines_weight',
            ('pair', 'interval'),
            0,
            None,
        ),
        'get_mark_price_klines': (
            REST('GET', f'{root}/v1/markPriceKlines'),
            N,
            'klines_weight',
            ('symbol', 'interval'),
            0,
            None,
        ),
        'get_premium_index_klines': (
            REST('GET', f'{root}/v1/premiumIndexKlines'),
            N,
            'klines_weight',
            ('symbol', 'interval'),
            0,
            None,
        ),
        'get_ticker': (REST('GET', f'{root}/v1/ticker/24hr'), N, 'ticker_24hr_weight', (), 0, None),
        'get_orderbook_ticker': (REST('GET', f'{root}/v1/ticker/bookTicker'), N, 'book_ticker_weight', (), 0, None),
        'create_order': (WS('order.place'), T, 0, ('symbol', 'side', 'type'), 1, 'newClientOrderId'),
        # Both quantity and price: UM since 2026-06-09 (OFF-UM 11.0.0), CM since 2026-06-30 (OFF-CM).
        'modify_order': (WS('order.modify'), T, 1, ('symbol', 'side', 'quantity', 'price', ID), 1, None),
        'cancel_order': (WS('order.cancel'), T, 1, ('symbol', ID), 0, None),
        'cancel_all_orders': (REST('DELETE', f'{root}/v1/allOpenOrders'), T, 1, ('symbol',), 0, None),
        'get_order': (WS('order.status'), U, 1, ('symbol', ID), 0, None),
        'get_open_orders': (REST('GET', f'{root}/v1/openOrders'), U, 'open_orders_weight', (), 0, None),
        'create_batch_orders': (
            REST('POST', f'{root}/v1/batchOrders'),
            T,
            5,
            ('batchOrders',),
            5,
            'batchOrders[].newClientOrderId',
        ),
        'cancel_batch_orders': (
            REST('DELETE', f'{root}/v1/batchOrders'),
            T,
            1,
            ('symbol', ('orderIdList', 'origClientOrderIdList')),
            0,
            None,
        ),
        'get_commission': (REST('GET', f'{root}/v1/commissionRate'), U, 20, ('symbol',), 0, None),
        'set_leverage': (REST('POST', f'{root}/v1/leverage'), T, 1, ('symbol', 'leverage'), 0, None),
        'set_margin_type': (REST('POST', f'{root}/v1/marginType'), T, 1, ('symbol', 'marginType'), 0, None),
        'set_position_margin': (
            REST('POST', f'{root}/v1/positionMargin'),
            T,
            1,
            ('symbol', 'amount', 'type'),
            0,
            None,
        ),
        'get_position_mode': (REST('GET', f'{root}/v1/positionSide/dual'), U, 30, (), 0, None),
        'set_position_mode': (REST('POST', f'{root}/v1/positionSide/dual'), T, 1, ('dualSidePosition',), 0, None),
    }


# The optional params of each shared row, from the signatures of Binance's generated connectors (OFF-UM, OFF-CM), in
# their order, without recvWindow and the id alternatives already required. Written out, never read from the rows.
KLINES = ('startTime', 'endTime', 'limit')
SHARED_OPTIONAL = {
    'ping': (),
    'get_server_time': (),
    'get_exchange_info': (),
    'get_open_interest': (),
    'get_orderbook': ('limit',),
    'get_recent_trades': ('limit',),
    'get_historical_trades': ('limit', 'fromId'),
    'get_aggregate_trades': ('fromId', 'startTime', 'endTime', 'limit'),
    'get_klines': KLINES,
    'get_continuous_klines': KLINES,
    'get_index_price_klines': KLINES,
    'get_mark_price_klines': KLINES,
    'get_premium_index_klines': KLINES,
    'modify_order': ('priceMatch', 'modifyId'),
    'cancel_order': (),
    'cancel_all_orders': (),
    'get_order': (),
    'create_batch_orders': (),
    'cancel_batch_orders': (),
    'get_commission': (),
    'set_leverage': (),
    'set_margin_type': (),
    'set_position_margin': ('positionSide',),
    'get_position_mode': (),
    'set_position_mode': (),
}
# What differs per market: COIN-M's `pair`; New Order's params (OFF-UM lost the conditional ones, OFF-CM keeps them).
UM_OPTIONAL = {
    'get_ticker': ('symbol',),
    'get_orderbook_ticker': ('symbol',),
    'create_order': ('positionSide', 'timeInForce', 'reduceOnly', 'quantity', 'price', 'newClientOrderId',
                     'newOrderRespType', 'priceMatch', 'selfTradePreventionMode', 'goodTillDate'),
    'get_open_orders': ('symbol',),
}  # fmt: skip
CM_OPTIONAL = {
    'get_ticker': ('symbol', 'pair'),
    'get_orderbook_ticker': ('symbol', 'pair'),
    'create_order': ('positionSide', 'timeInForce', 'quantity', 'reduceOnly', 'price', 'newClientOrderId', 'stopPrice',
                     'closePosition', 'activationPrice', 'callbackRate', 'workingType', 'priceProtect',
                     'newOrderRespType', 'priceMatch', 'selfTradePreventionMode'),
    'get_open_orders': ('symbol', 'pair'),
}  # fmt: skip
# create_order knows the conditional params only to refuse them (Endpoint.refused), whatever a market's docs list,
# so that its check (not "unknown param") answers a caller who passes one, and they stay out of its signature.
CONDITIONAL = ('stopPrice', 'activationPrice', 'callbackRate', 'closePosition', 'priceProtect', 'workingType')
UM_ORDER = UM_OPTIONAL['create_order']
CM_ORDER = tuple(p for p in CM_OPTIONAL['create_order'] if p not in CONDITIONAL)
ROOTS = [('/fapi', UM_OPTIONAL, UM_ORDER), ('/dapi', CM_OPTIONAL, CM_ORDER)]


@pytest.mark.parametrize(('root', 'market', 'order'), ROOTS, ids=['fapi', 'dapi'])
def test_shared_rows_match_the_docs_under_each_root(root, market, order):
    rows = shared_endpoints(root, optional=market)
    assert [row.name for row in rows[:3]] == ['ping', 'get_server_time', 'get_exchange_info']
    table = _shared_table(root)
    assert [row.name for row in rows] == list(table)  # in the order of Binance's docs, each once
    for row in rows:
        call, security, weight, required, orders, cid = table[row.name]
        w = row.weight if isinstance(row.weight, int) else row.weight.__name__
        assert (row.call, row.security, w, row.required, row.orders, row.client_order_id) == (
            call,
            security,
            weight,
            required,
            orders,
            cid,
        ), row.name
        assert row.pool_group is None, row.name  # the group pools are USDⓈ-M's rows
        assert row.summary and '\n' not in row.summary, row.name
        expected = order if row.name == 'create_order' else {**SHARED_OPTIONAL, **market}[row.name]
        assert row.optional == expected, row.name
        assert set(row.refused) == (set(CONDITIONAL) if row.name == 'create_order' else set()), row.name


def test_only_the_per_market_rows_take_the_markets_lists():
    assert set(MARKET_OPTIONAL) == set(UM_OPTIONAL) and not set(MARKET_OPTIONAL) & set(SHARED_OPTIONAL)
    um = {row.name: row for row in shared_endpoints('/fapi', optional=UM_OPTIONAL)}
    cm = {row.name: row for row in shared_endpoints('/dapi', optional=CM_OPTIONAL)}
    assert {name for name in um if um[name].optional != cm[name].optional} == set(MARKET_OPTIONAL)


@pytest.mark.parametrize(
    ('optional', 'error', 'match'),
    [
        (dict(list(UM_OPTIONAL.items())[:-1]), ValueError, r"missing \['get_open_orders'\]"),
        ({**UM_OPTIONAL, 'get_orderbook': ('limit',)}, ValueError, r"not shared per market \['get_orderbook'\]"),
        ({**UM_OPTIONAL, 'get_ticker': 'symbol'}, TypeError, 'not the str'),
        (('get_ticker',), TypeError, 'must map the rows'),
    ],
    ids=['a-row-missing', 'a-row-not-per-market', 'a-str', 'not-a-mapping'],
)
def test_the_markets_lists_must_name_exactly_the_per_market_rows(optional, error, match):
    with pytest.raises(error, match=match):
        shared_endpoints('/fapi', optional=optional)


@pytest.mark.parametrize(('root', 'market', 'order'), ROOTS, ids=['fapi', 'dapi'])
def test_create_order_knows_the_conditional_params_so_its_check_answers(root, market, order):
    row = {row.name: row for row in shared_endpoints(root, optional=market)}['create_order']
    assert set(shared.CONDITIONAL_ORDER_PARAMS) <= row.known
    for param in shared.CONDITIONAL_ORDER_PARAMS:
        sent = prepare(row, {**LIMIT, param: 'true' if param in ('closePosition', 'priceProtect') else '1'})
        with pytest.raises(UnsupportedParamException) as info:
            row.check(sent)
        assert (info.value.param, info.value.use) == (param, 'create_algo_order')
    with pytest.raises(UnknownParamException) as typo:
        prepare(row, {**LIMIT, 'stopPrise': '1'})
    assert typo.value.suggestion == 'stopPrice'


def test_shared_rows_differ_between_roots_only_in_the_path():
    fapi, dapi = shared_endpoints('/fapi', optional=UM_OPTIONAL), shared_endpoints('/dapi', optional=UM_OPTIONAL)
    for um, cm in zip(fapi, dapi, strict=True):
        if isinstance(um.call, REST):
            assert um.call.path.replace('/fapi/', '/dapi/', 1) == cm.call.path
            assert um.call.verb == cm.call.verb
        else:
            assert um.call == cm.call  # ws-fapi and ws-dapi spell the method the same
        assert um == attrs.evolve(cm, call=um.call), um.name


def test_only_the_checked_rows_carry_a_check():
    checks = {row.name: row.check for row in shared_endpoints('/fapi', optional=UM_OPTIONAL) if row.check is not None}
    assert checks == {
        'get_ticker': shared.check_ticker,
        'get_orderbook_ticker': shared.check_book_ticker,
        'create_order': shared.check_order,
        'create_batch_orders': shared.check_batch_orders,
        'cancel_batch_orders': shared.check_batch_cancel,
    }
    set_margin = {row.name: row for row in shared_endpoints('/fapi', optional=UM_OPTIONAL)}['set_position_margin']
    assert set_margin.not_text == ('type',)  # an INT: 1 adds margin, 2 reduces it
    assert set_margin.kinds == {'type': Kind.INT} and KINDS['type'] is Kind.ENUM  # typed INT on this row only
    assert kind_of('type', set_margin.kinds, FUTURES_PARAM_KINDS) is Kind.INT


@pytest.mark.parametrize(('root', 'market'), [('/fapi', UM_OPTIONAL), ('/dapi', CM_OPTIONAL)], ids=['fapi', 'dapi'])
def test_every_shared_param_has_a_kind_and_only_one_row_overrides_one(root, market):
    rows = (*shared_endpoints(root, optional=market), *algo_endpoints(root, place=WS('p'), cancel=WS('c')))
    for row in rows:
        for name in (*row.required_names(), *row.optional):
            assert kind_of(name, row.kinds, FUTURES_PARAM_KINDS) is not Kind.ANY, (row.name, name)
    assert {row.name: dict(row.kinds) for row in rows if row.kinds} == {'set_position_margin': {'type': Kind.INT}}
    assert not set(FUTURES_PARAM_KINDS) & set(KINDS)


# Binance's documented rules, at their boundaries (OFF-UM / OFF-CM "Weight" tables).
WEIGHT_CASES = [
    (shared.depth_weight, {}, 10),  # default limit 500
    (shared.depth_weight, {'limit': 5}, 2),
    (shared.depth_weight, {'limit': 50}, 2),
    (shared.depth_weight, {'limit': 100}, 5),
    (shared.depth_weight, {'limit': 500}, 10),
    (shared.depth_weight, {'limit': 1000}, 20),
    (shared.depth_weight, {'limit': '1000'}, 20),  # the fake exchange passes the query's strings
    (shared.klines_weight, {}, 5),  # default limit 500
    (shared.klines_weight, {'limit': 1}, 1),
    (shared.klines_weight, {'limit': 99}, 1),
    (shared.klines_weight, {'limit': 100}, 2),
    (shared.klines_weight, {'limit': 499}, 2),
    (shared.klines_weight, {'limit': 500}, 5),
    (shared.klines_weight, {'limit': 1000}, 5),
    (shared.klines_weight, {'limit': 1001}, 10),
    (shared.klines_weight, {'limit': 1500}, 10),
    (shared.ticker_24hr_weight, {'symbol': 'BTCUSDT'}, 1),
    (shared.ticker_24hr_weight, {}, 40),
    (shared.book_ticker_weight, {'symbol': 'BTCUSDT'}, 2),
    (shared.book_ticker_weight, {}, 5),
    (shared.open_orders_weight, {'symbol': 'BTCUSDT'}, 1),
    (shared.open_orders_weight, {}, 40),
]


@pytest.mark.parametrize(('fn', 'params', 'weight'), WEIGHT_CASES, ids=[str(i) for i in range(len(WEIGHT_CASES))])
def test_weight_rules_at_documented_boundaries(fn, params, weight):
    assert fn(params) == weight


def test_weight_and_check_functions_are_named_and_quote_binance():
    for row in shared_endpoints('/fapi', optional=UM_OPTIONAL):
        for fn in (row.weight, row.check):
            if fn is None or isinstance(fn, int):
                continue
            assert getattr(shared, fn.__name__) is fn, row.name
            first = inspect.getdoc(fn).splitlines()[0]
            assert first.startswith('Binance `') and not first.endswith('.'), row.name


# -- checks (FUTURES-API.md §1, §6, §7) ---------------------------------------------------------------------

LIMIT = {'symbol': 'BTCUSDT', 'side': 'BUY', 'type': 'LIMIT', 'timeInForce': 'GTC', 'quantity': '1', 'price': '9'}


@pytest.mark.parametrize('order_type', sorted(shared.CONDITIONAL_ORDER_TYPES))
def test_conditional_types_are_refused_naming_create_algo_order(order_type):
    with pytest.raises(UnsupportedParamException) as info:
        shared.check_order(normalize({**LIMIT, 'type': order_type, 'stopPrice': '9'}))
    e = info.value
    assert (e.method, e.param, e.value, e.use) == ('create_order', 'type', order_type, 'create_algo_order')
    assert '-4120' in str(e) and 'create_algo_order(' in str(e) and 'nothing was sent' in str(e)
    assert isinstance(e, ValueError)


@pytest.mark.parametrize('param', shared.CONDITIONAL_ORDER_PARAMS)
def test_conditional_params_are_refused_on_plain_orders(param):
    with pytest.raises(UnsupportedParamException) as info:
        shared.check_order(normalize({**LIMIT, param: 'true' if param == 'priceProtect' else '1'}))
    assert (info.value.param, info.value.use) == (param, 'create_algo_order')


@pytest.mark.parametrize(
    ('params', 'missing'),
    [
        ({'type': 'LIMIT'}, ('timeInForce', 'quantity', 'price|priceMatch')),
        ({'type': 'LIMIT', 'timeInForce': 'GTC', 'quantity': '1'}, ('price|priceMatch',)),
        ({'type': 'MARKET'}, ('quantity',)),
    ],
)
def test_limit_and_market_mandatory_params(params, missing):
    with pytest.raises(MissingParamException) as info:
        shared.check_order({'symbol': 'BTCUSDT', 'side': 'BUY', **params})
    assert info.value.missing == missing
    shared.check_order(LIMIT)
    shared.check_order({**LIMIT, 'price': None, 'priceMatch': 'QUEUE'})
    shared.check_order({'symbol': 'BTCUSDT', 'side': 'SELL', 'type': 'MARKET', 'quantity': '1'})


def test_batch_orders_hold_one_to_five_plain_orders():
    five = [dict(LIMIT, price=str(n)) for n in range(1, 6)]
    shared.check_batch_orders(normalize({'batchOrders': five}))
    shared.check_batch_orders({'batchOrders': json.dumps(five)})  # JSON text a caller encoded
    for items, param, value in (([], 'batchOrders', 0), ([*five, LIMIT], 'batchOrders', 6)):
        with pytest.raises(UnsupportedParamException) as info:
            shared.check_batch_orders({'batchOrders': items})
        assert (info.value.param, info.value.value) == (param, value)
        assert 'at most' not in str(info.value) and '1 to 5' in str(info.value)
    with pytest.raises(UnsupportedParamException, match=r'batchOrders\[1\]\.type=.STOP_MARKET') as stop:
        shared.check_batch_orders({'batchOrders': [LIMIT, {**LIMIT, 'type': 'STOP_MARKET'}]})
    assert stop.value.use == 'create_algo_order'
    for param in ('stopPrice', 'priceProtect', 'activationPrice', 'callbackRate', 'workingType'):
        with pytest.raises(UnsupportedParamException) as info:
            shared.check_batch_orders({'batchOrders': [{**LIMIT, param: 'x'}]})
        assert info.value.param == f'batchOrders[0].{param}'
    with pytest.raises(MissingParamException) as missing:
        shared.check_batch_orders({'batchOrders': [{'symbol': 'BTCUSDT', 'side': 'BUY', 'type': 'MARKET'}]})
    assert missing.value.missing == ('batchOrders[0].quantity',)
    for bad in ('not json', {'a': 1}, [1, 2]):
        with pytest.raises(UnsupportedParamException, match='batchOrders'):
            shared.check_batch_orders({'batchOrders': bad})


def test_a_float_inside_a_batch_item_is_refused_and_decimals_become_strings():
    with pytest.raises(TypeError, match=r"'batchOrders\.price'"):
        normalize({'batchOrders': [{**LIMIT, 'price': 9.5}]})
    sent = normalize({'batchOrders': [{**LIMIT, 'price': Decimal('9.50'), 'quantity': Decimal('1E-3')}]})
    assert sent['batchOrders'][0]['price'] == '9.50' and sent['batchOrders'][0]['quantity'] == '0.001'


def test_batch_cancel_lists_hold_one_to_ten_ids():
    shared.check_batch_cancel({'symbol': 'BTCUSDT', 'orderIdList': list(range(10))})
    shared.check_batch_cancel({'symbol': 'BTCUSDT', 'origClientOrderIdList': [f'c{n}' for n in range(10)]})
    shared.check_batch_cancel({'symbol': 'BTCUSDT', 'orderIdList': '[1,2]'})
    for name in ('orderIdList', 'origClientOrderIdList'):
        for ids in ([], list(range(11))):
            with pytest.raises(UnsupportedParamException) as info:
                shared.check_batch_cancel({'symbol': 'BTCUSDT', name: ids})
            assert (info.value.method, info.value.param, info.value.value) == ('cancel_batch_orders', name, len(ids))


def test_required_params_are_checked_before_the_row_check():
    rows = {row.name: row for row in shared_endpoints('/fapi', optional=UM_OPTIONAL)}
    with pytest.raises(MissingParamException) as info:
        prepare(rows['create_order'], {'symbol': 'BTCUSDT'})
    assert info.value.missing == ('side', 'type')


# -- the row fields the checks and group pools added (binance_core.specs) ------------------------------------


def test_a_row_check_is_a_named_function_and_shows_in_repr():
    def check_probe(params):
        """Binance `probe`: a rule"""

    row = Endpoint(name='probe', call=WS('probe'), security=SecurityType.NONE, check=check_probe, pool_group='data')
    assert 'check=' in repr(row) and 'check_probe' in repr(row) and "pool_group='data'" in repr(row)
    with pytest.raises(TypeError, match='named function'):
        Endpoint(name='probe', call=WS('probe'), security=SecurityType.NONE, check=lambda p: None)
    with pytest.raises(TypeError, match='named function'):
        Endpoint(name='probe', call=WS('probe'), security=SecurityType.NONE, check='check_probe')
    for bad in ('', 'Data', 'two words'):
        with pytest.raises(ValueError, match='pool_group'):
            Endpoint(name='probe', call=WS('probe'), security=SecurityType.NONE, pool_group=bad)
    plain = Endpoint(name='probe', call=WS('probe'), security=SecurityType.NONE)
    assert (plain.check, plain.pool_group) == (None, None) and 'check' not in repr(plain)


@pytest.mark.parametrize(
    ('root', 'place', 'cancel'),
    [
        ('/fapi', WS('algoOrder.place'), WS('algoOrder.cancel')),  # UM: the WS-API's algo methods
        ('/dapi', REST('POST', '/dapi/v1/algoOrder'), REST('DELETE', '/dapi/v1/algoOrder')),  # CM: REST only
    ],
)
def test_the_algo_family_under_each_root(root, place, cancel):
    rows = {row.name: row for row in algo_endpoints(root, place=place, cancel=cancel)}
    algo_id = (('algoId', 'clientAlgoId'),)
    table = {
        'create_algo_order': (place, T, 0, ('algoType', 'symbol', 'side', 'type'), 1, 'clientAlgoId'),
        'cancel_algo_order': (cancel, T, 1, algo_id, 0, None),
        'get_algo_order': (REST('GET', f'{root}/v1/algoOrder'), U, 1, algo_id, 0, None),
        'get_open_algo_orders': (REST('GET', f'{root}/v1/openAlgoOrders'), U, 'open_orders_weight', (), 0, None),
        'get_all_algo_orders': (REST('GET', f'{root}/v1/allAlgoOrders'), U, 5, ('symbol',), 0, None),
        'cancel_all_algo_orders': (REST('DELETE', f'{root}/v1/algoOpenOrders'), T, 1, ('symbol',), 0, None),
    }
    # OFF-UM's `new_algo_order`, `current_all_algo_open_orders`, `query_all_algo_orders` (the others take only the
    # required ids); COIN-M the same, OFF-CM having no method for the family.
    optional = {
        'create_algo_order': ('positionSide', 'timeInForce', 'quantity', 'price', 'triggerPrice', 'workingType',
                              'priceMatch', 'closePosition', 'priceProtect', 'reduceOnly', 'activatePrice',
                              'callbackRate', 'clientAlgoId', 'newOrderRespType', 'selfTradePreventionMode',
                              'goodTillDate'),
        'get_open_algo_orders': ('algoType', 'symbol', 'algoId'),
        'get_all_algo_orders': ('algoId', 'startTime', 'endTime', 'limit'),
    }  # fmt: skip
    assert list(rows) == list(table)
    for name, row in rows.items():
        w = row.weight if isinstance(row.weight, int) else row.weight.__name__
        assert (row.call, row.security, w, row.required, row.orders, row.client_order_id) == table[name], name
        assert row.optional == optional.get(name, ()), name


def test_not_together_names_the_second_param_and_sends_nothing():
    not_together('m', {'symbol': 'A', 'orderId': 1}, ('symbol', 'pair'))  # one of each pair: fine
    with pytest.raises(UnsupportedParamException) as exc:
        not_together('m', {'symbol': 'A', 'pair': 'B'}, ('pair', 'fromId'), ('symbol', 'pair'))
    assert (exc.value.method, exc.value.param, exc.value.value) == ('m', 'pair', 'B')
    assert 'symbol and pair cannot be sent together' in str(exc.value)
