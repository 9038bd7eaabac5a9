"""The runtime gets no test code: pytest loads a plugin of ours if and only if the test kit
(``binance-sdk-testing``) is installed, and ``binance_core.testing`` never exists. True in every
environment, so it needs no skip: scripts/test runs it alone where only the core and Spot are installed."""

import importlib.metadata
import importlib.util
import subprocess
import sys

import pytest

OUR_PACKAGES = (
    'binance',
    'binance_core',
    'binance_spot',
    'binance_usdm',
    'binance_coinm',
    'binance_futures',
    'binance_testing',
)


def _installed(distribution):
    try:
        importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def _ours(plugin):
    name = getattr(plugin, '__name__', '') or type(plugin).__module__
    return name.split('.')[0] in OUR_PACKAGES


def test_pytest_loaded_our_plugin_iff_the_test_kit_is_installed(pytestconfig):
    kit = _installed('binance-sdk-testing')
    ours = [p for p in pytestconfig.pluginmanager.get_plugins() if _ours(p)]
    assert [p.__name__ for p in ours] == (['binance_testing.pytest_plugin'] if kit else [])
    entry_points = importlib.metadata.entry_points(group='pytest11')
    assert {ep.dist.name for ep in entry_points if ep.value.split('.')[0] in OUR_PACKAGES} == (
        {'binance-sdk-testing'} if kit else set()
    )


def test_the_test_kit_is_importable_iff_installed():
    assert (importlib.util.find_spec('binance_testing') is not None) == _installed('binance-sdk-testing')
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module('binance_core.testing')
    assert importlib.util.find_spec('binance_core.demo') is None


def test_importing_binance_loads_no_test_code():
    code = (
        'import sys, binance; print(sorted(m for m in sys.modules if m.split(".")[0] == "binance_testing"'
        ' or m.startswith("binance_core.testing") or m.endswith((".fake", ".suite", "pytest_plugin"))))'
    )
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == '[]'


def test_the_demo_names_the_test_kit_when_it_is_missing():
    out = subprocess.run(
        [sys.executable, '-m', 'binance', 'demo', '--seconds', '0', '--markets', 'nosuch'],
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert out.returncode == 2  # an unknown market with the kit; the hint without it
    if not _installed('binance-sdk-testing'):
        assert out.stderr == 'the demo comes with the test kit: pip install binance-sdk-testing\n'
