"""User-data flows as general mechanisms: a WS-API subscription (``ws_api_flow``; Spot's wire names
are data its plugin passes in) and, for futures, the listenKey flow. A market plugin picks one with
the ``binance_user_data_flow`` hook; the core hands the flow :class:`UserDataServices`, never the client."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from binance_core.context import RequestContext
    from binance_core.handlers.errors import StreamError
    from binance_core.transport.rest import RestTransport
    from binance_core.transport.stream import StreamConnection
    from binance_core.transport.ws_api import WsApiTransport

__all__ = ['UserDataServices']


@attrs.frozen(kw_only=True)
class UserDataServices:
    """What the core gives a user-data flow: the request context, the client's transports and the
    way to its handlers.

    Attributes:
        context: the client's request context (credentials, clock, limiter, hosts, retry policy).
        ws_api: returns the client's WS-API transport (created on first use; raises ``ValueError``
            when the market has no WS-API host in this environment).
        rest: returns the client's REST transport (created on first use).
        deliver: ``await deliver(event)`` hands one unwrapped event (``{"e": ...}``) to the handlers.
        report_error: ``await report_error(stream, phase, exception, recovering)`` tells every
            ``StreamErrorHandlerBase`` (and, when nothing recovers, the exception handlers).
        report_stream_error: ``await report_stream_error(error)`` hands a ``StreamError`` the flow built
            itself (e.g. phase ``'gap'``, with ``down_at``/``up_at``) to every ``StreamErrorHandlerBase``.
        listens: ``listens(event_type)`` tells whether any registered handler receives user-data
            events of that type (``e``), so a flow fetches nothing nobody would receive.
        open_stream: ``open_stream(url, name=..., deliver=..., on_gap_closed=None, on_error=None)`` builds a
            raw user-stream :class:`~binance_core.transport.stream.StreamConnection` to *url* (not yet
            connected: ``await conn.open()``) with the client's HTTP session, rate limiter, stream retry
            policy and stream timeout. ``await deliver(stream, payload)`` gets every event in order: bare
            ones (``{"e": ...}``) with ``stream=''``, wrapped ones unwrapped with their stream name. The
            connection reconnects to *url* by itself after a drop and then calls ``await on_gap_closed(
            streams, down_at, up_at, exception)``; ``await on_error(phase, exception, recovering)`` hears
            of a skipped frame or of the retry policy giving up. The flow owns the connection and
            closes it (``await conn.close()``), before ``close()`` returns at the latest. *name* goes in
            logs: never put a listenKey in it.
    """

    context: RequestContext
    ws_api: Callable[[], WsApiTransport]
    rest: Callable[[], RestTransport]
    deliver: Callable[[Mapping[str, Any]], Awaitable[None]]
    report_error: Callable[[str, str, BaseException, bool], Awaitable[None]]
    report_stream_error: Callable[[StreamError], Awaitable[None]]
    listens: Callable[[str], bool]
    open_stream: Callable[..., StreamConnection]
