"""The sequencing-rule contract for diff-depth streams: how a market decides whether an event is dropped,
applied, or proves a gap. Plugins supply the rules (Spot's in ``binance_spot.orderbook``, the futures ``pu``
chain in ``binance_futures.sequencing``) through their ``OrderBookSpec``; the managed book never asks which
market it is on."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, Protocol

__all__ = ['APPLY', 'DROP', 'GAP', 'SequencingRule', 'Verdict']


class Verdict(enum.IntEnum):
    """What to do with one diff event."""

    DROP = 0  # already contained in the book (or the snapshot): ignore it
    APPLY = 1  # continues the book: apply it
    GAP = 2  # an event is missing between the book and this one: the book cannot continue


# Module constants so the hot path compares by identity without an attribute lookup.
DROP = Verdict.DROP
APPLY = Verdict.APPLY
GAP = Verdict.GAP


class SequencingRule(Protocol):
    """The contract between the managed book and a market.

    Events are the stream's decoded dicts: ``U`` (first update id), ``u`` (final update id) and, on futures,
    ``pu`` (the previous event's ``u``).
    """

    name: str

    def first(self, last_update_id: int, event: Mapping[str, Any]) -> Verdict:
        """Judge a buffered event against a snapshot.

        ``DROP`` if the snapshot already contains it, ``APPLY`` if it is the first event to apply on top of the
        snapshot, ``GAP`` if it starts after the snapshot ends (the snapshot is too old: fetch another).
        """
        ...

    def next(self, prev_u: int, event: Mapping[str, Any]) -> Verdict:
        """Judge an event against a book whose last applied event ended at ``prev_u``."""
        ...
