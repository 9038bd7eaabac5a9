"""The stream transport on picows (the ``binance-sdk-core[speed]`` extra): a
:class:`~binance_core.transport.stream.StreamSocket` whose frames arrive by callback and go straight into the
connection's push path (``StreamConnection._feed``), with no task and no queue in between.

picows hands over raw frames, so this module does what aiohttp does for its reader: it joins fragmented text
messages, closes on the server's close frame, and answers pings (through the connection's message throttle,
as Binance counts pongs).

Back-pressure: when the connection says its handlers are too far behind, the socket stops reading from the
kernel (``pause_reading()`` on the asyncio transport) until they have caught up. picows still hands over the
rest of the read it is in (its buffer grows with the feed, to megabytes): those frames are kept as they came,
unparsed, and fed first when reading resumes, so the connection's backlog stays at its bound and memory at
about what the kernel would have held. Until :meth:`PicowsSocket.run` starts, frames wait the same way, as
they wait in aiohttp's buffer until its reader reads (a listenKey stream carries data from its first byte,
and during a handover the connection must know the socket is the new one before its frames count).
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import ssl
from collections import deque
from typing import TYPE_CHECKING, Any

from binance_core.exceptions import ConnectionFailedException, ConnectionLostException
from binance_core.transport.errors import safe_url
from binance_core.transport.stream import _Silence

if TYPE_CHECKING:
    from binance_core.transport.stream import StreamConnection

__all__ = ['PicowsSocket', 'connect']

# Imported by name, as jsonlib imports orjson: type checking works with and without the optional extra installed.
picows: Any = importlib.import_module('picows')

# picows's own log lines (connects, disconnects, protocol errors) go under the SDK's loggers.
log = logging.getLogger('binance.stream.picows')

_TEXT = picows.WSMsgType.TEXT
_CONTINUATION = picows.WSMsgType.CONTINUATION
_PING = picows.WSMsgType.PING
_CLOSE = picows.WSMsgType.CLOSE
# aiohttp reads messages of any size on streams (max_msg_size=0); !miniTicker@arr frames run to hundreds of KiB.
MAX_FRAME = 1 << 30
READ_BUFFER = 256 * 1024
CLOSE_WAIT = 2.0  # seconds close() waits for the server to end the connection after our close frame


def _ignore(raw: Any, sock: Any) -> None:
    """The push path of a retired socket: frames it still reads go nowhere."""
    return None


class PicowsSocket(picows.WSListener):  # type: ignore[misc]  # picows is typed Any (imported by name)
    """One stream WebSocket on picows; :func:`connect` opens it."""

    def __init__(self, conn: StreamConnection) -> None:
        super().__init__()
        self._conn = conn
        # Frames read but not fed: before run() starts, and while reading is paused (see the module docstring).
        self._unfed: deque[bytes] = deque()
        self._feed: Any = self._stash
        self._transport: Any = None
        self.retired = False
        self.silent = False
        self._closing = False
        self._paused = False
        self._parts: list[bytes] | None = None  # a fragmented text message being joined
        self._close_code: int | None = None

    # -- picows callbacks ------------------------------------------------------------------------

    def on_ws_connected(self, transport: Any) -> None:
        self._transport = transport
        transport.underlying_transport.pause_reading()  # run() reads

    def _stash(self, raw: bytes, sock: Any) -> None:
        self._unfed.append(raw)

    def on_ws_frame(self, transport: Any, frame: Any) -> None:
        if frame.msg_type is _TEXT and frame.fin:
            wait = self._feed(frame.get_payload_as_bytes(), self)
            if wait is not None:
                self._hold(wait)
            return
        self._other(transport, frame)

    def _other(self, transport: Any, frame: Any) -> None:
        kind = frame.msg_type
        if kind is _TEXT or kind is _CONTINUATION:
            if kind is _TEXT:  # the first fragment of a text message
                self._parts = [frame.get_payload_as_bytes()]
                return
            if self._parts is None:  # a continuation of a binary message: skipped with it
                self._conn._rx += 1
                return
            self._parts.append(frame.get_payload_as_bytes())
            if frame.fin:
                raw, self._parts = b''.join(self._parts), None
                wait = self._feed(raw, self)
                if wait is not None:
                    self._hold(wait)
            return
        self._conn._rx += 1
        if kind is _PING:
            self._conn._spawn(self._pong(frame.get_payload_as_bytes()))
        elif kind is _CLOSE:
            code = frame.get_close_code()
            self._close_code = int(code)
            if not transport.is_close_frame_sent:
                transport.send_close(code)
            transport.disconnect()
        # PONG: counted above (the watchdog's ping was answered); BINARY: Binance sends none on streams.

    async def _pong(self, payload: bytes) -> None:
        await self._conn._limits.message()
        if not self.closed:
            self._transport.send_pong(payload)

    def _hold(self, wait: asyncio.Future[None]) -> None:
        """Handlers are too far behind: read nothing more from the kernel, and feed nothing more, until *wait*
        is done."""
        if self._paused:
            return
        self._paused = True
        self._feed = self._stash
        self._transport.underlying_transport.pause_reading()
        wait.add_done_callback(self._resume)

    def _resume(self, _: object = None) -> None:
        """Feed what was read meanwhile, in order, then read again (unless that fills the backlog again)."""
        self._paused = False
        if self.retired:
            return
        self._feed = feed = self._conn._feed
        unfed = self._unfed
        while unfed:
            wait = feed(unfed.popleft(), self)
            if wait is not None:
                self._hold(wait)
                return
        if not self.closed:
            self._transport.underlying_transport.resume_reading()

    # -- StreamSocket ----------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._closing or self._transport is None or bool(self._transport.is_disconnected)

    async def send_text(self, text: str) -> None:
        if self.closed:
            raise ConnectionLostException('the stream connection is closed')
        self._transport.send(_TEXT, text.encode())

    async def ping(self) -> None:
        if not self.closed:
            self._transport.send_ping()

    async def close(self, code: int = 1000) -> None:
        transport = self._transport
        if transport is None or transport.is_disconnected:
            self._closing = True
            return
        if not self._closing:
            self._closing = True
            if not transport.is_close_frame_sent:
                transport.send_close(picows.WSCloseCode(code))
            transport.disconnect()  # after what is buffered, the close frame included
        try:
            async with asyncio.timeout(CLOSE_WAIT):
                await transport.wait_disconnected()
        except TimeoutError:
            transport.disconnect(graceful=False)
        except Exception:  # what ended the connection is the reader's to report, not close()'s
            pass

    def retire(self) -> None:
        self.retired = True
        self._feed = _ignore
        self._unfed.clear()
        if self._transport is not None and not self.closed:
            self._transport.underlying_transport.pause_reading()

    async def run(self) -> None:
        conn = self._conn
        self._resume()
        try:
            await self._transport.wait_disconnected()
        except Exception as exc:  # a protocol error picows detected (or a callback of ours raised)
            if self.retired or conn._closed:
                return
            raise ConnectionLostException(f'stream error: {type(exc).__name__}') from exc
        if not self.retired:
            # Frames read before the end are delivered, as aiohttp's reader reads its buffer to the close.
            feed = conn._feed
            while self._unfed:
                feed(self._unfed.popleft(), self)
        if self.silent:
            raise _Silence(f'no frame and no pong for {2 * conn._timeout:.1f} s')
        if self.retired or self._closing or conn._recycle.is_set() or conn._closed:
            return
        raise ConnectionLostException(f'stream closed by the server ({self._close_code})')


async def connect(conn: StreamConnection, url: str) -> PicowsSocket:
    """Open a WebSocket to *url* for *conn*; raises ``ConnectionFailedException`` when none can be made (nothing
    was sent), ``TimeoutError`` when the caller's deadline passes."""
    sock = PicowsSocket(conn)
    where = safe_url(url)
    try:
        transport, _ = await picows.ws_connect(
            lambda: sock,
            url,
            enable_auto_pong=False,  # pongs pass the message throttle: PicowsSocket answers them
            max_frame_size=MAX_FRAME,
            websocket_handshake_timeout=None,  # the caller bounds the whole attempt
            logger_name=log,
            max_redirects=0,  # Binance does not redirect streams; picows would log the URL (a listenKey) if it did
            read_buffer_init_size=READ_BUFFER,
        )
    except picows.WSHandshakeError as exc:
        status = int(exc.response.status) if exc.response is not None else None
        raise ConnectionFailedException(
            f'stream connect: the server refused the WebSocket handshake with HTTP {status} ({where})',
            url=where,
            status=status,
        ) from exc
    except picows.WSError as exc:
        raise ConnectionFailedException(f'stream connect: {type(exc).__name__} ({where})', url=where) from exc
    except ssl.SSLError as exc:
        raise ConnectionFailedException(
            f'stream connect: TLS failed ({where}): {type(exc).__name__}; check the host name and the system '
            'certificates',
            url=where,
        ) from exc
    except TimeoutError:
        raise
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConnectionFailedException(
            f'stream connect: cannot connect to {where} ({reason}); nothing was sent', url=where
        ) from exc
    sock._transport = transport
    return sock
