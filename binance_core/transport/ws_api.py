"""The WebSocket API transport: one persistent connection per client, requests matched by id.

Binance rules this follows (Spot docs, "WebSocket API"; BINANCE-API.md §2-§4):
- Ed25519 credentials log the session on (``session.logon``); later signed requests carry only
  ``timestamp``. HMAC/RSA sign every request over the sorted params. Timestamps, signatures and the
  single resend after -1021 are ``binance_core.signing``'s, shared with REST.
- An explicit ``session.logout`` is honoured: from then on every signed request carries its own
  ``apiKey`` and ``signature`` (Binance accepts a per-request signature from any key type, Ed25519
  included), and the session is logged on again only by an explicit ``session.logon``.
- 429 / 418 (or -1003): the limiter holds every request until ``error.data.retryAfter``; when Binance
  sends no time, for ``binance_core.transport.backoff``'s default (60 s for a 429, 120 s for a 418),
  exactly as REST does without ``Retry-After``.
- After a dropped connection, a client that has made signed calls or has user data reconnects at
  once (and logs the session on again for Ed25519 keys), backing off per the client's retry policy;
  a client that has only made public calls reconnects lazily, on its next request.
- A request in flight when the connection drops, or answered with -1007, has an unknown outcome:
  it fails at once with ``UnknownOutcomeException`` (orders) and is never re-sent.
- ``serverShutdown`` (no guaranteed lead time since 2026-06-09): new requests go to a fresh
  connection at once; the old one is closed after its in-flight requests are answered.
- A frame that is not a JSON object is logged and skipped; the connection and the requests in
  flight carry on.
- Every answer's ``rateLimits`` is adopted by the client's limiter before its caller resumes: once per
  burst of answers read together, the newest count of each pool (``_adopt_limits``).
- JSON is ``binance_core.jsonlib``'s: orjson when installed, else the standard library.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import operator
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from binance_core import signing
from binance_core.context import RequestContext
from binance_core.exceptions import (
    ConnectionLostException,
    MalformedResponseException,
    RequestTimeoutException,
    StreamRateLimitException,
    StreamSubscribeException,
    UnknownOutcomeException,
)
from binance_core.jsonlib import dumps, loads
from binance_core.specs import SecurityType
from binance_core.timesync import to_ms
from binance_core.transport.backoff import hold_seconds
from binance_core.transport.base import Outgoing
from binance_core.transport.errors import translate
from binance_core.transport.retry import RetryInfo
from binance_core.transport.session import new_session

__all__ = ['WsApiTransport']

log = logging.getLogger('binance.ws_api')

EXECUTION_UNKNOWN = -1007
TOO_MANY_REQUESTS = -1003
TOO_MANY_ORDERS = -1015
KEY_REJECTED = -2015
# A request unanswered request_timeout (+ this, for the network) after it was sent fails; Binance itself
# answers -1007 after its 10 s backend timeout.
ANSWER_GRACE = 1.0
SWEEP_INTERVAL = 0.5
# session.logon costs 2 request weight (Spot and USDⓈ-M WS-API docs, "Log in with API key").
LOGON_WEIGHT = 2
LOGON = 'session.logon'
LOGOUT = 'session.logout'
# The security types that sign (SecurityType.signed), as a tuple: `in` finds an enum member by identity, without the
# property call (asked on every request).
_SIGNED = tuple(s for s in SecurityType if s.signed)
_ASYNCIO_TIME = asyncio.BaseEventLoop.time
# Which pool a rateLimits item counts: the key _adopt_limits keeps the newest item of (one C call per item).
_POOL_OF = operator.itemgetter('rateLimitType', 'interval', 'intervalNum')
# A connection that dies sooner than this after opening counts as a failed attempt for the retry policy, so a
# server that accepts and drops at once is not hammered by the eager reconnect.
STABLE_AFTER = 1.0


class _Conn:
    """One WebSocket connection and the requests waiting on it."""

    __slots__ = ('clock', 'draining', 'logged_on', 'loop', 'opened', 'pending', 'reader', 'replaced', 'sweeper', 'ws')

    def __init__(self, ws: Any, loop: asyncio.AbstractEventLoop) -> None:
        self.ws = ws
        self.loop = loop
        # The loop's clock, which the deadlines are on: asyncio's own loop.time() reads time.monotonic() in a Python
        # method, so every request calls that directly; any other clock (uvloop's, a test's patched one) is asked.
        clock = loop.time
        self.clock: Callable[[], float] = time.monotonic if getattr(clock, '__func__', None) is _ASYNCIO_TIME else clock
        self.opened = self.clock()
        # id -> (future, wire method, client order id, is an order, deadline on the loop's clock)
        self.pending: dict[int, tuple[asyncio.Future[Any], str, str | tuple[str, ...] | None, bool, float]] = {}
        self.reader: asyncio.Task[None] | None = None
        self.sweeper: asyncio.Task[None] | None = None
        self.logged_on = False
        self.draining = False  # serverShutdown: no new requests; closed once replaced and idle
        self.replaced = False  # its successor is open and the reconnect callbacks (user data) are done


class WsApiTransport:
    """Requests over the market's WebSocket API for one client.

    Reconnect policy: a connection is opened by the first request. Once the client has made a signed call
    (TRADE, USER_DATA, ``session.logon``) or runs a user-data flow, a dropped connection is replaced at once,
    without waiting for the next request, and an Ed25519 session is logged on again on it (unless the user
    logged out, see :attr:`auto_logon`); failed attempts, and connections that die within ``STABLE_AFTER``
    seconds, back off per the client's retry policy (``stream_retry_policy``). A client that has only made
    public calls stays lazy: its next request reconnects.

    Attributes:
        on_event: ``on_event(frame, conn)`` for every frame that is not a response (user-data events);
            *conn* tells which connection carried it.
        on_reconnect: coroutines run after a replacement connection opens (user-data replay).
        on_close: ``on_close(conn)`` when a connection's socket is gone (a drop, or a retired connection
            after a ``serverShutdown`` handover); *conn* is the object ``on_event`` was given.
        on_logout: coroutines run after the user's own ``session.logout`` succeeded (it ends the user-data
            subscriptions made through the session).
        connections: how many connections this transport has opened.
        malformed: frames skipped because they were not a JSON object.
    """

    def __init__(self, ctx: RequestContext) -> None:
        self._ctx = ctx
        self._session: Any = None
        self._conn: _Conn | None = None
        self._old: set[_Conn] = set()
        self._ids = itertools.count(1)
        self._connect_lock = asyncio.Lock()
        self._logon_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closed = False
        self._had_connection = False
        self.connections = 0
        self.malformed = 0
        self.on_event: Callable[[dict[str, Any], Any], None] | None = None
        self._reconnecting: asyncio.Future[Any] | None = None
        self.on_reconnect: list[Callable[[], Awaitable[None]]] = []
        self.on_close: list[Callable[[Any], None]] = []
        self.on_logout: list[Callable[[], Awaitable[None]]] = []
        # Cleared by an explicit session.logout, set again by an explicit session.logon.
        self._logon_allowed = True
        # Set by the first signed call: from then on a dropped connection is replaced at once.
        self._eager = False
        self._quick_drops = 0  # connections in a row that died within STABLE_AFTER
        # The rateLimits lists of answers read but not yet adopted by the limiter, oldest first (_adopt_limits)
        self._noted: list[list[Any]] | None = None
        # What auto_logon needs besides _logon_allowed: the context and its credentials never change.
        creds = ctx.credentials
        self._can_logon = bool(ctx.session_logon and creds is not None and creds.can_logon)
        # Seconds from sending a request to failing it unanswered (the connection's sweeper).
        self._answer_within = ctx.request_timeout + ANSWER_GRACE

    # -- public -----------------------------------------------------------------------------

    @property
    def logged_on(self) -> bool:
        return self._conn is not None and self._conn.logged_on

    @property
    def auto_logon(self) -> bool:
        """Whether signed requests log the session on by themselves (and ride on it without a signature):
        ``True`` for Ed25519 credentials until the user sends ``session.logout``, and again after the user
        sends ``session.logon``. When ``False`` (also on a market without ``session.logon``), every signed
        request is signed on its own."""
        return self._logon_allowed and self._can_logon

    def request(self, method: str, out: Outgoing) -> Coroutine[Any, Any, Any]:
        """Send *out* as WS-API *method* and return its ``result``; raise a typed exception for an error.

        ``session.logon`` sent this way (the user's own call) is signed in full whatever the session's state,
        and on success turns :attr:`auto_logon` back on; ``session.logout`` turns it off.

        Await it like a coroutine function: it returns ``binance_core.signing.send``'s coroutine instead of
        awaiting it in one of its own (one frame less to create and to resume on every request).
        """
        conn = self._conn
        if (conn is None or conn.ws.closed) and not out.orders:
            return self._connect_first(method, out)
        return self._request(method, out)

    async def _connect_first(self, method: str, out: Outgoing) -> Any:
        """No connection is open: open it before the request takes its budget, so that the handshake's weight is
        counted first, as Binance counts it, and the requests of a burst are let through by what is left. (An order
        takes its budget first, as ever: it fails fast on a full pool or a block, where a connection attempt would
        wait.)"""
        await self._connection()
        return await self._request(method, out)

    def _request(self, method: str, out: Outgoing) -> Coroutine[Any, Any, Any]:
        security = out.security
        signed = security in _SIGNED
        if signed or method == LOGON:
            self._eager = True
        if method == LOGON or method == LOGOUT:
            attempt = self._session_attempt(method, out)
            return signing.send(self._ctx, security, attempt, weight=out.weight, orders=out.orders, what=method)
        # The common case, kept to what every request needs: no session bookkeeping, no closure per request.
        return signing.send(
            self._ctx,
            security,
            self._attempt,
            method,
            out.params,
            out.client_order_id,
            out.orders > 0,
            signed,
            weight=out.weight,
            orders=out.orders,
            what=method,
        )

    def _attempt(
        self,
        signer: signing.Signer,
        method: str,
        params: dict[str, Any],
        cid: str | tuple[str, ...] | None,
        is_order: bool,
        signed: bool,
    ) -> Coroutine[Any, Any, Any]:
        """One attempt of a request that is not the user's own ``session.logon``/``logout``: on an open
        connection that needs no logon (nearly always), signed here and handed to :meth:`_send` without a
        coroutine of its own; else :meth:`_attempt_later` connects and logs on first, then signs."""
        conn = self._conn
        if conn is None or conn.ws.closed:
            return self._attempt_later(signer, method, params, cid, is_order, signed)
        if signed:
            auto = self._logon_allowed and self._can_logon  # auto_logon
            if auto and not conn.logged_on:
                return self._attempt_later(signer, method, params, cid, is_order, signed)
            # After an explicit logout a session someone else logged on (the user-data flow) is not used
            # to skip signatures: the user asked for signed requests.
            frame = signer.ws_params(params, logged_on=conn.logged_on and auto)
        else:
            frame = signer.ws_params(params)
        return self._send(conn, method, frame, cid, is_order)

    async def _attempt_later(
        self,
        signer: signing.Signer,
        method: str,
        params: dict[str, Any],
        cid: str | tuple[str, ...] | None,
        is_order: bool,
        signed: bool,
    ) -> Any:
        """:meth:`_attempt` once a connection is open (and, for a signed request on an Ed25519 session, logged
        on): signed only then, so that its timestamp is fresh."""
        conn = self._conn
        if conn is None or conn.ws.closed:
            conn = await self._connection()
        if signed:
            auto = self._logon_allowed and self._can_logon  # auto_logon
            if auto and not conn.logged_on:
                await self._logon(conn)
            frame = signer.ws_params(params, logged_on=conn.logged_on and auto)
        else:
            frame = signer.ws_params(params)
        return await self._send(conn, method, frame, cid, is_order)

    def _session_attempt(self, method: str, out: Outgoing) -> Callable[[signing.Signer], Awaitable[Any]]:
        """The user's own ``session.logon`` / ``session.logout``: sent as asked, then the session's state follows."""

        async def attempt(signer: signing.Signer) -> Any:
            conn = await self._connection()
            if method == LOGON:
                frame = signer.ws_params(out.params, logged_on=False)
            else:
                auto = self.auto_logon
                if out.security.signed and auto and not conn.logged_on:
                    await self._logon(conn)
                frame = signer.ws_params(out.params, logged_on=conn.logged_on and auto)
            result = await self._send(conn, method, frame, out.client_order_id, out.orders > 0)
            if method == LOGON:
                conn.logged_on = True
                self._logon_allowed = True
                log.debug('WS-API session logged on by the user')
            else:
                conn.logged_on = False
                self._logon_allowed = False
                log.debug('WS-API session logged out by the user; signing every request from now on')
                for cb in list(self.on_logout):
                    self._spawn(cb())
            return result

        return attempt

    async def logon(self) -> None:
        """Log the current connection on (Ed25519 only), whatever :attr:`auto_logon` says; used by the
        user-data flow. It does not change :attr:`auto_logon`."""
        self._eager = True
        conn = await self._connection()
        if not conn.logged_on:
            await self._logon(conn)

    async def close(self, code: int = 4999) -> None:
        self._closed = True
        conns = [c for c in (self._conn, *self._old) if c is not None]
        self._conn = None
        self._old.clear()
        for conn in conns:
            await conn.ws.close(code=code)
            await asyncio.gather(*(t for t in (conn.reader, conn.sweeper) if t is not None), return_exceptions=True)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
            self._session = None

    # -- connection ---------------------------------------------------------------------------

    async def _connection(self) -> _Conn:
        conn = self._conn
        if conn is not None and not conn.ws.closed:
            return conn
        async with self._connect_lock:
            conn = self._conn
            if conn is not None and not conn.ws.closed:
                return conn
            if self._closed:
                raise ConnectionLostException('the client is closed')
            return await self._open()

    async def _open(self) -> _Conn:
        ctx = self._ctx
        if self._session is None:
            self._session = new_session(ctx.request_timeout)
        url = ctx.hosts.ws_api
        assert url is not None  # the client refuses to build this transport without a host
        if ctx.time_unit:
            url += ('&' if '?' in url else '?') + 'timeUnit=' + ctx.time_unit
        await ctx.limiter.acquire_connection()
        try:
            ws = await self._session.ws_connect(url, autoping=True, max_msg_size=0)
        except Exception as exc:
            raise translate(exc, 'WS-API connect', url) from exc
        # The handshake's weight, counted once it succeeded (a refused or unreachable host charges none), and still
        # before the request that asked for the connection takes its own (_connect_first).
        await ctx.limiter.connected(weight=ctx.ws_api_connect_weight)
        conn = _Conn(ws, asyncio.get_running_loop())
        conn.reader = asyncio.create_task(self._read(conn), name='binance-ws-api-reader')
        conn.sweeper = asyncio.create_task(self._sweep(conn), name='binance-ws-api-sweeper')
        self._conn = conn
        self.connections += 1
        reconnect = self._had_connection
        self._had_connection = True
        log.debug('WS-API connection %d open to %s', self.connections, url)
        if reconnect and self.on_reconnect:
            self._reconnecting = self._spawn(self._run_reconnect_callbacks())
        return conn

    async def connection(self) -> _Conn:
        """The live connection (opened if needed); the user-data flow uses it to tell events apart."""
        return await self._connection()

    async def _run_reconnect_callbacks(self) -> None:
        for cb in list(self.on_reconnect):
            try:
                await cb()
            except Exception:
                log.exception('WS-API reconnect callback failed')

    def _spawn(self, coro: Awaitable[Any]) -> asyncio.Future[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _logon(self, conn: _Conn) -> None:
        async with self._logon_lock:
            if conn.logged_on:
                return

            async def attempt(signer: signing.Signer) -> Any:
                # session.logon is signed like any request: apiKey, timestamp, signature.
                return await self._send(conn, LOGON, signer.ws_params({}), None, False)

            await signing.send(self._ctx, SecurityType.USER_DATA, attempt, weight=LOGON_WEIGHT, orders=0, what=LOGON)
            conn.logged_on = True
            log.debug('WS-API session logged on')

    # -- requests -------------------------------------------------------------------------------

    async def _send(
        self, conn: _Conn, method: str, params: dict[str, Any], cid: str | tuple[str, ...] | None, is_order: bool
    ) -> Any:
        rid = next(self._ids)
        fut: asyncio.Future[Any] = conn.loop.create_future()
        pending = conn.pending
        pending[rid] = (fut, method, cid, is_order, conn.clock() + self._answer_within)
        # The frame is encoded in place, not kept in a local: nothing of it but the text stays alive while the
        # answer is awaited (less for the garbage collector to walk with many requests in flight).
        try:
            try:
                await conn.ws.send_str(
                    dumps({'id': rid, 'method': method, 'params': params} if params else {'id': rid, 'method': method})
                )
            except (ConnectionError, RuntimeError) as exc:
                if not is_order:
                    raise translate(exc, method) from exc
                # Nothing reached the socket only if the send itself failed before writing; we cannot
                # tell, so the outcome is unknown.
                raise UnknownOutcomeException(method, cid, None, 'the connection failed while sending') from exc
            data = await fut  # the connection's sweeper fails it after its deadline
        finally:
            pending.pop(rid, None)  # gone already if the connection dropped meanwhile
            if conn.draining and conn.replaced and not pending:
                self._spawn(self._retire(conn))
        if data.get('status', 200) == 200:  # _result's first case, without the call
            return data.get('result')
        return self._result(method, data, cid, is_order)

    def _adopt_limits(self) -> None:
        """Adopt the ``rateLimits`` of every answer read since the last call, the newest count of each pool.

        Reconciling adopts Binance's count (the newest count of a pool wins), and nothing charges the limiter
        between answers read in one go: their callers, and anybody else, run only once the reader yields. So the
        reader only notes each answer's list (``_noted``) and queues this callback with the first of a burst,
        before the first of those callers wakes; here the newest item per pool is kept and the limiter adopts them
        in one call: the limiter is in the state that adopting each answer in turn would leave before anybody acts
        on it (and sooner than when each caller adopted its own answer), at the cost of one reconciliation per
        burst of answers instead of one per answer.
        """
        noted, self._noted = self._noted, None
        if not noted:
            return
        try:
            merged: dict[tuple[Any, Any, Any], dict[str, Any]] = {}
            for limits in noted:
                for item in limits:
                    if isinstance(item, dict):
                        try:
                            merged[_POOL_OF(item)] = item
                        except KeyError:  # a field missing: None stands for it
                            merged[(item.get('rateLimitType'), item.get('interval'), item.get('intervalNum'))] = item
            if merged:
                self._ctx.limiter.reconcile_ws(list(merged.values()))
        except Exception:  # a callback: nobody else would see it
            log.exception('WS-API: reconciling the rate limiter failed')

    def _result(self, method: str, data: dict[str, Any], cid: str | tuple[str, ...] | None, is_order: bool) -> Any:
        # The answer's rateLimits were adopted already (_adopt_limits), before its caller woke.
        ctx = self._ctx
        status = data.get('status', 200)
        if status == 200:
            return data.get('result')
        err = data.get('error')
        if not isinstance(status, int) or not isinstance(err, dict):
            # An answer to our id, but not in Binance's shape: nobody can tell what happened.
            reason = f"a reply that is not Binance's (status {status!r})"
            if is_order:
                raise UnknownOutcomeException(method, cid, None, reason)
            raise MalformedResponseException(f'{method}: {reason}', body=repr(data))
        code = err.get('code')
        msg = err.get('msg', '')
        if status in (429, 418) or code == TOO_MANY_REQUESTS:
            retry_after = None
            banned = status == 418
            extra = err.get('data')
            data = extra if isinstance(extra, dict) else {}
            until = data.get('retryAfter')
            if until is not None:
                # retryAfter is an epoch-ms time on Binance's clock: measure it against the serverTime sent
                # with it (else our synced estimate of the server clock), never the raw local clock.
                server_now = data.get('serverTime')
                now_ms = to_ms(server_now) if server_now is not None else ctx.clock.now_ms()
                retry_after = max(0, to_ms(until) - now_ms)
            seconds = None if retry_after is None else retry_after / 1000
            if code == TOO_MANY_ORDERS:
                # The order count, not the request weight, is spent: hold new orders only; cancels and
                # reads go on (holding them all would keep a trader from cancelling for a minute).
                ctx.limiter.hold_orders(seconds)
            else:
                # No retryAfter: hold anyway, for the documented default (carrying on after a 429 earns a ban).
                ctx.limiter.block(hold_seconds(seconds, banned=banned), banned=banned)
            raise StreamRateLimitException(code, msg, status, retry_after, data or None)
        if code == EXECUTION_UNKNOWN or (status >= 500 and is_order):
            raise UnknownOutcomeException(method, cid, code, msg or f'status {status}')
        if code == KEY_REJECTED and self._conn is not None:
            # Binance revokes a logged-on session whose key became invalid.
            self._conn.logged_on = False
        # Keep error.data: a 409 carries the cancel and new-order halves of a partly successful cancelReplace.
        raise StreamSubscribeException(code, msg, status, err.get('data'))

    @staticmethod
    def _lost(
        method: str, cid: str | tuple[str, ...] | None, is_order: bool, reason: str, *, timeout: bool = False
    ) -> Exception:
        if is_order:
            return UnknownOutcomeException(method, cid, None, reason)
        if timeout:
            return RequestTimeoutException(f'{method}: {reason}; the request was not re-sent')
        return ConnectionLostException(f'{method}: {reason}; the request was not re-sent')

    async def _sweep(self, conn: _Conn) -> None:
        """Fail requests nobody answered by their deadline: one timer per connection instead of one per
        request. Binance answers within 10 s or sends -1007, so a silent request means a sick connection."""
        while True:
            await asyncio.sleep(SWEEP_INTERVAL)
            now = conn.clock()
            for fut, method, cid, is_order, deadline in list(conn.pending.values()):
                if deadline <= now and not fut.done():
                    fut.set_exception(self._lost(method, cid, is_order, 'no answer in time', timeout=True))

    # -- reading ------------------------------------------------------------------------------

    async def _read(self, conn: _Conn) -> None:
        import aiohttp

        ws = conn.ws
        pending = conn.pending
        receive = ws.receive  # what `async for msg in ws` does, without its own coroutine per message
        text = aiohttp.WSMsgType.TEXT
        ended = (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED)
        call_soon = asyncio.get_running_loop().call_soon
        try:
            while True:
                msg = await receive()
                kind = msg.type
                if kind is not text:
                    if kind in ended:
                        break
                    if kind is aiohttp.WSMsgType.ERROR:
                        log.warning('WS-API connection error: %r', ws.exception())
                    continue
                try:
                    data = loads(msg.data)
                except (ValueError, RecursionError):
                    data = None
                if type(data) is not dict:
                    # Not Binance's JSON object: skip it; the requests in flight wait for their answers.
                    self.malformed += 1
                    log.warning('WS-API: skipped a frame that is not a JSON object: %.120r', msg.data)
                    continue
                rid = data.get('id')
                if rid is not None:
                    # Our ids are ints; any other id (a list, a dict...) answers nothing of ours.
                    entry = pending.get(rid) if type(rid) is int else None
                    if entry is not None:
                        fut = entry[0]
                        if not fut.done():
                            limits = data.get('rateLimits')
                            if isinstance(limits, list):
                                # First: the limiter adopts them (_adopt_limits) before the caller wakes.
                                noted = self._noted
                                if noted is None:
                                    self._noted = [limits]
                                    call_soon(self._adopt_limits)
                                else:
                                    noted.append(limits)
                            fut.set_result(data)
                    continue
                event = data.get('event')
                if isinstance(event, dict) and event.get('e') == 'serverShutdown':
                    self._on_server_shutdown(conn)
                    continue
                if self.on_event is not None:
                    try:
                        self.on_event(data, conn)
                    except Exception:
                        log.exception('WS-API event callback failed')
        except Exception as exc:  # a broken socket ends the reader like a close
            log.warning('WS-API reader stopped: %r', exc)
        finally:
            if not ws.closed:  # the reader died on a bad frame: do not leave the socket (and its
                self._spawn(ws.close())  # server-side subscriptions) behind
            self._on_closed(conn)

    def _on_closed(self, conn: _Conn) -> None:
        for cb in list(self.on_close):
            try:
                cb(conn)
            except Exception:
                log.exception('WS-API close callback failed')
        if self._conn is conn:
            self._conn = None
        self._old.discard(conn)
        if conn.sweeper is not None:
            conn.sweeper.cancel()
        for fut, method, cid, is_order, _ in list(conn.pending.values()):
            if not fut.done():
                fut.set_exception(self._lost(method, cid, is_order, 'the connection dropped while it was in flight'))
        conn.pending.clear()
        if self._closed or conn.draining:
            return
        if not (self.on_reconnect or self._eager):
            log.info('WS-API connection closed; the next request reconnects')
            return
        # Signed calls or user data depend on this connection: reconnect now, not on the next request.
        quick = conn.clock() - conn.opened < STABLE_AFTER
        self._quick_drops = self._quick_drops + 1 if quick else 0
        log.info('WS-API connection closed; reconnecting now')
        self._spawn(self._reconnect_soon(self._quick_drops))

    async def _reconnect_soon(self, fails: int = 0) -> None:
        """Open a new connection, backing off per the retry policy after *fails* failed attempts; then log
        the session on again where signed calls would (Ed25519, :attr:`auto_logon`)."""
        exc: BaseException | None = None
        while not self._closed:
            if fails:
                abandon, delay = self._ctx.retry_policy(RetryInfo(fails, exc))
                if abandon:
                    log.error('WS-API reconnect abandoned after %d attempts: %r', fails, exc)
                    return
                await asyncio.sleep(delay)
            try:
                conn = await self._connection()
            except Exception as e:
                fails += 1
                exc = e
                continue
            if self._eager and self.auto_logon and not conn.logged_on:
                try:
                    await self._logon(conn)
                except Exception as e:  # the next signed request tries again, and reports what fails
                    log.warning('WS-API: logging the new session on failed: %r', e)
            return

    def _on_server_shutdown(self, conn: _Conn) -> None:
        log.info('WS-API serverShutdown: moving to a fresh connection')
        if self._conn is conn:
            self._conn = None
        conn.draining = True
        self._old.add(conn)
        self._spawn(self._replace(conn))

    async def _replace(self, old: _Conn) -> None:
        """Make before break: the old connection keeps answering its requests and carrying user data
        until the new one is open and the reconnect callbacks (user-data resubscribe) are done."""
        try:
            await self._reconnect_soon()
            if self._reconnecting is not None:
                await asyncio.shield(self._reconnecting)
        finally:
            old.replaced = True
            if not old.pending:
                await self._retire(old)

    async def _retire(self, conn: _Conn) -> None:
        self._old.discard(conn)
        await conn.ws.close()
