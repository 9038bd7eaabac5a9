"""Cost of turning stream payloads into volas DataFrames, and where the time goes: before and after, same run.

Run: ``python benchmarks/bench_frames.py [-n 100000]``. Prints microseconds per frame for a trade payload
(8 flat columns) and a kline payload (18 columns, 16 of them nested in ``k``), each through:

- yardsticks: ``json.loads`` of the frame's text, ``receive()`` with ``as_frame = False`` (the dict path) and
  a renamed dict built by hand;
- the general path, which was every frame's path before the readers and templates of
  ``binance_core.handlers.frames`` ("before"): ``to_columns`` then ``volas.DataFrame(columns)``;
- today's one-row path, its two stages (the generated reader, ``copy().append(row)`` of an empty frame) and
  the whole ``receive()``, also through ``Dispatcher.dispatch_stream`` to a sync handler;
- batched delivery: ``receive_batch`` (``FrameConverter.many``) for batches of 1, 10, 100 and 1000, per frame;

then one 1000-row ``!miniTicker@arr`` frame. Every figure is CPU time (``time.process_time``) and the best of 3
runs, as ``timeit`` does, so that a noisy neighbour on a shared machine skews it less.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

from volas import DataFrame

from binance_core.handlers import Dispatcher, FrameConverter, HandlerBase

try:
    from binance_spot.columns import KLINE, MINI_TICKER, TRADE
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
    KLINE = {
        'e': ('type', 'str'),
        'E': ('event_time', 'time'),
        'k': {
            't': ('open_time', 'time'),
            'T': ('close_time', 'time'),
            's': ('symbol', 'str'),
            'i': ('interval', 'str'),
            'o': ('open', 'float'),
            'h': ('high', 'float'),
            'l': ('low', 'float'),
            'c': ('close', 'float'),
            'v': ('volume', 'float'),
            'q': ('quote_volume', 'float'),
            'V': ('taker_volume', 'float'),
            'Q': ('taker_quote_volume', 'float'),
            'n': ('total_trades', 'int'),
            'x': ('is_closed', 'bool'),
            'f': ('first_trade_id', 'int'),
            'L': ('last_trade_id', 'int'),
        },
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

BATCHES = (1, 10, 100, 1000)


class Trade(HandlerBase):
    event, columns = 'trade', TRADE


class RawTrade(Trade):
    as_frame = False


class Kline(HandlerBase):
    event, columns = 'kline', KLINE


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


def kline_payloads(distinct: int) -> list[dict[str, Any]]:
    # Binance "Kline/Candlestick Streams" payload, with varying prices and trade ids.
    return [
        {
            'e': 'kline',
            'E': 1672515782136 + i,
            's': 'BNBBTC',
            'k': {
                't': 1672515780000,
                'T': 1672515839999,
                's': 'BNBBTC',
                'i': '1m',
                'f': 100 + i,
                'L': 200 + i,
                'o': '0.0010',
                'c': f'0.{i % 1000:03d}2',
                'h': '0.0025',
                'l': '0.0015',
                'v': f'{1000 + i % 7}',
                'n': 100 + i,
                'x': i % 2 == 0,
                'q': '1.0000',
                'V': '500',
                'Q': '0.500',
                'B': '123456',
            },
        }
        for i in range(distinct)
    ]


def per_call(fn: Callable[[Any], Any], items: list[Any], n: int, repeat: int = 3) -> float:
    """Microseconds of CPU per call of ``fn(item)`` over *n* calls cycling through *items*; the best
    of *repeat* runs, as timeit does, so that a noisy neighbour does not skew a stage."""
    rounds, rest = divmod(n, len(items))
    batches = [items] * rounds + [items[:rest]]
    best = float('inf')
    for _ in range(repeat):
        start = time.process_time()
        for batch in batches:
            for item in batch:
                fn(item)
        best = min(best, time.process_time() - start)
    return best / n * 1e6


def dispatch_cost(items: list[Any], n: int, repeat: int = 3) -> float:
    d = Dispatcher()
    d.add(Sink())
    d.route('bnbbtc@trade', 'Trade')

    async def run() -> float:
        rounds, rest = divmod(n, len(items))
        batches = [items] * rounds + [items[:rest]]
        best = float('inf')
        for _ in range(repeat):
            start = time.process_time()
            for batch in batches:
                for item in batch:
                    await d.dispatch_stream('bnbbtc@trade', item)
            best = min(best, time.process_time() - start)
        return best / n * 1e6

    return asyncio.run(run())


def before(convert: FrameConverter) -> Callable[[Any], DataFrame]:
    """A payload's frame the way every frame was built before: the general columns, then the constructor."""

    def frame(payload: Any) -> DataFrame:
        data, nulls = convert.to_columns(payload)
        df = DataFrame(data)
        return df.astype(nulls) if nulls else df

    return frame


def one_row(label: str, handler: HandlerBase, payloads: list[dict[str, Any]], n: int) -> list[tuple[str, float]]:
    convert = handler._frame
    assert convert is not None
    handler.receive(payloads[0])  # learn the shape and its template
    shape = convert._shape
    assert shape is not None
    rows = [shape.row(p) for p in payloads]
    template = next(t for t in shape.templates.values() if t is not None)
    columns = [convert.to_columns(p)[0] for p in payloads]
    old = before(convert)
    for p in payloads[:50]:
        assert handler.receive(p).equals(old(p))
    return [
        (f'{label}: before: payload -> columns (to_columns)', per_call(convert.to_columns, payloads, n)),
        (f'{label}: before: volas.DataFrame(columns as tuples)', per_call(DataFrame, columns, n)),
        (f'{label}: before: whole payload -> DataFrame', per_call(old, payloads, n)),
        (f'{label}: after: payload -> row (generated reader)', per_call(shape.row, payloads, n)),
        (f'{label}: after: empty.copy().append(row)', per_call(lambda r: template.copy().append(r), rows, n)),
        (f'{label}: after: whole receive(): payload -> DataFrame', per_call(handler.receive, payloads, n)),
    ]


def batched(handler: HandlerBase, payloads: list[dict[str, Any]], n: int) -> list[tuple[int, float]]:
    out = []
    for size in BATCHES:
        groups = [payloads[i : i + size] for i in range(0, len(payloads) - size + 1, size)]
        calls = max(3, n // size)
        out.append((size, per_call(handler.receive_batch, groups, calls) / size))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-n', type=int, default=100_000, help='payloads per one-row stage (default 100000)')
    n = parser.parse_args().n
    trades, klines = trade_payloads(1000), kline_payloads(1000)
    trade, raw, kline = Trade(), RawTrade(), Kline()

    texts = [json.dumps(p) for p in trades]
    rows = [
        ('yardstick: json.loads of the trade frame text', per_call(json.loads, texts, n)),
        ('baseline: receive() with as_frame=False (dict only)', per_call(raw.receive, trades, n)),
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
                trades,
                n,
            ),
        ),
        *one_row('trade', trade, trades, n),
        ('trade: after: dispatch_stream -> sync handler calling super().receive', dispatch_cost(trades, n)),
        *one_row('kline', kline, klines, n // 2),
    ]
    print(f'one-row frames, {n} payloads (microseconds per frame)')
    for label, us in rows:
        print(f'  {us:8.2f}  {label}')
    by = dict(rows)
    for label in ('trade', 'kline'):
        old, new = (
            by[f'{label}: before: whole payload -> DataFrame'],
            by[f'{label}: after: whole receive(): payload -> DataFrame'],
        )
        print(f'  -> {label}: {old:.2f} -> {new:.2f} us per frame ({old / new:.1f}x)')

    print('batched delivery: receive_batch(payloads) -> one DataFrame (microseconds per frame)')
    for label, handler, payloads in (('trade', trade, trades), ('kline', kline, klines)):
        cells = '  '.join(f'{size:>4}: {us:6.2f}' for size, us in batched(handler, payloads, n))
        print(f'  {label:<6} batch of {cells}')

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
    reps = max(3, n // 2000)
    print(f'!miniTicker@arr, 1000 rows, {reps} frames (microseconds per frame)')
    print(f'  {per_call(mini_convert.to_columns, [mini], reps):8.1f}  our conversion')
    print(f'  {per_call(DataFrame, [mini_columns], reps):8.1f}  volas.DataFrame(columns as tuples)')
    print(f'  {per_call(DataFrame, [mini_lists], max(1, reps // 10)):8.1f}  volas.DataFrame(columns as lists)')
    print(f'  {per_call(mini_convert, [mini], reps):8.1f}  whole conversion -> DataFrame')


if __name__ == '__main__':
    main()
