"""COIN-M stream-type rows and handler bases, table-driven and written from Binance's COIN-M pages (CM-MS, "COIN-M
WebSocket Market Streams"), never from the rows; the checks are ``binance_futures.suite.streams.StreamTypeChecks``,
shared with USDⓈ-M:

- every SubType of the assembled COIN-M market, the shared ones and COIN-M's own (``INDEX_PRICE``,
  ``INDEX_PRICE_KLINE``, ``MARK_PRICE_KLINE``): the stream name for given params, contract codes lowercased with
  their ``_`` kept (``btcusd_perp@depth``), pairs without one; all on dstream's one path (COIN-M did not split its
  URLs, FUTURES-API.md §1.1); the handler base its frames reach, through the real dispatcher;
- every handler base: a CM-MS payload and the DataFrame it gives: mark prices without ``ap`` (and NA funding for a
  delivery contract), force orders with the pair ``o.ps``, tickers and book tickers with ``ps``;
- USDⓈ-M's own SubTypes are refused.
"""

from volas import TimeFrame

from binance_futures.suite.streams import StreamTypeChecks

ONE_PATH = None  # dstream: /stream and /ws, no URL category

# (SubType, params, stream name, URL path, handler base) in CM-MS page order; the spec's futures stream tables name
# the bases.
# Not formatted: a table: one case per entry.
# fmt: off
STREAMS = [
    ('AGG_TRADE', ('BTCUSD_PERP',), 'btcusd_perp@aggTrade', ONE_PATH, 'FuturesAggTradeHandlerBase'),
    # A delivery contract: BTCUSD_<yymmdd>.
    ('AGG_TRADE', ('btcusd_250926',), 'btcusd_250926@aggTrade', ONE_PATH, 'FuturesAggTradeHandlerBase'),
    # "Index Price Stream": <pair>@indexPrice, or @indexPrice@1s (every 3000 ms or 1000 ms).
    ('INDEX_PRICE', ('BTCUSD',), 'btcusd@indexPrice', ONE_PATH, 'IndexPriceHandlerBase'),
    ('INDEX_PRICE', ('BTCUSD', '1s'), 'btcusd@indexPrice@1s', ONE_PATH, 'IndexPriceHandlerBase'),
    ('INDEX_PRICE', ('ethusd', 1000), 'ethusd@indexPrice@1s', ONE_PATH, 'IndexPriceHandlerBase'),
    ('INDEX_PRICE', ('BTCUSD', '3s'), 'btcusd@indexPrice', ONE_PATH, 'IndexPriceHandlerBase'),
    ('MARK_PRICE', ('BTCUSD_PERP',), 'btcusd_perp@markPrice', ONE_PATH, 'MarkPriceHandlerBase'),
    ('MARK_PRICE', ('BTCUSD_250926', '1s'), 'btcusd_250926@markPrice@1s', ONE_PATH, 'MarkPriceHandlerBase'),
    ('KLINE', ('BTCUSD_PERP', TimeFrame.m1), 'btcusd_perp@kline_1m', ONE_PATH, 'FuturesKlineHandlerBase'),
    ('KLINE', ('BTCUSD_250926', '1M'), 'btcusd_250926@kline_1M', ONE_PATH, 'FuturesKlineHandlerBase'),
    # "Continuous Contract Kline/Candlestick Streams": <pair>_<contractType>@continuousKline_<interval>, contract
    # types perpetual, current_quarter, next_quarter.
    ('CONTINUOUS_KLINE', ('BTCUSD', 'PERPETUAL', '1m'), 'btcusd_perpetual@continuousKline_1m', ONE_PATH,
     'FuturesContinuousKlineHandlerBase'),
    ('CONTINUOUS_KLINE', ('btcusd', 'current_quarter', TimeFrame.D1), 'btcusd_current_quarter@continuousKline_1d',
     ONE_PATH, 'FuturesContinuousKlineHandlerBase'),
    ('CONTINUOUS_KLINE', ('ETHUSD', 'NEXT_QUARTER', '1w'), 'ethusd_next_quarter@continuousKline_1w', ONE_PATH,
     'FuturesContinuousKlineHandlerBase'),
    # "Index Kline/Candlestick Streams" and "Mark Price Kline/Candlestick Streams": 1m ... 1M.
    ('INDEX_PRICE_KLINE', ('BTCUSD', '1m'), 'btcusd@indexPriceKline_1m', ONE_PATH, 'IndexPriceKlineHandlerBase'),
    ('INDEX_PRICE_KLINE', ('ethusd', TimeFrame.H4), 'ethusd@indexPriceKline_4h', ONE_PATH,
     'IndexPriceKlineHandlerBase'),
    ('MARK_PRICE_KLINE', ('BTCUSD_PERP', '1m'), 'btcusd_perp@markPriceKline_1m', ONE_PATH,
     'MarkPriceKlineHandlerBase'),
    ('MARK_PRICE_KLINE', ('btcusd_250926', '12h'), 'btcusd_250926@markPriceKline_12h', ONE_PATH,
     'MarkPriceKlineHandlerBase'),
    ('MINI_TICKER', ('BTCUSD_PERP',), 'btcusd_perp@miniTicker', ONE_PATH, 'FuturesMiniTickerHandlerBase'),
    ('ALL_MARKET_MINI_TICKERS', (), '!miniTicker@arr', ONE_PATH, 'FuturesAllMarketMiniTickersHandlerBase'),
    ('TICKER', ('BTCUSD_PERP',), 'btcusd_perp@ticker', ONE_PATH, 'FuturesTickerHandlerBase'),
    ('ALL_MARKET_TICKERS', (), '!ticker@arr', ONE_PATH, 'FuturesAllMarketTickersHandlerBase'),
    ('BOOK_TICKER', ('BTCUSD_PERP',), 'btcusd_perp@bookTicker', ONE_PATH, 'FuturesBookTickerHandlerBase'),
    ('ALL_MARKET_BOOK_TICKER', (), '!bookTicker', ONE_PATH, 'FuturesAllMarketBookTickerHandlerBase'),
    ('FORCE_ORDER', ('BTCUSD_PERP',), 'btcusd_perp@forceOrder', ONE_PATH, 'ForceOrderHandlerBase'),
    ('ALL_MARKET_LIQUIDATION', (), '!forceOrder@arr', ONE_PATH, 'FuturesAllMarketLiquidationHandlerBase'),
    ('PARTIAL_ORDER_BOOK', ('BTCUSD_PERP', 5), 'btcusd_perp@depth5', ONE_PATH, 'FuturesPartialOrderBookHandlerBase'),
    ('PARTIAL_ORDER_BOOK', ('BTCUSD_PERP', '10', '500ms'), 'btcusd_perp@depth10@500ms', ONE_PATH,
     'FuturesPartialOrderBookHandlerBase'),
    ('PARTIAL_ORDER_BOOK', ('BTCUSD_PERP', 20, 100), 'btcusd_perp@depth20@100ms', ONE_PATH,
     'FuturesPartialOrderBookHandlerBase'),
    ('ORDER_BOOK', ('BTCUSD_PERP',), 'btcusd_perp@depth', ONE_PATH, 'FuturesOrderBookHandlerBase'),
    ('ORDER_BOOK', ('BTCUSD_PERP', '100ms'), 'btcusd_perp@depth@100ms', ONE_PATH, 'FuturesOrderBookHandlerBase'),
    ('ORDER_BOOK', ('BTCUSD_PERP', 500), 'btcusd_perp@depth@500ms', ONE_PATH, 'FuturesOrderBookHandlerBase'),
    ('CONTRACT_INFO', (), '!contractInfo', ONE_PATH, 'FuturesContractInfoHandlerBase'),
    # Not on CM-MS, nor in OFF-CM's streams; the spec lists it for both markets and OFF-UM says dstream may
    # subscribe it since the 2026-06-30 integration (unverified on dstream).
    ('ALL_MARKET_MARK_PRICE', (), '!markPrice@arr', ONE_PATH, 'FuturesAllMarketMarkPriceHandlerBase'),
    ('ALL_MARKET_MARK_PRICE', ('1s',), '!markPrice@arr@1s', ONE_PATH, 'FuturesAllMarketMarkPriceHandlerBase'),
]

# CM-MS payload examples; `ps` where COIN-M's carry it, and `st` (symbol type, 2 = COIN-M) where the 2026-06-30
# integration appended it (OFF-CM models). Rows follow the shared column maps' order.
MARK_DELIVERY = {'e': 'markPriceUpdate', 'E': 1596095725000, 's': 'BTCUSD_201225', 'p': '10934.62615417',
                 'P': '10962.17178236', 'i': '10933.62615417', 'r': '', 'T': 0}
MARK_PERPETUAL = {'e': 'markPriceUpdate', 'E': 1596095725000, 's': 'BTCUSD_PERP', 'p': '11012.31359011',
                  'P': '10962.17178236', 'i': '10933.62615417', 'r': '0.00010000', 'T': 1596096000000}
# No `ap` on COIN-M: no mark_price_avg column. A delivery contract has no funding: `r` "" -> NA, `T` 0.
MARK_DELIVERY_ROW = {
    'type': 'markPriceUpdate', 'event_time': 1596095725000, 'symbol': 'BTCUSD_201225',
    'mark_price': 10934.62615417, 'index_price': 10933.62615417, 'estimated_settle_price': 10962.17178236,
    'funding_rate': None, 'next_funding_time': 0,
}
MARK_PERPETUAL_ROW = {
    'type': 'markPriceUpdate', 'event_time': 1596095725000, 'symbol': 'BTCUSD_PERP',
    'mark_price': 11012.31359011, 'index_price': 10933.62615417, 'estimated_settle_price': 10962.17178236,
    'funding_rate': 0.0001, 'next_funding_time': 1596096000000,
}
LIQUIDATION = {
    'e': 'forceOrder', 'E': 1591154240950,
    'o': {'s': 'BTCUSD_200925', 'ps': 'BTCUSD', 'S': 'SELL', 'o': 'LIMIT', 'f': 'IOC', 'q': '1', 'p': '9425.5',
          'ap': '9496.5', 'X': 'FILLED', 'l': '1', 'z': '1', 'T': 1591154240949},
}
LIQUIDATION_ROW = {
    'type': 'forceOrder', 'event_time': 1591154240950, 'symbol': 'BTCUSD_200925', 'pair': 'BTCUSD', 'side': 'SELL',
    'order_type': 'LIMIT', 'time_in_force': 'IOC', 'quantity': 1.0, 'price': 9425.5, 'average_price': 9496.5,
    'order_status': 'FILLED', 'last_filled_quantity': 1.0, 'cumulative_filled_quantity': 1.0,
    'trade_time': 1591154240949,
}
# On COIN-M `v` counts contracts and `q`/`Q` are base-asset volume ("Total traded base asset volume", CM-MS):
# the handler bases name them `base_volume` / `taker_base_volume` there, not USDⓈ-M's `quote_volume`.
MINI_TICKER = {'e': '24hrMiniTicker', 'E': 1591267704450, 's': 'BTCUSD_200626', 'ps': 'BTCUSD', 'c': '9561.7',
               'o': '9580.9', 'h': '10000.0', 'l': '7000.0', 'v': '487476', 'q': '33264343847.22378500'}
MINI_TICKER_ROW = {'type': '24hrMiniTicker', 'event_time': 1591267704450, 'symbol': 'BTCUSD_200626',
                   'pair': 'BTCUSD', 'open': 9580.9, 'high': 10000.0, 'low': 7000.0, 'close': 9561.7,
                   'volume': 487476.0, 'base_volume': 33264343847.223785}
TICKER = {'e': '24hrTicker', 'E': 1591268262453, 's': 'BTCUSD_200626', 'ps': 'BTCUSD', 'p': '-43.4', 'P': '-0.452',
          'w': '0.00147974', 'c': '9548.5', 'Q': '2', 'o': '9591.9', 'h': '10000.0', 'l': '7000.0', 'v': '487850',
          'q': '32968676323.46222700', 'O': 1591181820000, 'C': 1591268262442, 'F': 512014, 'L': 615289,
          'n': 103272}
TICKER_ROW = {
    'type': '24hrTicker', 'event_time': 1591268262453, 'symbol': 'BTCUSD_200626', 'pair': 'BTCUSD',
    'price_change': -43.4, 'price_change_percent': -0.452, 'weighted_avg_price': 0.00147974, 'last_price': 9548.5,
    'last_quantity': 2.0, 'open': 9591.9, 'high': 10000.0, 'low': 7000.0, 'volume': 487850.0,
    'base_volume': 32968676323.462227, 'open_time': 1591181820000, 'close_time': 1591268262442,
    'first_trade_id': 512014, 'last_trade_id': 615289, 'total_trades': 103272,
}
BOOK = {'e': 'bookTicker', 'u': 17242169, 's': 'BTCUSD_200626', 'ps': 'BTCUSD', 'b': '9548.1', 'B': '52',
        'a': '9548.5', 'A': '11', 'T': 1591268628155, 'E': 1591268628166}
BOOK_ROW = {'type': 'bookTicker', 'update_id': 17242169, 'event_time': 1591268628166,
            'transaction_time': 1591268628155, 'symbol': 'BTCUSD_200626', 'pair': 'BTCUSD', 'bid_price': 9548.1,
            'bid_quantity': 52.0, 'ask_price': 9548.5, 'ask_quantity': 11.0}

FRAMES = [
    ('FuturesAggTradeHandlerBase',
     {'e': 'aggTrade', 'E': 1591261134288, 'a': 424951, 's': 'BTCUSD_200626', 'p': '9643.5', 'q': '2',
      'f': 606073, 'l': 606073, 'T': 1591261134199, 'm': False, 'st': 2},
     [{'type': 'aggTrade', 'event_time': 1591261134288, 'symbol': 'BTCUSD_200626', 'agg_trade_id': 424951,
       'price': 9643.5, 'quantity': 2.0, 'first_trade_id': 606073, 'last_trade_id': 606073,
       'trade_time': 1591261134199, 'is_buyer_maker': False, 'symbol_type': 2}]),
    # "Index Price Stream": `i` is the pair.
    ('IndexPriceHandlerBase',
     {'e': 'indexPriceUpdate', 'E': 1591261236000, 'i': 'BTCUSD', 'p': '9636.57860000'},
     [{'type': 'indexPriceUpdate', 'event_time': 1591261236000, 'pair': 'BTCUSD', 'index_price': 9636.5786}]),
    ('MarkPriceHandlerBase', {**MARK_PERPETUAL, 'st': 2}, [{**MARK_PERPETUAL_ROW, 'symbol_type': 2}]),
    # "Mark Price of All Symbols of a Pair" sends this array; so would !markPrice@arr.
    ('FuturesAllMarketMarkPriceHandlerBase', [MARK_DELIVERY, MARK_PERPETUAL], [MARK_DELIVERY_ROW, MARK_PERPETUAL_ROW]),
    ('FuturesKlineHandlerBase',
     {'e': 'kline', 'E': 1591261542539, 's': 'BTCUSD_200626',
      'k': {'t': 1591261500000, 'T': 1591261559999, 's': 'BTCUSD_200626', 'i': '1m', 'f': 606400, 'L': 606430,
            'o': '9638.9', 'c': '9639.8', 'h': '9639.8', 'l': '9638.6', 'v': '156', 'n': 31, 'x': False,
            'q': '1.61836886', 'V': '73', 'Q': '0.75731156', 'B': '0'}},
     [{'type': 'kline', 'event_time': 1591261542539, 'open_time': 1591261500000, 'close_time': 1591261559999,
       'symbol': 'BTCUSD_200626', 'interval': '1m', 'open': 9638.9, 'high': 9639.8, 'low': 9638.6,
       'close': 9639.8, 'volume': 156.0, 'base_volume': 1.61836886, 'taker_volume': 73.0,
       'taker_base_volume': 0.75731156, 'total_trades': 31, 'is_closed': False, 'first_trade_id': 606400,
       'last_trade_id': 606430}]),
    ('FuturesContinuousKlineHandlerBase',
     {'e': 'continuous_kline', 'E': 1591261542539, 'ps': 'BTCUSD', 'ct': 'NEXT_QUARTER',
      'k': {'t': 1591261500000, 'T': 1591261559999, 'i': '1m', 'f': 606400, 'L': 606430, 'o': '9638.9',
            'c': '9639.8', 'h': '9639.8', 'l': '9638.6', 'v': '156', 'n': 31, 'x': False, 'q': '1.61836886',
            'V': '73', 'Q': '0.75731156', 'B': '0'}},
     [{'type': 'continuous_kline', 'event_time': 1591261542539, 'pair': 'BTCUSD', 'contract_type': 'NEXT_QUARTER',
       'open_time': 1591261500000, 'close_time': 1591261559999, 'interval': '1m', 'open': 9638.9, 'high': 9639.8,
       'low': 9638.6, 'close': 9639.8, 'volume': 156.0, 'base_volume': 1.61836886, 'taker_volume': 73.0,
       'taker_base_volume': 0.75731156, 'total_trades': 31, 'is_closed': False, 'first_update_id': 606400,
       'last_update_id': 606430}]),
    # "Index Kline/Candlestick Streams": `k.s` and the volumes are marked "ignore"; `n` is the number of index
    # prices the candle was built from, not a trade count.
    ('IndexPriceKlineHandlerBase',
     {'e': 'indexPrice_kline', 'E': 1591267070033, 'ps': 'BTCUSD',
      'k': {'t': 1591267020000, 'T': 1591267079999, 's': '0', 'i': '1m', 'f': 1591267020000, 'L': 1591267070000,
            'o': '9542.21900000', 'c': '9542.50440000', 'h': '9542.71640000', 'l': '9542.21040000', 'v': '0',
            'n': 51, 'x': False, 'q': '0', 'V': '0', 'Q': '0', 'B': '0'}},
     [{'type': 'indexPrice_kline', 'event_time': 1591267070033, 'pair': 'BTCUSD', 'open_time': 1591267020000,
       'close_time': 1591267079999, 'interval': '1m', 'open': 9542.219, 'high': 9542.7164, 'low': 9542.2104,
       'close': 9542.5044, 'data_points': 51, 'is_closed': False}]),
    # "Mark Price Kline/Candlestick Streams": the contract in `k.s`, its pair in `ps`; ignored fields as above.
    ('MarkPriceKlineHandlerBase',
     {'e': 'markPrice_kline', 'E': 1591267398004, 'ps': 'BTCUSD',
      'k': {'t': 1591267380000, 'T': 1591267439999, 's': 'BTCUSD_200626', 'i': '1m', 'f': 1591267380000,
            'L': 1591267398000, 'o': '9539.67161333', 'c': '9540.82761333', 'h': '9540.82761333',
            'l': '9539.66961333', 'v': '0', 'n': 19, 'x': False, 'q': '0', 'V': '0', 'Q': '0', 'B': '0'}},
     [{'type': 'markPrice_kline', 'event_time': 1591267398004, 'pair': 'BTCUSD', 'open_time': 1591267380000,
       'close_time': 1591267439999, 'symbol': 'BTCUSD_200626', 'interval': '1m', 'open': 9539.67161333,
       'high': 9540.82761333, 'low': 9539.66961333, 'close': 9540.82761333, 'data_points': 19, 'is_closed': False}]),
    ('FuturesMiniTickerHandlerBase', MINI_TICKER, [MINI_TICKER_ROW]),
    ('FuturesAllMarketMiniTickersHandlerBase', [MINI_TICKER, {**MINI_TICKER, 's': 'BTCUSD_PERP', 'c': '9562.0'}],
     [MINI_TICKER_ROW, {**MINI_TICKER_ROW, 'symbol': 'BTCUSD_PERP', 'close': 9562.0}]),
    ('FuturesTickerHandlerBase', TICKER, [TICKER_ROW]),
    ('FuturesAllMarketTickersHandlerBase', [{**TICKER, 's': 'ETHUSD_PERP', 'ps': 'ETHUSD'}, TICKER],
     [{**TICKER_ROW, 'symbol': 'ETHUSD_PERP', 'pair': 'ETHUSD'}, TICKER_ROW]),
    ('FuturesBookTickerHandlerBase', BOOK, [BOOK_ROW]),
    # "All Book Tickers Stream": any contract, one per frame.
    ('FuturesAllMarketBookTickerHandlerBase', {**BOOK, 's': 'ETHUSD_PERP', 'ps': 'ETHUSD', 'u': 17242170},
     [{**BOOK_ROW, 'update_id': 17242170, 'symbol': 'ETHUSD_PERP', 'pair': 'ETHUSD'}]),
    # "Liquidation Order Streams": the pair in `o.ps`. The all-market stream sends one order per frame too.
    ('ForceOrderHandlerBase', LIQUIDATION, [LIQUIDATION_ROW]),
    ('FuturesAllMarketLiquidationHandlerBase', LIQUIDATION, [LIQUIDATION_ROW]),
    # "Contract Info Stream": `bks` stays in the payload.
    ('FuturesContractInfoHandlerBase',
     {'e': 'contractInfo', 'E': 1669356423908, 's': 'BTCUSD_221230', 'ps': 'BTCUSD', 'ct': 'CURRENT_QUARTER',
      'dt': 1672387200000, 'ot': 1664524800000, 'cs': 'TRADING',
      'bks': [{'bs': 1, 'bnf': 0, 'bnc': 5000, 'mmr': 0.01, 'cf': 0, 'mi': 21, 'ma': 50}], 'st': 2},
     [{'type': 'contractInfo', 'event_time': 1669356423908, 'symbol': 'BTCUSD_221230', 'pair': 'BTCUSD',
       'contract_type': 'CURRENT_QUARTER', 'delivery_time': 1672387200000, 'onboard_time': 1664524800000,
       'contract_status': 'TRADING', 'symbol_type': 2}]),
]
# fmt: on


class TestCoinmStreamTypes(StreamTypeChecks):
    market = 'coinm'
    symbol, other_symbol, pair = 'BTCUSD_PERP', 'ETHUSD_PERP', 'BTCUSD'
    book_path = other_path = ONE_PATH
    # USDⓈ-M's own streams (UM-MS; the spec's "UM-only streams").
    FOREIGN = ('COMPOSITE_INDEX', 'ASSET_INDEX', 'TRADING_SESSION')
    STREAMS = STREAMS
    FRAMES = FRAMES
    # fmt: off
    PARAM_ERRORS = (
        # CM-MS continuous klines: no tradifi_perpetual (USDⓈ-M's, OFF-UM 13.0.0) and no 1s interval.
        ('CONTINUOUS_KLINE', ('BTCUSD', 'TRADIFI_PERPETUAL', '1m'), 'contract_type'),
        ('CONTINUOUS_KLINE', ('BTCUSD', 'perpetual', '1s'), 'interval'),
        # A pair has no "_"; BTCUSD_PERP is a contract.
        ('INDEX_PRICE', ('BTCUSD_PERP',), 'pair'),
        ('INDEX_PRICE', ('BTCUSD', '500ms'), 'speed'),
        ('INDEX_PRICE_KLINE', ('BTCUSD_PERP', '1m'), 'pair'),
        ('INDEX_PRICE_KLINE', ('BTCUSD', '1s'), 'interval'),
        ('MARK_PRICE_KLINE', ('BTCUSD_PERP', '2d'), 'interval'),
        ('MARK_PRICE_KLINE', ('btcusd_perp@kline', '1m'), 'symbol'),
    )
    COUNT_ERRORS = (
        ('INDEX_PRICE', (), 'SubType.INDEX_PRICE(pair[, speed=3s])'),
        ('INDEX_PRICE_KLINE', ('BTCUSD',), 'SubType.INDEX_PRICE_KLINE(pair, interval)'),
        ('MARK_PRICE_KLINE', ('BTCUSD_PERP', '1m', '1m'), 'SubType.MARK_PRICE_KLINE(symbol, interval)'),
    )
    # fmt: on
