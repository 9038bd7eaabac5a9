"""Frozen value types that plugins hand to the core: markets, endpoint rows, stream-type
rows, rate-limit pools and user-data flows. Each validates itself on construction, so a
malformed row fails at assembly with a message naming the row, never mid-request."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from binance_core.paramkinds import Kind

if TYPE_CHECKING:
    from binance_core.orderbook.sequencing import SequencingRule

__all__ = [
    'ENVIRONMENTS',
    'REST',
    'WS',
    'Endpoint',
    'Hosts',
    'MarketSpec',
    'OrderBookSpec',
    'PoolSpec',
    'SecurityType',
    'StreamType',
    'SubParam',
]

ENVIRONMENTS = ('live', 'testnet', 'demo')


class SecurityType(enum.Enum):
    """Binance's endpoint security types (Spot docs, "Request security")."""

    NONE = 'NONE'
    TRADE = 'TRADE'
    USER_DATA = 'USER_DATA'
    USER_STREAM = 'USER_STREAM'
    MARKET_DATA = 'MARKET_DATA'

    @property
    def signed(self) -> bool:
        """TRADE and USER_DATA need a timestamp and a signature (or a logged-on session)."""
        return self in (SecurityType.TRADE, SecurityType.USER_DATA)

    @property
    def needs_key(self) -> bool:
        """Every type but NONE needs at least an API key."""
        return self is not SecurityType.NONE


def _nonempty(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not value:
        raise ValueError(f'{type(instance).__name__}.{attribute.name} must not be empty')


_IDENT = re.compile(r'^[a-z_][a-z0-9_]*$')
_WS_METHOD = re.compile(r'^[A-Za-z0-9_./]+$')


def _python_name(instance: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or not _IDENT.match(value) or value.startswith('_'):
        raise ValueError(f'{type(instance).__name__}.{attribute.name}={value!r} is not a public snake_case name')


@attrs.frozen
class WS:
    """A call over the market's WebSocket API: ``method`` is the wire method, e.g. ``'order.place'``."""

    method: str = attrs.field(validator=_nonempty)

    def __attrs_post_init__(self) -> None:
        if not _WS_METHOD.match(self.method):
            raise ValueError(f'WS method {self.method!r} has characters Binance never uses')

    def describe(self) -> str:
        return f'WS-API `{self.method}`'


def _upper(value: str) -> str:
    return value.upper()


@attrs.frozen
class REST:
    """A REST call: HTTP ``verb`` and ``path`` below the market's REST host."""

    verb: str = attrs.field(converter=_upper)
    path: str = attrs.field(validator=_nonempty)

    def __attrs_post_init__(self) -> None:
        if self.verb not in ('GET', 'POST', 'PUT', 'DELETE'):
            raise ValueError(f'REST verb {self.verb!r} must be GET, POST, PUT or DELETE')
        if not self.path.startswith('/'):
            raise ValueError(f'REST path {self.path!r} must start with "/"')

    def describe(self) -> str:
        return f'REST `{self.verb} {self.path}`'


Weight = int | Callable[[Mapping[str, Any]], int]
Required = tuple[str | tuple[str, ...], ...]


def _check_weight(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not (isinstance(value, int) or callable(value)):
        raise TypeError(f'{attribute.name} must be an int or a function of the params, got {value!r}')
    if isinstance(value, int) and value < 0:
        raise ValueError(f'{attribute.name} must not be negative, got {value}')


def _check_required(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    for item in value:
        group = item if isinstance(item, tuple) else (item,)
        if not group or not all(isinstance(p, str) and p for p in group):
            raise ValueError(f'required entry {item!r} must be a param name or a tuple of alternatives')


def _to_tuple(value: Any) -> tuple[Any, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(tuple(v) if isinstance(v, list) else v for v in value)


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _check_names(instance: Any, attribute: attrs.Attribute[Any], value: Iterable[Any]) -> None:
    for name in value:
        if not isinstance(name, str) or not name:
            raise ValueError(f'{type(instance).__name__}.{attribute.name}: {name!r} is not a param name')


def _optional_names(value: Any) -> tuple[str, ...] | None:
    return None if value is None else _names(value)


def _check_optional(instance: Any, attribute: attrs.Attribute[Any], value: tuple[str, ...] | None) -> None:
    if value is not None:
        _check_names(instance, attribute, value)


def _check_kinds(instance: Any, attribute: attrs.Attribute[Any], value: Mapping[str, Any]) -> None:
    for name, kind in value.items():
        if not isinstance(name, str) or not name or not isinstance(kind, Kind):
            raise ValueError(f'{type(instance).__name__}.{attribute.name}: {name!r}: {kind!r} is not a param Kind')


def _callable_name(value: Any) -> str:
    return getattr(value, '__qualname__', None) or repr(value)


Check = Callable[[Mapping[str, Any]], None]
_GROUP = re.compile(r'^[a-z0-9][a-z0-9_-]*$')


def _check_check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (not callable(value) or getattr(value, '__name__', '') == '<lambda>'):
        raise TypeError(f'{attribute.name} must be a named function of the params (or None), got {value!r}')


def _check_group(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not _GROUP.match(value)):
        raise ValueError(
            f'{type(instance).__name__}.{attribute.name}={value!r} must be None or a name of lowercase letters, '
            'digits, "-" and "_"'
        )


@attrs.frozen(kw_only=True, repr=False)
class Endpoint:
    """One client method, declared as data.

    Attributes:
        name: the Python method name on the client (``get_orderbook``).
        call: ``WS('depth')`` or ``REST('GET', '/fapi/v1/openInterest')``.
        security: a :class:`SecurityType`; signed types need credentials with a secret/key.
        weight: request weight, an int or a named function of the params (Binance's rule).
        required: params that must be present; a tuple entry means "at least one of these".
        orders: how many orders a successful call adds to the account's order pools.
        client_order_id: the param the SDK fills with a fresh id when the caller gave none (for a list of
            orders, ``'<list param>[].<id param>'``: every item without one gets one, e.g.
            ``'batchOrders[].newClientOrderId'``),
            so an order whose outcome is unknown can still be looked up.
        summary: one line for the generated docstring.
        text: params this row takes as text besides the market's ``MarketSpec.text_params``
            (Binance types them STRING or ENUM); a value that is not a non-empty ``str``, a
            str-valued enum member or a ``volas.TimeFrame`` is refused before sending.
        not_text: names in the market's ``text_params`` that this row takes as another type
            (USDⓈ-M ``POST /fapi/v1/positionMargin`` has an INT ``type``); not checked here.
        check: a named function of the normalised params that raises a ``ParamsException`` subclass
            for a call Binance would refuse (a conditional order type on ``order.place``, a batch over
            its maximum); the client runs it after the params are prepared and before anything is
            sent. Its first docstring line goes in the method's docs. ``None``: no check.
        pool_group: the ``PoolSpec.group`` of an endpoint-specific pool this row also draws from, one
            request per call (USDⓈ-M ``/futures/data/*``: 1000 requests / 5 min / IP); ``None``: only
            the market's general pools.
        optional: the optional params Binance documents for this call, beside ``required``. Declared,
            they make the generated method's signature, and a call with any other param fails before
            sending (:class:`~binance_core.exceptions.UnknownParamException`, naming the closest known
            one); ``recvWindow`` is always known on signed rows, and ``extra_params={...}`` passes a
            param Binance added after the row was written. ``None`` (a row that does not declare them,
            e.g. a third-party plugin's): any param is passed on, as given.
        refused: params the row knows only to refuse: its ``check`` raises for them with a message that says
            what to do instead (USDⓈ-M ``order.place`` no longer takes ``stopPrice``: use
            ``create_algo_order``), rather than the generic unknown-param refusal. Not in the signature.
        kinds: the :class:`~binance_core.paramkinds.Kind` of a param where it differs from the market's
            and :data:`~binance_core.paramkinds.KINDS` (USDⓈ-M ``positionMargin``: an INT ``type``).
    """

    name: str = attrs.field(validator=_python_name)
    call: WS | REST = attrs.field(validator=attrs.validators.instance_of((WS, REST)))
    security: SecurityType = attrs.field(validator=attrs.validators.instance_of(SecurityType))
    weight: Weight = attrs.field(default=1, validator=_check_weight)
    required: Required = attrs.field(default=(), converter=_to_tuple, validator=_check_required)
    orders: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    client_order_id: str | None = None
    summary: str = ''
    text: tuple[str, ...] = attrs.field(default=(), converter=_names, validator=_check_names)
    not_text: tuple[str, ...] = attrs.field(default=(), converter=_names, validator=_check_names)
    check: Check | None = attrs.field(default=None, validator=_check_check)
    pool_group: str | None = attrs.field(default=None, validator=_check_group)
    optional: tuple[str, ...] | None = attrs.field(default=None, converter=_optional_names, validator=_check_optional)
    refused: tuple[str, ...] = attrs.field(default=(), converter=_names, validator=_check_names)
    kinds: Mapping[str, Kind] = attrs.field(factory=dict, validator=_check_kinds, hash=False)
    # Every param a call may pass (required, optional, recvWindow on signed rows), or None: not declared.
    known: frozenset[str] | None = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        both = set(self.text) & set(self.not_text)
        if both:
            raise ValueError(f'Endpoint {self.name}: {sorted(both)} are in both text and not_text')
        known = None
        if self.optional is not None:
            required = self.required_names()
            twice = sorted(required.intersection(self.optional))
            if twice or len(set(self.optional)) != len(self.optional):
                raise ValueError(f'Endpoint {self.name}: optional params repeat a name: {twice or self.optional}')
            if self.refused and self.check is None:
                raise ValueError(f'Endpoint {self.name}: refused params need a check that explains the refusal')
            clash = sorted(set(self.refused) & (required | set(self.optional)))
            if clash:
                raise ValueError(f'Endpoint {self.name}: {clash} are both taken and refused')
            known = required.union(self.optional, self.refused, ('recvWindow',) if self.security.signed else ())
            strays = sorted(set(self.kinds) - known)
            if strays:
                raise ValueError(f'Endpoint {self.name}: kinds name params it does not take: {strays}')
        object.__setattr__(self, 'known', known)

    def required_names(self) -> frozenset[str]:
        """Every name in ``required``, alternatives included."""
        return frozenset(p for item in self.required for p in (item if isinstance(item, tuple) else (item,)))

    def text_names(self, market_text: frozenset[str]) -> frozenset[str]:
        """The params this row takes as text on a market whose ``text_params`` is *market_text*."""
        if not self.text and not self.not_text:
            return market_text
        return market_text.union(self.text).difference(self.not_text)

    def weight_for(self, params: Mapping[str, Any]) -> int:
        """The weight Binance charges for a call with these params."""
        w = self.weight
        return w if isinstance(w, int) else int(w(params))

    def missing(self, params: Mapping[str, Any]) -> list[str]:
        """Names (or ``a|b`` alternatives) of required params absent from *params*."""
        out = []
        for item in self.required:
            group = item if isinstance(item, tuple) else (item,)
            if not any(params.get(p) is not None for p in group):
                out.append('|'.join(group))
        return out

    def __repr__(self) -> str:
        weight = self.weight if isinstance(self.weight, int) else _callable_name(self.weight)
        return (
            f'Endpoint(name={self.name!r}, call={self.call!r}, security={self.security.name}, '
            f'weight={weight}, required={self.required!r}, orders={self.orders}'
            + (f', text={self.text!r}' if self.text else '')
            + (f', not_text={self.not_text!r}' if self.not_text else '')
            + (f', check={_callable_name(self.check)}' if self.check is not None else '')
            + (f', pool_group={self.pool_group!r}' if self.pool_group is not None else '')
            + ')'
        )


@attrs.frozen(kw_only=True, repr=False)
class SubParam:
    """One parameter of a stream type.

    ``convert(value)`` validates a user value and returns the string placed in the wire
    template (raise ``ValueError`` for a bad value; the core turns it into
    ``InvalidSubTypeParamException``). An optional param has a ``default`` that is passed
    through ``convert`` as well.
    """

    name: str = attrs.field(validator=_nonempty)
    convert: Callable[[Any], str] = attrs.field(validator=attrs.validators.is_callable())
    optional: bool = False
    default: Any = None

    def __repr__(self) -> str:
        opt = f', optional, default={self.default!r}' if self.optional else ''
        return f'SubParam({self.name!r}, {_callable_name(self.convert)}{opt})'


def _sub_params(value: Iterable[SubParam]) -> tuple[SubParam, ...]:
    return tuple(value)


def _check_params(instance: Any, attribute: attrs.Attribute[Any], value: tuple[SubParam, ...]) -> None:
    seen_optional = False
    names = set()
    for p in value:
        if not isinstance(p, SubParam):
            raise TypeError(f'StreamType params must be SubParam rows, got {p!r}')
        if p.name in names:
            raise ValueError(f'StreamType param {p.name!r} declared twice')
        names.add(p.name)
        if seen_optional and not p.optional:
            raise ValueError(f'required param {p.name!r} follows an optional one')
        seen_optional = seen_optional or p.optional


_SUB_NAME = re.compile(r'^[A-Z][A-Z0-9_]*$')


@attrs.frozen(kw_only=True)
class StreamType:
    """One ``SubType`` member on one market.

    Attributes:
        sub_type: the ``SubType`` member name, SCREAMING_CASE.
        wire: a ``str.format`` template over the converted params, e.g.
            ``'{symbol}@kline_{interval}'``.
        params: the positional params of ``subscribe(sub_type, *params)``, in order.
        handler: name of the handler base that receives these frames.
        connection: ``'data'`` for market streams, ``'user'`` for the user-data stream.
        path: which stream endpoint the connection rides on (USDⓈ-M splits ``public``
            from ``market``); ``None`` is the market's default.
        unsupported: non-empty when the market deliberately does not offer this SubType; the
            text (why, and what to use instead) becomes the ``UnsupportedSubTypeException``.
    """

    sub_type: str = attrs.field()
    wire: str = attrs.field(default='')
    params: tuple[SubParam, ...] = attrs.field(default=(), converter=_sub_params, validator=_check_params)
    handler: str = attrs.field(default='')
    connection: str = attrs.field(default='data', validator=attrs.validators.in_(('data', 'user')))
    path: str | None = None
    unsupported: str = ''

    @sub_type.validator
    def _check_sub_type(self, attribute: attrs.Attribute[Any], value: str) -> None:
        if not _SUB_NAME.match(value):
            raise ValueError(f'StreamType.sub_type={value!r} must be SCREAMING_CASE')

    def __attrs_post_init__(self) -> None:
        if self.connection == 'data' and not self.unsupported:
            if not self.wire:
                raise ValueError(f'StreamType {self.sub_type}: a data stream needs a wire template')
            names = {p.name for p in self.params}
            fields = set(re.findall(r'{(\w+)}', self.wire))
            if fields - names:
                raise ValueError(
                    f'StreamType {self.sub_type}: wire {self.wire!r} uses undeclared {sorted(fields - names)}'
                )

    def wire_name(self, values: Mapping[str, str]) -> str:
        return self.wire.format(**values)


@attrs.frozen(kw_only=True)
class PoolSpec:
    """A rate-limit pool a market declares.

    Attributes:
        type: ``request_weight`` | ``raw_requests`` | ``orders`` | ``ws_connections`` |
            ``ws_messages`` | ``ws_streams``.
        scope: ``ip`` | ``account`` | ``connection``.
        interval: label such as ``'1m'``, ``'10s'``, ``'1d'``; ``None`` for a cap (streams).
        limit: Binance's published limit.
        safety: fraction of ``limit`` the client lets itself use (0 < safety <= 1).
        wait: ``True`` to wait for headroom, ``False`` to fail fast (orders).
        budget: the name of a budget this pool shares with other markets' pools that name it too
            (USDⓈ-M and COIN-M count IP weight and account orders together since 2026-06-30). Every
            client in a process whose rows name the same budget draws from one counter: per IP for
            ``ip`` pools, per API key for ``account`` pools. ``None``: the market's own pool.
        group: makes this an endpoint-specific pool: only rows whose ``Endpoint.pool_group`` names it
            are charged, one request per call, besides the market's general pools (USDⓈ-M
            ``/futures/data/*``: 1000 requests / 5 min / IP). A group pool counts ``raw_requests`` over
            an interval and waits for room like weight. ``None``: a general pool, charged by every request.
    """

    type: str = attrs.field(
        validator=attrs.validators.in_(
            ('request_weight', 'raw_requests', 'orders', 'ws_connections', 'ws_messages', 'ws_streams')
        )
    )
    scope: str = attrs.field(validator=attrs.validators.in_(('ip', 'account', 'connection')))
    interval: str | None = attrs.field(default=None)
    limit: int = attrs.field(validator=attrs.validators.gt(0))
    safety: float = attrs.field(default=1.0)
    wait: bool = True
    budget: str | None = attrs.field(default=None)
    group: str | None = attrs.field(default=None, validator=_check_group)

    def __attrs_post_init__(self) -> None:
        if self.group is not None and (
            self.type != 'raw_requests' or self.interval is None or self.scope == 'connection' or not self.wait
        ):
            raise ValueError(
                f'PoolSpec group {self.group!r}: a group pool counts raw_requests over an interval, per ip or '
                f'account, and waits for room (got type={self.type!r}, interval={self.interval!r}, '
                f'scope={self.scope!r}, wait={self.wait})'
            )

    @budget.validator
    def _check_budget(self, attribute: attrs.Attribute[Any], value: str | None) -> None:
        if value is not None and (not isinstance(value, str) or not value):
            raise ValueError(f'PoolSpec budget must be a non-empty name or None, got {value!r}')
        if value is not None and self.scope == 'connection':
            raise ValueError('a connection-scoped pool cannot share a budget: each connection has its own')

    @interval.validator
    def _check_interval(self, attribute: attrs.Attribute[Any], value: str | None) -> None:
        if value is not None and interval_seconds(value) <= 0:
            raise ValueError(f'PoolSpec interval {value!r} must be positive')

    @safety.validator
    def _check_safety(self, attribute: attrs.Attribute[Any], value: float) -> None:
        if not 0 < value <= 1:
            raise ValueError(f'PoolSpec safety must be in (0, 1], got {value}')

    @property
    def effective_limit(self) -> int:
        return max(1, int(self.limit * self.safety))

    @property
    def seconds(self) -> float | None:
        return None if self.interval is None else interval_seconds(self.interval)


_UNIT_SECONDS = {'s': 1, 'm': 60, 'h': 3600, 'd': 86400}


def interval_seconds(label: str) -> int:
    """``'10s'`` -> 10, ``'1m'`` -> 60, ``'1d'`` -> 86400 (Binance's interval letters, any case)."""
    m = re.fullmatch(r'(\d+)([smhdSMHD])', label)
    if not m:
        raise ValueError(f'interval {label!r} is not <number><s|m|h|d>')
    return int(m.group(1)) * _UNIT_SECONDS[m.group(2).lower()]


@attrs.frozen(kw_only=True)
class Hosts:
    """The endpoints of one market in one environment."""

    rest: str = attrs.field(validator=_nonempty)
    ws_api: str | None = None
    stream: str = attrs.field(validator=_nonempty)

    def __attrs_post_init__(self) -> None:
        if not self.rest.startswith(('http://', 'https://')):
            raise ValueError(f'REST host {self.rest!r} must be http(s)')
        for h in (self.ws_api, self.stream):
            if h is not None and not h.startswith(('ws://', 'wss://')):
                raise ValueError(f'WebSocket host {h!r} must be ws(s)')


@attrs.frozen(kw_only=True)
class OrderBookSpec:
    """How a market's managed order book gets snapshots and checks sequence.

    Attributes:
        snapshot_endpoint: endpoint row name that returns ``lastUpdateId``/``bids``/``asks``.
        max_limit: the largest snapshot depth the market serves.
        rule: the market's :class:`~binance_core.orderbook.sequencing.SequencingRule`.
        sub_type: the ``SubType`` of the diff-depth stream a stand-alone book subscribes.
    """

    snapshot_endpoint: str
    max_limit: int = attrs.field(validator=attrs.validators.gt(0))
    rule: SequencingRule
    sub_type: str = 'ORDER_BOOK'


def _codes(value: Iterable[int]) -> frozenset[int]:
    return frozenset(value)


def _check_hosts(instance: Any, attribute: attrs.Attribute[Any], value: Mapping[str, Hosts]) -> None:
    if 'live' not in value:
        raise ValueError('MarketSpec.hosts needs a "live" entry')
    for env, h in value.items():
        if env not in ENVIRONMENTS:
            raise ValueError(f'unknown environment {env!r}; expected one of {ENVIRONMENTS}')
        if not isinstance(h, Hosts):
            raise TypeError(f'MarketSpec.hosts[{env!r}] must be Hosts, got {h!r}')


def _text_set(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        raise TypeError(f'MarketSpec.text_params must be a set of param names, not the str {value!r}')
    return frozenset(value)


@attrs.frozen(kw_only=True)
class MarketSpec:
    """A market a plugin defines.

    Attributes:
        name: short market key used by every other hook (``'spot'``, ``'usdm'``, ``'coinm'``).
        client_name: the exported class name (``'SpotClient'``).
        distribution: the distribution that provides it (named in ImportErrors).
        hosts: ``{'live': Hosts(...), 'testnet': ..., 'demo': ...}``.
        time_endpoint: endpoint row name used for time sync (returns ``serverTime``).
        orderbook: how managed books snapshot and sequence, or ``None``.
        stream_message_rate: outgoing control messages per second per stream connection.
        resign_codes: error codes that mean "timestamp outside the window, not executed", after
            which a signed request is re-signed and sent once more (``-1021``; futures add ``-5028``).
        text_params: params Binance takes as text (STRING or ENUM) on every endpoint of this market:
            symbols, client order ids, enums such as ``side``. A call passing one of them as anything
            but a non-empty ``str``, a str-valued enum member or a ``volas.TimeFrame`` fails before
            sending. A row adds names with ``Endpoint.text`` and opts out with ``Endpoint.not_text``.
            List params Binance takes as JSON arrays (``symbols``) are not text.
        param_kinds: kinds of the params this market names beyond :data:`~binance_core.paramkinds.KINDS`.
        session_logon: whether the market's WS-API offers ``session.logon`` (Spot, USDⓈ-M), so that
            Ed25519 credentials log the connection on instead of signing every request; ``False``
            (COIN-M, whose WS-API documents no session methods) signs every request on its own.
        ws_api_connect_weight: the request weight Binance charges for opening a WS-API connection
            (Spot 2, futures 5), taken from the client's weight budget before each connection.
    """

    name: str = attrs.field(validator=_python_name)
    client_name: str = attrs.field(validator=attrs.validators.matches_re(r'^[A-Z][A-Za-z0-9]*Client$'))
    distribution: str = attrs.field(validator=_nonempty)
    hosts: Mapping[str, Hosts] = attrs.field(validator=_check_hosts)
    time_endpoint: str = 'get_server_time'
    orderbook: OrderBookSpec | None = None
    stream_message_rate: int = 5
    resign_codes: frozenset[int] = attrs.field(default=frozenset({-1021}), converter=_codes)
    text_params: frozenset[str] = attrs.field(default=frozenset(), converter=_text_set, validator=_check_names)
    session_logon: bool = True
    ws_api_connect_weight: int = attrs.field(
        default=2, validator=[attrs.validators.instance_of(int), attrs.validators.ge(0)]
    )
    param_kinds: Mapping[str, Kind] = attrs.field(factory=dict, validator=_check_kinds, hash=False)

    def hosts_for(self, environment: str) -> Hosts:
        if environment not in self.hosts:
            raise ValueError(
                f'market {self.name!r} has no {environment!r} environment; choose one of {sorted(self.hosts)}'
            )
        return self.hosts[environment]
