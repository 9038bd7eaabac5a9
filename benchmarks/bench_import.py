"""How long ``import binance`` takes (all installed plugins) next to ``import aiohttp`` and, with ``--baseline
REF``, next to ``import binance`` of another revision of this repository (a temporary git worktree put first
on ``PYTHONPATH``), measured in the same run.

Each import runs in a fresh interpreter, alternating, and the medians are compared; the
interpreter's own start-up (``python -c pass``) is subtracted from all.

    python benchmarks/bench_import.py [--runs N] [--baseline REF]
"""

from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGE_DIRS = ('.', 'plugins/spot', 'plugins/usdm', 'plugins/coinm', 'plugins/futures', 'plugins/testing')


def _time(code: str, env: dict[str, str] | None = None) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, '-c', code], check=True, env=env)
    return time.perf_counter() - t0


def _tree_env(tree: pathlib.Path) -> dict[str, str]:
    """An environment importing this repository's packages from *tree* first."""
    path = os.pathsep.join(str(tree / d) for d in PACKAGE_DIRS)
    return {**os.environ, 'PYTHONPATH': path}


def main(runs: int = 15, baseline: str | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        envs: dict[str, dict[str, str] | None] = {'pass': None, 'import aiohttp': None, 'import binance': None}
        if baseline is not None:
            base_tree = pathlib.Path(tmp) / 'baseline'
            subprocess.run(
                ['git', '-C', str(ROOT), 'worktree', 'add', '--detach', '-q', str(base_tree), baseline], check=True
            )
            envs[f'import binance @ {baseline}'] = _tree_env(base_tree)
            envs['import binance'] = _tree_env(ROOT)  # the same PYTHONPATH shape for both trees
        try:
            samples: dict[str, list[float]] = {k: [] for k in envs}
            for _ in range(runs):
                for key, env in envs.items():
                    code = key.split(' @ ')[0]
                    samples[key].append(_time(code, env))
        finally:
            if baseline is not None:
                subprocess.run(['git', '-C', str(ROOT), 'worktree', 'remove', '--force', str(base_tree)], check=True)
    start = statistics.median(samples['pass'])
    ms = {k: (statistics.median(v) - start) * 1000 for k, v in samples.items() if k != 'pass'}
    import binance

    markets = ', '.join(binance.assembly.markets)
    print(f'interpreter start-up: {start * 1000:.1f} ms (subtracted)')
    for key, value in ms.items():
        print(f'{key}:  {value:.1f} ms' + (f'  (markets: {markets})' if key == 'import binance' else ''))
    print(f'ratio binance / aiohttp: {ms["import binance"] / ms["import aiohttp"]:.2f}')
    if baseline is not None:
        print(f'ratio binance / binance @ {baseline}: {ms["import binance"] / ms[f"import binance @ {baseline}"]:.3f}')


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=15)
    parser.add_argument('--baseline', help='a git revision to compare with, e.g. HEAD~3')
    args = parser.parse_args()
    main(args.runs, args.baseline)
