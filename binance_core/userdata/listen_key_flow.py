"""User data over a listenKey stream: a general mechanism whose wire is data (:class:`ListenKeyUserData`);
USDⓈ-M and COIN-M supply their rows (Binance derivatives "User Data Streams"; FUTURES-API.md §4).

The flow asks for a key (``userDataStream.start`` or ``POST .../listenKey``: the key is bound to the API
key, USER_STREAM security, no signature), opens the private stream with the key in its URL, and keeps the
key alive (a key lives 60 minutes after its creation or last keepalive). Events arrive bare
(``{"e": ...}``, the ``/ws`` forms) or wrapped (``{"stream": <key>, "data": {...}}``, the ``/stream``
forms); both reach the handlers as the bare event, in order, from one task.

Every change of connection keeps each event exactly once:

- **Planned** (a connection nears Binance's 24-hour cut, ``max_age``; or the key turns out dead but the
  exchange hands back the same key): make before break. The new connection opens while the old one still
  delivers; the new one's events are held. As soon as one event has arrived on both (or after ``overlap``
  seconds without any event) the new one takes over: held events the old one already delivered are
  dropped (compared as whole JSON objects, counted, so two equal events are two), the rest follow in
  order, and the old connection is closed. Copies of delivered events the new connection brings a moment
  later are dropped too, for ``overlap`` seconds.
- **Key dead** (``listenKeyExpired`` on the stream, or ``-1125`` answering a keepalive): a new key, a new
  connection, then the old one is closed. Binance sends nothing for a dead key, so the events between its
  death and the new connection are gone: the gap is reported (``StreamError`` phase ``'gap'``) with a hint
  to reconcile orders, positions and balances.
- **Dropped** (network, server close): the connection reconnects to the same URL by itself, backing off
  per the client's stream retry policy; then the flow asks for the key again (the same key comes back and
  is extended; a different one means the old key died meanwhile: the flow moves to it) and reports the gap.

While the client is stopped (``pause()``) events are received and discarded, keys are still kept alive
and renewed, and connections still replaced, so delivery resumes at once on ``resume()``.

Errors the flow recovers from go to ``StreamErrorHandlerBase`` handlers: phase ``'keepalive'`` (a keepalive
failed; retried with the retry policy's delays, the key stays valid for up to an hour), ``'resubscribe'``
(getting a key or connecting failed; retried), ``'reconnect'`` with ``recovering=False`` (the retry policy
gave up: ``subscribe(SubType.USER)`` again starts afresh), ``'frame'`` (a skipped non-JSON frame), ``'gap'``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from binance_core.exceptions import (
    ConnectionLostException,
    CredentialsRequiredException,
    MalformedResponseException,
)
from binance_core.handlers.dispatch import stops_delivery
from binance_core.handlers.errors import StreamError
from binance_core.specs import REST, WS, SecurityType
from binance_core.transport.base import Outgoing
from binance_core.transport.retry import RetryInfo
from binance_core.transport.stream import StreamConnection
from binance_core.userdata import UserDataServices
from binance_core.userdata.rows import ListenKeyUserData

__all__ = ['ListenKeyUserData', 'ListenKeyUserDataFlow']

log = logging.getLogger('binance.userdata')

# User data is low-volume; a backlog this deep means a handler is stuck: say so in the log.
BACKLOG_WARNING = 1000

GAP_HINT = (
    'Binance keeps no backlog: account, order and position events sent meanwhile are lost; reconcile open '
    'orders, positions and balances over the REST API or the WebSocket API'
)


class _Leg:
    """One private-stream connection and the key in its URL."""

    __slots__ = ('conn', 'key', 'last_event', 'opened', 'up_at')

    def __init__(self, key: str) -> None:
        self.key = key
        self.conn: StreamConnection | None = None
        self.opened = 0.0  # loop time when connected
        self.up_at: float | None = None  # epoch seconds when connected
        self.last_event = 0.0  # epoch seconds of its last event


class ListenKeyUserDataFlow:
    """Keeps one listenKey user-data stream alive for a client.

    Attributes:
        stats: ``events`` delivered, ``discarded`` (received while the client was stopped), ``keepalives``
            answered, ``renewals`` (moves to a new key), ``handovers`` (connections replaced), ``duplicates``
            (copies dropped during handovers) and ``gaps`` reported.
    """

    def __init__(self, services: UserDataServices, wire: ListenKeyUserData) -> None:
        creds = services.context.credentials
        if creds is None or not creds.api_key:
            raise CredentialsRequiredException('SubType.USER needs Credentials with an api_key (USER_STREAM security)')
        self._services = services
        self._wire = wire
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None  # delivery, until close()
        self._maintainer: asyncio.Task[None] | None = None  # keepalive, renewals, handovers
        self._lock = asyncio.Lock()
        self._closed = False  # close() was called: a start() still under way undoes itself
        self._wake = asyncio.Event()
        self._active = False
        self._discarding = False
        self._key: str | None = None  # the active key, as the exchange last named it
        self._key_ok = 0.0  # epoch seconds when the key was last confirmed alive
        self._ping_due = 0.0  # loop time of the next keepalive
        self._handover_due: float | None = None  # loop time of a retried planned handover
        self._leg: _Leg | None = None  # the connection whose events are delivered
        self._next: _Leg | None = None  # the connection a handover is under way to
        self._held: list[tuple[str, dict[str, Any]]] = []  # events of _next, until it takes over
        self._held_keys: Counter[str] = Counter()
        self._seen: Counter[str] = Counter()  # events _leg delivered while _next was under way
        self._overlap = asyncio.Event()  # an event arrived on both connections
        self._skip: Counter[str] = Counter()  # delivered events whose copies the new connection may still bring
        self._skip_until = 0.0
        self._renew: tuple[float, str] | None = None  # the key died: (since, why)
        self._dropped: tuple[float, float, BaseException] | None = None  # a reconnect to report: (down, up, why)
        self._gave_up: BaseException | None = None
        self.stats = {
            'events': 0,
            'discarded': 0,
            'keepalives': 0,
            'renewals': 0,
            'handovers': 0,
            'duplicates': 0,
            'gaps': 0,
        }

    def __repr__(self) -> str:
        return f'ListenKeyUserDataFlow(active={self._active}, stats={self.stats})'

    # -- the UserDataFlow protocol ------------------------------------------------------------------

    async def start(self) -> None:
        async with self._lock:
            if self._active:
                return
            self._check_open()
            if self._task is None:
                self._task = asyncio.create_task(self._deliver(), name='binance-user-dispatch')
            self._gave_up = None
            self._renew = self._dropped = self._handover_due = None
            key = await self._start_key()
            leg = self._new_leg(key)
            self._leg = leg
            try:
                self._check_open()  # closed while the key was being made: close() found no leg to close
                await self._connect(leg)
                self._check_open()
            except BaseException:
                self._leg = None
                await self._close_leg(leg)
                if self._closed:
                    await self._close_key_quietly()
                raise
            self._active = True
            self._maintainer = asyncio.create_task(self._maintain(), name='binance-user-keepalive')
            log.debug('user data: listenKey stream open')

    async def stop(self) -> None:
        async with self._lock:
            if not self._active:
                return
            self._active = False
            await self._halt()
            if self._key is not None:
                self._key = None
                try:
                    await self._call(self._wire.stop)
                except Exception as exc:
                    if _code(exc) != self._wire.expired_code:  # already gone: what we wanted
                        raise

    def pause(self) -> None:
        """``client.stop()``: discard events from now on, and those not yet delivered."""
        self._discarding = True
        queue = self._queue
        while not queue.empty():
            queue.get_nowait()
            self.stats['discarded'] += 1

    def resume(self) -> None:
        """``client.start()``: deliver the events received from now on."""
        self._discarding = False

    async def close(self) -> None:
        """Stop the keepalive, close the connections, then close the key (best effort: it would expire within
        the hour anyway). A ``start()`` still under way sees the flow closed at its next step and undoes itself
        (closes its connection and its key); close() waits for it a bounded time."""
        self._closed = True
        self._active = False
        try:
            async with asyncio.timeout(self._services.context.request_timeout):
                async with self._lock:  # let a start() under way finish undoing itself
                    pass
        except TimeoutError:
            log.warning('user data: a subscribe still under way at close(); it closes itself when it resumes')
        await self._halt()
        await self._close_key_quietly()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    def _check_open(self) -> None:
        if self._closed:
            raise ConnectionLostException('user data: the client is closed')

    async def _close_key_quietly(self) -> None:
        if self._key is None:
            return
        self._key = None
        try:
            async with asyncio.timeout(self._services.context.request_timeout):
                await self._call(self._wire.stop)
        except Exception as exc:
            log.warning('user data: closing the listenKey failed (%r); it expires within the hour', exc)

    # -- keys and connections -----------------------------------------------------------------------

    async def _call(self, call: WS | REST) -> Any:
        out = Outgoing({}, SecurityType.USER_STREAM, self._wire.weight)
        services = self._services
        if isinstance(call, WS):
            return await services.ws_api().request(call.method, out)
        return await services.rest().request(call.verb, services.context.hosts.rest.rstrip('/') + call.path, out)

    async def _start_key(self) -> str:
        result = await self._call(self._wire.start)
        key = result.get('listenKey') if isinstance(result, dict) else None
        if not isinstance(key, str) or not key:
            raise MalformedResponseException('user data: the answer to the listenKey request names no listenKey')
        self._confirmed(key)
        return key

    def _confirmed(self, key: str) -> None:
        """The exchange vouched for *key* just now (a start or a keepalive): it lives another 60 minutes."""
        self._key = key
        self._key_ok = time.time()
        self._ping_due = asyncio.get_running_loop().time() + self._wire.keepalive

    def _new_leg(self, key: str) -> _Leg:
        leg = _Leg(key)
        host = self._services.context.hosts.stream.rstrip('/')
        url = self._wire.url.format(host=host, key=quote(key, safe=''))

        async def deliver(stream: str, payload: Any) -> None:
            self._on_frame(leg, payload)

        async def on_gap_closed(streams: tuple[str, ...], down_at: float, up_at: float, exc: BaseException) -> None:
            self._on_reconnected(leg, down_at, up_at, exc)

        async def on_error(phase: str, exc: BaseException, recovering: bool) -> None:
            await self._on_stream_error(leg, phase, exc, recovering)

        leg.conn = self._services.open_stream(
            url, name='user', deliver=deliver, on_gap_closed=on_gap_closed, on_error=on_error
        )
        return leg

    async def _connect(self, leg: _Leg) -> None:
        assert leg.conn is not None
        await leg.conn.open()
        leg.opened = asyncio.get_running_loop().time()
        leg.up_at = time.time()

    @staticmethod
    async def _close_leg(leg: _Leg | None) -> None:
        if leg is not None and leg.conn is not None:
            await leg.conn.close()

    async def _halt(self) -> None:
        """Stop the maintainer, then close every connection."""
        task, self._maintainer = self._maintainer, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        await self._close_legs()

    async def _close_legs(self) -> None:
        legs = (self._leg, self._next)
        self._leg = self._next = None
        self._reset_handover()
        self._skip.clear()
        self._renew = self._dropped = None
        for leg in legs:
            await self._close_leg(leg)

    def _reset_handover(self) -> None:
        self._held = []
        self._held_keys = Counter()
        self._seen = Counter()
        self._overlap.clear()

    # -- maintenance: keepalive, renewals, handovers, one at a time ----------------------------------

    async def _maintain(self) -> None:
        loop = asyncio.get_running_loop()
        fails = 0
        while True:
            self._wake.clear()
            if self._gave_up is not None:
                self._active = False
                await self._close_legs()
                return
            leg = self._leg
            now = loop.time()
            phase = 'resubscribe'
            try:
                if self._renew is not None:
                    await self._move(*self._renew)
                elif self._dropped is not None:
                    await self._after_drop()
                elif now >= self._ping_due:
                    phase = 'keepalive'
                    await self._keep_alive()
                elif leg is not None and now >= (self._handover_due or leg.opened + self._wire.max_age):
                    await self._move(None, 'max_age')
                else:
                    due = self._ping_due
                    if leg is not None:
                        due = min(due, self._handover_due or leg.opened + self._wire.max_age)
                    try:
                        async with asyncio.timeout(max(0.0, due - now)):
                            await self._wake.wait()
                    except TimeoutError:
                        pass
                    continue
                fails = 0
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                fails += 1
                abandon, delay = self._services.context.retry_policy(RetryInfo(fails, exc))
                if phase == 'keepalive':
                    # Never give up on a keepalive: the key stays valid for up to an hour, and if it expires the
                    # stream says so (listenKeyExpired) and the flow moves to a new one.
                    delay = min(delay, self._wire.keepalive)
                    self._ping_due = loop.time() + delay
                    await self._services.report_error('user', phase, exc, True)
                    continue
                if abandon:
                    await self._services.report_error('user', 'reconnect', exc, False)
                    self._gave_up = exc
                    continue
                if self._renew is None and self._dropped is None:  # a planned handover failed: retry it
                    self._handover_due = loop.time() + delay
                await self._services.report_error('user', phase, exc, True)
                await asyncio.sleep(delay)

    async def _keep_alive(self) -> None:
        try:
            result = await self._call(self._wire.ping)
        except Exception as exc:
            if _code(exc) == self._wire.expired_code:
                # Binance: "-1125 This listenKey does not exist": create a new key and reconnect.
                self._key_died(self._suspect_since(), 'the keepalive was answered -1125 (no such listenKey)')
                return
            raise
        self.stats['keepalives'] += 1
        key = result.get('listenKey') if isinstance(result, dict) else None
        if isinstance(key, str) and key and self._key is not None and key != self._key:
            # The exchange names another active key: ours is gone.
            self._key_died(self._suspect_since(), 'the keepalive named another listenKey')
            return
        assert self._key is not None
        self._confirmed(self._key)

    def _suspect_since(self) -> float:
        """When the key was last known alive: its last confirmation, or a later event on its stream."""
        leg = self._leg
        return max(self._key_ok, leg.last_event if leg is not None else 0.0)

    def _key_died(self, since: float, why: str) -> None:
        if self._renew is None:
            self._renew = (since, why)
        self._wake.set()

    async def _move(self, since: float | None, why: str) -> None:
        """Get the key again and move to a new connection. *since* is set when the old key is known dead
        (then events since that moment are lost: a gap); ``None`` for a planned handover, which loses
        nothing unless the exchange hands back another key (the old one died unnoticed)."""
        old = self._leg
        suspect = self._suspect_since()
        key = await self._start_key()
        changed = old is None or key != old.key
        # The same key: the old connection may still carry events, so overlap the two and lose nothing.
        await self._replace(key, overlap=not changed)
        self._handover_due = None
        if since is None and changed:
            since, why = suspect, 'the listenKey was replaced'
        if since is not None:
            self._renew = None
            if changed:
                self.stats['renewals'] += 1
            cause = ConnectionLostException(f'user data: {why}; a new listenKey stream is open')
            await self._report_gap(since, time.time(), cause)

    async def _after_drop(self) -> None:
        """The stream reconnected by itself after a drop: check the key (a different one means the old key
        died during the outage: move to it), then report the gap."""
        assert self._dropped is not None
        down_at, up_at, exc = self._dropped
        leg = self._leg
        key = await self._start_key()
        if leg is not None and key != leg.key:
            await self._replace(key, overlap=False)
            self.stats['renewals'] += 1
            up_at = time.time()
        self._dropped = None
        await self._report_gap(down_at, up_at, exc)

    async def _replace(self, key: str, *, overlap: bool) -> None:
        """Open a connection for *key*, let it take over from the current one, close the old one."""
        stalled: tuple[float, float] | None = None
        leg = self._new_leg(key)
        self._reset_handover()
        self._next = leg
        try:
            await self._connect(leg)
            if overlap and self._leg is not None:
                try:
                    async with asyncio.timeout(self._wire.overlap):
                        await self._overlap.wait()
                except TimeoutError:
                    if self._seen and not self._held:
                        # The old connection carries events and the new one none: the new one is not fed (yet).
                        # Taking over could lose events; keep the old one and try again later.
                        raise ConnectionLostException(
                            f'user data: the new stream connection carried none of the {self._seen.total()} events '
                            f'the old one did in {self._wire.overlap:.1f} s; keeping the old one'
                        ) from None
                    # Nothing on either: nothing to lose. Events on both but none in common: the old connection
                    # has stalled behind the new one, which carries what follows; what lies between the two
                    # cannot be proven delivered, so it is reported as a gap once the new one takes over.
                    if self._seen and self._held:
                        stalled = (self._leg.last_event or time.time(), leg.up_at or time.time())
        except BaseException:
            if self._next is leg:
                self._next = None
                self._reset_handover()
            await self._close_leg(leg)
            raise
        old = self._take_over(leg, overlap)
        self.stats['handovers'] += 1
        await self._close_leg(old)
        if stalled is not None:
            await self._report_gap(
                *stalled, ConnectionLostException('user data: the old stream stalled before the new one took over')
            )

    def _take_over(self, leg: _Leg, overlap: bool) -> _Leg | None:
        """*leg* becomes the source: release its held events but those the old one delivered. No await."""
        old, self._leg, self._next = self._leg, leg, None
        held, seen = self._held, self._seen
        self._reset_handover()
        for k, event in held:
            if seen[k] > 0:
                seen[k] -= 1
                self.stats['duplicates'] += 1
                continue
            self._accept(leg, event)
        # The new connection may lag behind the old one: copies of these may still come (not on a new key).
        self._skip = +seen if overlap else Counter()
        self._skip_until = asyncio.get_running_loop().time() + self._wire.overlap
        return old

    # -- connection callbacks ------------------------------------------------------------------------

    def _on_reconnected(self, leg: _Leg, down_at: float, up_at: float, exc: BaseException) -> None:
        if leg is not self._leg or not self._active:
            return  # a connection being handed to, or retired: its loss is covered by the other
        nxt = self._next
        if nxt is not None and nxt.up_at is not None and nxt.up_at <= down_at:
            self._overlap.set()  # the new connection was up before the old one dropped: it has every event
            return
        if self._dropped is None:
            self._dropped = (down_at, up_at, exc)
        else:
            self._dropped = (min(self._dropped[0], down_at), up_at, self._dropped[2])
        self._wake.set()

    async def _on_stream_error(self, leg: _Leg, phase: str, exc: BaseException, recovering: bool) -> None:
        if phase == 'reconnect' and not recovering:
            if leg is self._leg and self._active:
                # The retry policy gave up on the private stream: tell the user, stop keeping the key alive.
                await self._services.report_error('user', 'reconnect', exc, False)
                self._gave_up = exc
                self._wake.set()
            return
        await self._services.report_error('user', phase, exc, recovering)

    async def _report_gap(self, down_at: float, up_at: float, cause: BaseException) -> None:
        self.stats['gaps'] += 1
        await self._services.report_stream_error(
            StreamError(
                stream='user',
                phase='gap',
                exception=cause,
                recovering=True,
                down_at=down_at,
                up_at=up_at,
                hint=GAP_HINT,
            )
        )

    # -- events -------------------------------------------------------------------------------------

    def _on_frame(self, leg: _Leg, payload: Any) -> None:
        if type(payload) is not dict:
            return
        if leg is self._leg:
            leg.last_event = time.time()
            if self._skip:
                k = _key(payload)
                if asyncio.get_running_loop().time() > self._skip_until:
                    self._skip.clear()
                elif self._skip[k] > 0:
                    self._skip[k] -= 1
                    self.stats['duplicates'] += 1
                    return
            if self._next is not None:
                k = _key(payload)
                self._seen[k] += 1
                if self._held_keys[k]:
                    self._overlap.set()
            self._accept(leg, payload)
        elif leg is self._next:
            k = _key(payload)
            self._held.append((k, payload))
            self._held_keys[k] += 1
            if self._seen[k]:
                self._overlap.set()
        # else: a retired connection's copy of an event the current one carries too

    def _accept(self, leg: _Leg, event: dict[str, Any]) -> None:
        if event.get('e') == self._wire.expired_event and self._active:
            expired = event.get('listenKey')
            if expired is None or expired == leg.key:
                # Binance: no more events for this key until a new valid one is used; events meanwhile are lost.
                self._key_died(time.time(), 'the listenKey expired (listenKeyExpired)')
        self._enqueue(event)

    def _enqueue(self, event: dict[str, Any]) -> None:
        if self._discarding:
            self.stats['discarded'] += 1
            return
        self._queue.put_nowait(event)
        if self._queue.qsize() == BACKLOG_WARNING:
            log.warning('user-data handlers are %d events behind', BACKLOG_WARNING)

    async def _deliver(self) -> None:
        deliver: Callable[[Any], Awaitable[None]] = self._services.deliver
        stats = self.stats
        while True:
            event = await self._queue.get()
            if self._discarding:  # queued before the client stopped
                stats['discarded'] += 1
                continue
            stats['events'] += 1
            try:
                await deliver(event)
            except BaseException as exc:
                # Handler failures are isolated by the dispatcher; only close() ends this task.
                if stops_delivery(exc):
                    raise
                log.exception('delivering a user-data event failed')


def _code(exc: BaseException) -> Any:
    """The Binance error code of a WS-API (``StreamSubscribeException``) or REST (``StatusException``) error."""
    return getattr(exc, 'code', None)


def _key(event: dict[str, Any]) -> str:
    """The same event on two connections is the same JSON object: compare it whole."""
    return json.dumps(event, sort_keys=True, separators=(',', ':'))
