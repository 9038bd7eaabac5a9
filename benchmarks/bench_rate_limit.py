"""The limiter's own cost: WS-API requests per second with ``rate_limit_guard`` on vs off.

Both runs send the same number of ``ping`` requests (weight 1) to the loopback fake exchange
in the same process, each from a fresh client, staying under Spot's 5400/min effective budget
so the guard never has to wait: the difference is pure bookkeeping. Sequential and 50 in flight.

    python benchmarks/bench_rate_limit.py [requests]
"""

from __future__ import annotations

import asyncio
import sys
import time

from binance import SpotClient
from binance_testing import FakeExchange


async def _rate(fx: FakeExchange, guard: bool, n: int, concurrency: int) -> float:
    fx.used_weight = 0  # a fresh minute for each run: the guard must never need to wait here
    async with SpotClient(rate_limit_guard=guard, **fx.client_kwargs()) as spot:
        await spot.ping()
        t0 = time.perf_counter()
        if concurrency == 1:
            for _ in range(n):
                await spot.ping()
        else:
            sem = asyncio.Semaphore(concurrency)

            async def one() -> None:
                async with sem:
                    await spot.ping()

            await asyncio.gather(*(one() for _ in range(n)))
        rate = n / (time.perf_counter() - t0)
        snap = spot.rate_limit_snapshot()
        assert snap.pending == 0
    return rate


async def main(n: int) -> None:
    async with FakeExchange('spot') as fx:
        print(f'{n} pings per case against the loopback fake exchange')
        print(f'{"in flight":>10}{"guard on":>12}{"guard off":>12}{"on/off":>8}')
        for concurrency in (1, 50):
            on, off = [], []
            for _ in range(3):  # interleave to spread noise evenly
                on.append(await _rate(fx, True, n, concurrency))
                off.append(await _rate(fx, False, n, concurrency))
            best_on, best_off = max(on), max(off)
            print(f'{concurrency:>10}{best_on:>12.0f}{best_off:>12.0f}{best_on / best_off:>8.3f}')


if __name__ == '__main__':
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1500))
