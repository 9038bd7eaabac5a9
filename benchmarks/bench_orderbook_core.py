"""The managed order book's cost per diff event next to a bare dict book, fed in-process (no I/O, no JSON).

    python benchmarks/bench_orderbook_core.py [events]

Each case loads a snapshot and feeds the same seeded Spot diff events (already decoded, as the stream hands them
over) to:

* ``managed feed``: ``OrderBook.feed(event)`` then ``best_bid`` and ``best_ask``: sequencing (Binance §11.1),
  the known-range bound, the crossed-book check, sorted levels, exact ``Decimal`` prices and quantities.
* ``managed handler``: the same through ``OrderBookHandlerBase.receive(event)``, the path a subscribed stream
  takes (routing by symbol), then ``best_bid`` and ``best_ask`` of the book it returns.
* ``bare dict book`` (the baseline of issue 15, as ``benchmarks/bare.py`` writes it): ``price -> qty`` dicts with
  the same ``Decimal`` parsing of every price and quantity, quantity 0 removes, and the top of book read once per
  event; the best prices are kept as levels change and found again with ``max()`` / ``min()`` only when the best
  level itself goes away (how a hand-written book reads its top cheaply). No sequencing, no checks.
* ``bare, max/min``: the same reading the top with ``max(bids)`` / ``min(asks)`` on every event (the older
  ``bench_orderbook.py`` baseline; O(levels) per event, so it flatters the SDK on deep books).
* ``bare apply only``: no top-of-book read at all, the floor of any design that parses every level.

Ratios are throughput ratios against the bare dict book (target: managed >= 0.6x). Every book is compared with
the generator's true book at the end. Times are the process's CPU time, best of ``REPEATS`` runs: the machine may
be busy, and the minimum is the least disturbed run.
"""

from __future__ import annotations

import asyncio
import random
import sys
import time
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from binance_core.orderbook import OrderBook, OrderBookHandlerBase
from binance_core.specs import OrderBookSpec
from binance_spot.orderbook import SPOT_RULE

# CPU time of this process: on a shared machine, time spent descheduled is not the code's.
_clock = time.process_time

SEED = 20261115
REPEATS = 7
TARGET = 0.6
MID = 3_000_000  # in ticks of 0.01: 30000.00

# (name, snapshot depth, levels on each side of the true book, ticks from the mid where levels live, changes per
# event). The small book makes the baseline's max()/min() cheap; the deep ones hold some 750-1000 levels a side.
CASES = (
    ('depth 20, small book, 10/event', 20, 40, 100, 10),
    ('depth 100, 10 levels/event', 100, 1500, 3000, 10),
    ('depth 1000, 10 levels/event', 1000, 1500, 3000, 10),
    ('depth 1000, 40 levels/event', 1000, 1500, 3000, 40),
)


def fmt(ticks: int) -> str:
    """A price in ticks as Binance writes it in diffs (8 decimals)."""
    return f'{ticks // 100}.{ticks % 100:02d}000000'


def fmt_qty(q: int) -> str:
    return f'{q // 10**8}.{q % 10**8:08d}'


class _Side:
    """One side of the true book: ``tick -> qty`` plus a list for O(1) random choice."""

    def __init__(self, ticks: list[int], rng: random.Random) -> None:
        self.qty = {t: rng.randint(1, 10**10) for t in ticks}
        self.keys = list(ticks)
        self.index = {t: i for i, t in enumerate(self.keys)}

    def set(self, t: int, q: int) -> None:
        if t not in self.qty:
            self.index[t] = len(self.keys)
            self.keys.append(t)
        self.qty[t] = q

    def remove(self, t: int) -> None:
        del self.qty[t]
        i = self.index.pop(t)
        last = self.keys.pop()
        if i < len(self.keys):
            self.keys[i] = last
            self.index[last] = i


def generate(
    rng: random.Random, depth: int, size: int, spread: int, per_event: int, n: int
) -> tuple[dict[str, Any], list[dict[str, Any]], _Side, _Side]:
    """A snapshot of the *depth* best levels per side, then *n* events of about *per_event* changes: 60%
    quantity changes, 15% removals, 5% removals of absent levels, 20% new levels within *spread* ticks of the
    mid (so also beyond the known range of a full snapshot side, where the managed book ignores them)."""
    bids = _Side(rng.sample(range(MID - spread, MID), size), rng)
    asks = _Side(rng.sample(range(MID + 1, MID + spread + 1), size), rng)
    snapshot = {
        'lastUpdateId': 1000,
        'bids': [[f'{t / 100:.2f}', fmt_qty(bids.qty[t])] for t in sorted(bids.qty, reverse=True)[:depth]],
        'asks': [[f'{t / 100:.2f}', fmt_qty(asks.qty[t])] for t in sorted(asks.qty)[:depth]],
    }
    events = []
    uid = 1000
    for _ in range(n):
        changes: dict[tuple[bool, int], int] = {}
        for _ in range(rng.randint(per_event * 4 // 5, per_event * 6 // 5)):
            is_bid = rng.random() < 0.5
            side = bids if is_bid else asks
            r = rng.random()
            if r < 0.6:
                t = rng.choice(side.keys)
                q = rng.randint(1, 10**10)
                side.set(t, q)
            elif r < 0.75 and len(side.keys) > size // 2:
                t = rng.choice(side.keys)
                q = 0
                side.remove(t)
            elif r < 0.8:
                t = (MID - rng.randint(1, spread)) if is_bid else (MID + rng.randint(1, spread))
                if t in side.qty:
                    continue
                q = 0  # removing an absent level is normal (Binance §11.2 step 6)
            else:
                t = (MID - rng.randint(1, spread)) if is_bid else (MID + rng.randint(1, spread))
                q = rng.randint(1, 10**10)
                side.set(t, q)
            changes[(is_bid, t)] = q
        first = uid + 1
        uid += rng.randint(1, 3)
        events.append(
            {
                'e': 'depthUpdate',
                'E': 0,
                's': 'BTCUSDT',
                'U': first,
                'u': uid,
                'b': [[fmt(t), fmt_qty(q)] for (b, t), q in changes.items() if b],
                'a': [[fmt(t), fmt_qty(q)] for (b, t), q in changes.items() if not b],
            }
        )
    return snapshot, events, bids, asks


class _Client:
    """Serves the one snapshot, as ``client.get_orderbook(symbol=, limit=)`` would."""

    def __init__(self, snapshot: dict[str, Any]) -> None:
        self.market = SimpleNamespace(
            orderbook=OrderBookSpec(snapshot_endpoint='get_orderbook', max_limit=5000, rule=SPOT_RULE)
        )
        self.snapshot = snapshot

    async def get_orderbook(self, *, symbol: str, limit: int) -> dict[str, Any]:
        return self.snapshot


async def _synced(snapshot: dict[str, Any], events: list[dict[str, Any]], depth: int, handler: bool) -> Any:
    client = _Client(snapshot)
    if handler:
        h = OrderBookHandlerBase(limit=depth)
        h._bind_client(client)
        book = h.receive(events[0])
        feed = h.receive
    else:
        h = None
        book = OrderBook('BTCUSDT', limit=depth, client=client)
        book._feeder = 'manual'
        book.feed(events[0])
        feed = book.feed
    async with asyncio.timeout(10):
        await book.updated()  # the snapshot joined with the first event
    return book, feed, h


def run_managed(
    snapshot: dict[str, Any], events: list[dict[str, Any]], depth: int, handler: bool
) -> tuple[float, OrderBook]:
    async def go() -> tuple[float, OrderBook]:
        book, feed, h = await _synced(snapshot, events, depth, handler)
        rest = events[1:]
        if handler:
            start = _clock()
            for event in rest:
                b = feed(event)
                b.best_bid  # noqa: B018 - the consumer's once-per-event top-of-book read
                b.best_ask  # noqa: B018
            elapsed = _clock() - start
        else:
            start = _clock()
            for event in rest:
                feed(event)
                book.best_bid  # noqa: B018
                book.best_ask  # noqa: B018
            elapsed = _clock() - start
        assert book.ready and book.last_update_id == events[-1]['u'], 'the managed book fell out of sync'
        (h or book).close()
        return elapsed, book

    return asyncio.run(go())


def run_bare(
    snapshot: dict[str, Any], events: list[dict[str, Any]], top: str = 'kept'
) -> tuple[float, dict[Decimal, Decimal], dict[Decimal, Decimal]]:
    """*top*: ``'kept'`` (best prices kept as levels change), ``'scan'`` (max/min every event) or ``'none'``."""
    bids = {Decimal(p): Decimal(q) for p, q in snapshot['bids']}
    asks = {Decimal(p): Decimal(q) for p, q in snapshot['asks']}
    best_bid: Decimal | None = max(bids)
    best_ask: Decimal | None = min(asks)
    D = Decimal
    kept, scan = top == 'kept', top == 'scan'
    start = _clock()
    for event in events:
        for p, q in event['b']:
            price, amount = D(p), D(q)
            if amount:
                bids[price] = amount
                if kept and (best_bid is None or price > best_bid):
                    best_bid = price
            elif bids.pop(price, None) is not None and price == best_bid:
                best_bid = None
        for p, q in event['a']:
            price, amount = D(p), D(q)
            if amount:
                asks[price] = amount
                if kept and (best_ask is None or price < best_ask):
                    best_ask = price
            elif asks.pop(price, None) is not None and price == best_ask:
                best_ask = None
        if kept:
            if best_bid is None:
                best_bid = max(bids)
            if best_ask is None:
                best_ask = min(asks)
            _ = [best_bid, bids[best_bid]], [best_ask, asks[best_ask]]  # the top of book, once per event
        elif scan:
            b = max(bids)
            a = min(asks)
            _ = [b, bids[b]], [a, asks[a]]
    return _clock() - start, bids, asks


def _truth(side: _Side, lo: Decimal, hi: Decimal) -> list[list[Decimal]]:
    out = []
    for t in sorted(side.qty):
        p = Decimal(t) / 100
        if lo <= p <= hi:
            out.append([p, Decimal(side.qty[t]) / 10**8])
    return out


def main(n: int) -> None:
    print(f'{n:,} diff events per case, fed in-process; per event: apply + best bid + best ask')
    header = f'{"case":<32}{"path":<18}{"us/event":>10}{"events/s":>12}{"vs bare":>9}  target'
    print(header)
    print('-' * len(header))
    for name, depth, size, spread, per_event in CASES:
        snapshot, events, bids, asks = generate(random.Random(f'{SEED}/{name}'), depth, size, spread, per_event, n)
        runs: dict[str, list[float]] = {k: [] for k in ('feed', 'handler', 'kept', 'scan', 'none')}
        for _ in range(REPEATS):  # interleaved, so a busy spell on the machine hits every path alike
            seconds, book = run_managed(snapshot, events, depth, False)
            runs['feed'].append(seconds)
            seconds, hbook = run_managed(snapshot, events, depth, True)
            runs['handler'].append(seconds)
            for top in ('kept', 'scan', 'none'):
                seconds, bb, _ = run_bare(snapshot, events, top)
                runs[top].append(seconds)
        lo, hi = book.known_range
        assert book.bids == _truth(bids, lo, hi) and book.asks == _truth(asks, lo, hi), 'managed book != truth'
        assert hbook.bids == book.bids and hbook.asks == book.asks
        # The bare books apply the first event too (the managed books joined it with the snapshot).
        assert [[p, bb[p]] for p in sorted(bb) if p >= lo] == book.bids, 'bare book != truth'
        feed_s, handler_s, bare_s, scan_s, floor_s = (min(runs[k]) for k in ('feed', 'handler', 'kept', 'scan', 'none'))
        m = len(events) - 1
        bare_us = bare_s / len(events) * 1e6
        for path, seconds, count in (
            ('managed feed', feed_s, m),
            ('managed handler', handler_s, m),
            ('bare dict book', bare_s, len(events)),
            ('bare, max/min', scan_s, len(events)),
            ('bare apply only', floor_s, len(events)),
        ):
            us = seconds / count * 1e6
            ratio = bare_us / us
            target = f'>= {TARGET}x {"ok" if ratio >= TARGET else "MISSED"}' if path.startswith('managed') else ''
            print(f'{name:<32}{path:<18}{us:>10.2f}{1e6 / us:>12,.0f}{ratio:>8.2f}x  {target}')
        print(f'{"":<32}book: {len(book.bids)} bids, {len(book.asks)} asks, equal to the true book')


if __name__ == '__main__':
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
