"""WS-API requests with many in flight: SpotClient next to a bare aiohttp WebSocket client, the exchange in its own
process.

    python benchmarks/bench_ws_api_inflight.py [requests] [--profile] [--in-process]

The fake exchange (``binance_testing.FakeExchange``) runs in a child process, so the client's process does only the
client's work. Both clients send the same public requests over one connection with ``IN_FLIGHT`` callers, each
awaiting one request at a time: ``time`` (``get_server_time()``, a tiny answer: the per-request cost shows),
``account.status`` signed with HMAC (``get_account()``: timestamp and signature on every request) and ``depth``
limit 100 (``get_orderbook()``, a 100-level answer: JSON decoding weighs in). The bare client is the
minimum a hand-written client does: ``json.dumps``, send, match the reply by id in a reader task with
``json.loads``, check the status.

The SDK runs with its rate limiter guarding (the default) over a budget too big to wait on (``PoolSpec`` 10^9 a
minute), so its bookkeeping is measured but Binance's real budget does not hold the burst back; a second row
turns the guard off (``rate_limit_guard=False``: counting only). Reported per case: requests per second (wall
clock), the client process's CPU time per request, and SDK/bare throughput (target: >= 0.85x with 100 in flight).
``REPEATS`` rounds, each running the three clients one after the other; ratios are the median of each round's
ratio to the bare run beside it (the machine may be shared: side by side, a busy spell hits both alike).
``BINANCE_JSON=json`` makes the SDK use the standard library's json like the bare client (``binance_core.jsonlib``
uses orjson when it is installed). ``--profile`` prints a cProfile of the SDK's guarded runs instead.

``--in-process`` measures only the client side's own work: no exchange and no sockets, both clients talk to an
in-memory stand-in of aiohttp's WebSocket that answers each request as it is sent (the answers to requests sent
together are read together, as from a socket), so the CPU time per signed ``account.status`` request is the
client's Python alone (request preparation, limiter, signing, JSON, matching, reconciliation): steadier than the
socket runs on a busy machine, and what to profile (``--in-process --profile``).
"""

from __future__ import annotations

import asyncio
import collections
import hashlib
import hmac
import itertools
import json
import subprocess
import sys
import time
from pathlib import Path
from statistics import median
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

API_KEY, SECRET = 'bench-key', 'bench-secret'
CASES = (('time', 'get_server_time'), ('account', 'get_account HMAC'), ('depth', 'get_orderbook 100'))
METHODS = [m for m, _ in CASES]
IN_FLIGHT = 100
REPEATS = 7
TARGET = 0.85
DEPTH = {
    'lastUpdateId': 1027024,
    'bids': [[f'{30000 - i * 0.01:.8f}', f'{1 + i % 7:.8f}'] for i in range(1, 101)],
    'asks': [[f'{30000 + i * 0.01:.8f}', f'{1 + i % 5:.8f}'] for i in range(1, 101)],
}


# -- the exchange, in the child process -------------------------------------------------------------------------


def serve() -> None:
    """Run the fake exchange until stdin closes; print its client kwargs as one JSON line first."""
    from binance_testing import FakeExchange

    async def main() -> None:
        async with FakeExchange('spot') as fx:
            fx.weight_limit = 10**12
            fx.set_response('depth', DEPTH)
            fx.add_key(API_KEY, secret=SECRET)
            print(json.dumps(fx.client_kwargs()), flush=True)
            loop = asyncio.get_running_loop()
            # One line between runs, '' at EOF (the parent is done).
            while await loop.run_in_executor(None, sys.stdin.readline):
                fx.requests.clear()  # the record of every request would grow for the whole run

    asyncio.run(main())


# -- the bare client --------------------------------------------------------------------------------------------


class Bare:
    """One aiohttp WebSocket, replies matched by id: what a hand-written client does at the least."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.ids = itertools.count(1)
        self.waiting: dict[int, asyncio.Future[Any]] = {}

    async def __aenter__(self) -> Bare:
        import aiohttp

        self.session = aiohttp.ClientSession()
        self.ws = await self.session.ws_connect(self.url, max_msg_size=0)
        self.reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.ws.close()
        await self.session.close()
        await asyncio.gather(self.reader, return_exceptions=True)

    async def _read(self) -> None:
        async for msg in self.ws:
            data = json.loads(msg.data)
            fut = self.waiting.pop(data.get('id'), None)
            if fut is not None:
                fut.set_result(data)

    async def account(self) -> Any:
        """``account.status`` signed with HMAC over the sorted params, as every signed request is."""
        params: dict[str, Any] = {'apiKey': API_KEY, 'timestamp': int(time.time() * 1000)}
        payload = '&'.join(f'{k}={params[k]}' for k in sorted(params))
        params['signature'] = hmac.new(SECRET.encode(), payload.encode(), hashlib.sha256).hexdigest()
        return await self.call('account.status', params)

    async def call(self, method: str, params: dict[str, Any] | None = None) -> Any:
        rid = next(self.ids)
        fut = asyncio.get_running_loop().create_future()
        self.waiting[rid] = fut
        frame: dict[str, Any] = {'id': rid, 'method': method}
        if params:
            frame['params'] = params
        await self.ws.send_str(json.dumps(frame))
        data = await fut
        if data['status'] != 200:
            raise RuntimeError(data)
        return data['result']


# -- in process: the clients' own work, without a socket ---------------------------------------------------------


class _Message:
    __slots__ = ('data', 'type')

    def __init__(self, kind: Any, data: Any) -> None:
        self.type, self.data = kind, data


class InMemoryWebSocket:
    """What both clients use of aiohttp's ``ClientWebSocketResponse``, answering every request as it is sent: the
    answer (a pre-encoded ``account.status`` result with ``rateLimits``, as Binance's) waits in a queue that the
    reader drains without yielding, so the answers to requests sent in one go arrive together."""

    def __init__(self) -> None:
        import aiohttp

        from benchmarks.harness import _ACCOUNT, _RATE_LIMITS

        self._text, self._closed_type = aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.CLOSED
        self._account = json.dumps(_ACCOUNT, separators=(',', ':'))
        self._limits = _RATE_LIMITS.decode()
        self._queue: collections.deque[_Message] = collections.deque()
        self._waiter: asyncio.Future[None] | None = None
        self.closed = False

    async def send_str(self, text: str) -> None:
        rid = text[6 : text.index(',', 6)]  # '{"id":<n>,...': both clients put the id first
        if 'account.status' in text:
            result = self._account
        else:
            result = f'{{"serverTime":{int(time.time() * 1000)}}}'
        reply = f'{{"id":{rid},"status":200,"result":{result},"rateLimits":{self._limits}}}'
        self._queue.append(_Message(self._text, reply))
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def receive(self) -> _Message:
        while not self._queue:
            if self.closed:
                return _Message(self._closed_type, None)
            self._waiter = asyncio.get_running_loop().create_future()
            await self._waiter
        return self._queue.popleft()

    def __aiter__(self) -> InMemoryWebSocket:
        return self

    async def __anext__(self) -> _Message:
        msg = await self.receive()
        if msg.type is self._closed_type:
            raise StopAsyncIteration
        return msg

    async def close(self, code: int = 1000) -> bool:
        self.closed = True
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)
        return True

    def exception(self) -> BaseException | None:
        return None


class _InMemorySession:
    async def ws_connect(self, *args: Any, **kwargs: Any) -> InMemoryWebSocket:
        return InMemoryWebSocket()

    async def close(self) -> None:
        pass


class InMemoryBare(Bare):
    async def __aenter__(self) -> InMemoryBare:
        self.ws = InMemoryWebSocket()  # type: ignore[assignment]
        self.reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.ws.close()
        await asyncio.gather(self.reader, return_exceptions=True)


async def _cpu_per_request(fn: Any, n: int, in_flight: int) -> float:
    await fn()  # connect (and, for the SDK, sync the clock)
    per = max(1, n // in_flight)

    async def caller() -> None:
        for _ in range(per):
            await fn()

    cpu = time.process_time()
    await asyncio.gather(*(caller() for _ in range(in_flight)))
    return (time.process_time() - cpu) / (per * in_flight) * 1e6


async def in_process_case(client: str, n: int, in_flight: int) -> float:
    """CPU µs per signed ``account.status`` request of *client* (``bare``, ``sdk`` or ``sdk-noguard``)."""
    if client == 'bare':
        async with InMemoryBare('in-memory') as bare:
            return await _cpu_per_request(bare.account, n, in_flight)
    from binance import Credentials, RateLimiter, SpotClient
    from binance_core import PoolSpec
    from binance_core.transport import ws_api

    ws_api.new_session = lambda timeout: _InMemorySession()  # type: ignore[attr-defined]
    creds = Credentials(API_KEY, api_secret=SECRET)
    if client == 'sdk':
        limiter = RateLimiter((PoolSpec(type='request_weight', scope='ip', interval='1m', limit=10**9),))
        spot = SpotClient(creds, rate_limiter=limiter, ws_api_host='ws://in-memory/ws-api/v3')
    else:
        spot = SpotClient(creds, rate_limit_guard=False, ws_api_host='ws://in-memory/ws-api/v3')
    async with spot:
        return await _cpu_per_request(spot.get_account, n, in_flight)


def main_in_process(n: int, profile: bool) -> None:
    if profile:
        import cProfile
        import pstats

        asyncio.run(in_process_case('sdk', n // 10, IN_FLIGHT))  # warm up
        prof = cProfile.Profile()
        prof.enable()
        asyncio.run(in_process_case('sdk', n, IN_FLIGHT))
        prof.disable()
        pstats.Stats(prof).sort_stats('tottime').print_stats(30)
        return
    print(
        f'{n:,} signed account.status requests per run, in process (no exchange, no socket): the CPU time of the '
        f"client's own work; medians of {REPEATS} rounds (ratio: median of each round's bare/SDK)"
    )
    header = f'{"in flight":<11}{"client":<22}{"CPU us/req":>12}{"vs bare":>9}{"range":>13}'
    print(header)
    print('-' * len(header))
    for in_flight in (1, IN_FLIGHT):
        size = n if in_flight > 1 else n // 3
        runs: dict[str, list[float]] = {'bare': [], 'sdk': [], 'sdk-noguard': []}
        for _ in range(REPEATS):  # alternate, so a busy spell on the machine hits every client alike
            for client in runs:
                runs[client].append(asyncio.run(in_process_case(client, size, in_flight)))
        for client, name in (('bare', 'bare + json'), ('sdk', 'SpotClient'), ('sdk-noguard', 'SpotClient, no guard')):
            ratios = sorted(b / c for b, c in zip(runs['bare'], runs[client], strict=True))
            spread = f'({ratios[0]:.2f}-{ratios[-1]:.2f})' if client != 'bare' else ''
            print(f'{in_flight:<11}{name:<22}{median(runs[client]):>12.1f}{median(ratios):>8.2f}x{spread:>13}')
    from binance_core import jsonlib

    print(f'the SDK parsed and wrote JSON with {jsonlib.NAME}; the bare client with json')


# -- measuring ----------------------------------------------------------------------------------------------------


async def _run(fn: Any, n: int) -> tuple[float, float]:
    """*n* calls of *fn* by ``IN_FLIGHT`` callers; returns (wall seconds, CPU seconds of this process)."""
    await fn()  # warm up: connect
    per = n // IN_FLIGHT

    async def caller() -> None:
        for _ in range(per):
            await fn()

    wall, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(caller() for _ in range(IN_FLIGHT)))
    return time.perf_counter() - wall, time.process_time() - cpu


async def sdk_case(kwargs: dict[str, Any], method: str, n: int, guard: bool) -> tuple[float, float]:
    from binance import Credentials, RateLimiter, SpotClient
    from binance_core import PoolSpec

    creds = Credentials(API_KEY, api_secret=SECRET)
    if guard:
        limiter = RateLimiter((PoolSpec(type='request_weight', scope='ip', interval='1m', limit=10**9),))
        client = SpotClient(creds, rate_limiter=limiter, **kwargs)
    else:
        client = SpotClient(creds, rate_limit_guard=False, **kwargs)
    async with client as spot:
        if method == 'time':
            return await _run(spot.get_server_time, n)
        if method == 'account':
            return await _run(spot.get_account, n)

        async def depth() -> Any:
            return await spot.get_orderbook(symbol='BTCUSDT', limit=100)

        return await _run(depth, n)


async def bare_case(kwargs: dict[str, Any], method: str, n: int) -> tuple[float, float]:
    async with Bare(kwargs['ws_api_host']) as bare:
        if method == 'time':

            async def server_time() -> Any:
                return await bare.call('time')

            return await _run(server_time, n)
        if method == 'account':
            return await _run(bare.account, n)

        async def depth() -> Any:
            return await bare.call('depth', {'symbol': 'BTCUSDT', 'limit': 100})

        return await _run(depth, n)


def main(n: int, profile: bool) -> None:
    child = subprocess.Popen(
        [sys.executable, __file__, '--serve'], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        kwargs = json.loads(child.stdout.readline())
        stdin = child.stdin

        def between_runs() -> None:
            stdin.write('\n')  # the child clears its request record
            stdin.flush()

        if profile:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.enable()
            for method in METHODS:
                asyncio.run(sdk_case(kwargs, method, n, True))
                between_runs()
            prof.disable()
            pstats.Stats(prof).sort_stats('tottime').print_stats(30)
            return

        print(
            f'{n:,} requests per run, {IN_FLIGHT} in flight, exchange in its own process; medians of {REPEATS} rounds '
            f"(ratio: median of the rounds' ratios to the bare run beside them, lowest-highest in brackets)"
        )
        header = f'{"request":<18}{"client":<22}{"req/s":>9}{"CPU us/req":>12}{"vs bare":>9}{"range":>13}  target'
        print(header)
        print('-' * len(header))
        for method, label in CASES:
            runs: dict[str, list[tuple[float, float]]] = {'bare': [], 'guard': [], 'noguard': []}
            for _ in range(REPEATS):  # alternate, so a busy spell on the machine hits every client alike
                runs['bare'].append(asyncio.run(bare_case(kwargs, method, n)))
                between_runs()
                runs['guard'].append(asyncio.run(sdk_case(kwargs, method, n, True)))
                between_runs()
                runs['noguard'].append(asyncio.run(sdk_case(kwargs, method, n, False)))
                between_runs()
            for key, name in (
                ('bare', 'bare aiohttp + json'),
                ('guard', 'SpotClient'),
                ('noguard', 'SpotClient, no guard'),
            ):
                wall = median(w for w, _ in runs[key])
                cpu = median(c for _, c in runs[key])
                ratios = sorted(b / w for (b, _), (w, _) in zip(runs['bare'], runs[key], strict=True))
                ratio = median(ratios)
                spread = f'({ratios[0]:.2f}-{ratios[-1]:.2f})' if key != 'bare' else ''
                target = f'>= {TARGET}x {"ok" if ratio >= TARGET else "MISSED"}' if key != 'bare' else ''
                print(
                    f'{label:<18}{name:<22}{n / wall:>9,.0f}{cpu / n * 1e6:>12.1f}{ratio:>8.2f}x{spread:>13}  {target}'
                )
        try:
            from binance_core import jsonlib

            name = jsonlib.NAME
        except ImportError:
            name = 'json (no binance_core.jsonlib)'
        print(f'the SDK parsed and wrote JSON with {name}; the bare client with json')
    finally:
        if child.stdin is not None:
            child.stdin.close()
        child.wait(timeout=10)


if __name__ == '__main__':
    if '--serve' in sys.argv:
        serve()
    else:
        args = [a for a in sys.argv[1:] if not a.startswith('--')]
        if '--in-process' in sys.argv:
            main_in_process(int(args[0]) if args else 20000, '--profile' in sys.argv)
        else:
            main(int(args[0]) if args else 5000, '--profile' in sys.argv)
