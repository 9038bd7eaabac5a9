"""The order-book engine, the Spot/futures sequencing rules and the managed book, against an in-process stand-in
for Binance: a true book that changes by update ids, emits diff events and serves (sometimes stale) snapshots."""

from __future__ import annotations

import asyncio
import random
from bisect import bisect_right
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest

from binance_core.exceptions import OrderBookFetchAbandonedException
from binance_core.handlers.base import HandlerBase
from binance_core.orderbook import APPLY, DROP, GAP, Book, OrderBook, OrderBookHandlerBase
from binance_core.specs import OrderBookSpec
from binance_core.transport.retry import RetryInfo, default_retry_policy
from binance_futures.sequencing import FUTURES_RULE
from binance_spot.orderbook import SPOT_RULE

D = Decimal
NEG_INF = D('-Infinity')
POS_INF = D('Infinity')
TICK = D('0.01')


# -- test doubles -------------------------------------------------------------------------------


class FakeClient:
    """Stands in for a market client: the ``OrderBookSpec`` on its ``market`` plus the snapshot method."""

    def __init__(self, serve: Any, *, rule: Any = SPOT_RULE, max_limit: int = 5000) -> None:
        spec = OrderBookSpec(snapshot_endpoint='get_orderbook', max_limit=max_limit, rule=rule)
        self.market = SimpleNamespace(orderbook=spec)
        self.serve = serve
        self.calls: list[tuple[str, int]] = []

    async def get_orderbook(self, *, symbol: str, limit: int) -> dict[str, Any]:
        self.calls.append((symbol, limit))
        return await self.serve(symbol, limit)


class NoBookClient:
    market = SimpleNamespace(orderbook=None)


def snap(last_update_id: int, bids: Any = (), asks: Any = ()) -> dict[str, Any]:
    return {'lastUpdateId': last_update_id, 'bids': [list(x) for x in bids], 'asks': [list(x) for x in asks]}


def ev(U: int, u: int, b: Any = (), a: Any = (), pu: int | None = None, s: str = 'BTCUSDT') -> dict[str, Any]:
    e = {'e': 'depthUpdate', 'E': 1, 's': s, 'U': U, 'u': u, 'b': [list(x) for x in b], 'a': [list(x) for x in a]}
    if pu is not None:
        e['pu'] = pu
    return e


def queue_server(*snapshots: dict[str, Any]) -> Any:
    """Serve the given snapshots in order, repeating the last one."""
    pending = list(snapshots)

    async def serve(symbol: str, limit: int) -> dict[str, Any]:
        await asyncio.sleep(0)
        return pending.pop(0) if len(pending) > 1 else pending[0]

    return serve


def never_give_up(info: RetryInfo) -> tuple[bool, float]:
    return False, 0


async def until(predicate: Any, seconds: float = 2.0) -> None:
    """Poll in-process state; every round yields to the book's tasks, and the deadline bounds it."""
    async with asyncio.timeout(seconds):
        while not predicate():
            await asyncio.sleep(0)


def levels(side: list[list[Decimal]]) -> list[list[str]]:
    return [[str(p), str(q)] for p, q in side]


_open_books: list[OrderBook] = []


@pytest.fixture(autouse=True)
async def _close_books() -> Any:
    yield
    tasks = [b._task for b in _open_books if b._task is not None]
    for book in _open_books:
        book.close()
    _open_books.clear()
    async with asyncio.timeout(2):
        await asyncio.gather(*tasks, return_exceptions=True)


def make_book(serve: Any, *, rule: Any = SPOT_RULE, limit: int = 1000, **kw: Any) -> tuple[OrderBook, FakeClient]:
    client = FakeClient(serve, rule=rule)
    book = OrderBook('btcusdt', limit=limit, client=client, retry_policy=kw.pop('retry_policy', never_give_up))
    book.STALE_RETRY_DELAY = (0, 0)
    book._feeder = 'manual'  # the test feeds it: updated() must not subscribe through the client
    _open_books.append(book)
    return book, client


# -- engine ----------------------------------------------------------------------------------


def test_book_apply_update_remove_and_order() -> None:
    book = Book()
    book.load([['99.00', '1'], ['98.00', '2'], ['97.50', '3']], [['101.00', '1'], ['100.00', '4']])
    assert levels(book.bids) == [['97.50', '3'], ['98.00', '2'], ['99.00', '1']]  # ascending; best bid last
    assert levels(book.asks) == [['100.00', '4'], ['101.00', '1']]
    assert book.best_bid == [D('99.00'), D('1')] and book.best_ask == [D('100.00'), D('4')]
    ok = book.apply(
        [['99.00', '5.5'], ['98.00', '0.00000000'], ['99.50', '1'], ['10.00', '0']],  # update, remove, add, absent
        [['100.00', '0'], ['102.00', '7']],
    )
    assert ok
    assert levels(book.bids) == [['97.50', '3'], ['99.00', '5.5'], ['99.50', '1']]
    assert levels(book.asks) == [['101.00', '1'], ['102.00', '7']]
    assert book.best_bid == [D('99.50'), D('1')] and book.best_ask == [D('101.00'), D('1')]
    assert len(book) == 5


def test_book_prices_compare_exactly() -> None:
    book = Book()
    book.load([['0.10000000', '1']], [['0.20000000', '1']])
    book.apply([['0.1', '2'], ['0.10000001', '3']], [])
    # '0.1' is the level '0.10000000'; '0.10000001' is a different one (a float would not keep 18 digits).
    assert book.bids == [[D('0.1'), D('2')], [D('0.10000001'), D('3')]]
    book.apply([['0.100', '0']], [['123456789.123456789', '1']])
    assert book.bids == [[D('0.10000001'), D('3')]]
    assert book.asks[-1] == [D('123456789.123456789'), D('1')]


def test_book_reads_do_not_mutate() -> None:
    book = Book()
    book.load([['1', '1']], [['2', '1']])
    bids = book.bids
    bids.append([D('3'), D('3')])
    bids[0][1] = D('9')
    assert book.bids == [[D('1'), D('1')]]
    assert book.bids is not book.bids


def test_book_crossed_is_reported() -> None:
    book = Book()
    book.load([['1', '1']], [['2', '1']])
    assert book.apply([['1.5', '1']], [])
    assert not book.crossed
    assert not book.apply([['2', '1']], [])  # bid == ask is already crossed
    assert book.crossed
    book.clear()
    assert book.bids == [] and book.asks == [] and book.best_bid is None and not book.crossed


def test_book_depth_bound_hides_unknown_levels() -> None:
    book = Book()
    book.load([['10', '1'], ['9', '1'], ['8', '1']], [['11', '1'], ['12', '1']], depth=3)
    # bids came back full (3 of 3): below 8 is unknown; asks came back short: the whole side is known.
    assert (book.bid_floor, book.ask_ceiling) == (D('8'), POS_INF)
    book.apply([['7', '5'], ['8', '0'], ['8.5', '2']], [['50', '1']])
    assert levels(book.bids) == [['8.5', '2'], ['9', '1'], ['10', '1']]
    assert levels(book.asks) == [['11', '1'], ['12', '1'], ['50', '1']]
    book.load([['1', '1']], [['2', '1']])
    assert (book.bid_floor, book.ask_ceiling) == (NEG_INF, POS_INF)


def test_book_snapshot_zero_levels_are_not_levels() -> None:
    book = Book()
    book.load([['1', '0'], ['0.5', '1']], [['2', '0.000']])
    assert book.bids == [[D('0.5'), D('1')]] and book.asks == []


def test_book_price_memo_keeps_each_side_within_its_own_known_range() -> None:
    # The memo skips the range test for prices seen before, so a price seen on one side must not let the other
    # side store it outside its range. Asks come back full (ceiling 12); bids are the whole side.
    book = Book()
    book.load([['10', '1']], [['11', '1'], ['12', '1']], depth=2)
    assert book.apply([], [['11', '0'], ['12', '0']])  # the market moved up: no ask is known any more
    assert book.apply([['13', '1']], [])  # a bid above the ask ceiling is fine (bids are the whole side)
    assert book.apply([['13', '0']], [['13', '2']])  # ... but an ask there is beyond the known range
    assert book.asks == [] and book.bids == [[D('10'), D('1')]]


def test_book_snapshot_empty_worst_level_is_outside_the_range() -> None:
    # Three levels listed at depth 3 make the side full; the empty one is dropped, so the floor is 9 and 8 stays
    # unknown even though the snapshot spelled it.
    book = Book()
    book.load([['10', '1'], ['9', '1'], ['8', '0']], [['11', '1']], depth=3)
    assert book.bid_floor == D('9')
    book.apply([['8', '5']], [])
    assert levels(book.bids) == [['9', '1'], ['10', '1']]


def test_book_price_memo_is_bounded_and_never_changes_a_result(monkeypatch: pytest.MonkeyPatch) -> None:
    from binance_core.orderbook import book as engine

    monkeypatch.setattr(engine, 'MEMO_SLACK', 8)
    book = Book()
    # Bids full at depth 2: prices below 50 are unknown; asks are the whole side.
    book.load([['50.00', '1'], ['60', '1']], [['900.00', '1']], depth=2)
    rng = random.Random(5)
    truth = {D('50'): D('1'), D('60'): D('1')}
    for i in range(3000):
        price = D(rng.randint(100, 20000)) / 200
        text = f'{price:.8f}' if i % 2 else f'{price.normalize():f}'  # both spellings of each price
        qty = D(rng.randint(0, 3))
        book.apply([[text, str(qty)]], [])
        if price < 50:
            pass  # outside the known range: ignored
        elif qty:
            truth[price] = qty
        else:
            truth.pop(price, None)
        assert len(book._bid_keys) <= 2 * len(book._bid_px) + 8 + 1
    assert book.bids == [[p, truth[p]] for p in sorted(truth)]


# -- sequencing rules --------------------------------------------------------------------------

RULE_CASES = [
    # Spot first(lastUpdateId=100): drop u <= 100; then U <= 101 <= u.
    (SPOT_RULE, 'first', 100, ev(90, 100), DROP),
    (SPOT_RULE, 'first', 100, ev(95, 101), APPLY),
    (SPOT_RULE, 'first', 100, ev(101, 105), APPLY),
    (SPOT_RULE, 'first', 100, ev(102, 105), GAP),
    # Spot next(prev u=100): U == 101 applies, later U is a gap, u <= 100 is old.
    (SPOT_RULE, 'next', 100, ev(101, 103), APPLY),
    (SPOT_RULE, 'next', 100, ev(102, 103), GAP),
    (SPOT_RULE, 'next', 100, ev(99, 100), DROP),
    (SPOT_RULE, 'next', 100, ev(98, 102), APPLY),  # overlap: absolute quantities make it safe
    # Futures first(lastUpdateId=100): drop u < 100; then U <= 100 <= u.
    (FUTURES_RULE, 'first', 100, ev(90, 99, pu=80), DROP),
    (FUTURES_RULE, 'first', 100, ev(90, 100, pu=80), APPLY),
    (FUTURES_RULE, 'first', 100, ev(100, 107, pu=95), APPLY),
    (FUTURES_RULE, 'first', 100, ev(101, 107, pu=100), GAP),
    # Futures next(prev u=100): pu == 100 applies whatever U is; otherwise a gap unless it is old.
    (FUTURES_RULE, 'next', 100, ev(105, 109, pu=100), APPLY),
    (FUTURES_RULE, 'next', 100, ev(105, 109, pu=99), GAP),
    (FUTURES_RULE, 'next', 100, ev(101, 109, pu=103), GAP),
    (FUTURES_RULE, 'next', 100, ev(90, 100, pu=85), DROP),
]


@pytest.mark.parametrize(('rule', 'method', 'arg', 'event', 'verdict'), RULE_CASES)
def test_rule_verdicts(rule: Any, method: str, arg: int, event: dict[str, Any], verdict: Any) -> None:
    assert getattr(rule, method)(arg, event) is verdict


# -- managed book: the procedure ---------------------------------------------------------------


async def test_spot_procedure_drops_old_events_and_joins_the_snapshot() -> None:
    book, client = make_book(queue_server(snap(103, [['1.00', '1'], ['0.90', '2']], [['1.10', '1']])))
    assert not book.ready and book.bids == [] and client.calls == []
    await asyncio.sleep(0)
    assert client.calls == []  # Binance §11.1: buffer first, fetch after
    book.feed(ev(100, 101, b=[['1.00', '9']]))  # u <= 103: inside the snapshot, dropped
    await asyncio.sleep(0)
    assert client.calls == [('BTCUSDT', 1000)]  # the fetch starts once an event is buffered
    book.feed(ev(102, 104, b=[['0.95', '3']]))  # contains 104 = lastUpdateId + 1: the first to apply
    book.feed(ev(105, 105, a=[['1.10', '0'], ['1.20', '5']]))
    async with asyncio.timeout(2):
        await book.updated()
    assert book.ready and book.last_update_id == 105
    assert levels(book.bids) == [['0.90', '2'], ['0.95', '3'], ['1.00', '1']]
    assert levels(book.asks) == [['1.20', '5']]
    book.feed(ev(106, 106, b=[['1.00', '0']]))
    assert book.last_update_id == 106 and book.best_bid == [D('0.95'), D('3')]


async def test_spot_refetches_a_snapshot_older_than_the_first_event() -> None:
    # Binance §11.1 step 3: lastUpdateId 95 < first U 100 - 1: the snapshot is too old.
    book, client = make_book(queue_server(snap(95, [['1', '1']], [['2', '1']]), snap(101, [['1', '2']], [['2', '1']])))
    book.feed(ev(100, 101, b=[['1', '9']]))
    book.feed(ev(102, 102, a=[['3', '1']]))
    async with asyncio.timeout(2):
        await book.updated()
    assert len(client.calls) == 2
    assert (
        book.last_update_id == 102
        and levels(book.bids) == [['1', '2']]
        and levels(book.asks) == [['2', '1'], ['3', '1']]
    )


async def test_snapshot_newer_than_the_buffer_waits_for_newer_events() -> None:
    book, client = make_book(queue_server(snap(200, [['1', '1']], [['2', '1']])))
    book.feed(ev(100, 150))
    await until(lambda: client.calls and book._snapshot is not None)
    assert not book.ready
    book.feed(ev(151, 199))  # still inside the snapshot
    assert not book.ready
    book.feed(ev(200, 201, b=[['1.5', '1']]))
    assert book.ready and book.last_update_id == 201 and len(client.calls) == 1
    assert levels(book.bids) == [['1', '1'], ['1.5', '1']]


async def test_futures_procedure_uses_pu() -> None:
    book, _ = make_book(queue_server(snap(1000, [['10', '1']], [['11', '1']])), rule=FUTURES_RULE)
    book.feed(ev(980, 990, b=[['10', '5']], pu=970))  # u < 1000: dropped
    book.feed(ev(995, 1003, b=[['9', '2']], pu=990))  # U <= 1000 <= u: first
    book.feed(ev(1010, 1020, a=[['12', '1']], pu=1003))  # pu == previous u (ids skip on futures)
    async with asyncio.timeout(2):
        await book.updated()
    assert book.last_update_id == 1020
    assert levels(book.bids) == [['9', '2'], ['10', '1']] and levels(book.asks) == [['11', '1'], ['12', '1']]
    book.feed(ev(1021, 1025, a=[['11', '0']], pu=1019))  # pu != 1020: gap
    assert not book.ready and book.last_update_id == 1020
    assert levels(book.asks) == [['11', '1'], ['12', '1']]  # the last consistent state, unchanged


async def test_gap_makes_the_book_not_ready_until_a_new_snapshot_joins() -> None:
    server = queue_server(snap(10, [['1', '1']], [['2', '1']]), snap(14, [['1', '4']], [['2', '1']]))
    book, client = make_book(server)
    book.feed(ev(11, 11, b=[['1', '2']]))
    async with asyncio.timeout(2):
        await book.updated()
    book.feed(ev(13, 13, b=[['1', '3']]))  # 12 is missing
    assert not book.ready and book.last_update_id == 11 and levels(book.bids) == [['1', '2']]
    book.feed(ev(14, 15, b=[['1', '5']]))
    async with asyncio.timeout(2):
        await book.updated()
    assert book.ready and book.last_update_id == 15 and levels(book.bids) == [['1', '5']]
    assert len(client.calls) == 2


async def test_gap_inside_the_buffer_refetches() -> None:
    server = queue_server(snap(10, [['1', '1']], [['2', '1']]), snap(13, [['1', '4']], [['2', '1']]))
    book, client = make_book(server)
    gate = asyncio.Event()
    inner = client.serve

    async def slow(symbol: str, limit: int) -> dict[str, Any]:
        await gate.wait()
        return await inner(symbol, limit)

    client.serve = slow
    for e in (ev(11, 11, b=[['1', '2']]), ev(13, 13, b=[['1', '3']]), ev(14, 14, b=[['1', '6']])):  # 12 missing
        book.feed(e)
    gate.set()
    async with asyncio.timeout(2):
        await book.updated()
    assert book.last_update_id == 14 and levels(book.bids) == [['1', '6']] and len(client.calls) == 2


async def test_an_event_it_cannot_apply_discards_the_book_and_resyncs() -> None:
    # A level that is not a decimal string, after one that was applied: the book would be half-updated.
    book, client = make_book(queue_server(snap(10, [['1', '1']], [['2', '1']]), snap(12, [['1', '5']], [['2', '1']])))
    book.feed(ev(11, 11))
    async with asyncio.timeout(2):
        await book.updated()
    book.feed(ev(12, 12, b=[['1', '5'], ['1.5', 'lots']]))
    assert not book.ready and book.bids == [] and book.last_update_id is None
    book.feed(ev(13, 13, a=[['3', '1']]))
    async with asyncio.timeout(2):
        await book.updated()
    assert book.ready and book.last_update_id == 13 and levels(book.bids) == [['1', '5']]
    assert levels(book.asks) == [['2', '1'], ['3', '1']] and len(client.calls) == 2


async def test_a_snapshot_or_buffered_event_it_cannot_join_is_fetched_again() -> None:
    book, client = make_book(
        queue_server(snap(10, [['1', 'x']], [['2', '1']]), snap(11, [['1', '1']], [['2', '1']])),
    )
    book.feed(ev(11, 11))
    await until(lambda: len(client.calls) == 2 and book._snapshot is not None)  # the next one waits for events
    assert not book.ready and book.bids == []  # the first snapshot was not Binance's: nothing is shown
    book.feed(ev(12, 12, b=[['1', '2']]))  # joins the held snapshot at once
    assert book.ready and book.last_update_id == 12 and levels(book.bids) == [['1', '2']]


async def test_crossed_book_is_discarded_never_ready() -> None:
    book, _ = make_book(queue_server(snap(10, [['1', '1']], [['2', '1']]), snap(12, [['1', '1']], [['2', '1']])))
    book.feed(ev(11, 11))
    async with asyncio.timeout(2):
        await book.updated()
    book.feed(ev(12, 12, b=[['2.5', '1']]))  # bid above the best ask: corrupt
    assert not book.ready
    assert book.bids == [] and book.asks == [] and book.last_update_id is None
    book.feed(ev(13, 13, a=[['3', '1']]))
    async with asyncio.timeout(2):
        await book.updated()
    assert book.ready and book.last_update_id == 13 and levels(book.asks) == [['2', '1'], ['3', '1']]


async def test_invalidate_resyncs_from_events_after_it() -> None:
    server = queue_server(snap(10, [['1', '1']], [['2', '1']]), snap(30, [['1', '7']], [['2', '1']]))
    book, client = make_book(server)
    book.feed(ev(11, 11))
    async with asyncio.timeout(2):
        await book.updated()
    book.feed(ev(12, 12))
    book.invalidate('reconnect')
    assert not book.ready and book.last_update_id == 12
    book.feed(ev(31, 31, b=[['1', '8']]))
    async with asyncio.timeout(2):
        await book.updated()
    assert book.last_update_id == 31 and levels(book.bids) == [['1', '8']] and len(client.calls) == 2


async def test_snapshot_limit_and_symbol_are_passed() -> None:
    book, client = make_book(queue_server(snap(1, [], [])), limit=7)
    book.set_limit(9)
    book.feed(ev(2, 2))
    await until(lambda: book.ready)
    assert client.calls == [('BTCUSDT', 9)]


async def test_buffer_is_bounded_and_overflow_restarts_the_join() -> None:
    gate = asyncio.Event()
    snapshots = [snap(50, [['1', '1']], [['2', '1']])]

    async def serve(symbol: str, limit: int) -> dict[str, Any]:
        await gate.wait()
        return snapshots[0]

    book, _ = make_book(serve)
    book.MAX_BUFFER = 5
    for i in range(40, 52):
        book.feed(ev(i, i, b=[['1', str(i)]]))
        assert len(book._buffer) <= 5
    gate.set()
    async with asyncio.timeout(2):
        await book.updated()
    assert book.last_update_id == 51 and levels(book.bids) == [['1', '51']]


async def test_updated_does_not_queue_and_slow_consumers_do_not_hold_the_book_back() -> None:
    book, _ = make_book(queue_server(snap(0, [['1', '1']], [['2', '1']])))
    book.feed(ev(1, 1))
    async with asyncio.timeout(2):
        await book.updated()
        for i in range(2, 200):  # nobody waits: every event is still applied at once
            book.feed(ev(i, i, b=[['1', str(i)]]))
        assert book.last_update_id == 199
        waiters = [asyncio.create_task(book.updated()) for _ in range(3)]
        await asyncio.sleep(0)
        waiters[0].cancel()  # a cancelled waiter must not cancel the others' shared future
        await asyncio.sleep(0)
        assert not any(w.done() for w in waiters[1:])
        book.feed(ev(200, 200))
        book.feed(ev(201, 201))
        await asyncio.gather(*waiters[1:])
        assert waiters[0].cancelled()
        assert book._waiter is None  # resolved once; later updates create no backlog
        late = asyncio.create_task(book.updated())
        await asyncio.sleep(0)
        assert not late.done()  # an old update does not satisfy a new waiter
        book.feed(ev(202, 202))
        await late


async def test_updated_only_returns_with_a_ready_book() -> None:
    book, _ = make_book(queue_server(snap(0, [['1', '1']], [['2', '1']]), snap(10, [['1', '1']], [['2', '1']])))
    book.feed(ev(1, 1))
    async with asyncio.timeout(2):
        await book.updated()
        waiter = asyncio.create_task(book.updated())
        await asyncio.sleep(0)
        book.feed(ev(2, 2))  # resolves the shared future ...
        book.feed(ev(4, 4))  # ... but a gap follows before the waiter runs
        await asyncio.sleep(0)
        assert not waiter.done()
        book.feed(ev(11, 11))
        await waiter
    assert book.ready and book.last_update_id == 11


async def test_abandoned_fetch_raises_then_a_new_wait_retries() -> None:
    failing = True
    infos: list[RetryInfo] = []

    async def serve(symbol: str, limit: int) -> dict[str, Any]:
        if failing:
            raise aiohttp.ClientConnectionError('snapshot host unreachable')
        return snap(5, [['1', '1']], [['2', '1']])

    def two_strikes(info: RetryInfo) -> tuple[bool, float]:
        infos.append(info)
        return info.fails >= 2, 0

    book, client = make_book(serve, retry_policy=two_strikes)
    book.feed(ev(6, 6))
    with pytest.raises(OrderBookFetchAbandonedException) as caught:
        async with asyncio.timeout(2):
            await book.updated()
    assert isinstance(caught.value.__cause__, aiohttp.ClientConnectionError)
    assert [i.fails for i in infos] == [1, 2] and isinstance(infos[0].exception, aiohttp.ClientConnectionError)
    assert not book.ready and len(client.calls) == 2
    book.feed(ev(7, 7))  # still buffered (bounded) while abandoned; no fetch
    await asyncio.sleep(0)
    assert len(client.calls) == 2
    failing = False
    async with asyncio.timeout(2):
        await book.updated()
    assert book.ready and book.last_update_id == 7


def test_abandoned_exception_is_an_aiohttp_error() -> None:
    assert issubclass(OrderBookFetchAbandonedException, aiohttp.ClientError)


async def test_close_releases_waiters_and_stops_syncing() -> None:
    gate = asyncio.Event()

    async def serve(symbol: str, limit: int) -> dict[str, Any]:
        await gate.wait()
        return snap(1, [], [])

    book, _ = make_book(serve)
    book.feed(ev(1, 2))
    waiter = asyncio.create_task(book.updated())
    await asyncio.sleep(0)
    task = book._task
    book.close()
    with pytest.raises(OrderBookFetchAbandonedException):
        async with asyncio.timeout(2):
            await waiter
    async with asyncio.timeout(2):
        with pytest.raises(asyncio.CancelledError):
            await task  # type: ignore[misc]
    book.feed(ev(3, 3))
    assert not book.ready and book._task is None
    with pytest.raises(OrderBookFetchAbandonedException):
        await book.updated()


def test_limits_and_clients_are_validated() -> None:
    for bad in (0, -1, True, 1.5, '10'):
        with pytest.raises(ValueError, match='positive int'):
            OrderBook('BTCUSDT', limit=bad)
    with pytest.raises(ValueError, match='maximum 1000'):
        OrderBook('BTCUSDT', limit=5000, client=FakeClient(None, rule=FUTURES_RULE, max_limit=1000))
    book = OrderBook('BTCUSDT', client=FakeClient(None, max_limit=5000))
    book.set_limit(5000)
    with pytest.raises(ValueError, match='maximum 5000'):
        book.set_limit(5001)
    with pytest.raises(ValueError, match='no OrderBookSpec'):
        book.set_client(NoBookClient())
    with pytest.raises(ValueError, match='non-empty'):
        OrderBook('')


def test_default_retry_policy_is_bounded_jittered_and_never_abandons() -> None:
    assert OrderBook('BTCUSDT')._retry_policy is default_retry_policy
    delays = []
    for fails in range(1, 40):
        abandon, delay = default_retry_policy(RetryInfo(fails, OSError()))
        assert abandon is False
        delays.append(delay)
    assert 0.25 <= delays[0] <= 0.5
    assert all(15 <= d <= 30 for d in delays[10:])


# -- handler ---------------------------------------------------------------------------------


async def test_handler_routes_by_symbol_and_binds_its_client() -> None:
    served: dict[str, dict[str, Any]] = {
        'BTCUSDT': snap(10, [['1', '1']], [['2', '1']]),
        'BTCUSD_PERP': snap(20, [['5', '1']], [['6', '1']]),
    }

    async def serve(symbol: str, limit: int) -> dict[str, Any]:
        return served[symbol]

    handler = OrderBookHandlerBase(limit=50, retry_policy=never_give_up)
    assert isinstance(handler, HandlerBase)
    early = handler.orderbook('btc_usdt')
    assert handler.orderbook('BTCUSDT') is early and early.limit == 50
    client = FakeClient(serve, rule=FUTURES_RULE, max_limit=1000)
    handler._bind_client(client)
    perp = handler.orderbook('btcusd_perp', limit=100)
    for book in (early, perp):
        book.STALE_RETRY_DELAY = (0, 0)
        _open_books.append(book)
    assert handler.receive({'stream': 'btcusdt@depth', 'data': ev(10, 11, b=[['1', '2']], pu=9)}) is early
    assert handler.receive(ev(19, 21, a=[['6', '3']], pu=18, s='BTCUSD_PERP')) is perp
    await until(lambda: early.ready and perp.ready)
    assert set(client.calls) == {('BTCUSD_PERP', 100), ('BTCUSDT', 50)}
    assert levels(early.bids) == [['1', '2']] and levels(perp.asks) == [['6', '3']]
    handler._on_reconnect()
    assert not early.ready and not perp.ready
    handler.close()


def test_handler_rejects_a_market_without_books() -> None:
    handler = OrderBookHandlerBase()
    with pytest.raises(ValueError, match='no OrderBookSpec'):
        handler._bind_client(NoBookClient())
    handler.orderbook('ETHUSDT', limit=2000)
    with pytest.raises(ValueError, match='maximum 1000'):
        handler._bind_client(FakeClient(None, rule=FUTURES_RULE, max_limit=1000))


# -- quiet symbols: a confirmed stream makes a snapshot enough (issue 11, item 5) ---------------


def sub(symbol: str, sub_type: str = 'ORDER_BOOK') -> SimpleNamespace:
    """What the stream manager hands ``_on_subscribed``: a ``Subscription``'s ``sub_type`` and converted params."""
    return SimpleNamespace(sub_type=sub_type, params=(('symbol', symbol), ('updateInterval', '')))


async def test_a_confirmed_stream_makes_the_book_ready_on_the_snapshot_alone() -> None:
    book, client = make_book(queue_server(snap(10, [['1', '1']], [['2', '1']])))
    await asyncio.sleep(0)
    assert client.calls == []  # nothing confirmed, nothing buffered: no fetch
    book._stream_live()  # Binance acknowledged the subscription
    async with asyncio.timeout(2):
        await book.updated()  # no event at all: a quiet symbol
    assert book.ready and book.last_update_id == 10
    assert levels(book.bids) == [['1', '1']] and levels(book.asks) == [['2', '1']]
    book.feed(ev(9, 10, b=[['1', '9']]))  # inside the snapshot: dropped
    assert book.ready and book.last_update_id == 10 and levels(book.bids) == [['1', '1']]
    book.feed(ev(11, 12, b=[['1', '3']]))  # U <= lastUpdateId + 1 <= u: the first to apply
    book.feed(ev(13, 13, a=[['2', '4']]))
    assert book.ready and book.last_update_id == 13
    assert levels(book.bids) == [['1', '3']] and levels(book.asks) == [['2', '4']]
    assert len(client.calls) == 1


async def test_a_snapshot_alone_proved_too_old_by_the_first_event_goes_not_ready_and_fetches_again() -> None:
    gate = asyncio.Event()
    served = [snap(10, [['1', '1']], [['2', '1']]), snap(14, [['1', '4']], [['2', '1']])]

    async def serve(symbol: str, limit: int) -> dict[str, Any]:
        if len(served) == 1:
            await gate.wait()  # hold the second fetch so the not-ready state can be seen
        return served.pop(0) if len(served) > 1 else served[0]

    book, client = make_book(serve)
    book._stream_live()
    async with asyncio.timeout(2):
        await book.updated()
    assert book.ready and book.last_update_id == 10
    book.feed(ev(13, 14, b=[['1', '4']]))  # U 13 > lastUpdateId + 1: updates 11-12 are not in the book
    assert not book.ready
    assert book.last_update_id == 10 and levels(book.bids) == [['1', '1']]  # the last consistent state
    await until(lambda: len(client.calls) == 2)
    assert not book.ready
    gate.set()
    async with asyncio.timeout(2):
        await book.updated()
    # The new snapshot holds the buffered event (u 14 <= 14): ready on the snapshot alone again.
    assert book.ready and book.last_update_id == 14 and levels(book.bids) == [['1', '4']]


@pytest.mark.parametrize(
    ('event', 'ready_at'),
    [
        (ev(95, 105, b=[['10', '2']], pu=90), 105),  # spans lastUpdateId: first() applies it (next() would not)
        (ev(101, 103, b=[['10', '2']], pu=100), 103),  # continues exactly from lastUpdateId (pu == 100)
        (ev(90, 99, b=[['10', '2']], pu=85), 100),  # older than the snapshot: dropped
        (ev(110, 120, b=[['10', '2']], pu=105), None),  # starts after it: the snapshot is too old
    ],
    ids=['spans', 'continues', 'older', 'gap'],
)
async def test_the_first_event_after_a_snapshot_alone_is_judged_with_first(event: Any, ready_at: Any) -> None:
    book, client = make_book(queue_server(snap(100, [['10', '1']], [['11', '1']])), rule=FUTURES_RULE)
    book._stream_live()
    async with asyncio.timeout(2):
        await book.updated()
    book.feed(event)
    if ready_at is None:
        assert not book.ready and book.last_update_id == 100
        await until(lambda: len(client.calls) == 2)
    else:
        assert book.ready and book.last_update_id == ready_at
        assert levels(book.bids) == ([['10', '1']] if ready_at == 100 else [['10', '2']])
        # From here on the book continues by next(): the pu chain.
        book.feed(ev(ready_at + 1, ready_at + 2, a=[['11', '3']], pu=ready_at))
        assert book.ready and book.last_update_id == ready_at + 2


async def test_a_snapshot_requested_before_the_confirmation_is_not_enough_alone() -> None:
    gate = asyncio.Event()

    async def serve(symbol: str, limit: int) -> dict[str, Any]:
        await gate.wait()
        return snap(10, [['1', '1']], [['2', '1']])

    book, client = make_book(serve)
    book.feed(ev(5, 5))  # an event starts the usual fetch, unconfirmed
    await until(lambda: len(client.calls) == 1)
    book._stream_live()  # confirmed while that fetch is in flight: it may predate the subscription
    await until(lambda: len(client.calls) == 2)
    gate.set()
    async with asyncio.timeout(2):
        await book.updated()
    assert book.ready and book.last_update_id == 10  # on the snapshot requested after the confirmation


async def test_without_a_confirmation_a_snapshot_newer_than_every_event_still_waits() -> None:
    book, client = make_book(queue_server(snap(10, [['1', '1']], [['2', '1']])))
    book.feed(ev(5, 5))
    await until(lambda: client.calls and book._snapshot is not None)
    await asyncio.sleep(0.01)
    assert not book.ready  # an event is not a confirmation: it may come from a connection already gone
    book.feed(ev(11, 11))
    assert book.ready and book.last_update_id == 11


async def test_handler_on_subscribed_confirms_its_books_and_spells_their_symbols_as_the_stream() -> None:
    served: dict[str, dict[str, Any]] = {'BTCUSDT': snap(10, [['1', '1']], [['2', '1']]), 'ETHUSDT': snap(20)}

    async def serve(symbol: str, limit: int) -> dict[str, Any]:
        return served[symbol]

    handler = OrderBookHandlerBase(limit=50, retry_policy=never_give_up)
    client = FakeClient(serve)
    handler._bind_client(client)
    btc = handler.orderbook('btc_usdt')  # asked for with '_': the snapshot needs the stream's spelling
    _open_books.append(btc)
    handler._on_subscribed([sub('btcusdt', 'TRADE'), sub('btcusdt'), sub('ethusdt')])
    eth = handler.orderbook('ETHUSDT')  # created on confirmation: the handler makes books on demand
    _open_books.append(eth)
    await until(lambda: btc.ready and eth.ready)
    assert sorted(client.calls) == [('BTCUSDT', 50), ('ETHUSDT', 50)]
    assert btc.symbol == 'BTCUSDT' and btc.last_update_id == 10 and eth.last_update_id == 20

    handler._on_reconnect()  # the connection is gone: not ready, and not confirmed until the replay is
    assert not btc.ready and not eth.ready
    await asyncio.sleep(0.01)
    assert len(client.calls) == 2
    handler._on_subscribed([sub('btcusdt')])  # the replay is acknowledged
    await until(lambda: btc.ready)
    assert not eth.ready and len(client.calls) == 3

    feeder = OrderBookHandlerBase()  # a client's internal feeder of stand-alone books creates none
    feeder._auto_create = False
    feeder._bind_client(FakeClient(serve))
    feeder._on_subscribed([sub('solusdt')])
    assert feeder._books == {}


# -- stop and start (issue 11, item 6) -------------------------------------------------------------


async def test_on_stop_makes_every_book_idle_and_on_start_resyncs_it() -> None:
    gate = asyncio.Event()
    gate.set()
    uid = 10

    async def serve(symbol: str, limit: int) -> dict[str, Any]:
        await gate.wait()
        return snap(uid, [['1', str(uid)]], [['2', '1']])

    handler = OrderBookHandlerBase(limit=50, retry_policy=never_give_up)
    client = FakeClient(serve)
    handler._bind_client(client)
    confirmed = handler.orderbook('BTCUSDT')
    syncing = handler.orderbook('ETHUSDT')
    unconfirmed = handler.orderbook('BNBUSDT')
    for book in (confirmed, syncing, unconfirmed):
        book.STALE_RETRY_DELAY = (0, 0)
        _open_books.append(book)
    handler._on_subscribed([sub('btcusdt')])
    unconfirmed.feed(ev(11, 11, s='BNBUSDT'))
    await until(lambda: confirmed.ready and unconfirmed.ready)
    gate.clear()
    handler._on_subscribed([sub('ethusdt')])  # its snapshot is in flight when the client stops
    await until(lambda: len(client.calls) == 3)
    unconfirmed.feed(ev(13, 13, s='BNBUSDT'))  # a gap: it resyncs from a buffer
    assert not unconfirmed.ready and unconfirmed._buffer
    waiter = asyncio.create_task(confirmed.updated())
    await asyncio.sleep(0)

    handler._on_stop()
    for book in (confirmed, syncing, unconfirmed):
        assert not book.ready and book._task is None and not book._buffer
    confirmed.feed(ev(11, 11))  # a frame that slipped through is not buffered while stopped
    gate.set()
    await asyncio.sleep(0.01)
    assert not confirmed._buffer and not any(b.ready for b in (confirmed, syncing, unconfirmed))
    assert len(client.calls) == 4  # nothing fetched while stopped
    assert not waiter.done()  # waiters keep waiting

    uid = 30
    handler._on_start()
    async with asyncio.timeout(2):
        await waiter  # resynced at once: the subscription stayed up while stopped
    await until(lambda: syncing.ready)
    assert confirmed.last_update_id == 30 and levels(confirmed.bids) == [['1', '30']]
    assert not unconfirmed.ready and len(client.calls) == 6  # it waits for an event, as after a reconnect
    unconfirmed.feed(ev(31, 31, s='BNBUSDT'))
    await until(lambda: unconfirmed.ready)
    assert unconfirmed.last_update_id == 31


# -- randomized: a true book, a lossy stream, flaky and stale snapshots ------------------------


def fmt_stream(d: Decimal) -> str:
    return format(d, '.8f')


def fmt_snapshot(d: Decimal) -> str:
    return format(d.normalize(), 'f')  # a different spelling of the same decimal


class TrueBook:
    """Binance's side of the test: the true book, changed one update id at a time."""

    def __init__(self, rng: random.Random, *, futures: bool, size: int = 40) -> None:
        self.rng = rng
        self.futures = futures
        mid = D('100.00')
        self.bids = {mid - i * TICK: self.qty() for i in range(1, size + 1)}
        self.asks = {mid + i * TICK: self.qty() for i in range(1, size + 1)}
        self.last_id = 1_000_000
        self.prev_u = self.last_id
        self.event_us = [self.last_id]
        self.states = {self.last_id: (dict(self.bids), dict(self.asks))}
        self.log_ids: list[int] = []
        self.log: list[list[tuple[tuple[bool, Decimal], Decimal]]] = []
        self.events: list[dict[str, Any]] = []
        self.fail_rate = 0.1
        self.stale_rate = 0.3
        self.served_bounds: set[tuple[Decimal, Decimal]] = set()

    def qty(self) -> Decimal:
        return D(self.rng.randint(1, 50000)) / 1000

    def _set(self, changes: dict[tuple[bool, Decimal], Decimal], is_bid: bool, price: Decimal, qty: Decimal) -> None:
        side = self.bids if is_bid else self.asks
        if qty:
            side[price] = qty
        else:
            side.pop(price, None)
        changes[(is_bid, price)] = qty

    def _change(self, changes: dict[tuple[bool, Decimal], Decimal]) -> None:
        rng = self.rng
        is_bid = rng.random() < 0.5
        side = self.bids if is_bid else self.asks
        r = rng.random()
        if r < 0.4 and side:
            self._set(changes, is_bid, rng.choice(list(side)), self.qty())
        elif r < 0.55 and len(side) > 25:  # keep the book some 25-70 levels deep
            self._set(changes, is_bid, rng.choice(list(side)), D(0))
        elif r < 0.62:
            price = D(rng.randint(1, 20000)) * TICK
            if price not in side:
                self._set(changes, is_bid, price, D(0))  # removing an absent level is normal
        else:
            if is_bid:
                best = max(self.bids) if self.bids else min(self.asks) - TICK
                price = best - (rng.randint(-3, 0) if rng.random() < 0.05 else rng.randint(1, 40)) * TICK
            else:
                best = min(self.asks) if self.asks else max(self.bids) + TICK
                price = best + (rng.randint(-3, 0) if rng.random() < 0.05 else rng.randint(1, 40)) * TICK
            self._set(changes, is_bid, price, self.qty())
            # An aggressive price consumes the other side up to it, so the true book never crosses.
            if is_bid:
                for p in [p for p in self.asks if p <= price]:
                    self._set(changes, False, p, D(0))
            else:
                for p in [p for p in self.bids if p >= price]:
                    self._set(changes, True, p, D(0))
        if len(side) > 70:  # far levels go away
            self._set(changes, is_bid, min(side) if is_bid else max(side), D(0))

    def next_event(self) -> dict[str, Any]:
        agg: dict[tuple[bool, Decimal], Decimal] = {}
        first = None
        for _ in range(self.rng.randint(1, 4)):
            # Spot ids are contiguous per symbol; futures ids skip (pu links the events instead).
            self.last_id += self.rng.randint(1, 3) if self.futures else 1
            first = first or self.last_id
            changes: dict[tuple[bool, Decimal], Decimal] = {}
            for _ in range(self.rng.randint(1, 3)):
                self._change(changes)
            self.log_ids.append(self.last_id)
            self.log.append(list(changes.items()))
            agg.update(changes)
        u = self.last_id
        e = ev(
            first,  # type: ignore[arg-type]
            u,
            b=[[fmt_stream(p), fmt_stream(q)] for (is_bid, p), q in agg.items() if is_bid],
            a=[[fmt_stream(p), fmt_stream(q)] for (is_bid, p), q in agg.items() if not is_bid],
            pu=self.prev_u if self.futures else None,
        )
        self.prev_u = u
        self.event_us.append(u)
        self.states[u] = (dict(self.bids), dict(self.asks))
        self.events.append(e)
        return e

    def state_at(self, update_id: int) -> tuple[dict[Decimal, Decimal], dict[Decimal, Decimal]]:
        base = self.event_us[bisect_right(self.event_us, update_id) - 1]
        bids, asks = (dict(s) for s in self.states[base])
        for changes in self.log[bisect_right(self.log_ids, base) : bisect_right(self.log_ids, update_id)]:
            for (is_bid, p), q in changes:
                side = bids if is_bid else asks
                if q:
                    side[p] = q
                else:
                    side.pop(p, None)
        return bids, asks

    def view_at(self, update_id: int, floor: Decimal, ceiling: Decimal) -> tuple[list[Any], list[Any]]:
        bids, asks = self.state_at(update_id)
        return (
            [[p, bids[p]] for p in sorted(bids) if p >= floor],
            [[p, asks[p]] for p in sorted(asks) if p <= ceiling],
        )

    async def serve(self, symbol: str, limit: int) -> dict[str, Any]:
        for _ in range(self.rng.randrange(4)):
            await asyncio.sleep(0)  # events keep arriving while the snapshot is in flight
        if self.rng.random() < self.fail_rate:
            raise aiohttp.ClientConnectionError('test: snapshot request failed')
        at = self.last_id
        if self.rng.random() < self.stale_rate and self.log_ids:
            at = self.rng.choice(self.log_ids[-40:])  # a lagging snapshot, possibly mid-event
        bids, asks = self.state_at(at)
        top_bids = sorted(bids, reverse=True)[:limit]
        top_asks = sorted(asks)[:limit]
        self.served_bounds.add(
            (
                top_bids[-1] if len(top_bids) == limit else NEG_INF,
                top_asks[-1] if len(top_asks) == limit else POS_INF,
            )
        )
        return {
            'lastUpdateId': at,
            'bids': [[fmt_snapshot(p), fmt_snapshot(bids[p])] for p in top_bids],
            'asks': [[fmt_snapshot(p), fmt_snapshot(asks[p])] for p in top_asks],
        }


def assert_consistent(book: OrderBook, truth: TrueBook, fed_max: int | None, confirmed: bool = False) -> None:
    """A ready book is the true book at the newest event fed (or, with its stream confirmed, at a snapshot newer
    than every event fed); any book shown is the truth at its last_update_id."""
    lu = book.last_update_id
    if book.ready:
        if confirmed:
            assert lu is not None and (fed_max is None or lu >= fed_max)
        else:
            assert lu == fed_max
    if lu is None:
        assert not book.ready and book.bids == [] and book.asks == []
        return
    floor, ceiling = book.known_range
    assert (floor, ceiling) in truth.served_bounds
    bids, asks = truth.view_at(lu, floor, ceiling)
    assert book.bids == bids
    assert book.asks == asks


@pytest.mark.parametrize('confirmed', [False, True], ids=['events', 'confirmed'])
@pytest.mark.parametrize('limit', [1000, 15], ids=['complete', 'bounded'])
@pytest.mark.parametrize('rule', [SPOT_RULE, FUTURES_RULE], ids=['spot', 'futures'])
async def test_randomized_gaps_stale_snapshots_and_invalidations(rule: Any, limit: int, confirmed: bool) -> None:
    """*confirmed*: the framework confirms the stream at the start and after every reconnect (once the events
    lost meanwhile are past), so the book may be ready on snapshots alone and judges the next event with
    ``first()``; otherwise it is ready only when fed events join a snapshot."""
    rng = random.Random(f'{rule!r}/{limit}' + ('/confirmed' if confirmed else ''))
    truth = TrueBook(rng, futures=rule is FUTURES_RULE)
    book, client = make_book(truth.serve, rule=rule, limit=limit)
    if confirmed:
        book._stream_live()
    reconnecting = False
    fed_max = None
    recoveries = gaps = invalidations = lost_on_reconnect = 0
    was_ready = False
    async with asyncio.timeout(20):
        for _ in range(4000):
            event = truth.next_event()
            r = rng.random()
            # The stream loses events, more often while the book resyncs (so the buffer itself has gaps).
            if r < (0.02 if book.ready else 0.1) or lost_on_reconnect:
                gaps += 1
                lost_on_reconnect = max(0, lost_on_reconnect - 1)
            elif confirmed and reconnecting:
                reconnecting = False
                book._stream_live()  # the replay is acknowledged: this event is the first on the new connection
                book.feed(event)
                fed_max = event['u']
            else:
                book.feed(event)
                fed_max = event['u']
                if r > 0.99:
                    book.feed(rng.choice(truth.events[-6:-1]))  # a repeated old event
            if rng.random() < 0.005:
                invalidations += 1
                if confirmed:
                    book._stream_lost('test reconnect')
                    reconnecting = True
                else:
                    book.invalidate('test reconnect')
                lost_on_reconnect = rng.randrange(3)  # events sent while the connection was down
            for _ in range(rng.choice((0, 0, 1, 1, 2, 5))):
                await asyncio.sleep(0)
            assert_consistent(book, truth, fed_max, confirmed)
            recoveries += book.ready and not was_ready
            was_ready = book.ready
        # Faults stop: the book must converge on the final true book.
        truth.fail_rate = truth.stale_rate = 0
        while not book.ready:
            event = truth.next_event()
            book.feed(event)
            fed_max = event['u']
            await asyncio.sleep(0)
    assert_consistent(book, truth, fed_max, confirmed)
    assert book.last_update_id == truth.last_id
    floor, ceiling = book.known_range
    assert [book.bids, book.asks] == list(truth.view_at(truth.last_id, floor, ceiling))
    assert len(book.bids) > 0 and len(book.asks) > 0
    # The run exercised what it claims to: many resyncs, stale snapshots and failures among the fetches.
    assert gaps > 40 and invalidations > 5 and recoveries > 40
    assert len(client.calls) > recoveries
