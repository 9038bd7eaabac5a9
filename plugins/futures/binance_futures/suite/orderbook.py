"""Order-book checks every futures plugin's tests run, written once (:class:`OrderBookChecks`): managed books
against the fake exchange, checked against a true book kept by the test that publishes futures diff events
(``U``, ``u``, ``pu``) and serves REST ``depth`` snapshots. The ``pu`` chain rule in use (gaps in ``U`` are
normal on futures), a ``pu`` break and a reconnect recover to the true book, the book is never ready while
wrong, and a book whose stream is confirmed is ready on a snapshot taken after the confirmation, also a
stand-alone ``OrderBook(symbol, client=...)``.

Binance UM / CM "How to manage a local order book correctly" (FUTURES-API.md §5): drop events with
``u < lastUpdateId``; the first applied event has ``U <= lastUpdateId <= u``; every later one has ``pu`` equal
to the previous ``u``, else the book is discarded and fetched again.

A plugin's test module subclasses it as ``Test<Something>`` and sets its market as class attributes.
Imported only by tests; it imports neither market's package.
"""

from __future__ import annotations

import asyncio
import random
from decimal import Decimal
from typing import Any, ClassVar

import pytest

from binance_core import SecurityType
from binance_core.orderbook.managed import OrderBook, OrderBookHandlerBase
from binance_futures.handlers import FuturesOrderBookHandlerBase
from binance_futures.sequencing import FUTURES_RULE
from binance_futures.suite.streams import until
from binance_testing import FakeExchange

__all__ = ['Exchange', 'OrderBookChecks', 'TrueBook']

TICK = Decimal('0.1')
LEVELS = 60  # price levels per side: fewer than the snapshot limit used, so every snapshot is the whole book


class TrueBook:
    """The exchange's book of one symbol: the futures diff events it publishes and the snapshots it serves.

    Futures update ids are shared across symbols, so one symbol's events skip ids: each event's ``U`` is 1-3
    past the previous ``u``, and ``pu`` (the previous event's ``u``) is what chains them.

    Attributes:
        uid: the last update id; ``history[u]`` is the book (ascending ``[price, qty]`` lists) after the event
            ending at ``u``.
        fields: what the market's diff events and snapshots carry besides the fields both markets send:
            ``(event fields, snapshot fields)``, e.g. COIN-M's ``ps`` and ``symbol``/``pair``.
    """

    def __init__(self, symbol, rng, mid, uid=5_000, fields=({}, {})):
        self.symbol = symbol
        self.stream = symbol.lower() + '@depth'
        self.rng = rng
        self.event_fields, self.snapshot_fields = fields
        self.bid_grid = [mid - TICK * i for i in range(1, LEVELS + 1)]
        self.ask_grid = [mid + TICK * i for i in range(LEVELS)]
        self.bids = {p: self._qty() for p in rng.sample(self.bid_grid, LEVELS // 2)}
        self.asks = {p: self._qty() for p in rng.sample(self.ask_grid, LEVELS // 2)}
        self.uid = uid
        self.ids = [uid]
        self.history = {uid: self.state()}

    def _qty(self):
        return Decimal(self.rng.randint(1, 10**6)) / 1000

    def state(self):
        return ([[p, self.bids[p]] for p in sorted(self.bids)], [[p, self.asks[p]] for p in sorted(self.asks)])

    def change(self):
        """Advance the book by one diff event and return it (Binance "Diff. Book Depth Streams" shape)."""
        rng = self.rng
        diff: dict[str, dict[Decimal, Decimal]] = {'b': {}, 'a': {}}
        for _ in range(rng.randint(1, 4)):
            key, side, grid = ('b', self.bids, self.bid_grid) if rng.random() < 0.5 else ('a', self.asks, self.ask_grid)
            price = rng.choice(grid)
            # Quantity 0 removes a level; removing an absent level is normal (FUTURES-API.md §5 step 6).
            qty = Decimal(0) if rng.random() < 0.35 else self._qty()
            if qty:
                side[price] = qty
            else:
                side.pop(price, None)
            diff[key][price] = qty
        previous = self.uid
        first = previous + rng.randint(1, 3)  # U need not be previous u + 1 on futures
        self.uid = first + rng.randint(0, 2)
        self.ids.append(self.uid)
        self.history[self.uid] = self.state()
        return {
            'e': 'depthUpdate',
            'E': 1_700_000_000_000 + self.uid,
            'T': 1_700_000_000_000 + self.uid,
            's': self.symbol,
            **self.event_fields,
            'U': first,
            'u': self.uid,
            'pu': previous,
            'b': [[f'{p:.2f}', f'{q:.3f}'] for p, q in diff['b'].items()],
            'a': [[f'{p:.2f}', f'{q:.3f}'] for p, q in diff['a'].items()],
        }

    def snapshot(self, limit, uid=None):
        """Binance's REST ``depth`` answer at *uid* (default: now): best first, at most *limit* per side, prices
        without trailing zeros (unlike the diffs: levels must match by value)."""
        uid = self.uid if uid is None else uid
        bids, asks = self.history[uid]

        def text(levels):
            return [[f'{p.normalize():f}', f'{q.normalize():f}'] for p, q in levels[:limit]]

        at = 1_700_000_000_000 + uid
        return {
            'lastUpdateId': uid,
            **self.snapshot_fields,
            'E': at,
            'T': at,
            'bids': text(bids[::-1]),
            'asks': text(asks),
        }


class Exchange:
    """Serves the true books' snapshots on REST ``GET <root>/v1/depth``, with faults on demand.

    Attributes:
        stale: answer this many more snapshot requests with a state 5-40 updates old.
        gate: when set to an ``asyncio.Event``, snapshot answers wait for it.
    """

    def __init__(self, fx, path, *books):
        self.books = {b.symbol: b for b in books}
        self.stale = 0
        self.gate: asyncio.Event | None = None
        self.served_stale = 0
        # Binance `depth` weight by limit (FUTURES-API.md §1, §5): 5/10/20/50 -> 2, 100 -> 5, 500 -> 10, 1000 -> 20.
        fx.rest_route('GET', path, self.depth, security=SecurityType.NONE, weight=5)

    async def depth(self, req):
        book = self.books[req.params['symbol']]
        uid = None
        if self.stale:
            self.stale -= 1
            self.served_stale += 1
            uid = book.ids[max(0, len(book.ids) - book.rng.randint(5, 40))]
        snapshot = book.snapshot(int(req.params.get('limit', 500)), uid)
        if self.gate is not None:
            await self.gate.wait()
        return snapshot


def levels(book):
    return book.bids, book.asks


def check(book, truth, violations):
    """The guarantee: whenever the book names an update id, its levels are the true book at that id; whenever it
    is ready, it names one."""
    u = book.last_update_id
    if u is None:
        if book.ready:
            violations.append(('ready without an update id', book.ready))
        return
    if levels(book) != truth.history[u]:
        violations.append((u, book.ready))


class Watched(FuturesOrderBookHandlerBase):
    """The futures order-book handler, checking the guarantee after every event it feeds."""

    def __init__(self, truths, **kwargs):
        super().__init__(**kwargs)
        self.truths = {t.symbol: t for t in truths}
        self.violations = []
        self.fed = {}
        self.log = []  # (u, ready) after each event

    def receive(self, payload):
        book = super().receive(payload)
        self.fed[payload['s']] = payload['u']
        self.log.append((payload['u'], book.ready))
        check(book, self.truths[payload['s']], self.violations)
        return book


class Policy:
    def __init__(self):
        self.calls = []

    def __call__(self, info):
        self.calls.append(info.fails)
        return False, 0.01


async def settle(fx, truth, book, seconds=5):
    """Publish a fresh change now and then until the book is ready at the true book's last update id."""
    waiter = None
    try:
        async with asyncio.timeout(seconds):
            while True:
                if waiter is None:
                    waiter = asyncio.ensure_future(book.updated())
                    await asyncio.sleep(0)
                await fx.push(truth.stream, truth.change())
                await asyncio.wait({waiter}, timeout=0.05)
                if waiter.done():
                    waiter.result()
                    waiter = None
                    if book.ready and book.last_update_id == truth.uid:
                        return
    finally:
        if waiter is not None:
            waiter.cancel()


def assert_same(book, truth):
    assert book.ready
    assert book.last_update_id == truth.uid
    assert levels(book) == truth.history[truth.uid]
    bids, asks = truth.history[truth.uid]
    assert book.best_bid == (bids[-1] if bids else None) and book.best_ask == (asks[0] if asks else None)


async def reconnected(fx, truth, connections):
    await until(lambda: fx.stream_connections == connections and truth.stream in fx.subscriptions())


def sent_before(fx, first, then):
    methods = [r.method for r in fx.requests]
    return methods.index(first) < methods.index(then)


class OrderBookChecks:
    """Managed futures order books of a market against ``FakeExchange(market)``.

    Attributes:
        market: the market's name (``'usdm'``).
        client: its client class.
        symbol, other_symbol: two contracts as Binance spells them.
        mids: each contract's mid price.
        depth: the snapshot request as the fake records it (``'GET /fapi/v1/depth'``).
        book_url: the path of the connection the diff streams ride (``'/public/stream'``).
        fields: per contract, what its diff events and snapshots carry besides the fields both markets send
            (:class:`TrueBook`); none by default.
    """

    market: ClassVar[str]
    client: ClassVar[Any]
    symbol: ClassVar[str]
    other_symbol: ClassVar[str]
    mids: ClassVar[dict[str, Decimal]]
    depth: ClassVar[str]
    book_url: ClassVar[str]
    fields: ClassVar[dict[str, tuple[dict[str, Any], dict[str, Any]]]] = {}

    @pytest.fixture
    async def fx(self):
        async with FakeExchange(self.market) as exchange:
            yield exchange

    def truth(self, rng, symbol=None, **kwargs):
        """The true book of *symbol* (default: :attr:`symbol`), drawing from *rng* (a seed or a ``Random``)."""
        symbol = self.symbol if symbol is None else symbol
        rng = rng if isinstance(rng, random.Random) else random.Random(rng)
        return TrueBook(symbol, rng, self.mids[symbol], fields=self.fields.get(symbol, ({}, {})), **kwargs)

    def exchange(self, fx, *books):
        return Exchange(fx, self.depth.partition(' ')[2], *books)

    def connect(self, fx):
        return self.client(stream_retry_policy=Policy(), **fx.client_kwargs())

    def test_the_book_uses_the_pu_chain_rule(self):
        assert self.client.market.orderbook.rule is FUTURES_RULE
        assert self.client.market.orderbook.max_limit == 1000  # snapshots up to 1000 levels (weight 20)

    # -- the pu chain -----------------------------------------------------------------------------------------------

    async def test_gaps_in_U_are_normal_and_the_pu_chain_keeps_the_book_without_refetching(self, fx):
        truth = self.truth(1)
        self.exchange(fx, truth)
        handler = Watched([truth], limit=100)
        async with self.connect(fx) as client:
            client.handler(handler)
            await client.subscribe(client.SubType.ORDER_BOOK, self.symbol)
            book = handler.orderbook(self.symbol)
            await settle(fx, truth, book)
            snapshots = len(fx.requests_for(self.depth))
            for _ in range(300):
                await fx.push(truth.stream, truth.change())  # U skips ids; pu chains
            await until(lambda: handler.fed[self.symbol] == truth.uid)
            assert_same(book, truth)
            assert len(fx.requests_for(self.depth)) == snapshots  # Spot's U == u + 1 rule would have refetched
        assert fx.stream_urls == [self.book_url]
        assert fx.requests_for(self.depth)[0].params == {'symbol': self.symbol, 'limit': '100'}
        assert handler.violations == []

    async def test_randomized_pu_breaks_reconnects_and_stale_snapshots_recover_to_the_true_book(self, fx):
        rng = random.Random(20260712)
        truth = self.truth(rng)
        exchange = self.exchange(fx, truth)
        handler = Watched([truth], limit=100)
        faults = {'pu break': 0, 'reconnect': 0, 'stale': 0, 'none': 0}
        async with self.connect(fx) as client:
            client.handler(handler)
            await client.subscribe(client.SubType.ORDER_BOOK, self.symbol)
            book = handler.orderbook(self.symbol)
            await settle(fx, truth, book)
            assert_same(book, truth)
            changes = 0
            # 24 rounds of 40-60 changes, each fault kind 6 times in a seeded order.
            for fault in [f for _ in range(6) for f in rng.sample(tuple(faults), len(faults))]:
                faults[fault] += 1
                n = rng.randint(40, 60)
                at = rng.randrange(n)
                for i in range(n):
                    event = truth.change()
                    changes += 1
                    if i == at and fault in ('pu break', 'stale'):
                        # Lose 1-3 events: the next one's pu is not the book's u.
                        for _ in range(rng.randint(0, 2)):
                            truth.change()
                            changes += 1
                        if fault == 'stale':
                            exchange.stale = rng.randint(1, 3)
                        continue
                    if i == at and fault == 'reconnect':
                        connections = fx.stream_connections + 1
                        exchange.gate = asyncio.Event()  # hold snapshots: a confirmed replay may fetch one at once
                        await fx.drop_connections('stream')
                        await fx.push(truth.stream, event)  # published while the client is away: lost
                        await reconnected(fx, truth, connections)
                        assert not book.ready  # events may have been missed while away
                        exchange.gate.set()
                        exchange.gate = None
                        continue
                    await fx.push(truth.stream, event)
                    if rng.random() < 0.3:
                        await asyncio.sleep(0)
                await settle(fx, truth, book)
                assert_same(book, truth)
            exchange.stale = 0
        assert changes >= 900
        assert fx.stream_connections == 1 + faults['reconnect']
        assert set(fx.stream_urls) == {self.book_url}
        assert exchange.served_stale >= faults['stale']
        pairs = zip(handler.log, handler.log[1:], strict=False)
        resyncs = sum(1 for (_, before), (_, after) in pairs if before and not after)
        assert resyncs >= faults['pu break'] + faults['stale']  # every lost event was noticed
        assert handler.violations == []

    async def test_after_a_pu_break_the_book_is_not_ready_until_a_new_snapshot_joins(self, fx):
        truth = self.truth(7)
        exchange = self.exchange(fx, truth)
        handler = Watched([truth], limit=100)
        observed = {'ready': 0, 'not ready': 0}
        violations: list[Any] = []

        async def monitor(book):
            while True:
                check(book, truth, violations)
                observed['ready' if book.ready else 'not ready'] += 1
                await asyncio.sleep(0)

        async with self.connect(fx) as client:
            client.handler(handler)
            await client.subscribe(client.SubType.ORDER_BOOK, self.symbol)
            book = handler.orderbook(self.symbol)
            await settle(fx, truth, book)
            watcher = asyncio.ensure_future(monitor(book))
            try:
                for _ in range(20):
                    await fx.push(truth.stream, truth.change())
                await until(lambda: handler.fed[self.symbol] == truth.uid)
                good = book.last_update_id
                snapshots = len(fx.requests_for(self.depth))

                exchange.gate = asyncio.Event()  # hold the resync's snapshot
                truth.change()  # lost on the way
                broken = truth.change()
                assert broken['pu'] != good
                await fx.push(truth.stream, broken)
                await until(lambda: handler.fed[self.symbol] == broken['u'])
                assert not book.ready
                assert book.last_update_id == good and levels(book) == truth.history[good]  # last consistent state
                for _ in range(30):
                    await fx.push(truth.stream, truth.change())
                await until(
                    lambda: handler.fed[self.symbol] == truth.uid and len(fx.requests_for(self.depth)) == snapshots + 1
                )
                await asyncio.sleep(0.05)
                assert not book.ready
                held_until = truth.uid
                exchange.gate.set()
                exchange.gate = None
                await settle(fx, truth, book)
                assert_same(book, truth)
            finally:
                watcher.cancel()
        held = [ready for u, ready in handler.log if broken['u'] <= u <= held_until]
        assert held == [False] * 31
        assert observed['ready'] > 0 and observed['not ready'] > 0
        assert violations == [] and handler.violations == []

    # -- readiness on a confirmed stream; stand-alone books; the plain managed base ----------------------------------

    async def test_a_standalone_orderbook_is_ready_on_a_snapshot_alone_and_resyncs_after_a_reconnect(self, fx):
        truth = self.truth(11)
        exchange = self.exchange(fx, truth)
        async with self.connect(fx) as client:
            book = OrderBook(self.symbol, client=client, limit=100)
            async with asyncio.timeout(5):
                await book.updated()  # a quiet market: no event is published
            assert_same(book, truth)
            assert sent_before(fx, 'SUBSCRIBE', self.depth)  # the snapshot was asked for once the stream was confirmed
            assert fx.requests_for('SUBSCRIBE')[0].params == [truth.stream]
            assert fx.stream_urls == [self.book_url]
            # The first event after the snapshot alone is judged against it (pu == lastUpdateId here), then the chain.
            for _ in range(3):
                await fx.push(truth.stream, truth.change())
                await until(lambda: book.last_update_id == truth.uid)
                assert_same(book, truth)

            exchange.gate = asyncio.Event()
            await fx.drop_connections('stream')
            await reconnected(fx, truth, 2)
            assert not book.ready
            exchange.gate.set()
            exchange.gate = None
            async with asyncio.timeout(5):
                await book.updated()  # ready again on a snapshot taken after the replay was confirmed
            assert_same(book, truth)
            await settle(fx, truth, book)
            assert_same(book, truth)

    async def test_a_snapshot_older_than_the_stream_is_fetched_again(self, fx):
        truth = self.truth(17)
        exchange = self.exchange(fx, truth)
        for _ in range(50):
            truth.change()
        exchange.stale = 1
        async with self.connect(fx) as client:
            book = OrderBook(self.symbol, client=client, limit=100)
            async with asyncio.timeout(5):
                await book.updated()
            lagging = book.last_update_id
            assert book.ready and lagging < truth.uid and levels(book) == truth.history[lagging]
            exchange.gate = asyncio.Event()
            await fx.push(truth.stream, truth.change())  # its pu is not the lagging snapshot's id
            await until(lambda: not book.ready)
            assert book.last_update_id == lagging and levels(book) == truth.history[lagging]
            await until(lambda: len(fx.requests_for(self.depth)) == 2)
            exchange.gate.set()
            exchange.gate = None
            async with asyncio.timeout(5):
                await book.updated()
            assert_same(book, truth)
        assert exchange.served_stale == 1

    async def test_a_plain_orderbook_handler_base_receives_the_futures_stream_too(self, fx):
        rng = random.Random(3)
        first = self.truth(rng)
        second = self.truth(rng, self.other_symbol, uid=90_000)
        self.exchange(fx, first, second)
        handler = OrderBookHandlerBase(limit=100)
        async with self.connect(fx) as client:
            client.handler(handler)
            await client.subscribe([client.SubType.ORDER_BOOK], [self.symbol, self.other_symbol], 100)
            first.stream, second.stream = first.stream + '@100ms', second.stream + '@100ms'
            assert fx.subscriptions() == {first.stream, second.stream}
            for i in range(200):
                truth = first if i % 3 else second
                await fx.push(truth.stream, truth.change())
            for truth in (first, second):
                await settle(fx, truth, handler.orderbook(truth.symbol))
                assert_same(handler.orderbook(truth.symbol), truth)
        assert {r.params['symbol'] for r in fx.requests_for(self.depth)} == {self.symbol, self.other_symbol}
