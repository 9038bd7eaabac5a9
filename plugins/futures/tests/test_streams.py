"""The shared futures stream rows and handler bases, checked for both markets they serve: USDⓈ-M (``'fapi'``, split
URL categories) and COIN-M (``'dapi'``, one path, contract codes with ``_``). COIN-M transcripts are written from
CM-MS (Binance derivatives "COIN-M WebSocket Market Streams"), never from the rows. Runs with no market
installed: a toy futures market stands in for COIN-M against the shared fake."""

import asyncio
import enum
import math

import pytest
from volas import TimeFrame

from binance_core import hookimpl
from binance_core.assembly import assemble
from binance_core.exceptions import InvalidSubTypeParamException
from binance_core.handlers.dispatch import Dispatcher
from binance_core.subscriptions import depth_level, parse, stream_symbol
from binance_futures import streams
from binance_futures.endpoints import MARKET_OPTIONAL
from binance_futures.fake import FuturesFake, teach
from binance_futures.handlers import SHARED_HANDLER_BASES
from binance_futures.plugin import futures_plugin
from binance_testing import FakeExchange
from binance_testing.plugins import make_plugin_manager as make_testing_plugin_manager

BASES = {cls.__name__: cls for cls in SHARED_HANDLER_BASES}


def table(api):
    rows = {row.sub_type: row for row in streams.shared_stream_types(api)}
    return rows, enum.Enum('SubType', [(n, n) for n in rows])


def one(api, sub_type, *params):
    rows, sub_types = table(api)
    (sub,) = parse((sub_types[sub_type], *params), rows, sub_types, market=api)
    return sub


async def receivers(sub):
    got = set()
    dispatcher = Dispatcher()
    for name, base in BASES.items():

        def receive(self, payload, name=name):
            got.add(name)

        dispatcher.add(type(f'Recording{name}', (base,), {'receive': receive})())
    dispatcher.route(sub.wire, sub.row.handler)
    await dispatcher.dispatch_stream(sub.wire, {})
    return got


# COIN-M (CM-MS; FUTURES-API.md §2: "symbols in stream names are lowercase with the underscore kept"), one path.
# Not formatted: a table: one case per entry.
# fmt: off
CM_STREAMS = [
    ('MARK_PRICE', ('BTCUSD_PERP',), 'btcusd_perp@markPrice', 'MarkPriceHandlerBase'),
    ('MARK_PRICE', ('BTCUSD_PERP', '1s'), 'btcusd_perp@markPrice@1s', 'MarkPriceHandlerBase'),
    ('FORCE_ORDER', ('BTCUSD_200925',), 'btcusd_200925@forceOrder', 'ForceOrderHandlerBase'),
    ('AGG_TRADE', ('BTCUSD_200626',), 'btcusd_200626@aggTrade', 'FuturesAggTradeHandlerBase'),
    ('KLINE', ('BTCUSD_200626', TimeFrame.m1), 'btcusd_200626@kline_1m', 'FuturesKlineHandlerBase'),
    ('KLINE', ('btcusd_perp', '1w'), 'btcusd_perp@kline_1w', 'FuturesKlineHandlerBase'),
    ('CONTINUOUS_KLINE', ('BTCUSD', 'NEXT_QUARTER', '1m'), 'btcusd_next_quarter@continuousKline_1m',
     'FuturesContinuousKlineHandlerBase'),
    ('CONTINUOUS_KLINE', ('btcusd', 'perpetual', TimeFrame.H1), 'btcusd_perpetual@continuousKline_1h',
     'FuturesContinuousKlineHandlerBase'),
    ('MINI_TICKER', ('BTCUSD_PERP',), 'btcusd_perp@miniTicker', 'FuturesMiniTickerHandlerBase'),
    ('TICKER', ('BTCUSD_PERP',), 'btcusd_perp@ticker', 'FuturesTickerHandlerBase'),
    ('BOOK_TICKER', ('BTCUSD_PERP',), 'btcusd_perp@bookTicker', 'FuturesBookTickerHandlerBase'),
    ('PARTIAL_ORDER_BOOK', ('BTCUSD_PERP', 5), 'btcusd_perp@depth5', 'FuturesPartialOrderBookHandlerBase'),
    ('PARTIAL_ORDER_BOOK', ('BTCUSD_200626', 20, 100), 'btcusd_200626@depth20@100ms',
     'FuturesPartialOrderBookHandlerBase'),
    ('ORDER_BOOK', ('BTCUSD_PERP',), 'btcusd_perp@depth', 'FuturesOrderBookHandlerBase'),
    ('ORDER_BOOK', ('BTCUSD_PERP', 500), 'btcusd_perp@depth@500ms', 'FuturesOrderBookHandlerBase'),
    ('CONTRACT_INFO', (), '!contractInfo', 'FuturesContractInfoHandlerBase'),
    ('ALL_MARKET_MARK_PRICE', (), '!markPrice@arr', 'FuturesAllMarketMarkPriceHandlerBase'),
    ('ALL_MARKET_LIQUIDATION', (), '!forceOrder@arr', 'FuturesAllMarketLiquidationHandlerBase'),
    ('ALL_MARKET_MINI_TICKERS', (), '!miniTicker@arr', 'FuturesAllMarketMiniTickersHandlerBase'),
    ('ALL_MARKET_TICKERS', (), '!ticker@arr', 'FuturesAllMarketTickersHandlerBase'),
    ('ALL_MARKET_BOOK_TICKER', (), '!bookTicker', 'FuturesAllMarketBookTickerHandlerBase'),
]
# fmt: on


@pytest.mark.parametrize(('sub_type', 'params', 'wire', 'handler'), CM_STREAMS)
async def test_every_shared_row_on_coin_m(sub_type, params, wire, handler):
    sub = one('dapi', sub_type, *params)
    assert (sub.wire, sub.row.path, sub.row.connection) == (wire, None, 'data')
    expected = {name for name, cls in BASES.items() if issubclass(BASES[handler], cls)}
    assert await receivers(sub) == expected


def test_the_coin_m_transcripts_cover_every_shared_data_row():
    rows, _ = table('dapi')
    assert {n for n, row in rows.items() if row.connection == 'data'} == {case[0] for case in CM_STREAMS}
    assert rows['USER'].connection == 'user'


def test_both_markets_share_names_and_handlers_and_differ_in_paths():
    um, _ = table('fapi')
    cm, _ = table('dapi')
    assert list(um) == list(cm)
    for name in um:
        assert (um[name].wire, um[name].handler) == (cm[name].wire, cm[name].handler), name
        assert cm[name].path is None
    book = {'BOOK_TICKER', 'PARTIAL_ORDER_BOOK', 'ORDER_BOOK', 'ALL_MARKET_BOOK_TICKER'}
    assert {n: r.path for n, r in um.items() if r.connection == 'data'} == {
        n: 'public' if n in book else 'market' for n in um if n != 'USER'
    }


def test_a_label_other_than_fapi_has_one_path():
    rows, _ = table('tapi')
    assert {row.path for row in rows.values()} == {None}


@pytest.mark.parametrize(
    ('api', 'params', 'ok'),
    [
        # UM-MS lists tradifi_perpetual and 1s for continuous klines (OFF-UM 13.0.0); CM-MS does not.
        ('fapi', ('BTCUSDT', 'TRADIFI_PERPETUAL', '1m'), 'btcusdt_tradifi_perpetual@continuousKline_1m'),
        ('dapi', ('BTCUSD', 'TRADIFI_PERPETUAL', '1m'), 'contract_type'),
        ('fapi', ('BTCUSDT', 'perpetual', '1s'), 'btcusdt_perpetual@continuousKline_1s'),
        ('dapi', ('BTCUSD', 'perpetual', '1s'), 'interval'),
        ('dapi', ('BTCUSD', 'current_month', '1m'), 'contract_type'),
        ('dapi', ('BTCUSD_PERP', 'perpetual', '1m'), 'pair'),
    ],
)
def test_continuous_kline_values_per_market(api, params, ok):
    if '@' in ok:
        assert one(api, 'CONTINUOUS_KLINE', *params).wire == ok
    else:
        with pytest.raises(InvalidSubTypeParamException) as info:
            one(api, 'CONTINUOUS_KLINE', *params)
        assert info.value.param == ok


def test_contract_types_accept_str_enum_members():
    class ContractType(enum.StrEnum):
        PERPETUAL = 'PERPETUAL'

    class Plain(enum.Enum):
        NEXT = 'NEXT_QUARTER'

    assert one('dapi', 'CONTINUOUS_KLINE', 'BTCUSD', ContractType.PERPETUAL, '1m').wire == (
        'btcusd_perpetual@continuousKline_1m'
    )
    assert one('dapi', 'CONTINUOUS_KLINE', 'BTCUSD', Plain.NEXT, '1m').wire == 'btcusd_next_quarter@continuousKline_1m'


@pytest.mark.parametrize(
    ('value', 'expected'),
    [
        ('BTCUSDT', 'btcusdt'),
        ('BTCUSD_PERP', 'btcusd_perp'),
        ('btcusdt_250926', 'btcusdt_250926'),
        ('币安人生USDT', '币安人生usdt'),
    ],
)
def test_stream_symbol_lowercases_and_keeps_the_underscore(value, expected):
    assert stream_symbol(value) == expected


@pytest.mark.parametrize('value', ['', '  ', '_', 'btc usdt', 'btcusdt@depth', 'a/b', '!x', None, 1, b'BTCUSDT'])
def test_stream_symbol_refuses_what_would_break_a_stream_name(value):
    with pytest.raises(ValueError):
        stream_symbol(value)


@pytest.mark.parametrize(
    ('convert', 'value', 'expected'),
    [
        (streams.depth_speed, 250, ''),
        (streams.depth_speed, '250ms', ''),
        (streams.depth_speed, 500, '@500ms'),
        (streams.depth_speed, '100', '@100ms'),
        (streams.mark_price_speed, '1s', '@1s'),
        (streams.mark_price_speed, 1000, '@1s'),
        (streams.mark_price_speed, '3s', ''),
        (streams.mark_price_speed, 3000, ''),
        (depth_level, 5, '5'),
        (depth_level, '20', '20'),
        (streams.pair, 'BTCUSD', 'btcusd'),
        (streams.kline_interval, TimeFrame.M1, '1M'),
    ],
)
def test_converters(convert, value, expected):
    assert convert(value) == expected


@pytest.mark.parametrize(
    ('convert', 'value'),
    [
        (streams.depth_speed, 1000),
        (streams.depth_speed, True),
        (streams.depth_speed, 100.0),
        (streams.depth_speed, '1s'),
        (streams.mark_price_speed, '500ms'),
        (streams.mark_price_speed, None),
        (depth_level, 50),
        (depth_level, True),
        (streams.pair, 'BTCUSD_PERP'),
        (streams.kline_interval, '1s'),
        (streams.kline_interval, TimeFrame.Y1),
    ],
)
def test_converters_refuse(convert, value):
    with pytest.raises(ValueError):
        convert(value)


# -- COIN-M payloads (CM-MS) through the shared handler bases ------------------------------------------------------


def rows(df):
    out = []
    for i in range(len(df)):
        row = {}
        for column in df.columns:
            value = df[column][i]
            value = value.item() if hasattr(value, 'item') else value
            row[column] = None if isinstance(value, float) and math.isnan(value) else value
        out.append(row)
    return out


def typed(records):
    return [[(k, type(v).__name__, v) for k, v in record.items()] for record in records]


# Not formatted: a table of payloads and rows.
# fmt: off
CM_FRAMES = [
    # A delivery contract: funding rate "" (NA) and next funding time 0; no `ap`, so no mark_price_avg column.
    ('MarkPriceHandlerBase',
     {'e': 'markPriceUpdate', 'E': 1596095725000, 's': 'BTCUSD_201225', 'p': '10934.62615417',
      'P': '10962.17178236', 'i': '10933.62615417', 'r': '', 'T': 0},
     [{'type': 'markPriceUpdate', 'event_time': 1596095725000, 'symbol': 'BTCUSD_201225',
       'mark_price': 10934.62615417, 'index_price': 10933.62615417, 'estimated_settle_price': 10962.17178236,
       'funding_rate': None, 'next_funding_time': 0}]),
    # COIN-M force orders carry the pair (`o.ps`): the spec's "CM adds pair column".
    ('ForceOrderHandlerBase',
     {'e': 'forceOrder', 'E': 1591154240950,
      'o': {'s': 'BTCUSD_200925', 'ps': 'BTCUSD', 'S': 'SELL', 'o': 'LIMIT', 'f': 'IOC', 'q': '1', 'p': '9425.5',
            'ap': '9496.5', 'X': 'FILLED', 'l': '1', 'z': '1', 'T': 1591154240949}},
     [{'type': 'forceOrder', 'event_time': 1591154240950, 'symbol': 'BTCUSD_200925', 'pair': 'BTCUSD',
       'side': 'SELL', 'order_type': 'LIMIT', 'time_in_force': 'IOC', 'quantity': 1.0, 'price': 9425.5,
       'average_price': 9496.5, 'order_status': 'FILLED', 'last_filled_quantity': 1.0,
       'cumulative_filled_quantity': 1.0, 'trade_time': 1591154240949}]),
    ('FuturesAggTradeHandlerBase',
     {'e': 'aggTrade', 'E': 1591261134288, 'a': 424951, 's': 'BTCUSD_200626', 'p': '9643.5', 'q': '2',
      'f': 606073, 'l': 606073, 'T': 1591261134199, 'm': False},
     [{'type': 'aggTrade', 'event_time': 1591261134288, 'symbol': 'BTCUSD_200626', 'agg_trade_id': 424951,
       'price': 9643.5, 'quantity': 2.0, 'first_trade_id': 606073, 'last_trade_id': 606073,
       'trade_time': 1591261134199, 'is_buyer_maker': False}]),
    ('FuturesContractInfoHandlerBase',
     {'e': 'contractInfo', 'E': 1669647330375, 's': 'APTUSD_PERP', 'ps': 'APTUSD', 'ct': 'PERPETUAL',
      'dt': 4133404800000, 'ot': 1666594800000, 'cs': 'TRADING'},
     [{'type': 'contractInfo', 'event_time': 1669647330375, 'symbol': 'APTUSD_PERP', 'pair': 'APTUSD',
       'contract_type': 'PERPETUAL', 'delivery_time': 4133404800000, 'onboard_time': 1666594800000,
       'contract_status': 'TRADING'}]),
]
# fmt: on


@pytest.mark.parametrize(('base', 'payload', 'expected'), CM_FRAMES, ids=[case[0] for case in CM_FRAMES])
def test_coin_m_payloads_through_the_shared_bases(base, payload, expected):
    assert typed(rows(BASES[base]().receive(payload))) == typed(expected)


def test_coin_m_partial_depth_gives_two_frames():
    payload = {
        'e': 'depthUpdate', 'E': 1591269996801, 'T': 1591269996646, 's': 'BTCUSD_200626', 'ps': 'BTCUSD',
        'U': 17276694, 'u': 17276701, 'pu': 17276678,
        'b': [['9523.0', '5'], ['9522.8', '8']], 'a': [['9524.6', '2'], ['9524.7', '3']],
    }  # fmt: skip
    bids, asks = BASES['FuturesPartialOrderBookHandlerBase']().receive(payload)
    assert typed(rows(bids)) == typed([{'price': 9523.0, 'quantity': 5.0}, {'price': 9522.8, 'quantity': 8.0}])
    assert typed(rows(asks)) == typed([{'price': 9524.6, 'quantity': 2.0}, {'price': 9524.7, 'quantity': 3.0}])


# -- a one-path futures market against the shared fake ------------------------------------------------------------

TOY = futures_plugin(
    name='toycm',
    client_name='ToyCoinClient',
    api='dapi',
    stream='tstream',
    shared_optional=dict.fromkeys(MARKET_OPTIONAL, ()),
)


class _ToyFake:
    row = FuturesFake(market='toycm', rest_root='/dapi')

    @hookimpl
    def binance_fake_exchange(self, market, exchange):
        teach(self.row, market, exchange)


async def test_a_one_path_market_subscribes_contract_codes_on_stream_and_delivers_frames():
    pm = make_testing_plugin_manager([TOY, _ToyFake()], load_entry_points=False)
    assembly = assemble(pm)
    client_class, sub_type = assembly.clients['ToyCoinClient'], assembly.sub_type
    frames = []

    class Books(BASES['FuturesBookTickerHandlerBase']):
        def receive(self, payload):
            frames.append(super().receive(payload))

    async with FakeExchange('toycm', pm=pm) as fx, client_class(**fx.client_kwargs()) as client:
        client.handler(Books())
        async with asyncio.timeout(5):
            await client.subscribe(
                (sub_type.BOOK_TICKER, 'BTCUSD_PERP'), (sub_type.CONTINUOUS_KLINE, 'BTCUSD', 'NEXT_QUARTER', '1m')
            )
            assert fx.subscriptions() == {'btcusd_perp@bookTicker', 'btcusd_next_quarter@continuousKline_1m'}
            assert fx.stream_urls == ['/stream']  # COIN-M did not split its stream URLs
            await fx.push(
                'btcusd_perp@bookTicker',
                {'e': 'bookTicker', 'u': 17242169, 's': 'BTCUSD_PERP', 'ps': 'BTCUSD', 'b': '9548.1', 'B': '52',
                 'a': '9548.5', 'A': '11', 'T': 1591268628155, 'E': 1591268628166},
            )  # fmt: skip
            while not frames:
                await asyncio.sleep(0.01)
    assert rows(frames[0])[0]['pair'] == 'BTCUSD' and rows(frames[0])[0]['bid_price'] == 9548.1
