"""How long ``import binance`` takes (all installed plugins) next to ``import aiohttp`` and, with ``--baseline
REF``, next to ``import binance`` of another revision of this repository (its files, from ``git archive``, put
first on ``PYTHONPATH``), measured in the same run.

Each import runs in a fresh interpreter, alternating, from a neutral working directory, and the medians are
compared, by wall-clock time and by the interpreter's CPU time (user + system, which a busy neighbour does not
inflate); the interpreter's own start-up (``python -c pass``) is subtracted from all. ``--block orjson,picows``
makes those packages unimportable in every interpreter (the SDK without its speed extra).

    python benchmarks/bench_import.py [--runs N] [--baseline REF] [--block orjson,picows]
"""

from __future__ import annotations

import argparse
import io
import os
import pathlib
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Mapping, Sequence

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGE_DIRS = ('.', 'plugins/spot', 'plugins/usdm', 'plugins/coinm', 'plugins/futures', 'plugins/testing')


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time(code: str, env: dict[str, str] | None, cwd: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one fresh interpreter running *code*."""
    t0, c0 = time.perf_counter(), _cpu_children()
    subprocess.run([sys.executable, '-c', code], check=True, env=env, cwd=cwd, stderr=subprocess.PIPE, text=True)
    return time.perf_counter() - t0, _cpu_children() - c0


def _tree_env(tree: pathlib.Path) -> dict[str, str]:
    """An environment importing this repository's packages from *tree* first."""
    path = os.pathsep.join(str(tree / d) for d in PACKAGE_DIRS)
    return {**os.environ, 'PYTHONPATH': path}


def export_tree(ref: str, dest: pathlib.Path) -> pathlib.Path:
    """The files of revision *ref* under *dest* (``git archive``: reads the repository, changes nothing in it)."""
    blob = subprocess.run(['git', '-C', str(ROOT), 'archive', ref], check=True, capture_output=True).stdout
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(blob)) as tar:
        tar.extractall(dest, filter='data')
    return dest


def blocking(block: Sequence[str]) -> str:
    """Code that makes the packages *block* unimportable, as if not installed (``sys.modules[name] = None``)."""
    return ''.join(f'import sys; sys.modules[{m!r}] = None; ' for m in block)


def measure_cases(
    cases: Mapping[str, tuple[str, Mapping[str, str] | None]], runs: int, cwd: str
) -> dict[str, dict[str, float]]:
    """Milliseconds of each case ``label -> (code, environment)``, each in a fresh interpreter, alternating, *runs*
    times; the medians by wall-clock and by CPU time, start-up (``pass``) subtracted and reported as
    ``'start-up'``: ``{'wall': {label: ms, ...}, 'cpu': {...}}``."""
    envs = {'pass': ('pass', None), **cases}
    samples: dict[str, list[tuple[float, float]]] = {k: [] for k in envs}
    for _ in range(runs):
        for key, (code, env) in envs.items():
            samples[key].append(_time(code, None if env is None else dict(env), cwd))
    both = {}
    for i, clock in enumerate(('wall', 'cpu')):
        start = statistics.median(v[i] for v in samples['pass'])
        out = {k: (statistics.median(x[i] for x in v) - start) * 1000 for k, v in samples.items() if k != 'pass'}
        out['start-up'] = start * 1000
        both[clock] = out
    return both


def measure_both(runs: int = 15, baseline: str | None = None, block: Sequence[str] = ()) -> dict[str, dict[str, float]]:
    """``import aiohttp``, ``import binance`` and (with *baseline*) ``import binance @ REF`` by both clocks from the
    same runs (:func:`measure_cases`). The CPU time (the child's user + system time) is what a busy neighbour on a
    shared machine does not inflate."""
    prefix = blocking(block)
    with tempfile.TemporaryDirectory() as tmp:
        cases: dict[str, tuple[str, Mapping[str, str] | None]] = {
            'import aiohttp': (prefix + 'import aiohttp', None),
            'import binance': (prefix + 'import binance', None),
        }
        if baseline is not None:
            base_env = _tree_env(export_tree(baseline, pathlib.Path(tmp) / 'baseline'))
            cases[f'import binance @ {baseline}'] = (prefix + 'import binance', base_env)
            cases['import binance'] = (prefix + 'import binance', _tree_env(ROOT))  # the same PYTHONPATH shape
        return measure_cases(cases, runs, tmp)


def main(runs: int = 15, baseline: str | None = None, block: Sequence[str] = ()) -> None:
    both = measure_both(runs, baseline, block)
    import binance

    markets = ', '.join(binance.assembly.markets)
    for clock, ms in both.items():
        print(f'-- {"wall-clock" if clock == "wall" else "CPU"} time')
        print(f'interpreter start-up: {ms.pop("start-up"):.1f} ms (subtracted)')
        for key, value in ms.items():
            print(f'{key}:  {value:.1f} ms' + (f'  (markets: {markets})' if key == 'import binance' else ''))
        print(f'ratio binance / aiohttp: {ms["import binance"] / ms["import aiohttp"]:.2f}')
        if baseline is not None:
            base = ms[f'import binance @ {baseline}']
            print(f'ratio binance / binance @ {baseline}: {ms["import binance"] / base:.3f}')


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=15)
    parser.add_argument('--baseline', help='a git revision to compare with, e.g. HEAD~3')
    parser.add_argument('--block', default='', help='packages to make unimportable, e.g. orjson,picows')
    args = parser.parse_args()
    main(args.runs, args.baseline, [m for m in args.block.split(',') if m])
