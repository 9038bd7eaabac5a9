"""The limiter's own cost: WS-API ``ping`` requests per second with ``rate_limit_guard`` on vs off.

Both run against the benchmark exchange in its own process (``benchmarks/harness.py``), each from a fresh client,
alternating, sequential and 50 in flight. The exchange reports a small, constant used weight, so the guard never
has to wait: the difference is pure bookkeeping. Medians of the runs, and the median of the paired ratios.

    python benchmarks/bench_rate_limit.py [requests] [repetitions]
"""

from __future__ import annotations

import asyncio
import pathlib
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from benchmarks.harness import ExchangeProcess
from binance import SpotClient


async def _rate(port: int, guard: bool, n: int, in_flight: int) -> float:
    hosts = {'ws_api_host': f'ws://127.0.0.1:{port}/ws-api/v3', 'stream_host': f'ws://127.0.0.1:{port}'}
    async with SpotClient(rate_limit_guard=guard, rest_host=f'http://127.0.0.1:{port}', **hosts) as spot:
        await spot.ping()
        per = n // in_flight

        async def worker() -> None:
            for _ in range(per):
                await spot.ping()

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(in_flight)))
        rate = per * in_flight / (time.perf_counter() - t0)
        assert spot.rate_limit_snapshot().pending == 0
    return rate


async def main(port: int, n: int, reps: int) -> None:
    print(f'{n} pings per run, {reps} runs each, exchange in its own process')
    print(f'{"in flight":>10}{"guard on":>12}{"guard off":>12}{"on/off":>8}')
    for in_flight in (1, 50):
        on, off = [], []
        for rep in range(reps):  # alternate, and swap the order every other run: noise falls on both alike
            for guard in (True, False) if rep % 2 == 0 else (False, True):
                (on if guard else off).append(await _rate(port, guard, n, in_flight))
        ratio = statistics.median(a / b for a, b in zip(on, off, strict=True))
        print(f'{in_flight:>10}{statistics.median(on):>12.0f}{statistics.median(off):>12.0f}{ratio:>8.3f}')


if __name__ == '__main__':
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    repetitions = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with ExchangeProcess(book_events=10) as exchange:
        assert exchange.port is not None
        asyncio.run(main(exchange.port, requests, repetitions))
