"""A client's streams: subscribe-argument parsing, stream connections per path, the user-data
flow, and delivery to handlers. Markets differ only in their rows (wire names, paths, handler
bases) and in the user-data flow class their plugin supplies."""

from __future__ import annotations

import logging
from typing import Any

from binance_core.exceptions import UnsupportedSubTypeException
from binance_core.handlers.dispatch import Dispatcher
from binance_core.handlers.errors import StreamError
from binance_core.subscriptions import parse
from binance_core.transport.retry import default_retry_policy
from binance_core.transport.session import new_session
from binance_core.transport.stream import StreamConnection

__all__ = ['StreamManager']

log = logging.getLogger('binance.streams')


class StreamManager:
    """Owns a client's stream connections and its handler dispatcher.

    Attributes:
        dispatcher: routes frames to the registered handlers.
        retry_policy: the client's ``stream_retry_policy`` or the default backoff.
    """

    def __init__(self, client: Any) -> None:
        self._client = client
        self.retry_policy = client.stream_retry_policy or default_retry_policy
        if not callable(self.retry_policy):
            raise TypeError('stream_retry_policy must be callable: policy(info) -> (abandon, delay)')
        self.dispatcher = Dispatcher()
        self.connections: dict[str | None, StreamConnection] = {}
        self._handlers: list[Any] = []
        self._session: Any = None
        self._user_flow: Any = None
        self._book_handler: Any = None
        self._delivering = True

    # -- handlers ----------------------------------------------------------------------------

    def add_handlers(self, handlers: tuple[Any, ...]) -> None:
        for h in handlers:
            h._bind_client(self._client)
            self.dispatcher.add(h)
            self._handlers.append(h)

    # -- subscriptions -----------------------------------------------------------------------

    async def subscribe(self, args: tuple[Any, ...], *, unsubscribe: bool) -> None:
        ma = self._client._market_assembly
        subs = parse(args, ma.stream_types, self._client.SubType, market=ma.spec.name)
        by_path: dict[str | None, list[str]] = {}
        user = False
        for sub in subs:
            if sub.row.connection == 'user':
                user = True
                continue
            by_path.setdefault(sub.row.path, []).append(sub.wire)
            if unsubscribe:
                self.dispatcher.unroute(sub.wire)
            else:
                self.dispatcher.route(sub.wire, sub.row.handler)
        if user and ma.user_data_flow is None:
            raise UnsupportedSubTypeException(f'{ma.spec.client_name} has no user-data stream flow')
        for path, names in by_path.items():
            if unsubscribe:
                conn = self.connections.get(path)
                if conn is not None:
                    await conn.unsubscribe(names)
            else:
                await self._connection(path).subscribe(names)
        if user:
            if unsubscribe:
                if self._user_flow is not None:
                    await self._user_flow.stop()
            else:
                if self._user_flow is None:
                    self._user_flow = ma.user_data_flow(self._client)
                await self._user_flow.start()

    def _connection(self, path: str | None) -> StreamConnection:
        conn = self.connections.get(path)
        if conn is None:
            host = self._client.stream_host
            url = f'{host}/{path}/stream' if path else f'{host}/stream'
            conn = StreamConnection(
                url,
                session_factory=self._session_factory,
                limiter=self._client._limiter,
                deliver=self.dispatcher.dispatch_stream,
                retry_policy=self.retry_policy,
                timeout=self._client.stream_timeout,
                on_gap=self._on_gap,
                on_error=self._on_data_error,
                name=f'data{"/" + path if path else ""}',
            )
            if not self._delivering:
                conn.pause()
            self.connections[path] = conn
        return conn

    def _session_factory(self) -> Any:
        if self._session is None:
            self._session = new_session(self._client)
        return self._session

    async def attach_book(self, book: Any) -> None:
        """Feed a stand-alone ``OrderBook(symbol, client=...)``: an internal handler adopts it and the market's
        diff-depth stream for its symbol is subscribed."""
        from binance_core.orderbook.managed import OrderBookHandlerBase

        spec = self._client._market_assembly.spec.orderbook
        handler = self._book_handler
        if handler is None:
            handler = OrderBookHandlerBase(limit=book.limit)
            handler._auto_create = False
            self.add_handlers((handler,))
            self._book_handler = handler
        handler.adopt(book)
        await self.subscribe((self._client.SubType[spec.sub_type], book.symbol), unsubscribe=False)

    # -- events --------------------------------------------------------------------------------

    async def _on_gap(self) -> None:
        for h in self._handlers:
            hook = getattr(h, '_on_reconnect', None)
            if hook is not None:
                try:
                    hook()
                except Exception:
                    log.exception('handler %r failed to handle a reconnect', h)

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
        self._delivering = True
        for conn in self.connections.values():
            conn.resume()
        if self._user_flow is not None:
            self._user_flow.resume()

    def stop(self) -> None:
        self._delivering = False
        for conn in self.connections.values():
            conn.pause()
        if self._user_flow is not None:
            self._user_flow.pause()

    @property
    def delivering(self) -> bool:
        return self._delivering

    async def close(self, code: int = 4999) -> None:
        if self._user_flow is not None:
            await self._user_flow.close()
        for conn in self.connections.values():
            await conn.close(code)
        self.connections.clear()
        for h in self._handlers:
            hook = getattr(h, '_on_client_close', None)
            if hook is not None:
                await hook()
        if self._session is not None:
            await self._session.close()
            self._session = None
