"""CMFuturesClient market streams against the loopback fake exchange (``FakeExchange('coinm')``: dstream's one path,
``/stream`` and ``/ws``), with the checks every futures market runs (``binance_futures.suite.streams.StreamChecks``):
every SubType subscribes its stream name (CM-MS: contract codes lowercased with their ``_``, pairs without one) on
the one ``/stream`` connection, frames reach their handler bases as DataFrames, partial depth gives
``(bids_df, asks_df)``, subscriptions are replayed after a drop, USDⓈ-M's own SubTypes are refused, and the futures
stream limits hold: at most 200 streams per connection, book data included (no second path to move to), and 10
control messages per second. COIN-M only: the index price and the index and mark price klines reach their bases."""

import asyncio

from volas import TimeFrame

from binance import (
    CMFuturesClient,
    IndexPriceHandlerBase,
    IndexPriceKlineHandlerBase,
    MarkPriceKlineHandlerBase,
    SubType,
)
from binance_futures.suite.streams import StreamChecks, collector, frame_rows, until

DSTREAM = '/stream'  # COIN-M did not split its stream URLs (CM-MS; FUTURES-API.md §1.1)

# Every COIN-M SubType -> its stream name (CM-MS, in page order), written by hand.
# Not formatted: a table: one case per entry.
# fmt: off
WIRE = [
    (('AGG_TRADE', 'BTCUSD_PERP'), 'btcusd_perp@aggTrade', DSTREAM),
    (('INDEX_PRICE', 'BTCUSD'), 'btcusd@indexPrice', DSTREAM),
    (('INDEX_PRICE', 'BTCUSD', '1s'), 'btcusd@indexPrice@1s', DSTREAM),
    (('MARK_PRICE', 'BTCUSD_PERP'), 'btcusd_perp@markPrice', DSTREAM),
    (('MARK_PRICE', 'BTCUSD_250926', '1s'), 'btcusd_250926@markPrice@1s', DSTREAM),
    (('KLINE', 'BTCUSD_PERP', TimeFrame.m5), 'btcusd_perp@kline_5m', DSTREAM),
    (('CONTINUOUS_KLINE', 'BTCUSD', 'CURRENT_QUARTER', '1h'), 'btcusd_current_quarter@continuousKline_1h', DSTREAM),
    (('INDEX_PRICE_KLINE', 'BTCUSD', TimeFrame.m1), 'btcusd@indexPriceKline_1m', DSTREAM),
    (('MARK_PRICE_KLINE', 'BTCUSD_PERP', '1d'), 'btcusd_perp@markPriceKline_1d', DSTREAM),
    (('MINI_TICKER', 'BTCUSD_PERP'), 'btcusd_perp@miniTicker', DSTREAM),
    (('ALL_MARKET_MINI_TICKERS',), '!miniTicker@arr', DSTREAM),
    (('TICKER', 'ETHUSD_PERP'), 'ethusd_perp@ticker', DSTREAM),
    (('ALL_MARKET_TICKERS',), '!ticker@arr', DSTREAM),
    (('BOOK_TICKER', 'BTCUSD_PERP'), 'btcusd_perp@bookTicker', DSTREAM),
    (('ALL_MARKET_BOOK_TICKER',), '!bookTicker', DSTREAM),
    (('FORCE_ORDER', 'BTCUSD_PERP'), 'btcusd_perp@forceOrder', DSTREAM),
    (('ALL_MARKET_LIQUIDATION',), '!forceOrder@arr', DSTREAM),
    (('PARTIAL_ORDER_BOOK', 'BTCUSD_PERP', 20), 'btcusd_perp@depth20', DSTREAM),
    (('PARTIAL_ORDER_BOOK', 'BTCUSD_PERP', 5, 500), 'btcusd_perp@depth5@500ms', DSTREAM),
    (('ORDER_BOOK', 'BTCUSD_PERP'), 'btcusd_perp@depth', DSTREAM),
    (('ORDER_BOOK', 'BTCUSD_PERP', 100), 'btcusd_perp@depth@100ms', DSTREAM),
    (('CONTRACT_INFO',), '!contractInfo', DSTREAM),
    # Not on CM-MS; the spec lists it for both markets (unverified on dstream).
    (('ALL_MARKET_MARK_PRICE', '1s'), '!markPrice@arr@1s', DSTREAM),
]

# CM-MS payloads pushed on three of the streams test_frames_reach_their_bases_on_every_path subscribes, and the
# first row of the frame each gives: no `ap` in COIN-M's mark price, `ps` in its book ticker.
PUSHED = [
    ('btcusd_perp@markPrice@1s', 'MarkPriceHandlerBase',
     {'e': 'markPriceUpdate', 'E': 1596095725000, 's': 'BTCUSD_PERP', 'p': '11012.31359011', 'P': '10962.17178236',
      'i': '10933.62615417', 'r': '0.00010000', 'T': 1596096000000},
     {'type': 'markPriceUpdate', 'event_time': 1596095725000, 'symbol': 'BTCUSD_PERP', 'mark_price': 11012.31359011,
      'index_price': 10933.62615417, 'estimated_settle_price': 10962.17178236, 'funding_rate': 0.0001,
      'next_funding_time': 1596096000000}),
    ('ethusd_perp@bookTicker', 'FuturesBookTickerHandlerBase',
     {'e': 'bookTicker', 'u': 17242169, 's': 'ETHUSD_PERP', 'ps': 'ETHUSD', 'b': '1548.1', 'B': '52',
      'a': '1548.5', 'A': '11', 'T': 1591268628155, 'E': 1591268628166},
     {'type': 'bookTicker', 'update_id': 17242169, 'event_time': 1591268628166, 'transaction_time': 1591268628155,
      'symbol': 'ETHUSD_PERP', 'pair': 'ETHUSD', 'bid_price': 1548.1, 'bid_quantity': 52.0, 'ask_price': 1548.5,
      'ask_quantity': 11.0}),
    ('btcusd_perp@aggTrade', 'FuturesAggTradeHandlerBase',
     {'e': 'aggTrade', 'E': 1591261134288, 'a': 424951, 's': 'BTCUSD_PERP', 'p': '9643.5', 'q': '2',
      'f': 606073, 'l': 606073, 'T': 1591261134199, 'm': False},
     {'type': 'aggTrade', 'event_time': 1591261134288, 'symbol': 'BTCUSD_PERP', 'agg_trade_id': 424951,
      'price': 9643.5, 'quantity': 2.0, 'first_trade_id': 606073, 'last_trade_id': 606073,
      'trade_time': 1591261134199, 'is_buyer_maker': False}),
]
# fmt: on


class TestCoinmStreams(StreamChecks):
    market, client = 'coinm', CMFuturesClient
    symbol, other_symbol, pair = 'BTCUSD_PERP', 'ETHUSD_PERP', 'BTCUSD'
    numbered = 'S{}USD_PERP'
    book_path = other_path = None  # one path
    FOREIGN = ('COMPOSITE_INDEX', 'ASSET_INDEX', 'TRADING_SESSION')
    WIRE = WIRE
    PUSHED = PUSHED
    BAD_PARAMS = (
        (('INDEX_PRICE', 'BTCUSD_PERP'), 'InvalidSubTypeParamException'),  # a contract where a pair goes
        (('CONTINUOUS_KLINE', 'BTCUSD', 'TRADIFI_PERPETUAL', '1m'), 'InvalidSubTypeParamException'),
        (('MARK_PRICE_KLINE', 'BTCUSD_PERP'), 'InvalidSubParamsException'),
    )

    async def test_index_price_and_price_klines_reach_only_their_own_bases(self, fx):
        index, index_kline, mark_kline = (
            collector(IndexPriceHandlerBase),
            collector(IndexPriceKlineHandlerBase),
            collector(MarkPriceKlineHandlerBase),
        )
        kline = {'t': 1591267380000, 'T': 1591267439999, 'i': '1m', 'o': '9539.67', 'c': '9540.82', 'h': '9540.82',
                 'l': '9539.66', 'n': 19, 'x': False}  # fmt: skip
        async with CMFuturesClient(**fx.client_kwargs()) as cm:
            cm.handler(index, index_kline, mark_kline)
            async with asyncio.timeout(5):
                await cm.subscribe(
                    (SubType.INDEX_PRICE, 'BTCUSD', '1s'),
                    (SubType.INDEX_PRICE_KLINE, 'BTCUSD', '1m'),
                    (SubType.MARK_PRICE_KLINE, 'BTCUSD_PERP', '1m'),
                )
                assert fx.subscriptions() == {
                    'btcusd@indexPrice@1s',
                    'btcusd@indexPriceKline_1m',
                    'btcusd_perp@markPriceKline_1m',
                }
                await fx.push(
                    'btcusd@indexPrice@1s',
                    {'e': 'indexPriceUpdate', 'E': 1591261236000, 'i': 'BTCUSD', 'p': '9636.57860000'},
                )
                await fx.push(
                    'btcusd@indexPriceKline_1m',
                    {'e': 'indexPrice_kline', 'E': 1591267070033, 'ps': 'BTCUSD', 'k': {**kline, 's': '0'}},
                )
                await fx.push(
                    'btcusd_perp@markPriceKline_1m',
                    {'e': 'markPrice_kline', 'E': 1591267398004, 'ps': 'BTCUSD', 'k': {**kline, 's': 'BTCUSD_PERP'}},
                )
                await until(lambda: index.got and index_kline.got and mark_kline.got)
                await asyncio.sleep(0.05)  # a misrouted frame would arrive now
        assert fx.stream_urls == [DSTREAM]
        assert [len(h.got) for h in (index, index_kline, mark_kline)] == [1, 1, 1]
        [index_row] = frame_rows(index.got[0])
        [index_kline_row] = frame_rows(index_kline.got[0])
        [mark_kline_row] = frame_rows(mark_kline.got[0])
        assert (index_row['pair'], index_row['index_price']) == ('BTCUSD', 9636.5786)
        assert (index_kline_row['pair'], index_kline_row['close'], index_kline_row['data_points']) == (
            'BTCUSD',
            9540.82,
            19,
        )
        assert (mark_kline_row['symbol'], mark_kline_row['pair'], mark_kline_row['open_time']) == (
            'BTCUSD_PERP',
            'BTCUSD',
            1591267380000,
        )
