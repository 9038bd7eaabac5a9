"""A client's streams: subscribe-argument parsing, stream connections per path, the user-data
flow, and delivery to handlers. Markets differ only in their rows (wire names, paths, handler
bases) and in the user-data flow their plugin supplies. Works from the request context and the
market's rows; it never sees the client."""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from binance_core.context import RequestContext
from binance_core.exceptions import ConnectionLostException, UnsupportedSubTypeException
from binance_core.handlers.base import HandlerBase
from binance_core.handlers.dispatch import Dispatcher
from binance_core.handlers.errors import StreamError
from binance_core.specs import StreamType
from binance_core.subscriptions import Subscription, parse
from binance_core.transport.session import new_session
from binance_core.userdata import UserDataServices

if TYPE_CHECKING:
    from binance_core.hookspecs import UserDataFlow, UserDataFlowFactory
    from binance_core.transport.rest import RestTransport
    from binance_core.transport.stream import StreamConnection
    from binance_core.transport.ws_api import WsApiTransport

__all__ = ['StreamManager']

log = logging.getLogger('binance.streams')


class StreamManager:
    """Owns a client's stream connections, its user-data flow and its handler dispatcher.

    Stopped (:meth:`stop`), every connection keeps reading and discards what it reads, so no backlog
    builds up anywhere and nothing stale is delivered after :meth:`start`; connections and
    subscriptions stay up. Handlers learn of both through their optional ``_on_stop()`` /
    ``_on_start()`` hooks (managed order books go not ready, then resync).

    Reconnects that lose frames (any but a ``serverShutdown`` handover) are reported to every
    ``StreamErrorHandlerBase`` as a ``StreamError`` with ``phase='gap'``, once frames flow again.

    One connection per path carries at most the ``ws_streams`` cap of the market's pools (Spot 1024, futures
    200): beyond it ``subscribe`` raises ``TooManyStreamsException``, as the spec says. With
    ``spread_streams=True`` the streams of a path are spread over as many connections as they need instead:
    new names fill the connections that have room, in order, then new connections (each takes one connection
    attempt from the ``ws_connections`` pool and sends its own ``SUBSCRIBE`` within its own message budget); a
    name lives on one connection only, and each connection replays its own streams after a drop.

    Args:
        ctx: the client's request context.
        stream_types: the market's rows by ``SubType`` member name.
        sub_type: the assembled ``SubType`` enum.
        user_data_flow: the market's flow factory, or ``None``.
        ws_api / rest: return the client's transports (the user-data flow may use them).
        transport: the stream transport, ``'aiohttp'`` or ``'picows'`` (``transport.stream.pick_transport``).
        spread_streams: spread a path's streams over several connections rather than refuse more than fit on one.

    Attributes:
        dispatcher: routes frames to the registered handlers.
        connections: the (first) stream connection of each path (``None``: the market's default path).
        groups: every stream connection of each path, the first one first (more than one only when spreading).
    """

    def __init__(
        self,
        ctx: RequestContext,
        *,
        stream_types: Mapping[str, StreamType],
        sub_type: type[enum.Enum],
        user_data_flow: UserDataFlowFactory | None,
        ws_api: Callable[[], WsApiTransport],
        rest: Callable[[], RestTransport],
        transport: str = 'aiohttp',
        spread_streams: bool = False,
    ) -> None:
        self._ctx = ctx
        self.transport = transport
        self.spread_streams = spread_streams
        self._stream_types = stream_types
        self._sub_type = sub_type
        self._flow_factory = user_data_flow
        self._ws_api = ws_api
        self._rest = rest
        self.dispatcher = Dispatcher()
        self.connections: dict[str | None, StreamConnection] = {}
        self.groups: dict[str | None, list[StreamConnection]] = {}
        # Spreading: which connection each stream name was given to (also while its SUBSCRIBE is under way), and
        # how many each connection was given.
        self._owners: dict[tuple[str | None, str], StreamConnection] = {}
        self._given: dict[StreamConnection, int] = {}
        self._handlers: list[HandlerBase] = []
        self._session: Any = None
        self._user_flow: UserDataFlow | None = None
        self._delivering = True
        self._closed = False
        self._subscriptions: dict[str, Subscription] = {}  # by wire name, for the _on_subscribed hook

    # -- handlers ----------------------------------------------------------------------------

    def add_handlers(self, handlers: tuple[HandlerBase, ...]) -> None:
        """Register handlers (the client has bound them to itself). A handler added while the client is
        stopped learns it at once (``_on_stop``), as if it had been there when ``stop()`` was called."""
        for h in handlers:
            self.dispatcher.add(h)
            self._handlers.append(h)
            if not self._delivering:
                self._call_hook(h, '_on_stop', 'a stop')

    # -- subscriptions -----------------------------------------------------------------------

    async def subscribe(self, args: tuple[Any, ...], *, unsubscribe: bool) -> None:
        ctx = self._ctx
        if self._closed and not unsubscribe:
            raise ConnectionLostException(f'{ctx.client_name}: the client is closed; create a new client to subscribe')
        subs = parse(args, self._stream_types, self._sub_type, market=ctx.market)
        by_path: dict[str | None, list[str]] = {}
        user = False
        for sub in subs:
            if sub.row.connection == 'user':
                user = True
                continue
            assert sub.wire is not None  # data streams always have a wire name
            by_path.setdefault(sub.row.path, []).append(sub.wire)
            if unsubscribe:
                self.dispatcher.unroute(sub.wire)
            else:
                self.dispatcher.route(sub.wire, sub.row.handler)
        if user and self._flow_factory is None:
            raise UnsupportedSubTypeException(f'{ctx.client_name} has no user-data stream flow')
        for path, names in by_path.items():
            if unsubscribe:
                for conn in self.groups.get(path, ()):
                    mine = [n for n in names if n in conn.streams]
                    for n in mine:
                        self._disown(path, n)
                    if mine:
                        await conn.unsubscribe(mine)
            else:
                acked = [sub for sub in subs if sub.wire in names]
                # Known before the ack: a subscribe cut short by a drop is replayed, and its replay announced.
                self._subscriptions.update((sub.wire, sub) for sub in acked if sub.wire is not None)
                if self.spread_streams:
                    await self._subscribe_spread(path, names, acked)
                    continue
                await self._connection(path).subscribe(names)
                # Binance acknowledged them on the live connection: stateful handlers (order books) may act
                # on it (e.g. take a snapshot now).
                self._call_hooks('_on_subscribed', 'a subscription', acked)
        if unsubscribe:
            for sub in subs:
                if sub.wire is not None:
                    self._subscriptions.pop(sub.wire, None)
        if user:
            if unsubscribe:
                if self._user_flow is not None:
                    await self._user_flow.stop()
            else:
                await self._flow().start()

    async def _subscribe_spread(self, path: str | None, names: list[str], acked: list[Subscription]) -> None:
        """Subscribe *names* of one path over the connections that have room (new ones as needed), all at once;
        every connection is waited for, then the first failure is raised (streams acknowledged elsewhere stay)."""
        group = self._group(path)
        cap = self._stream_cap()
        plan: dict[StreamConnection, list[str]] = {}
        for name in dict.fromkeys(names):
            owner = self._owners.get((path, name))
            if owner is None:
                owner = next((c for c in group if cap is None or self._given.get(c, 0) < cap), None)
                if owner is None:
                    owner = self._new_connection(path, len(group))
                    group.append(owner)
                self._owners[path, name] = owner
                self._given[owner] = self._given.get(owner, 0) + 1
            plan.setdefault(owner, []).append(name)
        conns = list(plan)
        results = await asyncio.gather(*(c.subscribe(plan[c]) for c in conns), return_exceptions=True)
        failure: BaseException | None = None
        done: set[str] = set()
        for conn, result in zip(conns, results, strict=True):
            if isinstance(result, BaseException):
                failure = failure or result
                for name in plan[conn]:
                    if name not in conn.streams:  # refused: it may go elsewhere next time
                        self._disown(path, name)
            else:
                done.update(plan[conn])
        self._call_hooks('_on_subscribed', 'a subscription', [sub for sub in acked if sub.wire in done])
        if failure is not None:
            raise failure

    def _disown(self, path: str | None, name: str) -> None:
        conn = self._owners.pop((path, name), None)
        if conn is not None:
            self._given[conn] -= 1

    def _stream_cap(self) -> int | None:
        """Streams one connection may carry: the market's ``ws_streams`` connection pool (``None``: no cap)."""
        caps = [p.limit for p in self._ctx.limiter.pools if p.type == 'ws_streams' and p.scope == 'connection']
        return min(caps) if caps else None

    def _all_connections(self) -> Iterator[StreamConnection]:
        for group in self.groups.values():
            yield from group

    def _flow(self) -> UserDataFlow:
        if self._user_flow is None:
            assert self._flow_factory is not None
            self._user_flow = self._flow_factory(
                UserDataServices(
                    context=self._ctx,
                    ws_api=self._ws_api,
                    rest=self._rest,
                    deliver=self.dispatcher.dispatch_user,
                    report_error=self.report_error,
                    report_stream_error=self.dispatcher.report_stream_error,
                    listens=self.dispatcher.receives_event,
                    open_stream=self._open_user_stream,
                )
            )
            if not self._delivering:
                self._user_flow.pause()
        return self._user_flow

    def _open_user_stream(
        self,
        url: str,
        *,
        name: str,
        deliver: Callable[[str, Any], Awaitable[None]],
        on_gap_closed: Callable[[tuple[str, ...], float, float, BaseException], Awaitable[None]] | None = None,
        on_error: Callable[[str, BaseException, bool], Awaitable[None]] | None = None,
    ) -> StreamConnection:
        """A raw user-stream connection for the user-data flow (``UserDataServices.open_stream``): the client's
        session, limiter, retry policy and timeout; the flow owns it and closes it."""
        from binance_core.transport.stream import StreamConnection  # on first use: import binance stays fast

        ctx = self._ctx
        return StreamConnection(
            url,
            session_factory=self._session_factory,
            limiter=ctx.limiter,
            deliver=deliver,
            retry_policy=ctx.retry_policy,
            timeout=ctx.stream_timeout,
            on_gap_closed=on_gap_closed,
            on_error=on_error,
            name=name,
            raw_events=True,
            transport=self.transport,
            connect_timeout=ctx.request_timeout,
        )

    def _connection(self, path: str | None) -> StreamConnection:
        """The first connection of *path*, made on first use."""
        conn = self.connections.get(path)
        if conn is None:
            conn = self.connections[path] = self._new_connection(path, 0)
            self.groups[path] = [conn]
        return conn

    def _group(self, path: str | None) -> list[StreamConnection]:
        self._connection(path)
        return self.groups[path]

    def _new_connection(self, path: str | None, index: int) -> StreamConnection:
        from binance_core.transport.stream import StreamConnection  # on first use: import binance stays fast

        ctx = self._ctx
        host = ctx.hosts.stream.rstrip('/')
        url = f'{host}/{path}/stream' if path else f'{host}/stream'
        made: list[StreamConnection] = []

        async def on_gap() -> None:
            await self._on_gap(made[0])

        delivery = self.dispatcher.delivery()  # its own pending batches: a batch never mixes connections
        conn = StreamConnection(
            url,
            session_factory=self._session_factory,
            limiter=ctx.limiter,
            deliver=delivery.deliver_stream,
            batches=delivery,
            retry_policy=ctx.retry_policy,
            timeout=ctx.stream_timeout,
            on_gap=on_gap,
            on_gap_closed=self._on_data_gap_closed,
            on_error=self._on_data_error,
            name=f'data{"/" + path if path else ""}{f"#{index + 1}" if index else ""}',
            transport=self.transport,
            connect_timeout=ctx.request_timeout,
        )
        made.append(conn)
        if not self._delivering:
            conn.stop_delivery()
        return conn

    def _session_factory(self) -> Any:
        if self._closed:  # a late reconnect (or a flow still starting) must not reopen what close() closed
            raise ConnectionLostException(f'{self._ctx.client_name}: the client is closed')
        if self.transport != 'aiohttp':
            return None  # picows opens its own connections
        if self._session is None:
            self._session = new_session(self._ctx.request_timeout)
        return self._session

    # -- events --------------------------------------------------------------------------------

    def _call_hooks(self, name: str, what: str, *args: Any) -> None:
        """Call the optional framework hook *name* (see ``HandlerBase``) of every handler that has it."""
        for h in self._handlers:
            self._call_hook(h, name, what, *args)

    @staticmethod
    def _call_hook(handler: HandlerBase, name: str, what: str, *args: Any) -> None:
        hook = getattr(handler, name, None)
        if hook is not None:
            try:
                hook(*args)
            except Exception:
                log.exception('handler %r failed to handle %s', handler, what)

    async def _on_gap(self, conn: StreamConnection) -> None:
        """*conn* was lost (not handed over): the frames of its streams sent from now until its replay is
        acknowledged are gone. A handler with ``_on_streams_lost(subscriptions)`` learns which streams those are
        (managed order books resync only the books on *conn*: with many connections, one drop must not cost a
        snapshot of every book); any other gets ``_on_reconnect()``."""
        lost = [self._subscriptions[name] for name in conn.streams if name in self._subscriptions]
        for h in self._handlers:
            if getattr(h, '_on_streams_lost', None) is not None:
                self._call_hook(h, '_on_streams_lost', 'a lost connection', lost)
            else:
                self._call_hook(h, '_on_reconnect', 'a reconnect')
        # A handler told by _on_reconnect() that everything went stale: the streams on the other connections lost
        # nothing, so confirm them again, as after a subscribe (those of *conn* are confirmed when its replay is).
        live = [
            self._subscriptions[name]
            for other in self._all_connections()
            if other is not conn
            for name in other.confirmed
            if name in self._subscriptions
        ]
        if live:
            self._call_hooks('_on_subscribed', 'a subscription on a connection that stayed up', live)

    async def _on_data_gap_closed(
        self, streams: tuple[str, ...], down_at: float, up_at: float, exc: BaseException
    ) -> None:
        # The replay was acknowledged on the new connection: books may fetch their snapshots now.
        replayed = [self._subscriptions[name] for name in streams if name in self._subscriptions]
        self._call_hooks('_on_subscribed', 'a replayed subscription', replayed)
        await self.dispatcher.report_stream_error(
            StreamError(
                stream='data',
                phase='gap',
                exception=exc,
                recovering=True,
                streams=streams,
                down_at=down_at,
                up_at=up_at,
                hint='Binance keeps no backlog: frames sent while the connection was down are lost '
                '(managed order books resync by themselves)',
            )
        )

    async def _on_data_error(self, phase: str, exc: BaseException, recovering: bool) -> None:
        await self.report_error('data', phase, exc, recovering)

    async def report_error(self, stream: str, phase: str, exc: BaseException, recovering: bool) -> None:
        """Tell every ``StreamErrorHandlerBase`` (and, when nothing recovers, the exception handlers)."""
        await self.dispatcher.report_stream_error(
            StreamError(stream=stream, phase=phase, exception=exc, recovering=recovering)
        )
        if not recovering:
            await self.dispatcher.report_exception(exc)

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> None:
        """Deliver again what arrives from now on; handlers' ``_on_start()`` hooks run first (books resync)."""
        if self._delivering:
            return
        self._delivering = True
        self._call_hooks('_on_start', 'start()')
        for conn in self._all_connections():
            conn.start_delivery()
        if self._user_flow is not None:
            self._user_flow.resume()

    def stop(self) -> None:
        """Discard every frame and user-data event from now on (also those already queued); connections
        and subscriptions stay up. Then handlers' ``_on_stop()`` hooks run (books go not ready)."""
        if not self._delivering:
            return
        self._delivering = False
        for conn in self._all_connections():
            conn.stop_delivery()
        if self._user_flow is not None:
            self._user_flow.pause()
        self._call_hooks('_on_stop', 'stop()')

    @property
    def delivering(self) -> bool:
        return self._delivering

    async def close(self, code: int = 4999) -> None:
        self._closed = True
        if self._user_flow is not None:
            await self._user_flow.close()
        for conn in list(self._all_connections()):
            await conn.close(code)
        self.connections.clear()
        self.groups.clear()
        for h in self._handlers:
            hook = getattr(h, '_on_client_close', None)
            if hook is not None:
                await hook()
        if self._session is not None:
            await self._session.close()
            self._session = None
