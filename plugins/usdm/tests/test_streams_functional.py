"""UMFuturesClient market streams against the loopback fake exchange (``FakeExchange('usdm')``, which serves
``/public``, ``/market`` and ``/private``), with the checks every futures market runs
(``binance_futures.suite.streams.StreamChecks``): every SubType subscribes its stream name on its 2026 URL category
(book data on ``/public/stream``, the rest on ``/market/stream``), frames reach their handler bases as DataFrames
on both paths, partial depth gives ``(bids_df, asks_df)``, subscriptions are replayed per path after a drop, COIN-M's
own SubTypes are refused, and the futures stream limits hold: at most 200 streams per connection (the 201st raises
before sending) and 10 control messages per second. USDⓈ-M only: both asset-index forms reach their own base."""

import asyncio

from volas import TimeFrame

from binance import AllAssetIndexHandlerBase, AssetIndexHandlerBase, SubType, UMFuturesClient
from binance_futures.suite.streams import StreamChecks, collector, until

# Every USDⓈ-M SubType -> (stream name per UM-MS, URL path per WSN), written by hand.
# Not formatted: a table: one case per entry.
# fmt: off
WIRE = [
    (('MARK_PRICE', 'BTCUSDT'), 'btcusdt@markPrice', '/market/stream'),
    (('MARK_PRICE', 'BTCUSDT', '1s'), 'btcusdt@markPrice@1s', '/market/stream'),
    (('FORCE_ORDER', 'BTCUSDT'), 'btcusdt@forceOrder', '/market/stream'),
    (('AGG_TRADE', 'BTCUSDT'), 'btcusdt@aggTrade', '/market/stream'),
    (('KLINE', 'BTCUSDT', TimeFrame.m1), 'btcusdt@kline_1m', '/market/stream'),
    (('CONTINUOUS_KLINE', 'BTCUSDT', 'PERPETUAL', '1m'), 'btcusdt_perpetual@continuousKline_1m', '/market/stream'),
    (('MINI_TICKER', 'BTCUSDT'), 'btcusdt@miniTicker', '/market/stream'),
    (('TICKER', 'BTCUSDT'), 'btcusdt@ticker', '/market/stream'),
    (('BOOK_TICKER', 'BTCUSDT'), 'btcusdt@bookTicker', '/public/stream'),
    (('PARTIAL_ORDER_BOOK', 'BTCUSDT', 5), 'btcusdt@depth5', '/public/stream'),
    (('PARTIAL_ORDER_BOOK', 'BTCUSDT', 10, 100), 'btcusdt@depth10@100ms', '/public/stream'),
    (('ORDER_BOOK', 'BTCUSDT'), 'btcusdt@depth', '/public/stream'),
    (('ORDER_BOOK', 'BTCUSDT', 500), 'btcusdt@depth@500ms', '/public/stream'),
    (('CONTRACT_INFO',), '!contractInfo', '/market/stream'),
    (('ALL_MARKET_MARK_PRICE',), '!markPrice@arr', '/market/stream'),
    (('ALL_MARKET_MARK_PRICE', '1s'), '!markPrice@arr@1s', '/market/stream'),
    (('ALL_MARKET_LIQUIDATION',), '!forceOrder@arr', '/market/stream'),
    (('ALL_MARKET_MINI_TICKERS',), '!miniTicker@arr', '/market/stream'),
    (('ALL_MARKET_TICKERS',), '!ticker@arr', '/market/stream'),
    (('ALL_MARKET_BOOK_TICKER',), '!bookTicker', '/public/stream'),
    (('COMPOSITE_INDEX', 'DEFIUSDT'), 'defiusdt@compositeIndex', '/market/stream'),
    (('ASSET_INDEX',), '!assetIndex@arr', '/market/stream'),
    (('ASSET_INDEX', 'ADAUSD'), 'adausd@assetIndex', '/market/stream'),
    (('TRADING_SESSION',), 'tradingSession', '/market/stream'),
]

# UM-MS payloads pushed on three of the streams test_frames_reach_their_bases_on_every_path subscribes, and the
# first row of the frame each gives.
PUSHED = [
    ('ethusdt@bookTicker', 'FuturesBookTickerHandlerBase',
     {'e': 'bookTicker', 'u': 400900217, 'E': 1568014460893, 'T': 1568014460891, 's': 'ETHUSDT',
      'b': '25.35190000', 'B': '31.21000000', 'a': '25.36520000', 'A': '40.66000000'},
     {'type': 'bookTicker', 'update_id': 400900217, 'event_time': 1568014460893, 'transaction_time': 1568014460891,
      'symbol': 'ETHUSDT', 'bid_price': 25.3519, 'bid_quantity': 31.21, 'ask_price': 25.3652, 'ask_quantity': 40.66}),
    ('btcusdt@aggTrade', 'FuturesAggTradeHandlerBase',
     {'e': 'aggTrade', 'E': 123456789, 's': 'BTCUSDT', 'a': 5933014, 'p': '0.001', 'q': '100',
      'f': 100, 'l': 105, 'T': 123456785, 'm': True},
     {'type': 'aggTrade', 'event_time': 123456789, 'symbol': 'BTCUSDT', 'agg_trade_id': 5933014, 'price': 0.001,
      'quantity': 100.0, 'first_trade_id': 100, 'last_trade_id': 105, 'trade_time': 123456785,
      'is_buyer_maker': True}),
    # `ap` (the mark price moving average) is USDⓈ-M's only (OFF-UM 9.1.0, 2026-03-26).
    ('btcusdt@markPrice@1s', 'MarkPriceHandlerBase',
     {'e': 'markPriceUpdate', 'E': 1562305380000, 's': 'BTCUSDT', 'p': '11794.15000000',
      'ap': '11793.80000000', 'i': '11784.62659091', 'P': '11784.25641265', 'r': '0.00038167',
      'T': 1562306400000},
     {'type': 'markPriceUpdate', 'event_time': 1562305380000, 'symbol': 'BTCUSDT', 'mark_price': 11794.15,
      'mark_price_avg': 11793.8, 'index_price': 11784.62659091, 'estimated_settle_price': 11784.25641265,
      'funding_rate': 0.00038167, 'next_funding_time': 1562306400000}),
]
# fmt: on


class TestUsdmStreams(StreamChecks):
    market, client = 'usdm', UMFuturesClient
    symbol, other_symbol, pair = 'BTCUSDT', 'ETHUSDT', 'BTCUSDT'
    numbered = 'S{}USDT'
    book_path, other_path = 'public', 'market'
    FOREIGN = ('INDEX_PRICE', 'INDEX_PRICE_KLINE', 'MARK_PRICE_KLINE')
    WIRE = WIRE
    PUSHED = PUSHED

    async def test_both_asset_index_streams_reach_only_their_own_base(self, fx):
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
