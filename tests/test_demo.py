"""The main job: ``python -m binance demo`` runs to completion against the simulated exchange."""

import subprocess
import sys


def test_demo_runs_to_completion_and_shows_the_sdk_at_work():
    out = subprocess.run(
        [sys.executable, '-m', 'binance', 'demo', '--seconds', '1', '--markets', 'spot,usdm,coinm,nosuch'],
        capture_output=True, text=True, timeout=90,
    )
    assert out.returncode == 2 and 'unknown market' in out.stderr  # a typo is refused up front

    out = subprocess.run(
        [sys.executable, '-m', 'binance', 'demo', '--seconds', '1', '--markets', 'spot,usdm,coinm'],
        capture_output=True, text=True, timeout=90,
    )
    assert out.returncode == 0, out.stderr
    text = out.stdout
    for expected in (
        'Live trades', '1m kline', 'Managed order book BTCUSDT (ready=True',
        'status PARTIALLY_FILLED', 'cancel_order: status CANCELED', 'x=TRADE', 'x=CANCELED',
        'outboundAccountPosition', 'Rate limits', 'request_weight', 'UMFuturesClient', 'CMFuturesClient',
        'done: every connection closed',
    ):
        assert expected in text, expected
    assert 'Traceback' not in out.stderr
