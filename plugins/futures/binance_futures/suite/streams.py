"""Stream checks every futures plugin's tests run, written once: the stream-type rows and handler bases against
hand-written transcripts (:class:`StreamTypeChecks`), and the market streams against the fake exchange
(:class:`StreamChecks`).

A plugin's test module subclasses one as ``Test<Something>`` and sets its market's data as class attributes: its
transcripts (``SubType`` and params -> stream name, URL path and handler base; a docs payload -> the rows of its
frame), written from Binance's pages for that market (UM-MS / CM-MS), never from the rows. A check marked with
:func:`each` runs once per row of the subclass's table. What only one market has stays in its own module.

Imported only by tests (it needs pytest and the test kit, ``binance-sdk-testing``). It imports neither market's
package: each market's suite runs in an environment without the other.
"""

from __future__ import annotations

import asyncio
import enum
import math
import time
from collections.abc import Sequence
from typing import Any, ClassVar

import pytest
from volas import TimeFrame

import binance
from binance_core.assembly import MarketAssembly
from binance_core.exceptions import (
    InvalidSubParamsException,
    InvalidSubTypeParamException,
    TooManyStreamsException,
    UnsupportedSubTypeException,
)
from binance_core.handlers.dispatch import Dispatcher
from binance_core.orderbook.managed import OrderBookHandlerBase
from binance_core.specs import StreamType
from binance_core.subscriptions import parse
from binance_futures.userdata import USER_HANDLER_BASES
from binance_testing import FakeExchange

__all__ = ['BOOK_DATA', 'StreamChecks', 'StreamTypeChecks', 'collector', 'each', 'frame_rows', 'typed', 'until']

# WSN (2026-04-23): the book data a USDⓈ-M client reads on `/public`; everything else rides `/market`. COIN-M has
# one path for both (CM-MS), which its suite says by giving both the same path.
BOOK_DATA = frozenset({'BOOK_TICKER', 'PARTIAL_ORDER_BOOK', 'ORDER_BOOK', 'ALL_MARKET_BOOK_TICKER'})

# Every user-event handler base comes with the listenKey flow (binance_futures.userdata), not with a stream row.
_USER_BASES = frozenset(cls.__name__ for cls in USER_HANDLER_BASES)
# The managed books keep Decimal levels, never a frame (the order-book suite checks them).
_NO_FRAME = frozenset({'FuturesPartialOrderBookHandlerBase', 'FuturesOrderBookHandlerBase', 'OrderBookHandlerBase'})


def each(table: str, argnames: tuple[str, ...] | str, ids: Any = None) -> Any:
    """Run the decorated check once per row of the subclass's *table*: an attribute holding the rows, or a method
    returning them. *ids*, if given, names a row (``ids(row) -> str``)."""

    def mark(fn: Any) -> Any:
        fn.each = (table, argnames, ids)
        return fn

    return mark


class _Tables:
    """Parametrizes the checks marked with :func:`each` from the collected subclass's tables (pytest calls a
    class's ``pytest_generate_tests`` for each of its test functions)."""

    def pytest_generate_tests(self, metafunc: Any) -> None:
        spec = getattr(metafunc.function, 'each', None)
        if spec is None:
            return
        table, argnames, ids = spec
        rows = getattr(self, table)
        rows = list(rows() if callable(rows) else rows)
        metafunc.parametrize(argnames, rows, ids=None if ids is None else [ids(row) for row in rows])


async def until(predicate: Any, seconds: float = 5) -> None:
    """Wait for *predicate* to hold, at most *seconds* (then ``TimeoutError``)."""
    async with asyncio.timeout(seconds):
        # Polling the fake exchange's state in a bounded loop is the clearest wait in a test.
        while not predicate():  # noqa: ASYNC110
            await asyncio.sleep(0.005)


def frame_rows(df: Any) -> list[dict[str, Any]]:
    """A frame as a list of dicts of Python values (NaN -> None), column order kept."""
    out = []
    for i in range(len(df)):
        row = {}
        for column in df.columns:
            value = df[column][i]
            value = value.item() if hasattr(value, 'item') else value
            row[column] = None if isinstance(value, float) and math.isnan(value) else value
        out.append(row)
    return out


def typed(records: list[dict[str, Any]]) -> list[list[tuple[str, str, Any]]]:
    """Rows as ``(column, type name, value)``: a float where an int was expected fails, and so does column order."""
    return [[(k, type(v).__name__, v) for k, v in record.items()] for record in records]


def _partial_depth(symbol: str) -> dict[str, Any]:
    # UM-MS / CM-MS "Partial Book Depth Streams": levels in `b` and `a` (Spot's payload has `bids` / `asks`).
    return {
        'e': 'depthUpdate', 'E': 1571889248277, 'T': 1571889248276, 's': symbol,
        'U': 390497796, 'u': 390497878, 'pu': 390497794,
        'b': [['7403.89', '0.002'], ['7403.90', '3.906'], ['7404.00', '1.428']],
        'a': [['7405.96', '3.340'], ['7406.63', '4.525']],
    }  # fmt: skip


class _Market(_Tables):
    """The market under test, from the subclass's attributes.

    Attributes:
        market: the market's name (``'usdm'``).
        symbol, other_symbol: two contracts as Binance spells them (``'BTCUSD_PERP'``).
        pair: an underlying pair (``'BTCUSD'``).
        book_path, other_path: the URL path of the book-data streams (:data:`BOOK_DATA`) and of the rest,
            ``None`` for the one path of a market that did not split.
        FOREIGN: ``SubType`` names other markets offer and this one must refuse.
    """

    market: ClassVar[str]
    symbol: ClassVar[str]
    other_symbol: ClassVar[str]
    pair: ClassVar[str]
    book_path: ClassVar[str | None]
    other_path: ClassVar[str | None]
    FOREIGN: ClassVar[tuple[str, ...]]

    @property
    def assembled(self) -> MarketAssembly:
        return binance.assembly.markets[self.market]

    @property
    def rows(self) -> dict[str, StreamType]:
        return self.assembled.stream_types

    @property
    def bases(self) -> dict[str, type]:
        return self.assembled.handler_bases

    def market_data_bases(self) -> set[str]:
        return {name for name in self.bases if name not in _USER_BASES}

    def foreign(self) -> list[str]:
        # Spot's TRADE too: SubType is the union over the installed markets.
        return ['TRADE', *self.FOREIGN]

    @staticmethod
    def foreign_sub_types(names: Any) -> Any:
        """A ``SubType`` enum holding *names*, as the facade's would with the other markets installed."""
        return enum.Enum('SubType', [(n, n) for n in dict.fromkeys(names)])


class StreamTypeChecks(_Market):
    """The stream-type rows and handler bases of a futures market, without a server.

    Attributes (besides :class:`_Market`'s):
        STREAMS: ``(SubType name, params, stream name, URL path, handler base)`` for every data ``SubType``.
        FRAMES: ``(handler base, docs payload, expected rows)`` for every market-data base that makes a frame.
        PARAM_ERRORS: ``(SubType name, params, param)``: the market's own refused values (the shared ones are
            here, in :meth:`param_errors`).
        COUNT_ERRORS: ``(SubType name, params, call shown)``: the market's own wrong param counts.
    """

    STREAMS: ClassVar[Sequence[tuple[Any, ...]]]
    FRAMES: ClassVar[Sequence[tuple[Any, ...]]]
    PARAM_ERRORS: ClassVar[Sequence[tuple[Any, ...]]] = ()
    COUNT_ERRORS: ClassVar[Sequence[tuple[Any, ...]]] = ()

    def one(self, *args: Any) -> Any:
        (sub,) = parse(args, self.rows, binance.SubType, market=self.market)
        return sub

    async def receivers(self, sub: Any) -> set[str]:
        """The handler bases whose instances a frame of *sub*'s stream reaches, through a real Dispatcher with one
        instance of every handler base the market exports."""
        got = set()
        dispatcher = Dispatcher()
        for name, base in self.bases.items():

            def receive(self: Any, payload: Any, name: str = name) -> None:
                got.add(name)

            dispatcher.add(type(f'Recording{name}', (base,), {'receive': receive})())
        dispatcher.route(sub.wire, sub.row.handler)
        await dispatcher.dispatch_stream(sub.wire, {})
        return got

    # -- rows --------------------------------------------------------------------------------------------------

    @each('STREAMS', ('sub_type', 'params', 'wire', 'path', 'handler'))
    async def test_every_stream_row_against_its_transcript(self, sub_type, params, wire, path, handler):
        sub = self.one(binance.SubType[sub_type], *params)
        assert sub.wire == wire
        assert sub.row.path == path
        assert sub.row.connection == 'data'
        # The named base receives the frames, and so do only the exported bases it derives from (a
        # FuturesOrderBookHandlerBase is an OrderBookHandlerBase).
        expected = {name for name, cls in self.bases.items() if issubclass(self.bases[handler], cls)}
        assert await self.receivers(sub) == expected

    def test_every_data_sub_type_of_the_market_has_a_transcript(self):
        offered = {name for name, row in self.rows.items() if row.connection == 'data' and not row.unsupported}
        assert offered == {case[0] for case in self.STREAMS}

    def test_every_market_data_handler_base_is_reached_by_a_stream(self):
        reached = {case[4] for case in self.STREAMS} | {'OrderBookHandlerBase'}  # the managed book's own class
        assert reached == self.market_data_bases()

    def test_book_data_and_the_rest_ride_their_paths(self):
        paths = {name: row.path for name, row in self.rows.items() if row.connection == 'data'}
        assert paths == {name: self.book_path if name in BOOK_DATA else self.other_path for name in paths}

    def test_user_is_the_user_connection(self):
        sub = self.one(binance.SubType.USER)
        assert sub.wire is None and sub.row.connection == 'user'

    # -- params --------------------------------------------------------------------------------------------------

    def param_errors(self) -> list[tuple[Any, ...]]:
        """Values both markets' pages refuse, then the market's own (:attr:`PARAM_ERRORS`)."""
        s, p = self.symbol, self.pair
        # Not formatted: a table: one case per entry.
        # fmt: off
        return [
            # UM-MS / CM-MS "Kline/Candlestick Streams": 1m ... 1M; no 1s (FUTURES-API.md §7).
            ('KLINE', (s, '1s'), 'interval'),
            ('KLINE', (s, TimeFrame.s1), 'interval'),
            ('KLINE', (s, '2m'), 'interval'),
            ('KLINE', (s, TimeFrame.Y1), 'interval'),
            ('KLINE', (s, '1H'), 'interval'),
            # Neither market lists these contract types (OFF-UM 13.0.0 removed them; CM-MS never had them).
            ('CONTINUOUS_KLINE', (p, 'current_month', '1m'), 'contract_type'),
            ('CONTINUOUS_KLINE', (p, 'NEXT_MONTH', '1m'), 'contract_type'),
            ('CONTINUOUS_KLINE', (p, 'PERPETUAL_DELIVERING', '1m'), 'contract_type'),
            ('CONTINUOUS_KLINE', (p, 3, '1m'), 'contract_type'),
            ('CONTINUOUS_KLINE', (f'{p}_PERP', 'perpetual', '1m'), 'pair'),  # a contract code, not a pair
            ('CONTINUOUS_KLINE', (p, 'perpetual', '7m'), 'interval'),
            ('MARK_PRICE', (s, '2s'), 'speed'),
            ('MARK_PRICE', (s, True), 'speed'),
            ('ALL_MARKET_MARK_PRICE', ('500ms',), 'speed'),
            # Spot's 1000 ms is no futures depth speed (250 / 500 / 100).
            ('ORDER_BOOK', (s, 1000), 'speed'),
            ('ORDER_BOOK', (s, True), 'speed'),
            ('ORDER_BOOK', (s, 'fast'), 'speed'),
            ('ORDER_BOOK', (s, 100.0), 'speed'),
            ('PARTIAL_ORDER_BOOK', (s, 15), 'level'),
            ('PARTIAL_ORDER_BOOK', (s, 5.0), 'level'),
            ('PARTIAL_ORDER_BOOK', (s, 5, 1000), 'speed'),
            ('AGG_TRADE', ('',), 'symbol'),
            ('AGG_TRADE', ('___',), 'symbol'),
            ('AGG_TRADE', (s.replace('USD', ' USD'),), 'symbol'),
            ('TICKER', (f'{s.lower()}@depth',), 'symbol'),
            ('MINI_TICKER', (s.replace('USD', '/USD'),), 'symbol'),
            ('BOOK_TICKER', (None,), 'symbol'),
            ('FORCE_ORDER', (s.encode(),), 'symbol'),
            *self.PARAM_ERRORS,
        ]
        # fmt: on

    @each('param_errors', ('sub_type', 'params', 'param'))
    def test_param_errors_name_the_param(self, sub_type, params, param):
        with pytest.raises(InvalidSubTypeParamException) as info:
            self.one(binance.SubType[sub_type], *params)
        assert f'SubType.{sub_type}: invalid {param}=' in str(info.value)
        assert (info.value.sub_type, info.value.param) == (sub_type, param)

    def count_errors(self) -> list[tuple[Any, ...]]:
        """Wrong numbers of params for the shared rows, then the market's own (:attr:`COUNT_ERRORS`)."""
        s, p = self.symbol, self.pair
        return [
            ('KLINE', (s,), 'SubType.KLINE(symbol, interval)'),
            ('CONTINUOUS_KLINE', (p, 'perpetual'), 'SubType.CONTINUOUS_KLINE(pair, contract_type, interval)'),
            ('MARK_PRICE', (), 'SubType.MARK_PRICE(symbol[, speed=3s])'),
            ('ORDER_BOOK', (s, 100, 1), 'SubType.ORDER_BOOK(symbol[, speed=250])'),
            ('PARTIAL_ORDER_BOOK', (s,), 'SubType.PARTIAL_ORDER_BOOK(symbol, level[, speed=250])'),
            ('CONTRACT_INFO', (s,), 'SubType.CONTRACT_INFO()'),
            ('ALL_MARKET_BOOK_TICKER', (s,), 'SubType.ALL_MARKET_BOOK_TICKER()'),
            ('ALL_MARKET_MARK_PRICE', ('1s', '1s'), 'SubType.ALL_MARKET_MARK_PRICE([speed=3s])'),
            ('USER', ('x',), 'SubType.USER()'),
            *self.COUNT_ERRORS,
        ]

    @each('count_errors', ('sub_type', 'params', 'shown'))
    def test_wrong_number_of_params_shows_the_expected_call(self, sub_type, params, shown):
        with pytest.raises(InvalidSubParamsException) as info:
            self.one(binance.SubType[sub_type], *params)
        assert type(info.value) is InvalidSubParamsException
        assert shown in str(info.value)

    @each('foreign', 'name')
    def test_sub_types_of_other_markets_are_not_offered(self, name):
        other = self.foreign_sub_types((*self.rows, name))
        with pytest.raises(UnsupportedSubTypeException, match=f'SubType.{name} is not offered on the {self.market}'):
            parse((other[name],), self.rows, other, market=self.market)

    def test_cross_product_and_symbol_spellings(self):
        s, o = self.symbol.lower(), self.other_symbol.lower()
        sub_type = binance.SubType
        args = ([sub_type.AGG_TRADE, sub_type.ORDER_BOOK], [self.symbol, s, self.other_symbol])
        subs = parse(args, self.rows, sub_type)
        assert [(x.wire, x.row.path) for x in subs] == [
            (f'{s}@aggTrade', self.other_path),
            (f'{o}@aggTrade', self.other_path),
            (f'{s}@depth', self.book_path),
            (f'{o}@depth', self.book_path),
        ]

    # -- handler bases: payload (Binance's docs) -> DataFrame ------------------------------------------------------

    @each('FRAMES', ('base', 'payload', 'expected'), ids=lambda case: case[0])
    def test_every_handler_base_turns_a_docs_payload_into_its_frame(self, base, payload, expected):
        handler = self.bases[base]()
        # Registered on a client of this market, as a user's is: a base may name the same wire key otherwise
        # on another market (HandlerBase.columns_by_market: COIN-M's `q` is base-asset volume).
        client_class = binance.assembly.markets[self.market].client_class
        assert client_class is not None
        client_class().handler(handler)
        df = handler.receive(payload)
        assert typed(frame_rows(df)) == typed(expected)

    def test_every_market_data_handler_base_has_a_frame_case(self):
        assert {case[0] for case in self.FRAMES} | _NO_FRAME == self.market_data_bases()

    def test_partial_depth_gives_bids_and_asks_frames(self):
        bids, asks = self.bases['FuturesPartialOrderBookHandlerBase']().receive(_partial_depth(self.symbol))
        in_payload_order = [[7403.89, 0.002], [7403.9, 3.906], [7404.0, 1.428]]
        assert typed(frame_rows(bids)) == typed([{'price': p, 'quantity': q} for p, q in in_payload_order])
        assert typed(frame_rows(asks)) == typed(
            [{'price': 7405.96, 'quantity': 3.34}, {'price': 7406.63, 'quantity': 4.525}]
        )

    def test_the_futures_order_book_base_is_the_managed_book(self):
        cls = self.bases['FuturesOrderBookHandlerBase']
        assert issubclass(cls, OrderBookHandlerBase) and self.bases['OrderBookHandlerBase'] is OrderBookHandlerBase
        assert cls.as_frame is False and cls.event == 'depthUpdate'

    def test_as_frame_false_returns_the_payload(self):
        class Raw(self.bases['FuturesBookTickerHandlerBase']):  # type: ignore[misc,name-defined]
            as_frame = False

        class RawDepth(self.bases['FuturesPartialOrderBookHandlerBase']):  # type: ignore[misc,name-defined]
            as_frame = False

        [payload] = [case[1] for case in self.FRAMES if case[0] == 'FuturesBookTickerHandlerBase']
        assert Raw().receive(payload) is payload
        depth: dict[str, Any] = {'b': [], 'a': []}
        assert RawDepth().receive(depth) is depth


# -- against the fake exchange -------------------------------------------------------------------------------------


class _Policy:
    """A stream retry policy that records each failure count and retries at once."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def __call__(self, info: Any) -> tuple[bool, float]:
        self.calls.append(info.fails)
        return False, 0.01


def collector(base: type) -> Any:
    """A handler of *base* that keeps what ``super().receive`` returns."""

    class Collect(base):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.got: list[Any] = []

        def receive(self, payload: Any) -> None:
            self.got.append(super().receive(payload))

    return Collect()


class StreamChecks(_Market):
    """A futures market's streams against ``FakeExchange(market)``.

    Attributes (besides :class:`_Market`'s):
        client: the market's client class.
        numbered: a contract name with a ``{}`` for a number (``'S{}USDT'``), for many streams at once.
        WIRE: ``(subscribe args, stream name, URL path of the connection)`` for every data ``SubType``, the args
            naming the ``SubType`` member by its name.
        PUSHED: ``(stream name, handler base, docs payload, expected first row)``: frames that must reach their
            bases, one per stream; the streams are among those :meth:`test_frames_reach_their_bases` subscribes.
        BAD_PARAMS: ``(subscribe args, exception name)``: the market's own params refused before sending.
    """

    client: ClassVar[Any]
    numbered: ClassVar[str]
    WIRE: ClassVar[Sequence[tuple[Any, ...]]]
    PUSHED: ClassVar[Sequence[tuple[Any, ...]]]
    BAD_PARAMS: ClassVar[Sequence[tuple[Any, ...]]] = ()

    @pytest.fixture
    async def fx(self):
        async with FakeExchange(self.market) as exchange:
            yield exchange

    @staticmethod
    def args(names_and_params: tuple[Any, ...]) -> tuple[Any, ...]:
        """``('KLINE', 'BTCUSDT', '1m')`` -> ``(SubType.KLINE, 'BTCUSDT', '1m')``."""
        name, *params = names_and_params
        return (binance.SubType[name], *params)

    def url(self, path: str | None) -> str:
        return f'/{path}/stream' if path else '/stream'

    @each('WIRE', ('args', 'wire', 'url'), ids=lambda case: case[1])
    async def test_each_sub_type_subscribes_its_stream_on_its_path(self, fx, args, wire, url):
        async with self.client(**fx.client_kwargs()) as client:
            async with asyncio.timeout(5):
                await client.subscribe(*self.args(args))
            assert fx.subscriptions() == {wire}
            assert fx.stream_urls == [url]
            [control] = fx.requests_for('SUBSCRIBE')
            assert control.params == [wire]

    def test_every_data_sub_type_has_a_functional_case(self):
        assert {n for n, r in self.rows.items() if r.connection == 'data'} == {args[0] for args, _, _ in self.WIRE}

    async def test_frames_reach_their_bases_on_every_path(self, fx):
        s, o = self.symbol.lower(), self.other_symbol.lower()
        book = {f'{s}@bookTicker', f'{o}@bookTicker', f'{s}@depth', f'{o}@depth', '!bookTicker'}
        other = {f'{s}@aggTrade', f'{o}@aggTrade', f'{s}@markPrice@1s'}
        sub_type = binance.SubType
        handlers = {base: collector(self.bases[base]) for _, base, _, _ in self.PUSHED}
        async with self.client(**fx.client_kwargs()) as client:
            client.handler(*handlers.values())
            async with asyncio.timeout(5):
                await client.subscribe(
                    ([sub_type.BOOK_TICKER, sub_type.ORDER_BOOK, sub_type.AGG_TRADE], [self.symbol, self.other_symbol]),
                    (sub_type.MARK_PRICE, self.symbol, '1s'),
                    (sub_type.ALL_MARKET_BOOK_TICKER,),
                )
                assert sorted(fx.stream_urls) == sorted({self.url(self.book_path), self.url(self.other_path)})
                streams = {path: set(conn.streams) for path, conn in client._streams.connections.items()}
                if self.book_path == self.other_path:
                    assert streams == {self.book_path: book | other}
                else:
                    assert streams == {self.book_path: book, self.other_path: other}
                for wire, _, payload, _ in self.PUSHED:
                    assert wire in book | other
                    await fx.push(wire, payload)
                await until(lambda: all(h.got for h in handlers.values()))
                await asyncio.sleep(0.05)  # a frame delivered twice, or to a second base, would arrive now
        for _, base, _, expected in self.PUSHED:
            [df] = handlers[base].got
            assert typed(frame_rows(df)) == typed([expected])

    async def test_partial_depth_reaches_its_handler_as_bids_and_asks_frames(self, fx):
        depth = collector(self.bases['FuturesPartialOrderBookHandlerBase'])
        async with self.client(**fx.client_kwargs()) as client:
            client.handler(depth)
            async with asyncio.timeout(5):
                await client.subscribe(binance.SubType.PARTIAL_ORDER_BOOK, self.symbol, 5, 100)
                await fx.push(f'{self.symbol.lower()}@depth5@100ms', _partial_depth(self.symbol))
                await until(lambda: depth.got)
        bids, asks = depth.got[0]
        assert list(bids['price']) == [7403.89, 7403.9, 7404.0] and list(bids['quantity']) == [0.002, 3.906, 1.428]
        assert list(asks['price']) == [7405.96, 7406.63] and list(asks['quantity']) == [3.34, 4.525]
        assert fx.stream_urls == [self.url(self.book_path)]

    async def test_a_drop_replays_each_path_on_its_own_connection(self, fx):
        trades = collector(self.bases['FuturesAggTradeHandlerBase'])
        policy = _Policy()
        sub_type = binance.SubType
        s = self.symbol.lower()
        urls = sorted({self.url(self.book_path), self.url(self.other_path)})
        async with self.client(stream_retry_policy=policy, **fx.client_kwargs()) as client:
            client.handler(trades)
            async with asyncio.timeout(10):
                await client.subscribe((sub_type.AGG_TRADE, self.symbol), (sub_type.ORDER_BOOK, self.symbol))
                await fx.drop_connections('stream')
                await until(
                    lambda: (
                        fx.stream_connections == 2 * len(urls) and fx.subscriptions() == {f'{s}@aggTrade', f'{s}@depth'}
                    )
                )
                assert sorted(fx.stream_urls) == sorted(urls * 2)
                trade = {'e': 'aggTrade', 'E': 1, 's': self.symbol, 'a': 1, 'p': '1', 'q': '1', 'f': 1, 'l': 1, 'T': 1}
                await fx.push(f'{s}@aggTrade', {**trade, 'm': False})
                await until(lambda: trades.got)
        assert policy.calls == [1] * len(urls)  # one failure per connection, each replayed

    @each('foreign', 'name')
    async def test_sub_types_of_other_markets_are_refused_before_anything_is_sent(self, fx, name):
        other = self.foreign_sub_types((*binance.SubType.__members__, name))
        async with self.client(**fx.client_kwargs()) as client:
            with pytest.raises(UnsupportedSubTypeException, match=f'not offered on the {self.market} market'):
                await client.subscribe(other[name], self.symbol)
        assert fx.requests == [] and fx.stream_connections == 0

    # -- limits: 200 streams per connection, 10 messages per second (UM-MS, CM-MS; FUTURES-API.md §3, §8 trap 8) --

    async def test_the_201st_stream_on_one_connection_raises_before_sending(self, fx):
        sub_type = binance.SubType
        symbols = [self.numbered.format(i) for i in range(200)]
        async with self.client(**fx.client_kwargs()) as client:
            async with asyncio.timeout(10):
                await client.subscribe([sub_type.AGG_TRADE], symbols)
                assert len(fx.subscriptions()) == 200
                sent = len(fx.requests_for('SUBSCRIBE'))
                with pytest.raises(TooManyStreamsException) as info:
                    await client.subscribe(sub_type.TICKER, self.symbol)
                assert (info.value.requested, info.value.limit) == (201, 200)
                assert len(fx.requests_for('SUBSCRIBE')) == sent  # refused locally: nothing went out
                assert f'{self.symbol.lower()}@ticker' not in fx.subscriptions()
                # The cap is per connection: book data goes elsewhere only where the market split its paths.
                if self.book_path == self.other_path:
                    with pytest.raises(TooManyStreamsException):
                        await client.subscribe(sub_type.ORDER_BOOK, self.symbol)
                else:
                    await client.subscribe(sub_type.ORDER_BOOK, self.symbol)
                    assert f'{self.symbol.lower()}@depth' in fx.subscriptions()
        assert sorted(fx.stream_urls) == sorted({self.url(self.book_path), self.url(self.other_path)})

    async def test_201_streams_at_once_raise_before_connecting(self, fx):
        async with self.client(**fx.client_kwargs()) as client:
            with pytest.raises(TooManyStreamsException) as info:
                symbols = [self.numbered.format(i) for i in range(201)]
                await client.subscribe([binance.SubType.MINI_TICKER], symbols)
        assert (info.value.requested, info.value.limit) == (201, 200)
        assert fx.requests == [] and fx.stream_connections == 0

    async def test_control_messages_keep_under_10_per_second_on_one_connection(self, fx):
        # The fake closes a connection over Binance's 10 incoming messages/s (futures; Spot allows 5).
        assert fx.stream_message_limit == 10
        async with self.client(**fx.client_kwargs()) as client:
            started = time.monotonic()
            async with asyncio.timeout(10):
                for i in range(15):
                    await client.subscribe(binance.SubType.AGG_TRADE, self.numbered.format(i))
            elapsed = time.monotonic() - started
            assert len(fx.subscriptions()) == 15
        assert fx.stream_connections == 1  # never cut off for flooding
        assert elapsed >= 0.9  # the 11th message waited about a second, for the window to move on

    def bad_params(self) -> list[tuple[Any, ...]]:
        """Params both markets refuse before sending anything, then the market's own (:attr:`BAD_PARAMS`)."""
        s, p = self.symbol, self.pair
        return [
            (('PARTIAL_ORDER_BOOK', s, 15), 'InvalidSubTypeParamException'),
            (('ORDER_BOOK', s, 1000), 'InvalidSubTypeParamException'),
            (('KLINE', s, '1s'), 'InvalidSubTypeParamException'),
            (('CONTINUOUS_KLINE', p, 'CURRENT_MONTH', '1m'), 'InvalidSubTypeParamException'),
            (('MARK_PRICE', s, '5s'), 'InvalidSubTypeParamException'),
            (('KLINE', s), 'InvalidSubParamsException'),
            (('CONTRACT_INFO', s), 'InvalidSubParamsException'),
            *self.BAD_PARAMS,
        ]

    @each('bad_params', ('args', 'error'))
    async def test_bad_params_are_refused_before_anything_is_sent(self, fx, args, error):
        async with self.client(**fx.client_kwargs()) as client:
            with pytest.raises(getattr(binance, error)) as info:
                await client.subscribe(*self.args(args))
        assert type(info.value).__name__ == error
        assert fx.requests == [] and fx.stream_connections == 0
