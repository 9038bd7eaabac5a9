"""One combined market-data stream connection: subscribe/unsubscribe, replay, liveness, back-pressure, on either
WebSocket library (aiohttp, or picows with the ``[speed]`` extra: :mod:`binance_core.transport.picows_stream`).

Binance rules this follows (Spot "WebSocket Streams"; BINANCE-API.md §10):
- ``SUBSCRIBE``/``UNSUBSCRIBE`` control messages are answered ``{"result": null, "id": n}``; every
  outgoing frame (control, ping, pong) counts toward the per-connection message limit (5/s
  Spot, 10/s futures), so all of them pass the connection's message throttle.
- At most 1024 streams per connection.
- Subscriptions do not survive a reconnect: all of them are replayed on the new connection.
- ``serverShutdown`` promises no lead time (2026-06-09): hand over at once, make before break (the
  old connection feeds handlers until the new one has replayed; duplicates from the overlap are
  dropped by comparing the raw frames), so a routine shutdown loses and doubles nothing. Any other
  reconnect is break-then-make: frames sent while no connection was up are gone: ``on_gap`` tells
  stateful handlers at once (order books resync), and ``on_gap_closed`` reports which streams missed
  frames, from when to when, once the new connection carries them again.
- A frame that is not a JSON object (junk text, a list, a number) is logged, reported through
  ``on_error`` (phase ``'frame'``) and skipped; the connection and delivery carry on.

A raw user stream (``raw_events=True``; the futures listenKey stream, FUTURES-API.md §4) carries its
subscription in the URL (``/private/ws?listenKey=<key>``): :meth:`StreamConnection.open` connects without a
``SUBSCRIBE``, and bare events (``{"e": ...}``, no ``stream`` key) are delivered too, under the stream name
``''``; wrapped ones (``{"stream": <key>, "data": {...}}``, the ``/stream`` form) as usual. Market-data
connections never set it, and their frames take the same path as before.

One push path for both libraries: the socket hands every text message to ``StreamConnection._feed``, in
order, from its reader (aiohttp: the reader task's ``receive()`` loop; picows: its ``on_ws_frame`` callback).
``_feed`` parses it (:mod:`binance_core.jsonlib`), answers control messages on the spot (a ``SUBSCRIBE``
acknowledgement resolves its waiter there and then, never behind frames) and delivers a data frame inline:
``deliver`` calls plain handlers directly, so a frame costs one parse and a few calls, with no queue and no
task switch. Only when a handler needs awaiting (``async def receive``, or a failure to report) does delivery
move to a drain task, and the frames read meanwhile wait in a backlog, in order, until it has caught up; the
socket keeps reading meanwhile (so acknowledgements still get through) up to ``BACKLOG`` frames.

Back-pressure: when the backlog holds ``BACKLOG`` frames, ``_feed`` tells the socket to stop reading until
the handlers have worked it down to half (aiohttp: the reader awaits; picows: ``pause_reading()`` on the
transport). The library's buffer then fills, and the kernel's TCP window closes: the sender slows down. No
frame is dropped and the connection is not recycled for being slow; each time reading stops a warning is
logged and ``stats['backpressure']`` is incremented. Silence is measured only while reading goes on, so a
slow handler never looks like a dead server. A handler that is slow in plain (not ``async``) code holds up
the reader itself: the same TCP back-pressure applies, uncounted.

Batched delivery (handlers with ``batch``, :mod:`binance_core.handlers.dispatch`): the connection's ``Delivery``
keeps such a handler's frames on a pending list; when one is pending after a frame, the connection schedules one
flush for the end of the burst (``loop.call_soon``: it runs once the socket's reader has handed over every frame
it had read, because neither library yields between frames already read). A flush is a delivery like any other:
while a drain task is at work, the end of each burst read meanwhile puts a flush mark in the backlog, behind that
burst's frames, and the drain task flushes when it reaches the mark (and when its backlog runs dry), so a
batching handler's frame waits for no frame read after it. ``client.stop()`` discards what batches hold, as it
discards the backlog.

Stopping (``client.stop()``): frames keep being read and are discarded (``stats['discarded']``), so
nothing piles up in the backlog or in the socket, and the connection and its subscriptions stay up.
"""

from __future__ import annotations

import asyncio
import importlib.util
import itertools
import logging
import os
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from binance_core.exceptions import (
    ConnectionLostException,
    MalformedResponseException,
    RequestTimeoutException,
    StreamAbandonedException,
    StreamSubscribeException,
)
from binance_core.handlers.dispatch import stops_delivery
from binance_core.transport.errors import translate
from binance_core.transport.retry import RetryInfo

__all__ = ['BACKLOG', 'TRANSPORTS', 'StreamConnection', 'StreamSocket', 'pick_transport']

log = logging.getLogger('binance.stream')

# Frames read ahead of slow handlers before reading stops (and again half as many before it resumes).
BACKLOG = 10_000
# Streams per SUBSCRIBE message when replaying; keeps each control frame a modest size.
REPLAY_CHUNK = 200
ACK_TIMEOUT = 10.0
TRANSPORTS = ('aiohttp', 'picows')

Deliver = Callable[[str, Any], Awaitable[None] | None]
# In the backlog, in place of a stream name: hand over what batching handlers hold (the end of a burst read while a
# drain task was at work).
_FLUSH: Any = object()


class Batches(Protocol):
    """What a connection needs of a dispatcher with batching handlers (``Dispatcher``): the lists holding frames,
    and the flush that hands them over."""

    @property
    def due(self) -> Sequence[object]: ...

    @property
    def batching(self) -> bool: ...

    def flush_batches(self) -> Awaitable[None] | None: ...

    def discard(self) -> int: ...


def pick_transport(name: str | None = None) -> str:
    """The stream transport a client uses: *name* when given (the client's ``stream_transport=``), else the
    environment's ``BINANCE_TRANSPORT``, else ``'picows'`` when picows is installed (the
    ``binance-sdk-core[speed]`` extra), else ``'aiohttp'``.

    :raises ValueError: a name other than ``'aiohttp'`` and ``'picows'``.
    :raises ImportError: ``'picows'`` asked for while picows is not installed.
    """
    chosen = name if name is not None else os.environ.get('BINANCE_TRANSPORT', '').strip().lower() or None
    installed = importlib.util.find_spec('picows') is not None
    if chosen is None:
        return 'picows' if installed else 'aiohttp'
    if chosen not in TRANSPORTS:
        raise ValueError(f"stream transport must be 'aiohttp' or 'picows', got {chosen!r}")
    if chosen == 'picows' and not installed:
        raise ImportError("the picows stream transport needs picows: pip install 'binance-sdk-core[speed]'")
    return chosen


class _Silence(ConnectionLostException):
    """The server answered neither data nor our ping."""


class StreamSocket(Protocol):
    """One open WebSocket of a :class:`StreamConnection`, whatever library carries it.

    The socket passes every complete text message to ``conn._feed(raw, socket)`` in the order read, and
    counts every other frame in ``conn._rx``. When ``_feed`` returns a future, handlers are too far behind:
    the socket reads nothing more until the future is done. It answers pings with pongs that pass the
    connection's message throttle (``conn._limits.message()``).

    Attributes:
        retired: set by :meth:`retire`: the connection no longer reads from this socket.
        silent: set by the watchdog before it closes a socket that answered nothing.
    """

    retired: bool
    silent: bool

    @property
    def closed(self) -> bool:
        """Whether the socket is closed or closing."""

    async def send_text(self, text: str) -> None:
        """Send one text frame; raises what the library raises when the socket is gone."""

    async def ping(self) -> None:
        """Send a ping (its pong counts as something received)."""

    async def close(self, code: int = 1000) -> None:
        """Close the socket (a close frame first when it is still open); safe to call twice."""

    def retire(self) -> None:
        """Stop passing frames to the connection (frames already passed stay delivered)."""

    async def run(self) -> None:
        """Read until the socket ends. Returns when the end was asked for (:meth:`retire`, ``recycle()``,
        ``close()``); raises ``_Silence`` after the watchdog closed it, ``ConnectionLostException`` when the
        server closed it or the network cut it."""


class _AiohttpSocket:
    """A :class:`StreamSocket` on aiohttp: a reader task that loops on ``receive()``."""

    def __init__(self, conn: StreamConnection, ws: Any) -> None:
        self._conn = conn
        self._ws = ws
        self.retired = False
        self.silent = False

    @property
    def closed(self) -> bool:
        return bool(self._ws.closed)

    async def send_text(self, text: str) -> None:
        await self._ws.send_str(text)

    async def ping(self) -> None:
        await self._ws.ping()

    async def close(self, code: int = 1000) -> None:
        await self._ws.close(code=code)

    def retire(self) -> None:
        # The reader is cancelled next; it never waits on a handler, so that cancels no delivery.
        self.retired = True

    async def run(self) -> None:
        import aiohttp

        T = aiohttp.WSMsgType
        TEXT = T.TEXT
        conn = self._conn
        ws = self._ws
        receive = ws.receive
        feed = conn._feed
        while True:
            msg = await receive()
            if msg.type is TEXT:
                wait = feed(msg.data, self)
                if wait is not None:  # handlers are BACKLOG frames behind: stop reading until they catch up
                    await asyncio.shield(wait)
                continue
            conn._rx += 1
            kind = msg.type
            if kind is T.PING:
                await conn._limits.message()
                await ws.pong(msg.data)
            elif kind in (T.CLOSE, T.CLOSING, T.CLOSED):
                if self.silent:
                    raise _Silence(f'no frame and no pong for {2 * conn._timeout:.1f} s')
                if self.retired or conn._recycle.is_set() or conn._closed:
                    return
                raise ConnectionLostException(f'stream closed by the server ({ws.close_code})')
            elif kind is T.ERROR:
                raise ConnectionLostException(f'stream error: {type(ws.exception()).__name__}')
            # PONG: counted above; BINARY: Binance sends none on streams, skipped.


class StreamConnection:
    """A combined-stream connection that keeps itself alive.

    Args:
        url: the combined-stream endpoint (``.../stream``).
        session_factory: returns the aiohttp session to connect with (``transport='aiohttp'``); raises
            ``ConnectionLostException`` once the client is closed (checked before every connection attempt).
        limiter: the client's ``RateLimiter`` (connection attempts, per-connection messages/streams).
        deliver: ``deliver(stream_name, payload)`` called in order for every data frame: returns ``None`` once
            the frame is delivered, or an awaitable that finishes it (``Dispatcher.deliver_stream``; an
            ``async def`` works too). Its exceptions must be its own business: only the ones
            ``stops_delivery`` lets through may escape.
        retry_policy: ``policy(RetryInfo) -> (abandon, delay)``.
        timeout: seconds of silence before a ping; as long again for any answer.
        on_gap: ``async`` callback after a connection that carried frames is lost (frames may be
            missing from here on, e.g. order books must resync).
        on_gap_closed: ``async on_gap_closed(streams, down_at, up_at, exception)`` once a replacement
            connection has replayed the subscriptions: *streams* missed every frame sent between
            *down_at* and *up_at* (epoch seconds); *exception* says why the old connection ended.
        on_error: ``async on_error(phase, exception, recovering)`` for replay/abandon failures and
            skipped frames (phase ``'frame'``).
        name: used in logs.
        raw_events: a raw user stream: deliver bare event frames (``{"e": ...}``) as ``deliver('', event)``,
            and call ``on_gap_closed`` after a reconnect although no stream is subscribed (the URL names it).
        transport: ``'aiohttp'`` or ``'picows'`` (see :func:`pick_transport`).
        connect_timeout: seconds a connection attempt (TCP, TLS and the WebSocket handshake) may take.
        batches: the dispatcher behind *deliver* when it may hold frames for batching handlers
            (``Dispatcher.due`` / ``flush_batches``): flushed at the end of every burst.

    Attributes:
        streams: the subscribed stream names, in subscription order.
        confirmed: the streams Binance acknowledged on the live connection.
        stats: counters: ``connects``, ``frames`` (delivered or waiting for slow handlers), ``backpressure``
            (times reading stopped for slow handlers), ``pings``, ``handovers``, ``malformed`` (skipped frames
            that were not a JSON object), ``discarded`` (frames read while stopped).
    """

    def __init__(
        self,
        url: str,
        *,
        session_factory: Callable[[], Any],
        limiter: Any,
        deliver: Deliver,
        retry_policy: Callable[[RetryInfo], tuple[bool, float]],
        timeout: float,
        on_gap: Callable[[], Awaitable[None]] | None = None,
        on_gap_closed: Callable[[tuple[str, ...], float, float, BaseException], Awaitable[None]] | None = None,
        on_error: Callable[[str, BaseException, bool], Awaitable[None]] | None = None,
        name: str = 'data',
        raw_events: bool = False,
        transport: str = 'aiohttp',
        connect_timeout: float = 10.0,
        batches: Batches | None = None,
    ) -> None:
        from binance_core.jsonlib import dumps, loads  # here, not at import: `import binance` stays lean

        if transport not in TRANSPORTS:
            raise ValueError(f"stream transport must be 'aiohttp' or 'picows', got {transport!r}")
        self.url = url
        self.raw_events = raw_events
        self.transport = transport
        self.streams: dict[str, None] = {}
        self._frames = 0  # data frames delivered or waiting: counted apart, they are the hot path
        self._stats = {
            'connects': 0,
            'backpressure': 0,
            'pings': 0,
            'handovers': 0,
            'malformed': 0,
            'discarded': 0,
        }
        self._loads = loads
        self._dumps = dumps
        self._session_factory = session_factory
        self._limiter = limiter
        self._deliver = deliver
        self._policy = retry_policy
        self._timeout = timeout
        self._connect_timeout = connect_timeout
        self._on_gap = on_gap
        self._on_gap_closed = on_gap_closed
        self._on_error = on_error
        self._name = name
        self._ids = itertools.count(1)
        self._acks: dict[int, asyncio.Future[Any]] = {}
        self._sock: StreamSocket | None = None
        self._limits: Any = None
        self._runner: asyncio.Task[None] | None = None
        self._connected = asyncio.Event()
        self._closed = False
        self._abandoned: StreamAbandonedException | None = None
        self._recycle = asyncio.Event()
        self._closing: asyncio.Future[Any] | None = None
        # Delivery: idle (frames go to the handlers inline), or a drain task finishing a frame while later ones
        # wait in the backlog ((stream, payload); stream None: a malformed frame to report).
        self._busy = False
        self._backlog: deque[tuple[str | None, Any]] = deque()
        self._drainer: asyncio.Task[None] | None = None
        self._first: Awaitable[None] | None = None  # what a drain task not yet started is to finish first
        self._room: asyncio.Future[None] | None = None  # reading stopped until the backlog is down to half
        self._tasks: set[asyncio.Task[Any]] = set()  # pongs sent from picows callbacks
        # What sends every frame off the fast path: a user stream (few frames, more forms), being stopped, a
        # serverShutdown handover under way, or a drain task at work (frames join its backlog).
        self._special = raw_events
        self._discarding = False  # stopped: frames are read and dropped
        self._handover = asyncio.Event()  # set by a reader that saw serverShutdown
        self._handing_over = False
        self._holding = False  # the new connection's frames wait in _held
        self._held: deque[tuple[str, Any, Any]] = deque()
        self._seen: set[Any] = set()  # raw frames the old connection delivered during a handover
        self._rx = 0  # messages received other than data frames (with _frames: the watchdog's liveness signal)
        # Streams Binance acknowledged on the live connection; emptied when it drops, refilled by the replay.
        self.confirmed: set[str] = set()
        self._confirm_waiters: list[asyncio.Future[None]] = []
        self._batches = batches
        self._flush_soon = False  # a flush is scheduled for the end of this burst
        self._feed = self._push_path()

    # -- public -------------------------------------------------------------------------------

    @property
    def stats(self) -> dict[str, int]:
        """The counters (see the class docstring), as of now."""
        return {**self._stats, 'frames': self._frames}

    @property
    def backlog(self) -> int:
        """Frames read and waiting for slow handlers (0 while handlers keep up)."""
        return sum(1 for item in self._backlog if item[0] is not _FLUSH)

    async def subscribe(self, names: Sequence[str]) -> None:
        """Subscribe *names*; returns once Binance acknowledged every one of them on the live connection.

        Names already subscribed are not sent again, but a name whose acknowledgement is still pending, or
        whose connection is down and not yet replayed, is waited for: when this returns, frames of every
        name flow (order books rely on it to take a snapshot at once).
        """
        new = [n for n in names if n not in self.streams]
        if new:
            self._limits_check(len(self.streams) + len(new))
            await self._ensure_running()
            for n in new:
                self.streams[n] = None
            try:
                await self._control('SUBSCRIBE', new)
            except StreamSubscribeException:
                # Binance refused them: forget them. On a timeout or a drop the outcome is unknown, so they stay
                # and are replayed with the rest after the next reconnect.
                for n in new:
                    self.streams.pop(n, None)
                raise
            self._confirm(new)
        await self._until_confirmed(names)

    async def open(self) -> None:
        """Connect without subscribing anything: for a raw user stream, whose URL names what it carries
        (``/private/ws?listenKey=<key>``). Returns once a connection is up; raises what :meth:`subscribe` raises
        when none can be made (``StreamAbandonedException`` once the retry policy gives up)."""
        await self._ensure_running()

    def _confirm(self, names: Sequence[str]) -> None:
        self.confirmed.update(n for n in names if n in self.streams)
        waiters, self._confirm_waiters = self._confirm_waiters, []
        for fut in waiters:
            if not fut.done():
                fut.set_result(None)

    async def _until_confirmed(self, names: Sequence[str]) -> None:
        loop = asyncio.get_running_loop()
        while any(n in self.streams and n not in self.confirmed for n in names):
            if self._abandoned is not None:
                raise self._abandoned
            if self._closed or self._runner is None or self._runner.done():
                raise ConnectionLostException(f'{self._name} stream: closed before the subscription was confirmed')
            fut: asyncio.Future[None] = loop.create_future()
            self._confirm_waiters.append(fut)
            try:
                await asyncio.wait({fut, self._runner}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                fut.cancel()

    async def unsubscribe(self, names: Sequence[str]) -> None:
        gone = [n for n in names if n in self.streams]
        if not gone:
            return
        for n in gone:
            del self.streams[n]
            self.confirmed.discard(n)
        if self._sock is not None and not self._sock.closed:
            await self._control('UNSUBSCRIBE', gone)

    def stop_delivery(self) -> None:
        """Discard frames from now on, and those waiting in the backlog; reading goes on (``client.stop()``)."""
        self._discarding = True
        self._set_special()
        self._stats['discarded'] += self.backlog
        self._backlog.clear()
        if self._batches is not None:  # frames batching handlers hold go the way of the backlog
            self._stats['discarded'] += self._batches.discard()
        self._make_room()

    def start_delivery(self) -> None:
        """Deliver the frames read from now on (``client.start()``)."""
        self._discarding = False
        self._set_special()

    def recycle(self) -> None:
        """Drop the current connection and reconnect (with replay) now."""
        self._recycle.set()
        if self._sock is not None:
            self._closing = asyncio.ensure_future(self._sock.close())

    async def close(self, code: int = 4999) -> None:
        self._closed = True
        if self._sock is not None:
            await self._sock.close(code=code)
        me = asyncio.current_task()  # a handler may close its client: never wait for ourselves
        tasks = [t for t in (self._runner, self._drainer, *self._tasks) if t is not None and t is not me]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        first, self._first = self._first, None
        if asyncio.iscoroutine(first):  # a drain cancelled before it started: its frame was never delivered
            first.close()
        if self._limits is not None:
            self._limits.close()
        self._fail_acks('the client is closed')

    # -- the push path: every text message of every socket comes here ------------------------------

    def _push_path(self) -> Callable[[Any, StreamSocket], asyncio.Future[None] | None]:
        """Build :attr:`_feed`, the function every socket calls with each text message it reads (a closure: what
        never changes is bound once, so a frame costs no more lookups than it must).

        ``_feed(raw, sock)`` acts on one message read from *sock*: a data frame goes to the handlers (inline while
        they keep up), an acknowledgement to its waiter, ``serverShutdown`` to the runner, junk to ``on_error``.
        It returns ``None``, or a future while the handlers are ``BACKLOG`` frames behind: *sock* must read no
        more until it is done.
        """
        loads = self._loads
        deliver = self._deliver
        other = self._feed_other
        malformed = self._malformed
        undeliverable = self._undeliverable
        drain_later = self._drain_later
        due = self._batches.due if self._batches is not None else ()
        flush_soon = self._schedule_flush

        def feed(raw: Any, sock: StreamSocket) -> asyncio.Future[None] | None:
            try:
                data = loads(raw)
            except (ValueError, RecursionError):  # not JSON (JSONDecodeError), or absurdly nested
                data = None
            if type(data) is not dict:
                self._rx += 1
                return malformed(raw)
            stream = data.get('stream')
            if stream is None or self._special:  # control messages; stopped, handing over, or a handler is slow
                return other(data, stream, raw, sock)
            if stream == '!serverShutdown':  # Binance's combined form; user streams check the event too (other)
                self._rx += 1
                self._shutdown_seen()
                return None
            self._frames += 1
            try:
                pending = deliver(stream, data.get('data'))
            except Exception:  # a frame the dispatcher cannot route (a stream name that is no string): skip it
                return undeliverable(raw)
            if pending is not None:
                drain_later(pending)
            elif due and not self._flush_soon:
                flush_soon()
            return None

        return feed

    def _feed_other(
        self, data: dict[str, Any], stream: str | None, raw: Any, sock: StreamSocket
    ) -> asyncio.Future[None] | None:
        """:attr:`_feed` off the fast path: control messages, bare user events, and any frame while stopped,
        during a handover, or while a slow handler holds delivery up."""
        self._rx += 1
        if stream is None:
            rid = data.get('id')
            if type(rid) is int and rid in self._acks:
                fut = self._acks[rid]
                if not fut.done():
                    err = data.get('error')
                    if err:
                        if type(err) is not dict:
                            err = {'msg': str(err)}
                        fut.set_exception(StreamSubscribeException(err.get('code'), str(err.get('msg', ''))))
                    else:
                        fut.set_result(data.get('result'))
                return None
            if data.get('e') == 'serverShutdown':
                self._shutdown_seen()
                return None
            if not (self.raw_events and 'e' in data):
                return None
            # A raw user stream's bare event (FUTURES-API.md §4: `/ws` forms send `{"e": ...}` unwrapped).
            stream = ''
            payload: Any = data
        else:
            payload = data.get('data')
            if stream == '!serverShutdown' or (type(payload) is dict and payload.get('e') == 'serverShutdown'):
                self._shutdown_seen()
                return None
        if self._discarding:  # stopped: read and drop, so nothing piles up
            self._stats['discarded'] += 1
            return None
        if self._holding and sock is self._sock:  # the new connection during a handover
            self._held.append((stream, payload, raw))
            return None
        self._frames += 1
        if self._handing_over:  # the old connection: remember what it delivered
            self._seen.add(raw)
        return self._accept(stream, payload, raw)

    def _accept(self, stream: str, payload: Any, raw: Any) -> asyncio.Future[None] | None:
        """Deliver one data frame now, or after the frames already waiting."""
        if self._busy:
            if type(stream) is not str:
                return self._undeliverable(raw)
            return self._wait(stream, payload)
        try:
            pending = self._deliver(stream, payload)
        except Exception:
            return self._undeliverable(raw)
        if pending is not None:
            self._drain_later(pending)
        elif self._batches is not None and self._batches.due and not self._flush_soon:
            self._schedule_flush()
        return None

    def _schedule_flush(self) -> None:
        """Frames are pending for batching handlers: hand them over once this burst is delivered."""
        self._flush_soon = True
        asyncio.get_running_loop().call_soon(self._end_of_burst)

    def _end_of_burst(self) -> None:
        """The reader has handed over every frame it had: flush the pending lists now, or, while a drain task is at
        work, put a flush mark behind the frames it has yet to deliver."""
        self._flush_soon = False
        if self._batches is None:
            return
        if self._busy:
            backlog = self._backlog
            if backlog and backlog[-1][0] is not _FLUSH:
                backlog.append((_FLUSH, None))
            return  # an empty backlog: the drain task flushes when it is done with the frame at hand
        pending = self._batches.flush_batches()  # handlers' failures come back as an awaitable that reports them
        if pending is not None:
            self._drain_later(pending)

    def _undeliverable(self, raw: Any) -> asyncio.Future[None] | None:
        """A JSON object whose ``stream`` is no stream name (a number, a list): skipped like junk."""
        log.debug('%s stream: no way to deliver a frame', self._name, exc_info=True)
        self._frames -= 1
        self._rx += 1
        return self._malformed(raw, 'names no stream')

    def _wait(self, stream: str | None, payload: Any) -> asyncio.Future[None] | None:
        """A frame read while a slow handler holds up delivery: into the backlog, and reading stops when that
        is full."""
        backlog = self._backlog
        backlog.append((stream, payload))
        if not self._flush_soon and self._batches is not None and self._batches.batching:
            self._schedule_flush()  # the end of this burst marks the backlog for batching handlers
        if self._room is not None:
            return self._room
        if len(backlog) < BACKLOG:
            return None
        self._stats['backpressure'] += 1
        log.warning(
            '%s stream: handlers are %d frames behind the feed; reading from the socket slows down '
            '(no frame is dropped)',
            self._name,
            len(backlog),
        )
        self._room = asyncio.get_running_loop().create_future()
        return self._room

    def _make_room(self) -> None:
        room, self._room = self._room, None
        if room is not None and not room.done():
            room.set_result(None)

    def _drain_later(self, first: Awaitable[None]) -> None:
        """A handler needs awaiting: finish *first*, then deliver what arrives meanwhile, in a task of its own, so
        that reading (and acknowledgements) goes on."""
        self._busy = True
        self._set_special()
        self._first = first
        self._drainer = asyncio.get_running_loop().create_task(self._drain(first), name='binance-stream-drain')

    async def _drain(self, first: Awaitable[None]) -> None:
        self._first = None
        backlog = self._backlog
        deliver = self._deliver
        batches = self._batches
        low = BACKLOG // 2
        try:
            item: tuple[str | None, Any] | None = None
            while True:
                try:
                    if item is None:
                        await first
                    elif item[0] is None:
                        await self._report_malformed(*item[1])
                    elif item[0] is _FLUSH:
                        if batches is not None:
                            flushed = batches.flush_batches()
                            if flushed is not None:
                                await flushed
                    else:
                        pending = deliver(item[0], item[1])
                        if pending is not None:
                            await pending
                except BaseException as exc:
                    # Whatever escaped the dispatcher (which isolates handlers): only close() ends this task.
                    if stops_delivery(exc):
                        raise
                    log.exception('%s stream: delivering a frame failed', self._name)
                if not backlog:
                    if batches is None or not batches.due:
                        return
                    # Caught up: what batching handlers hold goes now, then whatever arrived meanwhile.
                    flush = batches.flush_batches()
                    if flush is not None:
                        first, item = flush, None
                        continue
                    if not backlog:
                        return
                item = backlog.popleft()
                if self._room is not None and len(backlog) <= low:
                    self._make_room()
        finally:
            self._busy = False
            self._set_special()
            self._drainer = None
            self._make_room()

    def _malformed(self, raw: Any, why: str = 'is not a JSON object') -> asyncio.Future[None] | None:
        """A frame that is not a JSON object: log it, tell the error handlers (in order with the frames), and read
        on."""
        self._stats['malformed'] += 1
        log.warning('%s stream: skipped a frame that %s: %r', self._name, why, _shown(raw))
        if self._on_error is None:
            return None
        if self._busy:
            return self._wait(None, (raw, why))
        self._drain_later(self._report_malformed(raw, why))
        return None

    async def _report_malformed(self, raw: Any, why: str) -> None:
        if self._on_error is not None:
            shown = _shown(raw)
            text = raw.decode('utf-8', 'replace') if isinstance(raw, bytes | bytearray) else str(raw)
            exc = MalformedResponseException(
                f'{self._name} stream: skipped a frame that {why} ({shown!r}); the stream goes on', body=text
            )
            await self._on_error('frame', exc, True)

    def _shutdown_seen(self) -> None:
        if not self._handing_over:
            self._handover.set()

    def _set_special(self) -> None:
        self._special = self.raw_events or self._discarding or self._holding or self._handing_over or self._busy

    # -- internals -----------------------------------------------------------------------------

    def _limits_check(self, total: int) -> None:
        limits = self._limits or self._limiter.connection()
        self._limits = limits
        limits.check_streams(total)

    def _fail_acks(self, reason: str) -> None:
        """Fail every subscribe/unsubscribe still waiting for its acknowledgement."""
        for fut in self._acks.values():
            if not fut.done():
                fut.set_exception(ConnectionLostException(f'{self._name} stream: {reason}'))

    def _check_open(self) -> None:
        if self._closed:
            raise ConnectionLostException(f'{self._name} stream: the client is closed')

    async def _ensure_running(self) -> None:
        self._check_open()
        if self._abandoned is not None:
            raise self._abandoned
        if self._runner is None:
            self._runner = asyncio.create_task(self._run(), name=f'binance-{self._name}-stream')
        # Wait for a live connection (the runner retries per the policy); surface abandonment.
        waiter = asyncio.ensure_future(self._connected.wait())
        done, _ = await asyncio.wait({waiter, self._runner}, return_when=asyncio.FIRST_COMPLETED)
        if waiter not in done:
            waiter.cancel()
            self._check_open()  # closed while connecting
            if self._abandoned is not None:
                raise self._abandoned
            raise StreamAbandonedException(0, None)

    async def _send(self, data: Any) -> None:
        await self._limits.message()
        self._check_open()  # closed while waiting for room
        sock = self._sock
        try:
            if sock is None or sock.closed:
                raise ConnectionLostException(f'{self._name} stream: the connection is closed')
            await sock.send_text(self._dumps(data))
        except Exception as exc:
            raise translate(exc, f'{self._name} stream send') from exc

    async def _control(self, method: str, params: list[str]) -> Any:
        rid = next(self._ids)
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._acks[rid] = fut
        try:
            await self._send({'method': method, 'params': params, 'id': rid})
            while True:
                try:
                    async with asyncio.timeout(ACK_TIMEOUT):
                        return await asyncio.shield(fut)
                except TimeoutError as exc:
                    # The ack may sit in the socket behind frames we stopped reading while handlers are behind:
                    # that is our slowness, not the server's, so keep waiting for it.
                    if self._room is not None and not fut.done():
                        continue
                    raise RequestTimeoutException(
                        f'{self._name} stream: no answer to {method} within {ACK_TIMEOUT:.0f} s'
                    ) from exc
        finally:
            self._acks.pop(rid, None)
            if fut.done() and not fut.cancelled():
                # Mark it retrieved: when the send failed first, nobody awaited it and asyncio would log
                # "exception was never retrieved" for the ConnectionLostException set on it.
                fut.exception()

    async def _run(self) -> None:
        fails = 0
        first = True
        # An open gap: (streams that miss frames, when their connection went down, why).
        gap: tuple[tuple[str, ...], float, BaseException] | None = None
        while not self._closed:
            exc: BaseException | None = None
            reader: asyncio.Task[None] | None = None
            watchdog: asyncio.Task[None] | None = None
            try:
                sock = await self._connect()
                reader = asyncio.create_task(sock.run(), name=f'binance-{self._name}-reader')
                watchdog = asyncio.create_task(self._watch(sock), name=f'binance-{self._name}-watchdog')
                if not first:
                    await self._replay(reader)
                first = False
                self._connected.set()
                fails = 0
                if gap is not None:
                    # Binance keeps no backlog: tell the user what was missed, now that frames flow again.
                    streams, down_at, cause = gap
                    gap = None
                    if (streams or self.raw_events) and self._on_gap_closed is not None:
                        await self._on_gap_closed(streams, down_at, time.time(), cause)
                while True:
                    handover = asyncio.ensure_future(self._handover.wait())
                    try:
                        await asyncio.wait({reader, handover}, return_when=asyncio.FIRST_COMPLETED)
                    finally:
                        handover.cancel()
                    if reader.done():
                        reader.result()  # raises what ended it
                        break
                    self._handover.clear()
                    reader, watchdog = await self._hand_over(reader, watchdog)
            except asyncio.CancelledError:
                if reader is not None:
                    reader.cancel()
                raise
            except Exception as e:
                exc = translate(e, f'{self._name} stream', self.url)
                if self._sock is not None:
                    self._sock.retire()  # a picows socket pushes frames until it is told not to
                if reader is not None and not reader.done():
                    reader.cancel()
                    await asyncio.gather(reader, return_exceptions=True)
            finally:
                if watchdog is not None:
                    watchdog.cancel()
                self._connected.clear()
                self.confirmed.clear()  # nothing flows until the replay on the next connection is acknowledged
                self._fail_acks('the client is closed' if self._closed else 'the connection closed')
            if self._closed:
                return
            if reader is not None:
                # A connection that carried frames is gone (not a handover): frames are missed from now on.
                if gap is None:
                    cause = exc or ConnectionLostException(f'{self._name} stream: the connection was recycled')
                    gap = (tuple(self.streams), time.time(), cause)
                if self._on_gap is not None:
                    # Let stateful handlers (order books) resync.
                    await self._on_gap()
            if self._recycle.is_set():
                self._recycle.clear()
                log.info('%s stream: reconnecting now', self._name)
                continue
            fails += 1
            abandon, delay = self._policy(RetryInfo(fails, exc))
            if abandon:
                self._abandoned = StreamAbandonedException(fails, exc)
                log.error('%s stream abandoned after %d failures: %r', self._name, fails, exc)
                if self._on_error is not None:
                    await self._on_error('reconnect', self._abandoned, False)
                return
            log.warning('%s stream failed (%r); reconnecting in %.2f s (attempt %d)', self._name, exc, delay, fails)
            await asyncio.sleep(delay)

    @staticmethod
    async def _stop_reading(reader: asyncio.Task[None], sock: StreamSocket) -> None:
        sock.retire()
        reader.cancel()
        await asyncio.gather(reader, return_exceptions=True)

    async def _hand_over(
        self, reader: asyncio.Task[None], watchdog: asyncio.Task[None] | None
    ) -> tuple[asyncio.Task[None], asyncio.Task[None]]:
        """``serverShutdown``: make before break. The old connection keeps feeding handlers while a new
        one opens and replays; the new one's frames are held until then and released after, skipping
        those the old one already delivered (both carry identical frames), so nothing is lost or doubled."""
        log.info('%s stream: serverShutdown; handing over to a fresh connection', self._name)
        old_sock, old_reader = self._sock, reader
        assert old_sock is not None
        self._seen = set()
        self._held = deque()
        self._handing_over = True
        self._set_special()
        new_reader: asyncio.Task[None] | None = None
        try:
            sock = await self._connect(close_old=False)
            # Only now: the hold is for frames of the new socket (self._sock), which no reader reads yet.
            self._holding = True
            self._set_special()
            new_reader = asyncio.create_task(sock.run(), name=f'binance-{self._name}-reader')
            await self._replay(new_reader)
        except BaseException:
            self._handing_over = self._holding = False
            self._set_special()
            self._held.clear()
            if new_reader is not None and self._sock is not None:
                await self._stop_reading(new_reader, self._sock)
            await self._stop_reading(old_reader, old_sock)
            await old_sock.close()
            raise
        if watchdog is not None:
            watchdog.cancel()
        await self._stop_reading(old_reader, old_sock)
        await old_sock.close()
        self._handing_over = False
        held, seen, stats = self._held, self._seen, self._stats
        while held:  # the new socket keeps appending until _holding drops, with no await in between
            stream, payload, raw = held.popleft()
            if raw in seen:
                continue
            if self._discarding:
                stats['discarded'] += 1
                continue
            self._frames += 1
            self._accept(stream, payload, raw)  # when that fills the backlog, the new socket stops at its next frame
        self._holding = False
        self._set_special()
        self._seen = set()
        stats['handovers'] += 1
        return new_reader, asyncio.create_task(self._watch(sock), name=f'binance-{self._name}-watchdog')

    async def _connect(self, close_old: bool = True) -> StreamSocket:
        await self._limiter.acquire_connection()
        session = self._session_factory()  # raises once the client is closed
        old = self._sock
        if close_old and old is not None and not old.closed:
            await old.close()
        if self._limits is None:  # before the socket: it may answer a ping at once
            self._limits = self._limiter.connection()
        try:
            async with asyncio.timeout(self._connect_timeout):
                if self.transport == 'picows':
                    from binance_core.transport.picows_stream import connect

                    sock: StreamSocket = await connect(self, self.url)
                else:
                    sock = _AiohttpSocket(self, await session.ws_connect(self.url, autoping=False, max_msg_size=0))
        except Exception as exc:
            raise translate(exc, f'{self._name} stream connect', self.url) from exc
        self._sock = sock
        self._stats['connects'] += 1
        return sock

    async def _replay(self, reader: asyncio.Task[None]) -> None:
        """Subscribe every known stream again on a fresh connection (the reader resolves acks)."""
        try:
            names = list(self.streams)
            for i in range(0, len(names), REPLAY_CHUNK):
                chunk = names[i : i + REPLAY_CHUNK]
                await self._control('SUBSCRIBE', chunk)
                self._confirm(chunk)
        except Exception as exc:
            log.warning('%s stream: replaying subscriptions failed: %r', self._name, exc)
            if self._on_error is not None:
                await self._on_error('resubscribe', exc, True)
            raise

    async def _watch(self, sock: StreamSocket) -> None:
        """Liveness without a timer per frame: a few times per ``timeout`` look whether anything arrived.
        ``timeout`` seconds of silence while reading goes on earn a ping; a ping unanswered for another
        ``timeout`` closes the socket (its reader then reports it). Time reading stands still for slow
        handlers is not silence."""
        loop = asyncio.get_running_loop()
        timeout = self._timeout
        seen = self._rx + self._frames
        last = loop.time()
        ping_at: float | None = None
        while not sock.closed:
            await asyncio.sleep(timeout / 4)
            now = loop.time()
            rx = self._rx + self._frames
            if self._room is not None or rx != seen:
                seen, last, ping_at = rx, now, None
            elif ping_at is None:
                if now - last >= timeout:
                    ping_at = now
                    self._stats['pings'] += 1
                    await self._limits.message()
                    await sock.ping()
            elif now - ping_at >= timeout:
                sock.silent = True
                await sock.close()
                return

    def _spawn(self, coro: Awaitable[Any]) -> None:
        """Run *coro* (a pong from a socket callback) as a task that close() cancels."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def _shown(raw: Any) -> str:
    text = raw.decode('utf-8', 'replace') if isinstance(raw, bytes | bytearray) else str(raw)
    return text[:120]
