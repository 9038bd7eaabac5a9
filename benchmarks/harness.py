"""The exchange side of the benchmarks, in its own process: a loopback server speaking Binance's combined-stream
and WS-API wire that sends pre-encoded bursts as fast as the socket takes them.

Why not the test kit's ``FakeExchange``: it encodes and awaits every frame in Python (``push_many``), which is
slower than the fastest reader measured here, so every ratio against that reader would read as parity. This
server writes each burst as one pre-built byte string straight to the socket, and answers WS-API requests from
pre-encoded results, on ``picows`` (a few µs per request): the client is always the slower side.

Wire (one port, 127.0.0.1 only):

- ``/stream`` — Binance's combined stream: ``SUBSCRIBE`` / ``UNSUBSCRIBE`` / ``LIST_SUBSCRIPTIONS`` answered
  ``{"result": ..., "id": n}``, data as ``{"stream": ..., "data": ...}``; pings answered. Point a client at
  ``ws://127.0.0.1:<port>/burst/<n>`` (its ``stream_host``) and each stream it subscribes gets a burst of *n*
  frames right after the acknowledgement: ``<symbol>@trade`` streams *n* trades each (several streams in one
  ``SUBSCRIBE``: interleaved), a ``<symbol>@depth...`` stream *n* diff events that follow the ``depth``
  snapshot. ``/hold/<n>`` prepares the same bursts but sends them on ``FIRE`` (below), on every connection at
  once: for many streams spread over several connections, and for books, which must have loaded their snapshot
  before the events arrive (else a burst is only buffered, and applied outside the clock).
- ``/ws-api/v3`` — ``ping``, ``time``, ``account.status``, ``depth`` (the snapshot the diff events follow),
  ``session.logon``: status 200 with ``rateLimits``, as Binance answers. Signatures are not verified (the test
  suite proves them); the server stays cheap.
- ``/control`` — ``{"method": "FIRE"}`` sends every held burst and answers the number of frames.

The parent side is :class:`ExchangeProcess`: it starts ``python -m benchmarks.harness``, reads the port from the
child's first line of output, and stops it by closing the child's standard input.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import pathlib
import re
import subprocess
import sys
import threading
import time
from typing import Any

from benchmarks import wire

ROOT = pathlib.Path(__file__).resolve().parents[1]

_STREAM_PATH = re.compile(r'(?:/(burst|hold)/(\d+))?/stream')
_RATE_LIMITS = b'[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000,"count":42}]'
_ACCOUNT = {
    'makerCommission': 15,
    'takerCommission': 15,
    'buyerCommission': 0,
    'sellerCommission': 0,
    'canTrade': True,
    'canWithdraw': True,
    'canDeposit': True,
    'brokered': False,
    'requireSelfTradePrevention': False,
    'preventSor': False,
    'updateTime': wire.T0,
    'accountType': 'SPOT',
    'balances': [
        {'asset': a, 'free': f'{i + 1}.00000000', 'locked': '0.00000000'}
        for i, a in enumerate(('BTC', 'ETH', 'BNB', 'USDT', 'LTC'))
    ],
    'permissions': ['SPOT'],
    'uid': 354937868,
}


class ExchangeProcess:
    """Runs the benchmark exchange in a child process (``with ExchangeProcess() as ex: ex.port``).

    Args:
        book_events: diff events the child prepares for ``@depth`` bursts (the most a burst can ask for).
        python: the interpreter for the child (default: this one).

    Attributes:
        port: the child's port on 127.0.0.1, once started.
    """

    def __init__(self, book_events: int = 20_000, python: str | None = None) -> None:
        self.book_events = book_events
        self.python = python or sys.executable
        self.port: int | None = None
        self._proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> ExchangeProcess:
        env = {**os.environ, 'PYTHONPATH': os.pathsep.join(filter(None, (str(ROOT), os.environ.get('PYTHONPATH'))))}
        env.pop('BENCH_BLOCK', None)
        self._proc = subprocess.Popen(
            [self.python, '-m', 'benchmarks.harness', '--book-events', str(self.book_events)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            self._proc.wait(10)
            raise RuntimeError(f'the benchmark exchange did not start (exit code {self._proc.returncode})')
        self.port = json.loads(line)['port']
        return self

    def __exit__(self, *exc: object) -> None:
        proc = self._proc
        if proc is None:
            return
        assert proc.stdin is not None
        proc.stdin.close()  # the child's signal to stop
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def base(self, kind: str = 'ws') -> str:
        return f'{kind}://127.0.0.1:{self.port}'


# -- the child: the server ----------------------------------------------------------------------------------------


def _serve(book_events: int) -> None:
    try:
        import orjson
        import picows
    except ImportError:
        sys.exit('the benchmark exchange needs picows and orjson: run `bash scripts/bench`, which installs them')

    from picows import WSMsgType

    # Every burst crosses the transport's high-water mark by design: picows's notes about it are not news.
    logging.getLogger('picows').setLevel(logging.ERROR)
    loads, odumps = orjson.loads, orjson.dumps
    snapshot, events, _ = wire.book(book_events)
    snapshot_json = odumps(snapshot)
    results = {
        'ping': b'{}',
        'time': None,  # now
        'account.status': odumps(_ACCOUNT),
        'depth': snapshot_json,
        'session.logon': odumps({'apiKey': 'bench', 'authorizedSince': wire.T0, 'connectedSince': wire.T0}),
    }
    bursts: dict[tuple[tuple[str, ...], int], bytes] = {}
    held: list[tuple[Any, bytes, int]] = []

    def burst(streams: tuple[str, ...], n: int) -> bytes:
        key = (streams, n)
        blob = bursts.get(key)
        if blob is None:
            if len(streams) == 1 and '@depth' in streams[0]:
                if n > len(events):
                    raise ValueError(f'asked for {n} depth events; the exchange was started with --book-events {n}')
                blob = wire.depth_burst(streams[0], events[:n])
            else:
                blob = wire.trade_burst(streams, n)
            bursts[key] = blob
        return blob

    def close_frame(transport: Any, frame: Any) -> None:
        transport.send_close(frame.get_close_code(), frame.get_close_message())
        transport.disconnect()

    class Stream(picows.WSListener):
        def __init__(self, mode: str | None, n: int) -> None:
            self.mode, self.n = mode, n
            self.streams: dict[str, None] = {}

        def on_ws_frame(self, transport: Any, frame: Any) -> None:
            kind = frame.msg_type
            if kind is WSMsgType.CLOSE:
                close_frame(transport, frame)
                return
            if kind is not WSMsgType.TEXT:
                return
            msg = loads(frame.get_payload_as_memoryview())
            method, rid, params = msg.get('method'), msg.get('id'), msg.get('params') or []
            if method == 'SUBSCRIBE':
                new = tuple(p for p in params if p not in self.streams)
                self.streams.update(dict.fromkeys(params))
                transport.send(WSMsgType.TEXT, odumps({'result': None, 'id': rid}))
                if self.mode and new:
                    self._burst(transport, new)
            elif method == 'UNSUBSCRIBE':
                for p in params:
                    self.streams.pop(p, None)
                transport.send(WSMsgType.TEXT, odumps({'result': None, 'id': rid}))
            elif method == 'LIST_SUBSCRIPTIONS':
                transport.send(WSMsgType.TEXT, odumps({'result': list(self.streams), 'id': rid}))
            else:
                transport.send(WSMsgType.TEXT, odumps({'error': {'code': 2, 'msg': 'Invalid request'}, 'id': rid}))

        def _burst(self, transport: Any, new: tuple[str, ...]) -> None:
            groups = [((s,), self.n) for s in new if '@depth' in s]
            trades = tuple(s for s in new if '@depth' not in s)
            if trades:
                groups.append((trades, self.n * len(trades)))
            for streams, frames in groups:
                blob = burst(streams, self.n)
                if self.mode == 'hold':
                    held.append((transport, blob, frames))
                else:
                    # One write: the event loop's transport buffers what the socket cannot take yet, and the
                    # client's reading pace sets the rate.
                    transport.underlying_transport.write(blob)

    class WsApi(picows.WSListener):
        def on_ws_frame(self, transport: Any, frame: Any) -> None:
            kind = frame.msg_type
            if kind is WSMsgType.CLOSE:
                close_frame(transport, frame)
                return
            if kind is not WSMsgType.TEXT:
                return
            msg = loads(frame.get_payload_as_memoryview())
            method, rid = msg.get('method'), odumps(msg.get('id'))
            if method not in results:
                error = b'{"code":-1100,"msg":"unknown method"}'
                transport.send(WSMsgType.TEXT, b'{"id":%s,"status":400,"error":%s}' % (rid, error))
                return
            result = results[method]
            if result is None:
                result = b'{"serverTime":%d}' % int(time.time() * 1000)
            reply = b'{"id":%s,"status":200,"result":%s,"rateLimits":%s}' % (rid, result, _RATE_LIMITS)
            transport.send(WSMsgType.TEXT, reply)

    class Control(picows.WSListener):
        def on_ws_frame(self, transport: Any, frame: Any) -> None:
            kind = frame.msg_type
            if kind is WSMsgType.CLOSE:
                close_frame(transport, frame)
                return
            if kind is not WSMsgType.TEXT:
                return
            msg = loads(frame.get_payload_as_memoryview())
            if msg.get('method') != 'FIRE':
                transport.send(WSMsgType.TEXT, odumps({'error': 'unknown method', 'id': msg.get('id')}))
                return
            total = 0
            fired = held[:]
            held.clear()
            for target, blob, frames in fired:
                if not target.is_disconnected:
                    target.underlying_transport.write(blob)
                    total += frames
            transport.send(WSMsgType.TEXT, odumps({'result': total, 'id': msg.get('id')}))

    def route(request: Any) -> Any:
        path = request.path.decode().partition('?')[0]
        if path.startswith('/ws-api/'):
            return WsApi()
        if path == '/control':
            return Control()
        m = _STREAM_PATH.fullmatch(path)
        if m is not None:
            return Stream(m[1], int(m[2] or 0))
        return None

    async def main() -> None:
        try:
            os.nice(-5)  # the exchange must stay the faster side on a busy machine; it needs little CPU
        except OSError:  # not allowed: run at the usual priority
            pass
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()

        def wait_for_eof() -> None:
            sys.stdin.read()
            loop.call_soon_threadsafe(stop.set)

        server = await picows.ws_create_server(route, '127.0.0.1', 0, max_frame_size=1 << 24)
        port = server.sockets[0].getsockname()[1]
        print(json.dumps({'port': port}), flush=True)
        threading.Thread(target=wait_for_eof, daemon=True).start()
        await stop.wait()
        server.close()

    asyncio.run(main())


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description='the benchmark exchange (started by ExchangeProcess)')
    parser.add_argument('--book-events', type=int, default=20_000)
    _serve(parser.parse_args().book_events)
