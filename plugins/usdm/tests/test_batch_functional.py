"""Batch orders and batch cancels of UMFuturesClient on the wire (FUTURES-API.md §6, §8 trap 3): the checks every
futures market runs (``binance_futures.suite.requests.BatchChecks``: compact JSON arrays under a signature the fake
exchange recomputes over the bytes it received, 1 to 5 orders, no conditional items, at most 10 cancel ids, a lost
batch answer carrying every client order id) with USDⓈ-M's data."""

from pathlib import Path

from binance import UMFuturesClient
from binance_futures.suite.requests import BatchChecks
from binance_futures.suite.rows import load_wire

WIRE = load_wire(Path(__file__).with_name('wire_cases.py'))


class TestUsdmBatch(WIRE.Usdm, BatchChecks):
    client = UMFuturesClient
