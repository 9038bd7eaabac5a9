"""UMFuturesClient over the futures WS-API (``ws-fapi``) against the loopback fake exchange: the checks every futures
market runs (``binance_futures.suite.requests.WsApiChecks``: signing with all three key types, Ed25519 logging the
session on, time sync against ``/fapi/v1/time`` with a skewed server clock, the single re-signed resend after
``-1021`` / ``-5028``, unknown outcomes never re-sent, conditional order types refused before anything leaves) with
USDⓈ-M's data."""

from pathlib import Path

from binance import UMFuturesClient
from binance_futures.suite.requests import WsApiChecks
from binance_futures.suite.rows import load_wire

WIRE = load_wire(Path(__file__).with_name('wire_cases.py'))


class TestUsdmWsApi(WIRE.Usdm, WsApiChecks):
    client = UMFuturesClient
