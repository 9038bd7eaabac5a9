"""Run every benchmark and write the table (``benchmarks/RESULTS.md``): each SDK path next to its baselines, in the
same run, with and without the speed extra, against an exchange in its own process.

    python -m benchmarks [--reps 7] [--quick] [--sections streams,book,ws_api,many,import] [--no-write]

(``bash scripts/bench`` sets up ``.venv-bench/`` and runs this.) One exchange process
(``benchmarks/harness.py``) serves every run; one client process per configuration (``benchmarks/worker.py``)
warms every path up, then runs all of them ``--reps`` times, reversing the order every other repetition. A
rate is the median over the repetitions; a ratio is the median of the ratios of runs made in the same
repetition (so a busy neighbour slows both sides of a ratio alike), with the lowest and highest in brackets.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import tempfile
from typing import Any, NamedTuple

from benchmarks import bench_import
from benchmarks.harness import ExchangeProcess

ROOT = pathlib.Path(__file__).resolve().parents[1]
RESULTS = ROOT / 'benchmarks' / 'RESULTS.md'
# The tree issue 15 was filed against: "today" for the import-time target (at or below its ratio to aiohttp).
IMPORT_BASELINE = 'dfb2c62'
IMPORT_TODAY = 0.81  # issue 15's figure (aiohttp's import time over ours), when that revision is not at hand
BLOCKED = 'orjson,picows'
CONFIGS = {
    # name: (environment for the client process, label in the table)
    'plain': ({'BENCH_BLOCK': BLOCKED, 'BINANCE_TRANSPORT': 'aiohttp', 'BINANCE_JSON': 'json'}, ''),
    'speed': ({'BENCH_BLOCK': '', 'BINANCE_TRANSPORT': 'picows', 'BINANCE_JSON': 'orjson'}, ', speed extra'),
}


class Row(NamedTuple):
    """One line of the table: *ours* against *baseline*, both measured by the worker of *config*."""

    path: str
    config: str
    ours: str
    baseline: str
    baseline_label: str
    unit: str
    target: float | None


ROWS = (
    Row('stream, dict path', 'plain', 'sdk dict', 'bare aiohttp', 'bare aiohttp + json', 'frames/s', 0.9),
    Row('stream, dict path', 'speed', 'sdk dict', 'bare picows', 'bare picows + orjson', 'frames/s', 0.6),
    Row('stream, dict path', 'speed', 'sdk dict', 'bare aiohttp', 'bare aiohttp + json', 'frames/s', None),
    Row('stream, DataFrame path', 'plain', 'sdk frame', 'bare aiohttp', 'bare aiohttp + json', 'frames/s', 0.4),
    Row('stream, DataFrame path', 'speed', 'sdk frame', 'bare aiohttp', 'bare aiohttp + json', 'frames/s', 0.4),
    Row(
        'stream, DataFrame batched (≤ 256)',
        'plain',
        'sdk frame batched',
        'bare aiohttp',
        'bare aiohttp + json',
        'frames/s',
        None,
    ),
    Row(
        'stream, DataFrame batched (≤ 256)',
        'speed',
        'sdk frame batched',
        'bare aiohttp',
        'bare aiohttp + json',
        'frames/s',
        None,
    ),
    Row(
        'order book (Spot diff depth)', 'plain', 'book sdk', 'book dict aiohttp', 'dict book, aiohttp', 'events/s', 0.6
    ),
    Row(
        'order book (Spot diff depth)', 'speed', 'book sdk', 'book dict aiohttp', 'dict book, aiohttp', 'events/s', 0.6
    ),
    Row('order book (Spot diff depth)', 'speed', 'book sdk', 'book dict picows', 'dict book, picows', 'events/s', None),
    Row(
        'order book (Spot diff depth)',
        'plain',
        'book sdk',
        'book dict scan',
        'dict book, max/min per event',
        'events/s',
        None,
    ),
    Row('WS-API, 1 in flight', 'plain', 'ws sdk 1', 'ws bare 1', 'bare aiohttp + json', 'req/s', None),
    Row('WS-API, 1 in flight', 'speed', 'ws sdk 1', 'ws bare 1', 'bare aiohttp + json', 'req/s', None),
    Row('WS-API, 100 in flight', 'plain', 'ws sdk 100', 'ws bare 100', 'bare aiohttp + json', 'req/s', 0.85),
    Row('WS-API, 100 in flight', 'speed', 'ws sdk 100', 'ws bare 100', 'bare aiohttp + json', 'req/s', 0.85),
    Row('{many} Spot trade streams', 'plain', 'many sdk', 'many bare aiohttp', 'bare aiohttp + json', 'frames/s', None),
    Row('{many} Spot trade streams', 'speed', 'many sdk', 'many bare picows', 'bare picows + orjson', 'frames/s', None),
)


def log(*args: Any) -> None:
    print(*args, file=sys.stderr, flush=True)


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return 'not installed'


def _cpu() -> str:
    try:
        for line in pathlib.Path('/proc/cpuinfo').read_text().splitlines():
            if line.startswith('model name'):
                return line.partition(':')[2].strip()
    except OSError:
        pass
    return platform.processor() or 'unknown CPU'


def _git(*args: str) -> str:
    try:
        return subprocess.run(['git', '-C', str(ROOT), *args], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return ''


def run_worker(port: int, config: str, args: argparse.Namespace, sections: list[str]) -> dict[str, Any]:
    env_extra, _ = CONFIGS[config]
    env = {**os.environ, **env_extra}
    env['PYTHONPATH'] = os.pathsep.join(filter(None, (str(ROOT), os.environ.get('PYTHONPATH'))))
    cmd = [
        sys.executable,
        '-m',
        'benchmarks.worker',
        f'--port={port}',
        f'--config={config}',
        f'--reps={args.reps}',
        f'--sections={",".join(sections)}',
        f'--frames={args.frames}',
        f'--book-events={args.book_events}',
        f'--requests={args.requests}',
        f'--many-streams={args.many_streams}',
        f'--per-stream={args.per_stream}',
    ]
    log(f'== client process, {config}: {" ".join(f"{k}={v}" for k, v in env_extra.items())}')
    proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    if proc.returncode:
        raise SystemExit(f'the {config} client process failed (exit code {proc.returncode})')
    return dict(json.loads(proc.stdout))


def _paired(ours: list[float], base: list[float]) -> tuple[float, float, float]:
    ratios = [o / b for o, b in zip(ours, base, strict=True) if b]
    return statistics.median(ratios), min(ratios), max(ratios)


def _met(wall: bool, cpu: bool) -> str:
    """Read by the wall-clock ratio; where the CPU-time ratio disagrees, say so."""
    if wall == cpu:
        return 'yes' if wall else 'no'
    return 'yes (by CPU time: no)' if wall else 'no (by CPU time: yes)'


def _rate(value: float, unit: str) -> str:
    return f'{value:,.0f} {unit}'


def build_rows(workers: dict[str, dict[str, Any]], imports: dict[str, Any], today: float) -> list[list[str]]:
    table = []
    for row in ROWS:
        work = workers.get(row.config)
        if work is None or row.baseline not in work['rates']:
            continue
        rates, cpu = work['rates'], work['cpu_rates']
        label = row.path.format(many=f'{work.get("many", {}).get("streams", 0):,}') + CONFIGS[row.config][1]
        target = f'≥ {row.target:.2f}' if row.target is not None else '—'
        base = statistics.median(rates[row.baseline])
        base_cell = f'{_rate(base, row.unit)} ({row.baseline_label})'
        if row.ours not in rates:
            why = 'failed' if row.ours in work.get('errors', {}) else 'n/a'
            table.append([label, why, base_cell, 'n/a', 'n/a', target, 'n/a' if row.target is None else 'no'])
            continue
        ours = statistics.median(rates[row.ours])
        ratio, lo, hi = _paired(rates[row.ours], rates[row.baseline])
        cpu_ratio, cpu_lo, cpu_hi = _paired(cpu[row.ours], cpu[row.baseline])
        met = '—' if row.target is None else _met(ratio >= row.target, cpu_ratio >= row.target)
        table.append(
            [
                label,
                _rate(ours, row.unit),
                base_cell,
                f'{ratio:.2f}× ({lo:.2f}–{hi:.2f})',
                f'{cpu_ratio:.2f}× ({cpu_lo:.2f}–{cpu_hi:.2f})',
                target,
                met,
            ]
        )
    base = imports.get('baseline')
    for config in (c for c in CONFIGS if f'wall {c}' in imports):
        ratio = imports['wall aiohttp'] / imports[f'wall {config}']
        cpu_ratio = imports['cpu aiohttp'] / imports[f'cpu {config}']
        goal = imports['wall aiohttp'] / imports['wall base'] if base else today
        cpu_goal = imports['cpu aiohttp'] / imports['cpu base'] if base else today
        table.append(
            [
                'import binance' + CONFIGS[config][1],
                f'{imports[f"wall {config}"]:.0f} ms',
                f'{imports["wall aiohttp"]:.0f} ms (import aiohttp)',
                f'{ratio:.2f}×',
                f'{cpu_ratio:.2f}× (≥ {cpu_goal:.2f})' if base else f'{cpu_ratio:.2f}×',
                f'≥ {goal:.2f} ({base or "issue 15"})',
                _met(ratio >= goal, cpu_ratio >= cpu_goal),
            ]
        )
    return table


def render(table: list[list[str]]) -> str:
    head = ['path', 'ours', 'baseline', 'ratio', 'CPU-time ratio', 'target', 'met?']
    lines = ['| ' + ' | '.join(head) + ' |', '|' + '|'.join(['---'] * len(head)) + '|']
    lines += ['| ' + ' | '.join(r) + ' |' for r in table]
    return '\n'.join(lines)


def describe(
    args: argparse.Namespace, workers: dict[str, dict[str, Any]], imports: dict[str, Any], load: tuple[float, ...]
) -> list[str]:
    rev = _git('rev-parse', '--short', 'HEAD').strip() or 'unknown'
    dirty = ' with uncommitted changes' if _git('status', '--porcelain', '--untracked-files=no').strip() else ''
    dists = ('binance-sdk-core', 'aiohttp', 'orjson', 'picows', 'volas')
    lines = [
        f'- Date: {datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")}; tree {rev}{dirty}.',
        f'- Machine: {_cpu()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; load average '
        f'{load[0]:.2f} when the run started (other work shares the cores: absolute rates are noisy, ratios less so).',
        f'- Python {platform.python_version()}; ' + ', '.join(f'{d} {_version(d)}' for d in dists) + '.',
        '- Without the speed extra, the client process cannot import `orjson` or `picows` and runs with '
        '`BINANCE_TRANSPORT=aiohttp`; with it, both are importable and `BINANCE_TRANSPORT=picows`.',
    ]
    if workers:
        lines.append(
            f'- {args.reps} repetitions after a warm-up; {args.frames:,} trade frames per stream run, '
            f'{args.book_events:,} diff events (~10 levels each, on a 1,000-level snapshot) per book run, '
            f'{args.requests // 3:,} signed `account.status` requests per 1-in-flight run and {args.requests:,} per '
            f'100-in-flight run (HMAC, every request signed; the SDK with `rate_limit_guard=False`), '
            f'{args.per_stream} frames on each of {args.many_streams:,} streams per many-streams run.'
        )
    for config, work in workers.items():
        used = work['sdk'].get('imported', {})
        json_name = used.get('json', 'orjson' if used.get('orjson') else 'json')
        transport = 'picows' if used.get('picows') else 'aiohttp'
        label = 'with the speed extra' if config == 'speed' else 'without it'
        lines.append(
            f'- {label.capitalize()}, the SDK used {json_name} and {transport} (what it imported by itself, '
            'before any bare reader ran).'
        )
    if imports:
        source = (
            f'`import binance` of {imports["baseline"]} (the tree issue 15 was filed against) in the same series'
            if imports.get('baseline')
            else f"issue 15's figure, {IMPORT_TODAY}"
        )
        lines.append(
            f'- Imports: {args.import_runs} fresh interpreters per case, alternating, start-up subtracted; the '
            f"target is aiohttp's import time over that of {source}."
        )
    notes = sorted({n for w in workers.values() for n in w.get('notes', ())})
    lines += [f'- {n}' for n in notes]
    for config, work in workers.items():
        lines += [f'- FAILED ({config}): {name}: {error}' for name, error in work.get('errors', {}).items()]
    return lines


def write(table: list[list[str]], info: list[str], path: pathlib.Path) -> None:
    text = '\n'.join(
        [
            '# Benchmark results',
            '',
            'Written by `bash scripts/bench` (`python -m benchmarks`, see `benchmarks/run.py`). The exchange ran in '
            'its own process on 127.0.0.1 (`benchmarks/harness.py`), sending pre-encoded frames faster than any '
            'client here reads them; each SDK path ran next to its baselines, on the same frames from the same '
            'server process, in the same client process. Rates are medians of wall-clock rates; a ratio is ours '
            "over the baseline (for imports: aiohttp's import time over ours), the median of the ratios of runs "
            'made side by side, lowest and highest in brackets; *met?* reads that ratio. The CPU-time ratio is the '
            "same comparison by the client process's own CPU time (user + system): a busy neighbour on a shared "
            'machine inflates it less, but it is blind to a client idling in a stall, so read the two together.',
            '',
            render(table),
            '',
            *info,
            '',
        ]
    )
    path.write_text(text)


def measure_imports(args: argparse.Namespace, configs: list[str]) -> dict[str, Any]:
    """``import binance`` in each configuration, ``import aiohttp``, and ``import binance`` of the revision the
    target comes from, all alternating in one series of fresh interpreters (``bench_import.measure_cases``)."""
    baseline = None if args.import_baseline == 'none' else args.import_baseline
    if baseline is not None and not _git('rev-parse', '--verify', '--quiet', baseline + '^{commit}'):
        log(f"import baseline {baseline!r} is not in this repository: the target is issue 15's {IMPORT_TODAY}")
        baseline = None
    with tempfile.TemporaryDirectory() as tmp:
        here = bench_import._tree_env(ROOT) if baseline is not None else None  # the same PYTHONPATH shape
        cases: dict[str, tuple[str, Any]] = {'aiohttp': ('import aiohttp', here)}
        for config in configs:
            block = BLOCKED.split(',') if config == 'plain' else []
            cases[config] = (bench_import.blocking(block) + 'import binance', here)
        if baseline is not None:
            tree = bench_import.export_tree(baseline, pathlib.Path(tmp) / 'baseline')
            cases['base'] = ('import binance', bench_import._tree_env(tree))
        try:
            both = bench_import.measure_cases(cases, args.import_runs, tmp)
        except subprocess.CalledProcessError as exc:
            if baseline is None:
                raise
            # E.g. an installed plugin that needs today's core: that revision cannot be imported here.
            why = (exc.stderr or '').strip().splitlines()[-1:] or ['?']
            log(f"import binance @ {baseline} failed ({why[0]}): the target is issue 15's {IMPORT_TODAY}")
            del cases['base']
            both = bench_import.measure_cases(cases, args.import_runs, tmp)
    out: dict[str, Any] = {f'{clock} {key}': value for clock, ms in both.items() for key, value in ms.items()}
    if 'wall base' in out:
        out['baseline'] = baseline
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--reps', type=int, default=7)
    parser.add_argument('--sections', default='streams,book,ws_api,many,import')
    parser.add_argument('--configs', default='plain,speed')
    parser.add_argument('--frames', type=int, default=40_000, help='trade frames per stream run')
    parser.add_argument('--book-events', type=int, default=4_000, help='diff events per order-book run')
    parser.add_argument('--requests', type=int, default=3_000, help='WS-API requests per 100-in-flight run')
    parser.add_argument('--many-streams', type=int, default=3_000)
    parser.add_argument('--per-stream', type=int, default=20, help='frames per stream in the many-streams run')
    parser.add_argument('--import-runs', type=int, default=11)
    parser.add_argument('--import-baseline', default=IMPORT_BASELINE, help="a git revision, or 'none'")
    parser.add_argument('--quick', action='store_true', help='a smoke run: 2 repetitions of small runs')
    parser.add_argument('--out', type=pathlib.Path, default=RESULTS)
    parser.add_argument('--no-write', action='store_true', help='print the table only')
    args = parser.parse_args(argv)
    if args.quick:
        args.reps, args.frames, args.book_events, args.requests, args.import_runs = 2, 10_000, 1_000, 1_000, 3
    sections = args.sections.split(',')
    configs = args.configs.split(',')
    load = os.getloadavg()

    workers: dict[str, dict[str, Any]] = {}
    client_sections = [s for s in sections if s != 'import']
    if client_sections:
        with ExchangeProcess(book_events=args.book_events) as exchange:
            assert exchange.port is not None
            log(f'== exchange process on 127.0.0.1:{exchange.port}')
            for config in configs:
                workers[config] = run_worker(exchange.port, config, args, client_sections)

    imports: dict[str, Any] = {}
    if 'import' in sections:
        log('== import times')
        imports = measure_imports(args, configs)

    table = build_rows(workers, imports, IMPORT_TODAY)
    info = describe(args, workers, imports, load)
    print(render(table))
    print('\n'.join(info))
    if not args.no_write:
        write(table, info, args.out)
        log(f'== written to {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}')


if __name__ == '__main__':
    main()
