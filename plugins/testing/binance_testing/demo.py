"""``python -m binance demo`` (or ``python -m binance_testing demo``): the SDK doing its real work against
the test kit's simulated exchange.

Everything runs on 127.0.0.1: a simulated exchange is started, Ed25519 credentials are created on
the fly and registered with it, and each selected market's client is used exactly as a user would
use it. The demo exits by itself after ``--seconds`` or on Ctrl-C, closing every connection.

Scenarios are a table keyed by market name; a market whose plugin is not installed is skipped
with a one-line hint.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from collections import deque
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any, TextIO

__all__ = ['add_arguments', 'run_demo']

SYMBOL = 'BTCUSDT'
START_PRICE = '30000.00'
DISTRIBUTIONS = {'spot': 'binance-market-spot', 'usdm': 'binance-market-usdm', 'coinm': 'binance-market-coinm'}


class Screen:
    """Plain, readable terminal output: section titles and aligned rows (no terminal control codes,
    so the output also reads well when piped to a file or a CI log)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def title(self, text: str) -> None:
        self.out.write(f'\n== {text} ' + '=' * max(3, 76 - len(text)) + '\n')
        self.out.flush()

    def line(self, text: str = '') -> None:
        self.out.write(f'  {text}\n')
        self.out.flush()

    def block(self, text: str) -> None:
        for row in str(text).splitlines():
            self.line(row)


def _ed25519_credentials() -> tuple[Any, bytes]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from binance_core.credentials import Credentials

    key = ed25519.Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return Credentials('demo-ed25519-key', private_key=pem), public


def _levels(side: list[list[Decimal]], n: int) -> list[str]:
    return [f'{p:>12} x {q:<10}' for p, q in side[:n]]


async def _until(predicate: Callable[[], bool], within: float) -> bool:
    try:
        async with asyncio.timeout(within):
            while not predicate():  # noqa: ASYNC110 (the demo polls handler state it does not own)
                await asyncio.sleep(0.02)
        return True
    except TimeoutError:
        return False


async def spot_demo(screen: Screen, deadline: float) -> None:
    import binance
    from binance_testing import SimulatedExchange

    creds, public_pem = _ed25519_credentials()
    async with SimulatedExchange('spot', symbols={SYMBOL: START_PRICE}, seed=7, tick=0.05) as sim:
        screen.title(f'Spot: simulated exchange on {sim.rest_url} ({SYMBOL} around {START_PRICE})')
        sim.add_key(creds.api_key, public_key_pem=public_pem)
        await sim.fund(creds.api_key, 'USDT', '100000')
        await sim.fund(creds.api_key, 'BTC', '2')
        screen.line(f'Ed25519 key created on the fly: {creds!r}; funded 100000 USDT and 2 BTC')

        trades: deque[Any] = deque(maxlen=6)
        seen = [0]
        klines: list[Any] = []
        events: list[str] = []

        class Trades(binance.TradeHandlerBase):
            def receive(self, payload: Any) -> None:
                seen[0] += 1
                trades.append(super().receive(payload))

        class Klines(binance.KlineHandlerBase):
            def receive(self, payload: Any) -> None:
                klines.append(super().receive(payload))

        class Orders(binance.OrderUpdateHandlerBase):
            def receive(self, payload: Any) -> None:
                events.append(
                    f'executionReport  x={payload["x"]:<9} X={payload["X"]:<17} '
                    f'last={payload["l"]:<11} cum={payload["z"]:<11} @ {payload["L"]}'
                )

        class Positions(binance.AccountPositionHandlerBase):
            def receive(self, payload: Any) -> None:
                bal = {b['a']: b['f'] for b in payload['B']}
                events.append('outboundAccountPosition  ' + '  '.join(f'{a} free={f}' for a, f in sorted(bal.items())))

        book_handler = binance.OrderBookHandlerBase(limit=100)
        async with binance.SpotClient(creds, **sim.client_kwargs()) as spot:
            spot.handler(Trades(), Klines(), Orders(), Positions(), book_handler)
            await spot.subscribe(
                (binance.SubType.TRADE, SYMBOL),
                (binance.SubType.KLINE, SYMBOL, binance.TimeFrame.m1),
                (binance.SubType.ORDER_BOOK, SYMBOL),
                (binance.SubType.USER,),
            )
            screen.line(f'subscribed over one stream connection: {sorted(sim.subscriptions())}')
            screen.line('user data: session.logon + userDataStream.subscribe over the WS-API')

            book = book_handler.orderbook(SYMBOL)
            async with asyncio.timeout(15):
                await book.updated()
            await _until(lambda: len(trades) >= 3 and bool(klines), 10)

            screen.title('Live trades (TradeHandlerBase -> volas.DataFrame rows)')
            for df in list(trades)[-5:]:
                row = {c: df[c][0] for c in ('trade_id', 'price', 'quantity', 'is_buyer_maker')}
                screen.line(
                    f'trade {row["trade_id"]:>6}  price {row["price"]:>10.2f}  qty {row["quantity"]:>8.4f}  '
                    f'buyer maker {bool(row["is_buyer_maker"])}'
                )
            if klines:
                screen.title('1m kline (KlineHandlerBase -> volas.DataFrame)')
                screen.block(
                    klines[-1][
                        ['symbol', 'interval', 'open', 'high', 'low', 'close', 'volume', 'is_closed']
                    ].to_string()
                )

            screen.title(f'Managed order book {SYMBOL} (ready={book.ready}, lastUpdateId={book.last_update_id})')
            bids, asks = book.bids[::-1], book.asks
            screen.line(f'{"bids":>26} | {"asks":<26}')
            for b, a in zip(_levels(bids, 5), _levels(asks, 5), strict=False):
                screen.line(f'{b} | {a}')

            screen.title('A limit order over the WS-API: placed, partially filled, cancelled')
            best_price, best_qty = book.best_ask
            qty = (best_qty * Decimal('1.5')).quantize(Decimal('0.00001'))
            sim.pause()  # hold the market still so the fill is exactly the best ask level
            placed = await spot.create_order(
                symbol=SYMBOL,
                side=binance.OrderSide.BUY,
                type=binance.OrderType.LIMIT,
                timeInForce=binance.TimeInForce.GTC,
                quantity=str(qty),
                price=str(best_price),
            )
            screen.line(
                f'create_order: BUY {qty} @ {best_price} -> status {placed["status"]}, '
                f'executed {placed["executedQty"]}, clientOrderId {placed["clientOrderId"]}'
            )
            status = await spot.get_order(symbol=SYMBOL, orderId=placed['orderId'])
            screen.line(
                f'get_order: status {status["status"]}, executed {status["executedQty"]} of {status["origQty"]}'
            )
            cancelled = await spot.cancel_order(symbol=SYMBOL, orderId=placed['orderId'])
            screen.line(f'cancel_order: status {cancelled["status"]}')
            sim.resume()
            await _until(lambda: sum('CANCELED' in e for e in events) >= 1, 5)
            screen.line('user-data events, in order:')
            for e in events:
                screen.line(f'  {e}')

            remaining = deadline - time.monotonic()
            if remaining > 0:
                screen.title(f'Market keeps moving ({remaining:.0f} s)')
                while time.monotonic() < deadline:
                    await asyncio.sleep(min(1.0, max(0.0, deadline - time.monotonic())))
                    bb, ba = book.best_bid, book.best_ask
                    last = trades[-1]['price'][0] if trades else float('nan')
                    screen.line(
                        f'ready={book.ready!s:<5} best bid {bb[0] if bb else "-":>10}  best ask '
                        f'{ba[0] if ba else "-":>10}  last trade {last:>10.2f}  trades seen {seen[0]}'
                    )

            screen.title('Rate limits (client.rate_limit_snapshot(), local, no network)')
            snap = spot.rate_limit_snapshot()
            for w in snap.windows:
                screen.line(
                    f'{w.scope:<10} {w.type:<15} {w.interval or "cap":>4}  {w.used:>6}/{w.limit:<7} '
                    f'{w.utilization:6.1%}  source={w.source}'
                )
            screen.line(
                f'max utilization {snap.max_utilization:.1%}, throttled={snap.throttled}, pending={snap.pending}'
            )


async def futures_demo(market: str, screen: Screen, deadline: float) -> None:
    import binance
    from binance_testing import FakeExchange

    cls = binance.assembly.markets[market].client_class
    assert cls is not None  # every assembled market has its client class
    async with FakeExchange(market) as fx:
        screen.title(f'{cls.__name__}: fake exchange on {fx.rest_url}')
        async with cls(**fx.client_kwargs()) as client:
            await client.ping()
            server = await client.get_server_time()
            info = await client.get_exchange_info()
            screen.line(
                f'ping ok; server time {server["serverTime"]}; exchangeInfo with '
                f'{len(info.get("rateLimits", []))} rate limits'
            )
            screen.line(f'used weight from X-MBX-USED-WEIGHT-*: {client.used_weight}')


SCENARIOS: dict[str, Callable[[Screen, float], Awaitable[None]]] = {
    'spot': spot_demo,
    'usdm': lambda screen, deadline: futures_demo('usdm', screen, deadline),
    'coinm': lambda screen, deadline: futures_demo('coinm', screen, deadline),
}


async def _main(markets: list[str], seconds: float, out: TextIO) -> int:
    import binance

    deadline = time.monotonic() + seconds
    screen = Screen(out)
    installed = binance.assembly.markets
    screen.title('binance SDK demo: everything on 127.0.0.1, nothing reaches Binance')
    screen.line(f'installed markets: {", ".join(installed) or "none"}')
    for market in markets:
        if market not in installed:
            screen.line(f'{market}: not installed, skipped (pip install {DISTRIBUTIONS.get(market, market)})')
            continue
        scenario = SCENARIOS.get(market)
        if scenario is None:
            screen.line(f'{market}: installed, but the demo has no scenario for it')
            continue
        await scenario(screen, deadline)
    screen.title('done: every connection closed')
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The demo's command-line options, for ``python -m binance demo`` and ``python -m binance_testing demo``."""
    parser.add_argument('--markets', default=None, help='comma-separated markets to show (default: all installed)')
    parser.add_argument('--seconds', type=float, default=20.0, help='how long the demo runs')
    return parser


def run_demo(markets: str | None = None, seconds: float = 20.0, out: TextIO | None = None) -> int:
    """Run the demo; returns the process exit code."""
    import binance

    chosen = [m.strip() for m in markets.split(',') if m.strip()] if markets else list(binance.assembly.markets)
    chosen = chosen or ['spot']
    unknown = [m for m in chosen if m not in DISTRIBUTIONS and m not in binance.assembly.markets]
    if unknown:
        sys.stderr.write(f'unknown market(s) {unknown}; choose from {sorted(DISTRIBUTIONS)}\n')
        return 2
    with contextlib.suppress(KeyboardInterrupt):
        return asyncio.run(_main(chosen, seconds, out or sys.stdout))
    (out or sys.stdout).write('\ninterrupted: every connection closed\n')
    return 0
