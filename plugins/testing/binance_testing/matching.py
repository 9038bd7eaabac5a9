"""The engine of the simulated exchange: per-symbol books with price-time priority in integer ticks and lots,
account orders resting beside anonymous liquidity, cash balances, and the numbered log of book changes."""

from __future__ import annotations

import copy
import itertools
import random
import secrets
from bisect import bisect_left, bisect_right, insort
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, NamedTuple

import attrs

from binance_testing.fake_exchange import BinanceError

__all__ = [
    'KLINE_INTERVALS',
    'QUOTE_ASSETS',
    'Balance',
    'Candle',
    'Fill',
    'Market',
    'Order',
    'SimSymbol',
    'Simulation',
    'Trade',
    'split_symbol',
    'symbol_rows',
]

BUY, SELL = 'BUY', 'SELL'
LIMIT, LIMIT_MAKER, MARKET = 'LIMIT', 'LIMIT_MAKER', 'MARKET'
GTC, IOC, FOK = 'GTC', 'IOC', 'FOK'
NEW, PARTIALLY_FILLED, FILLED, CANCELED, EXPIRED = 'NEW', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'EXPIRED'
OPEN_STATUSES = (NEW, PARTIALLY_FILLED)

# Outbox event kinds (see Simulation.outbox).
EV_TRADE, EV_ORDER, EV_POSITION, EV_BALANCE = 'trade', 'order', 'position', 'balance'

# Binance answers with update ids far from zero; starting high makes an id mix-up visible in a test.
FIRST_UPDATE_ID = 1_000_000
RECENT_TRADES = 1000
KLINE_HISTORY = 1000
# Binance filter MAX_NUM_ORDER_AMENDS (CHANGELOG 2025): at most 10 amendments per order.
MAX_AMENDS = 10

# Quote assets tried, longest first, to split 'BTCUSDT' into base and quote.
QUOTE_ASSETS = ('FDUSD', 'USDT', 'USDC', 'TUSD', 'BUSD', 'EUR', 'TRY', 'BRL', 'JPY', 'BTC', 'ETH', 'BNB', 'DAI')

# Binance "Kline/Candlestick chart intervals" whose windows are plain multiples of their length since the epoch
# (3d, 1w and 1M are aligned otherwise and are not simulated).
KLINE_INTERVALS: tuple[tuple[str, int], ...] = (
    ('1s', 1_000),
    ('1m', 60_000),
    ('3m', 180_000),
    ('5m', 300_000),
    ('15m', 900_000),
    ('30m', 1_800_000),
    ('1h', 3_600_000),
    ('2h', 7_200_000),
    ('4h', 14_400_000),
    ('6h', 21_600_000),
    ('8h', 28_800_000),
    ('12h', 43_200_000),
    ('1d', 86_400_000),
)

# (code, msg) pairs with Binance's texts (errors.md, "Messages for -1010, -2010, -2011 and -2038", "Filter failures").
E_BAD_SYMBOL = (-1121, 'Invalid symbol.')
E_INVALID_SIDE = (-1117, 'Invalid side.')
E_INVALID_TYPE = (-1116, 'Invalid orderType.')
E_INVALID_TIF = (-1115, 'Invalid timeInForce.')
E_PRICE_FILTER = (-1013, 'Filter failure: PRICE_FILTER')
E_LOT_SIZE = (-1013, 'Filter failure: LOT_SIZE')
E_MARKET_LOT_SIZE = (-1013, 'Filter failure: MARKET_LOT_SIZE')
E_NOTIONAL = (-1013, 'Filter failure: NOTIONAL')
E_INSUFFICIENT = (-2010, 'Account has insufficient balance for requested action.')
E_DUPLICATE = (-2010, 'Duplicate order sent.')
E_WOULD_TAKE = (-2010, 'Order would immediately match and take.')
E_NO_LIQUIDITY = (-2010, 'Order book liquidity is less than symbol minimum quantity.')
E_UNKNOWN_ORDER = (-2011, 'Unknown order sent.')
E_CANCEL_RESTRICTED = (-2011, 'Order was not canceled due to cancel restrictions.')
E_NO_SUCH_ORDER = (-2013, 'Order does not exist.')
E_CLIENT_ID_MISMATCH = (-2039, 'Client order ID is not correct for this order ID.')
E_AMEND_UNKNOWN = (-2038, 'Unknown order sent.')
E_AMEND_INCREASE = (-2038, 'Order amend (quantity increase) is not supported.')
E_AMEND_NO_CHANGE = (-2038, 'The requested action would change no state; rejecting')
E_MAX_AMENDS = (-2038, 'Filter failure: MAX_NUM_ORDER_AMENDS')
# Order types the simulation does not trade; Binance's -2010 texts for a symbol that does not enable them.
UNSUPPORTED_TYPES = {
    'STOP_LOSS': 'Stop loss orders are not supported for this symbol.',
    'STOP_LOSS_LIMIT': 'Stop loss limit orders are not supported for this symbol.',
    'TAKE_PROFIT': 'Take profit orders are not supported for this symbol.',
    'TAKE_PROFIT_LIMIT': 'Take profit limit orders are not supported for this symbol.',
}


def decimal(value: Any, name: str = 'value') -> Decimal:
    """*value* (``str``, ``int`` or ``Decimal``) as a finite ``Decimal``; floats are refused, as by the SDK."""
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f'{name} must be a str, int or Decimal (e.g. "0.1"), not {type(value).__name__}')
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f'{name} is not a decimal number: {value!r}') from None
    if not d.is_finite():
        raise ValueError(f'{name} must be finite, got {value!r}')
    return d


def _positive(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value <= 0:
        raise ValueError(f'SimSymbol.{attribute.name} must be positive, got {value}')


def _upper(value: str) -> str:
    return value.upper()


def split_symbol(symbol: str) -> tuple[str, str]:
    """``'BTCUSDT'`` -> ``('BTC', 'USDT')`` by the known quote assets."""
    for quote in QUOTE_ASSETS:
        if symbol.endswith(quote) and len(symbol) > len(quote):
            return symbol[: -len(quote)], quote
    raise ValueError(f'cannot tell the base and quote asset of {symbol!r}; pass SimSymbol(symbol=, base=, quote=)')


@attrs.frozen(kw_only=True)
class SimSymbol:
    """One simulated symbol and how its market behaves.

    Attributes:
        symbol: Binance's symbol (``'BTCUSDT'``).
        base / quote: its assets; found from ``symbol`` by :func:`SimSymbol.of`.
        price: the starting reference price (the middle of the spread).
        tick_size / step_size: Binance's PRICE_FILTER ``tickSize`` and LOT_SIZE ``stepSize``.
        levels: price levels of simulated liquidity on each side of the reference price.
        level_qty: the typical quantity of one level (each is 0.2x to 2x this).
        volatility: standard deviation of the reference price's move per tick, in ticks.
        flow: chance per tick that a simulated trader sends an aggressive order.
    """

    symbol: str = attrs.field(converter=_upper)
    base: str
    quote: str
    price: Decimal = attrs.field(default=Decimal('100'), converter=decimal, validator=_positive)
    tick_size: Decimal = attrs.field(default=Decimal('0.01'), converter=decimal, validator=_positive)
    step_size: Decimal = attrs.field(default=Decimal('0.001'), converter=decimal, validator=_positive)
    levels: int = attrs.field(default=100, validator=_positive)
    level_qty: Decimal = attrs.field(default=Decimal('1'), converter=decimal, validator=_positive)
    volatility: float = 1.0
    flow: float = 0.5

    def __attrs_post_init__(self) -> None:
        if self.price % self.tick_size:
            raise ValueError(f'SimSymbol {self.symbol}: price {self.price} is not a multiple of tick_size')
        if self.price / self.tick_size <= 1:
            raise ValueError(f'SimSymbol {self.symbol}: price must be at least two ticks')

    @classmethod
    def of(cls, symbol: str, **kwargs: Any) -> SimSymbol:
        """A row for *symbol* with its assets split off (``'ETHBTC'`` -> ETH / BTC) and *kwargs* as given."""
        base, quote = split_symbol(symbol.upper())
        return cls(symbol=symbol, base=base, quote=quote, **kwargs)

    def notional(self, qty: Decimal, price: Decimal) -> Decimal:
        """What *qty* traded at *price* is worth: ``qty x price``, in the quote asset (a trade's ``quoteQty``). An
        inverse futures contract (``binance_testing.futures.FuturesSymbol``) counts it in its base asset."""
        return qty * price


class Balance(NamedTuple):
    """One asset of an account."""

    free: Decimal
    locked: Decimal


class Fill(NamedTuple):
    """One execution of an account's order."""

    trade_id: int
    price: Decimal
    qty: Decimal
    quote_qty: Decimal
    maker: bool
    commission: Decimal
    commission_asset: str
    time: int


class Trade(NamedTuple):
    """One public trade. ``agg_id`` groups the trades of one taker order at one price (``aggTrade``)."""

    id: int
    agg_id: int
    price: Decimal
    qty: Decimal
    quote_qty: Decimal
    time: int
    buyer_maker: bool


class Candle:
    """One kline window's running values (Binance kline fields, decimals exact)."""

    __slots__ = (
        'close',
        'close_time',
        'first_id',
        'high',
        'last_id',
        'low',
        'open',
        'open_time',
        'quote_volume',
        'taker_quote_volume',
        'taker_volume',
        'trades',
        'volume',
    )

    def __init__(self, open_time: int, length: int, price: Decimal) -> None:
        self.open_time = open_time
        self.close_time = open_time + length - 1
        self.open = self.high = self.low = self.close = price
        self.volume = self.quote_volume = self.taker_volume = self.taker_quote_volume = Decimal(0)
        self.trades = 0
        self.first_id = self.last_id = -1

    def add(self, trade: Trade) -> None:
        if not self.trades:
            self.open = self.high = self.low = trade.price
            self.first_id = trade.id
        elif trade.price > self.high:
            self.high = trade.price
        elif trade.price < self.low:
            self.low = trade.price
        self.close = trade.price
        self.last_id = trade.id
        self.trades += 1
        self.volume += trade.qty
        self.quote_volume += trade.quote_qty
        if not trade.buyer_maker:  # the taker bought
            self.taker_volume += trade.qty
            self.taker_quote_volume += trade.quote_qty


class Ticker:
    """Running statistics since the simulation started (the simulation's stand-in for Binance's 24 h window)."""

    __slots__ = (
        'count',
        'first_id',
        'high',
        'last',
        'last_id',
        'last_qty',
        'low',
        'open',
        'open_time',
        'quote_volume',
        'volume',
    )

    def __init__(self, price: Decimal, now: int) -> None:
        self.open_time = now
        self.open = self.high = self.low = self.last = price
        self.last_qty = self.volume = self.quote_volume = Decimal(0)
        self.count = 0
        self.first_id = self.last_id = -1

    def add(self, trade: Trade) -> None:
        if not self.count:
            self.first_id = trade.id
        self.high = max(self.high, trade.price)
        self.low = min(self.low, trade.price)
        self.last = trade.price
        self.last_qty = trade.qty
        self.last_id = trade.id
        self.count += 1
        self.volume += trade.qty
        self.quote_volume += trade.quote_qty


class Order:
    """An account's order. Quantities are kept in lots (multiples of ``stepSize``) and prices in ticks; the
    ``Decimal`` properties give them in Binance's units.

    Attributes:
        id / client_id / orig_client_id: Binance's ``orderId``, ``clientOrderId`` and, after a cancel or amend,
            the client id it replaced.
        account: the API key that placed it.
        symbol / side / type / tif: as placed (``tif`` is ``'GTC'`` for MARKET, as Binance reports it).
        status: ``NEW``, ``PARTIALLY_FILLED``, ``FILLED``, ``CANCELED`` or ``EXPIRED``.
        working: whether it rests on the book.
        time / update_time / working_time: ms timestamps.
        expiry_reason: Binance's ``expiryReason`` once expired.
        stp / strategy_id / strategy_type: echoed request values.
        amends: how many times it was amended.
    """

    __slots__ = (
        'account',
        'amends',
        'client_id',
        'cum_quote',
        'expiry_reason',
        'filled',
        'id',
        'locked',
        'lots',
        'market',
        'orig_client_id',
        'quote_order_qty',
        'side',
        'status',
        'stp',
        'strategy_id',
        'strategy_type',
        'ticks',
        'tif',
        'time',
        'type',
        'update_time',
        'working',
        'working_time',
    )

    def __init__(
        self,
        market: Market,
        account: str,
        order_id: int,
        client_id: str,
        side: str,
        type: str,
        tif: str,
        ticks: int | None,
        lots: int,
        now: int,
    ) -> None:
        self.market = market
        self.account = account
        self.id = order_id
        self.client_id = client_id
        self.orig_client_id = ''
        self.side = side
        self.type = type
        self.tif = tif
        self.ticks = ticks
        self.lots = lots
        self.filled = 0
        self.cum_quote = Decimal(0)
        self.quote_order_qty = Decimal(0)
        self.locked = Decimal(0)
        self.status = NEW
        self.working = False
        self.time = self.update_time = self.working_time = now
        self.expiry_reason: str | None = None
        self.stp = 'NONE'
        self.strategy_id: int | None = None
        self.strategy_type: int | None = None
        self.amends = 0

    @property
    def symbol(self) -> str:
        return self.market.symbol

    @property
    def price(self) -> Decimal:
        """The limit price (``0`` for MARKET orders, as Binance shows it)."""
        return self.ticks * self.market.tick_size if self.ticks is not None else Decimal(0)

    @property
    def orig_qty(self) -> Decimal:
        return self.lots * self.market.step_size

    @property
    def executed_qty(self) -> Decimal:
        return self.filled * self.market.step_size

    @property
    def cum_quote_qty(self) -> Decimal:
        return self.cum_quote

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def __repr__(self) -> str:
        return (
            f'Order({self.id} {self.symbol} {self.side} {self.type} {self.orig_qty}@{self.price} {self.status} '
            f'executed={self.executed_qty})'
        )


class _Level:
    __slots__ = ('queue', 'total')

    def __init__(self) -> None:
        # Entries are [order or None (anonymous liquidity), lots], oldest first: price-time priority.
        self.queue: deque[list[Any]] = deque()
        self.total = 0


class _Side:
    __slots__ = ('bid', 'levels', 'prices')

    def __init__(self, bid: bool) -> None:
        self.bid = bid
        self.levels: dict[int, _Level] = {}
        self.prices: list[int] = []  # ascending; the best bid is the last, the best ask the first

    def best(self) -> int | None:
        prices = self.prices
        if not prices:
            return None
        return prices[-1] if self.bid else prices[0]

    def level(self, price: int) -> _Level:
        level = self.levels.get(price)
        if level is None:
            level = self.levels[price] = _Level()
            insort(self.prices, price)
        return level

    def drop(self, price: int) -> None:
        del self.levels[price]
        del self.prices[bisect_left(self.prices, price)]

    def best_first(self, limit: int | None = None) -> list[int]:
        prices = self.prices
        if self.bid:
            return prices[::-1] if limit is None else prices[: -limit - 1 : -1]
        return prices[:] if limit is None else prices[:limit]


def _fmt(value: Decimal) -> str:
    # Binance renders Spot decimals with 8 places ("0.10264410").
    return f'{value:.8f}'


class Market:
    """One symbol: its book, its random market and its statistics.

    Every change of a level's quantity takes the next update id and is logged, so a diff-depth event is the
    levels logged since the previous event (``U`` = first id, ``u`` = last id) with their current quantities,
    and a snapshot taken at id ``N`` plus the events with ``u > N`` is exactly the book.

    Attributes:
        rules: the :class:`SimSymbol`.
        symbol: its name.
        mid: the reference price in ticks; simulated bids sit below it and asks above it.
        update_id: the id of the last book change.
        ticker: statistics since the start; candles: the running kline of each interval.
        trades: the last 1000 public trades.
        scratch: free space for the wire (e.g. the last top of book it published).
    """

    def __init__(self, rules: SimSymbol, sim: Simulation, seed: Any, now: int) -> None:
        self.rules = rules
        self.symbol = rules.symbol
        self.sim = sim
        # One generator per symbol, so adding a symbol does not change how the others evolve.
        self.rng = random.Random(f'{seed}:{rules.symbol}')
        self.tick_size = rules.tick_size
        self.step_size = rules.step_size
        self.lot_value = rules.tick_size * rules.step_size  # quote value of one lot at a price of one tick
        self.mid = int(rules.price / rules.tick_size)
        self.level_lots = max(1, int(rules.level_qty / rules.step_size))
        self.bids = _Side(bid=True)
        self.asks = _Side(bid=False)
        self.update_id = FIRST_UPDATE_ID
        self._log: list[tuple[bool, int]] = []  # (is bid, price) of update ids _log_first, _log_first + 1, ...
        self._log_first = FIRST_UPDATE_ID + 1
        self.trade_id = 0
        self.agg_id = 0
        self._last_agg: tuple[int, int] | None = None
        self.trades: deque[Trade] = deque(maxlen=RECENT_TRADES)
        self.ticker = Ticker(rules.price, now)
        self.candles = {label: Candle(now - now % ms, ms, rules.price) for label, ms in KLINE_INTERVALS}
        self.history: dict[str, deque[Candle]] = {label: deque(maxlen=KLINE_HISTORY) for label, _ in KLINE_INTERVALS}
        self.closed: list[tuple[str, Candle]] = []  # candles closed since the wire last looked
        self.scratch: dict[str, Any] = {}
        self._refill()

    # -- units --------------------------------------------------------------------------------------------

    def ticks(self, price: Any) -> int:
        """A price as ticks; Binance's PRICE_FILTER rejects a price off the tick grid."""
        p = decimal(price, 'price')
        n, rest = divmod(p, self.tick_size)
        if rest or p <= 0:
            raise BinanceError(*E_PRICE_FILTER)
        return int(n)

    def lots(self, qty: Any, error: tuple[int, str] = E_LOT_SIZE) -> int:
        """A quantity as lots; Binance's LOT_SIZE rejects a quantity off the step grid."""
        q = decimal(qty, 'quantity')
        n, rest = divmod(q, self.step_size)
        if rest or q <= 0:
            raise BinanceError(*error)
        return int(n)

    def price_text(self, ticks: int) -> str:
        return _fmt(ticks * self.tick_size)

    def qty_text(self, lots: int) -> str:
        return _fmt(lots * self.step_size)

    # -- reading the book ---------------------------------------------------------------------------------

    def best_bid(self) -> tuple[int, int] | None:
        """``(price ticks, lots)`` of the best bid, or ``None``."""
        p = self.bids.best()
        return None if p is None else (p, self.bids.levels[p].total)

    def best_ask(self) -> tuple[int, int] | None:
        p = self.asks.best()
        return None if p is None else (p, self.asks.levels[p].total)

    def depth(self, limit: int | None = None) -> tuple[int, list[list[str]], list[list[str]]]:
        """``(lastUpdateId, bids, asks)`` as Binance's ``depth`` has them: strings, best level first."""
        bids, asks = self.bids, self.asks
        return (
            self.update_id,
            [[self.price_text(p), self.qty_text(bids.levels[p].total)] for p in bids.best_first(limit)],
            [[self.price_text(p), self.qty_text(asks.levels[p].total)] for p in asks.best_first(limit)],
        )

    def book(self, limit: int | None = None) -> dict[str, Any]:
        """The true book: ``{'lastUpdateId': n, 'bids': [[Decimal price, Decimal qty], ...], 'asks': [...]}``,
        best level first on each side."""
        tick, step = self.tick_size, self.step_size
        bids, asks = self.bids, self.asks
        return {
            'lastUpdateId': self.update_id,
            'bids': [[p * tick, bids.levels[p].total * step] for p in bids.best_first(limit)],
            'asks': [[p * tick, asks.levels[p].total * step] for p in asks.best_first(limit)],
        }

    def changes_since(self, last_u: int) -> tuple[int, int, list[list[str]], list[list[str]]] | None:
        """The diff since update id *last_u*: ``(U, u, bids, asks)`` with each changed level's quantity now
        (``'0.00000000'`` for a removed level), or ``None`` if nothing changed."""
        if last_u >= self.update_id:
            return None
        start = last_u + 1 - self._log_first
        if start < 0:
            raise ValueError(f'{self.symbol}: changes before update id {self._log_first} were trimmed')
        keys = dict.fromkeys(self._log[start:])
        bid_levels, ask_levels = self.bids.levels, self.asks.levels
        bids: list[list[str]] = []
        asks: list[list[str]] = []
        for is_bid, p in keys:
            level = (bid_levels if is_bid else ask_levels).get(p)
            (bids if is_bid else asks).append([self.price_text(p), self.qty_text(level.total if level else 0)])
        return last_u + 1, self.update_id, bids, asks

    def trim_log(self, upto: int) -> None:
        """Forget logged changes with ids up to *upto* (every feed has published them)."""
        n = upto + 1 - self._log_first
        if n > 0:
            del self._log[:n]
            self._log_first += n

    # -- changing the book --------------------------------------------------------------------------------

    def _touch(self, side: _Side, price: int) -> None:
        self.update_id += 1
        self._log.append((side.bid, price))

    def _set_anonymous(self, side: _Side, price: int, lots: int) -> None:
        """Make the anonymous liquidity at *price* *lots*: added at the back of the queue, removed from the
        back, so account orders keep their place."""
        level = side.levels.get(price)
        current = 0 if level is None else sum(e[1] for e in level.queue if e[0] is None)
        if lots == current:
            return
        if lots > current:
            level = side.level(price)
            queue = level.queue
            if queue and queue[-1][0] is None:
                queue[-1][1] += lots - current  # anonymous at the back either way: one entry is enough
            else:
                queue.append([None, lots - current])
            level.total += lots - current
        else:
            assert level is not None
            cut = current - lots
            for entry in reversed(level.queue):
                if entry[0] is None and cut:
                    n = min(cut, entry[1])
                    entry[1] -= n
                    cut -= n
            level.queue = deque(e for e in level.queue if e[1])
            level.total -= current - lots
            if not level.total:
                side.drop(price)
        self._touch(side, price)

    def _random_lots(self) -> int:
        return max(1, round(self.level_lots * self.rng.uniform(0.2, 2.0)))

    def _refill(self) -> None:
        """Fill every empty level within ``levels`` of the reference price, never crossing the other side."""
        mid, n = self.mid, self.rules.levels
        bids, asks = self.bids, self.asks
        best_ask = asks.best()
        for p in range(mid - 1, max(0, mid - n - 1), -1):
            if p not in bids.levels and (best_ask is None or p < best_ask):
                self._set_anonymous(bids, p, self._random_lots())
        best_bid = bids.best()
        for p in range(mid + 1, mid + n + 1):
            if p not in asks.levels and (best_bid is None or p > best_bid):
                self._set_anonymous(asks, p, self._random_lots())

    def _trim(self) -> None:
        """Withdraw anonymous liquidity further than ``levels`` from the reference price (orders stay)."""
        low, high = self.mid - self.rules.levels, self.mid + self.rules.levels
        for p in self.bids.prices[: bisect_left(self.bids.prices, low)]:
            self._set_anonymous(self.bids, p, 0)
        for p in self.asks.prices[bisect_right(self.asks.prices, high) :]:
            self._set_anonymous(self.asks, p, 0)

    def _churn(self) -> None:
        side = self.bids if self.rng.random() < 0.5 else self.asks
        distance = self.rng.randint(1, self.rules.levels)
        price = self.mid - distance if side.bid else self.mid + distance
        other = (self.asks if side.bid else self.bids).best()
        if price > 0 and (other is None or (price < other if side.bid else price > other)):
            self._set_anonymous(side, price, self._random_lots())

    def move_to(self, target: int, now: int) -> None:
        """Move the reference price to *target* ticks: simulated traders take every level on the way (so resting
        orders there fill), then the book is refilled around the new price."""
        target = max(2, target)
        if target > self.mid:
            self.take(None, BUY, target, None, now)
        elif target < self.mid:
            self.take(None, SELL, target, None, now)
        self.mid = target
        self._refill()
        self._trim()

    def evolve(self, now: int) -> None:
        """One tick: a random walk of the reference price, maybe an aggressive order, some levels changing."""
        rng = self.rng
        step = round(rng.gauss(0.0, self.rules.volatility))
        if step:
            self.move_to(self.mid + step, now)
        if rng.random() < self.rules.flow:
            side = BUY if rng.random() < 0.5 else SELL
            self.take(None, side, None, max(1, round(self.level_lots * rng.uniform(0.1, 1.5))), now)
        for _ in range(rng.randint(1, 4)):
            self._churn()
        self._refill()
        self._trim()

    # -- matching ---------------------------------------------------------------------------------------

    def preview(self, side: str, limit: int | None, lots: int | None, budget: Decimal | None) -> tuple[int, Decimal]:
        """What taking the book would do, without doing it: ``(lots, quote)`` fillable by an order of *side* up
        to price *limit*, for at most *lots* and spending at most *budget* quote."""
        book = self.asks if side == BUY else self.bids
        got, spent = 0, Decimal(0)
        for price in book.best_first():
            if limit is not None and (price > limit if side == BUY else price < limit):
                break
            n = book.levels[price].total
            if lots is not None:
                n = min(n, lots - got)
            if budget is not None:
                n = min(n, int((budget - spent) / (price * self.lot_value)))
            if n <= 0:
                break
            got += n
            spent += price * n * self.lot_value
        return got, spent

    def take(
        self, taker: Order | None, side: str, limit: int | None, lots: int | None, now: int
    ) -> tuple[int, list[Fill]]:
        """Match an aggressive order of *side* (``None``: a simulated trader) against the other side, best price
        first and oldest first within a price, up to price *limit* and *lots* (``None``: no bound).
        Returns the lots executed and the taker's fills."""
        book = self.asks if side == BUY else self.bids
        sim = self.sim
        seq = next(sim.taker_seq)
        buyer_maker = side == SELL
        remaining = lots
        done = 0
        fills: list[Fill] = []
        while book.prices and (remaining is None or remaining > 0):
            price = book.best()
            assert price is not None
            if limit is not None and (price > limit if side == BUY else price < limit):
                break
            level = book.levels[price]
            queue = level.queue
            while queue and (remaining is None or remaining > 0):
                entry = queue[0]
                n = entry[1] if remaining is None else min(entry[1], remaining)
                entry[1] -= n
                level.total -= n
                if not entry[1]:
                    queue.popleft()
                if not queue:
                    book.drop(price)
                self._touch(book, price)
                if remaining is not None:
                    remaining -= n
                done += n
                trade = self._trade(price, n, buyer_maker, seq, now)
                if entry[0] is not None:
                    sim.fill(entry[0], price, n, trade, True, now)
                if taker is not None:
                    fills.append(sim.fill(taker, price, n, trade, False, now))
        return done, fills

    def _trade(self, price: int, lots: int, buyer_maker: bool, seq: int, now: int) -> Trade:
        self.trade_id += 1
        # Binance "Aggregate Trade Streams": trades of one taker order at one price share an aggregate id.
        if self._last_agg != (seq, price):
            self.agg_id += 1
            self._last_agg = (seq, price)
        px = price * self.tick_size
        qty = lots * self.step_size
        trade = Trade(self.trade_id, self.agg_id, px, qty, self.rules.notional(qty, px), now, buyer_maker)
        self.trades.append(trade)
        self.ticker.add(trade)
        for label, ms in KLINE_INTERVALS:
            candle = self.candles[label]
            if now > candle.close_time:
                candle = self._roll(label, ms, now)
            candle.add(trade)
        self.sim.outbox.append((EV_TRADE, self, trade))
        return trade

    def _roll(self, label: str, ms: int, now: int) -> Candle:
        old = self.candles[label]
        self.closed.append((label, old))
        self.history[label].append(old)
        new = self.candles[label] = Candle(now - now % ms, ms, old.close)
        return new

    def roll_candles(self, now: int) -> None:
        """Close every candle whose window has passed (a quiet market closes candles too)."""
        for label, ms in KLINE_INTERVALS:
            if now > self.candles[label].close_time:
                self._roll(label, ms, now)

    def pop_closed(self) -> list[tuple[str, Candle]]:
        """The candles closed since the last call, oldest first: the wire publishes each once, closed."""
        closed, self.closed = self.closed, []
        return closed

    def rest(self, order: Order, now: int) -> None:
        """Put the rest of *order* on the book, behind what is already at its price."""
        side = self.bids if order.side == BUY else self.asks
        assert order.ticks is not None
        level = side.level(order.ticks)
        level.queue.append([order, order.lots - order.filled])
        level.total += order.lots - order.filled
        order.working = True
        order.working_time = now
        self._touch(side, order.ticks)

    def _entry(self, order: Order) -> tuple[_Side, _Level, list[Any]]:
        side = self.bids if order.side == BUY else self.asks
        assert order.ticks is not None
        level = side.levels[order.ticks]
        for entry in level.queue:
            if entry[0] is order:
                return side, level, entry
        raise LookupError(f'{order!r} is not on the book')

    def unrest(self, order: Order) -> None:
        """Take *order* off the book."""
        side, level, entry = self._entry(order)
        level.queue.remove(entry)
        level.total -= entry[1]
        if not level.total:
            side.drop(order.ticks)  # type: ignore[arg-type]
        order.working = False
        self._touch(side, order.ticks)  # type: ignore[arg-type]

    def reduce(self, order: Order, lots: int) -> None:
        """Reduce a resting order's open quantity by *lots* in place: it keeps its priority."""
        side, level, entry = self._entry(order)
        entry[1] -= lots
        level.total -= lots
        self._touch(side, order.ticks)  # type: ignore[arg-type]


class Account:
    """One API key's balances and orders."""

    __slots__ = ('balances', 'by_client_id', 'key', 'orders', 'trades', 'uid', 'update_time')

    def __init__(self, key: str, uid: int, now: int) -> None:
        self.key = key
        self.uid = uid
        self.balances: dict[str, list[Decimal]] = {}  # asset -> [free, locked]
        self.orders: dict[int, Order] = {}
        self.by_client_id: dict[tuple[str, str], Order] = {}  # (symbol, client id) -> the latest order with it
        self.trades: list[tuple[Order, Fill]] = []
        self.update_time = now

    def balance(self, asset: str) -> list[Decimal]:
        b = self.balances.get(asset)
        if b is None:
            b = self.balances[asset] = [Decimal(0), Decimal(0)]
        return b

    def free(self, asset: str) -> Decimal:
        b = self.balances.get(asset)
        return b[0] if b else Decimal(0)


class Simulation:
    """Every simulated symbol and account of one exchange: the operations of Binance's matching engine, with
    the events they cause queued in :attr:`outbox` for the exchange to publish.

    This class keeps cash accounts (Spot: free and locked balances per asset); the futures engine
    (:class:`binance_testing.futures.FuturesSimulation`) reuses its books and matching and keeps margin accounts
    with positions instead.

    Args:
        symbols: :class:`SimSymbol` rows.
        seed: makes the random market repeatable: the same seed and the same operations give the same book.
        clock: returns the server time in ms.

    Attributes:
        markets: symbol -> :class:`Market`.
        accounts: API key -> account.
        outbox: events in the order they happened: ``('trade', market, Trade)``, then user-data events
            ``(kind, api_key, *args)``: ``('order', api_key, order copy, execution type, Fill or None,
            execution id, ms)``, ``('position', api_key, {asset: Balance}, ms)``, ``('balance', api_key, asset,
            delta, ms)``.
        wire: set by the market plugin: renders events in its market's formats (see ``simulation.py``).
        USER_EVENTS: for each kind of user-data event this engine queues, the name of the wire method that
            renders it; the exchange publishes ``(kind, api_key, *args)`` as ``wire.<name>(*args)`` to
            *api_key*'s user data, so it never needs to know which market it simulates.
    """

    USER_EVENTS: ClassVar[Mapping[str, str]] = {
        EV_ORDER: 'execution_report',
        EV_POSITION: 'account_position',
        EV_BALANCE: 'balance_update',
    }

    def __init__(self, symbols: Iterable[SimSymbol], *, seed: Any = 0, clock: Callable[[], int], now: int) -> None:
        self.clock = clock
        self.outbox: list[tuple[Any, ...]] = []
        self.wire: Any = None
        self.accounts: dict[str, Account] = {}
        self.order_ids = itertools.count(1)
        self.execution_ids = itertools.count(1)
        self.taker_seq = itertools.count(1)
        self._uids = itertools.count(100_000_001)
        self._touched: dict[str, set[str]] = {}
        self.markets: dict[str, Market] = {}
        for rules in symbols:
            if rules.symbol in self.markets:
                raise ValueError(f'symbol {rules.symbol} given twice')
            self.markets[rules.symbol] = Market(rules, self, seed, now)

    # -- lookups ------------------------------------------------------------------------------------------

    def market(self, symbol: Any) -> Market:
        m = self.markets.get(symbol.upper()) if isinstance(symbol, str) else None
        if m is None:
            raise BinanceError(*E_BAD_SYMBOL)
        return m

    def account(self, key: str) -> Account:
        acct = self.accounts.get(key)
        if acct is None:
            acct = self.accounts[key] = Account(key, next(self._uids), self.clock())
        return acct

    def balances(self, key: str) -> dict[str, Balance]:
        acct = self.accounts.get(key)
        return {} if acct is None else {a: Balance(*b) for a, b in sorted(acct.balances.items())}

    def positions(self, key: str, symbol: str | None = None) -> list[Any]:
        """*key*'s open positions: none, as a cash account holds assets, not positions (the futures engine
        overrides this)."""
        return []

    def find(
        self, key: str | None, symbol: str, order_id: int | None, client_id: str | None, missing: tuple[int, str]
    ) -> Order:
        """Binance's lookup by ``orderId`` and/or ``origClientOrderId``: the id first, then the client id is
        checked against that order (-2039 when they disagree)."""
        m = self.market(symbol)
        acct = self.accounts.get(key or '')
        order = None
        if acct is not None:
            if order_id is not None:
                order = acct.orders.get(order_id)
                if order is not None and client_id is not None and order.client_id != client_id:
                    raise BinanceError(*E_CLIENT_ID_MISMATCH)
            elif client_id is not None:
                order = acct.by_client_id.get((m.symbol, client_id))
        if order is None or order.market is not m:
            raise BinanceError(*missing)
        return order

    def open_orders(self, key: str | None, symbol: str | None = None) -> list[Order]:
        acct = self.accounts.get(key or '')
        if acct is None:
            return []
        m = self.market(symbol) if symbol is not None else None
        return [o for o in acct.orders.values() if o.is_open and (m is None or o.market is m)]

    # -- bookkeeping -------------------------------------------------------------------------------------

    def _adjust(self, acct: Account, asset: str, free: Decimal = Decimal(0), locked: Decimal = Decimal(0)) -> None:
        b = acct.balance(asset)
        b[0] += free
        b[1] += locked
        self._touched.setdefault(acct.key, set()).add(asset)

    def _report(self, order: Order, execution: str, fill: Fill | None, now: int) -> int:
        eid = next(self.execution_ids)
        self.outbox.append((EV_ORDER, order.account, copy.copy(order), execution, fill, eid, now))
        return eid

    def end_op(self, now: int) -> None:
        """Queue ``outboundAccountPosition`` for every account whose balances the operation touched."""
        for key, assets in self._touched.items():
            acct = self.accounts[key]
            acct.update_time = now
            snapshot = {a: Balance(*acct.balances[a]) for a in sorted(assets)}
            self.outbox.append((EV_POSITION, key, snapshot, now))
        self._touched.clear()

    def _close(self, order: Order, status: str, now: int, reason: str | None = None) -> None:
        """End *order*: release what it still holds locked."""
        order.status = status
        order.working = False
        order.update_time = now
        if reason is not None:
            order.expiry_reason = reason
        if order.locked:
            acct = self.accounts[order.account]
            rules = order.market.rules
            asset = rules.quote if order.side == BUY else rules.base
            self._adjust(acct, asset, free=order.locked, locked=-order.locked)
            order.locked = Decimal(0)

    def fill(self, order: Order, price: int, lots: int, trade: Trade, maker: bool, now: int) -> Fill:
        """Book one execution of an account's *order* (called by :meth:`Market.take`)."""
        m = order.market
        acct = self.accounts[order.account]
        base, quote = m.rules.base, m.rules.quote
        order.filled += lots
        order.cum_quote += trade.quote_qty
        order.update_time = now
        if order.side == BUY:
            # A BUY locked its limit price; executing lower gives the difference back at once.
            refund = (order.ticks - price) * lots * m.lot_value if order.ticks is not None else Decimal(0)
            used = trade.quote_qty + refund
            order.locked -= used
            self._adjust(acct, quote, free=refund, locked=-used)
            self._adjust(acct, base, free=trade.qty)
            asset = base
        else:
            order.locked -= trade.qty
            self._adjust(acct, base, locked=-trade.qty)
            self._adjust(acct, quote, free=trade.quote_qty)
            asset = quote
        # The simulation charges no commission; Binance reports it in the asset received.
        fill = Fill(trade.id, trade.price, trade.qty, trade.quote_qty, maker, Decimal(0), asset, now)
        acct.trades.append((order, fill))
        if order.filled == order.lots:
            self._close(order, FILLED, now)
        else:
            order.status = PARTIALLY_FILLED
        self._report(order, 'TRADE', fill, now)
        return fill

    # -- operations -----------------------------------------------------------------------------------------

    def place(
        self,
        key: str,
        symbol: str,
        side: str,
        type: str,
        *,
        tif: str | None = None,
        price: Any = None,
        qty: Any = None,
        quote_qty: Any = None,
        client_id: str | None = None,
        stp: str = 'NONE',
        strategy_id: int | None = None,
        strategy_type: int | None = None,
    ) -> tuple[Order, list[Fill]]:
        """Binance ``order.place`` for LIMIT (GTC/IOC/FOK), LIMIT_MAKER and MARKET (``qty`` or ``quote_qty``).

        Balance is checked and locked before matching; an order that cannot be covered is rejected with -2010
        and changes nothing. Returns the order and its fills as taker.
        """
        m = self.market(symbol)
        if side not in (BUY, SELL):
            raise BinanceError(*E_INVALID_SIDE)
        if type in UNSUPPORTED_TYPES:
            raise BinanceError(-2010, UNSUPPORTED_TYPES[type])
        if type not in (LIMIT, LIMIT_MAKER, MARKET):
            raise BinanceError(*E_INVALID_TYPE)
        if type == LIMIT and tif not in (GTC, IOC, FOK):
            raise BinanceError(*E_INVALID_TIF)
        tif_: str = tif if type == LIMIT and tif is not None else GTC  # Binance reports GTC for the others
        now = self.clock()
        acct = self.account(key)
        client_id = client_id or _client_order_id()
        # Binance order.place: newClientOrderId is unique among open orders.
        same = acct.by_client_id.get((m.symbol, client_id))
        if same is not None and same.is_open:
            raise BinanceError(*E_DUPLICATE)
        rules = m.rules
        ticks: int | None = None
        budget: Decimal | None = None
        if type == MARKET:
            if quote_qty is not None:
                budget = decimal(quote_qty, 'quoteOrderQty')
                if budget <= 0:
                    raise BinanceError(*E_NOTIONAL)
                lots = m.preview(side, None, None, budget)[0]
                if not lots:
                    # Binance: an empty book cannot take a quote-quantity order; a budget below one lot is
                    # under the symbol's minimum notional.
                    empty = not (m.asks if side == BUY else m.bids).prices
                    raise BinanceError(*(E_NO_LIQUIDITY if empty else E_NOTIONAL))
                lock = budget if side == BUY else lots * m.step_size
            else:
                lots = m.lots(qty, E_MARKET_LOT_SIZE)
                lock = m.preview(side, None, lots, None)[1] if side == BUY else lots * m.step_size
        else:
            ticks = m.ticks(price)
            lots = m.lots(qty)
            lock = ticks * lots * m.lot_value if side == BUY else lots * m.step_size
        asset = rules.quote if side == BUY else rules.base
        if acct.free(asset) < lock:
            raise BinanceError(*E_INSUFFICIENT)
        if type == LIMIT_MAKER:
            other = (m.asks if side == BUY else m.bids).best()
            assert ticks is not None
            if other is not None and (ticks >= other if side == BUY else ticks <= other):
                raise BinanceError(*E_WOULD_TAKE)

        order = Order(m, key, next(self.order_ids), client_id, side, type, tif_, ticks, lots, now)
        order.stp = stp
        order.strategy_id, order.strategy_type = strategy_id, strategy_type
        if budget is not None:
            order.quote_order_qty = budget
        acct.orders[order.id] = order
        acct.by_client_id[(m.symbol, client_id)] = order
        order.locked = lock
        self._adjust(acct, asset, free=-lock, locked=lock)
        self._report(order, 'NEW', None, now)

        fills: list[Fill] = []
        if tif_ == FOK and m.preview(side, ticks, lots, None)[0] < lots:
            # Binance FOK: expires unless the whole quantity fills at once.
            self._expire(order, 'UNFILLED_FOK_ORDER_EXPIRED', now)
        else:
            if type != LIMIT_MAKER:
                fills = m.take(order, side, ticks, lots, now)[1]
            if order.is_open:
                if type == MARKET:
                    self._expire(order, 'INSUFFICIENT_LIQUIDITY', now)
                elif tif_ == IOC:
                    self._expire(order, 'UNFILLED_IOC_QUANTITY_EXPIRED', now)
                else:
                    m.rest(order, now)
        self.end_op(now)
        return order, fills

    def _expire(self, order: Order, reason: str, now: int) -> None:
        self._close(order, EXPIRED, now, reason)
        self._report(order, 'EXPIRED', None, now)

    def cancel(
        self,
        key: str | None,
        symbol: str,
        *,
        order_id: int | None = None,
        client_id: str | None = None,
        new_client_id: str | None = None,
        restrictions: str | None = None,
    ) -> Order:
        """Binance ``order.cancel``: an order that is not open is an "Unknown order sent." (-2011)."""
        order = self.find(key, symbol, order_id, client_id, E_UNKNOWN_ORDER)
        if not order.is_open:
            raise BinanceError(*E_UNKNOWN_ORDER)
        if (restrictions == 'ONLY_NEW' and order.status != NEW) or (
            restrictions == 'ONLY_PARTIALLY_FILLED' and order.status != PARTIALLY_FILLED
        ):
            raise BinanceError(*E_CANCEL_RESTRICTED)
        now = self.clock()
        self._cancel(order, new_client_id, now)
        self.end_op(now)
        return order

    def _cancel(self, order: Order, new_client_id: str | None, now: int) -> None:
        if order.working:
            order.market.unrest(order)
        # Binance order.cancel: newClientOrderId replaces the canceled order's clientOrderId.
        order.orig_client_id = order.client_id
        order.client_id = new_client_id or _client_order_id()
        self.accounts[order.account].by_client_id[(order.symbol, order.client_id)] = order
        self._close(order, CANCELED, now)
        self._report(order, 'CANCELED', None, now)

    def cancel_all(self, key: str | None, symbol: str) -> list[Order]:
        """Binance ``openOrders.cancelAll``; with nothing open, "Unknown order sent." (-2011)."""
        orders = self.open_orders(key, symbol)
        if not orders:
            raise BinanceError(*E_UNKNOWN_ORDER)
        now = self.clock()
        for order in orders:
            self._cancel(order, None, now)
        self.end_op(now)
        return orders

    def amend(
        self,
        key: str | None,
        symbol: str,
        new_qty: Any,
        *,
        order_id: int | None = None,
        client_id: str | None = None,
        new_client_id: str | None = None,
    ) -> tuple[Order, int]:
        """Binance ``order.amend.keepPriority``: reduce an open order's quantity where it stands in the queue.
        Returns the order and the execution id of its ``REPLACED`` report."""
        order = self.find(key, symbol, order_id, client_id, E_AMEND_UNKNOWN)
        if not order.is_open:
            raise BinanceError(*E_AMEND_UNKNOWN)
        m = order.market
        lots = m.lots(new_qty)
        if lots > order.lots:
            raise BinanceError(*E_AMEND_INCREASE)
        if lots == order.lots:
            raise BinanceError(*E_AMEND_NO_CHANGE)
        if order.amends >= MAX_AMENDS:
            raise BinanceError(*E_MAX_AMENDS)
        now = self.clock()
        acct = self.accounts[order.account]
        open_before = order.lots - order.filled
        open_after = max(0, lots - order.filled)
        cut = open_before - open_after
        if order.working:
            if open_after:
                m.reduce(order, cut)
            else:
                m.unrest(order)
        # Release what the removed quantity had locked.
        assert order.ticks is not None
        release = order.ticks * cut * m.lot_value if order.side == BUY else cut * m.step_size
        order.locked -= release
        rules = m.rules
        self._adjust(acct, rules.quote if order.side == BUY else rules.base, free=release, locked=-release)
        order.lots = lots
        order.amends += 1
        order.orig_client_id = order.client_id
        order.client_id = new_client_id or _client_order_id()
        acct.by_client_id[(order.symbol, order.client_id)] = order
        order.update_time = now
        if not open_after:
            # An amend to no more than the executed quantity leaves nothing to work: the order expires.
            self._close(order, EXPIRED, now)
        eid = self._report(order, 'REPLACED', None, now)
        self.end_op(now)
        return order, eid

    def fund(self, key: str, asset: str, amount: Any) -> Balance:
        """Deposit *amount* of *asset* (negative: withdraw); queues ``balanceUpdate`` and the account position."""
        delta = decimal(amount, 'amount')
        acct = self.account(key)
        if acct.free(asset) + delta < 0:
            raise ValueError(f'cannot withdraw {-delta} {asset}: only {acct.free(asset)} is free')
        now = self.clock()
        self._adjust(acct, asset, free=delta)
        self.outbox.append((EV_BALANCE, key, asset, delta, now))
        self.end_op(now)
        return Balance(*acct.balance(asset))

    def set_price(self, symbol: str, price: Any) -> None:
        """Move *symbol*'s reference price to *price*: levels on the way are taken (resting orders fill)."""
        m = self.market(symbol)
        try:
            ticks = m.ticks(price)
        except BinanceError:
            raise ValueError(f'price {price} is not a positive multiple of the tick size {m.tick_size}') from None
        now = self.clock()
        m.move_to(ticks, now)
        self.end_op(now)

    def trade(self, symbol: str, side: str, qty: Any) -> Decimal:
        """A simulated trader's market order of *qty* on *side* now; returns the quantity executed."""
        m = self.market(symbol)
        if side not in (BUY, SELL):
            raise ValueError("side must be 'BUY' or 'SELL'")
        try:
            lots = m.lots(qty)
        except BinanceError:
            raise ValueError(f'qty {qty} is not a positive multiple of the step size {m.step_size}') from None
        now = self.clock()
        done = m.take(None, side, None, lots, now)[0]
        self.end_op(now)
        return done * m.step_size

    def evolve(self) -> None:
        """One tick of every market, in symbol order."""
        now = self.clock()
        for symbol in sorted(self.markets):
            self.markets[symbol].evolve(now)
        self.end_op(now)


def _client_order_id() -> str:
    # Binance generates 22 URL-safe characters, e.g. "mUvoqJxFIILMdfAW5iGSOW".
    return secrets.token_urlsafe(16)[:22]


def symbol_rows(symbols: Any, of: Callable[..., SimSymbol] = SimSymbol.of) -> list[SimSymbol]:
    """Normalise the ``symbols=`` argument: a symbol, an iterable of symbols / :class:`SimSymbol` rows, or a
    mapping symbol -> starting price (or -> dict of :class:`SimSymbol` fields). *of* makes a row of a name and
    fields (a futures wire passes its contracts' maker)."""
    if isinstance(symbols, str | SimSymbol):
        symbols = (symbols,)
    rows: list[SimSymbol] = []
    if isinstance(symbols, Mapping):
        for name, spec in symbols.items():
            fields = dict(spec) if isinstance(spec, Mapping) else {'price': spec}
            rows.append(of(name, **fields))
    else:
        rows.extend(item if isinstance(item, SimSymbol) else of(item) for item in symbols)
    if not rows:
        raise ValueError('give at least one symbol')
    return rows
