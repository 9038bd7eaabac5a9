"""The futures engine of the simulated exchange: margin accounts on top of the Spot engine's books and price-time
matching (:mod:`binance_testing.matching`, reused, not copied).

What it adds to :class:`~binance_testing.matching.Simulation`:

- **Contracts**: each symbol is a perpetual contract (:class:`FuturesSymbol`), linear or inverse as data on the
  symbol. Linear (USDⓈ-M, ``BTCUSDT``): quantity in the base asset, margin and PnL in the quote asset (USDT).
  Inverse (COIN-M, ``BTCUSD_PERP``): quantity in whole contracts of ``contract_size`` USD, margin and PnL in the
  base asset (BTC), with Binance's inverse math: notional = contracts x contract size / price, the entry price
  the contract-weighted harmonic mean of the fills, PnL = contracts x contract size x (1/entry - 1/exit).
- **Margin accounts**: a wallet balance per margin asset (USDT, BTC, ...), per-symbol leverage (default 20, at
  most 125) and margin type (``CROSSED`` or ``ISOLATED``), one-way (``BOTH``) or hedge (``LONG`` / ``SHORT``)
  position mode.
- **Positions**: entry price (the average of what opened them), realized PnL on every reduction (into the
  wallet), unrealized PnL, notional and margins at the mark price; a one-way position flips through zero, a hedge
  position cannot. Isolated positions carry their own wallet, moved from the cross wallet as they open.
- **Orders**: ``LIMIT`` (``GTC``, ``IOC``, ``FOK``, ``GTX`` post-only) and ``MARKET``; ``reduceOnly`` (one-way)
  and closing orders (hedge) that may never open or grow a position; an initial-margin check on placement.
- **Mark price and funding**: the mark price is a smoothed mid price (an exponential average of the book's mid,
  updated every tick, set at once by ``set_price``); the index price is the reference price; the funding rate is
  Binance's formula ``premium + clamp(0.01% - premium, ±0.05%)``; funding is **paid** at every funding time (every
  8 h by default, on the hours Binance uses, or any interval with :meth:`FuturesSimulation.set_funding_interval`)
  and on demand with :meth:`FuturesSimulation.settle_funding`; each position pays its notional at the mark price
  (in its margin asset) times the rate.

Not simulated: commissions, liquidation and ADL (``liquidationPrice`` is ``0``), leverage brackets (one
maintenance rate, no notional cap), multi-assets mode, order modification, ``GTD``, ``priceMatch``, self-trade
prevention (the mode is echoed), conditional (algo) orders, delivery contracts (``BTCUSD_250926``: a symbol is
always a perpetual), portfolio margin and multi-assets mode.
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar, NamedTuple, Protocol

import attrs

from binance_testing.fake_exchange import BinanceError
from binance_testing.matching import (
    BUY,
    CANCELED,
    E_INVALID_SIDE,
    E_INVALID_TIF,
    E_INVALID_TYPE,
    EV_ORDER,
    FILLED,
    FOK,
    GTC,
    IOC,
    LIMIT,
    MARKET,
    PARTIALLY_FILLED,
    QUOTE_ASSETS,
    SELL,
    Balance,
    Fill,
    Market,
    Order,
    SimSymbol,
    Simulation,
    Trade,
    decimal,
)

__all__ = [
    'BOTH',
    'CROSSED',
    'ISOLATED',
    'LONG',
    'SHORT',
    'BalanceRow',
    'FundingRate',
    'FuturesOrder',
    'FuturesSimulation',
    'FuturesSymbol',
    'FuturesUserEvents',
    'MarginBalance',
    'Position',
    'PremiumIndex',
]

BOTH, LONG, SHORT = 'BOTH', 'LONG', 'SHORT'
CROSSED, ISOLATED = 'CROSSED', 'ISOLATED'
GTX, GTD = 'GTX', 'GTD'
# Binance's conditional order types: since 2025-12-09 the algo service's, not order.place's (FUTURES-API.md §7).
CONDITIONAL_TYPES = ('STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET')

# Outbox event kinds the futures engine adds (see FuturesSimulation.USER_EVENTS).
EV_ACCOUNT, EV_CONFIG = 'account', 'config'

# ACCOUNT_UPDATE reasons ("m") the simulation produces.
ORDER_REASON, FUNDING_FEE, DEPOSIT, WITHDRAW = 'ORDER', 'FUNDING_FEE', 'DEPOSIT', 'WITHDRAW'

# ORDER_TRADE_UPDATE "er" (Binance USDⓈ-M "Event: Order Update", Expiry Reason).
ER_NONE, ER_IOC, ER_REDUCE_ONLY, ER_MARKET = '0', '2', '4', '9'

HOUR_MS = 3_600_000
FUNDING_INTERVAL_MS = 8 * HOUR_MS
# Binance funding: interest 0.03% a day, 0.01% per 8-hour interval; the premium is clamped around it by ±0.05%.
INTEREST_RATE = Decimal('0.0001')
PREMIUM_CLAMP = Decimal('0.0005')
DEFAULT_LEVERAGE = 20
MAX_LEVERAGE = 125
# One maintenance-margin rate for every notional (Binance's first BTCUSDT bracket); nothing is liquidated.
MAINT_RATE = Decimal('0.004')
# Per tick, the mark price moves this share of the way to the book's mid; its moving average ("ap") more slowly.
MARK_SMOOTHING = Decimal('0.2')
MARK_AVG_SMOOTHING = Decimal('0.05')
EIGHT = Decimal('0.00000001')
ZERO = Decimal(0)

# (code, msg): Binance USDⓈ-M error codes (error-code page, 2026).
E_MARGIN = (-2019, 'Margin is insufficient.')
E_REDUCE_ONLY = (-2022, 'ReduceOnly Order is rejected.')
E_INVALID_POSITION_SIDE = (-4060, 'Invalid position side.')
E_POSITION_SIDE = (-4061, "Order's position side does not match user's setting.")
E_ALGO = (-4120, 'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.')
E_FOK = (-5021, 'Due to the order could not be filled immediately, the FOK order has been rejected.')
E_GTX = (-5022, 'Due to the order could not be executed as maker, the Post Only order will be rejected.')
E_TICK = (-4014, 'Price not increased by tick size.')
E_STEP = (-4023, 'Qty not increased by step size.')
E_DUPLICATE_ID = (-4116, 'clientOrderId is duplicated.')
E_MARGIN_TYPE_SAME = (-4046, 'No need to change margin type.')
E_MARGIN_TYPE_ORDERS = (-4047, 'Margin type cannot be changed if there exists open orders.')
E_MARGIN_TYPE_POSITION = (-4048, 'Margin type cannot be changed if there exists position.')
E_DUAL_SAME = (-4059, 'No need to change position side.')
E_DUAL_ORDERS = (-4067, 'Position side cannot be changed if there exists open orders.')
E_DUAL_POSITION = (-4068, 'Position side cannot be changed if there exists position.')
E_NOT_SUPPORTED = (-1020, 'This operation is not supported.')
E_MARGIN_TYPE = (-1100, "Illegal characters found in parameter 'marginType'; legal range is 'ISOLATED, CROSSED'.")


def _q8(value: Decimal) -> Decimal:
    q = value.quantize(EIGHT)
    return q if q else ZERO  # no "0E-8" (nor -0) in what tests and wires read


def _client_order_id() -> str:
    # Binance generates 22 URL-safe characters when newClientOrderId is not sent.
    return secrets.token_urlsafe(16)[:22]


def _sign(n: int) -> int:
    return (n > 0) - (n < 0)


# Quote assets of futures pairs: COIN-M's are USD (BTCUSD); tried after the Spot ones, longest first.
PAIR_QUOTES = (*QUOTE_ASSETS, 'USD')


def _contract_size(value: Any) -> Decimal | None:
    if value is None:
        return None
    size = decimal(value, 'contract_size')
    if size <= 0:
        raise ValueError(f'FuturesSymbol.contract_size must be positive, got {size}')
    return size


def _split_pair(symbol: str) -> tuple[str, str]:
    pair = symbol.partition('_')[0]  # 'BTCUSD_PERP' and 'BTCUSDT_250926' are contracts of a pair
    for quote in PAIR_QUOTES:
        if pair.endswith(quote) and len(pair) > len(quote):
            return pair[: -len(quote)], quote
    raise ValueError(
        f'cannot tell the base and quote asset of {symbol!r}; pass FuturesSymbol(symbol=, base=, quote=, ...)'
    )


@attrs.frozen(kw_only=True)
class FuturesSymbol(SimSymbol):
    """A perpetual contract: a :class:`~binance_testing.matching.SimSymbol` and its contract terms, which say
    whether it is linear or inverse (the engine is the same for both; only these numbers differ).

    Linear (``contract_size`` ``None``, USDⓈ-M ``BTCUSDT``): the quantity is in the base asset, margin, PnL and
    notional are in the quote asset, and a fill of ``q`` at ``p`` is worth ``q x p``.
    Inverse (COIN-M ``BTCUSD_PERP``, ``contract_size=100``): the quantity is in contracts (``step_size`` 1), each
    worth ``contract_size`` of the quote asset (USD); margin, PnL and notional are in the base asset (BTC), and a
    fill of ``q`` contracts at ``p`` is worth ``q x contract_size / p``.

    Attributes:
        contract_size: quote units per contract (inverse), or ``None`` (linear).
    """

    contract_size: Decimal | None = attrs.field(default=None, converter=_contract_size)

    @classmethod
    def of(cls, symbol: str, **kwargs: Any) -> FuturesSymbol:
        """A row for *symbol* with its assets split off its pair (``'BTCUSD_PERP'`` -> BTC / USD) and *kwargs*
        as given (``contract_size=100`` makes it inverse)."""
        base, quote = _split_pair(symbol.upper())
        return cls(symbol=symbol, base=base, quote=quote, **kwargs)

    @classmethod
    def from_row(cls, rules: SimSymbol, **changes: Any) -> FuturesSymbol:
        """*rules* as a contract: a plain ``SimSymbol`` becomes a linear one; *changes* override its fields."""
        if isinstance(rules, FuturesSymbol) and not changes:
            return rules
        fields = {a.name: getattr(rules, a.name) for a in attrs.fields(type(rules))}
        return cls(**{**fields, **changes})

    @property
    def inverse(self) -> bool:
        return self.contract_size is not None

    @property
    def margin_asset(self) -> str:
        """The asset of its margin, PnL and notional: the base asset if inverse, else the quote asset."""
        return self.base if self.inverse else self.quote

    @property
    def pair(self) -> str:
        """The underlying pair: the symbol without its contract suffix (``BTCUSD_PERP`` -> ``BTCUSD``)."""
        return self.symbol.partition('_')[0]

    def notional(self, qty: Decimal, price: Decimal) -> Decimal:
        """What *qty* is worth at *price*, in the margin asset: ``qty x price`` (linear) or
        ``qty x contract_size / price`` (inverse: Binance COIN-M "notional value" in the base asset)."""
        if self.contract_size is None:
            return qty * price
        return qty * self.contract_size / price

    def pnl(self, qty: Decimal, entry: Decimal, exit: Decimal) -> Decimal:
        """The PnL of holding *qty* (negative: short) from *entry* to *exit*, in the margin asset:
        ``qty x (exit - entry)`` (linear) or ``qty x contract_size x (1/entry - 1/exit)`` (inverse)."""
        if self.contract_size is None:
            return qty * (exit - entry)
        return qty * self.contract_size * (1 / entry - 1 / exit)

    def average(self, qty: Decimal, value: Decimal) -> Decimal:
        """The average price of *qty* worth *value* (:meth:`notional` summed over fills): ``value / qty`` (linear)
        or ``qty x contract_size / value`` (inverse: the contract-weighted harmonic mean of the prices)."""
        if self.contract_size is None:
            return value / qty
        return qty * self.contract_size / value


def contract(m: Market) -> FuturesSymbol:
    """*m*'s contract terms (:class:`FuturesSimulation` makes every symbol a :class:`FuturesSymbol`)."""
    rules = m.rules
    assert isinstance(rules, FuturesSymbol), 'a futures market trades a FuturesSymbol'
    return rules


class FuturesOrder(Order):
    """A futures order: an :class:`~binance_testing.matching.Order` with what a position needs.

    Attributes:
        position_side: ``BOTH``, ``LONG`` or ``SHORT``.
        reduce_only: sent with ``reduceOnly=true`` (one-way mode).
        realized: realized PnL of its fills so far; last_realized: of its last fill.
        margin_lots: the lots still open that would open or grow a position (they hold initial margin).
        bid_notional / ask_notional: the account's open BUY / SELL notional on the symbol when last reported.
    """

    __slots__ = (
        'ask_notional',
        'bid_notional',
        'last_realized',
        'margin_lots',
        'position_side',
        'realized',
        'reduce_only',
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
        *,
        position_side: str,
        reduce_only: bool,
    ) -> None:
        super().__init__(market, account, order_id, client_id, side, type, tif, ticks, lots, now)
        self.position_side = position_side
        self.reduce_only = reduce_only
        self.realized = ZERO
        self.last_realized = ZERO
        self.margin_lots = 0
        self.bid_notional = ZERO
        self.ask_notional = ZERO

    @property
    def avg_price(self) -> Decimal:
        """The average fill price (``0`` before any fill); ``cum_quote`` is the fills' value in the margin asset
        (Binance ``cumQuote``, or ``cumBase`` for an inverse contract)."""
        return _q8(contract(self.market).average(self.executed_qty, self.cum_quote)) if self.filled else ZERO

    @property
    def remaining(self) -> int:
        return self.lots - self.filled


class Position(NamedTuple):
    """One position, valued at the mark price (Binance ``positionRisk`` fields, as ``Decimal``)."""

    symbol: str
    position_side: str
    amount: Decimal  # negative for a short
    entry_price: Decimal
    mark_price: Decimal
    unrealized_pnl: Decimal
    realized_pnl: Decimal  # accumulated, as ACCOUNT_UPDATE "cr"
    leverage: int
    margin_type: str  # CROSSED or ISOLATED
    isolated_wallet: Decimal
    notional: Decimal  # at the mark price, in the margin asset (FuturesSymbol.notional; negative for a short)
    initial_margin: Decimal
    maint_margin: Decimal
    open_order_margin: Decimal
    bid_notional: Decimal
    ask_notional: Decimal
    margin_asset: str
    update_time: int

    @property
    def isolated_margin(self) -> Decimal:
        """Isolated positions: their wallet plus unrealized PnL; cross positions: 0."""
        return self.isolated_wallet + self.unrealized_pnl if self.margin_type == ISOLATED else ZERO


class MarginBalance(NamedTuple):
    """One margin asset of an account (Binance ``account.status`` ``assets`` fields, as ``Decimal``)."""

    asset: str
    wallet_balance: Decimal
    unrealized_pnl: Decimal
    margin_balance: Decimal  # wallet + unrealized
    cross_wallet_balance: Decimal  # wallet - isolated wallets
    cross_unrealized_pnl: Decimal
    position_initial_margin: Decimal
    open_order_initial_margin: Decimal
    maint_margin: Decimal
    available_balance: Decimal
    max_withdraw_amount: Decimal
    update_time: int


class BalanceRow(NamedTuple):
    """One ``B`` entry of ``ACCOUNT_UPDATE``: ``balance_change`` excludes PnL and commission (Binance "bc")."""

    asset: str
    wallet_balance: Decimal
    cross_wallet_balance: Decimal
    balance_change: Decimal


class PremiumIndex(NamedTuple):
    """``/fapi/v1/premiumIndex`` and the ``markPrice`` stream, as ``Decimal``."""

    symbol: str
    mark_price: Decimal
    mark_price_avg: Decimal
    index_price: Decimal
    funding_rate: Decimal
    interest_rate: Decimal
    next_funding_time: int
    time: int


class FundingRate(NamedTuple):
    """One funding payment (``/fapi/v1/fundingRate`` rows)."""

    symbol: str
    funding_rate: Decimal
    funding_time: int
    mark_price: Decimal


class FuturesUserEvents(Protocol):
    """The user-data events of :class:`FuturesSimulation`, as its ``USER_EVENTS`` names them (USDⓈ-M and COIN-M
    render them as ``ORDER_TRADE_UPDATE``, ``ACCOUNT_UPDATE`` and ``ACCOUNT_CONFIG_UPDATE``). A futures wire also
    sets ``engine = FuturesSimulation``. *alias* is the account's alias (:meth:`FuturesSimulation.account_alias`;
    COIN-M events carry it as ``i``)."""

    def order_trade_update(
        self, order: FuturesOrder, execution: str, fill: Fill | None, execution_id: int, now: int, alias: str
    ) -> Any:
        """An order changed: ``NEW``, ``TRADE``, ``CANCELED`` or ``EXPIRED`` (*order* is a copy taken then)."""
        ...

    def account_update(
        self,
        reason: str,
        balances: Sequence[BalanceRow],
        positions: Sequence[Position],
        now: int,
        symbol: str | None,
        alias: str,
    ) -> Any:
        """Balances and positions changed for *reason* (``ORDER``, ``FUNDING_FEE``, ``DEPOSIT``, ``WITHDRAW``);
        *symbol* is the funding fee's."""
        ...

    def account_config_update(self, symbol: str, leverage: int, now: int) -> Any:
        """*symbol*'s leverage changed."""
        ...


class _Holding:
    """The state of one position: signed lots and the average entry price."""

    __slots__ = ('entry', 'isolated_wallet', 'lots', 'market', 'realized', 'side', 'update_time')

    def __init__(self, market: Market, side: str) -> None:
        self.market = market
        self.side = side
        self.lots = 0  # signed: negative is short
        self.entry = ZERO
        self.realized = ZERO
        self.isolated_wallet = ZERO
        self.update_time = 0

    @property
    def amount(self) -> Decimal:
        return self.lots * self.market.step_size

    def apply(self, lots: int, price: Decimal) -> tuple[Decimal, int, int]:
        """Trade *lots* (signed) at *price*: returns ``(realized PnL, lots closed, lots opened)``. A growing
        position's entry is the average of its fills (harmonic for an inverse contract)."""
        old = self.lots
        step = self.market.step_size
        terms = contract(self.market)
        if not old or _sign(old) == _sign(lots):
            held, added = abs(old) * step, abs(lots) * step
            value = (terms.notional(held, self.entry) if old else ZERO) + terms.notional(added, price)
            self.entry = _q8(terms.average(held + added, value))
            self.lots = old + lots
            return ZERO, 0, abs(lots)
        closed = min(abs(old), abs(lots))
        realized = _q8(terms.pnl(closed * step * _sign(old), self.entry, price))
        self.realized += realized
        self.lots = old + lots
        opened = abs(lots) - closed
        if not self.lots:
            self.entry = ZERO
        elif opened:
            self.entry = price  # flipped: what is left was opened at this price
        return realized, closed, opened


class _MarginAccount:
    __slots__ = ('dual', 'holdings', 'leverage', 'margin_type', 'update_time', 'wallet')

    def __init__(self, now: int) -> None:
        self.wallet: dict[str, Decimal] = {}
        self.leverage: dict[str, int] = {}
        self.margin_type: dict[str, str] = {}
        self.dual = False
        self.holdings: dict[tuple[str, str], _Holding] = {}
        self.update_time = now


class _Funding:
    __slots__ = ('history', 'index', 'mark', 'mark_avg', 'next_time', 'rate')

    def __init__(self, price: Decimal, next_time: int) -> None:
        self.index = price
        self.mark = price
        self.mark_avg = price
        self.rate = INTEREST_RATE
        self.next_time = next_time
        self.history: list[FundingRate] = []


class FuturesSimulation(Simulation):
    """A futures engine: :class:`~binance_testing.matching.Simulation`'s markets and matching, with margin
    accounts, positions, leverage, the mark price and funding (see the module docstring for what is simulated).

    Args:
        symbols / seed / clock / now: as for :class:`~binance_testing.matching.Simulation`; each symbol is a
            perpetual contract: a :class:`FuturesSymbol` (linear or inverse), a plain ``SimSymbol`` being linear
            (margined in its quote asset).
        funding_interval_ms: time between funding payments (Binance: 8 h; 4 h or 1 h on some symbols).

    Attributes:
        default_leverage / max_leverage: a symbol's starting leverage and the most ``set_leverage`` accepts.
        interest_rate: the funding formula's interest rate per interval.
        maint_rate: the maintenance-margin rate of every position.
        margin_accounts: API key -> margin state (wallets, leverage, positions).
    """

    USER_EVENTS: ClassVar[Mapping[str, str]] = {
        EV_ORDER: 'order_trade_update',
        EV_ACCOUNT: 'account_update',
        EV_CONFIG: 'account_config_update',
    }

    def __init__(
        self,
        symbols: Iterable[SimSymbol],
        *,
        seed: Any = 0,
        clock: Callable[[], int],
        now: int,
        funding_interval_ms: int = FUNDING_INTERVAL_MS,
    ) -> None:
        super().__init__([FuturesSymbol.from_row(rules) for rules in symbols], seed=seed, clock=clock, now=now)
        if funding_interval_ms <= 0:
            raise ValueError('funding_interval_ms must be positive')
        self.funding_interval_ms = funding_interval_ms
        self.default_leverage = DEFAULT_LEVERAGE
        self.max_leverage = MAX_LEVERAGE
        self.interest_rate = INTEREST_RATE
        self.maint_rate = MAINT_RATE
        self.margin_accounts: dict[str, _MarginAccount] = {}
        self._funding = {s: _Funding(m.rules.price, self._next_funding(now)) for s, m in self.markets.items()}
        # Accounts an operation changed: key -> (margin assets, (symbol, position side) of holdings).
        self._changed: dict[str, tuple[set[str], set[tuple[str, str]]]] = {}
        self._all_client_ids: set[tuple[str, str, str]] = set()
        # Realized PnL of each account fill: (order id, trade id) -> PnL (Binance userTrades "realizedPnl").
        self.fill_pnl: dict[tuple[int, int], Decimal] = {}

    # -- accounts and their settings ---------------------------------------------------------------------

    def margin_account(self, key: str) -> _MarginAccount:
        self.account(key)  # the order book keeping (orders, trades) lives in the cash-engine account
        macct = self.margin_accounts.get(key)
        if macct is None:
            macct = self.margin_accounts[key] = _MarginAccount(self.clock())
        return macct

    def account_alias(self, key: str) -> str:
        """*key*'s account alias (Binance ``accountAlias``; COIN-M events carry it as ``i``)."""
        return f'Sim{self.account(key).uid % 10_000:04d}'

    def leverage(self, key: str, symbol: str) -> int:
        m = self.market(symbol)
        macct = self.margin_accounts.get(key)
        return macct.leverage.get(m.symbol, self.default_leverage) if macct else self.default_leverage

    def margin_type(self, key: str, symbol: str) -> str:
        m = self.market(symbol)
        macct = self.margin_accounts.get(key)
        return macct.margin_type.get(m.symbol, CROSSED) if macct else CROSSED

    def hedge_mode(self, key: str) -> bool:
        """Whether *key* holds LONG and SHORT positions (Binance ``dualSidePosition``)."""
        macct = self.margin_accounts.get(key)
        return macct.dual if macct else False

    def set_leverage(self, key: str, symbol: str, leverage: Any) -> int:
        """Binance ``POST /fapi/v1/leverage``: 1 to :attr:`max_leverage`; queues ``ACCOUNT_CONFIG_UPDATE``."""
        m = self.market(symbol)
        if isinstance(leverage, bool) or not isinstance(leverage, int) or not 1 <= leverage <= self.max_leverage:
            raise BinanceError(-4028, f'Leverage {leverage} is not valid')
        macct = self.margin_account(key)
        macct.leverage[m.symbol] = leverage
        now = self.clock()
        self.outbox.append((EV_CONFIG, key, m.symbol, leverage, now))
        return leverage

    def set_margin_type(self, key: str, symbol: str, margin_type: str) -> None:
        """Binance ``POST /fapi/v1/marginType``: not with an open order or position on the symbol."""
        m = self.market(symbol)
        if margin_type not in (CROSSED, ISOLATED):
            raise BinanceError(*E_MARGIN_TYPE)
        macct = self.margin_account(key)
        if macct.margin_type.get(m.symbol, CROSSED) == margin_type:
            raise BinanceError(*E_MARGIN_TYPE_SAME)
        if self.open_orders(key, m.symbol):
            raise BinanceError(*E_MARGIN_TYPE_ORDERS)
        if any(h.lots for (s, _), h in macct.holdings.items() if s == m.symbol):
            raise BinanceError(*E_MARGIN_TYPE_POSITION)
        macct.margin_type[m.symbol] = margin_type

    def set_position_mode(self, key: str, dual: bool) -> None:
        """Binance ``POST /fapi/v1/positionSide/dual``: for every symbol, never with an open order or position."""
        macct = self.margin_account(key)
        if macct.dual == dual:
            raise BinanceError(*E_DUAL_SAME)
        if self.open_orders(key):
            raise BinanceError(*E_DUAL_ORDERS)
        if any(h.lots for h in macct.holdings.values()):
            raise BinanceError(*E_DUAL_POSITION)
        macct.dual = dual

    # -- mark price and funding ------------------------------------------------------------------------------

    def _next_funding(self, now: int) -> int:
        interval = self.funding_interval_ms
        return now - now % interval + interval

    def set_funding_interval(self, ms: int) -> None:
        """Pay funding every *ms* from now on (on multiples of *ms* since the epoch, as Binance's 8 h)."""
        if ms <= 0:
            raise ValueError('the funding interval must be positive')
        self.funding_interval_ms = ms
        now = self.clock()
        for f in self._funding.values():
            f.next_time = self._next_funding(now)

    def _rate(self, f: _Funding) -> Decimal:
        premium = (f.mark - f.index) / f.index
        adjust = min(max(self.interest_rate - premium, -PREMIUM_CLAMP), PREMIUM_CLAMP)
        return _q8(premium + adjust)

    def _mid(self, m: Market) -> Decimal:
        bid, ask = m.best_bid(), m.best_ask()
        if bid and ask:
            return (bid[0] + ask[0]) * m.tick_size / 2
        return m.mid * m.tick_size

    def mark_price(self, symbol: str) -> Decimal:
        return self._funding[self.market(symbol).symbol].mark

    def set_mark_price(self, symbol: str, price: Any) -> None:
        """Pin *symbol*'s mark price (and its average) to *price* until the market moves it again."""
        m = self.market(symbol)
        p = decimal(price, 'price')
        if p <= 0:
            raise ValueError('the mark price must be positive')
        f = self._funding[m.symbol]
        f.mark = f.mark_avg = p
        f.rate = self._rate(f)

    def premium_index(self, symbol: str) -> PremiumIndex:
        m = self.market(symbol)
        f = self._funding[m.symbol]
        return PremiumIndex(
            m.symbol, f.mark, f.mark_avg, f.index, f.rate, self.interest_rate, f.next_time, self.clock()
        )

    def funding_history(self, symbol: str | None = None) -> list[FundingRate]:
        """Funding payments so far, oldest first."""
        rows = [r for s, f in sorted(self._funding.items()) for r in f.history if symbol is None or s == symbol]
        return sorted(rows, key=lambda r: (r.funding_time, r.symbol))

    def _follow(self, m: Market, now: int, snap: bool = False) -> None:
        """Move *m*'s mark price towards its mid price (all the way with *snap*); pay funding when it is due."""
        f = self._funding[m.symbol]
        f.index = m.mid * m.tick_size
        mid = self._mid(m)
        if snap:
            f.mark = f.mark_avg = _q8(mid)
        else:
            f.mark = _q8(f.mark + (mid - f.mark) * MARK_SMOOTHING)
            f.mark_avg = _q8(f.mark_avg + (f.mark - f.mark_avg) * MARK_AVG_SMOOTHING)
        f.rate = self._rate(f)
        if now >= f.next_time:
            self._settle(m, now, f.next_time)

    def settle_funding(self, symbol: str | None = None) -> None:
        """Pay funding now on *symbol* (every symbol if ``None``) at the current rate and mark price."""
        now = self.clock()
        markets = [self.market(symbol)] if symbol is not None else [self.markets[s] for s in sorted(self.markets)]
        for m in markets:
            self._settle(m, now, now)

    def _settle(self, m: Market, now: int, funding_time: int) -> None:
        """Binance funding: each position pays its notional at the mark price times the rate, in its margin asset
        (linear ``amount x mark x rate``; inverse ``contracts x contract size / mark x rate``); longs pay a
        positive rate to shorts. Cross positions move the wallet, isolated ones their own wallet too."""
        f = self._funding[m.symbol]
        terms = contract(m)
        asset = terms.margin_asset
        for key in sorted(self.margin_accounts):
            macct = self.margin_accounts[key]
            for side in (BOTH, LONG, SHORT):
                h = macct.holdings.get((m.symbol, side))
                if h is None or not h.lots:
                    continue
                fee = -_q8(terms.notional(h.amount, f.mark) * f.rate)
                macct.wallet[asset] = macct.wallet.get(asset, ZERO) + fee
                isolated = macct.margin_type.get(m.symbol, CROSSED) == ISOLATED
                if isolated:
                    h.isolated_wallet += fee
                macct.update_time = h.update_time = now
                positions = (self._position(key, macct, m, side),) if isolated else ()
                balances = (self._balance_row(key, macct, asset, fee),)
                event = (EV_ACCOUNT, key, FUNDING_FEE, balances, positions, now, m.symbol, self.account_alias(key))
                self.outbox.append(event)
        f.history.append(FundingRate(m.symbol, f.rate, funding_time, f.mark))
        f.next_time = self._next_funding(now)

    # -- reading accounts ----------------------------------------------------------------------------------

    def _holding(self, macct: _MarginAccount, m: Market, side: str) -> _Holding:
        h = macct.holdings.get((m.symbol, side))
        if h is None:
            h = macct.holdings[(m.symbol, side)] = _Holding(m, side)
        return h

    def _open_futures_orders(self, key: str, m: Market | None = None) -> list[FuturesOrder]:
        acct = self.accounts.get(key)
        if acct is None:
            return []
        return [
            o
            for o in acct.orders.values()
            if isinstance(o, FuturesOrder) and o.is_open and (m is None or o.market is m)
        ]

    def _order_margin(self, key: str, orders: Iterable[FuturesOrder]) -> Decimal:
        total = ZERO
        for o in orders:
            lots = min(o.margin_lots, o.remaining)
            if lots and o.ticks is not None:
                m = o.market
                total += contract(m).notional(lots * m.step_size, o.price) / self.leverage(key, o.symbol)
        return _q8(total)

    @staticmethod
    def _notional(orders: Iterable[FuturesOrder]) -> tuple[Decimal, Decimal]:
        bids = asks = ZERO
        for o in orders:
            if o.ticks is None:
                continue
            value = contract(o.market).notional(o.remaining * o.market.step_size, o.price)
            if o.side == BUY:
                bids += value
            else:
                asks += value
        return bids, asks

    def _position(self, key: str, macct: _MarginAccount, m: Market, side: str) -> Position:
        h = macct.holdings.get((m.symbol, side))
        f = self._funding[m.symbol]
        leverage = macct.leverage.get(m.symbol, self.default_leverage)
        margin_type = macct.margin_type.get(m.symbol, CROSSED)
        terms = contract(m)
        amount = (h.lots if h is not None else 0) * m.step_size  # in the step's precision, as Binance prints it
        entry = h.entry if h is not None and h.lots else ZERO
        unrealized = _q8(terms.pnl(amount, entry, f.mark)) if amount else ZERO
        notional = _q8(terms.notional(amount, f.mark))
        orders = [o for o in self._open_futures_orders(key, m) if o.position_side == side]
        bids, asks = self._notional(orders)
        return Position(
            symbol=m.symbol,
            position_side=side,
            amount=amount,
            entry_price=entry,
            mark_price=f.mark,
            unrealized_pnl=unrealized,
            realized_pnl=h.realized if h is not None else ZERO,
            leverage=leverage,
            margin_type=margin_type,
            isolated_wallet=h.isolated_wallet if h is not None and margin_type == ISOLATED else ZERO,
            notional=notional,
            initial_margin=_q8(abs(notional) / leverage),
            maint_margin=_q8(abs(notional) * self.maint_rate),
            open_order_margin=self._order_margin(key, orders),
            bid_notional=_q8(bids),
            ask_notional=_q8(asks),
            margin_asset=terms.margin_asset,
            update_time=h.update_time if h is not None else 0,
        )

    def positions(self, key: str, symbol: str | None = None, *, include_flat: bool = False) -> list[Position]:
        """*key*'s positions, valued at the mark price, by symbol; with *include_flat* also empty ones (one row
        per symbol in one-way mode, ``LONG`` and ``SHORT`` rows in hedge mode)."""
        macct = self.margin_accounts.get(key)
        markets = [self.market(symbol)] if symbol is not None else [self.markets[s] for s in sorted(self.markets)]
        if macct is None:
            macct = _MarginAccount(self.clock())  # a stranger: flat everywhere, default settings
        sides = (LONG, SHORT) if macct.dual else (BOTH,)
        out = []
        for m in markets:
            for side in sides:
                h = macct.holdings.get((m.symbol, side))
                if include_flat or (h is not None and h.lots):
                    out.append(self._position(key, macct, m, side))
        return out

    def margin_assets(self, key: str) -> list[str]:
        """The assets *key*'s account shows: its wallets and every symbol's margin asset."""
        macct = self.margin_accounts.get(key)
        held = set(macct.wallet) if macct is not None else set()
        return sorted(held | {contract(m).margin_asset for m in self.markets.values()})

    def margin(self, key: str, asset: str = 'USDT') -> MarginBalance:
        """*key*'s balance of margin asset *asset*, every figure of Binance's ``account.status`` asset row."""
        macct = self.margin_accounts.get(key) or _MarginAccount(0)
        wallet = macct.wallet.get(asset, ZERO)
        unrealized = cross_unrealized = isolated = position_margin = cross_margin = maint = ZERO
        for (symbol, side), h in macct.holdings.items():
            m = self.markets[symbol]
            if contract(m).margin_asset != asset or not h.lots:
                continue
            p = self._position(key, macct, m, side)
            unrealized += p.unrealized_pnl
            position_margin += p.initial_margin
            maint += p.maint_margin
            if p.margin_type == ISOLATED:
                isolated += p.isolated_wallet
            else:
                cross_unrealized += p.unrealized_pnl
                cross_margin += p.initial_margin
        orders = [o for o in self._open_futures_orders(key) if contract(o.market).margin_asset == asset]
        order_margin = self._order_margin(key, orders)
        cross_wallet = wallet - isolated
        available = cross_wallet + cross_unrealized - cross_margin - order_margin
        return MarginBalance(
            asset=asset,
            wallet_balance=wallet,
            unrealized_pnl=unrealized,
            margin_balance=wallet + unrealized,
            cross_wallet_balance=cross_wallet,
            cross_unrealized_pnl=cross_unrealized,
            position_initial_margin=position_margin,
            open_order_initial_margin=order_margin,
            maint_margin=maint,
            available_balance=available,
            max_withdraw_amount=max(ZERO, min(available, cross_wallet)),
            update_time=macct.update_time,
        )

    def balances(self, key: str) -> dict[str, Balance]:
        """``{asset: Balance(free, locked)}``: free is the available balance, locked the rest of the margin
        balance (wallet + unrealized PnL)."""
        macct = self.margin_accounts.get(key)
        if macct is None:
            return {}
        out = {}
        for asset in sorted(macct.wallet):
            b = self.margin(key, asset)
            out[asset] = Balance(b.available_balance, b.margin_balance - b.available_balance)
        return out

    def _balance_row(self, key: str, macct: _MarginAccount, asset: str, change: Decimal = ZERO) -> BalanceRow:
        isolated = sum(
            (h.isolated_wallet for (s, _), h in macct.holdings.items() if contract(h.market).margin_asset == asset),
            ZERO,
        )
        wallet = macct.wallet.get(asset, ZERO)
        return BalanceRow(asset, wallet, wallet - isolated, change)

    # -- operations --------------------------------------------------------------------------------------------

    def _ticks(self, m: Market, price: Any) -> int:
        p = decimal(price, 'price')
        n, rest = divmod(p, m.tick_size)
        if rest or p <= 0:
            raise BinanceError(*E_TICK)
        return int(n)

    def _lots(self, m: Market, qty: Any) -> int:
        q = decimal(qty, 'quantity')
        n, rest = divmod(q, m.step_size)
        if rest or q <= 0:
            raise BinanceError(*E_STEP)
        return int(n)

    @staticmethod
    def _closes(order: FuturesOrder, dual: bool) -> bool:
        """Whether *order* may only reduce its position: reduceOnly in one-way mode, SELL LONG / BUY SHORT in
        hedge mode."""
        if not dual:
            return order.reduce_only
        return (order.position_side == LONG) == (order.side == SELL)

    def _closing_capacity(self, key: str, macct: _MarginAccount, h: _Holding) -> int:
        """Lots a new closing order may still take: the position less the closing orders already open on it."""
        pending = sum(
            o.remaining
            for o in self._open_futures_orders(key, h.market)
            if o.position_side == h.side and self._closes(o, macct.dual)
        )
        return abs(h.lots) - pending

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
        position_side: str | None = None,
        reduce_only: bool = False,
    ) -> tuple[FuturesOrder, list[Fill]]:
        """Binance futures ``order.place`` for ``LIMIT`` (``GTC``, ``IOC``, ``FOK``, ``GTX``) and ``MARKET``.

        The position side must match the account's mode (``BOTH`` one-way; ``LONG``/``SHORT`` hedge, where
        ``reduceOnly`` is not accepted). A reduce-only (or hedge closing) order must not open or grow a
        position, nor close more than the position less the closing orders already open (-2022). The
        part that would open a position needs its initial margin available (-2019). ``FOK`` that cannot fill at
        once (-5021) and ``GTX`` that would take (-5022) are rejected, as Binance does. Returns the order and
        its fills as taker.
        """
        m = self.market(symbol)
        if side not in (BUY, SELL):
            raise BinanceError(*E_INVALID_SIDE)
        if type in CONDITIONAL_TYPES:
            raise BinanceError(*E_ALGO)
        if type not in (LIMIT, MARKET):
            raise BinanceError(*E_INVALID_TYPE)
        if type == LIMIT and tif not in (GTC, IOC, FOK, GTX):
            raise BinanceError(*(E_NOT_SUPPORTED if tif == GTD else E_INVALID_TIF))
        if quote_qty is not None:
            raise BinanceError(*E_NOT_SUPPORTED)
        tif_: str = tif if type == LIMIT and tif is not None else GTC
        macct = self.margin_account(key)
        acct = self.account(key)
        ps = position_side or BOTH
        if ps not in (BOTH, LONG, SHORT):
            raise BinanceError(*E_INVALID_POSITION_SIDE)
        if (ps == BOTH) == macct.dual:
            raise BinanceError(*E_POSITION_SIDE)
        if macct.dual and reduce_only:
            raise BinanceError(-1106, "Parameter 'reduceOnly' sent when not required.")
        client_id = client_id or _client_order_id()
        if (key, m.symbol, client_id) in self._all_client_ids:
            raise BinanceError(*E_DUPLICATE_ID)
        ticks = self._ticks(m, price) if type == LIMIT else None
        lots = self._lots(m, qty)
        now = self.clock()
        order = FuturesOrder(
            m,
            key,
            next(self.order_ids),
            client_id,
            side,
            type,
            tif_,
            ticks,
            lots,
            now,
            position_side=ps,
            reduce_only=reduce_only,
        )
        order.stp = stp
        h = self._holding(macct, m, ps)
        signed = lots if side == BUY else -lots
        if self._closes(order, macct.dual):
            # Never opens: the side must face the position, and fit within it (less other closing orders).
            if not h.lots or _sign(h.lots) == _sign(signed) or lots > self._closing_capacity(key, macct, h):
                raise BinanceError(*E_REDUCE_ONLY)
            order.margin_lots = 0
        elif macct.dual or not h.lots or _sign(h.lots) == _sign(signed):
            order.margin_lots = lots
        else:
            order.margin_lots = max(0, lots - abs(h.lots))  # one-way: what is left after closing opens the other way
        # Binance: GTX that would take, FOK that cannot fill at once: rejected, not recorded.
        other = (m.asks if side == BUY else m.bids).best()
        crosses = other is not None and ticks is not None and (ticks >= other if side == BUY else ticks <= other)
        if tif_ == GTX and crosses:
            raise BinanceError(*E_GTX)
        if tif_ == FOK and m.preview(side, ticks, lots, None)[0] < lots:
            raise BinanceError(*E_FOK)
        if order.margin_lots:
            terms = contract(m)
            if ticks is not None:
                cost = terms.notional(order.margin_lots * m.step_size, order.price)
            else:
                got, spent = m.preview(side, None, lots, None)
                average = spent / (got * m.step_size) if got else self._funding[m.symbol].mark
                cost = terms.notional(order.margin_lots * m.step_size, average)
            required = cost / macct.leverage.get(m.symbol, self.default_leverage)
            if required > self.margin(key, terms.margin_asset).available_balance:
                raise BinanceError(*E_MARGIN)

        acct.orders[order.id] = order
        acct.by_client_id[(m.symbol, client_id)] = order
        self._all_client_ids.add((key, m.symbol, client_id))
        self._report(order, 'NEW', None, now)
        fills: list[Fill] = []
        if tif_ != GTX:
            fills = m.take(order, side, ticks, lots, now)[1]
        if order.is_open:
            if type == MARKET:
                self._expire(order, ER_MARKET, now)
            elif tif_ == IOC:
                self._expire(order, ER_IOC, now)
            else:
                m.rest(order, now)
        self.end_op(now)
        return order, fills

    def fill(self, order: Order, price: int, lots: int, trade: Trade, maker: bool, now: int) -> Fill:
        """Book one execution of a futures *order*: the position moves, realized PnL reaches the wallet."""
        assert isinstance(order, FuturesOrder)
        m = order.market
        key = order.account
        macct = self.margin_account(key)
        h = self._holding(macct, m, order.position_side)
        old = h.lots
        px = price * m.tick_size
        realized, closed, opened = h.apply(lots if order.side == BUY else -lots, px)
        terms = contract(m)
        asset = terms.margin_asset
        if macct.margin_type.get(m.symbol, CROSSED) == ISOLATED:
            # The isolated wallet gives back its share of what closed and takes the initial margin of what opened.
            leverage = macct.leverage.get(m.symbol, self.default_leverage)
            if closed:
                share = h.isolated_wallet if not h.lots or opened else _q8(h.isolated_wallet * closed / abs(old))
                h.isolated_wallet -= share
            if opened:
                h.isolated_wallet += _q8(terms.notional(opened * m.step_size, px) / leverage)
        macct.wallet[asset] = macct.wallet.get(asset, ZERO) + realized
        h.update_time = macct.update_time = now
        order.filled += lots
        order.cum_quote += trade.quote_qty  # the fill's value in the margin asset (FuturesSymbol.notional)
        order.realized += realized
        order.last_realized = realized
        order.update_time = now
        order.margin_lots = min(order.margin_lots, order.remaining)
        # The simulation charges no commission; Binance reports it in the margin asset.
        fill = Fill(trade.id, trade.price, trade.qty, trade.quote_qty, maker, ZERO, asset, now)
        self.accounts[key].trades.append((order, fill))
        self.fill_pnl[(order.id, trade.id)] = realized
        if order.filled == order.lots:
            self._close(order, FILLED, now)
        else:
            order.status = PARTIALLY_FILLED
        assets, holdings = self._changed.setdefault(key, (set(), set()))
        assets.add(asset)
        holdings.add((m.symbol, order.position_side))
        self._report(order, 'TRADE', fill, now)
        return fill

    def _report(self, order: Order, execution: str, fill: Fill | None, now: int) -> int:
        """Queue ``ORDER_TRADE_UPDATE``: the order as it is now, with the account's open notional and alias."""
        if isinstance(order, FuturesOrder):
            order.bid_notional, order.ask_notional = (
                _q8(v) for v in self._notional(self._open_futures_orders(order.account, order.market))
            )
        eid = next(self.execution_ids)
        alias = self.account_alias(order.account)
        self.outbox.append((EV_ORDER, order.account, copy.copy(order), execution, fill, eid, now, alias))
        return eid

    def _cancel(self, order: Order, new_client_id: str | None, now: int) -> None:
        # Unlike Spot, a futures cancel keeps the order's clientOrderId.
        if order.working:
            order.market.unrest(order)
        self._close(order, CANCELED, now)
        self._report(order, 'CANCELED', None, now)

    def cancel_all(self, key: str | None, symbol: str) -> list[Order]:
        """Binance ``DELETE /fapi/v1/allOpenOrders``: done even when nothing is open."""
        orders = self.open_orders(key, symbol)
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
        """Order modification is not simulated on futures."""
        raise BinanceError(*E_NOT_SUPPORTED)

    def fund(self, key: str, asset: str, amount: Any) -> Balance:
        """Deposit *amount* of margin asset *asset* (negative: withdraw); queues ``ACCOUNT_UPDATE`` with reason
        ``DEPOSIT`` (or ``WITHDRAW``). Returns the balance as :meth:`balances` shows it."""
        delta = decimal(amount, 'amount')
        macct = self.margin_account(key)
        wallet = macct.wallet.get(asset, ZERO)
        free = self.margin(key, asset).max_withdraw_amount
        if delta < 0 and free + delta < 0:
            raise ValueError(f'cannot withdraw {-delta} {asset}: only {free} can be withdrawn')
        now = self.clock()
        macct.wallet[asset] = wallet + delta
        macct.update_time = now
        reason = DEPOSIT if delta >= 0 else WITHDRAW
        balances = (self._balance_row(key, macct, asset, delta),)
        self.outbox.append((EV_ACCOUNT, key, reason, balances, (), now, None, self.account_alias(key)))
        return self.balances(key)[asset]

    def end_op(self, now: int) -> None:
        """Expire closing orders the operation's fills left without a position to close (Binance expiry reason 4),
        then queue one ``ACCOUNT_UPDATE`` (reason ``ORDER``) per account whose fills moved a position."""
        changed, self._changed = self._changed, {}
        for key in sorted(changed):
            assets, holdings = changed[key]
            macct = self.margin_accounts[key]
            for symbol, side in sorted(holdings):
                h = macct.holdings[(symbol, side)]
                closing = sorted(
                    (
                        o
                        for o in self._open_futures_orders(key, h.market)
                        if o.position_side == side and self._closes(o, macct.dual)
                    ),
                    key=lambda o: o.id,
                )
                room = abs(h.lots)
                for o in closing:
                    signed = o.remaining if o.side == BUY else -o.remaining
                    if h.lots and _sign(h.lots) != _sign(signed) and o.remaining <= room:
                        room -= o.remaining
                        continue
                    if o.working:
                        o.market.unrest(o)
                    self._expire(o, ER_REDUCE_ONLY, now)
            balances = tuple(self._balance_row(key, macct, a) for a in sorted(assets))
            positions = tuple(self._position(key, macct, self.markets[s], side) for s, side in sorted(holdings))
            self.outbox.append((EV_ACCOUNT, key, ORDER_REASON, balances, positions, now, None, self.account_alias(key)))

    def evolve(self) -> None:
        """One tick of every market, then the mark prices follow and funding is paid when due."""
        super().evolve()
        now = self.clock()
        for symbol in sorted(self.markets):
            self._follow(self.markets[symbol], now)

    def set_price(self, symbol: str, price: Any) -> None:
        """As on Spot; the mark price jumps to the new price at once (no smoothing)."""
        m = self.market(symbol)
        try:
            ticks = m.ticks(price)
        except BinanceError:
            raise ValueError(f'price {price} is not a positive multiple of the tick size {m.tick_size}') from None
        now = self.clock()
        m.move_to(ticks, now)
        self._follow(m, now, snap=True)
        self.end_op(now)
