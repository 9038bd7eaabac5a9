"""Teaches the test kit's fake exchange Spot's wire: WS-API at ``/ws-api/v3``, REST under ``/api/`` and
``/sapi/``, streams at ``/stream`` and ``/ws``; and, for a ``SimulatedExchange``, the simulated market's
streams, orders and accounts in Spot's formats. Only the test kit imports this module (entry-point group
``binance.testing``); the plugin's runtime modules never do."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from aiohttp import web

from binance_core import hookimpl
from binance_core.specs import MarketSpec
from binance_testing.fake_exchange import BinanceError
from binance_testing.hookspecs import FakeExchangeProtocol
from binance_testing.matching import (
    E_NO_SUCH_ORDER,
    KLINE_INTERVALS,
    Balance,
    Candle,
    Fill,
    Market,
    Order,
    Simulation,
    Trade,
)

# Binance Spot `exchangeInfo` also reports the RAW_REQUESTS pool (300,000 per 5 minutes since 2026-04-02).
RAW_REQUESTS = {'rateLimitType': 'RAW_REQUESTS', 'interval': 'MINUTE', 'intervalNum': 5, 'limit': 300000}

# Spot REST general endpoints and their weights (Spot REST docs, "General endpoints").
REST_GENERAL = (('/api/v3/ping', 'ping', 1), ('/api/v3/time', 'time', 1), ('/api/v3/exchangeInfo', 'exchangeInfo', 20))

# The Spot listenKey endpoints were retired on 2026-02-20; Binance now answers 410 Gone.
RETIRED_LISTEN_KEY_PATH = '/api/v3/userDataStream'


def _ping(req: Any) -> Any:
    return {}


def _time(req: Any) -> Any:
    return {'serverTime': req.exchange.server_time()}


def _exchange_info(req: Any) -> Any:
    fx = req.exchange
    wanted = set()
    if req.params.get('symbol'):
        wanted.add(req.params['symbol'])
    symbols = req.params.get('symbols')
    if isinstance(symbols, list):
        wanted.update(symbols)
    return {
        'timezone': 'UTC',
        'serverTime': fx.server_time(),
        'rateLimits': [*fx.exchange_info_rate_limits(), RAW_REQUESTS],
        'exchangeFilters': [],
        'symbols': [s for s in fx.symbols if not wanted or s.get('symbol') in wanted],
    }


def _gone(req: Any) -> Any:
    return web.Response(status=410, text='Gone')


HANDLERS = {'ping': _ping, 'time': _time, 'exchangeInfo': _exchange_info}


@hookimpl
def binance_fake_exchange(market: MarketSpec, exchange: FakeExchangeProtocol) -> None:
    """Configure *exchange* for Spot; ``None`` (nothing) for other markets. A ``SimulatedExchange``
    (``exchange.simulation`` set) also gets the simulated market's routes and wire; a plain fake keeps
    answering ``{}`` where no handler is given."""
    if market.name != 'spot':
        return None
    exchange.ws_api_path = '/ws-api/v3'
    exchange.rest_prefixes = ('/api/', '/sapi/')
    exchange.stream_prefixes = ('',)
    for name, handler in HANDLERS.items():
        exchange.ws_method(name, handler)
    for path, name, weight in REST_GENERAL:
        exchange.rest_route('GET', path, HANDLERS[name], weight=weight)
    for verb in ('POST', 'PUT', 'DELETE'):
        exchange.rest_route(verb, RETIRED_LISTEN_KEY_PATH, _gone)
    if exchange.simulation is not None:
        _install_simulation(exchange, exchange.simulation)
    return None


# -- the simulated exchange: Spot's formats ------------------------------------------------------------

ZERO = '0.00000000'
# Binance "Partial Book Depth Streams": valid levels are 5, 10 and 20.
PARTIAL_DEPTH_LEVELS = (5, 10, 20)
ORDER_TYPES = ('LIMIT', 'LIMIT_MAKER', 'MARKET')
RESPONSE_TYPES = ('ACK', 'RESULT', 'FULL')
STP_MODES = ('NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH', 'DECREMENT')
CANCEL_RESTRICTIONS = ('ONLY_NEW', 'ONLY_PARTIALLY_FILLED')
# Binance "Kline/Candlestick data" and friends: default 500, at most 1000 rows; `depth`: default 100, at most 5000.
DEFAULT_ROWS, MAX_ROWS = 500, 1000
DEFAULT_DEPTH, MAX_DEPTH = 100, 5000
_KLINE_MS = dict(KLINE_INTERVALS)


def _d(value: Decimal) -> str:
    # Binance renders Spot decimals with 8 places ("0.10264410").
    return f'{value:.8f}'


class SpotWire:
    """Renders the simulation as Binance Spot does (web-socket-streams.md, user-data-stream.md,
    web-socket-api.md); see ``binance_testing.simulation.SimulationWire``."""

    # -- market streams ------------------------------------------------------------------------------------

    def depth_streams(self, market: Market) -> Sequence[tuple[str, float]]:
        s = market.symbol.lower()
        # Binance "Diff. Depth Stream": <symbol>@depth every 1000 ms, <symbol>@depth@100ms every 100 ms.
        return ((f'{s}@depth', 1.0), (f'{s}@depth@100ms', 0.1))

    def depth_update(
        self, market: Market, first: int, last: int, bids: list[list[str]], asks: list[list[str]], now: int
    ) -> Any:
        return {'e': 'depthUpdate', 'E': now, 's': market.symbol, 'U': first, 'u': last, 'b': bids, 'a': asks}

    def trade_frames(
        self, market: Market, trades: Sequence[Trade], now: int, wants: Callable[[str], bool]
    ) -> Iterable[tuple[str, Any]]:
        s, sym = market.symbol.lower(), market.symbol
        frames: list[tuple[str, Any]] = []
        if wants(f'{s}@trade'):
            frames.extend(
                (
                    f'{s}@trade',
                    {
                        'e': 'trade',
                        'E': now,
                        's': sym,
                        't': t.id,
                        'p': _d(t.price),
                        'q': _d(t.qty),
                        'T': t.time,
                        'm': t.buyer_maker,
                        'M': True,
                    },
                )
                for t in trades
            )
        if wants(f'{s}@aggTrade'):
            # Binance "Aggregate Trade Streams": one frame per taker order and price.
            i = 0
            while i < len(trades):
                j = i + 1
                while j < len(trades) and trades[j].agg_id == trades[i].agg_id:
                    j += 1
                first, last = trades[i], trades[j - 1]
                qty = sum((t.qty for t in trades[i:j]), Decimal(0))
                frames.append(
                    (
                        f'{s}@aggTrade',
                        {
                            'e': 'aggTrade',
                            'E': now,
                            's': sym,
                            'a': first.agg_id,
                            'p': _d(first.price),
                            'q': _d(qty),
                            'f': first.id,
                            'l': last.id,
                            'T': first.time,
                            'm': first.buyer_maker,
                            'M': True,
                        },
                    )
                )
                i = j
        return frames

    def market_frames(
        self, sim: Simulation, fast: bool, slow: bool, now: int, wants: Callable[[str], bool]
    ) -> Iterable[tuple[str, Any]]:
        frames: list[tuple[str, Any]] = []
        minis = []
        for m in sim.markets.values():
            s = m.symbol.lower()
            if fast:
                # Binance "Individual Symbol Book Ticker Streams": pushed when the best bid or ask changes.
                top = (m.best_bid(), m.best_ask())
                if wants(f'{s}@bookTicker') and m.scratch.get('top') != top:
                    m.scratch['top'] = top
                    frames.append((f'{s}@bookTicker', self.book_ticker(m, with_id=True)))
            for level in PARTIAL_DEPTH_LEVELS:
                for stream, due in ((f'{s}@depth{level}@100ms', fast), (f'{s}@depth{level}', slow)):
                    if due and wants(stream):
                        u, bids, asks = m.depth(level)
                        frames.append((stream, {'lastUpdateId': u, 'bids': bids, 'asks': asks}))
            if not slow:
                continue
            m.roll_candles(now)
            for label, candle in m.pop_closed():
                if wants(f'{s}@kline_{label}'):
                    frames.append((f'{s}@kline_{label}', self.kline(m, label, candle, True, now)))
            for label, candle in m.candles.items():
                if wants(f'{s}@kline_{label}'):
                    frames.append((f'{s}@kline_{label}', self.kline(m, label, candle, False, now)))
            mini = self.mini_ticker(m, now)
            minis.append(mini)
            if wants(f'{s}@miniTicker'):
                frames.append((f'{s}@miniTicker', mini))
            if wants(f'{s}@ticker'):
                frames.append((f'{s}@ticker', self.ticker(m, now)))
        if slow and minis and wants('!miniTicker@arr'):
            frames.append(('!miniTicker@arr', minis))
        return frames

    def book_ticker(self, m: Market, with_id: bool = False) -> dict[str, Any]:
        bid, ask = m.best_bid(), m.best_ask()
        out: dict[str, Any] = {'u': m.update_id} if with_id else {}
        out.update(
            {
                's' if with_id else 'symbol': m.symbol,
                'b' if with_id else 'bidPrice': m.price_text(bid[0]) if bid else ZERO,
                'B' if with_id else 'bidQty': m.qty_text(bid[1]) if bid else ZERO,
                'a' if with_id else 'askPrice': m.price_text(ask[0]) if ask else ZERO,
                'A' if with_id else 'askQty': m.qty_text(ask[1]) if ask else ZERO,
            }
        )
        return out

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
                'o': _d(c.open),
                'c': _d(c.close),
                'h': _d(c.high),
                'l': _d(c.low),
                'v': _d(c.volume),
                'n': c.trades,
                'x': closed,
                'q': _d(c.quote_volume),
                'V': _d(c.taker_volume),
                'Q': _d(c.taker_quote_volume),
                'B': '0',
            },
        }

    def mini_ticker(self, m: Market, now: int) -> dict[str, Any]:
        t = m.ticker
        return {
            'e': '24hrMiniTicker',
            'E': now,
            's': m.symbol,
            'c': _d(t.last),
            'o': _d(t.open),
            'h': _d(t.high),
            'l': _d(t.low),
            'v': _d(t.volume),
            'q': _d(t.quote_volume),
        }

    def ticker(self, m: Market, now: int) -> dict[str, Any]:
        # The simulation's "24 h" window is the time since it started.
        t = m.ticker
        bid, ask = m.best_bid(), m.best_ask()
        change = t.last - t.open
        return {
            'e': '24hrTicker',
            'E': now,
            's': m.symbol,
            'p': _d(change),
            'P': f'{change * 100 / t.open:.3f}',
            'w': _d(t.quote_volume / t.volume if t.volume else t.last),
            'x': _d(t.open),
            'c': _d(t.last),
            'Q': _d(t.last_qty),
            'b': m.price_text(bid[0]) if bid else ZERO,
            'B': m.qty_text(bid[1]) if bid else ZERO,
            'a': m.price_text(ask[0]) if ask else ZERO,
            'A': m.qty_text(ask[1]) if ask else ZERO,
            'o': _d(t.open),
            'h': _d(t.high),
            'l': _d(t.low),
            'v': _d(t.volume),
            'q': _d(t.quote_volume),
            'O': t.open_time,
            'C': now,
            'F': t.first_id,
            'L': t.last_id,
            'n': t.count,
        }

    # -- user data -----------------------------------------------------------------------------------------

    def execution_report(self, o: Order, execution: str, fill: Fill | None, execution_id: int, now: int) -> Any:
        replaced = execution in ('CANCELED', 'REPLACED')
        event: dict[str, Any] = {
            'e': 'executionReport',
            'E': now,
            's': o.symbol,
            'c': o.client_id,
            'S': o.side,
            'o': o.type,
            'f': o.tif,
            'q': _d(o.orig_qty),
            'p': _d(o.price),
            'P': ZERO,
            'F': ZERO,
            'g': -1,
            # "C": the id of the order being canceled (or amended); empty otherwise.
            'C': o.orig_client_id if replaced else '',
            'x': execution,
            'X': o.status,
            'r': 'NONE',
            'i': o.id,
            'l': _d(fill.qty) if fill else ZERO,
            'z': _d(o.executed_qty),
            'L': _d(fill.price) if fill else ZERO,
            'n': _d(fill.commission) if fill else '0',
            'N': fill.commission_asset if fill else None,
            'T': now,
            't': fill.trade_id if fill else -1,
            'I': execution_id,
            'w': o.working,
            'm': fill.maker if fill else False,
            'M': False,
            'O': o.time,
            'Z': _d(o.cum_quote),
            'Y': _d(fill.quote_qty) if fill else ZERO,
            'Q': _d(o.quote_order_qty),
        }
        if o.working:
            event['W'] = o.working_time  # "Appears when the order is working on the book"
        event['V'] = o.stp
        if o.strategy_id is not None:
            event['j'] = o.strategy_id
        if o.strategy_type is not None:
            event['J'] = o.strategy_type
        if execution == 'EXPIRED' and o.expiry_reason:
            event['eR'] = o.expiry_reason
        return event

    def account_position(self, balances: Mapping[str, Balance], now: int) -> Any:
        return {
            'e': 'outboundAccountPosition',
            'E': now,
            'u': now,
            'B': [{'a': a, 'f': _d(b.free), 'l': _d(b.locked)} for a, b in balances.items()],
        }

    def balance_update(self, asset: str, delta: Decimal, now: int) -> Any:
        return {'e': 'balanceUpdate', 'E': now, 'a': asset, 'd': _d(delta), 'T': now}

    # -- WS-API answers --------------------------------------------------------------------------------------

    @staticmethod
    def _conditional(out: dict[str, Any], o: Order) -> dict[str, Any]:
        # web-socket-api.md "Conditional fields in Order Responses".
        if o.strategy_id is not None:
            out['strategyId'] = o.strategy_id
        if o.strategy_type is not None:
            out['strategyType'] = o.strategy_type
        if o.expiry_reason:
            out['expiryReason'] = o.expiry_reason
        return out

    def order_result(self, o: Order, fills: Sequence[Fill], resp_type: str) -> dict[str, Any]:
        """``order.place``: ACK, RESULT or FULL."""
        out: dict[str, Any] = {
            'symbol': o.symbol,
            'orderId': o.id,
            'orderListId': -1,
            'clientOrderId': o.client_id,
            'transactTime': o.time,
        }
        if resp_type == 'ACK':
            return out
        out.update(_order_fields(o), workingTime=o.working_time)
        self._conditional(out, o)
        if resp_type == 'FULL':
            out['fills'] = [
                {
                    'price': _d(f.price),
                    'qty': _d(f.qty),
                    'commission': _d(f.commission),
                    'commissionAsset': f.commission_asset,
                    'tradeId': f.trade_id,
                }
                for f in fills
            ]
        return out

    def order_status(self, o: Order) -> dict[str, Any]:
        """``order.status``, ``openOrders.status``, ``allOrders``."""
        return self._conditional(
            {
                'symbol': o.symbol,
                'orderId': o.id,
                'orderListId': -1,
                'clientOrderId': o.client_id,
                **_order_fields(o),
                'stopPrice': ZERO,
                'icebergQty': ZERO,
                'time': o.time,
                'updateTime': o.update_time,
                'isWorking': True,
                'workingTime': o.working_time,
            },
            o,
        )

    def cancel_result(self, o: Order) -> dict[str, Any]:
        """``order.cancel`` and each entry of ``openOrders.cancelAll``."""
        return self._conditional(
            {
                'symbol': o.symbol,
                'origClientOrderId': o.orig_client_id,
                'orderId': o.id,
                'orderListId': -1,
                'clientOrderId': o.client_id,
                'transactTime': o.update_time,
                **_order_fields(o),
            },
            o,
        )

    def amend_result(self, o: Order, execution_id: int) -> dict[str, Any]:
        """``order.amend.keepPriority``."""
        return {
            'transactTime': o.update_time,
            'executionId': execution_id,
            'amendedOrder': self._conditional(
                {
                    'symbol': o.symbol,
                    'orderId': o.id,
                    'orderListId': -1,
                    'origClientOrderId': o.orig_client_id,
                    'clientOrderId': o.client_id,
                    'price': _d(o.price),
                    'qty': _d(o.orig_qty),
                    'executedQty': _d(o.executed_qty),
                    'preventedQty': ZERO,
                    'quoteOrderQty': _d(o.quote_order_qty),
                    'cumulativeQuoteQty': _d(o.cum_quote),
                    'status': o.status,
                    'timeInForce': o.tif,
                    'type': o.type,
                    'side': o.side,
                    'workingTime': o.working_time,
                    'selfTradePreventionMode': o.stp,
                },
                o,
            ),
        }

    def account(self, sim: Simulation, key: str, omit_zero: bool, now: int) -> dict[str, Any]:
        """``account.status``; the simulation charges no commission."""
        acct = sim.account(key)
        balances = [
            {'asset': a, 'free': _d(b.free), 'locked': _d(b.locked)}
            for a, b in sim.balances(key).items()
            if not (omit_zero and not (b.free or b.locked))
        ]
        return {
            'makerCommission': 0,
            'takerCommission': 0,
            'buyerCommission': 0,
            'sellerCommission': 0,
            'canTrade': True,
            'canWithdraw': True,
            'canDeposit': True,
            'commissionRates': {'maker': ZERO, 'taker': ZERO, 'buyer': ZERO, 'seller': ZERO},
            'brokered': False,
            'requireSelfTradePrevention': False,
            'preventSor': False,
            'updateTime': acct.update_time,
            'accountType': 'SPOT',
            'balances': balances,
            'permissions': ['SPOT'],
            'uid': acct.uid,
        }

    def my_trade(self, o: Order, f: Fill) -> dict[str, Any]:
        return {
            'symbol': o.symbol,
            'id': f.trade_id,
            'orderId': o.id,
            'orderListId': -1,
            'price': _d(f.price),
            'qty': _d(f.qty),
            'quoteQty': _d(f.quote_qty),
            'commission': _d(f.commission),
            'commissionAsset': f.commission_asset,
            'time': f.time,
            'isBuyer': o.side == 'BUY',
            'isMaker': f.maker,
            'isBestMatch': True,
        }

    def symbol_info(self, m: Market) -> dict[str, Any]:
        """An ``exchangeInfo`` symbol entry: the simulated order types and the PRICE_FILTER / LOT_SIZE grid."""
        r = m.rules
        return {
            'symbol': r.symbol,
            'status': 'TRADING',
            'baseAsset': r.base,
            'baseAssetPrecision': 8,
            'quoteAsset': r.quote,
            'quotePrecision': 8,
            'quoteAssetPrecision': 8,
            'baseCommissionPrecision': 8,
            'quoteCommissionPrecision': 8,
            'orderTypes': list(ORDER_TYPES),
            'icebergAllowed': False,
            'ocoAllowed': False,
            'otoAllowed': False,
            'opoAllowed': False,
            'quoteOrderQtyMarketAllowed': True,
            'allowTrailingStop': False,
            'cancelReplaceAllowed': False,
            'amendAllowed': True,
            'pegInstructionsAllowed': False,
            'isSpotTradingAllowed': True,
            'isMarginTradingAllowed': False,
            'filters': [
                {
                    'filterType': 'PRICE_FILTER',
                    'minPrice': _d(r.tick_size),
                    'maxPrice': '1000000.00000000',
                    'tickSize': _d(r.tick_size),
                },
                {
                    'filterType': 'LOT_SIZE',
                    'minQty': _d(r.step_size),
                    'maxQty': '9000000.00000000',
                    'stepSize': _d(r.step_size),
                },
                {
                    'filterType': 'MARKET_LOT_SIZE',
                    'minQty': _d(r.step_size),
                    'maxQty': '9000000.00000000',
                    'stepSize': _d(r.step_size),
                },
            ],
            'permissions': [],
            'permissionSets': [['SPOT']],
            'defaultSelfTradePreventionMode': 'NONE',
            'allowedSelfTradePreventionModes': list(STP_MODES),
        }


SPOT_WIRE = SpotWire()


# -- WS-API params, read as Binance does --------------------------------------------------------------------


_DECIMAL_RANGE = '^([0-9]{1,20})(\\.[0-9]{1,20})?$'


def _missing_param(name: str) -> BinanceError:
    return BinanceError(-1102, f"Mandatory parameter '{name}' was not sent, was empty/null, or malformed.")


def _not_required(name: str) -> BinanceError:
    return BinanceError(-1106, f"Parameter '{name}' sent when not required.")


def _text(params: Mapping[str, Any], name: str, required: bool = False) -> str | None:
    value = params.get(name)
    if value is None or value == '':
        if required:
            raise _missing_param(name)
        return None
    return str(value)


def _required(params: Mapping[str, Any], name: str) -> str:
    text = _text(params, name, required=True)
    assert text is not None
    return text


def _decimal(params: Mapping[str, Any], name: str, required: bool = False) -> Decimal | None:
    text = _text(params, name, required)
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or isinstance(params[name], bool):
        raise BinanceError(-1100, f"Illegal characters found in parameter '{name}'; legal range is '{_DECIMAL_RANGE}'.")
    return value


def _int(params: Mapping[str, Any], name: str, default: int | None = None, most: int | None = None) -> int | None:
    value = params.get(name)
    if value is None or value == '':
        return default
    if isinstance(value, bool) or not str(value).lstrip('-').isdigit():
        raise BinanceError(-1100, f"Illegal characters found in parameter '{name}'; legal range is '^[0-9]{{1,20}}$'.")
    n = int(value)
    if most is not None and n > most:
        raise BinanceError(-1102, f"'{name}' contains unexpected value. Cannot be greater than {most}.")
    return n


def _order_ref(params: Mapping[str, Any]) -> tuple[int | None, str | None]:
    order_id = _int(params, 'orderId')
    client_id = _text(params, 'origClientOrderId')
    if order_id is None and client_id is None:
        raise BinanceError(-1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!")
    return order_id, client_id


def _sim(req: Any) -> Simulation:
    sim: Simulation = req.exchange.simulation
    return sim


def _market(req: Any) -> Market:
    return _sim(req).market(_required(req.params, 'symbol'))


# -- WS-API methods of the simulated exchange ------------------------------------------------------------


def _sim_depth(req: Any) -> Any:
    m = _market(req)
    limit = _int(req.params, 'limit', DEFAULT_DEPTH, MAX_DEPTH)
    assert limit is not None
    if limit < 1:
        raise BinanceError(-1102, "Mandatory parameter 'limit' was not sent, was empty/null, or malformed.")
    u, bids, asks = m.depth(limit)
    return {'lastUpdateId': u, 'bids': bids, 'asks': asks}


async def _sim_place(req: Any) -> Any:
    p = req.params
    symbol = _required(p, 'symbol')
    side = _required(p, 'side')
    type_ = _required(p, 'type')
    tif = _text(p, 'timeInForce')
    price = _decimal(p, 'price')
    qty = _decimal(p, 'quantity')
    quote_qty = _decimal(p, 'quoteOrderQty')
    if type_ in ('LIMIT', 'LIMIT_MAKER'):
        # web-socket-api.md "order.place": LIMIT needs timeInForce, price and quantity; LIMIT_MAKER price and quantity.
        for name, value in (('timeInForce', tif if type_ == 'LIMIT' else ''), ('price', price), ('quantity', qty)):
            if value is None:
                raise _missing_param(name)
        if quote_qty is not None:
            raise _not_required('quoteOrderQty')
    elif type_ == 'MARKET':
        # MARKET needs quantity or quoteOrderQty, and takes no price or timeInForce.
        if qty is None and quote_qty is None:
            raise BinanceError(-1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!")
        for name, value in (
            ('quoteOrderQty', quote_qty if qty is not None else None),
            ('price', price),
            ('timeInForce', tif),
        ):
            if value is not None:
                raise _not_required(name)
    if type_ in ORDER_TYPES:
        if _text(p, 'icebergQty') is not None:
            raise BinanceError(-2010, 'Iceberg orders are not supported for this symbol.')
        if _text(p, 'pegPriceType') is not None:
            raise BinanceError(-2010, 'Pegged orders are not supported for this symbol.')
        for name in ('stopPrice', 'trailingDelta'):
            if _text(p, name) is not None:
                raise _not_required(name)
    resp = _text(p, 'newOrderRespType') or ('FULL' if type_ in ('LIMIT', 'MARKET') else 'ACK')
    stp = _text(p, 'selfTradePreventionMode') or 'NONE'
    if resp not in RESPONSE_TYPES or stp not in STP_MODES:
        bad = 'newOrderRespType' if resp not in RESPONSE_TYPES else 'selfTradePreventionMode'
        raise BinanceError(-1100, f"Illegal characters found in parameter '{bad}'.")
    order, fills = await req.exchange.execute(
        _sim(req).place,
        req.api_key,
        symbol,
        side,
        type_,
        tif=tif,
        price=price,
        qty=qty,
        quote_qty=quote_qty,
        client_id=_text(p, 'newClientOrderId'),
        stp=stp,
        strategy_id=_int(p, 'strategyId'),
        strategy_type=_int(p, 'strategyType'),
    )
    return SPOT_WIRE.order_result(order, fills, resp)


def _sim_status(req: Any) -> Any:
    order_id, client_id = _order_ref(req.params)
    order = _sim(req).find(req.api_key, _required(req.params, 'symbol'), order_id, client_id, E_NO_SUCH_ORDER)
    return SPOT_WIRE.order_status(order)


def _sim_open_orders(req: Any) -> Any:
    return [SPOT_WIRE.order_status(o) for o in _sim(req).open_orders(req.api_key, _text(req.params, 'symbol'))]


def _sim_all_orders(req: Any) -> Any:
    p = req.params
    m = _market(req)
    acct = _sim(req).accounts.get(req.api_key)
    orders = [o for o in acct.orders.values() if o.market is m] if acct is not None else []
    start, end, first = _int(p, 'startTime'), _int(p, 'endTime'), _int(p, 'orderId')
    limit = _int(p, 'limit', DEFAULT_ROWS, MAX_ROWS) or DEFAULT_ROWS
    # web-socket-api.md "allOrders": with startTime/endTime orderId is ignored and orders are filtered by the time
    # of their last update; orderId returns orders from that id on; with neither, the most recent orders.
    if start is not None or end is not None:
        orders = [
            o for o in orders if (start is None or o.update_time >= start) and (end is None or o.update_time <= end)
        ][:limit]
    elif first is not None:
        orders = [o for o in orders if o.id >= first][:limit]
    else:
        orders = orders[-limit:]
    return [SPOT_WIRE.order_status(o) for o in orders]


async def _sim_cancel(req: Any) -> Any:
    p = req.params
    order_id, client_id = _order_ref(p)
    restrictions = _text(p, 'cancelRestrictions')
    if restrictions is not None and restrictions not in CANCEL_RESTRICTIONS:
        raise BinanceError(-1145, 'Invalid cancelRestrictions')
    order = await req.exchange.execute(
        _sim(req).cancel,
        req.api_key,
        _required(p, 'symbol'),
        order_id=order_id,
        client_id=client_id,
        new_client_id=_text(p, 'newClientOrderId'),
        restrictions=restrictions,
    )
    return SPOT_WIRE.cancel_result(order)


async def _sim_cancel_all(req: Any) -> Any:
    orders = await req.exchange.execute(_sim(req).cancel_all, req.api_key, _required(req.params, 'symbol'))
    return [SPOT_WIRE.cancel_result(o) for o in orders]


async def _sim_amend(req: Any) -> Any:
    p = req.params
    symbol = _required(p, 'symbol')
    order_id, client_id = _order_ref(p)
    new_qty = _decimal(p, 'newQty', required=True)
    order, eid = await req.exchange.execute(
        _sim(req).amend,
        req.api_key,
        symbol,
        new_qty,
        order_id=order_id,
        client_id=client_id,
        new_client_id=_text(p, 'newClientOrderId'),
    )
    return SPOT_WIRE.amend_result(order, eid)


def _sim_account(req: Any) -> Any:
    omit = req.params.get('omitZeroBalances') in (True, 'true', 'TRUE', 'True')
    return SPOT_WIRE.account(_sim(req), req.api_key, omit, req.exchange.server_time())


def _sim_my_trades(req: Any) -> Any:
    p = req.params
    m = _market(req)
    acct = _sim(req).accounts.get(req.api_key)
    rows = [(o, f) for o, f in acct.trades if o.market is m] if acct is not None else []
    order_id, from_id = _int(p, 'orderId'), _int(p, 'fromId')
    start, end = _int(p, 'startTime'), _int(p, 'endTime')
    limit = _int(p, 'limit', DEFAULT_ROWS, MAX_ROWS) or DEFAULT_ROWS
    rows = [
        (o, f)
        for o, f in rows
        if (order_id is None or o.id == order_id)
        and (from_id is None or f.trade_id >= from_id)
        and (start is None or f.time >= start)
        and (end is None or f.time <= end)
    ]
    rows = rows[:limit] if from_id is not None or start is not None else rows[-limit:]
    return [SPOT_WIRE.my_trade(o, f) for o, f in rows]


def _markets_asked(req: Any) -> list[Market] | Market:
    """``symbol`` -> one market; ``symbols`` -> a list; neither -> every market."""
    sim = _sim(req)
    if _text(req.params, 'symbol') is not None:
        return _market(req)
    symbols = req.params.get('symbols')
    if isinstance(symbols, list):
        return [sim.market(s) for s in symbols]
    return list(sim.markets.values())


def _sim_ticker_price(req: Any) -> Any:
    asked = _markets_asked(req)

    def row(m: Market) -> dict[str, Any]:
        return {'symbol': m.symbol, 'price': _d(m.ticker.last)}

    return row(asked) if isinstance(asked, Market) else [row(m) for m in asked]


def _sim_ticker_book(req: Any) -> Any:
    asked = _markets_asked(req)
    return SPOT_WIRE.book_ticker(asked) if isinstance(asked, Market) else [SPOT_WIRE.book_ticker(m) for m in asked]


def _sim_recent_trades(req: Any) -> Any:
    m = _market(req)
    limit = _int(req.params, 'limit', DEFAULT_ROWS, MAX_ROWS) or DEFAULT_ROWS
    return [
        {
            'id': t.id,
            'price': _d(t.price),
            'qty': _d(t.qty),
            'quoteQty': _d(t.quote_qty),
            'time': t.time,
            'isBuyerMaker': t.buyer_maker,
            'isBestMatch': True,
        }
        for t in list(m.trades)[-limit:]
    ]


def _sim_klines(req: Any) -> Any:
    p = req.params
    m = _market(req)
    label = _required(p, 'interval')
    if label not in _KLINE_MS:
        raise BinanceError(-1120, 'Invalid interval.')
    m.roll_candles(req.exchange.server_time())
    start, end = _int(p, 'startTime'), _int(p, 'endTime')
    limit = _int(p, 'limit', DEFAULT_ROWS, MAX_ROWS) or DEFAULT_ROWS
    candles = [
        c
        for c in (*m.history[label], m.candles[label])
        if (start is None or c.open_time >= start) and (end is None or c.open_time <= end)
    ]
    candles = candles[:limit] if start is not None else candles[-limit:]
    # web-socket-api.md "klines": [open time, o, h, l, c, volume, close time, quote volume, trades,
    # taker buy base volume, taker buy quote volume, unused].
    return [
        [
            c.open_time,
            _d(c.open),
            _d(c.high),
            _d(c.low),
            _d(c.close),
            _d(c.volume),
            c.close_time,
            _d(c.quote_volume),
            c.trades,
            _d(c.taker_volume),
            _d(c.taker_quote_volume),
            '0',
        ]
        for c in candles
    ]


SIM_HANDLERS = {
    'depth': _sim_depth,
    'order.place': _sim_place,
    'order.status': _sim_status,
    'openOrders.status': _sim_open_orders,
    'allOrders': _sim_all_orders,
    'order.cancel': _sim_cancel,
    'openOrders.cancelAll': _sim_cancel_all,
    'order.amend.keepPriority': _sim_amend,
    'account.status': _sim_account,
    'myTrades': _sim_my_trades,
    'ticker.price': _sim_ticker_price,
    'ticker.book': _sim_ticker_book,
    'trades.recent': _sim_recent_trades,
    'klines': _sim_klines,
}


def _install_simulation(exchange: FakeExchangeProtocol, sim: Simulation) -> None:
    sim.wire = SPOT_WIRE
    exchange.symbols = [SPOT_WIRE.symbol_info(m) for m in sim.markets.values()]
    for name, handler in SIM_HANDLERS.items():
        exchange.ws_method(name, handler)


def _order_fields(o: Order) -> dict[str, Any]:
    """The fields every Spot order response shares (web-socket-api.md, order responses)."""
    return {
        'price': _d(o.price),
        'origQty': _d(o.orig_qty),
        'executedQty': _d(o.executed_qty),
        'origQuoteOrderQty': _d(o.quote_order_qty),
        'cummulativeQuoteQty': _d(o.cum_quote),
        'status': o.status,
        'timeInForce': o.tif,
        'type': o.type,
        'side': o.side,
        'selfTradePreventionMode': o.stp,
    }
