"""The futures order-book sequencing rule: the ``pu`` chain USDⓈ-M and COIN-M share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from binance_core.orderbook.sequencing import APPLY, DROP, GAP, Verdict

__all__ = ['FUTURES_RULE', 'FuturesRule']


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


FUTURES_RULE = FuturesRule()
