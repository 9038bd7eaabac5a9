"""The handler framework: payload -> DataFrame conversion (per Spot handler base, with payloads
copied from Binance's docs), dispatch to sync and async handlers, exception isolation, client
binding and user-data routing."""

import asyncio
import logging
import math

import pytest

from binance_core.exceptions import ReuseHandlerException
from binance_core.handlers import (
    Dispatcher,
    HandlerBase,
    HandlerExceptionHandlerBase,
    StreamError,
    StreamErrorHandlerBase,
    compile_columns,
    levels_frame,
)

# Binance web-socket-streams.md, "Trade Streams".
TRADE_PAYLOAD = {
    'e': 'trade',
    'E': 1672515782136,
    's': 'BNBBTC',
    't': 12345,
    'p': '0.001',
    'q': '100',
    'T': 1672515782136,
    'm': True,
    'M': True,
}


TRADE_COLUMNS = {
    'e': ('type', 'str'),
    'E': ('event_time', 'time'),
    's': ('symbol', 'str'),
    't': ('trade_id', 'int'),
    'p': ('price', 'float'),
    'q': ('quantity', 'float'),
    'T': ('trade_time', 'time'),
    'm': ('is_buyer_maker', 'bool'),
}


FILL_COLUMNS = {'e': ('type', 'str'), 'i': ('order_id', 'int'), 'N': ('commission_asset', 'str')}


class Trade(HandlerBase):
    """A core-only handler base shaped like Spot's, so the framework tests need no plugin."""

    event, columns = 'trade', TRADE_COLUMNS


class Fill(HandlerBase):
    event = 'executionReport'
    columns = FILL_COLUMNS


def row(df, i=0):
    return {c: df[c].to_list()[i] for c in df.columns}


# -- frames ------------------------------------------------------------------------------------


def test_default_receive_renames_and_types_columns():
    df = Trade().receive(TRADE_PAYLOAD)
    assert df.columns == [
        'type',
        'event_time',
        'symbol',
        'trade_id',
        'price',
        'quantity',
        'trade_time',
        'is_buyer_maker',
    ]
    assert df.dtypes == {
        'type': 'str',
        'event_time': 'int64',
        'symbol': 'str',
        'trade_id': 'int64',
        'price': 'float64',
        'quantity': 'float64',
        'trade_time': 'int64',
        'is_buyer_maker': 'bool',
    }
    assert row(df) == {
        'type': 'trade',
        'event_time': 1672515782136,
        'symbol': 'BNBBTC',
        'trade_id': 12345,
        'price': 0.001,
        'quantity': 100.0,
        'trade_time': 1672515782136,
        'is_buyer_maker': True,
    }
    assert TRADE_PAYLOAD['p'] == '0.001'  # the payload keeps Binance's exact decimal string


def test_as_frame_false_and_no_columns_return_the_payload():
    class Raw(Trade):
        as_frame = False

    assert Raw().receive(TRADE_PAYLOAD) is TRADE_PAYLOAD
    assert HandlerBase().receive(TRADE_PAYLOAD) is TRADE_PAYLOAD


def test_array_payload_gives_one_row_per_element():
    df = Trade().receive([TRADE_PAYLOAD, {**TRADE_PAYLOAD, 't': 12346, 'p': '0.002'}])
    assert df.shape == (2, 8)
    assert df['trade_id'].to_list() == [12345, 12346]
    assert df['price'].to_list() == [0.001, 0.002]
    assert Trade().receive([]).shape[0] == 0


def test_array_rows_missing_keys_or_values_give_na():
    rows = [TRADE_PAYLOAD, {**TRADE_PAYLOAD, 'p': None, 's': None}, {'e': 'trade', 't': 3, 'q': 'bad'}]
    df = Trade().receive(rows)
    assert df.shape == (3, 8)
    assert df['trade_id'].to_list() == [12345, 12345, 3]
    assert df['price'].isna().to_list() == [False, True, True]
    assert df['quantity'].isna().to_list() == [False, False, True]
    assert df['symbol'].isna().to_list() == [False, True, True] and df.dtypes['symbol'] == 'str'
    nulls = Fill().receive([{'e': 'executionReport', 'N': None}] * 2)
    assert nulls.dtypes == {'type': 'str', 'commission_asset': 'str'}


def test_payloads_that_are_not_frames_are_rejected():
    with pytest.raises(TypeError, match='expected a dict or a list'):
        Trade().receive('trade')


def test_absent_keys_give_no_column_and_null_keeps_the_kind():
    df = Fill().receive({'e': 'executionReport', 'i': 7, 'N': None})
    assert df.columns == ['type', 'order_id', 'commission_asset']
    assert df.dtypes['commission_asset'] == 'str'  # volas alone would infer float64 for [None]
    assert Fill().receive({'e': 'executionReport'}).columns == ['type']


def test_unparseable_decimal_becomes_na():
    df = Trade().receive({**TRADE_PAYLOAD, 'p': None, 'q': 'n/a'})
    assert math.isnan(df['price'].to_list()[0]) and math.isnan(df['quantity'].to_list()[0])


def test_nested_object_is_flattened_and_nested_array_exploded():
    conv = compile_columns(
        {
            'e': ('type', 'str'),
            'k': {'t': ('open_time', 'time'), 'c': ('close', 'float')},
            'B': [{'a': ('asset', 'str'), 'f': ('free', 'float')}],
        }
    )
    df = conv({'e': 'x', 'k': {'t': 1, 'c': '2.5'}, 'B': [{'a': 'ETH', 'f': '1'}, {'a': 'BTC', 'f': '0.5'}]})
    assert df.columns == ['type', 'open_time', 'close', 'asset', 'free']
    assert df['type'].to_list() == ['x', 'x'] and df['asset'].to_list() == ['ETH', 'BTC']
    assert df['free'].to_list() == [1.0, 0.5] and df['close'].to_list() == [2.5, 2.5]


@pytest.mark.parametrize(
    'columns, words',
    [
        ({'p': ('price', 'decimal')}, ['kind']),
        ({'p': 'price'}, ['(column name, kind)']),
        ({'p': ('x', 'float'), 'q': ('x', 'float')}, ["['x']", 'more than once']),
        ({'A': [{'a': ('a', 'str')}], 'B': [{'b': ('b', 'str')}]}, ['explodes both']),
    ],
)
def test_malformed_column_map_fails_at_class_creation(columns, words):
    with pytest.raises(ValueError) as info:
        type('Broken', (HandlerBase,), {'columns': columns})
    assert 'Broken.columns' in str(info.value)
    for word in words:
        assert word in str(info.value)


def test_levels_frame():
    df = levels_frame([['0.0024', '10'], ['0.0023', '5']])
    assert df.columns == ['price', 'quantity'] and df['price'].to_list() == [0.0024, 0.0023]


# -- Spot handler bases: payloads copied from Binance's docs --------------------------------------

spot = pytest.importorskip('binance_spot.handlers')

KLINE_PAYLOAD = {
    'e': 'kline',
    'E': 1672515782136,
    's': 'BNBBTC',
    'k': {
        't': 1672515780000,
        'T': 1672515839999,
        's': 'BNBBTC',
        'i': '1m',
        'f': 100,
        'L': 200,
        'o': '0.0010',
        'c': '0.0020',
        'h': '0.0025',
        'l': '0.0015',
        'v': '1000',
        'n': 100,
        'x': False,
        'q': '1.0000',
        'V': '500',
        'Q': '0.500',
        'B': '123456',
    },
}
MINI_TICKER_PAYLOAD = {
    'e': '24hrMiniTicker',
    'E': 1672515782136,
    's': 'BNBBTC',
    'c': '0.0025',
    'o': '0.0010',
    'h': '0.0025',
    'l': '0.0010',
    'v': '10000',
    'q': '18',
}
WINDOW_TICKER_PAYLOAD = {
    'e': '1hTicker',
    'E': 1672515782136,
    's': 'BNBBTC',
    'p': '0.0015',
    'P': '250.00',
    'o': '0.0010',
    'h': '0.0025',
    'l': '0.0010',
    'c': '0.0025',
    'w': '0.0018',
    'v': '10000',
    'q': '18',
    'O': 0,
    'C': 1675216573749,
    'F': 0,
    'L': 18150,
    'n': 18151,
}
EXECUTION_REPORT = {
    'e': 'executionReport',
    'E': 1499405658658,
    's': 'ETHBTC',
    'c': 'mUvoqJxFIILMdfAW5iGSOW',
    'S': 'BUY',
    'o': 'LIMIT',
    'f': 'GTC',
    'q': '1.00000000',
    'p': '0.10264410',
    'P': '0.00000000',
    'F': '0.00000000',
    'g': -1,
    'C': '',
    'x': 'NEW',
    'X': 'NEW',
    'r': 'NONE',
    'i': 4293153,
    'l': '0.00000000',
    'z': '0.00000000',
    'L': '0.00000000',
    'n': '0',
    'N': None,
    'T': 1499405658657,
    't': -1,
    'v': 3,
    'I': 8641984,
    'w': True,
    'm': False,
    'M': False,
    'O': 1499405658657,
    'Z': '0.00000000',
    'Y': '0.00000000',
    'Q': '0.00000000',
    'W': 1499405658657,
    'V': 'NONE',
}

# (handler base, payload, {column: (dtype, first-row value)}) -- every column of the frame.
SPOT_CASES = [
    (
        'TradeHandlerBase',
        TRADE_PAYLOAD,
        {
            'type': ('str', 'trade'),
            'event_time': ('int64', 1672515782136),
            'symbol': ('str', 'BNBBTC'),
            'trade_id': ('int64', 12345),
            'price': ('float64', 0.001),
            'quantity': ('float64', 100.0),
            'trade_time': ('int64', 1672515782136),
            'is_buyer_maker': ('bool', True),
        },
    ),
    (
        'AggTradeHandlerBase',
        {
            'e': 'aggTrade',
            'E': 1672515782136,
            's': 'BNBBTC',
            'a': 12345,
            'p': '0.001',
            'q': '100',
            'f': 100,
            'l': 105,
            'T': 1672515782136,
            'm': True,
            'M': True,
        },
        {
            'type': ('str', 'aggTrade'),
            'event_time': ('int64', 1672515782136),
            'symbol': ('str', 'BNBBTC'),
            'agg_trade_id': ('int64', 12345),
            'price': ('float64', 0.001),
            'quantity': ('float64', 100.0),
            'first_trade_id': ('int64', 100),
            'last_trade_id': ('int64', 105),
            'trade_time': ('int64', 1672515782136),
            'is_buyer_maker': ('bool', True),
        },
    ),
    (
        'BlockTradeHandlerBase',
        {
            'e': 'blockTrade',
            'E': 1772506983582,
            's': 'BNBBTC',
            't': 582,
            'p': '0.052',
            'q': '5838',
            'T': 1772506983321,
            'm': True,
        },
        {
            'type': ('str', 'blockTrade'),
            'event_time': ('int64', 1772506983582),
            'symbol': ('str', 'BNBBTC'),
            'block_trade_id': ('int64', 582),
            'price': ('float64', 0.052),
            'quantity': ('float64', 5838.0),
            'trade_time': ('int64', 1772506983321),
            'is_buyer_maker': ('bool', True),
        },
    ),
    (
        'ReferencePriceHandlerBase',
        {'e': 'referencePrice', 's': 'BAZUSD', 'r': '1.00', 't': 1770313263917},
        {
            'type': ('str', 'referencePrice'),
            'symbol': ('str', 'BAZUSD'),
            'reference_price': ('float64', 1.0),
            'engine_time': ('int64', 1770313263917),
        },
    ),
    (
        'BookTickerHandlerBase',
        {
            'u': 400900217,
            's': 'BNBUSDT',
            'b': '25.35190000',
            'B': '31.21000000',
            'a': '25.36520000',
            'A': '40.66000000',
        },
        {
            'update_id': ('int64', 400900217),
            'symbol': ('str', 'BNBUSDT'),
            'bid_price': ('float64', 25.3519),
            'bid_quantity': ('float64', 31.21),
            'ask_price': ('float64', 25.3652),
            'ask_quantity': ('float64', 40.66),
        },
    ),
    (
        'AvgPriceHandlerBase',
        {
            'e': 'avgPrice',
            'E': 1693907033000,
            's': 'BTCUSDT',
            'i': '5m',
            'w': '25776.86000000',
            'T': 1693907032213,
        },
        {
            'type': ('str', 'avgPrice'),
            'event_time': ('int64', 1693907033000),
            'symbol': ('str', 'BTCUSDT'),
            'interval': ('str', '5m'),
            'average_price': ('float64', 25776.86),
            'last_trade_time': ('int64', 1693907032213),
        },
    ),
    (
        'KlineHandlerBase',
        KLINE_PAYLOAD,
        {
            'type': ('str', 'kline'),
            'event_time': ('int64', 1672515782136),
            'open_time': ('int64', 1672515780000),
            'close_time': ('int64', 1672515839999),
            'symbol': ('str', 'BNBBTC'),
            'interval': ('str', '1m'),
            'open': ('float64', 0.001),
            'high': ('float64', 0.0025),
            'low': ('float64', 0.0015),
            'close': ('float64', 0.002),
            'volume': ('float64', 1000.0),
            'quote_volume': ('float64', 1.0),
            'taker_volume': ('float64', 500.0),
            'taker_quote_volume': ('float64', 0.5),
            'total_trades': ('int64', 100),
            'is_closed': ('bool', False),
            'first_trade_id': ('int64', 100),
            'last_trade_id': ('int64', 200),
        },
    ),
    (
        'MiniTickerHandlerBase',
        MINI_TICKER_PAYLOAD,
        {
            'type': ('str', '24hrMiniTicker'),
            'event_time': ('int64', 1672515782136),
            'symbol': ('str', 'BNBBTC'),
            'open': ('float64', 0.001),
            'high': ('float64', 0.0025),
            'low': ('float64', 0.001),
            'close': ('float64', 0.0025),
            'volume': ('float64', 10000.0),
            'quote_volume': ('float64', 18.0),
        },
    ),
    (
        'TickerHandlerBase',
        {
            'e': '24hrTicker',
            'E': 1672515782136,
            's': 'BNBBTC',
            'p': '0.0015',
            'P': '250.00',
            'w': '0.0018',
            'x': '0.0009',
            'c': '0.0025',
            'Q': '10',
            'b': '0.0024',
            'B': '10',
            'a': '0.0026',
            'A': '100',
            'o': '0.0010',
            'h': '0.0025',
            'l': '0.0010',
            'v': '10000',
            'q': '18',
            'O': 0,
            'C': 86400000,
            'F': 0,
            'L': 18150,
            'n': 18151,
        },
        {
            'type': ('str', '24hrTicker'),
            'event_time': ('int64', 1672515782136),
            'symbol': ('str', 'BNBBTC'),
            'price_change': ('float64', 0.0015),
            'price_change_percent': ('float64', 250.0),
            'weighted_avg_price': ('float64', 0.0018),
            'prev_close_price': ('float64', 0.0009),
            'last_price': ('float64', 0.0025),
            'last_quantity': ('float64', 10.0),
            'bid_price': ('float64', 0.0024),
            'bid_quantity': ('float64', 10.0),
            'ask_price': ('float64', 0.0026),
            'ask_quantity': ('float64', 100.0),
            'open': ('float64', 0.001),
            'high': ('float64', 0.0025),
            'low': ('float64', 0.001),
            'volume': ('float64', 10000.0),
            'quote_volume': ('float64', 18.0),
            'open_time': ('int64', 0),
            'close_time': ('int64', 86400000),
            'first_trade_id': ('int64', 0),
            'last_trade_id': ('int64', 18150),
            'total_trades': ('int64', 18151),
        },
    ),
    (
        'WindowTickerHandlerBase',
        WINDOW_TICKER_PAYLOAD,
        {
            'type': ('str', '1hTicker'),
            'event_time': ('int64', 1672515782136),
            'symbol': ('str', 'BNBBTC'),
            'price_change': ('float64', 0.0015),
            'price_change_percent': ('float64', 250.0),
            'open': ('float64', 0.001),
            'high': ('float64', 0.0025),
            'low': ('float64', 0.001),
            'last_price': ('float64', 0.0025),
            'weighted_avg_price': ('float64', 0.0018),
            'volume': ('float64', 10000.0),
            'quote_volume': ('float64', 18.0),
            'open_time': ('int64', 0),
            'close_time': ('int64', 1675216573749),
            'first_trade_id': ('int64', 0),
            'last_trade_id': ('int64', 18150),
            'total_trades': ('int64', 18151),
        },
    ),
    (
        'AccountPositionHandlerBase',
        {
            'e': 'outboundAccountPosition',
            'E': 1564034571105,
            'u': 1564034571073,
            'B': [{'a': 'ETH', 'f': '10000.000000', 'l': '0.000000'}],
        },
        {
            'type': ('str', 'outboundAccountPosition'),
            'event_time': ('int64', 1564034571105),
            'last_update_time': ('int64', 1564034571073),
            'asset': ('str', 'ETH'),
            'free': ('float64', 10000.0),
            'locked': ('float64', 0.0),
        },
    ),
    (
        'BalanceUpdateHandlerBase',
        {
            'e': 'balanceUpdate',
            'E': 1573200697110,
            'a': 'BTC',
            'd': '100.00000000',
            'T': 1573200697068,
        },
        {
            'type': ('str', 'balanceUpdate'),
            'event_time': ('int64', 1573200697110),
            'asset': ('str', 'BTC'),
            'delta': ('float64', 100.0),
            'clear_time': ('int64', 1573200697068),
        },
    ),
    (
        'OrderUpdateHandlerBase',
        EXECUTION_REPORT,
        {
            'type': ('str', 'executionReport'),
            'event_time': ('int64', 1499405658658),
            'symbol': ('str', 'ETHBTC'),
            'client_order_id': ('str', 'mUvoqJxFIILMdfAW5iGSOW'),
            'side': ('str', 'BUY'),
            'order_type': ('str', 'LIMIT'),
            'time_in_force': ('str', 'GTC'),
            'quantity': ('float64', 1.0),
            'price': ('float64', 0.1026441),
            'stop_price': ('float64', 0.0),
            'iceberg_quantity': ('float64', 0.0),
            'order_list_id': ('int64', -1),
            'orig_client_order_id': ('str', ''),
            'execution_type': ('str', 'NEW'),
            'order_status': ('str', 'NEW'),
            'reject_reason': ('str', 'NONE'),
            'order_id': ('int64', 4293153),
            'last_executed_quantity': ('float64', 0.0),
            'cumulative_filled_quantity': ('float64', 0.0),
            'last_executed_price': ('float64', 0.0),
            'commission': ('float64', 0.0),
            'commission_asset': ('str', None),
            'transaction_time': ('int64', 1499405658657),
            'trade_id': ('int64', -1),
            'prevented_match_id': ('int64', 3),
            'execution_id': ('int64', 8641984),
            'is_working': ('bool', True),
            'is_maker': ('bool', False),
            'order_creation_time': ('int64', 1499405658657),
            'cumulative_quote_quantity': ('float64', 0.0),
            'last_quote_quantity': ('float64', 0.0),
            'quote_order_quantity': ('float64', 0.0),
            'working_time': ('int64', 1499405658657),
            'self_trade_prevention_mode': ('str', 'NONE'),
        },
    ),
    (
        'OrderListStatusHandlerBase',
        {
            'e': 'listStatus',
            'E': 1564035303637,
            's': 'ETHBTC',
            'g': 2,
            'c': 'OCO',
            'l': 'EXEC_STARTED',
            'L': 'EXECUTING',
            'r': 'NONE',
            'C': 'F4QN4G8DlFATFlIUQ0cjdD',
            'T': 1564035303625,
            'O': [
                {'s': 'ETHBTC', 'i': 17, 'c': 'AJYsMjErWJesZvqlJCTUgL'},
                {'s': 'ETHBTC', 'i': 18, 'c': 'bfYPSQdLoqAJeNrOr9adzq'},
            ],
        },
        {
            'type': ('str', 'listStatus'),
            'event_time': ('int64', 1564035303637),
            'symbol': ('str', 'ETHBTC'),
            'order_list_id': ('int64', 2),
            'contingency_type': ('str', 'OCO'),
            'list_status_type': ('str', 'EXEC_STARTED'),
            'list_order_status': ('str', 'EXECUTING'),
            'list_reject_reason': ('str', 'NONE'),
            'list_client_order_id': ('str', 'F4QN4G8DlFATFlIUQ0cjdD'),
            'transaction_time': ('int64', 1564035303625),
            'order_symbol': ('str', 'ETHBTC'),
            'order_id': ('int64', 17),
            'client_order_id': ('str', 'AJYsMjErWJesZvqlJCTUgL'),
        },
    ),
    (
        'ExternalLockUpdateHandlerBase',
        {
            'e': 'externalLockUpdate',
            'E': 1581557507324,
            'a': 'NEO',
            'd': '10.00000000',
            'T': 1581557507268,
        },
        {
            'type': ('str', 'externalLockUpdate'),
            'event_time': ('int64', 1581557507324),
            'asset': ('str', 'NEO'),
            'delta': ('float64', 10.0),
            'transaction_time': ('int64', 1581557507268),
        },
    ),
    (
        'EventStreamTerminatedHandlerBase',
        {'e': 'eventStreamTerminated', 'E': 1728973001334},
        {
            'type': ('str', 'eventStreamTerminated'),
            'event_time': ('int64', 1728973001334),
        },
    ),
]


@pytest.mark.parametrize('base, payload, expected', SPOT_CASES, ids=[c[0] for c in SPOT_CASES])
def test_spot_handler_base_frame(base, payload, expected):
    cls = getattr(spot, base)
    assert cls in spot.HANDLER_BASES
    if 'type' in expected:
        events = cls.event if isinstance(cls.event, tuple) else (cls.event,)
        assert payload['e'] in events
    df = cls().receive(payload)
    assert df.columns == list(expected)
    assert df.dtypes == {c: dtype for c, (dtype, _) in expected.items()}
    first = row(df)
    for column, (_, value) in expected.items():
        if value is None:
            assert df[column].isna().to_list() == [True], column
        else:
            assert first[column] == value, column


def test_spot_exploded_user_events_have_one_row_per_item():
    ((_, payload, _),) = [c for c in SPOT_CASES if c[0] == 'OrderListStatusHandlerBase']
    df = spot.OrderListStatusHandlerBase().receive(payload)
    assert df['order_id'].to_list() == [17, 18] and df['order_list_id'].to_list() == [2, 2]


def test_spot_conditional_execution_report_fields_appear_when_sent():
    df = spot.OrderUpdateHandlerBase().receive(
        {**EXECUTION_REPORT, 'eR': 'INSUFFICIENT_LIQUIDITY', 'uS': True, 'gp': '1.00000000', 'Cs': 'BTCUSDT'}
    )
    assert row(df)['expiry_reason'] == 'INSUFFICIENT_LIQUIDITY' and row(df)['used_sor'] is True
    assert row(df)['pegged_price'] == 1.0 and row(df)['counter_symbol'] == 'BTCUSDT'
    assert 'trailing_delta' not in df.columns


@pytest.mark.parametrize(
    'base, payload',
    [
        ('AllMarketMiniTickersHandlerBase', MINI_TICKER_PAYLOAD),
        ('AllMarketWindowTickersHandlerBase', WINDOW_TICKER_PAYLOAD),
    ],
)
def test_spot_all_market_arrays_are_multi_row(base, payload):
    other = {**payload, 's': 'ETHBTC', 'c': '0.05'}
    df = getattr(spot, base)().receive([payload, other])
    assert df.shape[0] == 2
    assert df['symbol'].to_list() == ['BNBBTC', 'ETHBTC']
    assert df.dtypes['event_time'] == 'int64' and df.dtypes['volume'] == 'float64'


def test_spot_partial_order_book_returns_bids_and_asks():
    bids, asks = spot.PartialOrderBookHandlerBase().receive(
        {'lastUpdateId': 160, 'bids': [['0.0024', '10']], 'asks': [['0.0026', '100']]}
    )
    assert bids.columns == asks.columns == ['price', 'quantity']
    assert bids['price'].to_list() == [0.0024] and asks['quantity'].to_list() == [100.0]


def test_spot_reference_price_null_is_na():
    df = spot.ReferencePriceHandlerBase().receive({'e': 'referencePrice', 's': 'BAZUSD', 'r': None, 't': 1})
    assert df.dtypes['reference_price'] == 'float64' and math.isnan(df['reference_price'].to_list()[0])


# -- dispatch ----------------------------------------------------------------------------------


class Recorder(Trade):
    def __init__(self, log, name):
        self.log, self.name = log, name

    def receive(self, payload):
        self.log.append((self.name, super().receive(payload)['trade_id'].to_list()[0]))


class AsyncRecorder(Trade):
    def __init__(self, log, name):
        self.log, self.name = log, name

    async def receive(self, payload):
        df = super().receive(payload)
        await asyncio.sleep(0)  # yield: order must still be kept
        self.log.append((self.name, df['trade_id'].to_list()[0]))


async def test_sync_and_async_handlers_receive_frames_in_order():
    log = []
    d = Dispatcher()
    d.add(AsyncRecorder(log, 'async'))
    d.add(Recorder(log, 'sync'))
    d.route('bnbbtc@trade', 'Trade')
    async with asyncio.timeout(5):
        for t in (1, 2, 3):
            await d.dispatch_stream('bnbbtc@trade', {**TRADE_PAYLOAD, 't': t})
    assert log == [('async', 1), ('sync', 1), ('async', 2), ('sync', 2), ('async', 3), ('sync', 3)]


async def test_sync_receive_returning_an_awaitable_is_awaited():
    done = []

    class Deferred(Trade):
        def receive(self, payload):
            async def later():
                done.append(payload['t'])

            return later()

    d = Dispatcher()
    d.add(Deferred())
    d.route('x@trade', 'Trade')
    async with asyncio.timeout(5):
        await d.dispatch_stream('x@trade', TRADE_PAYLOAD)
    assert done == [12345]


async def test_unrouted_streams_and_other_bases_get_nothing():
    log = []
    d = Dispatcher()
    d.add(Recorder(log, 'r'))
    async with asyncio.timeout(5):
        await d.dispatch_stream('x@trade', TRADE_PAYLOAD)  # no route yet
        d.route('x@aggTrade', 'AggTradeHandlerBase')
        await d.dispatch_stream('x@aggTrade', TRADE_PAYLOAD)
        assert log == []
        d.route('x@trade', 'Trade')  # route() invalidates the cached empty list
        await d.dispatch_stream('x@trade', TRADE_PAYLOAD)
        assert log == [('r', 12345)]
        d.add(Recorder(log, 'late'))  # add() invalidates too
        await d.dispatch_stream('x@trade', TRADE_PAYLOAD)
        d.unroute('x@trade')
        await d.dispatch_stream('x@trade', TRADE_PAYLOAD)
    assert log == [('r', 12345), ('r', 12345), ('late', 12345)]


async def test_stream_attribute_routes_without_a_row():
    got = []

    class FastBookTicker(HandlerBase):
        stream, as_frame = 'bookTicker', False

        def receive(self, payload):
            got.append(super().receive(payload))

    d = Dispatcher()
    d.add(FastBookTicker())
    async with asyncio.timeout(5):
        await d.dispatch_stream('bnbusdt@bookTicker', {'u': 1})
        await d.dispatch_stream('bnbusdt@trade', {'u': 2})
    assert got == [{'u': 1}]


async def test_handler_exceptions_are_isolated_and_reach_every_exception_handler(caplog):
    log, seen = [], []

    class Boom(Trade):
        def receive(self, payload):
            raise RuntimeError('this will ruin my day')

    class AsyncBoom(Trade):
        async def receive(self, payload):
            raise KeyError('async too')

    class SyncCatcher(HandlerExceptionHandlerBase):
        def receive(self, exception):
            seen.append(('sync', exception))

    class AsyncCatcher(HandlerExceptionHandlerBase):
        async def receive(self, exception):
            await asyncio.sleep(0)
            seen.append(('async', exception))

    class BrokenCatcher(HandlerExceptionHandlerBase):
        def receive(self, exception):
            raise ValueError('the catcher itself fails')

    d = Dispatcher()
    for h in (Boom(), AsyncBoom(), Recorder(log, 'after'), SyncCatcher(), BrokenCatcher(), AsyncCatcher()):
        d.add(h)
    d.route('x@trade', 'Trade')
    with caplog.at_level(logging.DEBUG, logger='binance.handlers'):
        async with asyncio.timeout(5):
            await d.dispatch_stream('x@trade', TRADE_PAYLOAD)
    assert log == [('after', 12345)]  # a failing handler does not stop the ones after it
    assert [(who, type(e).__name__) for who, e in seen] == [
        ('sync', 'RuntimeError'),
        ('async', 'RuntimeError'),
        ('sync', 'KeyError'),
        ('async', 'KeyError'),
    ]
    assert 'the catcher itself fails' in caplog.text  # logged, not re-dispatched


class Shy(BaseException):
    """Not an Exception (like KeyboardInterrupt), but a handler's own."""


async def test_handlers_raising_any_base_exception_are_isolated_and_reported(caplog):
    log, seen = [], []

    class AwaitsACancelledFuture(Trade):
        async def receive(self, payload):
            future = asyncio.get_running_loop().create_future()
            future.cancel()  # someone else cancelled it: a CancelledError the dispatcher did not ask for
            await future

    class RaisesShy(Trade):
        def receive(self, payload):
            raise Shy('mine')

    class Catcher(HandlerExceptionHandlerBase):
        def receive(self, exception):
            seen.append(type(exception))

    class ShyCatcher(HandlerExceptionHandlerBase):
        async def receive(self, exception):
            raise Shy('the catcher too')

    class ShyUser(HandlerBase):
        event = 'balanceUpdate'

        def receive(self, payload):
            raise Shy('user data')

    d = Dispatcher()
    for h in (AwaitsACancelledFuture(), RaisesShy(), Recorder(log, 'after'), ShyUser(), ShyCatcher(), Catcher()):
        d.add(h)
    d.route('x@trade', 'Trade')
    async with asyncio.timeout(5):
        for t in (1, 2):
            await d.dispatch_stream('x@trade', {**TRADE_PAYLOAD, 't': t})
        await d.dispatch_user({'e': 'balanceUpdate'})
    assert log == [('after', 1), ('after', 2)]  # neither stops the handlers after it, nor the next frame
    assert seen == [asyncio.CancelledError, Shy, asyncio.CancelledError, Shy, Shy]
    assert 'the catcher too' in caplog.text  # logged, not re-dispatched, not raised


async def test_cancelling_the_delivering_task_still_ends_it():
    """``close()`` cancels the dispatch task: that cancellation, and only it, passes through."""
    started = asyncio.Event()

    class Waits(Trade):
        async def receive(self, payload):
            started.set()
            await asyncio.Event().wait()

    d = Dispatcher()
    d.add(Waits())
    d.route('x@trade', 'Trade')
    async with asyncio.timeout(5):
        task = asyncio.create_task(d.dispatch_stream('x@trade', TRADE_PAYLOAD))
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


@pytest.mark.parametrize('exc', [SystemExit(3), KeyboardInterrupt()])
async def test_system_exit_and_keyboard_interrupt_stop_the_program_not_just_the_handler(exc):
    class Exits(Trade):
        def receive(self, payload):
            raise exc

    d = Dispatcher()
    d.add(Exits())
    d.route('x@trade', 'Trade')
    with pytest.raises(type(exc)):
        await d.dispatch_stream('x@trade', TRADE_PAYLOAD)


async def test_without_exception_handlers_the_error_is_logged(caplog, capsys):
    class Boom(Trade):
        def receive(self, payload):
            raise RuntimeError('unhandled')

    d = Dispatcher()
    d.add(Boom())
    d.route('x@trade', 'Trade')
    async with asyncio.timeout(5):
        await d.dispatch_stream('x@trade', TRADE_PAYLOAD)
    assert 'Boom raised' in caplog.text and 'unhandled' in caplog.text
    assert capsys.readouterr() == ('', '')


def test_default_exception_handler_logs_the_stack_not_print(caplog, capsys):
    try:
        raise RuntimeError('stack please')
    except RuntimeError as exc:
        error = exc
    HandlerExceptionHandlerBase().receive(error)
    (record,) = caplog.records
    assert record.levelno == logging.ERROR and record.exc_info[1] is error
    assert 'stack please' in caplog.text and 'Traceback' in caplog.text
    assert capsys.readouterr() == ('', '')


async def test_report_exception_and_stream_errors():
    seen = []

    class Errors(StreamErrorHandlerBase):
        async def receive(self, error):
            seen.append(error)

    class Catcher(HandlerExceptionHandlerBase):
        def receive(self, exception):
            seen.append(exception)

    d = Dispatcher()
    d.add(Errors())
    d.add(Catcher())
    exc = ConnectionError('replay failed')
    error = StreamError(stream='data', phase='resubscribe', exception=exc, recovering=True)
    async with asyncio.timeout(5):
        await d.report_stream_error(error)
        await d.report_exception(exc)
    assert seen == [error, exc]


def test_default_stream_error_handler_logs(caplog):
    StreamErrorHandlerBase().receive(StreamError(stream='user', phase='logon', exception=OSError('x'), recovering=True))
    assert 'user stream: logon failed' in caplog.text
    streams = tuple(f's{i}@trade' for i in range(7))
    gap = StreamError(
        stream='data',
        phase='gap',
        exception=ConnectionError('dropped'),
        recovering=True,
        streams=streams,
        down_at=100.0,
        up_at=102.5,
        hint='frames are lost',
    )
    StreamErrorHandlerBase().receive(gap)
    assert 'data stream: frames lost while reconnecting (2.5 s; s0@trade, s1@trade' in caplog.text
    assert 'and 2 more); frames are lost' in caplog.text


def test_stream_error_new_fields_default_to_nothing():
    error = StreamError(stream='data', phase='resubscribe', exception=OSError('x'), recovering=True)
    assert (error.streams, error.down_at, error.up_at, error.hint) == ((), None, None, '')


async def test_user_events_are_routed_by_event_type():
    got = []

    class Fills(Fill):
        def receive(self, payload):
            got.append(('fill', super().receive(payload)['order_id'].to_list()[0]))

    class Many(HandlerBase):
        event = ('balanceUpdate', 'executionReport')

        async def receive(self, payload):
            got.append(('many', payload['e']))

    d = Dispatcher()
    d.add(Fills())
    assert d.receives_event('executionReport') and not d.receives_event('balanceUpdate')
    d.add(Many())
    assert d.receives_event('balanceUpdate') and not d.receives_event('listStatus')  # add() refreshes it
    d.add(Recorder([], 'trade'))  # event 'trade': never a user event
    async with asyncio.timeout(5):
        await d.dispatch_user({'e': 'executionReport', 'i': 9})
        await d.dispatch_user({'e': 'balanceUpdate'})
        await d.dispatch_user({'e': 'listStatus'})
        await d.dispatch_user({'no': 'event'})
    assert got == [('fill', 9), ('many', 'executionReport'), ('many', 'balanceUpdate')]


def test_add_checks_type_and_ignores_the_same_instance_twice():
    d = Dispatcher()
    with pytest.raises(TypeError, match='HandlerBase'):
        d.add(object())
    h = Trade()
    d.add(h)
    d.add(h)
    assert d.handlers == (h,)


def test_a_handler_belongs_to_one_client():
    client_a, client_b = object(), object()
    h = Trade()
    assert h.client is None
    h._bind_client(client_a)
    h._bind_client(client_a)  # the same client again is fine
    assert h.client is client_a
    with pytest.raises(ReuseHandlerException, match='one handler instance per client'):
        h._bind_client(client_b)
    assert isinstance(ReuseHandlerException('x'), ValueError)


def test_binding_needs_no_super_init():
    class Custom(Trade):
        def __init__(self):  # no super().__init__()
            self.n = 0

    h = Custom()
    h._bind_client('c')
    assert h.client == 'c'


def test_a_base_may_name_a_wire_key_otherwise_on_one_market():
    from binance import SpotClient

    class Volumes(HandlerBase):
        columns, columns_by_market = {'q': ('quote_volume', 'float')}, {'spot': {'q': ('base_volume', 'float')}}

    unbound, on_spot = Volumes(), Volumes()
    SpotClient().handler(on_spot)
    assert list(unbound.receive({'q': '1.5'}).columns) == ['quote_volume']
    assert list(on_spot.receive({'q': '1.5'}).columns) == ['base_volume']
    with pytest.raises(ValueError, match='Broken.columns_by_market'):

        class Broken(HandlerBase):
            columns_by_market = {'spot': {'q': ('x', 'no-such-kind')}}  # noqa: RUF012


# -- batched delivery (opt-in) -------------------------------------------------------------------------------------


class TradeBatches(Trade):
    batch = 8

    def __init__(self):
        self.frames = []

    def receive_batch(self, payloads):
        self.frames.append(super().receive_batch(payloads))


def test_batch_is_off_by_default_and_receive_batch_gives_one_frame_of_all_rows():
    assert HandlerBase.batch is None and Trade.batch is None and TradeBatches.batch == 8
    payloads = [{**TRADE_PAYLOAD, 't': t, 'p': f'0.00{t}'} for t in (1, 2, 3)]
    df = Trade().receive_batch(payloads)
    assert df.shape == (3, 8) and df.columns == Trade().receive(TRADE_PAYLOAD).columns
    assert df['trade_id'].to_list() == [1, 2, 3] and df['price'].to_list() == [0.001, 0.002, 0.003]
    assert df.equals(Trade().receive(payloads))  # the frame of an @arr payload of the same frames
    one = Trade().receive_batch([TRADE_PAYLOAD])
    assert one.equals(Trade().receive(TRADE_PAYLOAD)) and one.dtypes == Trade().receive(TRADE_PAYLOAD).dtypes


def test_a_batch_mixing_optional_keys_has_na_where_a_frame_lacked_one():
    first, second = {'e': 'executionReport', 'i': 1}, {'e': 'executionReport', 'i': 2, 'N': 'BNB'}
    df = Fill().receive_batch([first, second])
    assert df.columns == ['type', 'order_id', 'commission_asset']
    assert df['commission_asset'].isna().to_list() == [True, False] and df.dtypes['commission_asset'] == 'str'


def test_receive_batch_without_a_frame_returns_the_list():
    class Raw(Trade):
        as_frame, batch = False, 4

    payloads = [TRADE_PAYLOAD, TRADE_PAYLOAD]
    assert Raw().receive_batch(payloads) is payloads
    assert HandlerBase().receive_batch(payloads) is payloads


@pytest.mark.parametrize('bound', [0, -1, True, 1.5, '8'])
def test_batch_must_be_none_or_a_positive_int(bound):
    with pytest.raises(ValueError, match=r'Broken\.batch: expected None or an int >= 1'):
        type('Broken', (Trade,), {'batch': bound})
    assert type('Fine', (Trade,), {'batch': 1}).batch == 1
    assert type('Off', (TradeBatches,), {'batch': None}).batch is None


def test_receive_batch_uses_the_market_map_once_bound():
    from binance import SpotClient

    class Volumes(HandlerBase):
        batch = 16
        columns, columns_by_market = {'q': ('quote_volume', 'float')}, {'spot': {'q': ('base_volume', 'float')}}

    on_spot = Volumes()
    SpotClient().handler(on_spot)
    assert on_spot.receive_batch([{'q': '1'}, {'q': '2'}]).columns == ['base_volume']
    assert Volumes().receive_batch([{'q': '1'}, {'q': '2'}]).columns == ['quote_volume']


async def test_an_async_receive_batch_may_call_super():
    class AsyncBatches(Trade):
        batch = 2

        def __init__(self):
            self.ids = []

        async def receive_batch(self, payloads):
            await asyncio.sleep(0)
            self.ids += super().receive_batch(payloads)['trade_id'].to_list()

    h = AsyncBatches()
    async with asyncio.timeout(5):
        await h.receive_batch([{**TRADE_PAYLOAD, 't': 1}, {**TRADE_PAYLOAD, 't': 2}])
    assert h.ids == [1, 2]


async def deliver_burst(dispatcher, burst):
    """One burst as a stream connection delivers it (every frame already waiting on the connection, oldest
    first): each frame through ``deliver_stream``, then the flush the connection owes at the end of the burst."""
    for payload in burst:
        pending = dispatcher.deliver_stream('bnbbtc@trade', payload)
        if pending is not None:
            await pending
    if dispatcher.due:
        pending = dispatcher.flush_batches()
        if pending is not None:
            await pending


async def test_the_delivery_contract_keeps_order_loses_nothing_and_respects_the_bound():
    log = []
    batches, plain = TradeBatches(), Recorder(log, 'plain')
    d = Dispatcher()
    d.add(batches)
    d.add(plain)
    d.route('bnbbtc@trade', 'Trade')
    sizes = (1, 3, 8, 9, 20)
    t = 0
    async with asyncio.timeout(5):
        for size in sizes:
            burst = [{**TRADE_PAYLOAD, 't': t + i} for i in range(size)]
            t += size
            await deliver_burst(d, burst)
            assert not d.due  # nothing held past its burst
    every = list(range(sum(sizes)))
    assert [i for df in batches.frames for i in df['trade_id'].to_list()] == every  # in order, each once
    assert [len(df) for df in batches.frames] == [1, 3, 8, 8, 1, 8, 8, 4]  # <= batch, never across bursts
    assert log == [('plain', i) for i in every]  # a handler that does not batch sees no change
