"""Every exception the SDK raises, under one root.

::

    BinanceSDKException
     ├─ PluginError ─ PluginConflictError, InvalidRowError                     assembly time
     ├─ ParamsException
     │   ├─ FloatParamException (+TypeError)
     │   ├─ MissingParamException (+ValueError)
     │   ├─ InvalidParamException                                              a text param, not sent
     │   │   ├─ InvalidParamTypeException (+TypeError)                         not text: 123, [...], {}
     │   │   └─ InvalidParamValueException (+ValueError)                       empty text: '', '  '
     │   ├─ UnsupportedParamException (+ValueError)                            a row's check: -4120 types, batch sizes
     │   ├─ UnknownParamException (+TypeError)                                 a param the row does not know
     │   └─ CredentialsRequiredException (+ValueError)
     ├─ CredentialsException (+ValueError)                                     unreadable key
     ├─ InvalidSubParamsException (+ValueError)                                subscribe()
     │   ├─ UnsupportedSubTypeException
     │   └─ InvalidSubTypeParamException
     ├─ StatusException ─ RateLimitException (429), IPBannedException (418)    REST
     ├─ StreamSubscribeException ─ StreamRateLimitException                    WS-API errors
     ├─ UnknownOutcomeException                                                 -1007 / drop in flight
     ├─ RateLimitReachedException, TooManyStreamsException                     local limits
     ├─ TransportException                         the network edge (aiohttp/json errors, as __cause__)
     │   ├─ ConnectionFailedException (+ConnectionError)    refused, DNS, TLS, handshake: nothing sent
     │   ├─ ConnectionLostException (+ConnectionError)      dropped while waiting for an answer
     │   ├─ RequestTimeoutException (+TimeoutError)         no answer in time
     │   └─ MalformedResponseException (+ValueError)        a reply that is not Binance's JSON
     ├─ StreamAbandonedException
     ├─ ReuseHandlerException (+ValueError)
     └─ OrderBookFetchAbandonedException (+aiohttp.ClientError, as the spec promises)

Data lives on attributes; messages say what to do next and never contain a secret. No aiohttp or
``json`` exception reaches a user: ``binance_core.transport.errors`` translates them once, at the edge,
keeping the original as ``__cause__`` (the one exception is ``OrderBookFetchAbandonedException``,
which the spec promises is also an ``aiohttp.ClientError``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = [
    'BinanceSDKException',
    'ConnectionFailedException',
    'ConnectionLostException',
    'CredentialsException',
    'CredentialsRequiredException',
    'FloatParamException',
    'IPBannedException',
    'InvalidParamException',
    'InvalidParamTypeException',
    'InvalidParamValueException',
    'InvalidRowError',
    'InvalidSubParamsException',
    'InvalidSubTypeParamException',
    'MalformedResponseException',
    'MissingParamException',
    'ParamsException',
    'PluginConflictError',
    'PluginError',
    'RateLimitException',
    'RateLimitReachedException',
    'RequestTimeoutException',
    'ReuseHandlerException',
    'StatusException',
    'StreamAbandonedException',
    'StreamRateLimitException',
    'StreamSubscribeException',
    'TooManyStreamsException',
    'TransportException',
    'UnknownOutcomeException',
    'UnknownParamException',
    'UnsupportedParamException',
    'UnsupportedSubTypeException',
]


class BinanceSDKException(Exception):
    """Root of every exception raised by the SDK."""


# -- assembly -----------------------------------------------------------------------------


class PluginError(BinanceSDKException):
    """A plugin returned something the core cannot assemble."""


class PluginConflictError(PluginError):
    """Two plugins claim the same name (endpoint, SubType, handler base or market)."""


class InvalidRowError(PluginError):
    """A plugin returned a row of the wrong type, or for a market nobody defines."""


# -- params --------------------------------------------------------------------------------


class ParamsException(BinanceSDKException):
    """A call's params were rejected before anything was sent."""


class FloatParamException(ParamsException, TypeError):
    """A float was passed; Binance needs exact decimals.

    Attributes:
        param: the offending parameter name.
    """

    def __init__(self, param: str, value: float) -> None:
        self.param = param
        super().__init__(
            f'param {param!r} is a float ({value!r}); pass it as a string or Decimal, '
            f'e.g. {param}={_suggest(value)!r}, because str(float) can be inexact or use exponents'
        )


def _suggest(value: float) -> str:
    from decimal import Decimal

    return format(Decimal(repr(value)), 'f')


class MissingParamException(ParamsException, ValueError):
    """Required params were absent.

    Attributes:
        method: the client method name.
        missing: the missing names; ``'a|b'`` means one of ``a`` or ``b``.
    """

    def __init__(self, method: str, missing: list[str]) -> None:
        self.method = method
        self.missing = tuple(missing)
        super().__init__(f'{method}() is missing required params: {", ".join(missing)}')


class InvalidParamException(ParamsException):
    """A param that Binance takes as text (a symbol, a client order id, an enum such as ``side``)
    is not text or is empty; nothing was sent. Catch this class for both cases.

    Attributes:
        method: the client method name.
        param: the offending parameter name.
        value: the rejected value.
    """

    def __init__(self, method: str, param: str, value: Any, problem: str) -> None:
        self.method = method
        self.param = param
        self.value = value
        super().__init__(
            f'{method}(): param {param!r} {problem}; Binance takes it as text: pass a non-empty str'
            f'{_text_example(param)}{_hint(param, value)}'
        )


class InvalidParamTypeException(InvalidParamException, TypeError):
    """A text param was given a value of another type (``int``, ``list``, ``dict``, ``bool``,
    ``Decimal``, ``bytes``, a non-str enum member, ...)."""

    def __init__(self, method: str, param: str, value: Any) -> None:
        super().__init__(method, param, value, f'is {type(value).__name__} {_short_repr(value)}, not text')


class InvalidParamValueException(InvalidParamException, ValueError):
    """A text param was given an empty or whitespace-only string."""

    def __init__(self, method: str, param: str, value: Any) -> None:
        super().__init__(method, param, value, 'is an empty string' if not str(value) else 'is only whitespace')


class UnsupportedParamException(ParamsException, ValueError):
    """A call Binance would refuse for what its params ask, caught by the row's ``check`` before anything
    was sent: a conditional order type on the order endpoint (``-4120`` since 2025-12-09), a param Binance
    removed from it, a batch over its maximum.

    Attributes:
        method: the client method name.
        param: the offending parameter (``'batchOrders[2].type'`` inside a batch).
        value: the offending value (for a size limit, the number of items given).
        use: the client method to call instead, or ``None``.
    """

    def __init__(self, method: str, param: str, value: Any, reason: str, use: str | None = None) -> None:
        self.method = method
        self.param = param
        self.value = value
        self.use = use
        super().__init__(f'{method}(): {reason}; nothing was sent')


class UnknownParamException(ParamsException, TypeError):
    """A param the method does not take (a typo such as ``symbl=``), refused before anything was sent, as
    Python refuses an unexpected keyword argument.

    Attributes:
        method: the client method name.
        param: the unknown param.
        suggestion: the closest param the method takes, or ``None``.
    """

    def __init__(
        self, method: str, param: str, known: Iterable[str], where: str = '', refused: Iterable[str] = ()
    ) -> None:
        import difflib

        self.method = method
        self.param = where + param
        names = sorted(known)
        close = difflib.get_close_matches(param, names, n=1, cutoff=0.6)
        if not close:  # a case slip (`orderid`) is as likely as a typo
            close = [k for k in names if k.lower() == param.lower()][:1]
        self.suggestion = close[0] if close else None
        # The escape only where no known param is close: a typo is not to be sent on purpose.
        advice = (
            f'did you mean {self.suggestion!r}?'
            if self.suggestion
            else f'for a param Binance added after this SDK, pass extra_params={{{param!r}: ...}}'
        )
        # Params the method knows only to refuse (``Endpoint.refused``) may be suggested (their refusal says what
        # to do instead) but are not listed as taken.
        takes = ', '.join(n for n in names if n not in set(refused)) or 'none'
        super().__init__(f'{method}() got an unknown param {self.param!r}: {advice} It takes: {takes}.')


# Examples named in messages, by param name: a str, and the enum member that gives it.
_TEXT_EXAMPLES = {
    'symbol': "'BTCUSDT'",
    'pair': "'BTCUSD'",
    'side': "'BUY' (or OrderSide.BUY)",
    'type': "'LIMIT' (or OrderType.LIMIT)",
    'timeInForce': "'GTC' (or TimeInForce.GTC)",
    'interval': "'1h' (or a volas.TimeFrame such as TimeFrame.H1)",
    'asset': "'USDT'",
    'marginAsset': "'USDT'",
}


def _text_example(param: str) -> str:
    example = _TEXT_EXAMPLES.get(param)
    if example is None and param.endswith('ClientOrderId'):
        example = "'my-order-1'"
    if example is None:
        return ' (or a str-valued enum member)'
    return f' such as {param}={example}'


def _short_repr(value: Any) -> str:
    text = repr(value)
    return f'({text})' if len(text) <= 40 else f'({text[:37]}...)'


def _hint(param: str, value: Any) -> str:
    if param == 'symbol' and isinstance(value, list | tuple | set | frozenset):
        return "; several symbols go in 'symbols' (a list), on the methods that take it"
    return ''


class CredentialsRequiredException(ParamsException, ValueError):
    """A method that needs an API key (or a signing key) was called without one."""


class CredentialsException(BinanceSDKException, ValueError):
    """Signing material could not be loaded (unreadable file, bad PEM, wrong password)."""


# -- subscribe -----------------------------------------------------------------------------


class InvalidSubParamsException(BinanceSDKException, ValueError):
    """``subscribe()`` was called with the wrong shape or number of params."""


class UnsupportedSubTypeException(InvalidSubParamsException):
    """The SubType exists but this market does not offer it."""


class InvalidSubTypeParamException(InvalidSubParamsException):
    """A SubType param has an invalid value (bad interval, level, symbol, ...).

    Attributes:
        sub_type: the ``SubType`` member name, or ``None``.
        param: the param's name, or ``None``.
        value: the rejected value.
    """

    def __init__(
        self, message: str, *, sub_type: str | None = None, param: str | None = None, value: Any = None
    ) -> None:
        self.sub_type = sub_type
        self.param = param
        self.value = value
        super().__init__(message)


# -- REST -----------------------------------------------------------------------------------


class StatusException(BinanceSDKException):
    """A REST response with a non-2xx status.

    Attributes:
        status_code: the HTTP status.
        response: the parsed body (dict) or raw text.
        code / msg: Binance's error code and message when the body carries them.
    """

    def __init__(self, status_code: int, response: Any, message: str | None = None) -> None:
        self.status_code = status_code
        self.response = response
        self.code = response.get('code') if isinstance(response, dict) else None
        self.msg = response.get('msg') if isinstance(response, dict) else None
        super().__init__(message or f'HTTP {status_code}: {self.msg or response!r}')


class RateLimitException(StatusException):
    """HTTP 429: slow down. ``retry_after`` is in seconds (``Retry-After``), or ``None``."""

    def __init__(self, status_code: int, response: Any, retry_after: float | None) -> None:
        self.retry_after = retry_after
        super().__init__(
            status_code,
            response,
            f'HTTP {status_code} rate limited; retry after {retry_after} s. '
            'Continuing to send escalates to an IP ban (418).',
        )


class IPBannedException(RateLimitException):
    """HTTP 418: the IP is banned. ``retry_after`` is in seconds (``Retry-After``)."""


# -- WS-API ---------------------------------------------------------------------------------


class StreamSubscribeException(BinanceSDKException):
    """An error object returned by a WebSocket API (or a stream control message).

    Attributes:
        code: Binance's error code (e.g. ``-1121``).
        msg: Binance's error message.
        status: the WS-API response status (HTTP-like), when given.
        data: the error's ``data`` object, when Binance sends one. Status 409 (``order.cancelReplace``
            partly succeeded) puts both halves here: ``data['cancelResponse']`` and
            ``data['newOrderResponse']``; a placed new order is in the latter.
    """

    def __init__(self, code: int | None, msg: str, status: int | None = None, data: Any = None) -> None:
        self.code = code
        self.msg = msg
        self.status = status
        self.data = data
        super().__init__(f'{code}: {msg}' if code is not None else msg)


class StreamRateLimitException(StreamSubscribeException):
    """A WS-API rate-limit rejection (-1003, status 429/418).

    Attributes:
        retry_after: milliseconds to wait, computed from Binance's ``retryAfter``
            timestamp when present, else ``None``.
    """

    def __init__(
        self, code: int | None, msg: str, status: int | None, retry_after: int | None, data: Any = None
    ) -> None:
        self.retry_after = retry_after
        super().__init__(code, msg, status, data)


class UnknownOutcomeException(BinanceSDKException):
    """A request's outcome is unknown: the connection dropped while it was in flight, or
    Binance answered -1007 (execution status unknown). It was NOT re-sent.

    Look the order up (``get_order(origClientOrderId=e.client_order_id)``) or watch the
    user-data stream before deciding what to do.

    Attributes:
        method: the wire method of the request.
        client_order_id: the order's client id (generated when you gave none), or ``None`` (also for a
            batch: see ``client_order_ids``).
        client_order_ids: every order's client id: one for an order, one per item for a batch.
        code: ``-1007`` when Binance said so, ``None`` for a dropped connection.
    """

    def __init__(
        self, method: str, client_order_id: str | tuple[str, ...] | None, code: int | None, reason: str
    ) -> None:
        self.method = method
        ids = client_order_id if isinstance(client_order_id, tuple) else (client_order_id,) if client_order_id else ()
        self.client_order_ids: tuple[str, ...] = ids
        self.client_order_id = client_order_id if isinstance(client_order_id, str) else None
        self.code = code
        if len(ids) == 1:
            hint = f'; look it up by client order id {ids[0]!r}'
        elif ids:
            hint = f'; look them up by client order ids {list(ids)!r}'
        else:
            hint = ''
        super().__init__(f'outcome of {method} is unknown ({reason}); it was not re-sent{hint}')


# -- local limits ---------------------------------------------------------------------------


class RateLimitReachedException(BinanceSDKException):
    """The client-side order pool has no room; nothing was sent.

    Attributes:
        retry_after: seconds until the exhausted window resets.
        pool: a label of the exhausted pool, e.g. ``'orders 10s'``.
    """

    def __init__(self, pool: str, retry_after: float) -> None:
        self.pool = pool
        self.retry_after = retry_after
        super().__init__(f'{pool} budget exhausted; the order was not sent. Retry in {retry_after:.3f} s')


class TooManyStreamsException(BinanceSDKException):
    """More streams than one connection allows.

    Attributes:
        requested: how many streams the connection would carry.
        limit: the cap (1024 on Binance).
    """

    def __init__(self, requested: int, limit: int) -> None:
        self.requested = requested
        self.limit = limit
        super().__init__(f'{requested} streams requested on one connection; the limit is {limit}')


# -- the network edge -------------------------------------------------------------------------


class TransportException(BinanceSDKException):
    """The network failed us: the connection, the clock on the wire, or the bytes that came back.
    The aiohttp / json error behind it is ``__cause__``."""


class ConnectionFailedException(TransportException, ConnectionError):
    """No connection could be made (refused, DNS, TLS, WebSocket handshake): nothing was sent.

    Attributes:
        url: where the SDK tried to connect (scheme, host, port and path; never a query).
        status: the HTTP status of a refused WebSocket handshake, else ``None``.
    """

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None) -> None:
        self.url = url
        self.status = status
        super().__init__(message)


class ConnectionLostException(TransportException, ConnectionError):
    """A connection closed while a request was waiting for its answer. Only for requests that change
    nothing: an order (or, over REST, any POST/PUT/DELETE) raises ``UnknownOutcomeException`` instead."""


class RequestTimeoutException(TransportException, TimeoutError):
    """No answer within ``request_timeout``. Only for requests that change nothing: an order (or, over
    REST, any POST/PUT/DELETE) raises ``UnknownOutcomeException`` instead."""


class MalformedResponseException(TransportException, ValueError):
    """A successful reply whose body is not the JSON Binance sends (a proxy page, a cut-off body).

    Attributes:
        status: the HTTP status, or ``None`` on a WebSocket.
        body: the first 200 characters of what came back.
    """

    def __init__(self, message: str, *, status: int | None = None, body: str = '') -> None:
        self.status = status
        self.body = body[:200]
        super().__init__(message)


# -- streams --------------------------------------------------------------------------------


class StreamAbandonedException(BinanceSDKException):
    """The stream retry policy gave up reconnecting.

    Attributes:
        fails: how many consecutive failures there were.
    """

    def __init__(self, fails: int, cause: BaseException | None) -> None:
        self.fails = fails
        super().__init__(f'stream abandoned after {fails} failed attempts: {cause!r}')
        self.__cause__ = cause


class ReuseHandlerException(BinanceSDKException, ValueError):
    """A handler instance was registered on a second client."""


def _order_book_fetch_abandoned() -> type:
    import aiohttp

    class OrderBookFetchAbandonedException(BinanceSDKException, aiohttp.ClientError):
        """The order book's retry policy gave up fetching a snapshot (``orderbook.updated()`` raises it).

        It is also an ``aiohttp.ClientError``, as the spec promises. It is built on first use so that
        ``import binance`` does not import aiohttp.
        """

    OrderBookFetchAbandonedException.__module__ = __name__
    return OrderBookFetchAbandonedException


def __getattr__(name: str) -> Any:
    if name == 'OrderBookFetchAbandonedException':
        cls = globals()[name] = _order_book_fetch_abandoned()
        return cls
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
