"""What sharing a budget on Redis costs: added latency per request and throughput, the Redis-backed limiter next to
the in-process one, in the same run.

Starts its own ``redis-server`` (Debian's package) on a free loopback port, no persistence, and the test kit's
loopback fake exchange. Two levels, interleaved rounds, best of each:

- the limiter alone: ``acquire()`` of a read (weight + raw requests), one at a time (latency) and 50 in flight;
- a SpotClient sending ``ping`` over the WS-API to the fake exchange: per request, one at a time and 50 in flight.

Needs ``binance-ratelimit-redis`` installed (``pip install -e plugins/redis``).

    python benchmarks/bench_redis_limiter.py [requests]
"""

from __future__ import annotations

import asyncio
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable

from binance import RateLimiter, SpotClient
from binance_core.specs import PoolSpec
from binance_ratelimit_redis import RedisBudgetBackend
from binance_testing import FakeExchange

# Spot's pools with limits no run reaches: nothing ever waits, the difference is the bookkeeping.
POOLS = (
    PoolSpec(type='request_weight', scope='ip', interval='1m', limit=10**12),
    PoolSpec(type='raw_requests', scope='ip', interval='5m', limit=10**12),
)


def start_redis() -> tuple[subprocess.Popen[bytes], str, str]:
    exe = shutil.which('redis-server')
    if exe is None:
        sys.exit('redis-server is not installed (Debian: apt-get install -y redis-server)')
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    folder = tempfile.mkdtemp(prefix='bench-redis-')
    proc = subprocess.Popen(
        [exe, '--port', str(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', folder],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(('127.0.0.1', port), timeout=0.2).close()
            version = subprocess.run([exe, '--version'], capture_output=True, text=True).stdout.split()[2]
            return proc, f'redis://127.0.0.1:{port}/0', version.removeprefix('v=')
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                sys.exit('redis-server did not start')
            time.sleep(0.02)


async def measure(call: Callable[[], Awaitable[object]], n: int) -> tuple[float, float]:
    """(µs per call one at a time, calls per second with 50 in flight)."""
    for _ in range(100):
        await call()
    t0 = time.perf_counter()
    for _ in range(n):
        await call()
    latency = (time.perf_counter() - t0) / n * 1e6
    sem = asyncio.Semaphore(50)

    async def one() -> None:
        async with sem:
            await call()

    t0 = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(n)))
    return latency, n / (time.perf_counter() - t0)


async def main(n: int) -> None:
    proc, url, version = start_redis()
    try:
        async with FakeExchange('spot') as fx, RedisBudgetBackend(url, processes=1, timeout=1.0) as backend:
            fx.weight_limit = 10**12
            local = RateLimiter(POOLS, market='spot')
            shared = RateLimiter(POOLS, market='spot', backend=backend)
            cases: dict[str, Callable[[], Awaitable[object]]] = {
                'limiter: in-process': lambda: local.acquire(weight=1),
                'limiter: redis': lambda: shared.acquire(weight=1),
            }
            async with (
                SpotClient(rate_limiter=RateLimiter(POOLS), **fx.client_kwargs()) as spot_local,
                SpotClient(rate_limiter=RateLimiter(POOLS, backend=backend), **fx.client_kwargs()) as spot_redis,
            ):
                cases['ping via fake exchange: in-process'] = spot_local.ping
                cases['ping via fake exchange: redis'] = spot_redis.ping
                best: dict[str, tuple[float, float]] = {}
                for _ in range(3):
                    for label, call in cases.items():
                        lat, rate = await measure(call, n)
                        old = best.get(label, (float('inf'), 0.0))
                        best[label] = (min(old[0], lat), max(old[1], rate))
                        fx.requests.clear()
    finally:
        proc.kill()
        proc.wait()
    print(f'{n} calls per case, best of 3 interleaved rounds; redis-server {version} on loopback')
    print(f'{"case":<38}{"µs/call (1 at a time)":>24}{"calls/s (50 in flight)":>25}')
    for label, (lat, rate) in best.items():
        print(f'{label:<38}{lat:>24.0f}{rate:>25.0f}')
    for level in ('limiter', 'ping via fake exchange'):
        lat_local, rate_local = best[f'{level}: in-process']
        lat_redis, rate_redis = best[f'{level}: redis']
        print(f'{level}: redis adds {lat_redis - lat_local:.0f} µs per call; throughput x{rate_redis / rate_local:.2f}')


if __name__ == '__main__':
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
