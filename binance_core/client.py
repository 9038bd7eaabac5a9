"""The core client every market's client class is assembled on.

A generated method is ``await self._call(row, params)``: params are checked and encoded,
credentials checked, a client order id filled in, then the row's transport (WS-API or REST)
sends it through ``binance_core.signing`` (limiter, clock, signer). No hook runs on this path.
"""

from __future__ import annotations

import functools
import inspect
import logging
import secrets
from collections.abc import Coroutine, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Self
from urllib.parse import parse_qsl, quote

from binance_core.context import RequestContext
from binance_core.credentials import Credentials
from binance_core.exceptions import CredentialsRequiredException, UnsupportedParamException
from binance_core.handlers.base import HandlerBase
from binance_core.paramkinds import Kind, kind_of
from binance_core.params import normalize, prepare
from binance_core.specs import REST, WS, Endpoint, Hosts, MarketSpec, SecurityType
from binance_core.streams import StreamManager
from binance_core.timesync import TimeSync
from binance_core.transport.base import Outgoing
from binance_core.transport.retry import RetryPolicy, default_retry_policy

if TYPE_CHECKING:
    import enum

    from binance_core.assembly import MarketAssembly
    from binance_core.rate_limit import BudgetBackend, RateLimiter, RateLimitSnapshot
    from binance_core.transport.rest import RestTransport
    from binance_core.transport.ws_api import WsApiTransport

__all__ = ['BaseClient', 'make_client_class']

log = logging.getLogger('binance.client')

MAX_RECV_WINDOW = 60000
# RFC 3986 path characters, plus '%' so that escapes the caller wrote stay as they are.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
# The security types that need a key (SecurityType.needs_key), as a tuple: `in` finds an enum member by identity,
# without the property call (asked on every request).
_KEYED = tuple(s for s in SecurityType if s.needs_key)
_TIME_UNITS = {
    None: None,
    'millisecond': None,
    'MILLISECOND': None,
    'microsecond': 'MICROSECOND',
    'MICROSECOND': 'MICROSECOND',
}


def _make_limiter(
    ma: MarketAssembly,
    given: RateLimiter | None,
    guard: bool,
    environment: str,
    account: str | None,
    backend: BudgetBackend | None = None,
) -> RateLimiter:
    from binance_core.rate_limit import RateLimiter

    market = ma.spec.name
    if given is not None:
        if not isinstance(given, RateLimiter):
            raise TypeError('rate_limiter must be a binance RateLimiter')
        if backend is not None and given.backend is not backend:
            raise ValueError('rate_limiter counts elsewhere than rate_limit_backend: give the backend to the limiter')
        # A given limiter keeps its own guard setting; it learns the pools if it has none.
        given.attach(market, ma.pools, environment=environment, account=account)
        return given
    if backend is None:  # a backend a plugin supplies (hook binance_rate_limit_backend), if assembly found one
        backend = ma.rate_limit_backend
    return RateLimiter(ma.pools, market=market, guard=guard, environment=environment, account=account, backend=backend)


def _fill_client_order_ids(params: dict[str, Any], spec: str) -> str | tuple[str, ...]:
    """Give the request's order (or every order of a batch, ``'batchOrders[].newClientOrderId'``) a client id
    where the caller gave none, so an order whose outcome turns out unknown can be looked up."""
    list_param, batch, item_key = spec.partition('[].')
    if not batch:
        cid = params.get(spec)
        if cid is None:
            cid = params[spec] = new_client_order_id()
        return str(cid)
    items = params.get(list_param)
    if not isinstance(items, list):
        return ()
    filled = []
    for item in items:
        if not isinstance(item, dict):
            filled.append(item)
            continue
        # Batch items go out as JSON; Binance types their flags as text ("true"), as its own examples send them.
        item = {k: ('true' if v else 'false') if isinstance(v, bool) else v for k, v in item.items()}
        if item.get(item_key) is None:
            item[item_key] = new_client_order_id()
        filled.append(item)
    params[list_param] = filled
    return tuple(str(item[item_key]) for item in filled if isinstance(item, dict))


def new_client_order_id() -> str:
    """A fresh client order id: 32 URL-safe characters, within Binance's 36-char limit and
    its ``^[\\.A-Z\\:/a-z0-9_-]{1,36}$`` pattern."""
    return 'x-' + secrets.token_hex(15)


class BaseClient:
    """Behaviour shared by every market client. Assembly adds one method per endpoint row.

    Args (all keyword, after an optional ``Credentials``): see the README; unknown keywords
    raise ``TypeError``. Stream options beyond the spec:

    - ``spread_streams`` (default ``False``): spread market streams over as many connections as they need
      (Binance allows 1024 per Spot connection, 200 per futures one) instead of raising
      ``TooManyStreamsException`` past one connection's cap; each connection replays its own streams after
      a drop.
    - ``stream_transport``: ``'aiohttp'`` or ``'picows'`` for market and user-data stream connections; by
      default the environment's ``BINANCE_TRANSPORT``, else picows when it is installed (the
      ``binance-sdk-core[speed]`` extra), else aiohttp.

    The client builds one :class:`~binance_core.context.RequestContext` and hands it to its
    transports, streams and user-data flow; none of them sees the client.

    Attributes:
        market: the ``MarketSpec`` this client class was assembled for (a class attribute).
        credentials: the ``Credentials`` or ``None``.
        environment: ``'live'``, ``'testnet'`` or ``'demo'``.
        rest_host / ws_api_host / stream_host: the resolved hosts.
        clock: the server-time offset (``clock.offset_ms``).
        used_weight: latest ``X-MBX-USED-WEIGHT-*`` values, e.g. ``{'1m': 20}``.
        order_count: latest ``X-MBX-ORDER-COUNT-*`` values, e.g. ``{'10s': 3}``.
    """

    _market_assembly: ClassVar[MarketAssembly]
    market: ClassVar[MarketSpec]
    SubType: ClassVar[type[enum.Enum]]

    def __init__(
        self,
        credentials: Credentials | None = None,
        *,
        environment: str = 'live',
        request_params: Mapping[str, Any] | None = None,
        rest_host: str | None = None,
        stream_host: str | None = None,
        ws_api_host: str | None = None,
        stream_retry_policy: RetryPolicy | None = None,
        stream_timeout: float = 30,
        rate_limit_guard: bool = True,
        rate_limiter: RateLimiter | None = None,
        rate_limit_backend: BudgetBackend | None = None,
        request_timeout: float = 10,
        recv_window: int | None = None,
        time_unit: str | None = None,
        spread_streams: bool = False,
        stream_transport: str | None = None,
    ) -> None:
        if credentials is not None and not isinstance(credentials, Credentials):
            raise TypeError('the first argument must be a Credentials instance (or None)')
        ma = self._market_assembly
        spec = ma.spec
        defaults = spec.hosts_for(environment)
        hosts = Hosts(
            rest=(rest_host or defaults.rest).rstrip('/'),
            ws_api=ws_api_host or defaults.ws_api,
            stream=(stream_host or defaults.stream).rstrip('/'),
        )
        if stream_timeout <= 0 or request_timeout <= 0:
            raise ValueError('stream_timeout and request_timeout must be positive')
        retry_policy = stream_retry_policy or default_retry_policy
        if not callable(retry_policy):
            raise TypeError('stream_retry_policy must be callable: policy(info) -> (abandon, delay)')
        if recv_window is not None:
            if isinstance(recv_window, bool) or not isinstance(recv_window, int) or recv_window <= 0:
                raise ValueError('recv_window must be a positive int of milliseconds')
            recv_window = min(recv_window, MAX_RECV_WINDOW)
        if time_unit not in _TIME_UNITS:
            raise ValueError("time_unit must be None, 'millisecond' or 'microsecond'")
        from binance_core.transport.stream import pick_transport  # imported by the first client, not at import

        transport = pick_transport(stream_transport)
        account = credentials.api_key if credentials is not None else None
        self.environment = environment
        self._ctx = RequestContext(
            market=spec.name,
            client_name=spec.client_name,
            credentials=credentials,
            clock=TimeSync(self._fetch_server_time),
            limiter=_make_limiter(ma, rate_limiter, rate_limit_guard, environment, account, rate_limit_backend),
            hosts=hosts,
            recv_window=recv_window,
            time_unit=_TIME_UNITS[time_unit],
            request_timeout=request_timeout,
            stream_timeout=stream_timeout,
            request_params=dict(request_params or {}),
            retry_policy=retry_policy,
            resign_codes=spec.resign_codes,
            session_logon=spec.session_logon,
            ws_api_connect_weight=spec.ws_api_connect_weight,
        )
        self._ws_api: WsApiTransport | None = None
        self._rest: RestTransport | None = None
        self._closed = False
        self._streams = StreamManager(
            self._ctx,
            stream_types=ma.stream_types,
            sub_type=self.SubType,
            user_data_flow=ma.user_data_flow,
            ws_api=self._ws_api_transport,
            rest=self._rest_transport,
            transport=transport,
            spread_streams=bool(spread_streams),
        )

    # -- what the context holds, read-only ---------------------------------------------------

    @property
    def credentials(self) -> Credentials | None:
        return self._ctx.credentials

    @property
    def rest_host(self) -> str:
        return self._ctx.hosts.rest

    @property
    def ws_api_host(self) -> str | None:
        return self._ctx.hosts.ws_api

    @property
    def stream_host(self) -> str:
        return self._ctx.hosts.stream

    @property
    def clock(self) -> TimeSync:
        return self._ctx.clock

    @property
    def recv_window(self) -> int | None:
        return self._ctx.recv_window

    @property
    def request_timeout(self) -> float:
        return self._ctx.request_timeout

    @property
    def stream_timeout(self) -> float:
        return self._ctx.stream_timeout

    @property
    def used_weight(self) -> dict[str, int]:
        return self._ctx.used_weight

    @property
    def order_count(self) -> dict[str, int]:
        return self._ctx.order_count

    # -- requests ---------------------------------------------------------------------------

    def _call(self, endpoint: Endpoint, params: dict[str, Any]) -> Coroutine[Any, Any, Any]:
        """Check and encode *params* for *endpoint* (raising before anything is sent), then return the coroutine of
        the request on the row's transport, to be awaited at once.

        A plain function rather than a coroutine function, so that a request costs one coroutine frame less to
        create and to resume: a generated method is ``return await self._call(row, params)``, so the checks still
        run, and raise, only once the method is awaited.
        """
        if params:
            extra = params.pop('extra_params', None) if 'extra_params' in params else None
            if extra is not None:
                _check_extra(endpoint, params, extra)
            p = prepare(endpoint, params, self.market.text_params)
            if extra is not None:
                p.update(normalize(extra))
        elif endpoint.required:
            p = prepare(endpoint, params, self.market.text_params)  # raises MissingParamException
        else:
            p = {}  # what prepare() makes of no params for a row that requires none, without the call
        if endpoint.check is not None:
            endpoint.check(p)  # the row's own rule (FUTURES-API.md §7 -4120, batch sizes): raises before sending
        security = endpoint.security
        if security in _KEYED:  # check the credentials; the usual case (a key that can sign) passes inline
            creds = self._ctx.credentials
            if creds is None or creds.kind is None:
                self._check_credentials(endpoint.name, security)
        cid: str | tuple[str, ...] | None = None
        if endpoint.client_order_id is not None:
            cid = _fill_client_order_ids(p, endpoint.client_order_id)
        weight = endpoint.weight
        if type(weight) is not int:
            weight = endpoint.weight_for(p)
        # Outgoing(...) without its generated __new__ (Python code, a third of this method's own cost): the same tuple.
        out = tuple.__new__(Outgoing, (p, security, weight, endpoint.orders, cid))
        call = endpoint.call
        if endpoint.pool_group is not None:
            return self._grouped(endpoint.pool_group, call, out)
        if isinstance(call, WS):  # the transports are made on first use
            return (self._ws_api or self._ws_api_transport()).request(call.method, out)
        return self._rest_transport().request(call.verb, self.rest_host + call.path, out)

    async def _grouped(self, group: str, call: WS | REST, out: Outgoing) -> Any:
        # The endpoint's own pool (one request per call), before the transport takes weight and orders.
        # Charged once per call: a re-signed resend after -1021 is not charged to it again.
        await self._ctx.limiter.acquire_group(group)
        if isinstance(call, WS):
            return await self._ws_api_transport().request(call.method, out)
        return await self._rest_transport().request(call.verb, self.rest_host + call.path, out)

    def _check_credentials(self, name: str, security: SecurityType) -> None:
        if not security.needs_key:
            return
        if self.credentials is None:
            raise CredentialsRequiredException(
                f'{name}() is a {security.name} call and needs Credentials; pass them to the client'
            )
        if security.signed and not self.credentials.can_sign:
            raise CredentialsRequiredException(
                f'{name}() is {security.name} and must be signed; give Credentials an api_secret or private_key'
            )

    async def _fetch_server_time(self) -> Any:
        ma = self._market_assembly
        return await self._call(ma.endpoints[ma.spec.time_endpoint], {})

    def _ws_api_transport(self) -> WsApiTransport:
        if self._ws_api is None:
            from binance_core.transport.ws_api import WsApiTransport

            if not self.ws_api_host:
                raise ValueError(
                    f'{self.market.client_name} has no WebSocket API host for environment '
                    f'{self.environment!r}; pass ws_api_host='
                )
            self._ws_api = WsApiTransport(self._ctx)
        return self._ws_api

    def _rest_transport(self) -> RestTransport:
        if self._rest is None:
            from binance_core.transport.rest import RestTransport

            self._rest = RestTransport(self._ctx)
        return self._rest

    # -- REST escape hatch -------------------------------------------------------------------

    async def get(self, uri: str, security_type: SecurityType = SecurityType.NONE, **params: Any) -> Any:
        """``GET`` an arbitrary REST endpoint; *uri* is absolute or a path below ``rest_host``."""
        return await self._escape('GET', uri, security_type, params)

    async def post(self, uri: str, security_type: SecurityType = SecurityType.NONE, **params: Any) -> Any:
        """``POST`` to an arbitrary REST endpoint (params go in the body)."""
        return await self._escape('POST', uri, security_type, params)

    async def put(self, uri: str, security_type: SecurityType = SecurityType.NONE, **params: Any) -> Any:
        """``PUT`` to an arbitrary REST endpoint (params go in the body)."""
        return await self._escape('PUT', uri, security_type, params)

    async def delete(self, uri: str, security_type: SecurityType = SecurityType.NONE, **params: Any) -> Any:
        """``DELETE`` an arbitrary REST endpoint."""
        return await self._escape('DELETE', uri, security_type, params)

    async def _escape(self, verb: str, uri: str, security: SecurityType, params: Mapping[str, Any]) -> Any:
        if not isinstance(security, SecurityType):
            raise TypeError('security_type must be a SecurityType')
        url = uri if uri.startswith(('http://', 'https://')) else self.rest_host + '/' + uri.lstrip('/')
        if '?' in url:
            # A query written into the URI joins the params, so a signature covers all of it.
            url, _, query = url.partition('?')
            params = {**dict(parse_qsl(query, keep_blank_values=True)), **params}
        # The transport sends the URL as already encoded (the signed query must not change), so the
        # path is percent-encoded here; escapes already in it are kept.
        scheme, _, rest = url.partition('://')
        host, slash, path = rest.partition('/')
        url = f'{scheme}://{host}{slash}{quote(path, safe=_PATH_SAFE)}'
        p = normalize(params)
        self._check_credentials(f'{verb.lower()}({uri!r})', security)
        return await self._rest_transport().request(verb, url, Outgoing(p, security))

    # -- rate limits -------------------------------------------------------------------------

    def rate_limit_snapshot(self) -> RateLimitSnapshot:
        """A read-only view of every rate-limit pool, computed locally (no network)."""
        return self._ctx.limiter.snapshot()

    # -- streams ------------------------------------------------------------------------------

    def handler(self, *handlers: HandlerBase) -> Self:
        """Register handlers for stream messages; returns the client for chaining."""
        for h in handlers:
            if not isinstance(h, HandlerBase):
                raise TypeError(f'{h!r} is not a handler: pass an instance of a subclass of a *HandlerBase class')
        for h in handlers:
            h._bind_client(self)
        self._streams.add_handlers(handlers)
        return self

    async def subscribe(self, *args: Any) -> None:
        """Subscribe to streams: ``subscribe(SubType.X, *params)`` or ``subscribe((SubType.X, ...), ...)``."""
        await self._streams.subscribe(args, unsubscribe=False)

    async def unsubscribe(self, *args: Any) -> None:
        """Unsubscribe streams; same forms as :meth:`subscribe`."""
        await self._streams.subscribe(args, unsubscribe=True)

    def start(self) -> Self:
        """Start (or resume) delivering stream messages to handlers, from what arrives now on; managed order
        books resync."""
        self._streams.start()
        return self

    def stop(self) -> Self:
        """Stop receiving: frames and user-data events are read and discarded, never delivered later;
        connections and subscriptions stay up, and managed order books go not ready until ``start()``."""
        self._streams.stop()
        return self

    # -- lifecycle ----------------------------------------------------------------------------

    async def close(self, code: int = 4999) -> None:
        """Close every connection and the REST session; the client can be closed twice."""
        if self._closed:
            return
        self._closed = True
        await self._streams.close(code)
        if self._ws_api is not None:
            await self._ws_api.close(code)
        if self._rest is not None:
            await self._rest.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def __repr__(self) -> str:
        return f'{type(self).__name__}(environment={self.environment!r}, credentials={self.credentials!r})'


def _first_line(fn: Any, fallback: str) -> str:
    """The first docstring line of a row's function (the Binance rule it quotes), else its name."""
    doc = (fn.__doc__ or '').strip().splitlines()
    return doc[0] if doc else f'{fallback} {fn.__qualname__}'


def _describe_weight(row: Endpoint) -> str:
    if isinstance(row.weight, int):
        return str(row.weight)
    return _first_line(row.weight, 'computed by')


def _docstring(row: Endpoint) -> str:
    lines = [row.summary or f'Call {row.call.describe()}.', '']
    lines.append(f'Wire: {row.call.describe()}.')
    lines.append(f'Security: {row.security.name}.')
    lines.append(f'Weight: {_describe_weight(row)}.')
    if row.required:
        req = ', '.join('|'.join(r) if isinstance(r, tuple) else r for r in row.required)
        lines.append(f'Required params: {req}.')
    if row.optional:
        lines.append(f'Optional params: {", ".join(row.optional)}.')
    if row.pool_group is not None:
        lines.append(f'Also counts one request against the {row.pool_group!r} pool.')
    if row.orders:
        lines.append(f'Counts {row.orders} against the order pools.')
    if row.client_order_id:
        lines.append(f'``{row.client_order_id}`` is generated when not given.')
    if row.check is not None:
        lines.append(f'Checked before sending: {_first_line(row.check, "the rule of")}.')
    return '\n'.join(lines)


def _check_extra(endpoint: Endpoint, params: Mapping[str, Any], extra: Any) -> None:
    """``extra_params`` carry params Binance added after the row was written: a mapping, encoded like the rest
    (floats refused) once merged, and never a param the row declares (or one also given by keyword), which
    goes through its own checks."""
    if not isinstance(extra, Mapping):
        raise TypeError(f'{endpoint.name}(): extra_params must be a mapping of param names to values')
    # Refused params may ride here too: the row's check then refuses them, saying what to use instead.
    known = (endpoint.known or frozenset()).difference(endpoint.refused)
    for name, value in extra.items():
        if name in known or name in params:
            raise UnsupportedParamException(
                endpoint.name,
                name,
                value,
                f'{name} is a param of {endpoint.name}(): pass it as {name}=..., not in extra_params',
            )


_P = inspect.Parameter
_EXTRA = _P('extra_params', _P.KEYWORD_ONLY, default=None, annotation=Mapping[str, Any] | None)


@functools.cache
def _param(name: str, kind: Kind, required: bool) -> inspect.Parameter:
    """A keyword-only param of a generated signature: required without a default, else defaulting to ``None``.
    Parameters are immutable, so the rows share them: assembly builds each (name, kind) once, not once a row."""
    ann = kind.annotation
    if required:
        return _P(name, _P.KEYWORD_ONLY, annotation=ann)
    return _P(name, _P.KEYWORD_ONLY, default=None, annotation=ann if ann is Any else ann | None)


def _signature(row: Endpoint, market_kinds: Mapping[str, Kind]) -> inspect.Signature:
    """Keyword-only params: the required ones without a default (alternatives such as ``orderId|
    origClientOrderId`` default to ``None``: either may be given), the optional ones defaulting to ``None``,
    ``recvWindow`` on signed rows, and ``extra_params``; ``**params`` for a row that declares no optional
    params."""
    params = [_P('self', _P.POSITIONAL_OR_KEYWORD)]
    seen: set[str] = set()

    def add(name: str, required: bool) -> None:
        if name in seen:
            return
        seen.add(name)
        params.append(_param(name, kind_of(name, row.kinds, market_kinds), required))

    for item in row.required:
        for name in item if isinstance(item, tuple) else (item,):
            add(name, required=not isinstance(item, tuple))
    if row.optional is None:
        params.append(_P('params', _P.VAR_KEYWORD, annotation=Any))
    else:
        for name in row.optional:
            add(name, required=False)
        if row.security.signed:
            add('recvWindow', required=False)
        params.append(_EXTRA)
    return inspect.Signature(params, return_annotation=Any)


def _method(row: Endpoint, market_kinds: Mapping[str, Kind]) -> Any:
    async def method(self: BaseClient, **params: Any) -> Any:
        return await self._call(row, params)

    method.__name__ = method.__qualname__ = row.name
    method.__doc__ = _docstring(row)
    method.__signature__ = _signature(row, market_kinds)  # type: ignore[attr-defined]
    return method


def make_client_class(ma: MarketAssembly, sub_type: type[enum.Enum]) -> type:
    """Build the client class of one market from its rows and mixins."""
    kinds = ma.spec.param_kinds
    ns: dict[str, Any] = {name: _method(row, kinds) for name, row in ma.endpoints.items()}
    ns['_market_assembly'] = ma
    ns['market'] = ma.spec
    ns['SubType'] = sub_type
    ns['__module__'] = 'binance'
    ns['__doc__'] = (
        f'{ma.spec.client_name}: the {ma.spec.name} market client (from {ma.spec.distribution}).\n\n'
        f'{len(ma.endpoints)} endpoint methods, {len(ma.stream_types)} stream types.'
    )
    for n, fn in ns.items():
        if callable(fn) and hasattr(fn, '__qualname__') and not n.startswith('_'):
            fn.__qualname__ = f'{ma.spec.client_name}.{n}'
    return type(ma.spec.client_name, (*ma.mixins, BaseClient), ns)
