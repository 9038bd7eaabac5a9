"""What the benchmark exchange sends, built once: Binance payloads (trades, a Spot book and its diff events) and
their WebSocket frames, so that every reader in a run gets byte-identical input.

Nothing here imports the SDK: the exchange process (``benchmarks/harness.py``) and the bare readers use it too.
"""

from __future__ import annotations

import json
import random
import struct
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

T0 = 1_767_225_600_000  # 2026-01-01, ms: event times count up from here
BOOK_SEED = 20260701
BOOK_LEVELS = 1000  # per side of the snapshot
TICK = Decimal('0.01')
MID = Decimal('30000.00')
SNAPSHOT_ID = 1000


def dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(',', ':'))


def text_frame(payload: bytes) -> bytes:
    """An unmasked, final WebSocket text frame (RFC 6455 §5.2) as a server sends it."""
    n = len(payload)
    if n < 126:
        return bytes((0x81, n)) + payload
    if n < 1 << 16:
        return struct.pack('!BBH', 0x81, 126, n) + payload
    return struct.pack('!BBQ', 0x81, 127, n) + payload


def combined(stream: str, data_json: str) -> bytes:
    """A combined-stream message (``/stream``): ``{"stream": <name>, "data": <payload>}``."""
    return f'{{"stream":{dumps(stream)},"data":{data_json}}}'.encode()


def trade(symbol: str, i: int) -> dict[str, Any]:
    """Binance "Trade Streams" payload number *i* of *symbol*, with varying ids, prices and quantities."""
    return {
        'e': 'trade',
        'E': T0 + i,
        's': symbol,
        't': 12345 + i,
        'p': f'{0.001 + (i % 997) * 1e-8:.8f}',
        'q': f'{1 + i % 7}.{i % 100:02d}000000',
        'T': T0 + i,
        'm': i % 2 == 0,
        'M': True,
    }


def symbol_of(stream: str) -> str:
    """``'bnbbtc@trade'`` -> ``'BNBBTC'``."""
    return stream.partition('@')[0].upper()


def trade_burst(streams: Sequence[str], per_stream: int) -> bytes:
    """*per_stream* trade frames for each of *streams*, interleaved (one of each in turn), as one byte string."""
    heads = [(s, symbol_of(s)) for s in streams]
    return b''.join(
        text_frame(combined(stream, dumps(trade(symbol, i)))) for i in range(per_stream) for stream, symbol in heads
    )


# -- a Spot order book and its diff-depth events (Binance "How to manage a local order book correctly") ----------


class _Side:
    """One side of the generator's true book: a dict plus a list for O(1) random choice."""

    def __init__(self, prices: list[Decimal], rng: random.Random) -> None:
        self.qty = {p: Decimal(rng.randint(1, 10**6)) / 10**4 for p in prices}
        self.keys = list(prices)
        self.index = {p: i for i, p in enumerate(self.keys)}

    def set(self, p: Decimal, q: Decimal) -> None:
        if p not in self.qty:
            self.index[p] = len(self.keys)
            self.keys.append(p)
        self.qty[p] = q

    def remove(self, p: Decimal) -> None:
        del self.qty[p]
        i = self.index.pop(p)
        last = self.keys.pop()
        if i < len(self.keys):
            self.keys[i] = last
            self.index[last] = i


def _fmt(d: Decimal) -> str:
    return format(d, '.8f')


def book(events: int, seed: int = BOOK_SEED) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    """A ``BOOK_LEVELS``-level snapshot per side and *events* Spot ``depthUpdate`` events of ~10 levels each that
    follow it without a gap (the first has ``U = lastUpdateId + 1``); the events of a shorter run are a prefix of
    a longer one's (same *seed*).

    :returns: ``(snapshot, events, truth)``: the ``depth`` result, the events (symbol ``BTCUSDT``), and the true
        book after the last event as ``{'bids': {price: qty}, 'asks': {...}}`` of ``Decimal``.
    """
    rng = random.Random(seed)
    bids = _Side([MID - i * TICK for i in range(1, BOOK_LEVELS + 1)], rng)
    asks = _Side([MID + i * TICK for i in range(1, BOOK_LEVELS + 1)], rng)
    snapshot = {
        'lastUpdateId': SNAPSHOT_ID,
        'bids': [[_fmt(p), _fmt(q)] for p, q in sorted(bids.qty.items(), reverse=True)],
        'asks': [[_fmt(p), _fmt(q)] for p, q in sorted(asks.qty.items())],
    }
    out = []
    uid = SNAPSHOT_ID
    for n in range(events):
        changes: dict[tuple[bool, Decimal], Decimal] = {}
        for _ in range(rng.randint(8, 12)):
            is_bid = rng.random() < 0.5
            side, other = (bids, asks) if is_bid else (asks, bids)
            r = rng.random()
            if r < 0.6:
                p = rng.choice(side.keys)  # a quantity change (the common case)
                q = Decimal(rng.randint(1, 10**6)) / 10**4
                side.set(p, q)
            elif (r < 0.75 and len(side.keys) > BOOK_LEVELS) or len(side.keys) > BOOK_LEVELS + 100:
                p = rng.choice(side.keys)  # a level emptied
                q = Decimal(0)
                side.remove(p)
            elif r < 0.8:
                p = rng.choice(side.keys) - TICK / 2  # never a level: removing it is a no-op
                q = Decimal(0)
            else:
                # A new level anywhere from the spread to ~2,000 ticks deep; never crossing the other side.
                if is_bid:
                    p = min(other.keys) - rng.randint(1, 2000) * TICK
                else:
                    p = max(other.keys) + rng.randint(1, 2000) * TICK
                q = Decimal(rng.randint(1, 10**6)) / 10**4
                side.set(p, q)
            changes[(is_bid, p)] = q
        first = uid + 1
        uid += rng.randint(1, 3)
        out.append(
            {
                'e': 'depthUpdate',
                'E': T0 + n,
                's': 'BTCUSDT',
                'U': first,
                'u': uid,
                'b': [[_fmt(p), _fmt(q)] for (b, p), q in changes.items() if b],
                'a': [[_fmt(p), _fmt(q)] for (b, p), q in changes.items() if not b],
            }
        )
    return snapshot, out, {'bids': dict(bids.qty), 'asks': dict(asks.qty)}


def depth_burst(stream: str, events: Iterable[dict[str, Any]]) -> bytes:
    """*events* as combined-stream frames of *stream*, with ``s`` set to the stream's symbol."""
    symbol = symbol_of(stream)
    return b''.join(text_frame(combined(stream, dumps({**e, 's': symbol}))) for e in events)
