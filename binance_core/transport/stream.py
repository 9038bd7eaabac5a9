"""One combined market-data stream connection: subscribe/unsubscribe, replay, liveness, back-pressure.

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

Stopping (``client.stop()``): frames keep being read and are discarded (``stats['discarded']``), so
nothing piles up in the queue or in the socket, and the connection and its subscriptions stay up.

Back-pressure: frames go from the socket reader to the dispatcher through a bounded queue. When
a handler is slower than the feed, the queue fills, the reader stops reading, aiohttp's buffer
fills and the kernel's TCP window closes: the sender slows down. No frame is dropped and the
connection is not recycled for being slow; each time the queue fills, a warning is logged (once
per episode) and ``stats['backpressure']`` is incremented. Silence is measured only while the
reader is waiting on the socket, so a slow handler never looks like a dead server.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

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

__all__ = ['QUEUE_SIZE', 'StreamConnection']

log = logging.getLogger('binance.stream')

QUEUE_SIZE = 10_000
# Streams per SUBSCRIBE message when replaying; keeps each control frame a modest size.
REPLAY_CHUNK = 200
ACK_TIMEOUT = 10.0


class _Silence(ConnectionLostException):
    """The server answered neither data nor our ping."""


class StreamConnection:
    """A combined-stream connection that keeps itself alive.

    Args:
        url: the combined-stream endpoint (``.../stream``).
        session_factory: returns the aiohttp session to connect with.
        limiter: the client's ``RateLimiter`` (connection attempts, per-connection messages/streams).
        deliver: ``async deliver(stream_name, payload)`` called in order for every data frame.
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

    Attributes:
        streams: the subscribed stream names, in subscription order.
        stats: counters: ``connects``, ``frames`` (queued for delivery), ``backpressure``, ``pings``,
            ``handovers``, ``malformed`` (skipped frames that were not a JSON object), ``discarded``
            (frames read while stopped).
    """

    def __init__(
        self,
        url: str,
        *,
        session_factory: Callable[[], Any],
        limiter: Any,
        deliver: Callable[[str, Any], Awaitable[None]],
        retry_policy: Callable[[RetryInfo], tuple[bool, float]],
        timeout: float,
        on_gap: Callable[[], Awaitable[None]] | None = None,
        on_gap_closed: Callable[[tuple[str, ...], float, float, BaseException], Awaitable[None]] | None = None,
        on_error: Callable[[str, BaseException, bool], Awaitable[None]] | None = None,
        name: str = 'data',
        raw_events: bool = False,
    ) -> None:
        self.url = url
        self.raw_events = raw_events
        self.streams: dict[str, None] = {}
        self.stats = {
            'connects': 0,
            'frames': 0,
            'backpressure': 0,
            'pings': 0,
            'handovers': 0,
            'malformed': 0,
            'discarded': 0,
        }
        self._session_factory = session_factory
        self._limiter = limiter
        self._deliver = deliver
        self._policy = retry_policy
        self._timeout = timeout
        self._on_gap = on_gap
        self._on_gap_closed = on_gap_closed
        self._on_error = on_error
        self._name = name
        self._ids = itertools.count(1)
        self._acks: dict[int, asyncio.Future[Any]] = {}
        self._queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue(QUEUE_SIZE)
        self._ws: Any = None
        self._limits: Any = None
        self._runner: asyncio.Task[None] | None = None
        self._dispatcher: asyncio.Task[None] | None = None
        self._connected = asyncio.Event()
        self._closed = False
        self._abandoned: StreamAbandonedException | None = None
        self._recycle = asyncio.Event()
        self._discarding = False  # stopped: frames are read and dropped
        self._closing: asyncio.Future[Any] | None = None
        self._handover = asyncio.Event()  # set by a reader that saw serverShutdown
        self._handing_over = False
        self._holding = False  # the new connection's frames wait in _held
        self._held: deque[tuple[str, Any, str]] = deque()
        self._seen: set[str] = set()  # raw frames the old connection delivered during a handover
        self._rx = 0  # messages received on the current connection (the watchdog's liveness signal)
        self._blocked = False  # the reader waits for room in the queue
        self._silent = False
        # Streams Binance acknowledged on the live connection; emptied when it drops, refilled by the replay.
        self.confirmed: set[str] = set()
        self._confirm_waiters: list[asyncio.Future[None]] = []

    # -- public -------------------------------------------------------------------------------

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
        if self._ws is not None and not self._ws.closed:
            await self._control('UNSUBSCRIBE', gone)

    def stop_delivery(self) -> None:
        """Discard frames from now on, and those already queued; reading goes on (``client.stop()``)."""
        self._discarding = True
        queue = self._queue
        dropped = 0
        while not queue.empty():
            queue.get_nowait()
            dropped += 1
        self.stats['discarded'] += dropped

    def start_delivery(self) -> None:
        """Deliver the frames read from now on (``client.start()``)."""
        self._discarding = False

    def recycle(self) -> None:
        """Drop the current connection and reconnect (with replay) now."""
        self._recycle.set()
        if self._ws is not None:
            self._closing = asyncio.ensure_future(self._ws.close())

    async def close(self, code: int = 4999) -> None:
        self._closed = True
        if self._ws is not None:
            await self._ws.close(code=code)
        for task in (self._runner, self._dispatcher):
            if task is not None:
                task.cancel()
        await asyncio.gather(*(t for t in (self._runner, self._dispatcher) if t is not None), return_exceptions=True)
        if self._limits is not None:
            self._limits.close()
        self._fail_acks('the client is closed')

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
            self._dispatcher = asyncio.create_task(self._dispatch_loop(), name=f'binance-{self._name}-dispatch')
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
        try:
            await self._ws.send_str(json.dumps(data, separators=(',', ':')))
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
                    # The ack may sit behind frames the reader cannot queue while handlers are behind:
                    # that is our slowness, not the server's, so keep waiting for it.
                    if self._blocked and not fut.done():
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
                await self._connect()
                reader = asyncio.create_task(self._read(), name=f'binance-{self._name}-reader')
                watchdog = asyncio.create_task(self._watch(self._ws), name=f'binance-{self._name}-watchdog')
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

    async def _hand_over(
        self, reader: asyncio.Task[None], watchdog: asyncio.Task[None] | None
    ) -> tuple[asyncio.Task[None], asyncio.Task[None]]:
        """``serverShutdown``: make before break. The old connection keeps feeding handlers while a new
        one opens and replays; the new one's frames are held until then and released after, skipping
        those the old one already delivered (both carry identical frames), so nothing is lost or doubled."""
        log.info('%s stream: serverShutdown; handing over to a fresh connection', self._name)
        old_ws, old_reader = self._ws, reader
        self._seen = set()
        self._held = deque()
        self._handing_over = True
        new_reader: asyncio.Task[None] | None = None
        try:
            await self._connect(close_old=False)
            # Only now: the hold is for frames of the new socket (self._ws), which no reader reads yet.
            self._holding = True
            new_reader = asyncio.create_task(self._read(), name=f'binance-{self._name}-reader')
            await self._replay(new_reader)
        except BaseException:
            self._handing_over = self._holding = False
            self._held.clear()
            if new_reader is not None:
                new_reader.cancel()
                await asyncio.gather(new_reader, return_exceptions=True)
            old_reader.cancel()
            await asyncio.gather(old_reader, return_exceptions=True)
            await old_ws.close()
            raise
        if watchdog is not None:
            watchdog.cancel()
        old_reader.cancel()
        await asyncio.gather(old_reader, return_exceptions=True)
        await old_ws.close()
        self._handing_over = False
        queue, held, seen = self._queue, self._held, self._seen
        while held:  # the new reader keeps appending until _holding drops, with no await in between
            stream, payload, raw = held.popleft()
            if raw not in seen:
                await queue.put((stream, payload))
        self._holding = False
        self._seen = set()
        self.stats['handovers'] += 1
        return new_reader, asyncio.create_task(self._watch(self._ws), name=f'binance-{self._name}-watchdog')

    async def _connect(self, close_old: bool = True) -> None:
        await self._limiter.acquire_connection()
        session = self._session_factory()
        if close_old and self._ws is not None and not self._ws.closed:
            await self._ws.close()
        try:
            self._ws = await session.ws_connect(self.url, autoping=False, max_msg_size=0)
        except Exception as exc:
            raise translate(exc, f'{self._name} stream connect', self.url) from exc
        self._silent = False
        self.stats['connects'] += 1
        if self._limits is None:
            self._limits = self._limiter.connection()

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

    async def _read(self) -> None:
        import aiohttp

        ws = self._ws
        T = aiohttp.WSMsgType
        queue = self._queue
        stats = self.stats
        while True:
            msg = await ws.receive()
            self._rx += 1
            kind = msg.type
            if kind is T.TEXT:
                try:
                    data = json.loads(msg.data)
                except (ValueError, RecursionError):  # not JSON (JSONDecodeError), or absurdly nested
                    data = None
                if type(data) is not dict:
                    await self._skip_malformed(msg.data)
                    continue
                stream = data.get('stream')
                if stream is not None:
                    payload = data.get('data')
                    if stream == '!serverShutdown' or (type(payload) is dict and payload.get('e') == 'serverShutdown'):
                        if not self._handing_over:
                            self._handover.set()
                        continue
                    if self._discarding:  # stopped: read and drop, so nothing piles up
                        stats['discarded'] += 1
                        continue
                    if self._holding and ws is self._ws:  # the new connection during a handover
                        self._held.append((stream, payload, msg.data))
                        continue
                    stats['frames'] += 1
                    try:
                        queue.put_nowait((stream, payload))
                    except asyncio.QueueFull:
                        # The handlers are behind: stop reading until they catch up (TCP back-pressure).
                        self._note_backpressure()
                        self._blocked = True
                        try:
                            await queue.put((stream, payload))
                        finally:
                            self._blocked = False
                    if self._handing_over:  # the old connection: remember what it delivered
                        self._seen.add(msg.data)
                    continue
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
                    continue
                if data.get('e') == 'serverShutdown':
                    if not self._handing_over:
                        self._handover.set()
                    continue
                if self.raw_events and 'e' in data:
                    # A raw user stream's bare event (FUTURES-API.md §4: `/ws` forms send `{"e": ...}` unwrapped).
                    if self._discarding:
                        stats['discarded'] += 1
                        continue
                    if self._holding and ws is self._ws:
                        self._held.append(('', data, msg.data))
                        continue
                    stats['frames'] += 1
                    try:
                        queue.put_nowait(('', data))
                    except asyncio.QueueFull:
                        self._note_backpressure()
                        self._blocked = True
                        try:
                            await queue.put(('', data))
                        finally:
                            self._blocked = False
                    if self._handing_over:
                        self._seen.add(msg.data)
            elif kind is T.PING:
                await self._limits.message()
                await ws.pong(msg.data)
            elif kind is T.PONG:
                pass
            elif kind in (T.CLOSE, T.CLOSING, T.CLOSED):
                if self._silent:
                    raise _Silence(f'no frame and no pong for {2 * self._timeout:.1f} s')
                if self._recycle.is_set() or self._closed:
                    return
                raise ConnectionLostException(f'stream closed by the server ({ws.close_code})')
            elif kind is T.ERROR:
                raise ConnectionLostException(f'stream error: {type(ws.exception()).__name__}')

    async def _watch(self, ws: Any) -> None:
        """Liveness without a timer per frame: a few times per ``timeout`` look whether anything arrived.
        ``timeout`` seconds of silence while the reader waits on the socket earn a ping; a ping unanswered for
        another ``timeout`` closes the connection (the reader then reports it). Time the reader spends blocked
        on slow handlers is not silence."""
        loop = asyncio.get_running_loop()
        timeout = self._timeout
        seen = self._rx
        last = loop.time()
        ping_at: float | None = None
        while not ws.closed:
            await asyncio.sleep(timeout / 4)
            now = loop.time()
            if self._blocked or self._rx != seen:
                seen, last, ping_at = self._rx, now, None
            elif ping_at is None:
                if now - last >= timeout:
                    ping_at = now
                    self.stats['pings'] += 1
                    await self._limits.message()
                    await ws.ping()
            elif now - ping_at >= timeout:
                self._silent = True
                await ws.close()
                return

    async def _skip_malformed(self, text: Any) -> None:
        """A frame that is not a JSON object: log it, tell the error handlers, and read on."""
        self.stats['malformed'] += 1
        shown = str(text)[:120]
        log.warning('%s stream: skipped a frame that is not a JSON object: %r', self._name, shown)
        if self._on_error is not None:
            exc = MalformedResponseException(
                f'{self._name} stream: skipped a frame that is not a JSON object ({shown!r}); the stream goes on',
                body=str(text),
            )
            await self._on_error('frame', exc, True)

    def _note_backpressure(self) -> None:
        self.stats['backpressure'] += 1
        log.warning(
            '%s stream: handlers are %d frames behind the feed; reading from the socket slows down '
            '(no frame is dropped)',
            self._name,
            self._queue.qsize(),
        )

    async def _dispatch_loop(self) -> None:
        queue = self._queue
        deliver = self._deliver
        stats = self.stats
        while True:
            stream, payload = await queue.get()
            if self._discarding:  # queued before stop() (a reader that waited for room, a handover)
                stats['discarded'] += 1
                continue
            try:
                await deliver(stream, payload)
            except BaseException as exc:
                # Whatever escaped the dispatcher (which isolates handlers): only close() ends this task.
                if stops_delivery(exc):
                    raise
                log.exception('%s stream: delivering a frame failed', self._name)
