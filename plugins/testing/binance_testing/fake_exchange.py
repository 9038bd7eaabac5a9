"""A fake Binance on 127.0.0.1 for tests: WS-API, REST and market/user streams in Binance's wire
formats, with real signature and timing checks, rate-limit counters, recording and fault injection."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import inspect
import json
import logging
import math
import re
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

import aiohttp
from aiohttp import WSMsgType, web

from binance_core.specs import REST, WS, Endpoint, MarketSpec, SecurityType, interval_seconds

if TYPE_CHECKING:
    from binance_testing.matching import Simulation

__all__ = ['BinanceError', 'FakeExchange', 'Record', 'Request', 'Session']

log = logging.getLogger('binance.testing')

Handler = Callable[['Request'], Any]

# -- Binance rules and texts (Spot "Timing security", errors.md) -----------------------------------

DEFAULT_RECV_WINDOW = 5000
MAX_RECV_WINDOW = 60000
MAX_AHEAD_MS = 1000  # a timestamp more than 1 s ahead of the server is rejected
MICROS_THRESHOLD = 10**14  # timestamps may be sent in µs; anything this large is µs, not ms
MAX_ACTIVE_SUBSCRIPTIONS = 1000  # per WS-API session
MAX_LIFETIME_SUBSCRIPTIONS = 65535  # per WS-API session lifetime

# (code, msg) pairs, texts from errors.md.
E_UNAUTHORIZED = (-1002, 'You are not authorized to execute this request.')
E_TOO_MUCH_WEIGHT = (
    -1003,
    'Too much request weight used; current limit is {limit} request weight per 1 MINUTE. '
    'Please use WebSocket Streams for live updates to avoid polling the API.',
)
E_UNSUPPORTED = (-1020, 'This operation is not supported.')
E_OUTSIDE_WINDOW = (-1021, 'Timestamp for this request is outside of the recvWindow.')
E_AHEAD = (-1021, "Timestamp for this request was 1000ms ahead of the server's time.")
E_BAD_SIGNATURE = (-1022, 'Signature for this request is not valid.')
E_MALFORMED = (-1102, 'A mandatory parameter was not sent, was empty/null, or malformed.')
E_LISTEN_KEY = (-1125, 'This listenKey does not exist.')
E_RECV_WINDOW = (-1131, 'recvWindow must be less than 60000.')
E_KEY_FORMAT = (-2014, 'API-key format invalid.')
E_REJECTED_KEY = (-2015, 'Invalid API-key, IP, or permissions for action.')
E_SUBSCRIPTION_ACTIVE = (-2035, 'User Data Stream subscription already active.')
E_SUBSCRIPTION_INACTIVE = (-2036, 'User Data Stream subscription not active.')
E_SUBSCRIPTION_IDS = (-2042, 'Maximum subscription ID reached for this connection.')

# Default texts for injected errors, so `fail_next(m, -1003, status=429)` reads like Binance.
DEFAULT_MESSAGES = {
    -1003: 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE. '
    'Please use WebSocket Streams for live updates to avoid polling the API.',
    -1006: 'An unexpected response was received from the message bus. Execution status unknown.',
    -1007: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
    -1008: 'Server is currently overloaded with other requests. Please try again in a few minutes.',
    -1015: 'Too many new orders.',
    -1021: E_OUTSIDE_WINDOW[1],
    -1022: E_BAD_SIGNATURE[1],
    -1121: 'Invalid symbol.',
    -1125: E_LISTEN_KEY[1],
    -2010: 'Account has insufficient balance for requested action.',
    -2011: 'Unknown order sent.',
    -2013: 'Order does not exist.',
    -2015: E_REJECTED_KEY[1],
}

# Binance interval names, by the letter of our pool labels ('10s', '1m', '1d').
_INTERVALS = {'s': 'SECOND', 'm': 'MINUTE', 'h': 'HOUR', 'd': 'DAY'}
_VERSION_PREFIX = re.compile(r'^v\d+/')
_API_KEY_CHARS = re.compile(r'^[A-Za-z0-9_\-]{1,128}$')
_STREAM_METHODS = '`SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`'
_dumps = json.JSONEncoder(separators=(',', ':'), ensure_ascii=False).encode


class BinanceError(Exception):
    """Raise from a handler to answer with Binance's error shape.

    Attributes:
        code / msg: Binance's error code and message.
        status: the WS-API ``status`` / HTTP status (400, 401, 403, 409, 418, 429, 5xx).
        data: the optional WS-API ``error.data`` object (``{"retryAfter": epoch_ms}`` on 429/418).
        retry_after: seconds for the REST ``Retry-After`` header (429/418).
    """

    def __init__(
        self,
        code: int,
        msg: str,
        status: int = 400,
        data: Mapping[str, Any] | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f'{code}: {msg}')
        self.code = code
        self.msg = msg
        self.status = status
        self.data = dict(data) if data is not None else None
        self.retry_after = retry_after

    @classmethod
    def of(cls, pair: tuple[int, str], status: int = 400, **fmt: Any) -> BinanceError:
        code, msg = pair
        return cls(code, msg.format(**fmt) if fmt else msg, status=status)

    def error_object(self) -> dict[str, Any]:
        err: dict[str, Any] = {'code': self.code, 'msg': self.msg}
        if self.data is not None:
            err['data'] = self.data
        return err


def _missing(name: str) -> BinanceError:
    return BinanceError(-1102, f"Mandatory parameter '{name}' was not sent, was empty/null, or malformed.")


class Record:
    """One request the fake received.

    Attributes:
        transport: ``'ws_api'``, ``'rest'`` or ``'stream'``.
        method: the wire method (``'order.place'``), ``'GET /api/v3/time'``, or a stream control
            method (``'SUBSCRIBE'``).
        params: the params as received (WS-API: the ``params`` object; REST: query + body, the
            query winning; stream control: the ``params`` list).
        headers: REST request headers (empty for WebSocket messages).
        at: local wall-clock time in ms when it arrived.
        id: the request ``id`` (WebSocket messages).
    """

    __slots__ = ('at', 'headers', 'id', 'method', 'params', 'transport')

    def __init__(
        self, transport: str, method: str, params: Any, headers: Mapping[str, str] | None = None, id: Any = None
    ) -> None:
        self.transport = transport
        self.method = method
        self.params = params
        self.headers = dict(headers) if headers else {}
        self.at = int(time.time() * 1000)
        self.id = id

    def __repr__(self) -> str:
        return f'Record({self.transport} {self.method!r} id={self.id!r} at={self.at})'


class Session:
    """Per-connection state of one WS-API connection.

    Attributes:
        api_key: the key logged on with ``session.logon``, or ``None``.
        authorized_since / connected_since: server times in ms.
        return_rate_limits: the connection's default (``?returnRateLimits=false`` turns it off).
        subscriptions: ``subscriptionId -> (api_key, via_logon)`` of active user-data subscriptions.
        state: free-form dict for plugin handlers.
    """

    __slots__ = (
        '_done',
        '_tasks',
        'api_key',
        'authorized_since',
        'closed',
        'connected_since',
        'next_subscription_id',
        'request',
        'return_rate_limits',
        'state',
        'subscriptions',
        'ws',
    )

    def __init__(self, ws: web.WebSocketResponse, request: web.Request, now: int) -> None:
        self.ws = ws
        self.request = request
        self.api_key: str | None = None
        self.authorized_since: int | None = None
        self.connected_since = now
        self.return_rate_limits = request.query.get('returnRateLimits', 'true').lower() != 'false'
        self.subscriptions: dict[int, tuple[str, bool]] = {}
        self.next_subscription_id = 0
        self.state: dict[str, Any] = {}
        self.closed = False
        self._tasks: set[asyncio.Task[None]] = set()
        self._done = asyncio.Event()

    def __repr__(self) -> str:
        return f'Session(logged_on={self.api_key is not None}, subscriptions={sorted(self.subscriptions)})'


class Request:
    """What a WS-API method or REST route handler receives.

    Attributes:
        method: the wire method, or ``'VERB /path'`` for REST.
        params: the params (WS-API: JSON values; REST: strings).
        session: the WS-API :class:`Session` (``None`` for REST).
        exchange: the :class:`FakeExchange`.
        api_key: the key the request was authorised with (``None`` for public requests).
        headers: REST request headers (empty for the WS-API).
        id: the WS-API request id.
    """

    __slots__ = ('api_key', 'exchange', 'headers', 'id', 'method', 'params', 'session')

    def __init__(
        self,
        method: str,
        params: dict[str, Any],
        exchange: FakeExchange,
        *,
        session: Session | None = None,
        api_key: str | None = None,
        headers: Mapping[str, str] | None = None,
        id: Any = None,
    ) -> None:
        self.method = method
        self.params = params
        self.session = session
        self.exchange = exchange
        self.api_key = api_key
        self.headers = headers or {}
        self.id = id


class _StreamConn:
    __slots__ = ('_done', 'closed', 'combined', 'incoming', 'path', 'request', 'streams', 'ws')

    def __init__(self, ws: web.WebSocketResponse, request: web.Request, combined: bool, limit: int) -> None:
        self.ws = ws
        self.request = request
        self.path = request.path_qs
        self.combined = combined
        self.streams: dict[str, None] = {}
        self.incoming: deque[float] = deque(maxlen=max(1, limit))
        self.closed = False
        self._done = asyncio.Event()


class _Key:
    __slots__ = ('_material', 'kind')

    def __init__(self, kind: str, material: Any) -> None:
        self.kind = kind
        self._material = material

    def verify(self, payload: str, signature: Any) -> bool:
        if not isinstance(signature, str) or not signature:
            return False
        data = payload.encode('utf-8')
        if self.kind == 'hmac':
            # Binance "Signature Case Sensitivity": HMAC signatures are not case-sensitive.
            expected = hmac.new(self._material, data, hashlib.sha256).hexdigest()
            return hmac.compare_digest(expected, signature.lower())
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        try:
            raw = base64.b64decode(signature, validate=True)
            if self.kind == 'rsa':
                self._material.verify(raw, data, padding.PKCS1v15(), hashes.SHA256())
            else:
                self._material.verify(raw, data)
        except (InvalidSignature, ValueError):
            return False
        return True


def _load_key(secret: str | bytes | None, public_key_pem: str | bytes | None) -> _Key:
    if (secret is None) == (public_key_pem is None):
        raise ValueError('give exactly one of secret= (HMAC) or public_key_pem= (RSA/Ed25519)')
    if secret is not None:
        return _Key('hmac', secret.encode() if isinstance(secret, str) else bytes(secret))
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

    assert public_key_pem is not None
    pem = public_key_pem.encode('ascii') if isinstance(public_key_pem, str) else bytes(public_key_pem)
    key = serialization.load_pem_public_key(pem)
    if isinstance(key, ed25519.Ed25519PublicKey):
        return _Key('ed25519', key)
    if isinstance(key, rsa.RSAPublicKey):
        return _Key('rsa', key)
    raise ValueError(f'unsupported public key type {type(key).__name__}; Binance accepts RSA and Ed25519')


def _text(value: Any) -> str:
    """A JSON param value as Binance reads it in a WS-API signature payload. Written apart from
    ``binance_core.params.text`` on purpose: the fake checks the client, so it must not share its code."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, int):
        return str(value)
    return _dumps(value)


def ws_signature_payload(params: Mapping[str, Any]) -> str:
    """Binance WS-API "SIGNED request security": every param but ``signature``, sorted by name,
    ``name=value`` joined with ``&``, no percent-encoding."""
    return '&'.join(f'{k}={_text(params[k])}' for k in sorted(params) if k != 'signature')


def rest_signature_payload(raw_query: str, raw_body: str) -> str:
    """Binance REST "SIGNED Endpoint Examples": the query string concatenated, without separator,
    with the body, both exactly as sent, minus the ``signature`` param."""

    def strip(part: str) -> str:
        return '&'.join(p for p in part.split('&') if p and not p.startswith('signature='))

    return strip(raw_query) + strip(raw_body)


class _Fault:
    __slots__ = ('times', 'value')

    def __init__(self, value: Any, times: int) -> None:
        if times < 1:
            raise ValueError('times must be >= 1')
        self.value = value
        self.times = times


class _Route:
    __slots__ = ('builtin', 'handler', 'security', 'weight')

    def __init__(self, handler: Handler, security: SecurityType | None, weight: int | None, builtin: bool) -> None:
        self.handler = handler
        self.security = security
        self.weight = weight
        self.builtin = builtin


def _interval(label: str) -> tuple[str, int]:
    """``'10s'`` -> ``('SECOND', 10)`` (Binance's ``interval`` / ``intervalNum``)."""
    m = re.fullmatch(r'(\d+)([smhdSMHD])', label)
    if not m:
        raise ValueError(f'interval {label!r} is not <number><s|m|h|d>')
    return _INTERVALS[m.group(2).lower()], int(m.group(1))


def _method_key(method: str) -> str:
    verb, sep, path = method.strip().partition(' ')
    return f'{verb.upper()} {path.strip()}' if sep and verb.upper() in ('GET', 'POST', 'PUT', 'DELETE') else method


class FakeExchange:
    """A loopback Binance for one market, taught its routes by the market plugin.

    Construction assembles the market (``binance_core.assembly.assemble(pm)``) to learn its
    endpoint rows (security and weight of every wire method / REST path), then calls the test kit's
    hook ``binance_fake_exchange(market=spec, exchange=self)`` (``binance_testing.hookspecs``).

    Args:
        market: the market name (``'spot'``, ``'usdm'``, ``'coinm'``).
        pm: a plugin manager; ``None`` makes one with ``binance_testing.plugins.make_plugin_manager()``,
            which registers the market plugins' fake modules (entry-point group ``binance.testing``).
            A manager made elsewhere gets the hook spec added if it lacks it, and no plugin.

    Attributes (plugins and tests may set them before or after ``start()``):
        ws_api_path: the WS-API path (Spot ``/ws-api/v3``).
        rest_prefixes: REST paths served by the generic fallback (``('/api/', '/sapi/')``).
        stream_prefixes: stream path prefixes (``''`` serves ``/stream`` and ``/ws/...``;
            USDⓈ-M uses ``/public``, ``/market``, ``/private``).
        weight_limit: REQUEST_WEIGHT per minute; going over answers 429 / -1003.
        order_limits: ``((label, limit), ...)`` order pools reported on order endpoints.
        ws_connect_weight: weight charged per WS-API connection (the market's
            ``MarketSpec.ws_api_connect_weight``: Spot 2, futures 5).
        stream_message_limit: incoming messages per second per stream connection (over it the
            connection is closed, as Binance does).
        ws_user_data_subscriptions: whether ``userDataStream.subscribe*`` exist (Spot only).
        skew_ms: added to the real clock to get the server time (fault injection).
        silent: when true the fake sends nothing at all (no pongs, stream frames, WS-API replies).
        stream_pings: when false, client pings on stream connections go unanswered.
        ping_interval: seconds between server pings (``None``: the fake does not ping).
        symbols: the ``symbols`` list served by the plugins' ``exchangeInfo`` handlers.
        requests: every :class:`Record` received, in order.
        ws_api_connections / stream_connections: connections accepted so far.
        stream_pings_received: client pings received on stream connections.
        stream_urls: path and query of every accepted stream connection.
        listen_keys: futures listenKey -> API key.
        listen_key_stream_lifetime: seconds after which the fake closes a listenKey stream connection
            (close code 1001), as Binance does after 24 hours; ``None`` (default): never.
        market / endpoints / pools: the assembled ``MarketSpec``, endpoint rows and pool rows.
        simulation: ``None``; a :class:`~binance_testing.simulation.SimulatedExchange` has its engine here.
    """

    simulation: Simulation | None = None

    def __init__(self, market: str = 'spot', pm: Any = None) -> None:
        from binance_core.assembly import assemble
        from binance_testing.plugins import add_testing_hookspecs, make_plugin_manager

        pm = make_plugin_manager() if pm is None else add_testing_hookspecs(pm)
        assembly = assemble(pm)
        if market not in assembly.markets:
            raise ValueError(f'no installed plugin defines market {market!r}; installed: {sorted(assembly.markets)}')
        ma = assembly.markets[market]
        self.market: MarketSpec = ma.spec
        self.endpoints: dict[str, Endpoint] = dict(ma.endpoints)
        self.pools = ma.pools
        self._ws_rows: dict[str, Endpoint] = {}
        self._rest_rows: dict[tuple[str, str], Endpoint] = {}
        for row in self.endpoints.values():
            if isinstance(row.call, WS):
                self._ws_rows[row.call.method] = row
            elif isinstance(row.call, REST):
                self._rest_rows[(row.call.verb, row.call.path)] = row

        live_ws = self.market.hosts['live'].ws_api
        self.ws_api_path = urlsplit(live_ws).path if live_ws else '/ws-api/v3'
        self.rest_prefixes: tuple[str, ...] = ()
        self.stream_prefixes: tuple[str, ...] = ('',)
        self.weight_limit = 6000
        self.order_limits: tuple[tuple[str, int], ...] = (('10s', 100), ('1d', 200000))
        for pool in ma.pools:
            if pool.type == 'request_weight' and pool.interval and interval_seconds(pool.interval) == 60:
                self.weight_limit = pool.limit
        order_pools = tuple((p.interval, p.limit) for p in ma.pools if p.type == 'orders' and p.interval)
        if order_pools:
            self.order_limits = order_pools
        self.ws_connect_weight = self.market.ws_api_connect_weight
        self.stream_message_limit = self.market.stream_message_rate
        self.ws_user_data_subscriptions = True
        self.skew_ms = 0
        self.silent = False
        self.stream_pings = True
        self.ping_interval: float | None = None
        self.symbols: list[dict[str, Any]] = []

        self.requests: list[Record] = []
        self.ws_api_connections = 0
        self.stream_connections = 0
        self.stream_pings_received = 0
        self.stream_urls: list[str] = []
        self.listen_keys: dict[str, str] = {}
        self.listen_key_stream_lifetime: float | None = None

        self._keys: dict[str, _Key] = {}
        self._ws_routes: dict[str, _Route] = {}
        self._rest_routes: dict[tuple[str, str], _Route] = {}
        self._fails: dict[str, deque[_Fault]] = {}
        self._delays: dict[str, deque[_Fault]] = {}
        self._drops: dict[str, deque[_Fault]] = {}
        self._sub_fails: deque[_Fault] = deque()
        self._sessions: dict[Session, None] = {}
        self._stream_conns: dict[_StreamConn, None] = {}
        self._subscribers: dict[str, dict[_StreamConn, None]] = {}
        self._weight_window = -1
        self._weight_used = 0
        self._order_counts: dict[str, list[int]] = {}
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._closing = False

        # A market whose WS-API has no session methods (COIN-M) answers them as unknown methods.
        sessions = (
            (
                ('session.logon', self._session_logon),
                ('session.status', self._session_status),
                ('session.logout', self._session_logout),
                ('session.subscriptions', self._session_subscriptions),
            )
            if self.market.session_logon
            else ()
        )
        for name, handler in (
            *sessions,
            ('userDataStream.subscribe', self._uds_subscribe),
            ('userDataStream.subscribe.signature', self._uds_subscribe_signature),
            ('userDataStream.unsubscribe', self._uds_unsubscribe),
        ):
            self._ws_routes[name] = _Route(handler, None, None, builtin=True)

        pm.hook.binance_fake_exchange(market=self.market, exchange=self)

    # -- configuration ------------------------------------------------------------------------

    def _unrouted(self, name: str) -> Any:
        """The answer to a row no route serves: ``{}`` on the plain fake (its rows answer empty unless taught), an
        error on a simulated exchange, where ``{}`` would pass for a simulated answer that never came."""
        if self.simulation is not None:
            raise BinanceError(-1, f"{name} is not simulated by the test kit's simulated {self.market.name} exchange")
        return {}

    def ws_method(
        self, name: str, handler: Handler, *, security: SecurityType | None = None, weight: int | None = None
    ) -> None:
        """Serve WS-API method *name* with ``handler(req) -> result`` (sync or async).

        Security and weight come from the market's endpoint row for *name*; *security* /
        *weight* override them (and are the only source for methods without a row).
        """
        self._ws_routes[name] = _Route(handler, security, weight, builtin=False)

    def rest_route(
        self, verb: str, path: str, handler: Handler, *, security: SecurityType | None = None, weight: int | None = None
    ) -> None:
        """Serve ``VERB path`` with ``handler(req) -> result``; a returned ``web.Response`` is sent as is."""
        self._rest_routes[(verb.upper(), path)] = _Route(handler, security, weight, builtin=False)

    def set_response(self, method: str, result: Any) -> None:
        """Answer *method* (``'depth'`` or ``'GET /api/v3/depth'``) with a fixed *result*, or with
        ``result(req)`` when it is callable."""

        def handler(req: Request) -> Any:
            return result(req) if callable(result) else result

        key = _method_key(method)
        if ' ' in key:
            verb, path = key.split(' ', 1)
            self.rest_route(verb, path, handler)
        else:
            self.ws_method(key, handler)

    def add_key(
        self, api_key: str, *, secret: str | bytes | None = None, public_key_pem: str | bytes | None = None
    ) -> None:
        """Register an API key with an HMAC *secret* or an RSA/Ed25519 public key in PEM."""
        if not isinstance(api_key, str) or not api_key:
            raise ValueError('api_key must be a non-empty string')
        self._keys[api_key] = _load_key(secret, public_key_pem)

    def remove_key(self, api_key: str) -> None:
        """Forget a key: its next request fails with -2015 and a session logged on with it is revoked."""
        self._keys.pop(api_key, None)

    def server_time(self) -> int:
        """Server time in ms: the real clock plus ``skew_ms``."""
        return int(time.time() * 1000) + self.skew_ms

    async def execute(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """Run ``fn(*args, **kwargs)``: a plain fake has no engine to hold still or publish from (the
        :class:`~binance_testing.simulation.SimulatedExchange` does both), so route handlers may call
        ``req.exchange.execute`` on either."""
        return fn(*args, **kwargs)

    # -- fault injection ----------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        code: int,
        msg: str | None = None,
        status: int = 400,
        data: Mapping[str, Any] | None = None,
        times: int = 1,
        retry_after: float | None = None,
        omit_retry_after: bool = False,
    ) -> None:
        """Answer the next *times* requests of *method* (wire method or ``'GET /path'``) with an error.

        For 429/418 the WS-API error carries ``data.retryAfter`` (epoch ms) and REST a
        ``Retry-After`` header (seconds), as Binance does; *retry_after* defaults to 1 s there.
        ``omit_retry_after=True`` sends a 429/418 with neither (a fault some proxies produce).
        """
        text = msg if msg is not None else DEFAULT_MESSAGES.get(code, 'Injected failure.')
        spec = (
            code,
            text,
            status,
            dict(data) if data is not None else None,
            False if omit_retry_after else retry_after,
        )
        self._fails.setdefault(_method_key(method), deque()).append(_Fault(spec, times))

    def delay_next(self, method: str, seconds: float, times: int = 1) -> None:
        """Answer the next *times* requests of *method* only after *seconds* (others are not held up)."""
        self._delays.setdefault(_method_key(method), deque()).append(_Fault(float(seconds), times))

    def drop_next(self, method: str, times: int = 1) -> None:
        """Record the next *times* requests of *method*, then drop their connection without an answer."""
        self._drops.setdefault(_method_key(method), deque()).append(_Fault(None, times))

    def fail_next_subscribe(self, code: int, msg: str, times: int = 1) -> None:
        """Answer the next *times* stream ``SUBSCRIBE`` messages with ``{"error": {...}, "id": n}``."""
        self._sub_fails.append(_Fault((code, msg), times))

    async def drop_connections(self, kind: str = 'all', *, graceful: bool = False, carrying: str | None = None) -> int:
        """Drop open connections of *kind* (``'all'``, ``'ws_api'``, ``'stream'``) like a network
        failure (no close frame), or with a close frame (1001) when *graceful*; with *carrying* (a stream
        name), only the stream connections subscribed to it. Returns the count."""
        if kind not in ('all', 'ws_api', 'stream'):
            raise ValueError("kind must be 'all', 'ws_api' or 'stream'")
        conns: list[Session | _StreamConn] = []
        if kind in ('all', 'ws_api') and carrying is None:
            conns.extend(self._sessions)
        if kind in ('all', 'stream'):
            subscribed = self._subscribers.get(carrying, ()) if carrying is not None else None
            conns.extend(c for c in self._stream_conns if subscribed is None or c in subscribed)
        for conn in conns:
            await self._end(conn, graceful=graceful)
        if conns:
            # Let the handlers unwind so subscriptions() and counts reflect the drop on return.
            async with asyncio.timeout(5):
                await asyncio.gather(*(c._done.wait() for c in conns))
        return len(conns)

    def _take(self, table: dict[str, deque[_Fault]], *keys: str) -> _Fault | None:
        for key in keys:
            queue = table.get(key)
            if queue:
                fault = queue[0]
                fault.times -= 1
                if fault.times <= 0:
                    queue.popleft()
                return fault
        return None

    def _injected(self, fault: _Fault) -> BinanceError:
        code, msg, status, data, retry_after = fault.value
        if retry_after is False:  # omit_retry_after: no retryAfter, no Retry-After header
            return BinanceError(code, msg, status=status, data=data, retry_after=None)
        if status in (418, 429) and retry_after is None:
            retry_after = 1
        if data is None and retry_after is not None:
            now = self.server_time()
            data = {'serverTime': now, 'retryAfter': now + int(retry_after * 1000)}
        return BinanceError(code, msg, status=status, data=data, retry_after=retry_after)

    # -- rate limits --------------------------------------------------------------------------

    @property
    def used_weight(self) -> int:
        """REQUEST_WEIGHT charged in the current calendar minute (Binance windows reset at :00)."""
        return self._weight_used if self.server_time() // 60000 == self._weight_window else 0

    @used_weight.setter
    def used_weight(self, value: int) -> None:
        self._weight_window = self.server_time() // 60000
        self._weight_used = int(value)

    def _charge(self, weight: int) -> None:
        window = self.server_time() // 60000
        if window != self._weight_window:
            self._weight_window, self._weight_used = window, 0
        self._weight_used += weight
        if self._weight_used > self.weight_limit:
            now = self.server_time()
            retry = (window + 1) * 60000
            err = BinanceError.of(E_TOO_MUCH_WEIGHT, status=429, limit=self.weight_limit)
            err.data = {'serverTime': now, 'retryAfter': retry}
            err.retry_after = max(1, math.ceil((retry - now) / 1000))
            raise err

    def _count_orders(self, orders: int) -> None:
        now = self.server_time()
        for label, _limit in self.order_limits:
            window = now // (interval_seconds(label) * 1000)
            slot = self._order_counts.setdefault(label, [window, 0])
            if slot[0] != window:
                slot[0], slot[1] = window, 0
            slot[1] += orders

    def order_count(self, label: str) -> int:
        """Orders counted in the current window of pool *label* (``'10s'``, ``'1d'``)."""
        slot = self._order_counts.get(label)
        if slot is None or slot[0] != self.server_time() // (interval_seconds(label) * 1000):
            return 0
        return slot[1]

    def rate_limits(self, orders: bool = False) -> list[dict[str, Any]]:
        """The WS-API ``rateLimits`` array: ORDERS pools (order endpoints only), then REQUEST_WEIGHT."""
        out = []
        if orders:
            for label, limit in self.order_limits:
                interval, num = _interval(label)
                out.append(
                    {
                        'rateLimitType': 'ORDERS',
                        'interval': interval,
                        'intervalNum': num,
                        'limit': limit,
                        'count': self.order_count(label),
                    }
                )
        out.append(
            {
                'rateLimitType': 'REQUEST_WEIGHT',
                'interval': 'MINUTE',
                'intervalNum': 1,
                'limit': self.weight_limit,
                'count': self.used_weight,
            }
        )
        return out

    def exchange_info_rate_limits(self) -> list[dict[str, Any]]:
        """The ``rateLimits`` of an ``exchangeInfo`` answer, from the fake's own limits."""
        out = [{'rateLimitType': 'REQUEST_WEIGHT', 'interval': 'MINUTE', 'intervalNum': 1, 'limit': self.weight_limit}]
        for label, limit in self.order_limits:
            interval, num = _interval(label)
            out.append({'rateLimitType': 'ORDERS', 'interval': interval, 'intervalNum': num, 'limit': limit})
        return out

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> FakeExchange:
        """Listen on 127.0.0.1 on an ephemeral port."""
        if self._runner is not None:
            raise RuntimeError('FakeExchange already started')
        app = web.Application()
        app.router.add_route('*', '/{tail:.*}', self._dispatch)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, '127.0.0.1', 0)
        await site.start()
        self._runner = runner
        self._port = runner.addresses[0][1]
        log.debug('fake %s exchange listening on 127.0.0.1:%d', self.market.name, self._port)
        return self

    async def close(self) -> None:
        """Close every connection (close code 1001) and stop listening."""
        if self._runner is None or self._closing:
            return
        self._closing = True
        conns: list[Session | _StreamConn] = [*self._sessions, *self._stream_conns]
        for conn in conns:
            await self._end(conn, graceful=True)
        if conns:
            try:
                async with asyncio.timeout(3):
                    await asyncio.gather(*(c._done.wait() for c in conns))
            except TimeoutError:
                for conn in conns:
                    await self._end(conn, graceful=False)
        await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> FakeExchange:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _base(self, scheme: str) -> str:
        if self._port is None:
            raise RuntimeError('call await fx.start() first')
        return f'{scheme}://127.0.0.1:{self._port}'

    @property
    def rest_url(self) -> str:
        return self._base('http')

    @property
    def ws_api_url(self) -> str:
        return self._base('ws') + self.ws_api_path

    @property
    def stream_url(self) -> str:
        return self._base('ws')

    def client_kwargs(self) -> dict[str, Any]:
        """Keyword arguments that point a client at this fake."""
        return {'rest_host': self.rest_url, 'ws_api_host': self.ws_api_url, 'stream_host': self.stream_url}

    def requests_for(self, method: str) -> list[Record]:
        """Records whose method is *method* (``'order.place'``, ``'GET /api/v3/time'``, ``'SUBSCRIBE'``)."""
        key = _method_key(method)
        return [r for r in self.requests if r.method == key]

    def subscriptions(self) -> set[str]:
        """Stream names subscribed on all open stream connections."""
        return {s for conn in self._stream_conns for s in conn.streams}

    async def _end(self, conn: Session | _StreamConn, *, graceful: bool) -> None:
        if graceful:
            try:
                await asyncio.wait_for(conn.ws.close(code=aiohttp.WSCloseCode.GOING_AWAY), 2)
            except (TimeoutError, ConnectionError, RuntimeError):
                graceful = False
        if not graceful:
            transport = conn.request.transport
            if transport is not None:
                transport.abort()

    # -- dispatch -----------------------------------------------------------------------------

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        upgrade = request.headers.get('Upgrade', '').lower() == 'websocket'
        if upgrade and path == self.ws_api_path:
            return await self._serve_ws_api(request)
        if upgrade:
            route = self._match_stream(path, request)
            if route is not None:
                return await self._serve_stream(request, *route)
        return await self._serve_rest(request)

    def _match_stream(self, path: str, request: web.Request) -> tuple[bool, list[str]] | None:
        for prefix in sorted(self.stream_prefixes, key=len, reverse=True):
            if prefix and not (path == prefix or path.startswith(prefix + '/')):
                continue
            rest = path[len(prefix) :]
            if rest == '/stream':
                # USDⓈ-M "private" combined form: /stream?listenKey=<k1>&listenKey=<k2> (events arrive wrapped).
                keys = [k for k in request.query.getall('listenKey', []) if k]
                return True, [s for s in request.query.get('streams', '').split('/') if s] + keys
            if rest == '/ws':
                # USDⓈ-M "private" query form: /ws?listenKey=<key>
                return False, [s for s in request.query.get('listenKey', '').split('/') if s]
            if rest.startswith('/ws/'):
                return False, [s for s in rest[4:].split('/') if s]
        return None

    async def _send(self, ws: web.WebSocketResponse, text: str) -> bool:
        if self.silent or ws.closed:
            return False
        try:
            await ws.send_str(text)
        except (ConnectionError, RuntimeError):
            return False
        return True

    # -- WS-API -------------------------------------------------------------------------------

    async def _serve_ws_api(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(
            autoping=False, compress=False, heartbeat=self.ping_interval, max_msg_size=0, timeout=2.0
        )
        await ws.prepare(request)
        self.ws_api_connections += 1
        session = Session(ws, request, self.server_time())
        self._sessions[session] = None
        try:
            # Binance "IP limits": connecting to the WebSocket API costs weight (Spot 2, futures 5).
            self._charge(self.ws_connect_weight)
        except BinanceError:
            pass
        try:
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    self._ws_api_message(session, msg.data)
                elif msg.type is WSMsgType.PING:
                    if not self.silent:
                        await ws.pong(msg.data)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            session.closed = True
            self._sessions.pop(session, None)
            for task in session._tasks:
                task.cancel()
            session._done.set()
        return ws

    def _ws_api_message(self, session: Session, text: str) -> None:
        try:
            msg = json.loads(text)
        except ValueError:
            msg = None
        if (
            not isinstance(msg, dict)
            or not isinstance(msg.get('method'), str)
            or not isinstance(msg.get('params', {}), dict)
        ):
            rid = msg.get('id') if isinstance(msg, dict) else None
            self.requests.append(Record('ws_api', str(msg.get('method')) if isinstance(msg, dict) else '', msg, id=rid))
            self._spawn(session, self._reply_error(session, rid, BinanceError.of(E_MALFORMED), False))
            return
        params = msg.get('params') or {}
        self.requests.append(Record('ws_api', msg['method'], dict(params), id=msg.get('id')))
        self._spawn(session, self._serve_ws_request(session, msg.get('id'), msg['method'], params))

    def _spawn(self, session: Session, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        session._tasks.add(task)
        task.add_done_callback(session._tasks.discard)

    def _resolve(self, method: str) -> str:
        # Binance WS-API "Request format": a method may carry an explicit version, `v3/order.place`;
        # USDⓈ-M also has distinct `v2/...` methods, so an exact match wins.
        if method in self._ws_routes or method in self._ws_rows:
            return method
        return _VERSION_PREFIX.sub('', method, count=1)

    def _want_rate_limits(self, session: Session, params: Mapping[str, Any]) -> bool:
        flag = params.get('returnRateLimits')
        if flag is None:
            return session.return_rate_limits
        return flag is True or (isinstance(flag, str) and flag.lower() == 'true')

    async def _reply_error(self, session: Session, rid: Any, err: BinanceError, with_limits: bool) -> None:
        reply: dict[str, Any] = {'id': rid, 'status': err.status, 'error': err.error_object()}
        if with_limits:
            reply['rateLimits'] = self.rate_limits()
        await self._send(session.ws, _dumps(reply))

    async def _serve_ws_request(self, session: Session, rid: Any, method: str, params: dict[str, Any]) -> None:
        name = self._resolve(method)
        if self._take(self._drops, method, name) is not None:
            await self._end(session, graceful=False)
            return
        delay = self._take(self._delays, method, name)
        if delay is not None:
            await asyncio.sleep(delay.value)
        route = self._ws_routes.get(name)
        row = self._ws_rows.get(name)
        orders = row.orders if row is not None else 0
        with_limits = self._want_rate_limits(session, params)
        try:
            if (
                route is not None
                and route.builtin
                and not self.ws_user_data_subscriptions
                and name.startswith('userDataStream.')
            ):
                route = None
            if route is None and row is None:
                self._charge(1)
                raise BinanceError.of(E_UNSUPPORTED)
            self._charge(self._weight(route, row, params, builtin_default=2))
            fault = self._take(self._fails, method, name)
            if fault is not None:
                raise self._injected(fault)
            req = Request(name, params, self, session=session, id=rid)
            if route is not None and route.builtin:
                result = await route.handler(req)
            else:
                security = (
                    route.security
                    if route is not None and route.security is not None
                    else (row.security if row is not None else SecurityType.NONE)
                )
                req.api_key = self._authorize_ws(session, params, security)
                result = self._unrouted(name) if route is None else route.handler(req)
                if inspect.isawaitable(result):
                    result = await result
                if result is None:
                    result = {}
        except BinanceError as err:
            await self._reply_error(session, rid, err, with_limits)
            return
        if orders:
            self._count_orders(orders)
        reply: dict[str, Any] = {'id': rid, 'status': 200, 'result': result}
        if with_limits:
            reply['rateLimits'] = self.rate_limits(orders=bool(orders))
        await self._send(session.ws, _dumps(reply))

    @staticmethod
    def _weight(route: _Route | None, row: Endpoint | None, params: Mapping[str, Any], builtin_default: int = 1) -> int:
        if route is not None and route.weight is not None:
            return route.weight
        if row is not None:
            try:
                return row.weight_for(params)
            except (TypeError, ValueError):
                return row.weight if isinstance(row.weight, int) else 1
        return builtin_default if route is not None and route.builtin else 1

    def _key(self, api_key: Any, status: int = 401) -> _Key:
        if not isinstance(api_key, str) or not _API_KEY_CHARS.match(api_key):
            raise BinanceError.of(E_KEY_FORMAT, status=status)
        key = self._keys.get(api_key)
        if key is None:
            raise BinanceError.of(E_REJECTED_KEY, status=status)
        return key

    def _check_timing(self, params: Mapping[str, Any]) -> None:
        """Binance "Timing security": reject a timestamp more than 1 s ahead of the server, or
        older than ``recvWindow`` (default 5000, at most 60000) ms."""
        ts = params.get('timestamp')
        if ts is None or ts == '':
            raise _missing('timestamp')
        try:
            ts_ms = float(ts) if not isinstance(ts, bool) else math.nan
        except (TypeError, ValueError):
            ts_ms = math.nan
        if not math.isfinite(ts_ms):
            raise _missing('timestamp')
        if ts_ms >= MICROS_THRESHOLD:
            ts_ms /= 1000
        rw = params.get('recvWindow')
        window = float(DEFAULT_RECV_WINDOW)
        if rw is not None:
            try:
                window = float(rw) if not isinstance(rw, bool) else math.nan
            except (TypeError, ValueError):
                window = math.nan
            if not math.isfinite(window) or window <= 0:
                raise _missing('recvWindow')
            if window > MAX_RECV_WINDOW:
                raise BinanceError.of(E_RECV_WINDOW)
        now = self.server_time()
        if ts_ms > now + MAX_AHEAD_MS:
            raise BinanceError.of(E_AHEAD)
        if now - ts_ms > window:
            raise BinanceError.of(E_OUTSIDE_WINDOW)

    def _session_key(self, session: Session) -> str:
        """The logged-on key, revoking the session if the key is gone (Binance: 401 / -2015)."""
        assert session.api_key is not None
        if session.api_key not in self._keys:
            self._logout(session)
            raise BinanceError.of(E_REJECTED_KEY, status=401)
        return session.api_key

    def _verify_ws_signed(self, params: Mapping[str, Any], kinds: Iterable[str] | None = None) -> str:
        for name in ('apiKey', 'timestamp', 'signature'):
            if params.get(name) is None or params.get(name) == '':
                raise _missing(name)
        key = self._key(params['apiKey'])
        if kinds is not None and key.kind not in kinds:
            raise BinanceError.of(E_UNAUTHORIZED, status=401)
        if not key.verify(ws_signature_payload(params), params['signature']):
            raise BinanceError.of(E_BAD_SIGNATURE)
        self._check_timing(params)
        return str(params['apiKey'])

    def _authorize_ws(self, session: Session, params: Mapping[str, Any], security: SecurityType) -> str | None:
        sig = params.get('signature')
        api_key = params.get('apiKey')
        if security.signed or sig is not None:
            if sig is None and session.api_key is not None and api_key in (None, session.api_key):
                # Binance "Session Authentication": a logged-on connection sends only `timestamp`.
                key = self._session_key(session)
                self._check_timing(params)
                return key
            return self._verify_ws_signed(params)
        if security.needs_key:
            if api_key is None:
                if session.api_key is not None:
                    return self._session_key(session)
                raise _missing('apiKey')
            self._key(api_key)
            return str(api_key)
        return session.api_key

    # -- WS-API built-ins: session and user-data subscriptions --------------------------------

    def _status(self, session: Session) -> dict[str, Any]:
        return {
            'apiKey': session.api_key,
            'authorizedSince': session.authorized_since,
            'connectedSince': session.connected_since,
            'returnRateLimits': session.return_rate_limits,
            'serverTime': self.server_time(),
            # null: user-data subscriptions are not available on this WS-API (futures).
            'userDataStream': bool(session.subscriptions) if self.ws_user_data_subscriptions else None,
        }

    async def _session_logon(self, req: Request) -> Any:
        assert req.session is not None
        # Binance "Session Authentication": only Ed25519 keys may log on.
        api_key = self._verify_ws_signed(req.params, kinds=('ed25519',))
        session = req.session
        if session.api_key is not None and session.api_key != api_key:
            await self._terminate(session, [i for i, (_, logon) in session.subscriptions.items() if logon])
        session.api_key = api_key
        session.authorized_since = self.server_time()
        return self._status(session)

    async def _session_status(self, req: Request) -> Any:
        assert req.session is not None
        if req.session.api_key is not None:
            self._session_key(req.session)
        return self._status(req.session)

    async def _session_logout(self, req: Request) -> Any:
        assert req.session is not None
        session = req.session
        # `session.logout` ends subscriptions made with `userDataStream.subscribe`, not `.signature` ones.
        await self._terminate(session, [i for i, (_, logon) in session.subscriptions.items() if logon])
        self._logout(session)
        return self._status(session)

    @staticmethod
    def _logout(session: Session) -> None:
        session.api_key = None
        session.authorized_since = None
        for sid in [i for i, (_, logon) in session.subscriptions.items() if logon]:
            del session.subscriptions[sid]

    async def _session_subscriptions(self, req: Request) -> Any:
        assert req.session is not None
        return [{'subscriptionId': sid} for sid in sorted(req.session.subscriptions)]

    def _subscribe(self, session: Session, api_key: str, via_logon: bool) -> dict[str, int]:
        # One active subscription per account per connection; 1,000 active and 65,535 over the
        # session's lifetime (Binance "User Data Stream subscription").
        if any(key == api_key for key, _ in session.subscriptions.values()):
            raise BinanceError.of(E_SUBSCRIPTION_ACTIVE)
        if (
            len(session.subscriptions) >= MAX_ACTIVE_SUBSCRIPTIONS
            or session.next_subscription_id >= MAX_LIFETIME_SUBSCRIPTIONS
        ):
            raise BinanceError.of(E_SUBSCRIPTION_IDS)
        sid = session.next_subscription_id
        session.next_subscription_id += 1
        session.subscriptions[sid] = (api_key, via_logon)
        return {'subscriptionId': sid}

    async def _uds_subscribe(self, req: Request) -> Any:
        assert req.session is not None
        if req.session.api_key is None:
            raise BinanceError.of(E_UNAUTHORIZED, status=401)
        return self._subscribe(req.session, self._session_key(req.session), True)

    async def _uds_subscribe_signature(self, req: Request) -> Any:
        assert req.session is not None
        return self._subscribe(req.session, self._verify_ws_signed(req.params), False)

    async def _uds_unsubscribe(self, req: Request) -> Any:
        assert req.session is not None
        session = req.session
        sid = req.params.get('subscriptionId')
        if sid is None:
            await self._terminate(session, list(session.subscriptions))
        elif sid in session.subscriptions and not isinstance(sid, bool):
            await self._terminate(session, [sid])
        else:
            raise BinanceError.of(E_SUBSCRIPTION_INACTIVE)
        return {}

    async def _terminate(self, session: Session, sids: list[int]) -> None:
        """End subscriptions; Binance sends `eventStreamTerminated` for each."""
        for sid in sids:
            session.subscriptions.pop(sid, None)
            event = {'e': 'eventStreamTerminated', 'E': self.server_time()}
            await self._send(session.ws, _dumps({'subscriptionId': sid, 'event': event}))

    async def push_user_event(self, event: Mapping[str, Any], api_key: str | None = None) -> int:
        """Send a user-data *event* to every active subscription (of *api_key*, if given) as
        ``{"subscriptionId": n, "event": event}``, and to listenKey streams as raw events.
        Returns the number of frames sent."""
        sent = 0
        for session in list(self._sessions):
            for sid, (key, _) in list(session.subscriptions.items()):
                if api_key is None or key == api_key:
                    sent += await self._send(session.ws, _dumps({'subscriptionId': sid, 'event': event}))
        for listen_key, key in list(self.listen_keys.items()):
            if api_key is None or key == api_key:
                sent += await self.push(listen_key, event)
        return sent

    async def ws_api_server_shutdown(self, close_after: float | None = None) -> None:
        """Send ``{"event": {"e": "serverShutdown", "E": ms}}`` to every WS-API connection; drop
        them after *close_after* seconds if given (Binance no longer promises a lead time)."""
        text = _dumps({'event': {'e': 'serverShutdown', 'E': self.server_time()}})
        sessions = list(self._sessions)
        for session in sessions:
            await self._send(session.ws, text)
        if close_after is not None:
            await asyncio.sleep(close_after)
            for session in sessions:
                await self._end(session, graceful=False)

    # -- futures listenKey flow ----------------------------------------------------------------

    def create_listen_key(self, api_key: str) -> str:
        """A listenKey for *api_key*; Binance returns the active key again if there is one."""
        for listen_key, key in self.listen_keys.items():
            if key == api_key:
                return listen_key
        listen_key = secrets.token_hex(30)
        self.listen_keys[listen_key] = api_key
        return listen_key

    async def expire_listen_key(self, listen_key: str, *, notify: bool = True) -> None:
        """Expire a listenKey: its streams get ``listenKeyExpired`` (``E`` an int, as since 2026-05-22) and the
        key is forgotten: its streams get nothing more, and a keepalive for it is answered ``-1125``. With
        ``notify=False`` the key just vanishes (an expiry whose event the client missed)."""
        if listen_key in self.listen_keys:
            if notify:
                now = self.server_time()
                await self.push(listen_key, {'e': 'listenKeyExpired', 'E': now, 'listenKey': listen_key})
            del self.listen_keys[listen_key]

    async def push_user_burst(
        self, events: Iterable[Mapping[str, Any]], api_key: str | None = None, *, pause: float = 0.001
    ) -> list[int]:
        """Push *events* one after the other with :meth:`push_user_event`, *pause* seconds apart, so that a
        reconnect, an expiry or a forced disconnect can happen in the middle of the burst. Returns how many
        frames each event was sent as: 0 when no open stream of a valid key carried it (on Binance too, events
        between a key's expiry and the next key's stream reach nobody)."""
        sent = []
        for event in events:
            sent.append(await self.push_user_event(event, api_key))
            await asyncio.sleep(pause)
        return sent

    def _is_listen_key_stream(self, streams: Iterable[str]) -> bool:
        return any(s in self.listen_keys for s in streams)

    async def _cut_listen_key_stream(self, conn: _StreamConn, after: float, fired: list[bool]) -> None:
        """Binance "User Data Streams": a connection is valid for 24 hours only; then it is closed."""
        await asyncio.sleep(after)
        fired.append(True)  # from here on the close runs to its end, even once the handler has returned
        await self._end(conn, graceful=True)

    def install_listen_key_flow(self, rest_path: str | None = None, weight: int = 1) -> None:
        """Serve the futures listenKey flow: WS-API ``userDataStream.start/ping/stop`` and, with
        *rest_path* (``'/fapi/v1/listenKey'``), REST ``POST/PUT/DELETE``. Security USER_STREAM."""

        def owner(req: Request) -> str:
            assert req.api_key is not None
            return req.api_key

        def current(req: Request) -> str:
            given = req.params.get('listenKey')
            if given is not None:
                if self.listen_keys.get(given) != owner(req):
                    raise BinanceError.of(E_LISTEN_KEY)
                return str(given)
            for listen_key, key in self.listen_keys.items():
                if key == owner(req):
                    return listen_key
            raise BinanceError.of(E_LISTEN_KEY)

        def start(req: Request) -> Any:
            return {'listenKey': self.create_listen_key(owner(req))}

        def ping(req: Request) -> Any:
            return {'listenKey': current(req)}

        def stop(req: Request) -> Any:
            self.listen_keys.pop(current(req), None)
            return {}

        us = SecurityType.USER_STREAM
        for name, fn in (('userDataStream.start', start), ('userDataStream.ping', ping), ('userDataStream.stop', stop)):
            self.ws_method(name, fn, security=us, weight=weight)
        if rest_path is not None:
            for verb, fn in (('POST', start), ('PUT', ping), ('DELETE', stop)):
                self.rest_route(verb, rest_path, fn, security=us, weight=weight)

    # -- REST ---------------------------------------------------------------------------------

    async def _serve_rest(self, request: web.Request) -> web.StreamResponse:
        verb, path = request.method.upper(), request.path
        name = f'{verb} {path}'
        raw_query = request.raw_path.partition('?')[2]
        raw_body = ''
        if request.can_read_body:
            raw_body = (await request.read()).decode('utf-8', 'replace')
        # Binance "General Information on Endpoints": a param in both the query string and the
        # body is taken from the query string.
        params = dict(parse_qsl(raw_body, keep_blank_values=True))
        params.update(parse_qsl(raw_query, keep_blank_values=True))
        self.requests.append(Record('rest', name, params, request.headers))
        route = self._rest_routes.get((verb, path))
        row = self._rest_rows.get((verb, path))
        if route is None and row is None and not (self.rest_prefixes and path.startswith(self.rest_prefixes)):
            return web.Response(status=404, text='Not Found')
        if self._take(self._drops, name) is not None:
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=500)
        delay = self._take(self._delays, name)
        if delay is not None:
            await asyncio.sleep(delay.value)
        orders = row.orders if row is not None else 0
        headers: dict[str, str] = {}
        try:
            try:
                self._charge(self._weight(route, row, params))
            finally:
                headers['X-MBX-USED-WEIGHT-1M'] = str(self.used_weight)
            fault = self._take(self._fails, name)
            if fault is not None:
                raise self._injected(fault)
            security = (
                route.security
                if route is not None and route.security is not None
                else (row.security if row is not None else SecurityType.NONE)
            )
            api_key = self._authorize_rest(request, raw_query, raw_body, params, security)
            req = Request(name, params, self, api_key=api_key, headers=request.headers)
            result = self._unrouted(name) if route is None else route.handler(req)
            if inspect.isawaitable(result):
                result = await result
        except BinanceError as err:
            if err.retry_after is not None:
                headers['Retry-After'] = str(max(0, math.ceil(err.retry_after)))
            return web.json_response(
                {'code': err.code, 'msg': err.msg}, status=err.status, headers=headers, dumps=_dumps
            )
        if isinstance(result, web.StreamResponse):
            return result
        if orders:
            self._count_orders(orders)
            for label, _limit in self.order_limits:
                headers[f'X-MBX-ORDER-COUNT-{label.upper()}'] = str(self.order_count(label))
        return web.json_response({} if result is None else result, headers=headers, dumps=_dumps)

    def _authorize_rest(
        self, request: web.Request, raw_query: str, raw_body: str, params: Mapping[str, str], security: SecurityType
    ) -> str | None:
        api_key = request.headers.get('X-MBX-APIKEY')
        sig = params.get('signature')
        if not (security.needs_key or sig is not None):
            return api_key if api_key in self._keys else None
        if api_key is None:
            raise BinanceError.of(E_KEY_FORMAT, status=401)
        key = self._key(api_key)
        if security.signed or sig is not None:
            for name in ('timestamp', 'signature'):
                if not params.get(name):
                    raise _missing(name)
            if not key.verify(rest_signature_payload(raw_query, raw_body), sig):
                raise BinanceError.of(E_BAD_SIGNATURE)
            self._check_timing(params)
        return api_key

    # -- market and user streams --------------------------------------------------------------

    async def _serve_stream(self, request: web.Request, combined: bool, streams: list[str]) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(
            autoping=False, compress=False, heartbeat=self.ping_interval, max_msg_size=0, timeout=2.0
        )
        await ws.prepare(request)
        self.stream_connections += 1
        self.stream_urls.append(request.path_qs)
        conn = _StreamConn(ws, request, combined, self.stream_message_limit)
        self._stream_conns[conn] = None
        for stream in streams:
            self._add_sub(conn, stream)
        cut: asyncio.Future[None] | None = None
        fired: list[bool] = []
        if self.listen_key_stream_lifetime is not None and self._is_listen_key_stream(streams):
            cut = asyncio.ensure_future(self._cut_listen_key_stream(conn, self.listen_key_stream_lifetime, fired))
        try:
            async for msg in ws:
                if not self._within_message_limit(conn):
                    # Binance "WebSocket Limits": a connection over the incoming message limit is
                    # disconnected (no error reply).
                    log.debug('stream connection over %d msg/s: closing', self.stream_message_limit)
                    await ws.close(code=aiohttp.WSCloseCode.POLICY_VIOLATION, message=b'Too many messages')
                    break
                if msg.type is WSMsgType.TEXT:
                    await self._stream_control(conn, msg.data)
                elif msg.type is WSMsgType.PING:
                    self.stream_pings_received += 1
                    if self.stream_pings and not self.silent:
                        await ws.pong(msg.data)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            if cut is not None and not fired:
                cut.cancel()
            conn.closed = True
            self._stream_conns.pop(conn, None)
            for stream in list(conn.streams):
                self._remove_sub(conn, stream)
            conn._done.set()
        return ws

    def _within_message_limit(self, conn: _StreamConn) -> bool:
        """Pings, pongs and control messages all count toward the per-second limit."""
        now = time.monotonic()
        times = conn.incoming
        over = len(times) == times.maxlen and now - times[0] < 1.0
        times.append(now)
        return not over

    def _add_sub(self, conn: _StreamConn, stream: str) -> None:
        conn.streams[stream] = None
        self._subscribers.setdefault(stream, {})[conn] = None

    def _remove_sub(self, conn: _StreamConn, stream: str) -> None:
        conn.streams.pop(stream, None)
        subs = self._subscribers.get(stream)
        if subs is not None:
            subs.pop(conn, None)
            if not subs:
                del self._subscribers[stream]

    async def _stream_control(self, conn: _StreamConn, text: str) -> None:
        try:
            msg = json.loads(text)
        except ValueError as exc:
            await self._send(conn.ws, _dumps({'error': {'code': 3, 'msg': f'Invalid JSON: {exc}'}, 'id': None}))
            return
        if not isinstance(msg, dict):
            await self._send(
                conn.ws, _dumps({'error': {'code': 2, 'msg': 'Invalid request: expected an object'}, 'id': None})
            )
            return
        method, rid, params = msg.get('method'), msg.get('id'), msg.get('params')
        self.requests.append(Record('stream', str(method), params, id=rid))

        def error(code: int, text: str) -> str:
            return _dumps({'error': {'code': code, 'msg': text}, 'id': rid})

        if method in ('SUBSCRIBE', 'UNSUBSCRIBE'):
            if not isinstance(params, list) or not all(isinstance(p, str) and p for p in params):
                reply = error(2, 'Invalid request: invalid stream')
            elif method == 'SUBSCRIBE' and self._sub_fails:
                fault = self._sub_fails[0]
                fault.times -= 1
                if fault.times <= 0:
                    self._sub_fails.popleft()
                reply = error(*fault.value)
            else:
                for stream in params:
                    if method == 'SUBSCRIBE':
                        self._add_sub(conn, stream)
                    else:
                        self._remove_sub(conn, stream)
                reply = _dumps({'result': None, 'id': rid})
        elif method == 'LIST_SUBSCRIPTIONS':
            reply = _dumps({'result': list(conn.streams), 'id': rid})
        elif method in ('SET_PROPERTY', 'GET_PROPERTY'):
            reply = self._property(conn, method, params, rid)
        elif method is None:
            reply = error(2, 'Invalid request: missing field `method`')
        else:
            reply = error(2, f'Invalid request: unknown variant `{method}`, expected one of {_STREAM_METHODS}')
        await self._send(conn.ws, reply)

    @staticmethod
    def _property(conn: _StreamConn, method: str, params: Any, rid: Any) -> str:
        # Binance "Setting Properties": the only property is `combined`.
        if not isinstance(params, list) or not params or not isinstance(params[0], str):
            return _dumps({'error': {'code': 2, 'msg': 'Invalid request: property name must be a string'}, 'id': rid})
        if params[0] != 'combined':
            return _dumps({'error': {'code': 0, 'msg': 'Unknown property'}, 'id': rid})
        if method == 'GET_PROPERTY':
            return _dumps({'result': conn.combined, 'id': rid})
        if len(params) != 2 or not isinstance(params[1], bool):
            return _dumps({'error': {'code': 1, 'msg': 'Invalid value type: expected Boolean'}, 'id': rid})
        conn.combined = params[1]
        return _dumps({'result': None, 'id': rid})

    async def push(self, stream: str, data: Any) -> int:
        """Send *data* on *stream*: ``{"stream": stream, "data": data}`` to combined connections
        subscribed to it, raw *data* to raw ones. Each send is awaited, so a slow reader slows
        the caller (no unbounded buffering). Returns the number of frames sent."""
        subs = self._subscribers.get(stream)
        if not subs or self.silent:
            return 0
        payload = _dumps(data)
        combined = None
        sent = 0
        for conn in tuple(subs):
            if conn.combined:
                if combined is None:
                    combined = f'{{"stream":{_dumps(stream)},"data":{payload}}}'
                sent += await self._send(conn.ws, combined)
            else:
                sent += await self._send(conn.ws, payload)
        return sent

    async def push_raw(self, text: str, kind: str = 'stream') -> int:
        """Send *text* as it is (junk, a JSON list, a bare number...) on every open stream connection
        (``kind='stream'``) or WS-API connection (``kind='ws_api'``); returns the number of frames sent."""
        if kind not in ('stream', 'ws_api'):
            raise ValueError("kind must be 'stream' or 'ws_api'")
        conns = [c.ws for c in self._stream_conns] if kind == 'stream' else [s.ws for s in self._sessions]
        sent = 0
        for ws in conns:
            sent += await self._send(ws, text)
        return sent

    async def push_many(self, stream: str, datas: Iterable[Any]) -> int:
        """Send a burst of frames on *stream* in order (the fast path of :meth:`push`)."""
        head = f'{{"stream":{_dumps(stream)},"data":'
        sent = 0
        subscribers = self._subscribers
        for data in datas:
            subs = subscribers.get(stream)
            if not subs or self.silent:
                continue
            payload = _dumps(data)
            for conn in tuple(subs):
                ws = conn.ws
                if ws.closed:
                    continue
                try:
                    await ws.send_str(head + payload + '}' if conn.combined else payload)
                except (ConnectionError, RuntimeError):
                    continue
                sent += 1
        return sent

    async def push_stream_bytes(self, data: bytes, *, drop: bool = False) -> int:
        """Write *data* as it is, beneath the WebSocket framing, on every open stream connection: what no
        well-behaved sender writes (half a frame, a message in fragments), to see how a client copes. With
        *drop* the connections are then cut like a network failure (no close frame). Returns how many
        connections got it."""
        sent = 0
        for conn in list(self._stream_conns):
            transport = conn.request.transport
            if transport is None or transport.is_closing():
                continue
            transport.write(data)
            sent += 1
            if drop:
                transport.abort()
        return sent

    async def stream_server_shutdown(self, close_after: float | None = None) -> None:
        """Send Binance's ``serverShutdown`` event on every stream connection (raw:
        ``{"e": "serverShutdown", "E": ms}``; combined: stream ``!serverShutdown``); drop the
        connections after *close_after* seconds if given."""
        event = _dumps({'e': 'serverShutdown', 'E': self.server_time()})
        combined = f'{{"stream":"!serverShutdown","data":{event}}}'
        conns = list(self._stream_conns)
        for conn in conns:
            await self._send(conn.ws, combined if conn.combined else event)
        if close_after is not None:
            await asyncio.sleep(close_after)
            for conn in conns:
                await self._end(conn, graceful=False)

    def __repr__(self) -> str:
        where = f'127.0.0.1:{self._port}' if self._port is not None else 'not started'
        return f'FakeExchange({self.market.name!r}, {where})'
