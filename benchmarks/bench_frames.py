"""Cost of turning stream payloads into volas DataFrames, and where the time goes.

Run: ``python benchmarks/bench_frames.py [-n 200000]``. Prints the per-frame cost of a trade
payload through each stage (dict-only baseline, our conversion, volas construction, the whole
``receive``, dispatch) and of a 1000-row ``!miniTicker@arr`` frame, all in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable
from typing import Any

from volas import DataFrame

from binance_core.handlers import Dispatcher, FrameConverter, HandlerBase

try:
    from binance_spot.columns import MINI_TICKER, TRADE
except ImportError:  # core alone: the same maps, inline
    TRADE = {
        'e': ('type', 'str'),
        'E': ('event_time', 'time'),
        's': ('symbol', 'str'),
        't': ('trade_id', 'int'),
        'p': ('price', 'float'),
        'q': ('quantity', 'float'),
        'T': ('trade_time', 'time'),
        'm': ('is_buyer_maker', 'bool'),
    }
    MINI_TICKER = {
        'e': ('type', 'str'),
        'E': ('event_time', 'time'),
        's': ('symbol', 'str'),
        'o': ('open', 'float'),
        'h': ('high', 'float'),
        'l': ('low', 'float'),
        'c': ('close', 'float'),
        'v': ('volume', 'float'),
        'q': ('quote_volume', 'float'),
    }


class Trade(HandlerBase):
    event, columns = 'trade', TRADE


class RawTrade(Trade):
    as_frame = False


class Sink(Trade):
    def receive(self, payload: Any) -> None:
        super().receive(payload)


def trade_payloads(distinct: int) -> list[dict[str, Any]]:
    # Binance "Trade Streams" payload, with varying ids and prices.
    return [
        {
            'e': 'trade',
            'E': 1672515782136 + i,
            's': 'BNBBTC',
            't': 12345 + i,
            'p': f'0.{i % 1000:03d}1',
            'q': f'{100 + i % 7}.5',
            'T': 1672515782136 + i,
            'm': i % 2 == 0,
            'M': True,
        }
        for i in range(distinct)
    ]


def per_call(fn: Callable[[Any], Any], items: list[Any], n: int, repeat: int = 3) -> float:
    """Microseconds per call of ``fn(item)`` over *n* calls cycling through *items*; the best
    of *repeat* runs, as timeit does, so that a noisy neighbour does not skew a stage."""
    rounds, rest = divmod(n, len(items))
    batches = [items] * rounds + [items[:rest]]
    best = float('inf')
    for _ in range(repeat):
        start = time.perf_counter()
        for batch in batches:
            for item in batch:
                fn(item)
        best = min(best, time.perf_counter() - start)
    return best / n * 1e6


def dispatch_cost(items: list[Any], n: int) -> float:
    d = Dispatcher()
    d.add(Sink())
    d.route('bnbbtc@trade', 'Trade')

    async def run() -> float:
        rounds, rest = divmod(n, len(items))
        batches = [items] * rounds + [items[:rest]]
        start = time.perf_counter()
        for batch in batches:
            for item in batch:
                await d.dispatch_stream('bnbbtc@trade', item)
        return (time.perf_counter() - start) / n * 1e6

    return asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-n', type=int, default=200_000, help='trade payloads to convert (default 200000)')
    n = parser.parse_args().n
    payloads = trade_payloads(1000)
    convert = FrameConverter(TRADE)
    columns = [convert.to_columns(p)[0] for p in payloads]
    as_lists = [{k: list(v) for k, v in c.items()} for c in columns]
    trade, raw = Trade(), RawTrade()

    rows = [
        ('baseline: receive() with as_frame=False (dict only)', per_call(raw.receive, payloads, n)),
        (
            'baseline: a renamed dict built by hand',
            per_call(
                lambda p: {
                    'type': p['e'],
                    'event_time': p['E'],
                    'symbol': p['s'],
                    'trade_id': p['t'],
                    'price': float(p['p']),
                    'quantity': float(p['q']),
                    'trade_time': p['T'],
                    'is_buyer_maker': p['m'],
                },
                payloads,
                n,
            ),
        ),
        ('our conversion: FrameConverter.to_columns', per_call(convert.to_columns, payloads, n)),
        ('volas.DataFrame(columns as tuples)', per_call(DataFrame, columns, n)),
        ('volas.DataFrame(columns as lists), for comparison', per_call(DataFrame, as_lists, n)),
        ('whole receive(): payload -> DataFrame', per_call(trade.receive, payloads, n)),
        ('dispatch_stream -> sync handler calling super().receive', dispatch_cost(payloads, n)),
    ]
    print(f'trade payload, {n} frames (microseconds per frame)')
    for label, us in rows:
        print(f'  {us:8.2f}  {label}')
    whole, ours, volas_only = rows[5][1], rows[2][1], rows[3][1]
    print(f'  -> volas construction is {volas_only / whole:.0%} of receive(); our conversion {ours / whole:.0%}')

    # !miniTicker@arr: one frame of many rows (Binance sends only the symbols that changed).
    mini = [
        {
            'e': '24hrMiniTicker',
            'E': 1672515782136,
            's': f'SYM{i}',
            'c': '0.0025',
            'o': '0.0010',
            'h': '0.0025',
            'l': '0.0010',
            'v': '10000',
            'q': '18',
        }
        for i in range(1000)
    ]
    mini_convert = FrameConverter(MINI_TICKER)
    mini_columns = mini_convert.to_columns(mini)[0]
    mini_lists = {k: list(v) for k, v in mini_columns.items()}
    reps = max(1, n // 2000)
    print(f'!miniTicker@arr, 1000 rows, {reps} frames (microseconds per frame)')
    print(f'  {per_call(mini_convert.to_columns, [mini], reps):8.1f}  our conversion')
    print(f'  {per_call(DataFrame, [mini_columns], reps):8.1f}  volas.DataFrame(columns as tuples)')
    print(f'  {per_call(DataFrame, [mini_lists], max(1, reps // 10)):8.1f}  volas.DataFrame(columns as lists)')
    print(f'  {per_call(mini_convert, [mini], reps):8.1f}  whole conversion -> DataFrame')


if __name__ == '__main__':
    main()
