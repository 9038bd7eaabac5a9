"""USDⓈ-M stream-type rows and handler bases, table-driven and written from Binance's docs, never from the rows
(the checks: ``binance_futures.suite.streams.StreamTypeChecks``, shared with COIN-M):

- every SubType of the assembled USDⓈ-M market: the stream name for given params (UM-MS pages), the URL category
  it rides (WSN, 2026-04-23: ``/public`` for book data, ``/market`` for the rest; FUTURES-API.md §1.1) and the
  handler base its frames reach (the spec's stream tables), through the real dispatcher;
- every handler base: a payload from the docs and the DataFrame it gives (numbers as floats, times and ids as
  ints, flags as bools);
- what only USDⓈ-M has: ``tradifi_perpetual`` and ``1s`` continuous klines, the asset index, composite index and
  trading session streams; COIN-M's own SubTypes are refused.
"""

from volas import TimeFrame

from binance_futures.suite.streams import StreamTypeChecks

# (SubType, params, stream name, URL category, handler base), per UM-MS and the spec's stream tables.
# Not formatted: a table: one case per entry.
# fmt: off
STREAMS = [
    ('MARK_PRICE', ('BTCUSDT',), 'btcusdt@markPrice', 'market', 'MarkPriceHandlerBase'),
    ('MARK_PRICE', ('BTCUSDT', '1s'), 'btcusdt@markPrice@1s', 'market', 'MarkPriceHandlerBase'),
    ('MARK_PRICE', ('btcusdt', 1000), 'btcusdt@markPrice@1s', 'market', 'MarkPriceHandlerBase'),
    ('MARK_PRICE', ('BTCUSDT', '3s'), 'btcusdt@markPrice', 'market', 'MarkPriceHandlerBase'),
    ('FORCE_ORDER', ('BTCUSDT',), 'btcusdt@forceOrder', 'market', 'ForceOrderHandlerBase'),
    ('AGG_TRADE', ('BTCUSDT',), 'btcusdt@aggTrade', 'market', 'FuturesAggTradeHandlerBase'),
    # A quarterly contract keeps its "_" (UM delivery symbols are BTCUSDT_<yymmdd>).
    ('AGG_TRADE', ('BTCUSDT_250926',), 'btcusdt_250926@aggTrade', 'market', 'FuturesAggTradeHandlerBase'),
    ('KLINE', ('BTCUSDT', TimeFrame.m1), 'btcusdt@kline_1m', 'market', 'FuturesKlineHandlerBase'),
    ('KLINE', ('BTCUSDT', '1M'), 'btcusdt@kline_1M', 'market', 'FuturesKlineHandlerBase'),
    ('KLINE', ('ethusdt', TimeFrame.H4), 'ethusdt@kline_4h', 'market', 'FuturesKlineHandlerBase'),
    ('CONTINUOUS_KLINE', ('BTCUSDT', 'PERPETUAL', '1m'), 'btcusdt_perpetual@continuousKline_1m', 'market',
     'FuturesContinuousKlineHandlerBase'),
    ('CONTINUOUS_KLINE', ('btcusdt', 'current_quarter', TimeFrame.D1), 'btcusdt_current_quarter@continuousKline_1d',
     'market', 'FuturesContinuousKlineHandlerBase'),
    ('CONTINUOUS_KLINE', ('BTCUSDT', 'NEXT_QUARTER', '1s'), 'btcusdt_next_quarter@continuousKline_1s', 'market',
     'FuturesContinuousKlineHandlerBase'),
    ('CONTINUOUS_KLINE', ('AAPLUSDT', 'TRADIFI_PERPETUAL', '5m'), 'aaplusdt_tradifi_perpetual@continuousKline_5m',
     'market', 'FuturesContinuousKlineHandlerBase'),
    ('MINI_TICKER', ('BTCUSDT',), 'btcusdt@miniTicker', 'market', 'FuturesMiniTickerHandlerBase'),
    ('TICKER', ('BTCUSDT',), 'btcusdt@ticker', 'market', 'FuturesTickerHandlerBase'),
    ('BOOK_TICKER', ('BTCUSDT',), 'btcusdt@bookTicker', 'public', 'FuturesBookTickerHandlerBase'),
    ('PARTIAL_ORDER_BOOK', ('BTCUSDT', 5), 'btcusdt@depth5', 'public', 'FuturesPartialOrderBookHandlerBase'),
    ('PARTIAL_ORDER_BOOK', ('BTCUSDT', 10, 500), 'btcusdt@depth10@500ms', 'public',
     'FuturesPartialOrderBookHandlerBase'),
    ('PARTIAL_ORDER_BOOK', ('BTCUSDT', '20', '100ms'), 'btcusdt@depth20@100ms', 'public',
     'FuturesPartialOrderBookHandlerBase'),
    ('PARTIAL_ORDER_BOOK', ('BTCUSDT', 20, 250), 'btcusdt@depth20', 'public', 'FuturesPartialOrderBookHandlerBase'),
    ('ORDER_BOOK', ('BTCUSDT',), 'btcusdt@depth', 'public', 'FuturesOrderBookHandlerBase'),
    ('ORDER_BOOK', ('BTCUSDT', 100), 'btcusdt@depth@100ms', 'public', 'FuturesOrderBookHandlerBase'),
    ('ORDER_BOOK', ('BTCUSDT', '500ms'), 'btcusdt@depth@500ms', 'public', 'FuturesOrderBookHandlerBase'),
    ('CONTRACT_INFO', (), '!contractInfo', 'market', 'FuturesContractInfoHandlerBase'),
    ('ALL_MARKET_MARK_PRICE', (), '!markPrice@arr', 'market', 'FuturesAllMarketMarkPriceHandlerBase'),
    ('ALL_MARKET_MARK_PRICE', ('1s',), '!markPrice@arr@1s', 'market', 'FuturesAllMarketMarkPriceHandlerBase'),
    ('ALL_MARKET_LIQUIDATION', (), '!forceOrder@arr', 'market', 'FuturesAllMarketLiquidationHandlerBase'),
    ('ALL_MARKET_MINI_TICKERS', (), '!miniTicker@arr', 'market', 'FuturesAllMarketMiniTickersHandlerBase'),
    ('ALL_MARKET_TICKERS', (), '!ticker@arr', 'market', 'FuturesAllMarketTickersHandlerBase'),
    # No @arr on futures.
    ('ALL_MARKET_BOOK_TICKER', (), '!bookTicker', 'public', 'FuturesAllMarketBookTickerHandlerBase'),
    # USDⓈ-M only.
    ('COMPOSITE_INDEX', ('DEFIUSDT',), 'defiusdt@compositeIndex', 'market', 'CompositeIndexHandlerBase'),
    ('ASSET_INDEX', (), '!assetIndex@arr', 'market', 'AllAssetIndexHandlerBase'),
    ('ASSET_INDEX', ('ADAUSD',), 'adausd@assetIndex', 'market', 'AssetIndexHandlerBase'),
    ('TRADING_SESSION', (), 'tradingSession', 'market', 'TradingSessionHandlerBase'),
]
# fmt: on


# Not formatted: tables of payloads and rows, a few fields per line in the payload's order.
# fmt: off
KLINE_K = {
    't': 1638747660000, 'T': 1638747719999, 's': 'BTCUSDT', 'i': '1m', 'f': 100, 'L': 200,
    'o': '0.0010', 'c': '0.0020', 'h': '0.0025', 'l': '0.0015', 'v': '1000', 'n': 100, 'x': False,
    'q': '1.0000', 'V': '500', 'Q': '0.500', 'B': '123456',
}
FORCE_ORDER = {
    'e': 'forceOrder', 'E': 1568014460893,
    'o': {'s': 'BTCUSDT', 'S': 'SELL', 'o': 'LIMIT', 'f': 'IOC', 'q': '0.014', 'p': '9910', 'ap': '9910',
          'X': 'FILLED', 'l': '0.014', 'z': '0.014', 'T': 1568014460893},
}
FORCE_ORDER_ROW = {
    'type': 'forceOrder', 'event_time': 1568014460893, 'symbol': 'BTCUSDT', 'side': 'SELL', 'order_type': 'LIMIT',
    'time_in_force': 'IOC', 'quantity': 0.014, 'price': 9910.0, 'average_price': 9910.0, 'order_status': 'FILLED',
    'last_filled_quantity': 0.014, 'cumulative_filled_quantity': 0.014, 'trade_time': 1568014460893,
}
MINI = {'e': '24hrMiniTicker', 'E': 123456789, 's': 'BTCUSDT', 'c': '0.0025', 'o': '0.0010', 'h': '0.0025',
        'l': '0.0010', 'v': '10000', 'q': '18'}
MINI_ROW = {'type': '24hrMiniTicker', 'event_time': 123456789, 'symbol': 'BTCUSDT', 'open': 0.001, 'high': 0.0025,
            'low': 0.001, 'close': 0.0025, 'volume': 10000.0, 'quote_volume': 18.0}
TICKER = {'e': '24hrTicker', 'E': 123456789, 's': 'BTCUSDT', 'p': '0.0015', 'P': '250.00', 'w': '0.0018',
          'c': '0.0025', 'Q': '10', 'o': '0.0010', 'h': '0.0025', 'l': '0.0010', 'v': '10000', 'q': '18',
          'O': 0, 'C': 86400000, 'F': 0, 'L': 18150, 'n': 18151}
TICKER_ROW = {
    'type': '24hrTicker', 'event_time': 123456789, 'symbol': 'BTCUSDT', 'price_change': 0.0015,
    'price_change_percent': 250.0, 'weighted_avg_price': 0.0018, 'last_price': 0.0025, 'last_quantity': 10.0,
    'open': 0.001, 'high': 0.0025, 'low': 0.001, 'volume': 10000.0, 'quote_volume': 18.0,
    'open_time': 0, 'close_time': 86400000, 'first_trade_id': 0, 'last_trade_id': 18150, 'total_trades': 18151,
}
BOOK_TICKER = {'e': 'bookTicker', 'u': 400900217, 'E': 1568014460893, 'T': 1568014460891, 's': 'BNBUSDT',
               'b': '25.35190000', 'B': '31.21000000', 'a': '25.36520000', 'A': '40.66000000'}
BOOK_TICKER_ROW = {
    'type': 'bookTicker', 'update_id': 400900217, 'event_time': 1568014460893, 'transaction_time': 1568014460891,
    'symbol': 'BNBUSDT', 'bid_price': 25.3519, 'bid_quantity': 31.21, 'ask_price': 25.3652, 'ask_quantity': 40.66,
}
# UM-MS "Mark Price Stream", plus `ap` (mark price moving average) which OFF-UM 9.1.0 (2026-03-26) added to the
# payload after the page's example was written.
MARK_PRICE = {'e': 'markPriceUpdate', 'E': 1562305380000, 's': 'BTCUSDT', 'p': '11794.15000000',
              'ap': '11793.80000000', 'i': '11784.62659091', 'P': '11784.25641265', 'r': '0.00038167',
              'T': 1562306400000}
MARK_PRICE_ROW = {
    'type': 'markPriceUpdate', 'event_time': 1562305380000, 'symbol': 'BTCUSDT', 'mark_price': 11794.15,
    'mark_price_avg': 11793.8, 'index_price': 11784.62659091, 'estimated_settle_price': 11784.25641265,
    'funding_rate': 0.00038167, 'next_funding_time': 1562306400000,
}
ASSET_INDEX = [
    {'e': 'assetIndexUpdate', 'E': 1686749230000, 's': 'ADAUSD', 'i': '0.27462452', 'b': '0.10000000',
     'a': '0.10000000', 'B': '0.24716207', 'A': '0.30208698', 'q': '0.05000000', 'g': '0.05000000',
     'Q': '0.26089330', 'G': '0.28835575'},
    {'e': 'assetIndexUpdate', 'E': 1686749230000, 's': 'USDTUSD', 'i': '0.99987691', 'b': '0.00010000',
     'a': '0.00010000', 'B': '0.99977692', 'A': '0.99997689', 'q': '0.00010000', 'g': '0.00010000',
     'Q': '0.99977692', 'G': '0.99997689'},
]
ASSET_INDEX_ROWS = [
    {'type': 'assetIndexUpdate', 'event_time': 1686749230000, 'symbol': 'ADAUSD', 'index_price': 0.27462452,
     'bid_buffer': 0.1, 'ask_buffer': 0.1, 'bid_rate': 0.24716207, 'ask_rate': 0.30208698,
     'auto_exchange_bid_buffer': 0.05, 'auto_exchange_ask_buffer': 0.05, 'auto_exchange_bid_rate': 0.2608933,
     'auto_exchange_ask_rate': 0.28835575},
    {'type': 'assetIndexUpdate', 'event_time': 1686749230000, 'symbol': 'USDTUSD', 'index_price': 0.99987691,
     'bid_buffer': 0.0001, 'ask_buffer': 0.0001, 'bid_rate': 0.99977692, 'ask_rate': 0.99997689,
     'auto_exchange_bid_buffer': 0.0001, 'auto_exchange_ask_buffer': 0.0001, 'auto_exchange_bid_rate': 0.99977692,
     'auto_exchange_ask_rate': 0.99997689},
]

# (handler base, payload from UM-MS, expected rows). Payload fields the 2026 changelogs added (`nq`, `ap`, `ps`,
# `st`) are included where the page's example predates them, each said so.
FRAMES = [
    ('MarkPriceHandlerBase', MARK_PRICE, [MARK_PRICE_ROW]),
    ('ForceOrderHandlerBase', FORCE_ORDER, [FORCE_ORDER_ROW]),
    # UM-MS "Aggregate Trade Streams", plus `nq` (OFF-UM, 2025-12-29) and `st` (2026-06-30 integration).
    ('FuturesAggTradeHandlerBase',
     {'e': 'aggTrade', 'E': 123456789, 's': 'BTCUSDT', 'a': 5933014, 'p': '0.001', 'q': '100', 'nq': '80',
      'f': 100, 'l': 105, 'T': 123456785, 'm': True, 'st': 1},
     [{'type': 'aggTrade', 'event_time': 123456789, 'symbol': 'BTCUSDT', 'agg_trade_id': 5933014, 'price': 0.001,
       'quantity': 100.0, 'normal_quantity': 80.0, 'first_trade_id': 100, 'last_trade_id': 105,
       'trade_time': 123456785, 'is_buyer_maker': True, 'symbol_type': 1}]),
    ('FuturesKlineHandlerBase',
     {'e': 'kline', 'E': 1638747660000, 's': 'BTCUSDT', 'k': KLINE_K},
     [{'type': 'kline', 'event_time': 1638747660000, 'open_time': 1638747660000, 'close_time': 1638747719999,
       'symbol': 'BTCUSDT', 'interval': '1m', 'open': 0.001, 'high': 0.0025, 'low': 0.0015, 'close': 0.002,
       'volume': 1000.0, 'quote_volume': 1.0, 'taker_volume': 500.0, 'taker_quote_volume': 0.5,
       'total_trades': 100, 'is_closed': False, 'first_trade_id': 100, 'last_trade_id': 200}]),
    ('FuturesContinuousKlineHandlerBase',
     {'e': 'continuous_kline', 'E': 1607443058651, 'ps': 'BTCUSDT', 'ct': 'PERPETUAL',
      'k': {'t': 1607443020000, 'T': 1607443079999, 'i': '1m', 'f': 116467658886, 'L': 116468012423,
            'o': '18787.00', 'c': '18804.04', 'h': '18804.04', 'l': '18786.54', 'v': '197.664', 'n': 543,
            'x': False, 'q': '3715253.19494', 'V': '184.769', 'Q': '3472925.84746', 'B': '0'}},
     [{'type': 'continuous_kline', 'event_time': 1607443058651, 'pair': 'BTCUSDT', 'contract_type': 'PERPETUAL',
       'open_time': 1607443020000, 'close_time': 1607443079999, 'interval': '1m', 'open': 18787.0,
       'high': 18804.04, 'low': 18786.54, 'close': 18804.04, 'volume': 197.664, 'quote_volume': 3715253.19494,
       'taker_volume': 184.769, 'taker_quote_volume': 3472925.84746, 'total_trades': 543, 'is_closed': False,
       'first_update_id': 116467658886, 'last_update_id': 116468012423}]),
    ('FuturesMiniTickerHandlerBase', MINI, [MINI_ROW]),
    ('FuturesTickerHandlerBase', TICKER, [TICKER_ROW]),
    ('FuturesBookTickerHandlerBase', BOOK_TICKER, [BOOK_TICKER_ROW]),
    # UM-MS "Contract Info Stream": `bks` stays in the payload.
    ('FuturesContractInfoHandlerBase',
     {'e': 'contractInfo', 'E': 1669356423908, 's': 'IOTAUSDT', 'ps': 'IOTAUSDT', 'ct': 'PERPETUAL',
      'dt': 4133404800000, 'ot': 1569398400000, 'cs': 'TRADING',
      'bks': [{'bs': 1, 'bnf': 0, 'bnc': 5000, 'mmr': 0.01, 'cf': 0, 'mi': 21, 'ma': 50},
              {'bs': 2, 'bnf': 5000, 'bnc': 25000, 'mmr': 0.025, 'cf': 75, 'mi': 11, 'ma': 20}]},
     [{'type': 'contractInfo', 'event_time': 1669356423908, 'symbol': 'IOTAUSDT', 'pair': 'IOTAUSDT',
       'contract_type': 'PERPETUAL', 'delivery_time': 4133404800000, 'onboard_time': 1569398400000,
       'contract_status': 'TRADING'}]),
    ('FuturesAllMarketMarkPriceHandlerBase',
     [MARK_PRICE, {**MARK_PRICE, 's': 'ETHUSDT', 'p': '1850.5', 'ap': '1850.25'}],
     [MARK_PRICE_ROW, {**MARK_PRICE_ROW, 'symbol': 'ETHUSDT', 'mark_price': 1850.5, 'mark_price_avg': 1850.25}]),
    # "!forceOrder@arr" sends one order per frame, as the per-symbol stream does.
    ('FuturesAllMarketLiquidationHandlerBase', FORCE_ORDER, [FORCE_ORDER_ROW]),
    ('FuturesAllMarketMiniTickersHandlerBase', [MINI, {**MINI, 's': 'ETHUSDT', 'c': '0.0030'}],
     [MINI_ROW, {**MINI_ROW, 'symbol': 'ETHUSDT', 'close': 0.003}]),
    ('FuturesAllMarketTickersHandlerBase', [TICKER, {**TICKER, 's': 'ETHUSDT', 'n': 7}],
     [TICKER_ROW, {**TICKER_ROW, 'symbol': 'ETHUSDT', 'total_trades': 7}]),
    ('FuturesAllMarketBookTickerHandlerBase', BOOK_TICKER, [BOOK_TICKER_ROW]),
    # UM-MS "Composite Index Symbol Information Streams": one row per component.
    ('CompositeIndexHandlerBase',
     {'e': 'compositeIndex', 'E': 1602310596000, 's': 'DEFIUSDT', 'p': '554.41604065', 'C': 'baseAsset',
      'c': [{'b': 'BAL', 'q': 'USDT', 'w': '1.04884844', 'W': '0.01457800', 'i': '24.33521021'},
            {'b': 'BAND', 'q': 'USDT', 'w': '3.53782729', 'W': '0.03935200', 'i': '7.26420084'}]},
     [{'type': 'compositeIndex', 'event_time': 1602310596000, 'symbol': 'DEFIUSDT', 'price': 554.41604065,
       'component': 'baseAsset', 'base_asset': 'BAL', 'quote_asset': 'USDT', 'weight_quantity': 1.04884844,
       'weight_percentage': 0.014578, 'index_price': 24.33521021},
      {'type': 'compositeIndex', 'event_time': 1602310596000, 'symbol': 'DEFIUSDT', 'price': 554.41604065,
       'component': 'baseAsset', 'base_asset': 'BAND', 'quote_asset': 'USDT', 'weight_quantity': 3.53782729,
       'weight_percentage': 0.039352, 'index_price': 7.26420084}]),
    # UM-MS "Multi-Assets Mode Asset Index": one object on <assetSymbol>@assetIndex, an array on the @arr stream.
    ('AssetIndexHandlerBase', ASSET_INDEX[0], ASSET_INDEX_ROWS[:1]),
    ('AllAssetIndexHandlerBase', ASSET_INDEX, ASSET_INDEX_ROWS),
    ('TradingSessionHandlerBase',
     {'e': 'EquityUpdate', 'E': 1765244143062, 't': 1765242000000, 'T': 1765270800000, 'S': 'OVERNIGHT'},
     [{'type': 'EquityUpdate', 'event_time': 1765244143062, 'start_time': 1765242000000, 'end_time': 1765270800000,
       'session_type': 'OVERNIGHT'}]),
]
# fmt: on


class TestUsdmStreamTypes(StreamTypeChecks):
    market = 'usdm'
    symbol, other_symbol, pair = 'BTCUSDT', 'ETHUSDT', 'BTCUSDT'
    book_path, other_path = 'public', 'market'
    # COIN-M's own streams (CM-MS; the spec's "CM-only streams").
    FOREIGN = ('INDEX_PRICE', 'INDEX_PRICE_KLINE', 'MARK_PRICE_KLINE')
    STREAMS = STREAMS
    FRAMES = FRAMES
    PARAM_ERRORS = (
        ('COMPOSITE_INDEX', ('',), 'symbol'),
        ('ASSET_INDEX', ('ada/usd',), 'asset'),
        ('ASSET_INDEX', (7,), 'asset'),
    )
    COUNT_ERRORS = (
        ('ASSET_INDEX', ('ADAUSD', 'BTCUSD'), 'SubType.ASSET_INDEX([asset=None])'),
        ('TRADING_SESSION', ('US',), 'SubType.TRADING_SESSION()'),
    )
