"""Spot stream-type rows: every SubType's wire name (expected names written from Binance's
web-socket-streams.md, not generated from the rows), param errors, subscribe forms, and the
SubTypes Spot does not offer."""

import enum

import pytest
from volas import TimeFrame

from binance_core.exceptions import InvalidSubParamsException, InvalidSubTypeParamException, UnsupportedSubTypeException
from binance_core.subscriptions import parse
from binance_spot.handlers import HANDLER_BASES
from binance_spot.streams import STREAM_TYPES

ROWS = {r.sub_type: r for r in STREAM_TYPES}
# SubType is the union over markets: MARK_PRICE stands for a member only futures rows define.
SubType = enum.Enum('SubType', [(n, n) for n in (*ROWS, 'MARK_PRICE')])


def wire(*args):
    (sub,) = parse(args, ROWS, SubType, market='spot')
    return sub.wire


WIRE_CASES = [
    # (SubType, params, stream name per Binance's docs)
    ('KLINE', ('BNBBTC', TimeFrame.m1), 'bnbbtc@kline_1m'),
    ('KLINE', ('BTC_USDT', TimeFrame.D1), 'btcusdt@kline_1d'),
    ('KLINE', ('bnbbtc', '1M'), 'bnbbtc@kline_1M'),
    ('KLINE', ('bnbbtc', TimeFrame.M1), 'bnbbtc@kline_1M'),
    ('KLINE', ('bnbbtc', '1s'), 'bnbbtc@kline_1s'),
    ('KLINE', ('bnbbtc', TimeFrame.s1), 'bnbbtc@kline_1s'),
    ('KLINE', ('bnbbtc', TimeFrame.W1), 'bnbbtc@kline_1w'),
    ('KLINE_UTC8', ('BTC_USDT', TimeFrame.D1), 'btcusdt@kline_1d@+08:00'),
    ('KLINE_UTC8', ('BNBBTC', '12h'), 'bnbbtc@kline_12h@+08:00'),
    ('TRADE', ('BNBBTC',), 'bnbbtc@trade'),
    ('AGG_TRADE', ('BNB_USDT',), 'bnbusdt@aggTrade'),
    ('BLOCK_TRADE', ('BNBBTC',), 'bnbbtc@blockTrade'),
    ('REFERENCE_PRICE', ('BAZUSD',), 'bazusd@referencePrice'),
    ('BOOK_TICKER', ('BNBUSDT',), 'bnbusdt@bookTicker'),
    ('AVG_PRICE', ('BTCUSDT',), 'btcusdt@avgPrice'),
    ('MINI_TICKER', ('BNBBTC',), 'bnbbtc@miniTicker'),
    ('TICKER', ('BNBBTC',), 'bnbbtc@ticker'),
    ('ORDER_BOOK', ('BNBBTC',), 'bnbbtc@depth'),
    ('ORDER_BOOK', ('BNBBTC', 1000), 'bnbbtc@depth'),
    ('ORDER_BOOK', ('BNBBTC', 100), 'bnbbtc@depth@100ms'),
    ('ORDER_BOOK', ('BNBBTC', '100ms'), 'bnbbtc@depth@100ms'),
    ('PARTIAL_ORDER_BOOK', ('BNBUSDT', 20), 'bnbusdt@depth20'),
    ('PARTIAL_ORDER_BOOK', ('BNBUSDT', 5, 100), 'bnbusdt@depth5@100ms'),
    ('PARTIAL_ORDER_BOOK', ('BNBUSDT', '10', 1000), 'bnbusdt@depth10'),
    ('WINDOW_TICKER', ('BNBUSDT',), 'bnbusdt@ticker_1h'),
    ('WINDOW_TICKER', ('BNBUSDT', TimeFrame.H1), 'bnbusdt@ticker_1h'),
    ('WINDOW_TICKER', ('BNBUSDT', TimeFrame.H4), 'bnbusdt@ticker_4h'),
    ('WINDOW_TICKER', ('BNBUSDT', '1d'), 'bnbusdt@ticker_1d'),
    ('ALL_MARKET_WINDOW_TICKERS', (), '!ticker_1h@arr'),
    ('ALL_MARKET_WINDOW_TICKERS', (TimeFrame.H4,), '!ticker_4h@arr'),
    ('ALL_MARKET_WINDOW_TICKERS', (TimeFrame.D1,), '!ticker_1d@arr'),
    ('ALL_MARKET_MINI_TICKERS', (), '!miniTicker@arr'),
    # Binance accepts non-ASCII symbols since 2025-12; stream symbols are lowercase.
    ('TRADE', ('币安人生USDT',), '币安人生usdt@trade'),
]


@pytest.mark.parametrize('sub_type, params, expected', WIRE_CASES)
def test_wire_name(sub_type, params, expected):
    assert wire(SubType[sub_type], *params) == expected


def test_every_offered_subtype_has_a_wire_case():
    offered = {n for n, r in ROWS.items() if not r.unsupported and r.connection == 'data'}
    assert offered == {c[0] for c in WIRE_CASES}


def test_every_kline_interval_of_the_docs():
    # Binance "Kline/Candlestick chart intervals".
    for interval in '1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M'.split():
        assert wire(SubType.KLINE, 'BNBBTC', interval) == f'bnbbtc@kline_{interval}'


def test_user_rides_the_user_connection():
    (sub,) = parse((SubType.USER,), ROWS, SubType)
    assert sub.wire is None and sub.row.connection == 'user'


PARAM_ERRORS = [
    ('KLINE', ('BNBBTC', '2m'), 'interval'),
    ('KLINE', ('BNBBTC', TimeFrame.Y1), 'interval'),  # a TimeFrame Binance has no kline for
    ('KLINE', ('BNBBTC', '1H'), 'interval'),
    ('KLINE_UTC8', ('BNBBTC', 60), 'interval'),
    ('TRADE', ('',), 'symbol'),
    ('TRADE', ('   ',), 'symbol'),
    ('TRADE', ('___',), 'symbol'),
    ('TRADE', ('BNB USDT',), 'symbol'),
    ('TRADE', ('bnbusdt@depth',), 'symbol'),
    ('TRADE', ('bnb/usdt',), 'symbol'),
    ('TRADE', (None,), 'symbol'),
    ('AGG_TRADE', (b'BNBUSDT',), 'symbol'),
    ('BLOCK_TRADE', (1,), 'symbol'),
    ('REFERENCE_PRICE', ('',), 'symbol'),
    ('BOOK_TICKER', ('\t',), 'symbol'),
    ('AVG_PRICE', ('',), 'symbol'),
    ('MINI_TICKER', ('',), 'symbol'),
    ('TICKER', ('',), 'symbol'),
    ('ORDER_BOOK', ('BNBBTC', 500), 'updateInterval'),
    ('ORDER_BOOK', ('BNBBTC', True), 'updateInterval'),
    ('ORDER_BOOK', ('BNBBTC', 'fast'), 'updateInterval'),
    ('PARTIAL_ORDER_BOOK', ('BNBBTC', 15), 'level'),
    ('PARTIAL_ORDER_BOOK', ('BNBBTC', 5.0), 'level'),
    ('PARTIAL_ORDER_BOOK', ('BNBBTC', 5, 250), 'interval'),
    ('WINDOW_TICKER', ('BNBBTC', TimeFrame.H2), 'window'),
    ('WINDOW_TICKER', ('BNBBTC', '7d'), 'window'),
    ('ALL_MARKET_WINDOW_TICKERS', ('1m',), 'window'),
]


@pytest.mark.parametrize('sub_type, params, param', PARAM_ERRORS)
def test_param_errors_name_the_param(sub_type, params, param):
    with pytest.raises(InvalidSubTypeParamException) as info:
        parse((SubType[sub_type], *params), ROWS, SubType)
    assert f'SubType.{sub_type}: invalid {param}=' in str(info.value)


COUNT_ERRORS = [
    ('KLINE', ('BNBBTC',), 'SubType.KLINE(symbol, interval)'),
    ('KLINE_UTC8', (), 'SubType.KLINE_UTC8(symbol, interval)'),
    ('TRADE', (), 'SubType.TRADE(symbol)'),
    ('BOOK_TICKER', ('A', 'B'), 'SubType.BOOK_TICKER(symbol)'),
    ('ORDER_BOOK', ('A', 100, 1), 'SubType.ORDER_BOOK(symbol[, updateInterval=1000])'),
    ('PARTIAL_ORDER_BOOK', ('A',), 'SubType.PARTIAL_ORDER_BOOK(symbol, level[, interval=1000])'),
    ('WINDOW_TICKER', (), 'SubType.WINDOW_TICKER(symbol[, window=1h])'),
    ('ALL_MARKET_WINDOW_TICKERS', ('1h', '4h'), 'SubType.ALL_MARKET_WINDOW_TICKERS([window=1h])'),
    ('ALL_MARKET_MINI_TICKERS', ('BNBBTC',), 'SubType.ALL_MARKET_MINI_TICKERS()'),
    ('USER', ('x',), 'SubType.USER()'),
]


@pytest.mark.parametrize('sub_type, params, shown', COUNT_ERRORS)
def test_wrong_number_of_params_shows_the_expected_call(sub_type, params, shown):
    with pytest.raises(InvalidSubParamsException) as info:
        parse((SubType[sub_type], *params), ROWS, SubType)
    assert type(info.value) is InvalidSubParamsException
    assert shown in str(info.value)


@pytest.mark.parametrize(
    'sub_type, words',
    [
        ('ALL_MARKET_TICKERS', ['!ticker@arr', '2026-03-26', 'SubType.ALL_MARKET_WINDOW_TICKERS']),
        ('ALL_MARKET_BOOK_TICKER', ['!bookTicker', 'SubType.BOOK_TICKER']),
        ('MARK_PRICE', ['SubType.MARK_PRICE', 'spot market']),
    ],
)
def test_unsupported_subtypes(sub_type, words):
    with pytest.raises(UnsupportedSubTypeException) as info:
        parse((SubType[sub_type],), ROWS, SubType, market='spot')
    for word in words:
        assert word in str(info.value)


def test_full_multi_subscribe_example_of_the_spec():
    subs = parse(
        (
            (SubType.KLINE, 'BTC_USDT', TimeFrame.D1),
            (SubType.KLINE_UTC8, 'BTC_USDT', TimeFrame.D1),
            (SubType.TICKER, 'BNBUSDT'),
            ([SubType.ORDER_BOOK, SubType.TRADE], ['BNBUSDT', 'BTCUSDT']),
            (SubType.ALL_MARKET_MINI_TICKERS,),
        ),
        ROWS,
        SubType,
    )
    assert [s.wire for s in subs] == [
        'btcusdt@kline_1d',
        'btcusdt@kline_1d@+08:00',
        'bnbusdt@ticker',
        'bnbusdt@depth',
        'btcusdt@depth',
        'bnbusdt@trade',
        'btcusdt@trade',
        '!miniTicker@arr',
    ]


def test_cross_product_form_of_the_spec():
    # "Subscribe to bnbusdt@aggTrade, bnbusdt@depth, bnbbtc@aggTrade, bnbbtc@depth"
    subs = parse(([SubType.AGG_TRADE, SubType.ORDER_BOOK], ['BNB_USDT', 'BNBBTC']), ROWS, SubType)
    assert sorted(s.wire for s in subs) == ['bnbbtc@aggTrade', 'bnbbtc@depth', 'bnbusdt@aggTrade', 'bnbusdt@depth']


def test_cross_product_with_more_params_and_symbol_spellings_deduplicated():
    subs = parse(([SubType.PARTIAL_ORDER_BOOK], ['BNB_USDT', 'BNBUSDT', 'bnbusdt'], 10, 100), ROWS, SubType)
    assert [s.wire for s in subs] == ['bnbusdt@depth10@100ms']


def test_rows_name_exported_handler_bases():
    exported = {cls.__name__ for cls in HANDLER_BASES}
    for row in STREAM_TYPES:
        if row.unsupported or row.connection == 'user':
            continue
        # OrderBookHandlerBase (the managed book) is exported by binance_core.orderbook.
        assert row.handler in exported | {'OrderBookHandlerBase'}, row.sub_type
    user_events = {
        'outboundAccountPosition',
        'balanceUpdate',
        'executionReport',
        'listStatus',
        'externalLockUpdate',
        'eventStreamTerminated',
    }
    assert user_events <= {cls.event for cls in HANDLER_BASES}
