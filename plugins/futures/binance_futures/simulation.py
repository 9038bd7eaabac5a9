"""The simulated futures exchange's wire, written once for USDⓈ-M and COIN-M: what a ``SimulatedExchange`` of a
futures market serves (its routes and the formats of its streams, answers and user events), rendered from the test
kit's futures engine (``binance_testing.futures.FuturesSimulation``). Imported only by the test kit and tests.

A :class:`FuturesWire` holds what differs per market, as data: the REST root, the contract terms (USDⓈ-M linear,
COIN-M inverse: 100 USD a BTC contract, 10 USD any other), the fields of each payload in Binance's order, and the
routes only that market has (USDⓈ-M's ``v2/account.status`` and ``/fapi/v3/positionRisk``, COIN-M's v1
``account.status`` and ``/dapi/v1/positionRisk``). Both markets' rows are declared here, next to the code that
reads them, as ``binance_futures.userdata`` declares both listenKey flows; a plugin's fake module names its row.

Sources: Binance's generated connectors (``binance/binance-connector-python``, commit 29da329, 2026-08-21:
``derivatives_trading_usds_futures`` 17.2.0 and ``derivatives_trading_coin_futures`` 13.1.0; their ``rest_api``,
``websocket_api`` and ``websocket_streams`` models list each payload's fields). Order acknowledgements carry no
``avgPrice``, ``cumQuote`` or ``cumBase`` since 2026-07-15.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from binance_core.specs import SecurityType
from binance_futures.fake import FuturesFake, exchange_info
from binance_testing.fake_exchange import BinanceError
from binance_testing.futures import (
    ISOLATED,
    BalanceRow,
    FuturesOrder,
    FuturesSimulation,
    FuturesSymbol,
    MarginBalance,
    Position,
    contract,
)
from binance_testing.matching import E_NO_SUCH_ORDER, Candle, Fill, Market, SimSymbol, Trade, symbol_rows

if TYPE_CHECKING:
    from binance_testing.fake_exchange import Request
    from binance_testing.hookspecs import FakeExchangeProtocol
    from binance_testing.matching import Simulation

__all__ = ['CM_WIRE', 'UM_WIRE', 'FuturesWire', 'simulated_fake']

NONE, USER_DATA, TRADE = SecurityType.NONE, SecurityType.USER_DATA, SecurityType.TRADE

Handler = Callable[['Request'], Any]
WsRoute = tuple[str, Handler, SecurityType]  # (WS-API method, handler, security)
RestRoute = tuple[str, str, Handler, SecurityType]  # (verb, path below the REST root, handler, security)

ORDER_TYPES = ('LIMIT', 'MARKET')
TIME_IN_FORCE = ('GTC', 'IOC', 'FOK', 'GTX')
RESPONSE_TYPES = ('ACK', 'RESULT')
STP_MODES = ('NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH')
# Binance "Order Book" (UM and CM): limit 5, 10, 20, 50, 100, 500 (default) or 1000.
DEPTH_LIMITS = (5, 10, 20, 50, 100, 500, 1000)
DEFAULT_DEPTH = 500
# newClientOrderId: "^[.A-Z:/a-z0-9_-]{1,36}$" (order.place docs).
CLIENT_ID = re.compile(r'^[.A-Z:/a-z0-9_-]{1,36}$')
# Parameters order.place no longer takes since the algo-service move (UM 2025-12-22 REST, 2026-06-09 WS; CM
# 2026-06-30).
RETIRED_PARAMS = ('stopPrice', 'closePosition', 'activationPrice', 'callbackRate', 'workingType', 'priceProtect')
# Leverage brackets are not simulated: one cap for every leverage (UM in quote, CM in contracts).
MAX_NOTIONAL = '1000000000'
MAX_QTY = '1000000'
# Binance prints a delivery date far in the future for perpetual contracts.
PERPETUAL_DELIVERY = 4133404800000
ZERO = Decimal(0)


def _d8(value: Decimal) -> str:
    # Balances, margins, PnL and mark prices: 8 places ("0.00000000").
    return f'{value:.8f}'


def _plain(value: Decimal) -> str:
    # Stream events print decimals without padding ("0", "0.001", "30010.5").
    text = format(value.normalize(), 'f')
    return '0' if text in ('-0', '') else text


def _places(step: Decimal) -> int:
    exponent = step.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 8


def _px(m: Market, value: Decimal) -> str:
    return f'{value:.{_places(m.tick_size)}f}'


def _qty(m: Market, value: Decimal) -> str:
    return f'{value:.{_places(m.step_size)}f}'


def _fields(table: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    return {shape: tuple(names.split()) for shape, names in table.items()}


@attrs.frozen(kw_only=True, eq=False)
class FuturesWire:
    """Renders the futures engine as one futures market does (``binance_testing.simulation.SimulationWire`` and
    ``binance_testing.futures.FuturesUserEvents``), and serves its routes.

    Attributes:
        title: the market's name in messages (``'USDⓈ-M'``).
        rest_root: ``'/fapi'`` or ``'/dapi'``.
        contract_sizes: an inverse market's contract size (quote units per contract) by base asset, ``'*'`` for any
            other; empty for a linear market. Symbols of an inverse market trade whole contracts (``step_size``
            1 unless given).
        fields: payload -> its fields, in Binance's order (``'aggTrade': 'e E s a p q nq f l T m'``); the builders
            compute every field any market sends and each market picks its own.
        ws_routes / rest_routes: the routes only this market has, beside the shared ones.
        ticker_lists: the tickers answer a list even for one ``symbol`` (COIN-M: its ticker responses are arrays in
            the generated connector's models); USDⓈ-M answers one object.
    """

    engine: ClassVar[type[FuturesSimulation]] = FuturesSimulation

    title: str
    rest_root: str
    contract_sizes: Mapping[str, int] = attrs.field(factory=dict)
    fields: Mapping[str, tuple[str, ...]] = attrs.field(converter=_fields)
    ws_routes: tuple[WsRoute, ...] = ()
    rest_routes: tuple[RestRoute, ...] = ()
    ticker_lists: bool = False

    def _pick(self, shape: str, values: Mapping[str, Any]) -> dict[str, Any]:
        return {name: values[name] for name in self.fields[shape]}

    # -- symbols --------------------------------------------------------------------------------------------

    def symbol_rows(self, symbols: Any) -> list[SimSymbol]:
        """The exchange's ``symbols=`` as this market's contracts (``'BTCUSD_PERP'``, ``{'BTCUSD_PERP': '30000.0'}``,
        ``SimSymbol``/``FuturesSymbol`` rows); an inverse market gives each its contract size."""
        rows = symbol_rows(symbols, of=self._contract_of)
        return [self._terms(FuturesSymbol.from_row(r), step_given=True) for r in rows]

    def _contract_of(self, symbol: str, **fields: Any) -> FuturesSymbol:
        return self._terms(FuturesSymbol.of(symbol, **fields), step_given='step_size' in fields)

    def _terms(self, row: FuturesSymbol, *, step_given: bool) -> FuturesSymbol:
        if not self.contract_sizes:
            if row.inverse:
                raise ValueError(f'{self.title} contracts are linear: {row.symbol} has a contract_size')
            return row
        if row.inverse:
            return row
        size = self.contract_sizes.get(row.base, self.contract_sizes['*'])
        whole: dict[str, Any] = {} if step_given else {'step_size': Decimal(1)}
        return FuturesSymbol.from_row(row, contract_size=size, **whole)

    def symbol_info(self, m: Market, now: int) -> dict[str, Any]:
        """An ``exchangeInfo`` entry: a perpetual contract and its filters."""
        r = contract(m)
        filters = [
            {
                'filterType': 'PRICE_FILTER',
                'minPrice': _px(m, r.tick_size),
                'maxPrice': '4529764',
                'tickSize': _px(m, r.tick_size),
            },
            {
                'filterType': 'LOT_SIZE',
                'minQty': _qty(m, r.step_size),
                'maxQty': '1000',
                'stepSize': _qty(m, r.step_size),
            },
            {
                'filterType': 'MARKET_LOT_SIZE',
                'minQty': _qty(m, r.step_size),
                'maxQty': '1000',
                'stepSize': _qty(m, r.step_size),
            },
            {'filterType': 'MAX_NUM_ORDERS', 'limit': 200},
        ]
        values = {
            'symbol': r.symbol,
            'pair': r.pair,
            'contractType': 'PERPETUAL',
            'deliveryDate': PERPETUAL_DELIVERY,
            'onboardDate': now,
            'status': 'TRADING',
            'contractStatus': 'TRADING',
            'contractSize': int(r.contract_size) if r.contract_size is not None else 1,
            'baseAsset': r.base,
            'quoteAsset': r.quote,
            'marginAsset': r.margin_asset,
            'pricePrecision': _places(r.tick_size),
            'quantityPrecision': _places(r.step_size),
            'baseAssetPrecision': 8,
            'quotePrecision': 8,
            'equalQtyPrecision': 4,
            'maintMarginPercent': '2.5000',
            'requiredMarginPercent': '5.0000',
            'triggerProtect': '0.0500',
            'liquidationFee': '0.010000',
            'marketTakeBound': '0.05',
            'underlyingType': 'COIN',
            'underlyingSubType': [],
            'filters': filters,
            'orderTypes': list(ORDER_TYPES),
            'timeInForce': list(TIME_IN_FORCE),
        }
        return self._pick('symbol', values)

    # -- market streams -------------------------------------------------------------------------------------

    def depth_streams(self, market: Market) -> Sequence[tuple[str, float]]:
        s = market.symbol.lower()  # COIN-M keeps the underscore: btcusd_perp@depth
        # Binance "Diff. Book Depth Streams" (UM and CM): 250 ms (default), 500 ms or 100 ms.
        return ((f'{s}@depth', 0.25), (f'{s}@depth@500ms', 0.5), (f'{s}@depth@100ms', 0.1))

    def depth_update(
        self, market: Market, first: int, last: int, bids: list[list[str]], asks: list[list[str]], now: int
    ) -> Any:
        # "pu": the final update id of the previous event on this stream, which ended just before this one began.
        values = {
            'e': 'depthUpdate',
            'E': now,
            'T': now,
            's': market.symbol,
            'ps': contract(market).pair,
            'U': first,
            'u': last,
            'pu': first - 1,
            'b': bids,
            'a': asks,
        }
        return self._pick('depthUpdate', values)

    def trade_frames(
        self, market: Market, trades: Sequence[Trade], now: int, wants: Callable[[str], bool]
    ) -> Iterable[tuple[str, Any]]:
        stream = f'{market.symbol.lower()}@aggTrade'
        if not wants(stream):
            return ()
        frames: list[tuple[str, Any]] = []
        i = 0
        while i < len(trades):
            j = i + 1
            while j < len(trades) and trades[j].agg_id == trades[i].agg_id:
                j += 1
            first, last = trades[i], trades[j - 1]
            qty = _plain(sum((t.qty for t in trades[i:j]), ZERO))
            values = {
                'e': 'aggTrade',
                'E': now,
                's': market.symbol,
                'a': first.agg_id,
                'p': _plain(first.price),
                'q': qty,
                'nq': qty,  # no RPI orders in the simulation: the normal quantity is all of it
                'f': first.id,
                'l': last.id,
                'T': first.time,
                'm': first.buyer_maker,
            }
            frames.append((stream, self._pick('aggTrade', values)))
            i = j
        return frames

    def market_frames(
        self, sim: Simulation, fast: bool, slow: bool, now: int, wants: Callable[[str], bool]
    ) -> Iterable[tuple[str, Any]]:
        fsim = _futures(sim)
        frames: list[tuple[str, Any]] = []
        marks_1s: list[Any] = []
        marks_3s: list[Any] = []
        for m in sim.markets.values():
            s = m.symbol.lower()
            if fast:
                top = (m.best_bid(), m.best_ask())
                if wants(f'{s}@bookTicker') and m.scratch.get('top') != top:
                    m.scratch['top'] = top
                    frames.append((f'{s}@bookTicker', self.book_ticker(m, now)))
            if not slow:
                continue
            # Binance "Mark Price Stream": every 3 s, or every second with @1s.
            count = m.scratch['slow'] = m.scratch.get('slow', 0) + 1
            mark = self.mark_price_event(fsim, m, now)
            marks_1s.append(mark)
            if wants(f'{s}@markPrice@1s'):
                frames.append((f'{s}@markPrice@1s', mark))
            if count % 3 == 1:
                marks_3s.append(mark)
                if wants(f'{s}@markPrice'):
                    frames.append((f'{s}@markPrice', mark))
            m.roll_candles(now)
            for label, candle in m.pop_closed():
                if wants(f'{s}@kline_{label}'):
                    frames.append((f'{s}@kline_{label}', self.kline(m, label, candle, True, now)))
            for label, candle in m.candles.items():
                if wants(f'{s}@kline_{label}'):
                    frames.append((f'{s}@kline_{label}', self.kline(m, label, candle, False, now)))
        if marks_1s and wants('!markPrice@arr@1s'):
            frames.append(('!markPrice@arr@1s', marks_1s))
        if marks_3s and wants('!markPrice@arr'):
            frames.append(('!markPrice@arr', marks_3s))
        return frames

    def book_ticker(self, m: Market, now: int) -> dict[str, Any]:
        bid, ask = m.best_bid(), m.best_ask()
        values = {
            'e': 'bookTicker',
            'u': m.update_id,
            'E': now,
            'T': now,
            's': m.symbol,
            'ps': contract(m).pair,
            'b': _plain(bid[0] * m.tick_size) if bid else '0',
            'B': _plain(bid[1] * m.step_size) if bid else '0',
            'a': _plain(ask[0] * m.tick_size) if ask else '0',
            'A': _plain(ask[1] * m.step_size) if ask else '0',
        }
        return self._pick('bookTicker', values)

    def mark_price_event(self, sim: FuturesSimulation, m: Market, now: int) -> dict[str, Any]:
        p = sim.premium_index(m.symbol)
        values = {
            'e': 'markPriceUpdate',
            'E': now,
            's': m.symbol,
            'p': _d8(p.mark_price),
            'ap': _d8(p.mark_price_avg),
            'i': _d8(p.index_price),
            'P': _d8(p.index_price),  # estimated settle price: only meaningful before a delivery
            'r': _d8(p.funding_rate),
            'T': p.next_funding_time,
        }
        return self._pick('markPriceUpdate', values)

    def kline(self, m: Market, label: str, c: Candle, closed: bool, now: int) -> dict[str, Any]:
        # 'q' and 'Q' are the quote volume (UM) or the base-asset volume (CM: trades are worth their notional in
        # the base asset, FuturesSymbol.notional).
        return {
            'e': 'kline',
            'E': now,
            's': m.symbol,
            'k': {
                't': c.open_time,
                'T': c.close_time,
                's': m.symbol,
                'i': label,
                'f': c.first_id,
                'L': c.last_id,
                'o': _px(m, c.open),
                'c': _px(m, c.close),
                'h': _px(m, c.high),
                'l': _px(m, c.low),
                'v': _qty(m, c.volume),
                'n': c.trades,
                'x': closed,
                'q': _d8(c.quote_volume),
                'V': _qty(m, c.taker_volume),
                'Q': _d8(c.taker_quote_volume),
                'B': '0',
            },
        }

    # -- user data --------------------------------------------------------------------------------------------

    def order_trade_update(
        self, o: FuturesOrder, execution: str, fill: Fill | None, execution_id: int, now: int, alias: str
    ) -> Any:
        margin_asset = contract(o.market).margin_asset
        update = {
            's': o.symbol,
            'c': o.client_id,
            'S': o.side,
            'o': o.type,
            'f': o.tif,
            'q': _plain(o.orig_qty),
            'p': _plain(o.price),
            'ap': _plain(o.avg_price),
            'sp': '0',
            'x': execution,
            'X': o.status,
            'i': o.id,
            'l': _plain(fill.qty) if fill else '0',
            'z': _plain(o.executed_qty),
            'L': _plain(fill.price) if fill else '0',
            'ma': margin_asset,
            'N': margin_asset,  # the simulation charges no commission; Binance's is in the margin asset
            'n': _plain(fill.commission) if fill else '0',
            'T': fill.time if fill else o.update_time,
            't': fill.trade_id if fill else 0,
            'b': _plain(o.bid_notional),
            'a': _plain(o.ask_notional),
            'm': fill.maker if fill else False,
            'R': o.reduce_only,
            'wt': 'CONTRACT_PRICE',
            'ot': o.type,
            'ps': o.position_side,
            'cp': False,
            'rp': _plain(o.last_realized) if fill else '0',
            'pP': False,
            'si': 0,
            'ss': 0,
            'V': o.stp,
            'pm': 'NONE',
            'gtd': 0,
            'er': (o.expiry_reason or '0') if execution == 'EXPIRED' else '0',
        }
        values = {'e': 'ORDER_TRADE_UPDATE', 'E': now, 'T': now, 'i': alias, 'o': self._pick('order_update', update)}
        return self._pick('ORDER_TRADE_UPDATE', values)

    def account_update(
        self,
        reason: str,
        balances: Sequence[BalanceRow],
        positions: Sequence[Position],
        now: int,
        symbol: str | None,
        alias: str,
    ) -> Any:
        update: dict[str, Any] = {
            'm': reason,
            'B': [
                {
                    'a': b.asset,
                    'wb': _d8(b.wallet_balance),
                    'cw': _d8(b.cross_wallet_balance),
                    'bc': _d8(b.balance_change),
                }
                for b in balances
            ],
            'P': [
                {
                    's': p.symbol,
                    'pa': _plain(p.amount),
                    'ep': _d8(p.entry_price),
                    'bep': _d8(p.entry_price),  # break-even equals entry: no commission is charged
                    'cr': _d8(p.realized_pnl),
                    'up': _d8(p.unrealized_pnl),
                    'mt': 'isolated' if p.margin_type == ISOLATED else 'cross',
                    'iw': _d8(p.isolated_wallet),
                    'ps': p.position_side,
                }
                for p in positions
            ],
        }
        if symbol is not None:
            update['S'] = symbol  # the symbol of a FUNDING_FEE (added 2026-08)
        values = {'e': 'ACCOUNT_UPDATE', 'E': now, 'T': now, 'i': alias, 'a': update}
        return self._pick('ACCOUNT_UPDATE', values)

    def account_config_update(self, symbol: str, leverage: int, now: int) -> Any:
        return {'e': 'ACCOUNT_CONFIG_UPDATE', 'E': now, 'T': now, 'ac': {'s': symbol, 'l': leverage}}

    # -- WS-API and REST answers ----------------------------------------------------------------------------

    def _order_values(self, o: FuturesOrder) -> dict[str, Any]:
        m = o.market
        value = _d8(o.cum_quote)  # the fills' value in the margin asset: cumQuote (linear) or cumBase (inverse)
        return {
            'orderId': o.id,
            'symbol': o.symbol,
            'pair': contract(m).pair,
            'status': o.status,
            'clientOrderId': o.client_id,
            'price': _px(m, o.price),
            'avgPrice': _d8(o.avg_price),
            'origQty': _qty(m, o.orig_qty),
            'executedQty': _qty(m, o.executed_qty),
            'cumQty': _qty(m, o.executed_qty),
            'cumQuote': value,
            'cumBase': value,
            'timeInForce': o.tif,
            'type': o.type,
            'reduceOnly': o.reduce_only,
            'closePosition': False,
            'side': o.side,
            'positionSide': o.position_side,
            'stopPrice': _px(m, ZERO),
            'workingType': 'CONTRACT_PRICE',
            'priceProtect': False,
            'origType': o.type,
            'priceMatch': 'NONE',
            'selfTradePreventionMode': o.stp,
            'goodTillDate': 0,
            'time': o.time,
            'updateTime': o.update_time,
        }

    def order_ack(self, o: FuturesOrder, resp_type: str) -> dict[str, Any]:
        """``order.place``: ``ACK`` is the order as accepted (``NEW``, nothing executed yet: fills come from user
        data); ``RESULT`` its state after matching. Neither carries ``avgPrice``, ``cumQuote`` or ``cumBase``
        (2026-07-15)."""
        values = self._order_values(o)
        if resp_type == 'ACK':
            zero = _qty(o.market, ZERO)
            values.update(status='NEW', executedQty=zero, cumQty=zero, updateTime=o.time)
        return self._pick('order', values)

    def cancel_result(self, o: FuturesOrder) -> dict[str, Any]:
        return self._pick('order', self._order_values(o))

    def order_status(self, o: FuturesOrder) -> dict[str, Any]:
        """``order.status``, ``openOrders`` and ``allOrders``: queries still carry ``avgPrice`` and the fills'
        value (``cumQuote``, or ``cumBase`` on COIN-M)."""
        return self._pick('order.status', self._order_values(o))

    def position(self, p: Position, shape: str) -> dict[str, Any]:
        """One position as *shape* shows it (UM ``position.v2``, ``position.v3``; CM ``position``; the rows of
        an account answer, ``account.position``)."""
        values = {
            'symbol': p.symbol,
            'positionSide': p.position_side,
            'positionAmt': str(p.amount),  # in the step's precision: '0.010', '-0.002', '0.000'; CM '1'
            'entryPrice': _d8(p.entry_price),
            'breakEvenPrice': _d8(p.entry_price),
            'markPrice': _d8(p.mark_price),
            'unRealizedProfit': _d8(p.unrealized_pnl),
            'unrealizedProfit': _d8(p.unrealized_pnl),
            'liquidationPrice': '0',
            'leverage': str(p.leverage),
            'marginType': 'isolated' if p.margin_type == ISOLATED else 'cross',
            'isolated': p.margin_type == ISOLATED,
            'isAutoAddMargin': 'false',
            'isolatedMargin': _d8(p.isolated_margin),
            'notional': _d8(p.notional),
            'notionalValue': _d8(p.notional),
            'marginAsset': p.margin_asset,
            'isolatedWallet': _d8(p.isolated_wallet),
            'initialMargin': _d8(p.initial_margin + p.open_order_margin),
            'maintMargin': _d8(p.maint_margin),
            'positionInitialMargin': _d8(p.initial_margin),
            'openOrderInitialMargin': _d8(p.open_order_margin),
            'maxNotionalValue': MAX_NOTIONAL,
            'maxQty': MAX_QTY,
            'adl': 0,
            'bidNotional': _d8(p.bid_notional),
            'askNotional': _d8(p.ask_notional),
            'updateTime': p.update_time,
        }
        return self._pick(shape, values)

    def asset(self, b: MarginBalance) -> dict[str, Any]:
        values = {
            'asset': b.asset,
            'walletBalance': _d8(b.wallet_balance),
            'unrealizedProfit': _d8(b.unrealized_pnl),
            'marginBalance': _d8(b.margin_balance),
            'maintMargin': _d8(b.maint_margin),
            'initialMargin': _d8(b.position_initial_margin + b.open_order_initial_margin),
            'positionInitialMargin': _d8(b.position_initial_margin),
            'openOrderInitialMargin': _d8(b.open_order_initial_margin),
            'crossWalletBalance': _d8(b.cross_wallet_balance),
            'crossUnPnl': _d8(b.cross_unrealized_pnl),
            'availableBalance': _d8(b.available_balance),
            'maxWithdrawAmount': _d8(b.max_withdraw_amount),
            'marginAvailable': True,
            'updateTime': b.update_time,
        }
        return self._pick('asset', values)

    def account(self, sim: FuturesSimulation, key: str) -> dict[str, Any]:
        """The account answer (UM ``v2/account.status``, CM ``account.status`` and ``/dapi/v1/account``); UM's
        totals add up every margin asset at par (single-asset mode shows USDT)."""
        assets = [sim.margin(key, a) for a in sim.margin_assets(key)]

        def total(field: str) -> str:
            return _d8(sum((getattr(b, field) for b in assets), ZERO))

        positions = [p for p in sim.positions(key, include_flat=True) if p.amount or p.bid_notional or p.ask_notional]
        values = {
            'feeTier': 0,
            'canTrade': True,
            'canDeposit': True,
            'canWithdraw': True,
            'updateTime': max((b.update_time for b in assets), default=0),
            'totalInitialMargin': _d8(
                sum((b.position_initial_margin + b.open_order_initial_margin for b in assets), ZERO)
            ),
            'totalMaintMargin': total('maint_margin'),
            'totalWalletBalance': total('wallet_balance'),
            'totalUnrealizedProfit': total('unrealized_pnl'),
            'totalMarginBalance': total('margin_balance'),
            'totalPositionInitialMargin': total('position_initial_margin'),
            'totalOpenOrderInitialMargin': total('open_order_initial_margin'),
            'totalCrossWalletBalance': total('cross_wallet_balance'),
            'totalCrossUnPnl': total('cross_unrealized_pnl'),
            'availableBalance': total('available_balance'),
            'maxWithdrawAmount': total('max_withdraw_amount'),
            'assets': [self.asset(b) for b in assets],
            'positions': [self.position(p, 'account.position') for p in positions],
        }
        return self._pick('account', values)

    def balance(self, sim: FuturesSimulation, key: str) -> list[dict[str, Any]]:
        """The balance answer (UM ``v2/account.balance``, ``/fapi/v2/balance``, ...; CM ``account.balance``,
        ``/dapi/v1/balance``)."""
        alias = sim.account_alias(key)
        rows = []
        for b in (sim.margin(key, a) for a in sim.margin_assets(key)):
            values = {
                'accountAlias': alias,
                'asset': b.asset,
                'balance': _d8(b.wallet_balance),
                'withdrawAvailable': _d8(b.max_withdraw_amount),
                'crossWalletBalance': _d8(b.cross_wallet_balance),
                'crossUnPnl': _d8(b.cross_unrealized_pnl),
                'availableBalance': _d8(b.available_balance),
                'maxWithdrawAmount': _d8(b.max_withdraw_amount),
                'marginAvailable': True,
                'updateTime': b.update_time,
            }
            rows.append(self._pick('balance', values))
        return rows

    def premium_index(self, sim: FuturesSimulation, symbol: str) -> dict[str, Any]:
        p = sim.premium_index(symbol)
        values = {
            'symbol': p.symbol,
            'pair': contract(sim.market(symbol)).pair,
            'markPrice': _d8(p.mark_price),
            'indexPrice': _d8(p.index_price),
            'estimatedSettlePrice': _d8(p.index_price),
            'lastFundingRate': _d8(p.funding_rate),
            'interestRate': _d8(p.interest_rate),
            'nextFundingTime': p.next_funding_time,
            'time': p.time,
        }
        return self._pick('premiumIndex', values)

    # -- the routes -----------------------------------------------------------------------------------------

    def install(self, exchange: FakeExchangeProtocol) -> None:
        """Make *exchange* (a ``SimulatedExchange``) simulate this market: its wire, the shared futures routes and
        this market's own. Handlers reach the engine, and this wire, as ``req.exchange.simulation`` (the exchange
        builds a ``FuturesSimulation`` from ``symbol_rows`` once the plugins' hook has run)."""
        sim = exchange.simulation
        assert sim is not None, 'only a simulated exchange is taught the simulated market'
        sim.wire = self
        for name, handler, security in (*WS_ROUTES, *self.ws_routes):
            exchange.ws_method(name, handler, security=security)
        for verb, path, handler, security in (*REST_ROUTES, *self.rest_routes):
            exchange.rest_route(verb, self.rest_root + path, handler, security=security)


# -- params, read as Binance does (WS-API: JSON values; REST: strings) --------------------------------------

_DECIMAL_RANGE = '^([0-9]{1,20})(\\.[0-9]{1,20})?$'


def _missing(name: str) -> BinanceError:
    return BinanceError(-1102, f"Mandatory parameter '{name}' was not sent, was empty/null, or malformed.")


def _not_required(name: str) -> BinanceError:
    return BinanceError(-1106, f"Parameter '{name}' sent when not required.")


def _illegal(name: str) -> BinanceError:
    return BinanceError(-1100, f"Illegal characters found in parameter '{name}'.")


def _text(params: Mapping[str, Any], name: str, required: bool = False) -> str | None:
    value = params.get(name)
    if value is None or value == '':
        if required:
            raise _missing(name)
        return None
    return str(value)


def _required(params: Mapping[str, Any], name: str) -> str:
    text = _text(params, name, required=True)
    assert text is not None
    return text


def _decimal(params: Mapping[str, Any], name: str) -> Decimal | None:
    text = _text(params, name)
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or isinstance(params[name], bool):
        raise BinanceError(-1100, f"Illegal characters found in parameter '{name}'; legal range is '{_DECIMAL_RANGE}'.")
    return value


def _int(params: Mapping[str, Any], name: str, default: int | None = None) -> int | None:
    value = params.get(name)
    if value is None or value == '':
        return default
    if isinstance(value, bool) or not str(value).lstrip('-').isdigit():
        raise BinanceError(-1100, f"Illegal characters found in parameter '{name}'; legal range is '^[0-9]{{1,20}}$'.")
    return int(value)


def _bool(params: Mapping[str, Any], name: str) -> bool | None:
    value = params.get(name)
    if value is None or value == '':
        return None
    if value is True or (isinstance(value, str) and value.lower() == 'true'):
        return True
    if value is False or (isinstance(value, str) and value.lower() == 'false'):
        return False
    raise _illegal(name)


def _order_ref(params: Mapping[str, Any]) -> tuple[int | None, str | None]:
    order_id = _int(params, 'orderId')
    client_id = _text(params, 'origClientOrderId')
    if order_id is None and client_id is None:
        raise BinanceError(-1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!")
    return order_id, client_id


def _futures(sim: Simulation | None) -> FuturesSimulation:
    assert isinstance(sim, FuturesSimulation), 'a futures wire renders the futures engine'
    return sim


def _sim(req: Request) -> FuturesSimulation:
    return _futures(req.exchange.simulation)


def _wire(req: Request) -> FuturesWire:
    wire = _sim(req).wire
    assert isinstance(wire, FuturesWire), 'a futures route renders with the futures wire'
    return wire


def _key(req: Request) -> str:
    assert req.api_key is not None, 'signed routes always carry the key'
    return req.api_key


def _markets(req: Request, required: bool = False) -> list[Market]:
    """The markets a request names: by ``symbol``, by ``pair`` (COIN-M: every contract of the pair), or every
    market; with *required*, one of the two must be sent."""
    sim = _sim(req)
    symbol, pair = _text(req.params, 'symbol'), _text(req.params, 'pair')
    if symbol is not None:
        return [sim.market(symbol)]
    if pair is not None:
        return [m for s, m in sorted(sim.markets.items()) if contract(m).pair == pair.upper()]
    if required:
        raise _missing('symbol')
    return [sim.markets[s] for s in sorted(sim.markets)]


def _window(rows: list[Any], limit: int, forward: bool) -> list[Any]:
    # Binance history queries: from the given id or start time on, else the most recent.
    return rows[:limit] if forward else rows[-limit:]


# -- the simulated exchange's routes --------------------------------------------------------------------------


async def _place(req: Request) -> Any:
    p = req.params
    symbol = _required(p, 'symbol')
    side = _required(p, 'side')
    type_ = _required(p, 'type')
    tif = _text(p, 'timeInForce')
    price = _decimal(p, 'price')
    qty = _decimal(p, 'quantity')
    if type_ == 'LIMIT':
        for name, value in (('timeInForce', tif), ('quantity', qty), ('price', price)):
            if value is None:
                raise _missing(name)
    elif type_ == 'MARKET':
        if qty is None:
            raise _missing('quantity')
        if price is not None:
            raise _not_required('price')
    if type_ in ORDER_TYPES:
        for name in RETIRED_PARAMS:
            if _text(p, name) is not None:
                raise _not_required(name)
        if _text(p, 'priceMatch') not in (None, 'NONE') or tif == 'GTD':
            raise BinanceError(-1020, 'This operation is not supported.')  # not simulated
    position_side = _text(p, 'positionSide')
    reduce_only = _bool(p, 'reduceOnly')
    sim = _sim(req)
    if reduce_only is not None and sim.hedge_mode(_key(req)):
        raise _not_required('reduceOnly')  # "Cannot be sent in Hedge Mode"
    resp = _text(p, 'newOrderRespType') or 'ACK'
    stp = _text(p, 'selfTradePreventionMode') or 'NONE'
    if resp not in RESPONSE_TYPES:
        raise _illegal('newOrderRespType')
    if stp not in STP_MODES:
        raise _illegal('selfTradePreventionMode')
    client_id = _text(p, 'newClientOrderId')
    if client_id is not None and not CLIENT_ID.match(client_id):
        raise BinanceError(-4015, 'Client order id is not valid.')
    order, _fills = await req.exchange.execute(
        sim.place,
        _key(req),
        symbol,
        side,
        type_,
        tif=tif,
        price=price,
        qty=qty,
        client_id=client_id,
        stp=stp,
        position_side=position_side,
        reduce_only=bool(reduce_only),
    )
    return _wire(req).order_ack(order, resp)


def _find(req: Request) -> FuturesOrder:
    order_id, client_id = _order_ref(req.params)
    order = _sim(req).find(_key(req), _required(req.params, 'symbol'), order_id, client_id, E_NO_SUCH_ORDER)
    assert isinstance(order, FuturesOrder)
    return order


def _status(req: Request) -> Any:
    return _wire(req).order_status(_find(req))


async def _cancel(req: Request) -> Any:
    order_id, client_id = _order_ref(req.params)
    sim = _sim(req)
    order = await req.exchange.execute(
        sim.cancel, _key(req), _required(req.params, 'symbol'), order_id=order_id, client_id=client_id
    )
    return _wire(req).cancel_result(order)


async def _cancel_all(req: Request) -> Any:
    await req.exchange.execute(_sim(req).cancel_all, _key(req), _required(req.params, 'symbol'))
    return {'code': 200, 'msg': 'The operation of cancel all open order is done.'}


def _orders(req: Request, markets: list[Market], open_only: bool) -> list[FuturesOrder]:
    acct = _sim(req).accounts.get(_key(req))
    if acct is None:
        return []
    return [
        o
        for o in acct.orders.values()
        if isinstance(o, FuturesOrder) and o.market in markets and (o.is_open or not open_only)
    ]


def _open_orders(req: Request) -> Any:
    wire = _wire(req)
    return [wire.order_status(o) for o in _orders(req, _markets(req), open_only=True)]


def _all_orders(req: Request) -> Any:
    p = req.params
    orders = _orders(req, _markets(req, required=True), open_only=False)
    start, end, first = _int(p, 'startTime'), _int(p, 'endTime'), _int(p, 'orderId')
    limit = min(_int(p, 'limit', 500) or 500, 1000)
    # Binance allOrders: from orderId on if given, else the most recent; startTime/endTime bound the order time.
    orders = [
        o
        for o in orders
        if (first is None or o.id >= first) and (start is None or o.time >= start) and (end is None or o.time <= end)
    ]
    wire = _wire(req)
    return [wire.order_status(o) for o in _window(orders, limit, first is not None or start is not None)]


def _user_trades(req: Request) -> Any:
    p = req.params
    sim = _sim(req)
    wire = _wire(req)
    markets = _markets(req, required=True)
    acct = sim.accounts.get(_key(req))
    rows = [(o, f) for o, f in acct.trades if o.market in markets] if acct is not None else []
    order_id, from_id = _int(p, 'orderId'), _int(p, 'fromId')
    start, end = _int(p, 'startTime'), _int(p, 'endTime')
    limit = min(_int(p, 'limit', 500) or 500, 1000)
    rows = [
        (o, f)
        for o, f in rows
        if (order_id is None or o.id == order_id)
        and (from_id is None or f.trade_id >= from_id)
        and (start is None or f.time >= start)
        and (end is None or f.time <= end)
    ]
    out = []
    for o, f in _window(rows, limit, from_id is not None or start is not None):
        if not isinstance(o, FuturesOrder):
            continue
        m = o.market
        terms = contract(m)
        values = {
            'symbol': o.symbol,
            'id': f.trade_id,
            'orderId': o.id,
            'pair': terms.pair,
            'side': o.side,
            'price': _px(m, f.price),
            'qty': _qty(m, f.qty),
            'realizedPnl': _d8(sim.fill_pnl.get((o.id, f.trade_id), ZERO)),
            'marginAsset': f.commission_asset,
            # The fill's size in the base asset: its quantity (linear) or its value (inverse, BTC).
            'baseQty': _d8(f.quote_qty) if terms.inverse else _qty(m, f.qty),
            'quoteQty': _d8(f.quote_qty),
            'commission': _d8(f.commission),
            'commissionAsset': f.commission_asset,
            'time': f.time,
            'positionSide': o.position_side,
            'buyer': o.side == 'BUY',
            'maker': f.maker,
        }
        out.append(wire._pick('userTrade', values))
    return out


def _account(req: Request) -> Any:
    return _wire(req).account(_sim(req), _key(req))


def _balance(req: Request) -> Any:
    return _wire(req).balance(_sim(req), _key(req))


def _positions(shape: str, held: bool = False) -> Handler:
    """A position handler rendering *shape*: every position of the symbols asked for (by ``symbol``, COIN-M
    ``pair`` or ``marginAsset``), flat ones included, or with *held* only those with a position or open orders
    (``/fapi/v3/positionRisk``: "only symbol that has position or open orders will be returned")."""

    def handler(req: Request) -> Any:
        sim = _sim(req)
        asset = _text(req.params, 'marginAsset')
        rows = []
        for m in _markets(req):
            if asset is not None and contract(m).margin_asset != asset.upper():
                continue
            rows += sim.positions(_key(req), m.symbol, include_flat=True)
        if held:
            rows = [p for p in rows if p.amount or p.bid_notional or p.ask_notional]
        wire = _wire(req)
        return [wire.position(p, shape) for p in rows]

    return handler


async def _leverage(req: Request) -> Any:
    p = req.params
    symbol = _required(p, 'symbol')
    leverage = _int(p, 'leverage')
    if leverage is None:
        raise _missing('leverage')
    sim = _sim(req)
    await req.exchange.execute(sim.set_leverage, _key(req), symbol, leverage)
    values = {
        'leverage': leverage,
        'maxNotionalValue': MAX_NOTIONAL,
        'maxQty': MAX_QTY,
        'symbol': sim.market(symbol).symbol,
    }
    return _wire(req)._pick('leverage', values)


async def _margin_type(req: Request) -> Any:
    p = req.params
    symbol = _required(p, 'symbol')
    margin_type = _required(p, 'marginType').upper()
    margin_type = 'CROSSED' if margin_type == 'CROSS' else margin_type
    await req.exchange.execute(_sim(req).set_margin_type, _key(req), symbol, margin_type)
    return {'code': 200, 'msg': 'success'}


def _get_position_mode(req: Request) -> Any:
    return {'dualSidePosition': _sim(req).hedge_mode(_key(req))}


async def _set_position_mode(req: Request) -> Any:
    dual = _bool(req.params, 'dualSidePosition')
    if dual is None:
        raise _missing('dualSidePosition')
    await req.exchange.execute(_sim(req).set_position_mode, _key(req), dual)
    return {'code': 200, 'msg': 'success'}


def _premium_index(req: Request) -> Any:
    """USDⓈ-M ``premiumIndex``: one object for a symbol, a list without."""
    sim, wire = _sim(req), _wire(req)
    symbol = _text(req.params, 'symbol')
    if symbol is not None:
        return wire.premium_index(sim, symbol)
    return [wire.premium_index(sim, s) for s in sorted(sim.markets)]


def _premium_index_list(req: Request) -> Any:
    """COIN-M ``premiumIndex``: always a list, of a symbol, a pair or every symbol."""
    sim, wire = _sim(req), _wire(req)
    return [wire.premium_index(sim, m.symbol) for m in _markets(req)]


def _funding_rate(req: Request) -> Any:
    p = req.params
    sim = _sim(req)
    symbol = _text(p, 'symbol')
    rows = sim.funding_history(sim.market(symbol).symbol if symbol is not None else None)
    start, end = _int(p, 'startTime'), _int(p, 'endTime')
    limit = min(_int(p, 'limit', 100) or 100, 1000)
    rows = [r for r in rows if (start is None or r.funding_time >= start) and (end is None or r.funding_time <= end)]
    wire = _wire(req)
    return [
        wire._pick(
            'fundingRate',
            {
                'symbol': r.symbol,
                'fundingRate': _d8(r.funding_rate),
                'fundingTime': r.funding_time,
                'markPrice': _d8(r.mark_price),
            },
        )
        for r in _window(rows, limit, start is not None)
    ]


def _depth(req: Request) -> Any:
    m = _sim(req).market(_required(req.params, 'symbol'))
    limit = _int(req.params, 'limit', DEFAULT_DEPTH)
    if limit not in DEPTH_LIMITS:
        raise BinanceError(-4021, f"'{limit}' is not valid depth limit.")
    u, bids, asks = m.depth(limit)
    now = req.exchange.server_time()
    values = {
        'lastUpdateId': u,
        'symbol': m.symbol,
        'pair': contract(m).pair,
        'E': now,
        'T': now,
        'bids': bids,
        'asks': asks,
    }
    return _wire(req)._pick('depth', values)


def _commission(req: Request) -> Any:
    symbol = _sim(req).market(_required(req.params, 'symbol')).symbol
    return {'symbol': symbol, 'makerCommissionRate': '0.0000', 'takerCommissionRate': '0.0000'}


def _recent_trades(req: Request) -> Any:
    m = _sim(req).market(_required(req.params, 'symbol'))
    limit = min(_int(req.params, 'limit', 500) or 500, 1000)
    wire = _wire(req)
    return [
        wire._pick(
            'trade',
            {
                'id': t.id,
                'price': _px(m, t.price),
                'qty': _qty(m, t.qty),
                'quoteQty': _d8(t.quote_qty),
                'baseQty': _d8(t.quote_qty),  # COIN-M: the trade's value in the base asset
                'time': t.time,
                'isBuyerMaker': t.buyer_maker,
            },
        )
        for t in list(m.trades)[-limit:]
    ]


def _one_or_all(req: Request, row: Callable[[Market], dict[str, Any]]) -> Any:
    # Binance tickers: USDⓈ-M one object for a symbol, else a list (of every symbol); COIN-M always a list (of the
    # symbol, of a pair's symbols, or of every symbol).
    markets = _markets(req)
    if _text(req.params, 'symbol') is not None and not _wire(req).ticker_lists:
        return row(markets[0])
    return [row(m) for m in markets]


def _ticker_price(req: Request) -> Any:
    now = req.exchange.server_time()
    wire = _wire(req)

    def row(m: Market) -> dict[str, Any]:
        values = {'symbol': m.symbol, 'ps': contract(m).pair, 'price': _px(m, m.ticker.last), 'time': now}
        return wire._pick('tickerPrice', values)

    return _one_or_all(req, row)


def _book_ticker(req: Request) -> Any:
    now = req.exchange.server_time()
    wire = _wire(req)

    def row(m: Market) -> dict[str, Any]:
        bid, ask = m.best_bid(), m.best_ask()
        values = {
            'lastUpdateId': m.update_id,
            'symbol': m.symbol,
            'pair': contract(m).pair,
            'bidPrice': _px(m, bid[0] * m.tick_size if bid else ZERO),
            'bidQty': _qty(m, bid[1] * m.step_size if bid else ZERO),
            'askPrice': _px(m, ask[0] * m.tick_size if ask else ZERO),
            'askQty': _qty(m, ask[1] * m.step_size if ask else ZERO),
            'time': now,
        }
        return wire._pick('bookTicker.rest', values)

    return _one_or_all(req, row)


def _exchange_info(req: Request) -> Any:
    """``exchangeInfo`` with the engine's contracts (the exchange builds its engine after the plugins' hook)."""
    sim, wire = _sim(req), _wire(req)
    now = req.exchange.server_time()
    return exchange_info(req.exchange, [wire.symbol_info(m, now) for m in sim.markets.values()])


def _not_simulated(req: Request) -> Any:
    """Conditional (algo) orders, batches and order modify are not simulated: say so, never a silent ``{}`` that
    a bot would take for an accepted stop order that then never triggers."""
    raise BinanceError(-1, f"{req.method} is not simulated by the test kit's {_wire(req).title} exchange")


# -- the route tables ---------------------------------------------------------------------------------------
# The security of a route the market's rows also name comes from the row; these values are for the rest.

WS_ROUTES: tuple[WsRoute, ...] = (
    ('order.place', _place, TRADE),
    ('order.modify', _not_simulated, TRADE),
    ('order.cancel', _cancel, TRADE),
    ('order.status', _status, USER_DATA),
)

REST_ROUTES: tuple[RestRoute, ...] = (
    ('GET', '/v1/exchangeInfo', _exchange_info, NONE),
    ('POST', '/v1/order', _place, TRADE),
    ('GET', '/v1/order', _status, USER_DATA),
    ('DELETE', '/v1/order', _cancel, TRADE),
    ('GET', '/v1/openOrders', _open_orders, USER_DATA),
    ('GET', '/v1/allOrders', _all_orders, USER_DATA),
    ('GET', '/v1/userTrades', _user_trades, USER_DATA),
    ('GET', '/v1/commissionRate', _commission, USER_DATA),
    ('GET', '/v1/trades', _recent_trades, NONE),
    ('GET', '/v1/ticker/bookTicker', _book_ticker, NONE),
    ('DELETE', '/v1/allOpenOrders', _cancel_all, TRADE),
    ('POST', '/v1/leverage', _leverage, TRADE),
    ('POST', '/v1/marginType', _margin_type, TRADE),
    ('GET', '/v1/positionSide/dual', _get_position_mode, USER_DATA),
    ('POST', '/v1/positionSide/dual', _set_position_mode, TRADE),
    ('GET', '/v1/fundingRate', _funding_rate, NONE),
    ('GET', '/v1/depth', _depth, NONE),
    ('POST', '/v1/algoOrder', _not_simulated, TRADE),
    ('GET', '/v1/algoOrder', _not_simulated, USER_DATA),
    ('GET', '/v1/openAlgoOrders', _not_simulated, USER_DATA),
    ('POST', '/v1/batchOrders', _not_simulated, TRADE),
    ('PUT', '/v1/order', _not_simulated, TRADE),
)


# -- the two markets ------------------------------------------------------------------------------------------
# Each payload's fields in Binance's order, copied from the generated connectors' models (the sources above).
# The strings are data, not formatted.
# fmt: off

UM_WIRE = FuturesWire(
    title='USDⓈ-M',
    rest_root='/fapi',
    fields={
        # websocket_streams: DiffBookDepthStreamsResponse, AggregateTradeStreamsResponse (`nq` since 2025-12-29),
        # MarkPriceStreamResponse (`ap` since 2026-03), IndividualSymbolBookTickerStreamsResponse.
        'depthUpdate': 'e E T s U u pu b a',
        'aggTrade': 'e E s a p q nq f l T m',
        'markPriceUpdate': 'e E s p ap i P r T',
        'bookTicker': 'e u E T s b B a A',
        # User data: OrderTradeUpdate(O), AccountUpdate.
        'ORDER_TRADE_UPDATE': 'e E T o',
        'order_update': 's c S o f q p ap sp x X i l z L N n T t b a m R wt ot ps cp rp pP si ss V pm gtd er',
        'ACCOUNT_UPDATE': 'e E T a',
        # NewOrderResponseResult (ack and cancel), QueryOrderResponseResult.
        'order': 'orderId symbol status clientOrderId price origQty executedQty cumQty timeInForce type reduceOnly '
                 'closePosition side positionSide stopPrice workingType priceProtect origType priceMatch '
                 'selfTradePreventionMode goodTillDate updateTime',
        'order.status': 'orderId symbol status clientOrderId price origQty executedQty timeInForce type reduceOnly '
                        'closePosition side positionSide stopPrice workingType priceProtect origType priceMatch '
                        'selfTradePreventionMode goodTillDate updateTime avgPrice cumQuote time',
        # account.position and /fapi/v2/positionRisk; v2/account.position and /fapi/v3/positionRisk.
        'position.v2': 'entryPrice breakEvenPrice marginType isAutoAddMargin isolatedMargin leverage liquidationPrice '
                       'markPrice maxNotionalValue positionAmt notional isolatedWallet symbol unRealizedProfit '
                       'positionSide updateTime',
        'position.v3': 'symbol positionSide positionAmt entryPrice breakEvenPrice markPrice unRealizedProfit '
                       'liquidationPrice isolatedMargin notional marginAsset isolatedWallet initialMargin maintMargin '
                       'positionInitialMargin openOrderInitialMargin adl bidNotional askNotional updateTime',
        # v2/account.status, its assets and positions; v2/account.balance.
        'account': 'totalInitialMargin totalMaintMargin totalWalletBalance totalUnrealizedProfit totalMarginBalance '
                   'totalPositionInitialMargin totalOpenOrderInitialMargin totalCrossWalletBalance totalCrossUnPnl '
                   'availableBalance maxWithdrawAmount assets positions',
        'asset': 'asset walletBalance unrealizedProfit marginBalance maintMargin initialMargin positionInitialMargin '
                 'openOrderInitialMargin crossWalletBalance crossUnPnl availableBalance maxWithdrawAmount '
                 'marginAvailable updateTime',
        'account.position': 'symbol positionSide positionAmt unrealizedProfit isolatedMargin notional isolatedWallet '
                            'initialMargin maintMargin updateTime',
        'balance': 'accountAlias asset balance crossWalletBalance crossUnPnl availableBalance maxWithdrawAmount '
                   'marginAvailable updateTime',
        # rest_api: premiumIndex, fundingRate, depth, leverage, userTrades, trades, v2/ticker/price, bookTicker,
        # exchangeInfo symbols.
        'premiumIndex': 'symbol markPrice indexPrice estimatedSettlePrice lastFundingRate interestRate '
                        'nextFundingTime time',
        'fundingRate': 'symbol fundingRate fundingTime markPrice',
        'depth': 'lastUpdateId E T bids asks',
        'leverage': 'leverage maxNotionalValue symbol',
        'userTrade': 'buyer commission commissionAsset id maker orderId price qty quoteQty realizedPnl side '
                     'positionSide symbol time marginAsset baseQty pair',
        'trade': 'id price qty quoteQty time isBuyerMaker',
        'tickerPrice': 'symbol price time',
        'bookTicker.rest': 'symbol bidPrice bidQty askPrice askQty time lastUpdateId',
        'symbol': 'symbol pair contractType deliveryDate onboardDate status baseAsset quoteAsset marginAsset '
                  'pricePrecision quantityPrecision baseAssetPrecision quotePrecision underlyingType '
                  'underlyingSubType filters orderTypes timeInForce',
    },
    ws_routes=(
        ('algoOrder.place', _not_simulated, TRADE),
        ('algoOrder.cancel', _not_simulated, TRADE),
        ('v2/account.status', _account, USER_DATA),
        ('v2/account.balance', _balance, USER_DATA),
        ('account.balance', _balance, USER_DATA),
        # Binance's v1/v2 position information lists every symbol, flat ones included.
        ('account.position', _positions('position.v2'), USER_DATA),
        ('v2/account.position', _positions('position.v3', held=True), USER_DATA),
        ('depth', _depth, NONE),
    ),
    rest_routes=(
        ('GET', '/v2/ticker/price', _ticker_price, NONE),
        ('GET', '/v3/positionRisk', _positions('position.v3', held=True), USER_DATA),
        ('GET', '/v2/positionRisk', _positions('position.v2'), USER_DATA),
        ('GET', '/v2/balance', _balance, USER_DATA),
        ('GET', '/v3/balance', _balance, USER_DATA),
        ('GET', '/v1/premiumIndex', _premium_index, NONE),
    ),
)

# COIN-M: inverse contracts of 100 USD (BTC) or 10 USD (any other coin); margin, PnL and fills' value in the coin.
CM_WIRE = FuturesWire(
    title='COIN-M',
    rest_root='/dapi',
    ticker_lists=True,
    contract_sizes={'BTC': 100, '*': 10},
    fields={
        # websocket_streams: `ps` (the pair) on depth and book ticker; no `nq` nor `ap`.
        'depthUpdate': 'e E T s ps U u pu b a',
        'aggTrade': 'e E a s p q f l T m',
        'markPriceUpdate': 'e E s p P i r T',
        'bookTicker': 'e u s ps b B a A T E',
        # User data: the account alias `i` on both events; `ma` (margin asset); no `si`, `ss`, `gtd`.
        'ORDER_TRADE_UPDATE': 'e E T i o',
        'order_update': 's c S o f q p ap sp x X i l z L ma N n T t rp b a m R wt ot ps cp pP V pm er',
        'ACCOUNT_UPDATE': 'e E T i a',
        # rest_api NewOrderResponse / CancelOrderResponse, QueryOrderResponse: `pair`, and `cumBase`.
        'order': 'orderId symbol pair status clientOrderId price origQty executedQty cumQty timeInForce type '
                 'reduceOnly closePosition side positionSide stopPrice workingType priceProtect origType priceMatch '
                 'selfTradePreventionMode updateTime',
        'order.status': 'orderId symbol pair status clientOrderId price avgPrice origQty executedQty cumBase '
                        'timeInForce type reduceOnly closePosition side positionSide stopPrice workingType '
                        'priceProtect origType priceMatch selfTradePreventionMode time updateTime',
        # account.position and /dapi/v1/positionRisk (v1 only); account.status and /dapi/v1/account, its assets
        # and positions; account.balance and /dapi/v1/balance.
        'position': 'symbol positionAmt entryPrice breakEvenPrice markPrice unRealizedProfit liquidationPrice '
                    'leverage maxQty marginType isolatedMargin isAutoAddMargin positionSide notionalValue '
                    'isolatedWallet updateTime',
        'account': 'feeTier canTrade canDeposit canWithdraw updateTime assets positions',
        'asset': 'asset walletBalance unrealizedProfit marginBalance maintMargin initialMargin positionInitialMargin '
                 'openOrderInitialMargin maxWithdrawAmount crossWalletBalance crossUnPnl availableBalance updateTime',
        'account.position': 'symbol initialMargin maintMargin unrealizedProfit positionInitialMargin '
                            'openOrderInitialMargin leverage isolated positionSide entryPrice breakEvenPrice maxQty '
                            'notionalValue isolatedWallet updateTime positionAmt',
        'balance': 'accountAlias asset balance withdrawAvailable crossWalletBalance crossUnPnl availableBalance '
                   'updateTime',
        # rest_api: premiumIndex (always a list), fundingRate, depth, leverage, userTrades, trades, v1/ticker/price,
        # bookTicker, exchangeInfo symbols (`contractSize`, `contractStatus`).
        'premiumIndex': 'symbol pair markPrice indexPrice estimatedSettlePrice lastFundingRate interestRate '
                        'nextFundingTime time',
        'fundingRate': 'symbol fundingTime fundingRate',
        'depth': 'lastUpdateId symbol pair E T bids asks',
        'leverage': 'leverage maxQty symbol',
        'userTrade': 'symbol id orderId pair side price qty realizedPnl marginAsset baseQty commission '
                     'commissionAsset time positionSide buyer maker',
        'trade': 'id price qty baseQty time isBuyerMaker',
        'tickerPrice': 'symbol ps price time',
        'bookTicker.rest': 'lastUpdateId symbol pair bidPrice bidQty askPrice askQty time',
        'symbol': 'symbol pair contractType deliveryDate onboardDate contractStatus contractSize marginAsset '
                  'maintMarginPercent requiredMarginPercent baseAsset quoteAsset pricePrecision quantityPrecision '
                  'baseAssetPrecision quotePrecision equalQtyPrecision triggerProtect underlyingType '
                  'underlyingSubType filters orderTypes timeInForce liquidationFee marketTakeBound',
    },
    ws_routes=(
        # ws-dapi: v1 account methods only, no market data and no algo methods (FUTURES-API.md §2).
        ('account.status', _account, USER_DATA),
        ('account.balance', _balance, USER_DATA),
        ('account.position', _positions('position'), USER_DATA),
    ),
    rest_routes=(
        ('GET', '/v1/ticker/price', _ticker_price, NONE),
        # "If neither marginAsset nor pair is sent, positions of all symbols with TRADING status will be returned."
        ('GET', '/v1/positionRisk', _positions('position'), USER_DATA),
        ('GET', '/v1/account', _account, USER_DATA),
        ('GET', '/v1/balance', _balance, USER_DATA),
        ('GET', '/v1/premiumIndex', _premium_index_list, NONE),
        ('DELETE', '/v1/algoOrder', _not_simulated, TRADE),
    ),
)
# fmt: on


def simulated_fake(*, market: str, wire: FuturesWire, stream_prefixes: tuple[str, ...] = ('',)) -> FuturesFake:
    """A futures plugin's fake row (its ``binance.testing`` entry point): the shared futures fake under
    *wire*'s REST root, which also teaches a ``SimulatedExchange`` of *market* the simulated market.

    :param market: the market name (``'usdm'``).
    :param wire: :data:`UM_WIRE` or :data:`CM_WIRE`.
    :param stream_prefixes: the market's stream path prefixes (USDⓈ-M ``('/public', '/market', '/private')``).
    """
    return FuturesFake(market=market, rest_root=wire.rest_root, stream_prefixes=stream_prefixes, simulation=wire)
