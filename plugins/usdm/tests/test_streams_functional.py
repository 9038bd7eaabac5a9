"""UMFuturesClient market streams against the loopback fake exchange (``FakeExchange('usdm')``, which serves
``/public``, ``/market`` and ``/private``): every SubType subscribes its stream name on its 2026 URL category
(book data on ``/public/stream``, the rest on ``/market/stream``), frames reach their handler bases as
DataFrames on both paths, partial depth gives ``(bids_df, asks_df)``, both asset-index forms reach their own
base, subscriptions are replayed per path after a drop, and the futures stream limits hold: at most 200 streams
per connection (the 201st raises before sending) and 10 control messages per second."""

import asyncio
import time

import pytest
from volas import TimeFrame

import binance
from binance import (
    AllAssetIndexHandlerBase,
    AssetIndexHandlerBase,
    FuturesAggTradeHandlerBase,
    FuturesBookTickerHandlerBase,
    FuturesPartialOrderBookHandlerBase,
    MarkPriceHandlerBase,
    SubType,
    TooManyStreamsException,
    UMFuturesClient,
)
from binance_testing import FakeExchange


@pytest.fixture
async def fx():
    async with FakeExchange('usdm') as exchange:
        yield exchange


async def until(predicate, timeout=5):
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


class Policy:
    def __init__(self):
        self.calls = []

    def __call__(self, info):
        self.calls.append(info.fails)
        return False, 0.01


def collector(base):
    """A handler of *base* that keeps what ``super().receive`` returns."""

    class Collect(base):
        def __init__(self):
            super().__init__()
            self.got = []

        def receive(self, payload):
            self.got.append(super().receive(payload))

    return Collect()


def first_row(df):
    return {column: df[column][0] for column in df.columns}


# Every USDⓈ-M SubType -> (stream name per UM-MS, URL category per WSN), written by hand.
WIRE = [
    ((SubType.MARK_PRICE, 'BTCUSDT'), 'btcusdt@markPrice', 'market'),
    ((SubType.MARK_PRICE, 'BTCUSDT', '1s'), 'btcusdt@markPrice@1s', 'market'),
    ((SubType.FORCE_ORDER, 'BTCUSDT'), 'btcusdt@forceOrder', 'market'),
    ((SubType.AGG_TRADE, 'BTCUSDT'), 'btcusdt@aggTrade', 'market'),
    ((SubType.KLINE, 'BTCUSDT', TimeFrame.m1), 'btcusdt@kline_1m', 'market'),
    ((SubType.CONTINUOUS_KLINE, 'BTCUSDT', 'PERPETUAL', '1m'), 'btcusdt_perpetual@continuousKline_1m', 'market'),
    ((SubType.MINI_TICKER, 'BTCUSDT'), 'btcusdt@miniTicker', 'market'),
    ((SubType.TICKER, 'BTCUSDT'), 'btcusdt@ticker', 'market'),
    ((SubType.BOOK_TICKER, 'BTCUSDT'), 'btcusdt@bookTicker', 'public'),
    ((SubType.PARTIAL_ORDER_BOOK, 'BTCUSDT', 5), 'btcusdt@depth5', 'public'),
    ((SubType.PARTIAL_ORDER_BOOK, 'BTCUSDT', 10, 100), 'btcusdt@depth10@100ms', 'public'),
    ((SubType.ORDER_BOOK, 'BTCUSDT'), 'btcusdt@depth', 'public'),
    ((SubType.ORDER_BOOK, 'BTCUSDT', 500), 'btcusdt@depth@500ms', 'public'),
    ((SubType.CONTRACT_INFO,), '!contractInfo', 'market'),
    ((SubType.ALL_MARKET_MARK_PRICE,), '!markPrice@arr', 'market'),
    ((SubType.ALL_MARKET_MARK_PRICE, '1s'), '!markPrice@arr@1s', 'market'),
    ((SubType.ALL_MARKET_LIQUIDATION,), '!forceOrder@arr', 'market'),
    ((SubType.ALL_MARKET_MINI_TICKERS,), '!miniTicker@arr', 'market'),
    ((SubType.ALL_MARKET_TICKERS,), '!ticker@arr', 'market'),
    ((SubType.ALL_MARKET_BOOK_TICKER,), '!bookTicker', 'public'),
    ((SubType.COMPOSITE_INDEX, 'DEFIUSDT'), 'defiusdt@compositeIndex', 'market'),
    ((SubType.ASSET_INDEX,), '!assetIndex@arr', 'market'),
    ((SubType.ASSET_INDEX, 'ADAUSD'), 'adausd@assetIndex', 'market'),
    ((SubType.TRADING_SESSION,), 'tradingSession', 'market'),
]


@pytest.mark.parametrize(('args', 'wire', 'path'), WIRE, ids=[w for _, w, _ in WIRE])
async def test_each_sub_type_subscribes_its_stream_on_its_url_category(fx, args, wire, path):
    async with UMFuturesClient(**fx.client_kwargs()) as um:
        async with asyncio.timeout(5):
            await um.subscribe(*args)
        assert fx.subscriptions() == {wire}
        assert fx.stream_urls == [f'/{path}/stream']
        [control] = fx.requests_for('SUBSCRIBE')
        assert control.params == [wire]


def test_every_data_sub_type_has_a_functional_case():
    rows = binance.assembly.markets['usdm'].stream_types
    assert {n for n, r in rows.items() if r.connection == 'data'} == {args[0].name for args, _, _ in WIRE}


async def test_book_data_on_public_the_rest_on_market_and_frames_reach_their_bases_on_both(fx):
    books, trades, marks = (
        collector(FuturesBookTickerHandlerBase),
        collector(FuturesAggTradeHandlerBase),
        collector(MarkPriceHandlerBase),
    )
    async with UMFuturesClient(**fx.client_kwargs()) as um:
        um.handler(books, trades, marks)
        async with asyncio.timeout(5):
            await um.subscribe(
                ([SubType.BOOK_TICKER, SubType.ORDER_BOOK, SubType.AGG_TRADE], ['BTCUSDT', 'ETHUSDT']),
                (SubType.MARK_PRICE, 'BTCUSDT', '1s'),
                (SubType.ALL_MARKET_BOOK_TICKER,),
            )
            assert sorted(fx.stream_urls) == ['/market/stream', '/public/stream']
            connections = um._streams.connections
            assert set(connections['public'].streams) == {
                'btcusdt@bookTicker',
                'ethusdt@bookTicker',
                'btcusdt@depth',
                'ethusdt@depth',
                '!bookTicker',
            }
            assert set(connections['market'].streams) == {
                'btcusdt@aggTrade',
                'ethusdt@aggTrade',
                'btcusdt@markPrice@1s',
            }
            await fx.push(
                'ethusdt@bookTicker',
                {'e': 'bookTicker', 'u': 400900217, 'E': 1568014460893, 'T': 1568014460891, 's': 'ETHUSDT',
                 'b': '25.35190000', 'B': '31.21000000', 'a': '25.36520000', 'A': '40.66000000'},
            )  # fmt: skip
            await fx.push(
                'btcusdt@aggTrade',
                {'e': 'aggTrade', 'E': 123456789, 's': 'BTCUSDT', 'a': 5933014, 'p': '0.001', 'q': '100',
                 'f': 100, 'l': 105, 'T': 123456785, 'm': True},
            )  # fmt: skip
            await fx.push(
                'btcusdt@markPrice@1s',
                {'e': 'markPriceUpdate', 'E': 1562305380000, 's': 'BTCUSDT', 'p': '11794.15000000',
                 'ap': '11793.80000000', 'i': '11784.62659091', 'P': '11784.25641265', 'r': '0.00038167',
                 'T': 1562306400000},
            )  # fmt: skip
            await until(lambda: books.got and trades.got and marks.got)
    book, trade, mark = first_row(books.got[0]), first_row(trades.got[0]), first_row(marks.got[0])
    assert (book['symbol'], book['bid_price'], book['update_id']) == ('ETHUSDT', 25.3519, 400900217)
    assert (trade['price'], trade['trade_time'], bool(trade['is_buyer_maker'])) == (0.001, 123456785, True)
    assert (mark['mark_price'], mark['mark_price_avg'], mark['next_funding_time']) == (11794.15, 11793.8, 1562306400000)
    assert len(books.got) == len(trades.got) == len(marks.got) == 1


async def test_partial_depth_reaches_its_handler_as_bids_and_asks_frames(fx):
    depth = collector(FuturesPartialOrderBookHandlerBase)
    payload = {
        'e': 'depthUpdate', 'E': 1571889248277, 'T': 1571889248276, 's': 'BTCUSDT',
        'U': 390497796, 'u': 390497878, 'pu': 390497794,
        'b': [['7403.89', '0.002'], ['7403.90', '3.906']], 'a': [['7405.96', '3.340'], ['7406.63', '4.525']],
    }  # fmt: skip
    async with UMFuturesClient(**fx.client_kwargs()) as um:
        um.handler(depth)
        async with asyncio.timeout(5):
            await um.subscribe(SubType.PARTIAL_ORDER_BOOK, 'BTCUSDT', 5, 100)
            await fx.push('btcusdt@depth5@100ms', payload)
            await until(lambda: depth.got)
    bids, asks = depth.got[0]
    assert list(bids['price']) == [7403.89, 7403.9] and list(bids['quantity']) == [0.002, 3.906]
    assert list(asks['price']) == [7405.96, 7406.63] and list(asks['quantity']) == [3.34, 4.525]
    assert fx.stream_urls == ['/public/stream']


async def test_both_asset_index_streams_reach_only_their_own_base(fx):
    one_asset, every_asset = collector(AssetIndexHandlerBase), collector(AllAssetIndexHandlerBase)
    event = {'e': 'assetIndexUpdate', 'E': 1686749230000, 's': 'ADAUSD', 'i': '0.27462452', 'b': '0.10000000',
             'a': '0.10000000', 'B': '0.24716207', 'A': '0.30208698', 'q': '0.05000000', 'g': '0.05000000',
             'Q': '0.26089330', 'G': '0.28835575'}  # fmt: skip
    async with UMFuturesClient(**fx.client_kwargs()) as um:
        um.handler(one_asset, every_asset)
        async with asyncio.timeout(5):
            await um.subscribe((SubType.ASSET_INDEX,), (SubType.ASSET_INDEX, 'ADAUSD'))
            assert fx.subscriptions() == {'!assetIndex@arr', 'adausd@assetIndex'}
            await fx.push('adausd@assetIndex', event)
            await fx.push('!assetIndex@arr', [event, {**event, 's': 'BTCUSD'}])
            await until(lambda: one_asset.got and every_asset.got)
            await asyncio.sleep(0.05)  # a misrouted frame would arrive now
    assert [len(df) for df in one_asset.got] == [1] and [len(df) for df in every_asset.got] == [2]
    assert list(every_asset.got[0]['symbol']) == ['ADAUSD', 'BTCUSD']


async def test_a_drop_replays_each_path_on_its_own_connection(fx):
    trades = collector(FuturesAggTradeHandlerBase)
    policy = Policy()
    async with UMFuturesClient(stream_retry_policy=policy, **fx.client_kwargs()) as um:
        um.handler(trades)
        async with asyncio.timeout(10):
            await um.subscribe((SubType.AGG_TRADE, 'BTCUSDT'), (SubType.ORDER_BOOK, 'BTCUSDT'))
            await fx.drop_connections('stream')
            await until(
                lambda: fx.stream_connections == 4 and fx.subscriptions() == {'btcusdt@aggTrade', 'btcusdt@depth'}
            )
            assert sorted(fx.stream_urls) == ['/market/stream'] * 2 + ['/public/stream'] * 2
            trade = {'e': 'aggTrade', 'E': 1, 's': 'BTCUSDT', 'a': 1, 'p': '1', 'q': '1', 'f': 1, 'l': 1, 'T': 1}
            await fx.push('btcusdt@aggTrade', {**trade, 'm': False})
            await until(lambda: trades.got)
    assert policy.calls == [1, 1]  # one failure per connection, each replayed


# -- limits: 200 streams per connection, 10 messages per second (UM-MS; FUTURES-API.md §3, §8 trap 8) ----------


async def test_the_201st_stream_on_one_connection_raises_before_sending(fx):
    symbols = [f'S{i}USDT' for i in range(200)]
    async with UMFuturesClient(**fx.client_kwargs()) as um:
        async with asyncio.timeout(10):
            await um.subscribe([SubType.AGG_TRADE], symbols)
            assert len(fx.subscriptions()) == 200
            sent = len(fx.requests_for('SUBSCRIBE'))
            with pytest.raises(TooManyStreamsException) as info:
                await um.subscribe(SubType.TICKER, 'BTCUSDT')
            assert (info.value.requested, info.value.limit) == (201, 200)
            assert len(fx.requests_for('SUBSCRIBE')) == sent  # refused locally: nothing went out
            assert 'btcusdt@ticker' not in fx.subscriptions()
            # The cap is per connection: /public is another one.
            await um.subscribe(SubType.ORDER_BOOK, 'BTCUSDT')
            assert 'btcusdt@depth' in fx.subscriptions()
    assert sorted(fx.stream_urls) == ['/market/stream', '/public/stream']


async def test_201_streams_at_once_raise_before_connecting(fx):
    async with UMFuturesClient(**fx.client_kwargs()) as um:
        with pytest.raises(TooManyStreamsException) as info:
            await um.subscribe([SubType.MINI_TICKER], [f'S{i}USDT' for i in range(201)])
    assert (info.value.requested, info.value.limit) == (201, 200)
    assert fx.requests == [] and fx.stream_connections == 0


async def test_control_messages_keep_under_10_per_second_on_one_connection(fx):
    # The fake closes a connection over Binance's 10 incoming messages/s (futures; Spot allows 5).
    assert fx.stream_message_limit == 10
    async with UMFuturesClient(**fx.client_kwargs()) as um:
        started = time.monotonic()
        async with asyncio.timeout(10):
            for i in range(15):
                await um.subscribe(SubType.AGG_TRADE, f'S{i}USDT')
        elapsed = time.monotonic() - started
        assert len(fx.subscriptions()) == 15
    assert fx.stream_connections == 1  # never cut off for flooding
    assert elapsed >= 0.9  # the 11th message waited about a second, for the window to move on


@pytest.mark.parametrize(
    ('args', 'error'),
    [
        ((SubType.PARTIAL_ORDER_BOOK, 'BTCUSDT', 15), 'InvalidSubTypeParamException'),
        ((SubType.ORDER_BOOK, 'BTCUSDT', 1000), 'InvalidSubTypeParamException'),
        ((SubType.KLINE, 'BTCUSDT', '1s'), 'InvalidSubTypeParamException'),
        ((SubType.CONTINUOUS_KLINE, 'BTCUSDT', 'CURRENT_MONTH', '1m'), 'InvalidSubTypeParamException'),
        ((SubType.MARK_PRICE, 'BTCUSDT', '5s'), 'InvalidSubTypeParamException'),
        ((SubType.KLINE, 'BTCUSDT'), 'InvalidSubParamsException'),
        ((SubType.CONTRACT_INFO, 'BTCUSDT'), 'InvalidSubParamsException'),
    ],
)
async def test_bad_params_are_refused_before_anything_is_sent(fx, args, error):
    async with UMFuturesClient(**fx.client_kwargs()) as um:
        with pytest.raises(getattr(binance, error)) as info:
            await um.subscribe(*args)
    assert type(info.value).__name__ == error
    assert fx.requests == [] and fx.stream_connections == 0
