"""The cost of budget backends on the limiter's ``acquire`` fast path, in one process, no network.

Compares, in short alternating runs, the fastest of each (the machine's other work only ever adds time):

- ``baseline``: the limiter as it was before budget backends (``git show <rev>:binance_core/rate_limit/*``,
  default ``HEAD``), loaded side by side under another package name;
- ``default``: today's limiter without a backend (the in-process counters): must be no slower than baseline;
- ``local backend``: the same limiter counting through the ``BudgetBackend`` contract (``LocalBudgetBackend``,
  an await per call): what routing the default path through the contract would cost, and why it is not.

Spot's pools with limits high enough that nothing waits: request weight + raw requests (a read), and weight +
raw + orders (an order).

    python benchmarks/bench_rate_limit_backend.py [calls] [baseline-rev]
"""

from __future__ import annotations

import asyncio
import importlib
import pathlib
import subprocess
import sys
import tempfile
import time
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from binance_core.rate_limit import LocalBudgetBackend, RateLimiter  # noqa: E402
from binance_core.specs import PoolSpec  # noqa: E402

POOLS = (
    PoolSpec(type='request_weight', scope='ip', interval='1m', limit=10**12),
    PoolSpec(type='raw_requests', scope='ip', interval='5m', limit=10**12),
    PoolSpec(type='orders', scope='account', interval='10s', limit=10**12, wait=False),
    PoolSpec(type='orders', scope='account', interval='1d', limit=10**12, wait=False),
)
FILES = ('__init__', 'limiter', 'budgets', 'pools', 'snapshot')
ROUNDS = 40


def load_baseline(rev: str) -> Any:
    """The rate_limit package at *rev*, importable as ``_rl_baseline`` (its own modules renamed)."""
    folder = pathlib.Path(tempfile.mkdtemp(prefix='rl-baseline-'))
    package = folder / '_rl_baseline'
    package.mkdir()
    for name in FILES:
        text = subprocess.run(
            ['git', 'show', f'{rev}:binance_core/rate_limit/{name}.py'],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        (package / f'{name}.py').write_text(text.replace('binance_core.rate_limit.', '_rl_baseline.'))
    sys.path.insert(0, str(folder))
    return importlib.import_module('_rl_baseline.limiter').RateLimiter


async def per_call(limiter: Any, n: int, orders: int) -> float:
    acquire = limiter.acquire
    t0 = time.perf_counter()
    for _ in range(n):
        await acquire(weight=1, orders=orders)
    return (time.perf_counter() - t0) / n * 1e9


async def main(n: int, rev: str) -> None:
    baseline_class = load_baseline(rev)
    makers = {
        'baseline': lambda: baseline_class(POOLS, market='spot', account='k'),
        'default (no backend)': lambda: RateLimiter(POOLS, market='spot', account='k'),
        'local backend (contract)': lambda: RateLimiter(
            POOLS, market='spot', account='k', backend=LocalBudgetBackend()
        ),
    }
    limiters = {(label, orders): make() for label, make in makers.items() for orders in (0, 1)}
    for (_, orders), limiter in limiters.items():
        await per_call(limiter, 2000, orders)  # warm-up, binds to the loop
    best: dict[tuple[str, int], float] = {}
    keys = list(limiters)
    for r in range(ROUNDS):  # short runs, alternating order; the minimum is the cost without the neighbours' noise
        for key in keys if r % 2 == 0 else reversed(keys):
            calls = n if key[0] != 'local backend (contract)' else max(1, n // 20)
            best[key] = min(await per_call(limiters[key], calls, key[1]), best.get(key, float('inf')))
    print(f'acquire() fast path, ns per call, fastest of {ROUNDS} alternating runs of {n} (baseline: {rev})')
    print(f'{"limiter":<28}{"read":>10}{"order":>10}{"vs baseline":>14}')
    for label in makers:
        read, order = best[(label, 0)], best[(label, 1)]
        ratio = f'{read / best[("baseline", 0)]:.2f}x / {order / best[("baseline", 1)]:.2f}x'
        print(f'{label:<28}{read:>10.0f}{order:>10.0f}  {ratio}')


if __name__ == '__main__':
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000, sys.argv[2] if len(sys.argv) > 2 else 'HEAD'))
