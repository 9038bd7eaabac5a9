"""The client side of one configuration, in its own process: every SDK path next to its baselines, alternating,
against the benchmark exchange (``benchmarks/harness.py``) running in another process.

    python -m benchmarks.worker --port PORT --config plain|speed [--reps 7] [--sections streams,book,ws_api,many]

``plain`` is the SDK without its speed extra: ``orjson`` and ``picows`` cannot be imported in this process (as
if not installed) and ``BINANCE_TRANSPORT=aiohttp``; ``speed`` lets the SDK find them and asks for
``BINANCE_TRANSPORT=picows`` (both set by ``benchmarks/run.py``; a SDK that does not know the variable ignores
it). Prints progress to stderr and one JSON object to stdout: for each measured path, its rate (frames, events
or requests per second of wall-clock time, ``rates``, and of this process's CPU time, ``cpu_rates``) in every
repetition, in the order the repetitions ran, so the caller can pair each SDK run with the baseline runs next
to it.
"""

from __future__ import annotations

import os
import sys

if __name__ == '__main__':
    # Before anything imports them: in the plain configuration the speed extra is not installed. A None entry in
    # sys.modules makes `import orjson` raise ModuleNotFoundError and importlib.util.find_spec() return None.
    for _name in filter(None, os.environ.get('BENCH_BLOCK', '').split(',')):
        sys.modules[_name] = None

import argparse
import asyncio
import inspect
import json
import math
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from benchmarks import bare
from benchmarks.bare import Counter, Rate

SECRET = 'bench-secret'
TRADE_STREAM = 'bnbbtc@trade'
BOOK_STREAM = 'btcusdt@depth@100ms'
SPOT_STREAMS_PER_CONNECTION = 1024  # Binance Spot "WebSocket Streams": at most 1024 streams per connection


def _imported() -> dict[str, Any]:
    """What the SDK picked: the packages of the speed extra it imported, and its JSON library if it says."""
    seen: dict[str, Any] = {m: sys.modules.get(m) is not None for m in ('orjson', 'picows')}
    jsonlib = sys.modules.get('binance_core.jsonlib')
    if jsonlib is not None:
        seen['json'] = getattr(jsonlib, 'NAME', '?')
    return seen


def log(*args: Any) -> None:
    print(*args, file=sys.stderr, flush=True)


class Hosts:
    def __init__(self, port: int) -> None:
        self.port = port
        self.ws_api = f'ws://127.0.0.1:{port}/ws-api/v3'
        self.rest = f'http://127.0.0.1:{port}'

    def burst(self, n: int) -> str:
        return f'ws://127.0.0.1:{self.port}/burst/{n}'

    def hold(self, n: int) -> str:
        return f'ws://127.0.0.1:{self.port}/hold/{n}'

    def client_kwargs(self, stream_host: str) -> dict[str, str]:
        return {'rest_host': self.rest, 'ws_api_host': self.ws_api, 'stream_host': stream_host}

    async def fire(self) -> int:
        async with aiohttp.ClientSession() as session, session.ws_connect(f'ws://127.0.0.1:{self.port}/control') as ws:
            await ws.send_str(json.dumps({'method': 'FIRE', 'id': 1}))
            return int(json.loads((await ws.receive()).data)['result'])


# -- the SDK paths -----------------------------------------------------------------------------------------------


def _handlers() -> dict[str, Any]:
    from binance import OrderBookHandlerBase, TradeHandlerBase

    class CountTrades(TradeHandlerBase):
        """The dict path: a handler that only counts."""

        def __init__(self, n: int) -> None:
            self.count = Counter(n)

        def receive(self, payload: Any) -> None:
            self.count.tick()

    class FrameTrades(TradeHandlerBase):
        """The DataFrame path: ``TradeHandlerBase.receive`` builds the frame."""

        def __init__(self, n: int) -> None:
            self.count = Counter(n)

        def receive(self, payload: Any) -> None:
            super().receive(payload)
            self.count.tick()

    class BatchFrames(TradeHandlerBase):
        """The batched DataFrame path (issue 15 item 3): one frame for every frame already waiting, up to 256."""

        batch = 256

        def __init__(self, n: int) -> None:
            self.count = Counter(n)
            self.one_by_one = False
            self.calls = 0

        def receive_batch(self, payloads: list[Any]) -> None:
            super().receive_batch(payloads)
            self.calls += 1
            self.count.add(len(payloads))

        def receive(self, payload: Any) -> None:
            # A client that does not deliver batches yet calls this: finish quickly, then say so (NotAvailable).
            self.one_by_one = True
            self.count.tick()

    class Books(OrderBookHandlerBase):
        """The managed book, read at the top once per event, as the bare dict book is."""

        def __init__(self, n: int) -> None:
            super().__init__(limit=5000)  # more than the snapshot holds: the whole book is known
            self.count = Counter(n)
            self.top: tuple[Any, Any] = (None, None)

        def receive(self, payload: Any) -> Any:
            book = super().receive(payload)
            self.top = (book.best_bid, book.best_ask)
            self.count.tick()
            return book

    handlers = {'CountTrades': CountTrades, 'FrameTrades': FrameTrades, 'Books': Books}
    if hasattr(TradeHandlerBase, 'receive_batch'):
        handlers['BatchFrames'] = BatchFrames
    return handlers


class NotAvailable(Exception):
    """The SDK does not offer what this path measures (yet): its rows read n/a."""


def spread_argument() -> str | None:
    """The opt-in constructor argument that spreads subscriptions over several connections, if the SDK has one."""
    from binance import SpotClient

    params = inspect.signature(SpotClient.__init__).parameters
    if 'spread_streams' in params:
        return 'spread_streams'
    return next((p for p in params if 'spread' in p), None)


# Mean frames per receive_batch() call in each batched run (how much a burst gave the batching handler).
BATCH_SIZES: list[float] = []


async def sdk_stream(hosts: Hosts, n: int, handler_cls: Any) -> Rate:
    from binance import SpotClient, SubType

    handler = handler_cls(n)
    async with SpotClient(**hosts.client_kwargs(hosts.burst(n))) as spot:
        spot.handler(handler)
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        async with asyncio.timeout(bare.DEADLINE):
            await handler.count.done
    if getattr(handler, 'one_by_one', False):
        raise NotAvailable('the client called receive(), not receive_batch(): batched delivery is not wired yet')
    if getattr(handler, 'calls', 0):
        BATCH_SIZES.append(n / handler.calls)
    return handler.count.rates


async def sdk_book(hosts: Hosts, n: int, books_cls: Any, expect: bare.DictBook | None) -> Rate:
    from binance import SpotClient, SubType

    handler = books_cls(n)
    async with SpotClient(**hosts.client_kwargs(hosts.hold(n))) as spot:
        spot.handler(handler)
        await spot.subscribe(SubType.ORDER_BOOK, 'BTCUSDT', 100)
        book = handler.orderbook('BTCUSDT')
        if not book.ready:  # ready on the snapshot alone: its stream is confirmed subscribed
            async with asyncio.timeout(30):
                await book.updated()
        await hosts.fire()
        async with asyncio.timeout(bare.DEADLINE):
            await handler.count.done
        if not book.ready:
            raise AssertionError('the managed book is not ready after the burst')
        if expect is not None:
            # Both applied the same events to the same snapshot: the same book, level for level.
            if book.last_update_id != expect.last_id:
                raise AssertionError(f'managed book at {book.last_update_id}, dict book at {expect.last_id}')
            if book.bids != [[p, q] for p, q in sorted(expect.bids.items())] or book.asks != [
                [p, q] for p, q in sorted(expect.asks.items())
            ]:
                raise AssertionError('the managed book differs from the dict book fed the same events')
    return handler.count.rates


async def sdk_ws_api(hosts: Hosts, n: int, in_flight: int) -> Rate:
    from binance import Credentials, SpotClient

    # The guard is off: account.status weighs 20, and the limiter would (rightly) hold these bursts to Binance's
    # 6000/min budget; bench_rate_limit.py measures the guard's own cost.
    creds = Credentials('bench', api_secret=SECRET)
    async with SpotClient(creds, rate_limit_guard=False, **hosts.client_kwargs(hosts.burst(0))) as spot:
        return await _rate(spot.get_account, n, in_flight)


async def bare_ws_api(hosts: Hosts, n: int, in_flight: int) -> Rate:
    async with bare.WsApiClient(hosts.ws_api, 'bench', SECRET) as client:
        return await _rate(client.account, n, in_flight)


async def _rate(call: Callable[[], Awaitable[Any]], n: int, in_flight: int) -> Rate:
    await call()  # connect (and, for the SDK, sync the clock) before the clock starts
    per = max(1, n // in_flight)

    async def worker() -> None:
        for _ in range(per):
            await call()

    t0, c0 = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(in_flight)))
    t1, c1 = time.perf_counter(), time.process_time()
    return per * in_flight / (t1 - t0), per * in_flight / max(c1 - c0, 1e-9)


def many_symbols(count: int) -> list[str]:
    return [f'S{i:04d}USDT' for i in range(count)]


async def sdk_many(hosts: Hosts, symbols: list[str], per_stream: int, arg: str, count_cls: Any) -> Rate:
    from binance import SpotClient, SubType

    handler = count_cls(len(symbols) * per_stream)
    async with SpotClient(**{arg: True}, **hosts.client_kwargs(hosts.hold(per_stream))) as spot:
        spot.handler(handler)
        await spot.subscribe(SubType.TRADE, symbols)
        await hosts.fire()
        async with asyncio.timeout(bare.DEADLINE):
            await handler.count.done
    return handler.count.rates


async def bare_many(hosts: Hosts, symbols: list[str], per_stream: int, fast: bool) -> Rate:
    streams = [f'{s.lower()}@trade' for s in symbols]
    step = SPOT_STREAMS_PER_CONNECTION
    chunks = [streams[i : i + step] for i in range(0, len(streams), step)]
    reader = bare.picows_many if fast else bare.aiohttp_many
    return await reader(hosts.hold(per_stream), chunks, len(streams) * per_stream, fire=hosts.fire)


# -- the run -----------------------------------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> dict[str, Any]:
    hosts = Hosts(args.port)
    speed = args.config == 'speed'
    sections = set(args.sections.split(','))
    out: dict[str, Any] = {'config': args.config, 'rates': {}, 'notes': [], 'sdk': {}}
    rates: dict[str, list[float]] = out['rates']
    cpu_rates: dict[str, list[float]] = out.setdefault('cpu_rates', {})
    h = _handlers()
    n, nb = args.frames, args.book_events
    dict_books: dict[int, bare.DictBook] = {}  # by events applied: every run of as many ends in the same book

    async def dict_book(fast: bool, events: int, scan: bool = False) -> Rate:
        book = await bare.dict_book(
            hosts.hold(events), hosts.ws_api, BOOK_STREAM, events, hosts.fire, fast=fast, scan=scan
        )
        dict_books[events] = book
        return book.count.rates

    async def managed_book(events: int) -> Rate:
        return await sdk_book(hosts, events, h['Books'], dict_books.get(events))

    # Each path: name -> run(frames), in the order they run, each SDK path next to its baselines so that a pair is
    # measured seconds apart. The warm-up runs the SDK paths first, so that what the SDK imported by itself (orjson,
    # picows) is known before any bare reader imports them.
    paths: dict[str, Callable[[int], Awaitable[Rate]]] = {}
    sizes: dict[str, int] = {}
    if 'streams' in sections:
        if speed:
            paths['bare picows'] = lambda k: bare.picows_stream(hosts.burst(k), [TRADE_STREAM], k)
        paths['sdk dict'] = lambda k: sdk_stream(hosts, k, h['CountTrades'])
        paths['bare aiohttp'] = lambda k: bare.aiohttp_stream(hosts.burst(k), [TRADE_STREAM], k)
        paths['sdk frame'] = lambda k: sdk_stream(hosts, k, h['FrameTrades'])
        if 'BatchFrames' in h:
            paths['sdk frame batched'] = lambda k: sdk_stream(hosts, k, h['BatchFrames'])
        else:
            out['notes'].append('batched DataFrame delivery: n/a, TradeHandlerBase has no receive_batch yet')
        sizes.update(dict.fromkeys(('sdk dict', 'sdk frame', 'sdk frame batched', 'bare aiohttp', 'bare picows'), n))
    if 'book' in sections:
        paths['book dict aiohttp'] = lambda k: dict_book(False, k)
        paths['book sdk'] = managed_book  # checks itself against the dict book of the same events
        if speed:
            paths['book dict picows'] = lambda k: dict_book(True, k)
        else:
            paths['book dict scan'] = lambda k: dict_book(False, k, scan=True)
        sizes.update(dict.fromkeys(('book sdk', 'book dict aiohttp', 'book dict picows', 'book dict scan'), nb))
    if 'ws_api' in sections:
        for k in (1, 100):
            paths[f'ws bare {k}'] = lambda m, k=k: bare_ws_api(hosts, m, k)
            paths[f'ws sdk {k}'] = lambda m, k=k: sdk_ws_api(hosts, m, k)
            sizes[f'ws sdk {k}'] = sizes[f'ws bare {k}'] = args.requests if k == 100 else args.requests // 3
    if 'many' in sections:
        symbols = many_symbols(args.many_streams)
        arg = spread_argument()
        paths['many bare aiohttp'] = lambda k: bare_many(hosts, symbols, k, fast=False)
        if arg is None:
            out['notes'].append('many streams: n/a, SpotClient has no spread_streams argument yet')
        else:
            paths['many sdk'] = lambda k: sdk_many(hosts, symbols, k, arg, h['CountTrades'])
        if speed:
            paths['many bare picows'] = lambda k: bare_many(hosts, symbols, k, fast=True)
        sizes.update(dict.fromkeys(('many sdk', 'many bare aiohttp', 'many bare picows'), args.per_stream))
        out['many'] = {'streams': len(symbols), 'per_stream': args.per_stream, 'argument': arg}

    # Warm-up: every path once, short (connections, imports, caches; the exchange builds its bursts). A path that
    # fails is reported and left out; the others go on.
    errors: dict[str, str] = out.setdefault('errors', {})

    async def attempt(name: str, frames: int) -> Rate | None:
        try:
            return await paths[name](frames)
        except NotAvailable as exc:
            out['notes'].append(f'{name}: n/a, {exc}')
            errors[name] = ''
            return None
        except Exception as exc:
            errors[name] = f'{type(exc).__name__}: {exc}'.strip().rstrip(':')
            log(f'[{args.config}] {name} failed, left out: {errors[name]}')
            return None

    bare.DEADLINE = 20.0  # warm-up runs are short: a stuck one is found quickly

    def is_sdk(name: str) -> bool:
        return 'sdk' in name.split()

    for name in sorted(paths, key=lambda p: not is_sdk(p)):  # stable: the SDK paths first, in their order
        warm = max(2, sizes[name] // 10) if not name.startswith('many') else 2
        if await attempt(name, warm) is None:
            del paths[name]
        elif is_sdk(name):
            out['sdk'].setdefault('imported', _imported())
    out['sdk'].setdefault('imported', _imported())
    log(f'[{args.config}] warm-up done; the SDK picked {out["sdk"]["imported"]}')

    bare.DEADLINE = 60.0
    names = list(paths)  # the measuring order, less what failed in the warm-up
    for rep in range(args.reps):
        for name in names if rep % 2 == 0 else names[::-1]:
            if name in errors:
                continue
            rate = await attempt(name, sizes[name])
            if rate is not None:
                rates.setdefault(name, []).append(rate[0])
                cpu_rates.setdefault(name, []).append(rate[1])
        done = ', '.join(f'{k} {rates[k][-1]:,.0f}' for k in names if k in rates and k not in errors)
        log(f'[{args.config}] repetition {rep + 1}/{args.reps}: {done}')
    for name in errors:
        rates.pop(name, None)
        cpu_rates.pop(name, None)
    out['errors'] = {k: v for k, v in errors.items() if v}
    out['sizes'] = sizes
    if BATCH_SIZES and 'sdk frame batched' in rates:
        measured = BATCH_SIZES[-len(rates['sdk frame batched']) :]
        out['notes'].append(
            f'sdk frame batched ({args.config}): {statistics.median(measured):.0f} frames per receive_batch() call '
            f'(median of runs; {min(measured):.0f}-{max(measured):.0f}), bound 256'
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--port', type=int, required=True)
    parser.add_argument('--config', choices=('plain', 'speed'), required=True)
    parser.add_argument('--reps', type=int, default=7)
    parser.add_argument('--sections', default='streams,book,ws_api,many')
    parser.add_argument('--frames', type=int, default=40_000, help='trade frames per stream run')
    parser.add_argument('--book-events', type=int, default=4_000, help='diff events per order-book run')
    parser.add_argument('--requests', type=int, default=3_000, help='WS-API requests per 100-in-flight run')
    parser.add_argument('--many-streams', type=int, default=3_000)
    parser.add_argument('--per-stream', type=int, default=20, help='frames per stream in the many-streams run')
    args = parser.parse_args()
    result = asyncio.run(run(args))
    for key in ('rates', 'cpu_rates'):
        result[key] = {k: [v if math.isfinite(v) else 0.0 for v in vs] for k, vs in result[key].items()}
    print(json.dumps(result))


if __name__ == '__main__':
    main()
