"""Market-stream dict path: frames per second of a counting handler through SpotClient, next to bare readers
of the same frames in the same run, with the exchange side in ANOTHER PROCESS.

    python benchmarks/bench_stream_path.py [-n FRAMES] [-r ROUNDS] [--streams 3000]

The server is a minimal WebSocket server (raw asyncio, no aiohttp, so that it costs the client's core
nothing): it answers ``SUBSCRIBE`` like Binance and, when told over a control connection, writes
pre-built trade frames as fast as the socket takes them, round-robin over each connection's streams.
Every case runs in a fresh interpreter (the JSON library and the transport are picked at import),
and cases are interleaved over several rounds; the median of each is printed:

- ``bare aiohttp + json``: ``async for msg in ws: json.loads(msg.data)``, counting;
- ``bare picows + orjson``: a ``WSListener`` doing ``orjson.loads(frame.get_payload_as_bytes())``;
- ``SDK aiohttp + json`` (``BINANCE_TRANSPORT=aiohttp BINANCE_JSON=json``): the default install;
  target >= 0.9x the bare aiohttp reader;
- ``SDK aiohttp + orjson`` and ``SDK picows + orjson`` (the ``[speed]`` extra): the latter's target is
  >= 0.6x the bare picows reader;
- ``SDK many streams``: ``spread_streams=True`` and ``--streams`` trade streams (about every Spot symbol)
  over as many connections as the 1024-stream cap needs, on the default transport.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

TRADE = (
    '{{"stream":"{stream}","data":{{"e":"trade","E":1672515782136,"s":"{symbol}","t":{t},"p":"0.00102300",'
    '"q":"12.50000000","T":1672515782136,"m":true,"M":true}}}}'
)
_GUID = b'258EAFA5-E914-47DA-95CA-C5AB0DC85B11'


# -- the server (its own process) -------------------------------------------------------------------------


def _frame(payload: bytes, opcode: int = 1) -> bytes:
    """One unmasked server frame."""
    n = len(payload)
    if n < 126:
        head = bytes((0x80 | opcode, n))
    elif n < 65536:
        head = bytes((0x80 | opcode, 126)) + n.to_bytes(2, 'big')
    else:
        head = bytes((0x80 | opcode, 127)) + n.to_bytes(8, 'big')
    return head + payload


class _Conn:
    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self.writer = writer
        self.streams: list[str] = []
        self.blob = b''


class Server:
    def __init__(self) -> None:
        self.data: set[_Conn] = set()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b'\r\n\r\n')
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()
            return
        lines = head.decode('latin-1').split('\r\n')
        path = lines[0].split(' ')[1]
        key = next(line.split(':', 1)[1].strip() for line in lines if line.lower().startswith('sec-websocket-key'))
        accept = base64.b64encode(hashlib.sha1(key.encode() + _GUID).digest()).decode()
        writer.write(
            'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
            f'Sec-WebSocket-Accept: {accept}\r\n\r\n'.encode()
        )
        conn = _Conn(writer)
        control = path.startswith('/control')
        if not control:
            self.data.add(conn)
        try:
            while True:
                opcode, payload = await self._read_frame(reader)
                if opcode == 8:
                    writer.write(_frame(b'\x03\xe8', 8))
                    break
                if opcode == 9:
                    writer.write(_frame(payload, 10))
                elif opcode == 1:
                    msg = json.loads(payload)
                    if control:
                        await self.command(conn, msg)
                    else:
                        if msg.get('method') == 'SUBSCRIBE':
                            conn.streams.extend(msg['params'])
                        elif msg.get('method') == 'UNSUBSCRIBE':
                            gone = set(msg['params'])
                            conn.streams = [s for s in conn.streams if s not in gone]
                        writer.write(_frame(json.dumps({'result': None, 'id': msg.get('id')}).encode()))
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self.data.discard(conn)
            writer.close()

    @staticmethod
    async def _read_frame(reader: asyncio.StreamReader) -> tuple[int, bytes]:
        b1, b2 = await reader.readexactly(2)
        n = b2 & 0x7F
        if n == 126:
            n = int.from_bytes(await reader.readexactly(2), 'big')
        elif n == 127:
            n = int.from_bytes(await reader.readexactly(8), 'big')
        mask = await reader.readexactly(4) if b2 & 0x80 else b''
        data = await reader.readexactly(n)
        if mask:
            key = int.from_bytes((mask * (n // 4 + 1))[:n], 'big')
            data = (int.from_bytes(data, 'big') ^ key).to_bytes(n, 'big')
        return b1 & 0x0F, data

    async def command(self, control: _Conn, msg: dict[str, Any]) -> None:
        conns = [c for c in self.data if c.streams]
        if 'prepare' in msg:  # build every connection's frames before the clock starts
            n = msg['prepare']
            for c in conns:
                streams = c.streams
                k = len(streams)
                c.blob = b''.join(
                    _frame(
                        TRADE.format(
                            stream=streams[i % k], symbol=streams[i % k].partition('@')[0].upper(), t=i
                        ).encode()
                    )
                    for i in range(n)
                )
            reply = {'ready': n * len(conns)}
        else:  # go
            await asyncio.gather(*(self._blast(c) for c in conns))
            reply = {'sent': len(conns)}
        control.writer.write(_frame(json.dumps(reply).encode()))

    @staticmethod
    async def _blast(conn: _Conn) -> None:
        blob, step = memoryview(conn.blob), 1 << 18
        for i in range(0, len(blob), step):
            conn.writer.write(blob[i : i + step])
            await conn.writer.drain()


async def serve() -> None:
    server = Server()
    srv = await asyncio.start_server(server.handle, '127.0.0.1', 0)
    print(srv.sockets[0].getsockname()[1], flush=True)
    async with srv:
        await srv.serve_forever()


# -- the cases (each in its own process) ---------------------------------------------------------------------


async def _control(port: int, n: int) -> tuple[Any, Any]:
    import aiohttp

    session = aiohttp.ClientSession()
    ws = await session.ws_connect(f'ws://127.0.0.1:{port}/control')
    await ws.send_str(json.dumps({'prepare': n}))
    await ws.receive()
    return session, ws


async def _timed(port: int, n: int, total_of: Any, done: asyncio.Event) -> tuple[float, float]:
    """(frames per wall-clock second, frames per second of this process's CPU time)."""
    session, ws = await _control(port, n)
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        await ws.send_str('{"go": true}')
        async with asyncio.timeout(300):
            await done.wait()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        return total_of() / wall, total_of() / cpu
    finally:
        await ws.close()
        await session.close()


async def bare_aiohttp(port: int, n: int) -> tuple[float, float]:
    import aiohttp

    done = asyncio.Event()
    seen = 0
    async with aiohttp.ClientSession() as session, session.ws_connect(f'ws://127.0.0.1:{port}/stream') as ws:
        await ws.send_str(json.dumps({'method': 'SUBSCRIBE', 'params': ['bnbbtc@trade'], 'id': 1}))
        await ws.receive()

        async def read() -> None:
            nonlocal seen
            loads = json.loads
            async for msg in ws:
                loads(msg.data)
                seen += 1
                if seen == n:
                    done.set()
                    return

        reader = asyncio.create_task(read())
        rate = await _timed(port, n, lambda: seen, done)
        await reader
        return rate


async def bare_picows(port: int, n: int) -> tuple[float, float]:
    import orjson
    import picows

    done = asyncio.Event()
    loads = orjson.loads
    TEXT = picows.WSMsgType.TEXT

    class Reader(picows.WSListener):  # type: ignore[misc]
        seen = 0

        def on_ws_frame(self, transport: picows.WSTransport, frame: picows.WSFrame) -> None:
            if frame.msg_type is TEXT:
                loads(frame.get_payload_as_bytes())
                self.seen += 1
                if self.seen == 1:  # the ack
                    acked.set()
                elif self.seen == n + 1:
                    done.set()

    acked = asyncio.Event()
    transport, reader = await picows.ws_connect(Reader, f'ws://127.0.0.1:{port}/stream')
    transport.send(TEXT, json.dumps({'method': 'SUBSCRIBE', 'params': ['bnbbtc@trade'], 'id': 1}).encode())
    await acked.wait()
    rate = await _timed(port, n, lambda: reader.seen - 1, done)
    transport.disconnect()
    return rate


async def sdk(port: int, n: int, streams: int) -> tuple[float, float]:
    from binance import SpotClient, SubType, TradeHandlerBase

    done = asyncio.Event()
    total = n * (1 if streams == 1 else -(-streams // 1024))

    class Counting(TradeHandlerBase):
        seen = 0

        def receive(self, payload: Any) -> None:
            self.seen += 1
            if self.seen == total:
                done.set()

    handler = Counting()
    host = f'ws://127.0.0.1:{port}'
    kwargs: dict[str, Any] = {'spread_streams': True} if streams > 1 else {}
    async with SpotClient(stream_host=host, rest_host='http://127.0.0.1:1', **kwargs) as spot:
        spot.handler(handler)
        symbols = ['BNBBTC'] if streams == 1 else [f'S{i:04d}USDT' for i in range(streams)]
        await spot.subscribe(SubType.TRADE, symbols)
        return await _timed(port, n, lambda: handler.seen, done)


CASES: dict[str, tuple[dict[str, str], str]] = {
    'bare aiohttp + json': ({}, 'bare_aiohttp'),
    'bare picows + orjson': ({}, 'bare_picows'),
    'SDK aiohttp + json': ({'BINANCE_TRANSPORT': 'aiohttp', 'BINANCE_JSON': 'json'}, 'sdk'),
    'SDK aiohttp + orjson': ({'BINANCE_TRANSPORT': 'aiohttp'}, 'sdk'),
    'SDK picows + orjson': ({'BINANCE_TRANSPORT': 'picows'}, 'sdk'),
}


def _run_case(name: str, port: int, n: int, streams: int) -> tuple[float, float]:
    env, fn = CASES[name] if name in CASES else ({}, 'sdk')
    out = subprocess.run(
        [sys.executable, __file__, '--case', fn, '--port', str(port), '-n', str(n), '--streams', str(streams)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        print(f'{name}: failed\n{out.stderr[-2000:]}', file=sys.stderr)
        return float('nan'), float('nan')
    wall, cpu = out.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('-n', type=int, default=200_000, help='frames per case (per connection when spread)')
    parser.add_argument('-r', '--rounds', type=int, default=3)
    parser.add_argument('--streams', type=int, default=3000, help='trade streams of the many-streams case (0: skip)')
    parser.add_argument('--only', help='comma-separated case names to run (default: all)')
    parser.add_argument('--case')
    parser.add_argument('--port', type=int)
    parser.add_argument('--serve', action='store_true')
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve())
        return
    if args.case:
        fn = {'bare_aiohttp': bare_aiohttp, 'bare_picows': bare_picows}.get(args.case)
        coro = fn(args.port, args.n) if fn is not None else sdk(args.port, args.n, args.streams)
        print(*asyncio.run(coro))
        return

    server = subprocess.Popen([sys.executable, __file__, '--serve'], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        names = [n.strip() for n in args.only.split(',')] if args.only else list(CASES)
        names = list(dict.fromkeys(['bare aiohttp + json', *names]))
        rates: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
        many: list[tuple[float, float]] = []
        for _ in range(args.rounds):
            for name in names:
                rates[name].append(_run_case(name, port, args.n, 1))
            if args.streams:
                many.append(_run_case('many', port, max(args.n // 4, 1000), args.streams))
    finally:
        server.terminate()
        server.wait()
    wall = {name: statistics.median(r[0] for r in rs) for name, rs in rates.items()}
    cpu = {name: statistics.median(r[1] for r in rs) for name, rs in rates.items()}
    print(f'{args.n} trade frames per case, median of {args.rounds} rounds, server in its own process')
    print("frames/s by the wall clock, and per second of the client process's CPU time (steadier on a busy machine)")
    targets = {
        'SDK aiohttp + json': ('bare aiohttp + json', 0.9),
        'SDK aiohttp + orjson': ('bare aiohttp + json', None),
        'SDK picows + orjson': ('bare picows + orjson', 0.6),
    }
    print(f'{"":<22} {"wall":>9} {"cpu":>9}   ratios (wall / cpu)')
    for name in names:
        line = f'{name:<22} {wall[name]:>9.0f} {cpu[name]:>9.0f}'
        if name in targets and targets[name][0] in wall:
            base, target = targets[name]
            rw, rc = wall[name] / wall[base], cpu[name] / cpu[base]
            line += f'   {rw:.2f}x / {rc:.2f}x {base}'
            if target is not None:
                line += f' (target >= {target}: {"met" if min(rw, rc) >= target else "check"})'
            if base != 'bare aiohttp + json':
                aio = 'bare aiohttp + json'
                line += f'; {wall[name] / wall[aio]:.2f}x / {cpu[name] / cpu[aio]:.2f}x {aio}'
        print(line)
    if args.streams:
        conns = -(-args.streams // 1024)
        mw = statistics.median(r[0] for r in many)
        mc = statistics.median(r[1] for r in many)
        print(
            f'{"SDK many streams":<22} {mw:>9.0f} {mc:>9.0f}   {args.streams} trade streams over {conns} connections '
            f'(spread_streams=True, default transport); {max(args.n // 4, 1000)} frames per connection'
        )


if __name__ == '__main__':
    main()
