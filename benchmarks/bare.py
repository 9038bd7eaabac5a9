"""The baselines: what a hand-written client does with the same frames from the same server, and nothing more.

- :func:`aiohttp_stream`: ``aiohttp`` WebSocket + ``json.loads``, taking ``data`` out of each combined-stream
  message (the bare reader of issue 15).
- :func:`picows_stream`: ``picows`` + ``orjson`` doing the same in picows's frame callback (the limit of what
  Python does with these frames).
- :func:`dict_book`: either reader, applying each diff event to ``price -> qty`` dicts with the same ``Decimal``
  parsing as the SDK and reading the top of book (``max(bids)``, ``min(asks)``) once per event.
- :class:`WsApiClient`: ``aiohttp`` + ``json``: sign (HMAC), send, match the reply by id.

Each stream function returns frames per second from the first data frame to the last, like the SDK paths
(``benchmarks/worker.py``); connecting and subscribing are not timed.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Awaitable, Callable, Sequence
from decimal import Decimal
from typing import Any

import aiohttp

Rate = tuple[float, float]  # (per second of wall-clock time, per second of this process's CPU time)


class Counter:
    """Counts frames across connections; the clocks run from the first delivery to the one that reaches *n*, and
    the rates count the frames delivered in between (all but the first delivery's).

    Two clocks: wall-clock time (what a user gets) and this process's CPU time (user + system: the client's own
    cost, which a busy neighbour on a shared machine does not inflate, since the exchange in its own process is
    always the faster side). A stall in which the client waits idle shows in the first only.
    """

    __slots__ = ('c0', 'c1', 'done', 'first', 'n', 'seen', 't0', 't1')

    def __init__(self, n: int) -> None:
        self.n, self.seen, self.first = n, 0, 0
        self.t0 = self.t1 = self.c0 = self.c1 = 0.0
        self.done = asyncio.get_running_loop().create_future()

    def tick(self) -> None:
        self.seen += 1
        if self.seen == 1:
            self.t0, self.c0 = time.perf_counter(), time.process_time()
            self.first = 1
        if self.seen == self.n:
            self.t1, self.c1 = time.perf_counter(), time.process_time()
            self.done.set_result(None)

    def add(self, k: int) -> None:
        """*k* frames delivered at once (a batch)."""
        if not self.seen:
            self.t0, self.c0 = time.perf_counter(), time.process_time()
            self.first = k
        self.seen += k
        if self.seen >= self.n and not self.done.done():
            self.t1, self.c1 = time.perf_counter(), time.process_time()
            self.done.set_result(None)

    @property
    def rates(self) -> Rate:
        frames = self.seen - self.first
        return frames / (self.t1 - self.t0), frames / max(self.c1 - self.c0, 1e-9)


_ENDED = (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR)
# picows reads into a buffer this size at most per call: 256 KiB, as the SDK's picows transport, so the limit is
# not held back by its default 16 KiB.
_PICOWS = {'max_frame_size': 1 << 24, 'read_buffer_init_size': 256 * 1024}
DEADLINE = 60.0  # seconds: a run that takes longer is stuck


async def _wait(fut: asyncio.Future[Any]) -> None:
    async with asyncio.timeout(DEADLINE):
        await fut


# -- aiohttp + json ----------------------------------------------------------------------------------------------


async def _aiohttp_conn(
    session: aiohttp.ClientSession, url: str, streams: Sequence[str], tick: Callable[[], None]
) -> tuple[Any, asyncio.Task[None]]:
    ws = await session.ws_connect(url + '/stream', autoping=True, max_msg_size=0)
    await ws.send_str(json.dumps({'method': 'SUBSCRIBE', 'params': list(streams), 'id': 1}))
    ack = json.loads((await ws.receive()).data)
    if ack.get('id') != 1 or ack.get('result', 0) is not None:
        raise RuntimeError(f'SUBSCRIBE refused: {ack}')
    loads, text = json.loads, aiohttp.WSMsgType.TEXT

    async def read() -> None:
        # ws.receive() in a loop: a little leaner than `async for msg in ws`, so the baseline is not flattered.
        receive = ws.receive
        while True:
            msg = await receive()
            if msg.type is text:
                data = loads(msg.data)
                if data.get('data') is not None:
                    tick()
            elif msg.type in _ENDED:
                return

    return ws, asyncio.create_task(read())


async def aiohttp_stream(url: str, streams: Sequence[str], n: int) -> Rate:
    """Bare aiohttp + ``json.loads`` over one connection (``streams`` in one ``SUBSCRIBE``)."""
    return await aiohttp_many(url, [streams], n)


async def aiohttp_many(
    url: str,
    chunks: Sequence[Sequence[str]],
    n: int,
    fire: Callable[[], Awaitable[Any]] | None = None,
) -> Rate:
    """Bare aiohttp + ``json.loads``, one connection per chunk of streams; *fire* (if given) starts held bursts
    once every connection's ``SUBSCRIBE`` is acknowledged."""
    count = Counter(n)
    async with aiohttp.ClientSession() as session:
        conns = []
        try:
            for chunk in chunks:
                conns.append(await _aiohttp_conn(session, url, chunk, count.tick))
            if fire is not None:
                await fire()
            await _wait(count.done)
        finally:
            for ws, task in conns:
                await ws.close()
                task.cancel()
            await asyncio.gather(*(t for _, t in conns), return_exceptions=True)
    return count.rates


# -- picows + orjson ---------------------------------------------------------------------------------------------


async def picows_stream(url: str, streams: Sequence[str], n: int) -> Rate:
    """Bare picows + ``orjson.loads`` over one connection."""
    return await picows_many(url, [streams], n)


async def picows_many(
    url: str,
    chunks: Sequence[Sequence[str]],
    n: int,
    fire: Callable[[], Awaitable[Any]] | None = None,
) -> Rate:
    import orjson
    import picows
    from picows import WSMsgType

    count = Counter(n)
    tick, loads, text = count.tick, orjson.loads, WSMsgType.TEXT
    loop = asyncio.get_running_loop()

    class Reader(picows.WSListener):
        def __init__(self) -> None:
            self.ack: asyncio.Future[Any] = loop.create_future()

        def on_ws_frame(self, transport: Any, frame: Any) -> None:
            if frame.msg_type is text:
                data = loads(frame.get_payload_as_memoryview())
                if data.get('data') is not None:
                    tick()
                elif not self.ack.done():
                    self.ack.set_result(data)
            elif frame.msg_type is WSMsgType.CLOSE:
                transport.disconnect()

    transports = []
    try:
        for chunk in chunks:
            transport, reader = await picows.ws_connect(Reader, url + '/stream', **_PICOWS)
            transports.append(transport)
            transport.send(text, orjson.dumps({'method': 'SUBSCRIBE', 'params': list(chunk), 'id': 1}))
            await _wait(reader.ack)
        if fire is not None:
            await fire()
        await _wait(count.done)
    finally:
        for transport in transports:
            transport.send_close()
            transport.disconnect()
        await asyncio.gather(*(t.wait_disconnected() for t in transports), return_exceptions=True)
    return count.rates


# -- a plain dict book -------------------------------------------------------------------------------------------


class DictBook:
    """``price -> qty`` dicts: the snapshot, then each event's levels (qty 0 removes), and the top of book
    (``[price, qty]`` of the best bid and ask) read once per event.

    The best prices are kept as the levels change and found again with ``max()`` / ``min()`` only when the best
    level itself goes away, which is how a hand-written book reads its top cheaply. ``scan=True`` calls ``max()``
    / ``min()`` on every event instead (the in-process ``bench_orderbook.py`` baseline): O(levels) per event, so
    on a deep book it flatters the SDK.
    Events that arrive before the snapshot are buffered and applied when it is loaded (Binance's procedure), as
    the managed book does; like the managed handler's ``receive``, every event counts when it arrives.
    """

    def __init__(self, n: int, scan: bool = False) -> None:
        self.count = Counter(n)
        self.scan = scan  # read the top with max() / min() on every event instead
        self.bids: dict[Decimal, Decimal] = {}
        self.asks: dict[Decimal, Decimal] = {}
        self.best_bid: Decimal | None = None
        self.best_ask: Decimal | None = None
        self.last_id = 0
        self.top: tuple[Any, Any] = (None, None)
        self.buffer: list[dict[str, Any]] | None = []

    def load(self, snapshot: dict[str, Any]) -> None:
        self.bids = {Decimal(p): Decimal(q) for p, q in snapshot['bids']}
        self.asks = {Decimal(p): Decimal(q) for p, q in snapshot['asks']}
        self.best_bid, self.best_ask = max(self.bids), min(self.asks)
        self.last_id = snapshot['lastUpdateId']
        buffered, self.buffer = self.buffer or [], None
        for event in buffered:
            self._apply(event)

    def apply(self, event: dict[str, Any]) -> None:
        if self.buffer is not None:
            self.buffer.append(event)
        else:
            self._apply(event)
        self.count.tick()

    def _apply(self, event: dict[str, Any]) -> None:
        if event['u'] <= self.last_id:  # Binance: drop events the snapshot already holds
            return
        bids, asks, best_bid, best_ask = self.bids, self.asks, self.best_bid, self.best_ask
        for p, q in event['b']:
            price, amount = Decimal(p), Decimal(q)
            if amount:
                bids[price] = amount
                if best_bid is None or price > best_bid:
                    best_bid = price
            elif bids.pop(price, None) is not None and price == best_bid:
                best_bid = None
        for p, q in event['a']:
            price, amount = Decimal(p), Decimal(q)
            if amount:
                asks[price] = amount
                if best_ask is None or price < best_ask:
                    best_ask = price
            elif asks.pop(price, None) is not None and price == best_ask:
                best_ask = None
        if best_bid is None or self.scan:
            best_bid = max(bids)
        if best_ask is None or self.scan:
            best_ask = min(asks)
        self.best_bid, self.best_ask, self.last_id = best_bid, best_ask, event['u']
        self.top = ([best_bid, bids[best_bid]], [best_ask, asks[best_ask]])  # once per event


async def dict_book(
    stream_url: str,
    ws_api_url: str,
    stream: str,
    n: int,
    fire: Callable[[], Awaitable[Any]],
    *,
    fast: bool = False,
    scan: bool = False,
) -> DictBook:
    """Subscribe *stream* (a ``@depth`` stream held by the exchange), fetch the snapshot over the WS-API, load it,
    then *fire* the held events and apply *n* of them.

    *fast*: read with picows + orjson instead of aiohttp + json. *scan*: read the top with ``max()`` / ``min()``
    on every event.
    """
    book = DictBook(n, scan)
    symbol = stream.partition('@')[0].upper()
    async with aiohttp.ClientSession() as session:
        if fast:
            reader = _picows_book_reader(stream_url, stream, book)
        else:
            reader = _aiohttp_book_reader(session, stream_url, stream, book)
        subscribed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        task = asyncio.create_task(reader(subscribed))
        try:
            await _wait(subscribed)
            async with session.ws_connect(ws_api_url) as api:
                await api.send_str(
                    json.dumps({'id': 1, 'method': 'depth', 'params': {'symbol': symbol, 'limit': 5000}})
                )
                reply = json.loads((await api.receive()).data)
            book.load(reply['result'])
            await fire()
            await _wait(book.count.done)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
    return book


def _aiohttp_book_reader(session: aiohttp.ClientSession, url: str, stream: str, book: DictBook) -> Any:
    async def run(subscribed: asyncio.Future[None]) -> None:
        loads, apply, text = json.loads, book.apply, aiohttp.WSMsgType.TEXT
        async with session.ws_connect(url + '/stream', max_msg_size=0) as ws:
            await ws.send_str(json.dumps({'method': 'SUBSCRIBE', 'params': [stream], 'id': 1}))
            receive = ws.receive
            while True:
                msg = await receive()
                if msg.type is not text:
                    if msg.type in _ENDED:
                        return
                    continue
                data = loads(msg.data)
                payload = data.get('data')
                if payload is not None:
                    apply(payload)
                elif data.get('id') == 1 and not subscribed.done():
                    subscribed.set_result(None)

    return run


def _picows_book_reader(url: str, stream: str, book: DictBook) -> Any:
    async def run(subscribed: asyncio.Future[None]) -> None:
        import orjson
        import picows
        from picows import WSMsgType

        loads, apply, text = orjson.loads, book.apply, WSMsgType.TEXT

        class Reader(picows.WSListener):
            def on_ws_frame(self, transport: Any, frame: Any) -> None:
                if frame.msg_type is text:
                    data = loads(frame.get_payload_as_memoryview())
                    payload = data.get('data')
                    if payload is not None:
                        apply(payload)
                    elif data.get('id') == 1 and not subscribed.done():
                        subscribed.set_result(None)

        transport, _ = await picows.ws_connect(Reader, url + '/stream', **_PICOWS)
        try:
            transport.send(text, orjson.dumps({'method': 'SUBSCRIBE', 'params': [stream], 'id': 1}))
            await transport.wait_disconnected()
        finally:
            transport.send_close()
            transport.disconnect()

    return run


# -- WS-API ------------------------------------------------------------------------------------------------------


def _payload(params: dict[str, Any]) -> str:
    return '&'.join(f'{k}={params[k]}' for k in sorted(params))


class WsApiClient:
    """The minimum a hand-written WS-API client does: sign (HMAC-SHA256), ``json.dumps``, send, match by id."""

    def __init__(self, url: str, key: str, secret: str) -> None:
        self.url, self.key, self.secret = url, key, secret.encode()
        self.ids = itertools.count(1)
        self.waiting: dict[int, asyncio.Future[Any]] = {}

    async def __aenter__(self) -> WsApiClient:
        self.session = aiohttp.ClientSession()
        self.ws = await self.session.ws_connect(self.url, max_msg_size=0)
        self.reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.ws.close()
        await self.session.close()
        await asyncio.gather(self.reader, return_exceptions=True)

    async def _read(self) -> None:
        receive, loads, waiting, text = self.ws.receive, json.loads, self.waiting, aiohttp.WSMsgType.TEXT
        while True:
            msg = await receive()
            if msg.type is not text:
                if msg.type in _ENDED:
                    return
                continue
            data = loads(msg.data)
            fut = waiting.pop(data.get('id'), None)
            if fut is not None:
                fut.set_result(data)

    async def call(self, method: str, params: dict[str, Any]) -> Any:
        rid = next(self.ids)
        fut = asyncio.get_running_loop().create_future()
        self.waiting[rid] = fut
        await self.ws.send_str(json.dumps({'id': rid, 'method': method, 'params': params}))
        data = await fut
        if data['status'] != 200:
            raise RuntimeError(data)
        return data['result']

    async def account(self) -> Any:
        params: dict[str, Any] = {'apiKey': self.key, 'timestamp': int(time.time() * 1000)}
        params['signature'] = hmac.new(self.secret, _payload(params).encode(), hashlib.sha256).hexdigest()
        return await self.call('account.status', params)
