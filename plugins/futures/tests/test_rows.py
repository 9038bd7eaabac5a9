"""The futures row factories and tables: one market's roots and host labels in, its rows out."""

import enum
from importlib.metadata import entry_points

import pytest

from binance_core import REST, SecurityType
from binance_futures.endpoints import general_endpoints
from binance_futures.enums import FuturesOrderType, FuturesTimeInForce, MarginType, PositionSide, WorkingType
from binance_futures.market import FUTURES_TEXT_PARAMS, TESTNET_REST, futures_hosts, futures_market
from binance_futures.rate_limits import FUTURES_BUDGET, POOLS


@pytest.mark.parametrize('root', ['/fapi', '/dapi'])
def test_general_endpoints_live_under_the_markets_root(root):
    rows = {row.name: row for row in general_endpoints(root)}
    assert {name: row.call for name, row in rows.items()} == {
        'ping': REST('GET', f'{root}/v1/ping'),
        'get_server_time': REST('GET', f'{root}/v1/time'),
        'get_exchange_info': REST('GET', f'{root}/v1/exchangeInfo'),
    }
    for row in rows.values():  # FUTURES-API.md §1: weight 1 each, public
        assert (row.weight, row.security, row.required, row.orders) == (1, SecurityType.NONE, (), 0), row.name


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
    rows = {(p.type, p.interval): p for p in POOLS}
    assert len(rows) == len(POOLS)  # each pool once
    assert {k: (p.scope, p.limit, p.safety, p.wait) for k, p in rows.items()} == {
        ('request_weight', '1m'): ('ip', 2400, 0.9, True),
        ('orders', '10s'): ('account', 300, 1.0, False),  # orders fail fast, never wait
        ('orders', '1m'): ('account', 1200, 1.0, False),
        ('ws_connections', '5m'): ('ip', 290, 1.0, True),
        ('ws_messages', '1s'): ('connection', 10, 1.0, True),
        ('ws_streams', None): ('connection', 200, 1.0, True),  # futures: 200 streams, not Spot's 1024
    }
    # UM and CM count weight and orders together since 2026-06-30; connections are shared to be safe.
    assert {k for k, p in rows.items() if p.budget == FUTURES_BUDGET} == {
        ('request_weight', '1m'),
        ('orders', '10s'),
        ('orders', '1m'),
        ('ws_connections', '5m'),
    }
    assert all(p.budget is None for p in POOLS if p.scope == 'connection')
    assert rows[('request_weight', '1m')].effective_limit == 2160


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
