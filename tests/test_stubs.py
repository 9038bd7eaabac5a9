"""The editor stubs: committed ones match what the rows generate, and a type checker reads them: correct use of
every client passes, three deliberate mistakes are reported, each exactly (runs mypy, as CI pins it)."""

import pathlib
import re
import subprocess
import sys

from binance.__main__ import stub_files

ROOT = pathlib.Path(__file__).resolve().parents[1]
TYPING = pathlib.Path(__file__).with_name('typing')


def test_the_committed_stubs_are_what_the_rows_generate():
    files = stub_files()
    assert {p.relative_to(ROOT).as_posix() for p in files} == {
        'binance/__init__.pyi',
        'plugins/spot/binance_spot/client.pyi',
        'plugins/usdm/binance_usdm/client.pyi',
        'plugins/coinm/binance_coinm/client.pyi',
        'plugins/futures/binance_futures/clients.pyi',  # both futures clients, in their shared library
    }
    stale = [p.relative_to(ROOT).as_posix() for p, text in files.items() if p.read_text(encoding='utf-8') != text]
    assert not stale, f'stale stubs {stale}: run `python -m binance stubs` and commit them'


def test_a_third_party_rows_stay_out_of_the_committed_stubs():
    # The example plugin (installed next to this suite) adds get_margin_account to Spot; its stub is its own.
    text = (ROOT / 'plugins/spot/binance_spot/client.pyi').read_text(encoding='utf-8')
    assert 'async def get_margin_account' not in text and 'async def create_order(' in text


def _mypy(*files: pathlib.Path, cache: pathlib.Path) -> list[str]:
    run = subprocess.run(
        [sys.executable, '-m', 'mypy', '--config-file', str(ROOT / 'pyproject.toml'), f'--cache-dir={cache}']
        + [str(f.relative_to(ROOT)) for f in files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert run.returncode in (0, 1), run.stderr
    return [line for line in run.stdout.splitlines() if ': error: ' in line]


def test_mypy_accepts_correct_use_and_reports_exactly_the_three_mistakes(tmp_path):
    reported = _mypy(TYPING / 'good.py', TYPING / 'bad.py', cache=tmp_path)
    bad = (TYPING / 'bad.py').read_text(encoding='utf-8').splitlines()
    marked = [n for n, line in enumerate(bad, 1) if '# error:' in line]
    assert [re.match(r'tests/typing/(\w+)\.py:(\d+): error', r).groups() for r in reported] == [
        ('bad', str(n)) for n in marked
    ], '\n'.join(reported)
    unknown_method, unknown_param, missing = (r.split(': error: ')[1] for r in reported)
    assert unknown_method.startswith('"SpotClient" has no attribute "get_order_book"')
    assert 'get_orderbook' in unknown_method  # mypy's own "maybe ...?"
    assert unknown_param.startswith('Unexpected keyword argument "quantty" for "create_order" of "SpotClient"')
    assert 'quantity' in unknown_param
    assert missing.startswith('Missing named argument "type" for "create_order" of "SpotClient"')


def test_stubtest_finds_the_stubs_and_the_running_clients_in_agreement():
    # The stubs shadow the facade's and the clients' code for mypy, so mypy alone would not see them drift apart.
    modules = ['binance', 'binance_spot.client', 'binance_usdm.client', 'binance_coinm.client']
    run = subprocess.run(
        [sys.executable, '-m', 'mypy.stubtest', '--mypy-config-file', str(ROOT / 'pyproject.toml'), '--allowlist',
         str(TYPING / 'stubtest-allowlist.txt'), *modules],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
