"""The main job: ``python -m binance demo`` (and ``python -m binance_testing demo``) runs to completion against
the simulated exchange, showing the markets that are installed and skipping the others with a hint."""

import subprocess
import sys

import pytest

import binance
from binance.__main__ import main as binance_main

SPOT_AT_WORK = (
    'Live trades',
    '1m kline',
    'Managed order book BTCUSDT (ready=True',
    'status PARTIALLY_FILLED',
    'cancel_order: status CANCELED',
    'x=TRADE',
    'x=CANCELED',
    'outboundAccountPosition',
    'Rate limits',
    'request_weight',
    'done: every connection closed',
)
FUTURES = {'usdm': ('UMFuturesClient', 'binance-market-usdm'), 'coinm': ('CMFuturesClient', 'binance-market-coinm')}
# Each futures market on the simulated exchange: a position opened and closed, with its user-data events.
FUTURES_AT_WORK = {
    'usdm': (
        'simulated USDⓈ-M exchange',
        'MARKET BUY 0.010 BTCUSDT',
        'ORDER_TRADE_UPDATE  x=TRADE',
        'ACCOUNT_UPDATE      m=ORDER    USDT wallet=10000.00000000  BTCUSDT BOTH amt=0.01 entry=30000.10000000',
        'get_position_risk: BTCUSDT BOTH amt=0.010 entry=30000.10000000',
        'realized PnL +',
        ' USDT (ORDER_TRADE_UPDATE rp)',
    ),
    # COIN-M: 1 inverse contract of 100 USD; margin, PnL and wallet in BTC.
    'coinm': (
        'simulated COIN-M exchange',
        'MARKET BUY 1 BTCUSD_PERP (1 contract = 100 USD',
        'ACCOUNT_UPDATE      m=ORDER    BTC wallet=1.00000000  BTCUSD_PERP BOTH amt=1 entry=30000.10000000',
        'get_position_risk: BTCUSD_PERP BOTH amt=1 entry=30000.10000000',
        'margin=0.00066667 BTC',  # 100 / 30000.0 BTC at leverage 5
        'realized PnL +0.00001657 BTC (ORDER_TRADE_UPDATE rp)',  # 100 x (1/30000.1 - 1/30150.0)
        'wallet 1.00001657 BTC (ACCOUNT_UPDATE wb)',
    ),
}


def _demo(module, *args):
    return subprocess.run(
        [sys.executable, '-m', module, 'demo', '--seconds', '1', *args],
        capture_output=True,
        text=True,
        timeout=90,
    )


def test_demo_runs_to_completion_and_shows_the_sdk_at_work():
    out = _demo('binance', '--markets', 'spot,usdm,coinm,nosuch')
    assert out.returncode == 2 and 'unknown market' in out.stderr  # a typo is refused up front

    out = _demo('binance', '--markets', 'spot,usdm,coinm')
    assert out.returncode == 0, out.stderr
    text = out.stdout
    for expected in SPOT_AT_WORK:
        assert expected in text, expected
    for market, (client, dist) in FUTURES.items():
        if market in binance.assembly.markets:
            assert client in text, client
            start = text.index(f'{client}: simulated')
            ends = [
                i for i in (text.find('FuturesClient: simulated', start + len(client)), text.find('== done')) if i > 0
            ]
            part = text[start : min(ends)]  # this market's part only
            for expected in FUTURES_AT_WORK[market]:
                assert expected in part, expected
            assert 'demo stopped' not in part and 'trading skipped' not in part
        else:  # not installed here: skipped with a one-line hint, not an error
            assert f'{market}: not installed, skipped (pip install {dist})' in text
    assert 'Traceback' not in out.stderr


def test_the_test_kit_runs_the_demo_itself():
    out = _demo('binance_testing', '--markets', 'spot')
    assert out.returncode == 0, out.stderr
    assert 'Managed order book BTCUSDT (ready=True' in out.stdout and 'Traceback' not in out.stderr


def test_without_the_test_kit_python_m_binance_demo_says_what_to_install(monkeypatch, capsys):
    for name in [n for n in sys.modules if n == 'binance_testing' or n.startswith('binance_testing.')]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, 'binance_testing', None)  # as if not installed: importing it fails
    assert binance_main(['demo', '--seconds', '1']) == 2
    err = capsys.readouterr().err
    assert err.count('\n') == 1 and 'pip install binance-sdk-testing' in err


def test_the_demo_options_are_the_test_kits(capsys):
    with pytest.raises(SystemExit) as exit_:
        binance_main(['demo', '--help'])
    assert exit_.value.code == 0 and '--markets' in capsys.readouterr().out
