"""Teaches the test kit's fake exchange USDⓈ-M's wire: REST under ``/fapi/``, streams under ``/public``,
``/market`` and ``/private`` (legacy paths retired 2026-04-23), and the listenKey flow (all from
``binance_futures.fake``); and, for a ``SimulatedExchange``, the simulated perpetual market's streams, orders,
positions and accounts in USDⓈ-M's formats. Only the test kit imports this module (entry-point group
``binance.testing``).

Formats follow Binance's USDⓈ-M documentation as generated into ``binance/binance-connector-python``
(``derivatives_trading_usds_futures`` 17.2.0: WS-API ``order.place`` / ``order.cancel`` / ``order.status``,
``v2/account.status``, ``v2/account.balance``, ``account.position``; REST ``/fapi/v3/positionRisk``,
``/fapi/v1/premiumIndex``, ...; streams ``<s>@depth`` with ``pu``, ``<s>@aggTrade`` with ``nq``,
``<s>@markPrice`` with ``ap``; user events ``ORDER_TRADE_UPDATE``, ``ACCOUNT_UPDATE`` with ``a.S``,
``ACCOUNT_CONFIG_UPDATE``). Order acknowledgements carry no ``avgPrice`` or ``cumQuote`` since 2026-07-15.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import attrs

from binance_core import hookimpl
from binance_core.specs import SecurityType
from binance_futures.fake import FuturesFake
from binance_testing.fake_exchange import BinanceError
from binance_testing.futures import (
    CROSSED,
    ISOLATED,
    BalanceRow,
    FuturesOrder,
    FuturesSimulation,
    MarginBalance,
    Position,
)
from binance_testing.matching import E_NO_SUCH_ORDER, Candle, Fill, Market, Trade

if TYPE_CHECKING:
    from binance_core.specs import MarketSpec
    from binance_testing.fake_exchange import Request
    from binance_testing.hookspecs import FakeExchangeProtocol
    from binance_testing.matching import Simulation

__all__ = ['UM_WIRE', 'USDM_FAKE', 'UsdmFake', 'UsdmWire']

NONE, USER_DATA, TRADE = SecurityType.NONE, SecurityType.USER_DATA, SecurityType.TRADE

ORDER_TYPES = ('LIMIT', 'MARKET')
TIME_IN_FORCE = ('GTC', 'IOC', 'FOK', 'GTX')
RESPONSE_TYPES = ('ACK', 'RESULT')
STP_MODES = ('NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH')
# Binance USDⓈ-M "Order Book": limit 5, 10, 20, 50, 100, 500 (default) or 1000.
DEPTH_LIMITS = (5, 10, 20, 50, 100, 500, 1000)
DEFAULT_DEPTH = 500
# newClientOrderId: "^[.A-Z:/a-z0-9_-]{1,36}$" (order.place docs).
CLIENT_ID = re.compile(r'^[.A-Z:/a-z0-9_-]{1,36}$')
# Parameters order.place no longer takes since the algo-service move (2025-12-22 REST, 2026-06-09 WS).
RETIRED_PARAMS = ('stopPrice', 'closePosition', 'activationPrice', 'callbackRate', 'workingType', 'priceProtect')
# Leverage brackets are not simulated: one cap for every leverage.
MAX_NOTIONAL = '1000000000'
# Binance prints a delivery date far in the future for perpetual contracts.
PERPETUAL_DELIVERY = 4133404800000


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


def _futures(sim: Simulation | None) -> FuturesSimulation:
    assert isinstance(sim, FuturesSimulation), 'the USDⓈ-M wire renders the futures engine'
    return sim


class UsdmWire:
    """Renders the simulation as Binance USDⓈ-M does; see ``binance_testing.simulation.SimulationWire`` and
    ``binance_testing.futures.FuturesUserEvents``."""

    engine = FuturesSimulation

    # -- market streams ------------------------------------------------------------------------------------

    def depth_streams(self, market: Market) -> Sequence[tuple[str, float]]:
        s = market.symbol.lower()
        # Binance USDⓈ-M "Diff. Book Depth Streams": 250 ms (default), 500 ms or 100 ms.
        return ((f'{s}@depth', 0.25), (f'{s}@depth@500ms', 0.5), (f'{s}@depth@100ms', 0.1))

    def depth_update(
        self, market: Market, first: int, last: int, bids: list[list[str]], asks: list[list[str]], now: int
    ) -> Any:
        # "pu": the final update id of the previous event on this stream, which ended just before this one began.
        return {
            'e': 'depthUpdate',
            'E': now,
            'T': now,
            's': market.symbol,
            'U': first,
            'u': last,
            'pu': first - 1,
            'b': bids,
            'a': asks,
        }

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
            qty = _plain(sum((t.qty for t in trades[i:j]), Decimal(0)))
            frames.append(
                (
                    stream,
                    {
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
                    },
                )
            )
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
        return {
            'e': 'bookTicker',
            'u': m.update_id,
            'E': now,
            'T': now,
            's': m.symbol,
            'b': _plain(bid[0] * m.tick_size) if bid else '0',
            'B': _plain(bid[1] * m.step_size) if bid else '0',
            'a': _plain(ask[0] * m.tick_size) if ask else '0',
            'A': _plain(ask[1] * m.step_size) if ask else '0',
        }

    def mark_price_event(self, sim: FuturesSimulation, m: Market, now: int) -> dict[str, Any]:
        p = sim.premium_index(m.symbol)
        return {
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

    def kline(self, m: Market, label: str, c: Candle, closed: bool, now: int) -> dict[str, Any]:
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

    # -- user data -----------------------------------------------------------------------------------------

    def order_trade_update(
        self, o: FuturesOrder, execution: str, fill: Fill | None, execution_id: int, now: int
    ) -> Any:
        return {
            'e': 'ORDER_TRADE_UPDATE',
            'E': now,
            'T': now,
            'o': {
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
                'N': o.market.rules.quote,
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
            },
        }

    def account_update(
        self, reason: str, balances: Sequence[BalanceRow], positions: Sequence[Position], now: int, symbol: str | None
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
                    'mt': p.margin_type.lower().replace('crossed', 'cross'),
                    'iw': _d8(p.isolated_wallet),
                    'ps': p.position_side,
                }
                for p in positions
            ],
        }
        if symbol is not None:
            update['S'] = symbol  # the symbol of a FUNDING_FEE (added 2026-08)
        return {'e': 'ACCOUNT_UPDATE', 'E': now, 'T': now, 'a': update}

    def account_config_update(self, symbol: str, leverage: int, now: int) -> Any:
        return {'e': 'ACCOUNT_CONFIG_UPDATE', 'E': now, 'T': now, 'ac': {'s': symbol, 'l': leverage}}

    # -- WS-API and REST answers ---------------------------------------------------------------------------

    def _order_common(self, o: FuturesOrder) -> dict[str, Any]:
        m = o.market
        return {
            'orderId': o.id,
            'symbol': o.symbol,
            'status': o.status,
            'clientOrderId': o.client_id,
            'price': _px(m, o.price),
            'origQty': _qty(m, o.orig_qty),
            'executedQty': _qty(m, o.executed_qty),
            'cumQty': _qty(m, o.executed_qty),
            'timeInForce': o.tif,
            'type': o.type,
            'reduceOnly': o.reduce_only,
            'closePosition': False,
            'side': o.side,
            'positionSide': o.position_side,
            'stopPrice': _px(m, Decimal(0)),
            'workingType': 'CONTRACT_PRICE',
            'priceProtect': False,
            'origType': o.type,
            'priceMatch': 'NONE',
            'selfTradePreventionMode': o.stp,
            'goodTillDate': 0,
            'updateTime': o.update_time,
        }

    def order_ack(self, o: FuturesOrder, resp_type: str) -> dict[str, Any]:
        """``order.place``: ``ACK`` is the order as accepted (``NEW``, nothing executed yet: fills come from user
        data); ``RESULT`` its state after matching. Neither carries ``avgPrice`` or ``cumQuote`` (2026-07-15)."""
        out = self._order_common(o)
        if resp_type == 'ACK':
            zero = _qty(o.market, Decimal(0))
            out.update(status='NEW', executedQty=zero, cumQty=zero, updateTime=o.time)
        return out

    def cancel_result(self, o: FuturesOrder) -> dict[str, Any]:
        return self._order_common(o)

    def order_status(self, o: FuturesOrder) -> dict[str, Any]:
        """``order.status`` and ``openOrders``: queries still carry ``avgPrice`` and ``cumQuote``."""
        out = self._order_common(o)
        del out['cumQty']
        out.update(avgPrice=_d8(o.avg_price), cumQuote=_d8(o.cum_quote), time=o.time)
        return out

    def position_v2(self, p: Position) -> dict[str, Any]:
        """WS-API ``account.position`` (and REST ``/fapi/v2/positionRisk``)."""
        return {
            'entryPrice': _d8(p.entry_price),
            'breakEvenPrice': _d8(p.entry_price),
            'marginType': 'isolated' if p.margin_type == ISOLATED else 'cross',
            'isAutoAddMargin': 'false',
            'isolatedMargin': _d8(p.isolated_margin),
            'leverage': str(p.leverage),
            'liquidationPrice': '0',
            'markPrice': _d8(p.mark_price),
            'maxNotionalValue': MAX_NOTIONAL,
            'positionAmt': str(p.amount),  # in the step's precision: '0.010', '-0.002', '0.000'
            'notional': _d8(p.notional),
            'isolatedWallet': _d8(p.isolated_wallet),
            'symbol': p.symbol,
            'unRealizedProfit': _d8(p.unrealized_pnl),
            'positionSide': p.position_side,
            'updateTime': p.update_time,
        }

    def position_v3(self, p: Position) -> dict[str, Any]:
        """REST ``/fapi/v3/positionRisk`` (and WS-API ``v2/account.position``)."""
        return {
            'symbol': p.symbol,
            'positionSide': p.position_side,
            'positionAmt': str(p.amount),  # in the step's precision: '0.010', '-0.002', '0.000'
            'entryPrice': _d8(p.entry_price),
            'breakEvenPrice': _d8(p.entry_price),
            'markPrice': _d8(p.mark_price),
            'unRealizedProfit': _d8(p.unrealized_pnl),
            'liquidationPrice': '0',
            'isolatedMargin': _d8(p.isolated_margin),
            'notional': _d8(p.notional),
            'marginAsset': p.margin_asset,
            'isolatedWallet': _d8(p.isolated_wallet),
            'initialMargin': _d8(p.initial_margin + p.open_order_margin),
            'maintMargin': _d8(p.maint_margin),
            'positionInitialMargin': _d8(p.initial_margin),
            'openOrderInitialMargin': _d8(p.open_order_margin),
            'adl': 0,
            'bidNotional': _d8(p.bid_notional),
            'askNotional': _d8(p.ask_notional),
            'updateTime': p.update_time,
        }

    def asset(self, b: MarginBalance) -> dict[str, Any]:
        return {
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

    def account(self, sim: FuturesSimulation, key: str) -> dict[str, Any]:
        """``v2/account.status``; totals add up every margin asset at par (single-asset mode shows USDT)."""
        assets = [sim.margin(key, a) for a in sim.margin_assets(key)]

        def total(field: str) -> str:
            return _d8(sum((getattr(b, field) for b in assets), Decimal(0)))

        positions = [p for p in sim.positions(key, include_flat=True) if p.amount or p.bid_notional or p.ask_notional]
        return {
            'totalInitialMargin': _d8(
                sum((b.position_initial_margin + b.open_order_initial_margin for b in assets), Decimal(0))
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
            'positions': [
                {
                    'symbol': p.symbol,
                    'positionSide': p.position_side,
                    'positionAmt': str(p.amount),  # in the step's precision: '0.010', '-0.002', '0.000'
                    'unrealizedProfit': _d8(p.unrealized_pnl),
                    'isolatedMargin': _d8(p.isolated_margin),
                    'notional': _d8(p.notional),
                    'isolatedWallet': _d8(p.isolated_wallet),
                    'initialMargin': _d8(p.initial_margin + p.open_order_margin),
                    'maintMargin': _d8(p.maint_margin),
                    'updateTime': p.update_time,
                }
                for p in positions
            ],
        }

    def balance(self, sim: FuturesSimulation, key: str) -> list[dict[str, Any]]:
        """``v2/account.balance`` (and REST ``/fapi/v2/balance``, ``/fapi/v3/balance``)."""
        uid = sim.account(key).uid
        return [
            {
                'accountAlias': f'Sim{uid % 10_000:04d}',
                'asset': b.asset,
                'balance': _d8(b.wallet_balance),
                'crossWalletBalance': _d8(b.cross_wallet_balance),
                'crossUnPnl': _d8(b.cross_unrealized_pnl),
                'availableBalance': _d8(b.available_balance),
                'maxWithdrawAmount': _d8(b.max_withdraw_amount),
                'marginAvailable': True,
                'updateTime': b.update_time,
            }
            for b in (sim.margin(key, a) for a in sim.margin_assets(key))
        ]

    def premium_index(self, sim: FuturesSimulation, symbol: str) -> dict[str, Any]:
        p = sim.premium_index(symbol)
        return {
            'symbol': p.symbol,
            'markPrice': _d8(p.mark_price),
            'indexPrice': _d8(p.index_price),
            'estimatedSettlePrice': _d8(p.index_price),
            'lastFundingRate': _d8(p.funding_rate),
            'interestRate': _d8(p.interest_rate),
            'nextFundingTime': p.next_funding_time,
            'time': p.time,
        }

    def symbol_info(self, m: Market, now: int) -> dict[str, Any]:
        """An ``exchangeInfo`` entry: a perpetual contract margined in the quote asset."""
        r = m.rules
        return {
            'symbol': r.symbol,
            'pair': r.symbol,
            'contractType': 'PERPETUAL',
            'deliveryDate': PERPETUAL_DELIVERY,
            'onboardDate': now,
            'status': 'TRADING',
            'baseAsset': r.base,
            'quoteAsset': r.quote,
            'marginAsset': r.quote,
            'pricePrecision': _places(r.tick_size),
            'quantityPrecision': _places(r.step_size),
            'baseAssetPrecision': 8,
            'quotePrecision': 8,
            'underlyingType': 'COIN',
            'underlyingSubType': [],
            'filters': [
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
            ],
            'orderTypes': list(ORDER_TYPES),
            'timeInForce': list(TIME_IN_FORCE),
        }


UM_WIRE = UsdmWire()


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


def _sim(req: Request) -> FuturesSimulation:
    return _futures(req.exchange.simulation)


def _key(req: Request) -> str:
    assert req.api_key is not None, 'signed routes always carry the key'
    return req.api_key


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
    return UM_WIRE.order_ack(order, resp)


def _find(req: Request) -> FuturesOrder:
    order_id, client_id = _order_ref(req.params)
    order = _sim(req).find(_key(req), _required(req.params, 'symbol'), order_id, client_id, E_NO_SUCH_ORDER)
    assert isinstance(order, FuturesOrder)
    return order


def _status(req: Request) -> Any:
    return UM_WIRE.order_status(_find(req))


async def _cancel(req: Request) -> Any:
    order_id, client_id = _order_ref(req.params)
    sim = _sim(req)
    order = await req.exchange.execute(
        sim.cancel, _key(req), _required(req.params, 'symbol'), order_id=order_id, client_id=client_id
    )
    return UM_WIRE.cancel_result(order)


async def _cancel_all(req: Request) -> Any:
    await req.exchange.execute(_sim(req).cancel_all, _key(req), _required(req.params, 'symbol'))
    return {'code': 200, 'msg': 'The operation of cancel all open order is done.'}


def _open_orders(req: Request) -> Any:
    sim = _sim(req)
    orders = sim.open_orders(_key(req), _text(req.params, 'symbol'))
    return [UM_WIRE.order_status(o) for o in orders if isinstance(o, FuturesOrder)]


def _account(req: Request) -> Any:
    return UM_WIRE.account(_sim(req), _key(req))


def _balance(req: Request) -> Any:
    return UM_WIRE.balance(_sim(req), _key(req))


def _positions(req: Request) -> list[Position]:
    return _sim(req).positions(_key(req), _text(req.params, 'symbol'), include_flat=True)


def _position_v2(req: Request) -> Any:
    # Binance's v1/v2 position information lists every symbol, flat ones included.
    return [UM_WIRE.position_v2(p) for p in _positions(req)]


def _position_v3(req: Request) -> Any:
    # "only symbol that has position or open orders will be returned" (GET /fapi/v3/positionRisk).
    return [UM_WIRE.position_v3(p) for p in _positions(req) if p.amount or p.bid_notional or p.ask_notional]


async def _leverage(req: Request) -> Any:
    p = req.params
    symbol = _required(p, 'symbol')
    leverage = _int(p, 'leverage')
    if leverage is None:
        raise _missing('leverage')
    sim = _sim(req)
    await req.exchange.execute(sim.set_leverage, _key(req), symbol, leverage)
    return {'leverage': leverage, 'maxNotionalValue': MAX_NOTIONAL, 'symbol': sim.market(symbol).symbol}


async def _margin_type(req: Request) -> Any:
    p = req.params
    symbol = _required(p, 'symbol')
    margin_type = _required(p, 'marginType').upper()
    margin_type = CROSSED if margin_type == 'CROSS' else margin_type
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
    sim = _sim(req)
    symbol = _text(req.params, 'symbol')
    if symbol is not None:
        return UM_WIRE.premium_index(sim, symbol)
    return [UM_WIRE.premium_index(sim, s) for s in sorted(sim.markets)]


def _funding_rate(req: Request) -> Any:
    p = req.params
    sim = _sim(req)
    symbol = _text(p, 'symbol')
    rows = sim.funding_history(sim.market(symbol).symbol if symbol is not None else None)
    start, end = _int(p, 'startTime'), _int(p, 'endTime')
    limit = min(_int(p, 'limit', 100) or 100, 1000)
    rows = [r for r in rows if (start is None or r.funding_time >= start) and (end is None or r.funding_time <= end)]
    rows = rows[:limit] if start is not None else rows[-limit:]
    return [
        {
            'symbol': r.symbol,
            'fundingRate': _d8(r.funding_rate),
            'fundingTime': r.funding_time,
            'markPrice': _d8(r.mark_price),
        }
        for r in rows
    ]


def _depth(req: Request) -> Any:
    m = _sim(req).market(_required(req.params, 'symbol'))
    limit = _int(req.params, 'limit', DEFAULT_DEPTH)
    if limit not in DEPTH_LIMITS:
        raise BinanceError(-4021, f"'{limit}' is not valid depth limit.")
    u, bids, asks = m.depth(limit)
    now = req.exchange.server_time()
    return {'lastUpdateId': u, 'E': now, 'T': now, 'bids': bids, 'asks': asks}


def _all_orders(req: Request) -> Any:
    p = req.params
    sim = _sim(req)
    m = sim.market(_required(p, 'symbol'))
    acct = sim.accounts.get(_key(req))
    orders = [o for o in acct.orders.values() if o.market is m] if acct is not None else []
    start, end, first = _int(p, 'startTime'), _int(p, 'endTime'), _int(p, 'orderId')
    limit = min(_int(p, 'limit', 500) or 500, 1000)
    # Binance allOrders: from orderId on if given, else the most recent; startTime/endTime bound the order time.
    orders = [
        o
        for o in orders
        if (first is None or o.id >= first) and (start is None or o.time >= start) and (end is None or o.time <= end)
    ]
    orders = orders[:limit] if first is not None or start is not None else orders[-limit:]
    return [UM_WIRE.order_status(o) for o in orders if isinstance(o, FuturesOrder)]


def _user_trades(req: Request) -> Any:
    p = req.params
    sim = _sim(req)
    m = sim.market(_required(p, 'symbol'))
    acct = sim.accounts.get(_key(req))
    rows = [(o, f) for o, f in acct.trades if o.market is m] if acct is not None else []
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
    rows = rows[:limit] if from_id is not None or start is not None else rows[-limit:]
    return [
        {
            'buyer': o.side == 'BUY',
            'commission': _d8(f.commission),
            'commissionAsset': f.commission_asset,
            'id': f.trade_id,
            'maker': f.maker,
            'orderId': o.id,
            'price': _px(m, f.price),
            'qty': _qty(m, f.qty),
            'quoteQty': _d8(f.quote_qty),
            'realizedPnl': _d8(sim.fill_pnl.get((o.id, f.trade_id), Decimal(0))),
            'side': o.side,
            'positionSide': o.position_side,
            'symbol': o.symbol,
            'time': f.time,
            'marginAsset': f.commission_asset,
            'baseQty': _qty(m, f.qty),
            'pair': o.symbol,
        }
        for o, f in rows
        if isinstance(o, FuturesOrder)
    ]


def _commission(req: Request) -> Any:
    symbol = _sim(req).market(_required(req.params, 'symbol')).symbol
    return {'symbol': symbol, 'makerCommissionRate': '0.0000', 'takerCommissionRate': '0.0000'}


def _recent_trades(req: Request) -> Any:
    m = _sim(req).market(_required(req.params, 'symbol'))
    limit = min(_int(req.params, 'limit', 500) or 500, 1000)
    return [
        {
            'id': t.id,
            'price': _px(m, t.price),
            'qty': _qty(m, t.qty),
            'quoteQty': _d8(t.quote_qty),
            'time': t.time,
            'isBuyerMaker': t.buyer_maker,
        }
        for t in list(m.trades)[-limit:]
    ]


def _markets(req: Request) -> list[Market] | Market:
    sim = _sim(req)
    symbol = _text(req.params, 'symbol')
    return sim.market(symbol) if symbol is not None else [sim.markets[s] for s in sorted(sim.markets)]


def _ticker_price(req: Request) -> Any:
    now = req.exchange.server_time()

    def row(m: Market) -> dict[str, Any]:
        return {'symbol': m.symbol, 'price': _px(m, m.ticker.last), 'time': now}

    asked = _markets(req)
    return row(asked) if isinstance(asked, Market) else [row(m) for m in asked]


def _book_ticker(req: Request) -> Any:
    now = req.exchange.server_time()

    def row(m: Market) -> dict[str, Any]:
        bid, ask = m.best_bid(), m.best_ask()
        zero = Decimal(0)
        return {
            'symbol': m.symbol,
            'bidPrice': _px(m, bid[0] * m.tick_size if bid else zero),
            'bidQty': _qty(m, bid[1] * m.step_size if bid else zero),
            'askPrice': _px(m, ask[0] * m.tick_size if ask else zero),
            'askQty': _qty(m, ask[1] * m.step_size if ask else zero),
            'time': now,
            'lastUpdateId': m.update_id,
        }

    asked = _markets(req)
    return row(asked) if isinstance(asked, Market) else [row(m) for m in asked]


# (name, handler, security) of the WS-API methods; the row (when the plugin has one) gives the weight.
def _not_simulated(req: Request) -> Any:
    """Conditional (algo) orders and order modify are not simulated: say so, never a silent ``{}`` that a bot
    would take for an accepted stop order that then never triggers."""
    raise BinanceError(-1, f"{req.method} is not simulated by the test kit's USDⓈ-M exchange")


WS_ROUTES: tuple[tuple[str, Callable[[Request], Any], SecurityType], ...] = (
    ('order.place', _place, TRADE),
    ('order.modify', _not_simulated, TRADE),
    ('algoOrder.place', _not_simulated, TRADE),
    ('algoOrder.cancel', _not_simulated, TRADE),
    ('order.cancel', _cancel, TRADE),
    ('order.status', _status, USER_DATA),
    ('v2/account.status', _account, USER_DATA),
    ('v2/account.balance', _balance, USER_DATA),
    ('account.balance', _balance, USER_DATA),
    ('account.position', _position_v2, USER_DATA),
    ('v2/account.position', _position_v3, USER_DATA),
    ('depth', _depth, NONE),
)

# (verb, path under /fapi, handler, security).
REST_ROUTES: tuple[tuple[str, str, Callable[[Request], Any], SecurityType], ...] = (
    ('POST', '/v1/order', _place, TRADE),
    ('GET', '/v1/order', _status, USER_DATA),
    ('DELETE', '/v1/order', _cancel, TRADE),
    ('GET', '/v1/openOrders', _open_orders, USER_DATA),
    ('GET', '/v1/allOrders', _all_orders, USER_DATA),
    ('GET', '/v1/userTrades', _user_trades, USER_DATA),
    ('GET', '/v1/commissionRate', _commission, USER_DATA),
    ('GET', '/v1/trades', _recent_trades, NONE),
    ('GET', '/v2/ticker/price', _ticker_price, NONE),
    ('GET', '/v1/ticker/bookTicker', _book_ticker, NONE),
    ('DELETE', '/v1/allOpenOrders', _cancel_all, TRADE),
    ('GET', '/v3/positionRisk', _position_v3, USER_DATA),
    ('GET', '/v2/positionRisk', _position_v2, USER_DATA),
    ('GET', '/v2/balance', _balance, USER_DATA),
    ('GET', '/v3/balance', _balance, USER_DATA),
    ('POST', '/v1/leverage', _leverage, TRADE),
    ('POST', '/v1/marginType', _margin_type, TRADE),
    ('GET', '/v1/positionSide/dual', _get_position_mode, USER_DATA),
    ('POST', '/v1/positionSide/dual', _set_position_mode, TRADE),
    ('GET', '/v1/premiumIndex', _premium_index, NONE),
    ('GET', '/v1/fundingRate', _funding_rate, NONE),
    ('GET', '/v1/depth', _depth, NONE),
    ('POST', '/v1/algoOrder', _not_simulated, TRADE),
    ('GET', '/v1/algoOrder', _not_simulated, USER_DATA),
    ('GET', '/v1/openAlgoOrders', _not_simulated, USER_DATA),
    ('POST', '/v1/batchOrders', _not_simulated, TRADE),
    ('PUT', '/v1/order', _not_simulated, TRADE),
)


def install_simulation(exchange: FakeExchangeProtocol, sim: Simulation, rest_root: str = '/fapi') -> None:
    """Make *exchange* a simulated USDⓈ-M exchange: the wire, ``exchangeInfo`` symbols and the routes above.
    Handlers find the engine as ``req.exchange.simulation`` (the exchange builds a ``FuturesSimulation``)."""
    sim.wire = UM_WIRE
    now = exchange.server_time()
    exchange.symbols = [UM_WIRE.symbol_info(m, now) for m in sim.markets.values()]
    for name, handler, security in WS_ROUTES:
        exchange.ws_method(name, handler, security=security)
    for verb, path, handler, security in REST_ROUTES:
        exchange.rest_route(verb, rest_root + path, handler, security=security)


@attrs.frozen(kw_only=True, eq=False)  # eq=False: pluggy tells plugins apart by identity
class UsdmFake(FuturesFake):
    """USDⓈ-M's row of the shared futures fake, which also teaches a simulated exchange the UM market."""

    @hookimpl
    def binance_fake_exchange(self, market: MarketSpec, exchange: FakeExchangeProtocol) -> None:
        FuturesFake.binance_fake_exchange(self, market, exchange)
        if market.name == self.market and exchange.simulation is not None:
            install_simulation(exchange, exchange.simulation, self.rest_root)


USDM_FAKE = UsdmFake(market='usdm', rest_root='/fapi', stream_prefixes=('/public', '/market', '/private'))
