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
from collections.abc import Awaitable, Callable, Mapping
from decimal import Decimal
from typing import Any, NamedTuple, TextIO

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
            best = book.best_ask
            assert best is not None  # the book is ready: the simulated market always has asks
            best_price, best_qty = best
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


# What the futures scenarios use, as a user would: client methods (endpoint rows), handler bases, user data.
FUTURES_METHODS = ('set_leverage', 'create_order', 'get_position_risk')
FUTURES_HANDLERS = ('FuturesOrderUpdateHandlerBase', 'FuturesAccountUpdateHandlerBase')
# A futures part is short; it gets this long at most, whatever the other parts took.
FUTURES_WITHIN = 30.0


class Perpetual(NamedTuple):
    """One futures market's simulated round trip: what differs between USDⓈ-M (linear) and COIN-M (inverse)."""

    market: str
    title: str
    symbol: str
    about: str  # what the contract is, for the section title
    rules: Mapping[str, str]  # SimulatedExchange symbol fields
    asset: str  # the margin asset
    funds: str
    qty: str
    qty_note: str
    risk_params: Mapping[str, str]  # get_position_risk's filter
    user_data: str  # how the client gets its user data
    unit: str  # printed after margin figures


USDM_PERPETUAL = Perpetual(
    market='usdm',
    title='USDⓈ-M',
    symbol=SYMBOL,
    about=f'{SYMBOL} perpetual',
    rules={'price': '30000.0', 'tick_size': '0.1', 'step_size': '0.001', 'level_qty': '0.5'},
    asset='USDT',
    funds='10000',
    qty='0.010',
    qty_note='',
    risk_params={'symbol': SYMBOL},
    user_data='userDataStream.start over the WS-API, then the /private listenKey stream',
    unit='',
)
COINM_PERPETUAL = Perpetual(
    market='coinm',
    title='COIN-M',
    symbol='BTCUSD_PERP',
    about='BTCUSD_PERP inverse perpetual, margin in BTC',
    rules={'price': '30000.0', 'tick_size': '0.1', 'level_qty': '50'},
    asset='BTC',
    funds='1',
    qty='1',
    qty_note=' (1 contract = 100 USD, worth 100 / price BTC)',
    risk_params={'pair': 'BTCUSD'},  # COIN-M position risk filters by pair or margin asset, not by symbol
    user_data='POST /dapi/v1/listenKey, then the raw /ws/<listenKey> stream',
    unit=' BTC',
)
LEVERAGE = 5
RALLY = Decimal('150')


def _futures_missing(binance: Any, market: str) -> list[str]:
    """What the installed SDK lacks for a simulated futures scenario (its rows, handler bases or user data)."""
    ma = binance.assembly.markets[market]
    missing = [f'{ma.spec.client_name}.{name}()' for name in FUTURES_METHODS if name not in ma.endpoints]
    missing += [name for name in FUTURES_HANDLERS if name not in binance.assembly.handler_bases]
    if ma.user_data_flow is None:
        missing.append(f'the {market} user-data flow (SubType.USER)')
    return missing


def _order_event(o: Mapping[str, Any]) -> str:
    return (
        f'ORDER_TRADE_UPDATE  x={o["x"]:<8} X={o["X"]:<16} {o["S"]:<4} {o["o"]:<6} ps={o["ps"]:<5} R={o["R"]!s:<5} '
        f'last={o["l"]:<6} @ {o["L"]:<9} rp={o["rp"]}'
    )


def _account_event(a: Mapping[str, Any]) -> str:
    balances = '  '.join(f'{b["a"]} wallet={b["wb"]}' for b in a.get('B', ()))
    positions = '  '.join(
        f'{p["s"]} {p["ps"]} amt={p["pa"]} entry={p["ep"]} realized={p["cr"]}' for p in a.get('P', ())
    )
    return f'ACCOUNT_UPDATE      m={a["m"]:<8} {balances}  {positions}'.rstrip()


async def _position_line(client: Any, perp: Perpetual) -> str:
    """The open position as ``get_position_risk`` shows it; COIN-M's v1 rows carry no margin, which comes from
    ``get_account`` (the ``account.status`` position rows) there."""
    rows = await client.get_position_risk(**perp.risk_params)
    held = [r for r in rows if Decimal(r['positionAmt'])] if isinstance(rows, list) else []
    if not held:
        return 'get_position_risk: no open position'
    margins: dict[tuple[str, str], str] = {}
    if any('positionInitialMargin' not in r for r in held):
        account = await client.get_account()
        margins = {(p['symbol'], p['positionSide']): p['positionInitialMargin'] for p in account['positions']}
    return '  '.join(
        f'get_position_risk: {r["symbol"]} {r["positionSide"]} amt={r["positionAmt"]} entry={r["entryPrice"]} '
        f'mark={r["markPrice"]} unrealized={r["unRealizedProfit"]}{perp.unit} margin='
        f'{r.get("positionInitialMargin") or margins.get((r["symbol"], r["positionSide"]), "-")}{perp.unit}'
        for r in held
    )


def perpetual_demo(perp: Perpetual) -> Callable[[Screen, float], Awaitable[None]]:
    """The scenario of *perp*'s market: leverage, a small MARKET position opened and closed (reduce-only) on the
    simulated perpetual, its user-data events, the position at the mark price and the realized PnL."""

    async def scenario(screen: Screen, deadline: float) -> None:
        import binance

        missing = _futures_missing(binance, perp.market)
        if missing:
            # An SDK without the futures trading rows yet: show what the plain fake can.
            await futures_demo(perp.market, screen, deadline)
            screen.line(f'simulated {perp.title} trading skipped: this SDK lacks {", ".join(missing)}')
            return
        try:
            async with asyncio.timeout(FUTURES_WITHIN):
                await _futures_trading(binance, screen, perp)
        except Exception as exc:  # the demo reports any failure in one line and goes on
            screen.line(f'{perp.title} demo stopped: {type(exc).__name__}: {exc}')

    return scenario


async def _futures_trading(binance: Any, screen: Screen, perp: Perpetual) -> None:
    from binance_testing import SimulatedExchange

    creds, public_pem = _ed25519_credentials()
    symbol, asset = perp.symbol, perp.asset
    async with SimulatedExchange(perp.market, symbols={symbol: dict(perp.rules)}, seed=7, tick=0.05) as sim:
        client_name = binance.assembly.markets[perp.market].spec.client_name
        screen.title(f'{client_name}: simulated {perp.title} exchange on {sim.rest_url} ({perp.about})')
        sim.add_key(creds.api_key, public_key_pem=public_pem)
        await sim.fund(creds.api_key, asset, perp.funds)
        screen.line(f'Ed25519 key created on the fly; futures wallet funded with {perp.funds} {asset}')

        events: list[tuple[str, Any]] = []

        class Orders(binance.FuturesOrderUpdateHandlerBase):
            def receive(self, payload: Any) -> None:
                super().receive(payload)
                events.append(('order', payload))

        class Accounts(binance.FuturesAccountUpdateHandlerBase):
            def receive(self, payload: Any) -> None:
                super().receive(payload)
                events.append(('account', payload))

        def accounts() -> int:
            return sum(kind == 'account' for kind, _ in events)

        async def show_events(until_accounts: int) -> list[tuple[str, Any]]:
            """Print the user-data events received so far, once *until_accounts* ACCOUNT_UPDATEs came (or 5 s)."""
            await _until(lambda: accounts() >= until_accounts, 5)
            shown = [(kind, payload.get('data', payload)) for kind, payload in events]  # bare or wrapped
            events.clear()
            for kind, body in shown:
                screen.line(f'  {_order_event(body["o"]) if kind == "order" else _account_event(body["a"])}')
            return shown

        client_class = binance.assembly.markets[perp.market].client_class
        async with client_class(creds, **sim.client_kwargs()) as client:
            client.handler(Orders(), Accounts())
            await client.subscribe((binance.SubType.USER,))
            screen.line(f'user data: {perp.user_data}')

            lev = await client.set_leverage(symbol=symbol, leverage=LEVERAGE)
            premium = sim.premium_index(symbol)
            screen.line(
                f'set_leverage: {lev.get("leverage")}x; mark price {premium.mark_price}, funding rate '
                f'{premium.funding_rate}, paid every 8 h '
                f'(next at {time.strftime("%H:%M UTC", time.gmtime(premium.next_funding_time / 1000))})'
            )

            screen.title(f'Open a small long: MARKET BUY {perp.qty} {symbol}{perp.qty_note}')
            sim.pause()  # hold the market still, so the position's numbers are easy to follow
            placed = await client.create_order(
                symbol=symbol, side=binance.OrderSide.BUY, type=binance.FuturesOrderType.MARKET, quantity=perp.qty
            )
            screen.line(
                f'create_order: ack status {placed["status"]}, executedQty {placed["executedQty"]} '
                '(acks carry no fills since 2026-07-15: they come from user data)'
            )
            await show_events(1)
            screen.line(await _position_line(client, perp))

            held = sim.positions(creds.api_key, symbol)
            entry = held[0].entry_price if held else Decimal(perp.rules['price'])
            target = (entry + RALLY).quantize(Decimal('0.1'))
            await sim.set_price(symbol, target)
            screen.line(f'the market rallies to {target} (sim.set_price); unrealized PnL follows the mark price:')
            screen.line(await _position_line(client, perp))

            screen.title('Close it: MARKET SELL, reduceOnly')
            await client.create_order(
                symbol=symbol,
                side=binance.OrderSide.SELL,
                type=binance.FuturesOrderType.MARKET,
                quantity=perp.qty,
                reduceOnly='true',
            )
            shown = await show_events(1)
            realized = sum((Decimal(body['o']['rp']) for kind, body in shown if kind == 'order'), Decimal(0))
            wallets = [b['wb'] for kind, body in shown if kind == 'account' for b in body['a']['B']]
            screen.line(await _position_line(client, perp))
            screen.line(
                f'realized PnL {realized:+} {asset} (ORDER_TRADE_UPDATE rp); wallet '
                f'{wallets[-1] if wallets else "-"} {asset} (ACCOUNT_UPDATE wb)'
            )
            sim.resume()


SCENARIOS: dict[str, Callable[[Screen, float], Awaitable[None]]] = {
    'spot': spot_demo,
    'usdm': perpetual_demo(USDM_PERPETUAL),
    'coinm': perpetual_demo(COINM_PERPETUAL),
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

    installed = list(binance.assembly.markets)
    # By default every installed market, Spot first, then USDⓈ-M and COIN-M, then any other.
    default = [m for m in DISTRIBUTIONS if m in installed] + [m for m in installed if m not in DISTRIBUTIONS]
    chosen = [m.strip() for m in markets.split(',') if m.strip()] if markets else default
    chosen = chosen or ['spot']
    unknown = [m for m in chosen if m not in DISTRIBUTIONS and m not in binance.assembly.markets]
    if unknown:
        sys.stderr.write(f'unknown market(s) {unknown}; choose from {sorted(DISTRIBUTIONS)}\n')
        return 2
    with contextlib.suppress(KeyboardInterrupt):
        return asyncio.run(_main(chosen, seconds, out or sys.stdout))
    (out or sys.stdout).write('\ninterrupted: every connection closed\n')
    return 0
