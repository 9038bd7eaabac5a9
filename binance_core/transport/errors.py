"""The one place where foreign errors become the SDK's: every transport passes what aiohttp, the
socket or ``json`` raised through :func:`translate`, so users catch only ``BinanceSDKException``
subclasses (which keep the builtin bases ``ConnectionError``, ``TimeoutError``, ``ValueError``)."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from binance_core.exceptions import (
    BinanceSDKException,
    ConnectionFailedException,
    ConnectionLostException,
    MalformedResponseException,
    RequestTimeoutException,
    TransportException,
)

__all__ = ['never_sent', 'safe_url', 'translate']


def safe_url(url: str) -> str:
    """*url* without its query and fragment, and with a listenKey path (``/ws/<key>``) cut: a signed query
    or a key that reads a user's data never reaches a message or a log."""
    parts = urlsplit(url)
    path = parts.path
    head, sep, _key = path.partition('/ws/')
    if sep:
        path = head + '/ws/…'
    return f'{parts.scheme}://{parts.netloc}{path}'


def never_sent(exc: BaseException) -> bool:
    """Whether *exc* proves the request never left: no connection was made (refused, DNS, TLS,
    a refused WebSocket handshake). Then an order may be sent again safely; after any other error
    its outcome is unknown."""
    import aiohttp

    return isinstance(exc, aiohttp.ClientConnectorError | aiohttp.WSServerHandshakeError | ConnectionFailedException)


def translate(exc: BaseException, what: str, url: str | None = None) -> BinanceSDKException:
    """The SDK exception for *exc*, raised while doing *what* (``'GET /api/v3/time'``,
    ``'WS-API connect'``); chain it with ``raise translate(exc, ...) from exc``.

    SDK exceptions come back unchanged. Messages carry the error's kind and *url* without its
    query, never the foreign message verbatim (an aiohttp response error prints the full URL).
    """
    if isinstance(exc, BinanceSDKException):
        return exc
    import aiohttp

    where = f' ({safe_url(url)})' if url else ''
    if isinstance(exc, aiohttp.WSServerHandshakeError):
        return ConnectionFailedException(
            f'{what}: the server refused the WebSocket handshake with HTTP {exc.status}{where}',
            url=safe_url(url) if url else None,
            status=exc.status,
        )
    if isinstance(exc, aiohttp.ClientConnectorCertificateError | aiohttp.ClientSSLError):
        return ConnectionFailedException(
            f'{what}: TLS failed{where}: {type(exc).__name__}; check the host name and the system certificates',
            url=safe_url(url) if url else None,
        )
    if isinstance(exc, aiohttp.ClientConnectorError):
        reason = exc.os_error.strerror or type(exc.os_error).__name__
        return ConnectionFailedException(
            f'{what}: cannot connect to {exc.host}:{exc.port} ({reason}); nothing was sent',
            url=safe_url(url) if url else None,
        )
    if isinstance(exc, TimeoutError):  # asyncio's, the socket's and aiohttp.ServerTimeoutError
        return RequestTimeoutException(f'{what}: no answer in time{where}')
    if isinstance(exc, aiohttp.InvalidURL):
        return ConnectionFailedException(f'{what}: invalid URL {safe_url(str(exc.url))!r}')
    if isinstance(exc, json.JSONDecodeError | UnicodeDecodeError):
        return MalformedResponseException(f'{what}: the reply is not valid JSON{where}')
    if isinstance(exc, aiohttp.ClientError | ConnectionError | OSError | RuntimeError):
        # ServerDisconnectedError, ClientPayloadError, ClientOSError, a reset socket, or aiohttp's
        # RuntimeError for a send on a closing WebSocket: the connection went away under us.
        return ConnectionLostException(f'{what}: the connection was lost ({type(exc).__name__}){where}')
    return TransportException(f'{what}: {type(exc).__name__}{where}')
