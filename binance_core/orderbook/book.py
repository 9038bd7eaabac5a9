"""The order-book engine: two price-sorted sides holding exact ``Decimal`` prices, with O(1) top of book and
O(log depth) search per changed level. No I/O and no sequencing: the managed book decides what to apply.

Design choices (measured on CPython 3.11, see ``benchmarks/bench_orderbook_core.py``):

* Prices and quantities are ``Decimal``. ``Decimal(str)`` is C code and exact for any scale, and equal values
  hash equally, so ``'0.10'`` and ``'0.10000000'`` are the same level. A scaled ``int`` compares about twice as
  fast but needs a per-symbol scale and a slower, Python-level parse; ``float`` is not exact.
* Each side is a ``dict`` price -> quantity plus a sorted ``list`` of its prices. A quantity change of an
  existing level (the common case) is one dict store; only a new or removed level touches the list
  (``bisect``: O(log n) comparisons plus a memmove of at most a few KiB). Both lists are ascending, so the best
  bid is ``bid_prices[-1]`` and the best ask ``ask_prices[0]``.
* Hashing a ``Decimal`` costs several times parsing it, and diffs name the same prices over and over. So each
  side memoises ``price string -> Decimal`` for the prices it holds: a level seen before costs one lookup by
  string, and the ``Decimal`` it returns carries its cached hash into the level dict. Quantities are parsed every
  time (they change every time). The memo is bounded in proportion to the book and never changes a result.
* Depth bound (Binance §11.1 step 6: levels beyond the snapshot are unknown): when a snapshot side is full (it
  returned ``depth`` levels), prices worse than its worst level are outside the *known range* and are neither
  stored nor reported; updates there are ignored. A side that returned fewer levels is the whole side and is
  unbounded. Everything reported is therefore exact, and memory stays bounded by the known range.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Sequence
from decimal import Decimal

__all__ = ['Book']

# How far a side's price memo may outgrow twice its levels before it is emptied (see _remember).
MEMO_SLACK = 256

_NEG_INF = Decimal('-Infinity')
_POS_INF = Decimal('Infinity')

Level = Sequence[str]


class Book:
    """Bids and asks of one symbol.

    Attributes:
        bid_floor: the lowest bid price that is known (``-Infinity``: every bid is known).
        ask_ceiling: the highest ask price that is known (``Infinity``: every ask is known).
    """

    __slots__ = (
        '_ask_keys',
        '_ask_px',
        '_asks',
        '_bid_keys',
        '_bid_px',
        '_bids',
        'ask_ceiling',
        'bid_floor',
    )

    def __init__(self) -> None:
        self._bids: dict[Decimal, Decimal] = {}
        self._asks: dict[Decimal, Decimal] = {}
        self._bid_px: list[Decimal] = []
        self._ask_px: list[Decimal] = []
        # price string -> Decimal, for prices inside each side's known range (see _apply_bids)
        self._bid_keys: dict[str, Decimal] = {}
        self._ask_keys: dict[str, Decimal] = {}
        self.bid_floor = _NEG_INF
        self.ask_ceiling = _POS_INF

    # -- writing -------------------------------------------------------------------------------

    def load(self, bids: Iterable[Level], asks: Iterable[Level], depth: int | None = None) -> None:
        """Replace the book with a snapshot (``[[price, qty], ...]`` strings, any order).

        :param depth: the ``limit`` the snapshot was requested with; a side holding that many levels is full,
            so only its range is known (see the module docstring). ``None``: both sides are complete.
        """
        self._bid_keys, self._bids = _load_side(bids)
        self._ask_keys, self._asks = _load_side(asks)
        full_bids = depth is not None and len(self._bids) >= depth
        full_asks = depth is not None and len(self._asks) >= depth
        # A snapshot never lists empty levels, but drop any so "present" always means "quantity > 0" (and forget
        # their prices: an empty worst level would be outside the range computed below).
        for keys, side in ((self._bid_keys, self._bids), (self._ask_keys, self._asks)):
            empty = [p for p, q in side.items() if not q]
            if empty:
                for p in empty:
                    del side[p]
                for text in [t for t, p in keys.items() if p not in side]:
                    del keys[text]
        self._bid_px = sorted(self._bids)
        self._ask_px = sorted(self._asks)
        self.bid_floor = self._bid_px[0] if full_bids and self._bid_px else _NEG_INF
        self.ask_ceiling = self._ask_px[-1] if full_asks and self._ask_px else _POS_INF

    def apply(self, bids: Iterable[Level], asks: Iterable[Level]) -> bool:
        """Apply one diff (absolute quantities; ``0`` removes; removing an absent level is normal).

        :returns: ``False`` when the result is crossed (best bid >= best ask): the book is corrupt
            (Binance §11.3's cheap check) and must be discarded by the caller.
        """
        if bids:
            _apply_bids(self._bids, self._bid_px, self._bid_keys, bids, self.bid_floor)
        if asks:
            _apply_asks(self._asks, self._ask_px, self._ask_keys, asks, self.ask_ceiling)
        bp = self._bid_px
        ap = self._ask_px
        return not (bp and ap and bp[-1] >= ap[0])

    def clear(self) -> None:
        """Forget every level (the book is unknown)."""
        self._bids = {}
        self._asks = {}
        self._bid_px = []
        self._ask_px = []
        self._bid_keys = {}
        self._ask_keys = {}
        self.bid_floor = _NEG_INF
        self.ask_ceiling = _POS_INF

    # -- reading (never mutates) -----------------------------------------------------------------

    @property
    def best_bid(self) -> list[Decimal] | None:
        """``[price, qty]`` of the highest bid, or ``None``; O(1)."""
        bp = self._bid_px
        return [bp[-1], self._bids[bp[-1]]] if bp else None

    @property
    def best_ask(self) -> list[Decimal] | None:
        """``[price, qty]`` of the lowest ask, or ``None``; O(1)."""
        ap = self._ask_px
        return [ap[0], self._asks[ap[0]]] if ap else None

    @property
    def crossed(self) -> bool:
        """``True`` if best bid >= best ask, which a correct book never is."""
        bp = self._bid_px
        ap = self._ask_px
        return bool(bp and ap and bp[-1] >= ap[0])

    @property
    def bids(self) -> list[list[Decimal]]:
        """``[[price, qty], ...]`` in ASCENDING price order: the best bid is the LAST entry. O(n), a new list."""
        q = self._bids
        return [[p, q[p]] for p in self._bid_px]

    @property
    def asks(self) -> list[list[Decimal]]:
        """``[[price, qty], ...]`` in ascending price order: the best ask is the first entry. O(n), a new list."""
        q = self._asks
        return [[p, q[p]] for p in self._ask_px]

    def __len__(self) -> int:
        return len(self._bid_px) + len(self._ask_px)

    def __repr__(self) -> str:
        return f'Book({len(self._bid_px)} bids, {len(self._ask_px)} asks, best {self.best_bid} / {self.best_ask})'


def _load_side(levels: Iterable[Level]) -> tuple[dict[str, Decimal], dict[Decimal, Decimal]]:
    """A snapshot side: its price memo (every price it lists is inside its range) and its levels."""
    keys: dict[str, Decimal] = {}
    qty: dict[Decimal, Decimal] = {}
    for p, q in levels:
        price = keys[p] = Decimal(p)
        qty[price] = Decimal(q)
    return keys, qty


# The two appliers differ only in which end of the range is unknown; they are separate functions so the
# per-level loop does one comparison and no branching on the side.
#
# *keys* memoises ``price string -> Decimal`` for prices inside the side's known range: a hit skips the parse and
# the range test, and hands back a Decimal whose hash is already computed (``Decimal.__hash__`` costs several times
# the parse; a dict lookup by string costs a fraction of either). A miss parses and tests the range as before, and
# remembers the price once a quantity is stored there. Prices outside the range are not memoised: Binance's diffs
# name far more of them (they cover the whole book, the snapshot only its top) than a memo bounded by the book
# could hold, and a memo that keeps missing costs more than it saves. The memo is a pure function of the string
# while the range stands, so what it holds never changes a result, only the cost; it is bounded (``_remember``)
# and reset with the range (``load``, ``clear``).


def _apply_bids(
    qty: dict[Decimal, Decimal],
    px: list[Decimal],
    keys: dict[str, Decimal],
    levels: Iterable[Level],
    floor: Decimal,
) -> None:
    for p, q in levels:
        price = keys.get(p)
        if price is None:
            price = Decimal(p)
            if price < floor:  # below the snapshot's worst bid: unknown range (Binance §11.1 step 6)
                continue
            amount = Decimal(q)
            if amount:
                _remember(keys, qty, p, price)
        else:
            amount = Decimal(q)
        if amount:
            if price not in qty:
                insort(px, price)
            qty[price] = amount
        elif qty.pop(price, None) is not None:
            del px[bisect_left(px, price)]


def _apply_asks(
    qty: dict[Decimal, Decimal],
    px: list[Decimal],
    keys: dict[str, Decimal],
    levels: Iterable[Level],
    ceiling: Decimal,
) -> None:
    for p, q in levels:
        price = keys.get(p)
        if price is None:
            price = Decimal(p)
            if price > ceiling:  # above the snapshot's worst ask: unknown range (Binance §11.1 step 6)
                continue
            amount = Decimal(q)
            if amount:
                _remember(keys, qty, p, price)
        else:
            amount = Decimal(q)
        if amount:
            if price not in qty:
                insort(px, price)
            qty[price] = amount
        elif qty.pop(price, None) is not None:
            del px[bisect_left(px, price)]


def _remember(keys: dict[str, Decimal], qty: dict[Decimal, Decimal], text: str, price: Decimal) -> None:
    """Memoise *text* -> *price*. Levels come and go as the market moves, so the memo is emptied once it outgrows
    twice the side by ``MEMO_SLACK``: memory in proportion to the book, at most one clear (O(size)) per
    ``MEMO_SLACK`` new prices, and the levels still present are memoised again on their next change."""
    if len(keys) > 2 * len(qty) + MEMO_SLACK:
        keys.clear()
    keys[text] = price
