"""Spot's order-book sequencing rule (the ``SequencingRule`` the Spot ``OrderBookSpec`` names)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from binance_core.orderbook.sequencing import APPLY, DROP, GAP, Verdict

__all__ = ['SPOT_RULE', 'SpotRule']


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


SPOT_RULE = SpotRule()
