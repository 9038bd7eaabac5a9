"""How long ``import binance`` takes (all installed plugins) next to ``import aiohttp``.

Each import runs in a fresh interpreter, alternating, and the medians are compared; the
interpreter's own start-up (``python -c pass``) is subtracted from both.

    python benchmarks/bench_import.py [runs]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time


def _time(code: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, '-c', code], check=True)
    return time.perf_counter() - t0


def main(runs: int = 15) -> None:
    samples: dict[str, list[float]] = {'pass': [], 'import aiohttp': [], 'import binance': []}
    for _ in range(runs):
        for code in samples:
            samples[code].append(_time(code))
    base = statistics.median(samples['pass'])
    aio = statistics.median(samples['import aiohttp']) - base
    bnc = statistics.median(samples['import binance']) - base
    import binance

    markets = ', '.join(binance.assembly.markets)
    print(f'interpreter start-up: {base * 1000:.1f} ms (subtracted)')
    print(f'import aiohttp:  {aio * 1000:.1f} ms')
    print(f'import binance:  {bnc * 1000:.1f} ms  (markets: {markets})')
    print(f'ratio binance / aiohttp: {bnc / aio:.2f}')


if __name__ == '__main__':
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
