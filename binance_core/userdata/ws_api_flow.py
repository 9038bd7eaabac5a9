"""User data subscribed over a market's WebSocket API session: a general mechanism whose wire method
names are data (:class:`WsApiUserData`); Spot supplies its own (Spot docs, "User Data Stream
subscription"), and any market whose WS-API works the same way can reuse it.

Ed25519 keys log the session on and call the ``subscribe`` method; HMAC and RSA keys use the
``subscribe_signed`` method (any key type, no logon needed). Subscriptions do not survive a
reconnect, so the flow subscribes again on every new WS-API connection. Events arrive as
``{"subscriptionId": n, "event": {...}}`` and are delivered in order by one task, so a slow
handler never blocks the responses of other requests on the same connection.

On ``serverShutdown`` the old connection keeps its subscription until the new one is acknowledged
(make before break): events of the old one are delivered until then, the new one's are held and
then delivered, except those the old one already delivered (the same event on both is identical),
so nothing is lost or doubled. After a dropped connection, events sent while it was down are gone
(Binance keeps no backlog): once subscribed again, the flow reports the gap to the
``StreamErrorHandlerBase`` handlers (``phase='gap'``), and, when the market's row names snapshot
requests and a handler listens for ``userDataSnapshot`` events, fetches open orders and balances and
delivers them as one such event.

While the client is stopped, events are received and discarded.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any, TypeVar

from binance_core.exceptions import ConnectionLostException, CredentialsRequiredException
from binance_core.handlers.dispatch import stops_delivery
from binance_core.handlers.errors import StreamError
from binance_core.specs import SecurityType
from binance_core.transport.base import Outgoing
from binance_core.transport.retry import RetryInfo
from binance_core.userdata import UserDataServices
from binance_core.userdata.rows import WsApiUserData

__all__ = ['WsApiUserData', 'WsApiUserDataFlow']

log = logging.getLogger('binance.userdata')

T = TypeVar('T')

# User data is low-volume; a backlog this deep means a handler is stuck: say so in the log.
BACKLOG_WARNING = 1000
# The event type of the reconciliation snapshot delivered after a gap (not a Binance event).
SNAPSHOT_EVENT = 'userDataSnapshot'


class WsApiUserDataFlow:
    """Keeps one user-data subscription alive on a client's WS-API connection.

    Attributes:
        subscription_id: Binance's id of the active subscription, or ``None``.
        stats: ``events`` delivered, ``discarded`` (received while the client was stopped),
            ``resubscribes`` done, ``gaps`` reported and ``snapshots`` delivered.
    """

    def __init__(self, services: UserDataServices, wire: WsApiUserData) -> None:
        creds = services.context.credentials
        if creds is None or not creds.can_sign:
            raise CredentialsRequiredException(
                'SubType.USER needs Credentials that can sign (api_secret or private_key)'
            )
        self._services = services
        self._wire = wire
        self._transport = services.ws_api()
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._reconciling: asyncio.Task[None] | None = None
        self._discarding = False  # the client is stopped
        self._down_at: float | None = None  # when the acknowledged subscription's connection dropped
        self._holding: list[dict[str, Any]] | None = None  # events held while a snapshot is fetched
        self._via_session = False  # the active subscription rides the logged-on session (ended by a logout)
        self._active = False
        self._lock = asyncio.Lock()
        self._source: Any = None  # the connection whose subscription is acknowledged
        self._next: Any = None  # the connection a subscribe is under way on
        self._held: list[dict[str, Any]] = []  # events of _next before its ack
        self._seen: set[str] = set()  # events delivered from _source while _next was pending
        self.subscription_id: int | None = None
        self.stats = {'events': 0, 'discarded': 0, 'resubscribes': 0, 'gaps': 0, 'snapshots': 0}

    async def start(self) -> None:
        async with self._lock:
            if self._active:
                return
            t = self._transport
            t.on_event = self._on_event
            _hook(t.on_reconnect, self._on_reconnect)
            _hook(t.on_close, self._on_close)
            _hook(t.on_logout, self._on_logout)
            if self._task is None:
                self._task = asyncio.create_task(self._deliver(), name='binance-user-dispatch')
            await self._subscribe()
            self._active = True

    async def stop(self) -> None:
        async with self._lock:
            if not self._active:
                return
            self._active = False
            t = self._transport
            _unhook(t.on_reconnect, self._on_reconnect)
            _unhook(t.on_close, self._on_close)
            _unhook(t.on_logout, self._on_logout)
            sid, self.subscription_id = self.subscription_id, None
            self._source = None
            self._down_at = None
            if self._reconciling is not None:
                self._reconciling.cancel()
            params = {'subscriptionId': sid} if sid is not None else {}
            wire = self._wire
            await self._transport.request(wire.unsubscribe, Outgoing(params, SecurityType.NONE, wire.weight))

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
        self._active = False
        for task in (self._task, self._reconciling):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        self._task = self._reconciling = None

    async def _subscribe(self) -> None:
        t = self._transport
        wire = self._wire
        # Through the session while signed calls may log it on (Ed25519, no explicit logout), else signed.
        via_session = t.auto_logon
        if via_session:
            await t.logon()
        self._via_session = via_session
        self._next = await t.connection()
        self._held = []
        self._seen = set()
        try:
            if via_session:
                result = await t.request(wire.subscribe, Outgoing({}, SecurityType.NONE, wire.weight))
            else:
                # The signature variant: apiKey + timestamp + signature over the sorted params.
                result = await t.request(wire.subscribe_signed, Outgoing({}, SecurityType.USER_DATA, wire.weight))
        except BaseException:
            self._next, self._held, self._seen = None, [], set()
            raise
        self.subscription_id = (result or {}).get('subscriptionId')
        self._source, self._next = self._next, None
        for event in self._held:
            if _key(event) not in self._seen:
                self._enqueue(event)
        self._held, self._seen = [], set()
        log.debug('user data subscribed (subscriptionId=%s)', self.subscription_id)

    def _on_close(self, conn: Any) -> None:
        """A WS-API connection's socket is gone: if it carried the subscription, events are lost from now on.
        A connection retired after a ``serverShutdown`` handover is no longer the source when it closes."""
        if conn is self._source and self._active and self._down_at is None:
            self._down_at = time.time()

    async def _on_logout(self) -> None:
        """The user logged the session out, which ends a subscription made through it (a signed one lives
        on): subscribe again, signed per request, at once. Events sent in between are lost: a gap."""
        if not self._active or not self._via_session:
            return
        self._down_at = time.time()
        try:
            async with self._lock:
                await self._subscribe()
        except Exception as exc:
            await self._services.report_error('user', 'resubscribe', exc, False)
            return
        await self._after_gap()

    async def _on_reconnect(self) -> None:
        """A new WS-API connection: log on and subscribe again, retrying per the stream policy."""
        if not self._active:
            return
        services = self._services
        fails = 0
        while self._active:
            phase = 'logon' if self._transport.auto_logon else 'resubscribe'
            try:
                if self._transport.auto_logon:
                    await self._transport.logon()
                phase = 'resubscribe'
                async with self._lock:
                    await self._subscribe()
                self.stats['resubscribes'] += 1
                break
            except Exception as exc:
                fails += 1
                abandon, delay = services.context.retry_policy(RetryInfo(fails, exc))
                await services.report_error('user', phase, exc, not abandon)
                if abandon:
                    self._active = False
                    return
                await asyncio.sleep(delay)
        else:
            return  # unsubscribed meanwhile
        await self._after_gap()

    # -- gaps -----------------------------------------------------------------------------------

    async def _after_gap(self) -> None:
        """Subscribed again: if the previous connection dropped (not a handover), report the gap and start
        the reconciliation snapshot when someone listens for it."""
        down_at, self._down_at = self._down_at, None
        if down_at is None:
            return
        self.stats['gaps'] += 1
        services = self._services
        listening = bool(self._wire.snapshot) and services.listens(SNAPSHOT_EVENT)
        snapshot = listening and not self._discarding  # stopped, it would be discarded like any event
        hint = 'order and balance events sent while the connection was down are lost: reconcile open orders and '
        hint += 'balances'
        if snapshot:
            hint += f' (a {SNAPSHOT_EVENT} event with both follows)'
        elif listening:
            hint += f' (no {SNAPSHOT_EVENT} is fetched while the client is stopped)'
        elif self._wire.snapshot:
            hint += f', or register a handler for {SNAPSHOT_EVENT} events to have them fetched after each gap'
        await services.report_stream_error(
            StreamError(
                stream='user',
                phase='gap',
                exception=ConnectionLostException('user data: the WS-API connection dropped; ' + hint),
                recovering=True,
                down_at=down_at,
                up_at=time.time(),
                hint=hint,
            )
        )
        if snapshot:
            if self._reconciling is not None:
                self._reconciling.cancel()  # a newer gap: only the latest snapshot matters
            self._reconciling = asyncio.create_task(self._reconcile('gap'), name='binance-user-reconcile')

    async def _reconcile(self, reason: str) -> None:
        """Fetch the snapshot rows and deliver them as one ``userDataSnapshot`` event. Events that arrive while
        the snapshot is fetched are held and follow it (they may already be reflected in it: apply them as
        updates), so no event older than the snapshot is delivered after it. A failure is reported, never
        raised; the held events are delivered then too."""
        services = self._services
        held: list[dict[str, Any]] = []
        self._holding = held
        event: dict[str, Any] | None = None
        try:
            results = await asyncio.gather(
                *(
                    self._transport.request(method, Outgoing({}, SecurityType.USER_DATA, weight))
                    for _, method, weight in self._wire.snapshot
                )
            )
            event = {'e': SNAPSHOT_EVENT, 'E': services.context.clock.now_ms(), 'reason': reason}
            for (key, _, _), result in zip(self._wire.snapshot, results, strict=True):
                event[key] = result
        except Exception as exc:
            log.warning('user data: fetching the snapshot after a gap failed: %r', exc)
            await services.report_stream_error(
                StreamError(
                    stream='user',
                    phase='reconcile',
                    exception=exc,
                    recovering=False,
                    hint='reconcile open orders and balances yourself; the user-data stream itself runs on',
                )
            )
        finally:
            if self._holding is held:
                self._holding = None
            if event is not None:
                self.stats['snapshots'] += 1
                self._enqueue(event)
            for e in held:  # into the queue, or into a newer snapshot's hold
                self._enqueue(e)

    # -- delivery ---------------------------------------------------------------------------------

    def _on_event(self, frame: dict[str, Any], conn: Any = None) -> None:
        event = frame.get('event')
        if not isinstance(event, dict):
            return
        if conn is not self._source:
            if conn is self._next:
                self._held.append(event)  # delivered once its subscription is acknowledged
            # else: a retired connection's copy of an event the current one carries too
            return
        if self._next is not None:
            self._seen.add(_key(event))
        self._enqueue(event)

    def _enqueue(self, event: dict[str, Any]) -> None:
        if self._discarding:
            self.stats['discarded'] += 1
            return
        if self._holding is not None:  # a snapshot is being fetched: its events follow it
            self._holding.append(event)
            return
        self._queue.put_nowait(event)
        if self._queue.qsize() == BACKLOG_WARNING:
            log.warning('user-data handlers are %d events behind', BACKLOG_WARNING)

    async def _deliver(self) -> None:
        deliver = self._services.deliver
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


def _hook(hooks: list[T], hook: T) -> None:
    if hook not in hooks:
        hooks.append(hook)


def _unhook(hooks: list[T], hook: T) -> None:
    if hook in hooks:
        hooks.remove(hook)


def _key(event: dict[str, Any]) -> str:
    """The same event on two subscriptions is the same JSON object: compare it whole."""
    return json.dumps(event, sort_keys=True, separators=(',', ':'))
