"""Sequencing rules for diff-depth streams: how a market decides whether an event is dropped, applied, or
proves a gap. Plugins put a rule in their ``OrderBookSpec``; the managed book never asks which market it is on."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, Protocol

__all__ = ['APPLY', 'DROP', 'FUTURES_RULE', 'GAP', 'SPOT_RULE', 'FuturesRule', 'SequencingRule', 'SpotRule', 'Verdict']


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


class SpotRule:
    """Spot (SPOT-DOCS "How to manage a local order book correctly", corrected 2025-11-12).

    ``first``: drop ``u <= lastUpdateId``; the first kept event must have ``U <= lastUpdateId + 1 <= u``.
    ``next``: ``U == prev u + 1`` applies; ``U > prev u + 1`` is a gap; ``u <= prev u`` is dropped.
    """

    __slots__ = ()
    name = 'spot'

    def first(self, last_update_id: int, event: Mapping[str, Any]) -> Verdict:
        # Step 4: discard buffered events where u <= lastUpdateId.
        if event['u'] <= last_update_id:
            return DROP
        # Here u >= lastUpdateId + 1, so the event is usable iff it starts no later than lastUpdateId + 1.
        # (Step 3's "lastUpdateId < first U: fetch again" is this test for the first buffered event; an event
        # starting exactly at lastUpdateId + 1 continues the snapshot with nothing missing, so it is accepted.)
        return APPLY if event['U'] <= last_update_id + 1 else GAP

    def next(self, prev_u: int, event: Mapping[str, Any]) -> Verdict:
        u = event['u']
        # Step 5: "ignore an event whose u < book id" (u == book id is a repeat of the last event).
        if u <= prev_u:
            return DROP
        # Step 5: "if U > book id + 1 an event was missed: discard the book and restart". An overlap
        # (U <= prev u < u) is not a gap: quantities are absolute, so applying it yields the state at u.
        return GAP if event['U'] > prev_u + 1 else APPLY

    def __repr__(self) -> str:
        return 'SPOT_RULE'


class FuturesRule:
    """USDⓈ-M and COIN-M (UM-WEB / CM-WEB "How to manage a local order book correctly").

    ``first``: drop ``u < lastUpdateId``; the first kept event must have ``U <= lastUpdateId <= u``.
    ``next``: ``pu == prev u`` applies; anything else newer than the book is a gap.
    """

    __slots__ = ()
    name = 'futures'

    def first(self, last_update_id: int, event: Mapping[str, Any]) -> Verdict:
        # Step 3: drop any event where u < lastUpdateId.
        if event['u'] < last_update_id:
            return DROP
        # Step 4: the first processed event must satisfy U <= lastUpdateId <= u.
        return APPLY if event['U'] <= last_update_id else GAP

    def next(self, prev_u: int, event: Mapping[str, Any]) -> Verdict:
        # Step 5: each new event's pu must equal the previous event's u, otherwise re-initialise.
        if event['pu'] == prev_u:
            return APPLY
        # A repeat of an event already applied changes nothing; ignoring it is safe.
        if event['u'] <= prev_u:
            return DROP
        return GAP

    def __repr__(self) -> str:
        return 'FUTURES_RULE'


SPOT_RULE = SpotRule()
FUTURES_RULE = FuturesRule()
