"""The request context: everything a client's transports, streams and user-data flow need to know,
built once per client and handed down, so that nothing below the client touches the client."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from binance_core.credentials import Credentials
from binance_core.specs import Hosts
from binance_core.timesync import TimeSync
from binance_core.transport.retry import RetryPolicy

if TYPE_CHECKING:
    from binance_core.rate_limit import RateLimiter

__all__ = ['RequestContext']


@attrs.frozen(kw_only=True)
class RequestContext:
    """What every request of one client shares. Immutable; the two usage dicts fill in as Binance
    reports usage.

    Attributes:
        market: the market name (``'spot'``), for logs and errors.
        client_name: the client class name (``'SpotClient'``), for errors.
        credentials: the ``Credentials``, or ``None`` (public calls only).
        clock: the server-time offset, synced before the first signed request.
        limiter: the client's rate limiter (pools shared with other clients where Binance shares them).
        hosts: the resolved REST, WS-API and stream hosts.
        recv_window: ``recvWindow`` added to signed requests, or ``None`` for Binance's default.
        time_unit: ``'MICROSECOND'`` or ``None`` (milliseconds).
        request_timeout: seconds a REST call or a WS-API request may take.
        stream_timeout: seconds of stream silence before a ping (as long again for an answer).
        request_params: extra ``aiohttp`` request arguments (``headers`` merge with ours).
        retry_policy: ``policy(RetryInfo) -> (abandon, delay)`` for reconnects.
        resign_codes: error codes meaning "timestamp outside the window, not executed": the request
            is re-signed once after a clock sync (``-1021`` everywhere; futures add ``-5028``).
        session_logon: whether the WS-API offers ``session.logon`` (``MarketSpec.session_logon``).
        ws_api_connect_weight: request weight taken before each WS-API connection
            (``MarketSpec.ws_api_connect_weight``).
        used_weight: latest ``X-MBX-USED-WEIGHT-*`` values, e.g. ``{'1m': 20}``.
        order_count: latest ``X-MBX-ORDER-COUNT-*`` values, e.g. ``{'10s': 3}``.
    """

    market: str
    client_name: str
    credentials: Credentials | None
    clock: TimeSync
    limiter: RateLimiter
    hosts: Hosts
    recv_window: int | None = None
    time_unit: str | None = None
    request_timeout: float = 10.0
    stream_timeout: float = 30.0
    request_params: Mapping[str, Any] = attrs.field(factory=dict)
    retry_policy: RetryPolicy
    resign_codes: frozenset[int] = frozenset({-1021})
    session_logon: bool = True
    ws_api_connect_weight: int = 2
    used_weight: dict[str, int] = attrs.field(factory=dict)
    order_count: dict[str, int] = attrs.field(factory=dict)

    def __repr__(self) -> str:
        return f'RequestContext(market={self.market!r}, credentials={self.credentials!r})'
