"""CMFuturesClient's rows and signed requests against the loopback fake exchange: the checks every futures market
runs (``binance_futures.suite.rows`` and ``.requests``) with COIN-M's data and hand-written transcripts
(``wire_cases.py``), then what only COIN-M has: ``pair`` params and the combinations Binance refuses, v1 account
calls over ws-dapi, conditional orders over REST, and no test order or multi-assets mode."""

import asyncio
from pathlib import Path

import pytest

from binance import CMFuturesClient, UnknownParamException, UnsupportedParamException
from binance_coinm import endpoints as coinm_module
from binance_futures.suite.requests import BatchChecks, RestChecks, WsApiChecks, make_creds
from binance_futures.suite.rows import RowChecks, load_wire
from binance_testing import FakeExchange

WIRE = load_wire(Path(__file__).with_name('wire_cases.py'))


class TestCoinmRows(WIRE.Coinm, RowChecks):
    client = CMFuturesClient
    endpoints_module = coinm_module
    # Binance has no `/dapi/v1/order/test` and no multi-assets mode on COIN-M (OFF-CM, BNET; FUTURES-API.md §2).
    absent_methods = ('create_test_order', 'get_multi_assets_mode', 'set_multi_assets_mode')
    # COIN-M's param-dependent and flat weights (OFF-CM; BNET for the algo family), at their boundaries.
    weight_rules = (
        ('get_premium_index', {'symbol': 'BTCUSD_PERP'}, 10),  # 10 flat, UM: 1 with a symbol
        ('get_premium_index', {}, 10),
        ('get_leverage_bracket', {'symbol': 'BTCUSD_PERP'}, 1),
        ('get_leverage_bracket', {}, 2),
        ('get_open_orders', {'symbol': 'BTCUSD_PERP'}, 1),
        ('get_open_orders', {}, 40),
        ('get_open_algo_orders', {'symbol': 'BTCUSD_PERP'}, 1),
        ('get_all_orders', {'symbol': 'BTCUSD_PERP'}, 5),  # 5 flat since 2026-06-30, was 20 / 40
        ('get_user_trades', {'pair': 'BTCUSD'}, 5),
        ('get_ticker_price', {}, 2),
        ('get_orderbook_ticker', {'symbol': 'BTCUSD_PERP'}, 2),
        ('get_ticker', {'symbol': 'BTCUSD_PERP'}, 1),
        ('get_orderbook', {'symbol': 'BTCUSD_PERP', 'limit': 1000}, 20),
    )


class TestCoinmRest(WIRE.Coinm, RestChecks):
    client = CMFuturesClient


class TestCoinmWsApi(WIRE.Coinm, WsApiChecks):
    client = CMFuturesClient


class TestCoinmBatch(WIRE.Coinm, BatchChecks):
    client = CMFuturesClient


# -- what only COIN-M has ----------------------------------------------------------------------------------


@pytest.fixture
async def fx():
    async with FakeExchange('coinm') as exchange:
        yield exchange


@pytest.mark.parametrize(
    ('call', 'kwargs', 'param'),
    [
        # OFF-CM `account_trade_list`: "Symbol and pair cannot be sent together", "Pair and fromId cannot be sent
        # together", "OrderId can only be sent together with symbol".
        ('get_user_trades', {'symbol': 'BTCUSD_PERP', 'pair': 'BTCUSD'}, 'pair'),
        ('get_user_trades', {'pair': 'BTCUSD', 'fromId': 7}, 'fromId'),
        ('get_user_trades', {'pair': 'BTCUSD', 'orderId': 18662274680}, 'orderId'),
        # OFF-CM `all_orders`: "`pair` can't be sent with `orderId`"; a symbol or a pair.
        ('get_all_orders', {'symbol': 'BTCUSD_PERP', 'pair': 'BTCUSD'}, 'pair'),
        ('get_all_orders', {'pair': 'BTCUSD', 'orderId': 18662274680}, 'orderId'),
        # OFF-CM `symbol_price_ticker`: "Symbol and pair cannot be sent together".
        ('get_ticker_price', {'symbol': 'BTCUSD_PERP', 'pair': 'BTCUSD'}, 'pair'),
        # OFF-CM `ticker24hr_price_change_statistics`, `symbol_order_book_ticker`: the same rule.
        ('get_ticker', {'symbol': 'BTCUSD_PERP', 'pair': 'BTCUSD'}, 'pair'),
        ('get_orderbook_ticker', {'symbol': 'BTCUSD_PERP', 'pair': 'BTCUSD'}, 'pair'),
    ],
)
async def test_combinations_binance_refuses_fail_before_sending(fx, call, kwargs, param):
    async with CMFuturesClient(make_creds(fx, 'hmac'), **fx.client_kwargs()) as cm:
        with pytest.raises(UnsupportedParamException) as info:
            async with asyncio.timeout(5):
                await getattr(cm, call)(**kwargs)
    assert (info.value.method, info.value.param) == (call, param)
    assert fx.requests == []  # not even a time sync


@pytest.mark.parametrize('call', ['get_position_risk', 'get_position'])
async def test_positions_take_no_symbol(fx, call):
    """OFF-CM `position_information` (REST) and WS `account.position`: by `marginAsset` or `pair`; Binance would
    ignore a symbol and answer with every position. The rows do not declare one, so `symbol=` is an unknown param;
    passed in `extra_params` (as a param Binance might have added), the row's check refuses it with the reason."""
    async with CMFuturesClient(make_creds(fx, 'hmac'), **fx.client_kwargs()) as cm:
        async with asyncio.timeout(5):
            with pytest.raises(UnknownParamException) as unknown:
                await getattr(cm, call)(symbol='BTCUSD_PERP')
            with pytest.raises(UnsupportedParamException) as refused:
                await getattr(cm, call)(extra_params={'symbol': 'BTCUSD_PERP'})
    assert (unknown.value.method, unknown.value.param) == (call, 'symbol')
    assert 'marginAsset' in str(unknown.value) and 'pair' in str(unknown.value)
    assert (refused.value.method, refused.value.param) == (call, 'symbol') and 'filtered by pair' in str(refused.value)
    assert fx.requests == []  # not even a time sync


async def test_a_pair_alone_is_enough_where_binance_takes_a_symbol_or_a_pair(fx):
    async with CMFuturesClient(make_creds(fx, 'hmac'), **fx.client_kwargs()) as cm:
        async with asyncio.timeout(10):
            await cm.get_user_trades(pair='BTCUSD', limit=10)
            await cm.get_all_orders(pair='BTCUSD')
            await cm.get_position_risk(pair='BTCUSD')
    sent = {r.method: {k: v for k, v in r.params.items() if k in ('symbol', 'pair')} for r in fx.requests[1:]}
    assert sent == {
        'GET /dapi/v1/userTrades': {'pair': 'BTCUSD'},
        'GET /dapi/v1/allOrders': {'pair': 'BTCUSD'},
        'GET /dapi/v1/positionRisk': {'pair': 'BTCUSD'},
    }


def test_no_test_order_and_no_multi_assets_mode_on_coinm():
    for name in ('create_test_order', 'get_multi_assets_mode', 'set_multi_assets_mode'):
        assert not hasattr(CMFuturesClient, name), name


async def test_a_conditional_order_goes_over_rest_not_the_ws_api(fx):
    """ws-dapi has no algo method (OFF-CM): placing and canceling a conditional order are REST calls, signed, and
    open no WS-API connection."""
    async with CMFuturesClient(make_creds(fx, 'ed25519'), **fx.client_kwargs()) as cm:
        async with asyncio.timeout(10):
            await cm.create_algo_order(**WIRE.Coinm.algo_order)
            await cm.cancel_algo_order(algoId=3000000001)
    place, cancel = fx.requests_for('POST /dapi/v1/algoOrder') + fx.requests_for('DELETE /dapi/v1/algoOrder')
    assert place.params['clientAlgoId'].startswith('x-') and 'signature' in place.params
    assert cancel.params['algoId'] == '3000000001' and 'signature' in cancel.params
    assert fx.ws_api_connections == 0
