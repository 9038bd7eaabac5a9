"""What every request transport takes: one :class:`Outgoing` per request, whatever carries it."""

from __future__ import annotations

from typing import Any, NamedTuple

from binance_core.specs import SecurityType

__all__ = ['Outgoing']


class Outgoing(NamedTuple):
    """One request on its way out, before signing (a tuple: it is made per request).

    Attributes:
        params: the normalised params (``binance_core.params``); never modified by a transport.
        security: the call's security type (decides key, timestamp and signature).
        weight: request weight the call costs.
        orders: how many orders it adds to the order pools (> 0 makes a lost answer an unknown outcome).
        client_order_id: the order's client id (a tuple of them for a batch), carried into
            ``UnknownOutcomeException``.
    """

    params: dict[str, Any]
    security: SecurityType
    weight: int = 1
    orders: int = 0
    client_order_id: str | tuple[str, ...] | None = None
