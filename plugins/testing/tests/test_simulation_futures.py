"""The simulated exchange's futures engine without any server or futures plugin: positions that open, grow, shrink,
close and flip in one-way mode, LONG and SHORT positions in hedge mode, leverage and initial margin, PnL at the mark
price, reduce-only refusals, isolated margin and funding; the same on inverse (COIN-M) contracts, whose entry is
the harmonic mean of the fills and whose margin, PnL and funding are in the base asset; and the exchange building
the engine a wire names."""

from __future__ import annotations

import asyncio
from decimal import Decimal as D
from typing import Any

import pytest

from binance_core import Hosts, MarketSpec, hookimpl
from binance_testing import BinanceError, FuturesSimulation, Position, SimSymbol, SimulatedExchange
from binance_testing.futures import BalanceRow, FuturesSymbol
from binance_testing.plugins import make_plugin_manager

T0 = 1_767_225_600_000  # 2026-01-01 00:00 UTC: a funding time (a multiple of 8 h), fixed so every run is the same
SYMBOL = 'BTCUSDT'
PRICE = D('100.00')


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> int:
        return self.now


def make(clock: Clock | None = None, **rules: Any) -> FuturesSimulation:
    rules = {'price': PRICE, 'level_qty': '100', **rules}
    return FuturesSimulation([SimSymbol.of(SYMBOL, **rules)], seed=1, clock=clock or Clock(), now=T0)


def funded(clock: Clock | None = None, **rules: Any) -> FuturesSimulation:
    sim = make(clock, **rules)
    for key in ('a', 'b', 'mm'):
        sim.fund(key, 'USDT', '100000')
    sim.outbox.clear()
    return sim


def trade_at(sim: FuturesSimulation, key: str, side: str, qty: Any, price: Any, symbol: str = SYMBOL, **kw: Any) -> Any:
    """*key* trades *qty* at exactly *price* with a MARKET order: the market moves there (the level at the
    reference price is empty), and the market maker 'mm' quotes the other side at that price."""
    sim.set_price(symbol, price)
    other = 'SELL' if side == 'BUY' else 'BUY'
    sim.place('mm', symbol, other, 'LIMIT', tif='GTC', price=D(price), qty=D(qty), **mm_side(sim, other))
    order, fills = sim.place(key, symbol, side, 'MARKET', qty=D(qty), **kw)
    assert order.status == 'FILLED' and {f.price for f in fills} == {D(price)}
    return order


def mm_side(sim: FuturesSimulation, side: str) -> dict[str, Any]:
    return {'position_side': 'LONG' if side == 'BUY' else 'SHORT'} if sim.hedge_mode('mm') else {}


def position(sim: FuturesSimulation, key: str = 'a', side: str = 'BOTH', symbol: str = SYMBOL) -> Position:
    (p,) = [p for p in sim.positions(key, symbol, include_flat=True) if p.position_side == side]
    return p


def user_events(sim: FuturesSimulation, key: str = 'a') -> list[Any]:
    """The user-data events queued for *key*: (execution, status, realized) for orders, (reason, ...) for
    account updates, ('config', leverage)."""
    out: list[Any] = []
    for event in sim.outbox:
        if event[1] != key:
            continue
        if event[0] == 'order':
            out.append((event[3], event[2].status, event[2].last_realized if event[4] else None))
        elif event[0] == 'account':
            out.append((event[2], [b.balance_change for b in event[3]], [p.amount for p in event[4]]))
        elif event[0] == 'config':
            out.append(('config', event[3]))
    return out


def rejected(code: int, fn: Any, *args: Any, **kwargs: Any) -> BinanceError:
    with pytest.raises(BinanceError) as info:
        fn(*args, **kwargs)
    assert info.value.code == code, info.value
    return info.value


# -- one-way positions -----------------------------------------------------------------------------------------


def test_one_way_open_increase_reduce_close_and_flip() -> None:
    sim = funded()
    trade_at(sim, 'a', 'BUY', '1', '100.00')
    p = position(sim)
    assert (p.amount, p.entry_price, p.realized_pnl) == (D('1.000'), D('100'), 0)
    assert position(sim, 'mm').amount == D('-1.000')  # the counterparty is short

    trade_at(sim, 'a', 'BUY', '1', '102.00')  # increase: the entry is the average
    assert (position(sim).amount, position(sim).entry_price) == (D('2.000'), D('101'))

    reduce = trade_at(sim, 'a', 'SELL', '0.5', '104.00')  # reduce: 0.5 x (104 - 101) realized
    assert reduce.realized == D('1.5')
    assert (position(sim).amount, position(sim).entry_price, position(sim).realized_pnl) == (
        D('1.500'),
        D('101'),
        D('1.5'),
    )

    close = trade_at(sim, 'a', 'SELL', '1.5', '100.00')  # close at a loss: 1.5 x (100 - 101)
    assert close.realized == D('-1.5')
    assert sim.positions('a') == [] and position(sim).amount == 0 and position(sim).entry_price == 0

    trade_at(sim, 'a', 'SELL', '1', '98.00')  # open a short
    assert (position(sim).amount, position(sim).entry_price) == (D('-1.000'), D('98'))
    sim.outbox.clear()
    flip = trade_at(sim, 'a', 'BUY', '3', '97.00')  # close the short (+1) and open a long of 2 at 97
    assert flip.realized == D('1')
    assert (position(sim).amount, position(sim).entry_price) == (D('2.000'), D('97'))
    assert sim.margin('a').wallet_balance == D('100000') + D('1.5') - D('1.5') + D('1')
    # The flip's user data: NEW, the fill with its realized PnL, then the balance and the position.
    assert user_events(sim) == [('NEW', 'NEW', None), ('TRADE', 'FILLED', D('1')), ('ORDER', [0], [D('2.000')])]
    account = next(e for e in sim.outbox if e[0] == 'account' and e[1] == 'a')
    assert account[3] == (BalanceRow('USDT', D('100001'), D('100001'), D(0)),)


def test_realized_pnl_reaches_the_wallet_and_unrealized_pnl_follows_the_mark_price() -> None:
    sim = funded()
    sim.set_leverage('a', SYMBOL, 10)
    trade_at(sim, 'a', 'BUY', '2', '100.00')
    sim.set_mark_price(SYMBOL, '103.5')
    long = position(sim)
    assert (long.mark_price, long.unrealized_pnl, long.notional) == (D('103.5'), D('7'), D('207'))
    assert long.initial_margin == D('20.7')  # notional / leverage, at the mark price
    assert long.maint_margin == D('207') * sim.maint_rate
    short = position(sim, 'mm')
    assert (short.unrealized_pnl, short.notional) == (D('-7'), D('-207'))
    b = sim.margin('a')
    assert (b.wallet_balance, b.unrealized_pnl, b.margin_balance) == (D('100000'), D('7'), D('100007'))
    assert b.available_balance == D('100000') + D('7') - D('20.7')
    assert sim.balances('a')['USDT'] == (b.available_balance, D('20.7'))  # free + locked = margin balance
    sim.set_mark_price(SYMBOL, '99')
    assert position(sim).unrealized_pnl == D('-2') and position(sim, 'mm').unrealized_pnl == D('2')


# -- hedge mode ------------------------------------------------------------------------------------------------


def test_hedge_mode_holds_long_and_short_apart() -> None:
    sim = funded()
    rejected(-4061, sim.place, 'a', SYMBOL, 'BUY', 'MARKET', qty='1', position_side='LONG')  # one-way: BOTH only
    sim.set_position_mode('a', True)
    assert sim.hedge_mode('a')
    rejected(-4059, sim.set_position_mode, 'a', True)
    rejected(-4061, sim.place, 'a', SYMBOL, 'BUY', 'MARKET', qty='1')  # BOTH in hedge mode
    rejected(-1106, sim.place, 'a', SYMBOL, 'SELL', 'MARKET', qty='1', position_side='LONG', reduce_only=True)

    trade_at(sim, 'a', 'BUY', '1', '100.00', position_side='LONG')
    trade_at(sim, 'a', 'SELL', '2', '100.00', position_side='SHORT')
    assert [(p.position_side, p.amount, p.entry_price) for p in sim.positions('a')] == [
        ('LONG', D('1.000'), D('100')),
        ('SHORT', D('-2.000'), D('100')),
    ]
    sim.set_mark_price(SYMBOL, '110')
    assert (position(sim, side='LONG').unrealized_pnl, position(sim, side='SHORT').unrealized_pnl) == (
        D('10'),
        D('-20'),
    )
    # Closing orders never open: closing more than the position (SELL LONG 2) is refused.
    rejected(-2022, sim.place, 'a', SYMBOL, 'SELL', 'MARKET', qty='2', position_side='LONG')
    close = trade_at(sim, 'a', 'SELL', '1', '110.00', position_side='LONG')
    assert close.realized == D('10') and position(sim, side='LONG').amount == 0
    rejected(-2022, sim.place, 'a', SYMBOL, 'SELL', 'MARKET', qty='1', position_side='LONG')  # nothing left
    assert position(sim, side='SHORT').amount == D('-2.000')  # untouched by the LONG side
    rejected(-4068, sim.set_position_mode, 'a', False)  # a position is open
    trade_at(sim, 'a', 'BUY', '2', '110.00', position_side='SHORT')
    sim.place('a', SYMBOL, 'BUY', 'LIMIT', tif='GTC', price='50.00', qty='1', position_side='LONG')
    rejected(-4067, sim.set_position_mode, 'a', False)  # an order is open
    sim.cancel_all('a', SYMBOL)
    sim.set_position_mode('a', False)
    assert sim.margin('a').wallet_balance == D('100000') + D('10') - D('20')


# -- leverage and margin --------------------------------------------------------------------------------------


def test_leverage_sets_the_initial_margin_and_a_position_needs_it_available() -> None:
    sim = make()
    sim.fund('poor', 'USDT', '100')
    sim.fund('mm', 'USDT', '100000')
    assert sim.leverage('poor', SYMBOL) == 20
    for bad in (0, 126, '5'):
        rejected(-4028, sim.set_leverage, 'poor', SYMBOL, bad)
    sim.outbox.clear()
    assert sim.set_leverage('poor', SYMBOL, 1) == 1
    assert user_events(sim, 'poor') == [('config', 1)]
    # 2 x 100 at 1x needs 200 of margin: refused, and nothing happened.
    before = sim.markets[SYMBOL].update_id
    rejected(-2019, sim.place, 'poor', SYMBOL, 'BUY', 'LIMIT', tif='GTC', price='100.00', qty='2')
    assert sim.markets[SYMBOL].update_id == before and sim.open_orders('poor') == []
    sim.set_leverage('poor', SYMBOL, 2)
    order, _ = sim.place('poor', SYMBOL, 'BUY', 'LIMIT', tif='GTC', price='99.00', qty='2')  # 99 x 2 / 2 = 99
    assert order.working
    b = sim.margin('poor')
    assert (b.open_order_initial_margin, b.available_balance) == (D('99'), D('1'))
    rejected(-2019, sim.place, 'poor', SYMBOL, 'BUY', 'LIMIT', tif='GTC', price='90.00', qty='1')
    # A SELL against nothing opens a short: it needs margin too; a cancel gives the order's margin back.
    sim.cancel('poor', SYMBOL, order_id=order.id)
    assert sim.margin('poor').available_balance == D('100')
    trade_at(sim, 'poor', 'SELL', '1.5', '100.00')
    assert position(sim, 'poor').initial_margin == D('75') and sim.margin('poor').available_balance == D('25')


def test_reduce_only_never_opens_or_grows_a_position() -> None:
    sim = funded()
    rejected(-2022, sim.place, 'a', SYMBOL, 'SELL', 'MARKET', qty='1', reduce_only=True)  # no position
    trade_at(sim, 'a', 'BUY', '1', '100.00')
    rejected(-2022, sim.place, 'a', SYMBOL, 'BUY', 'MARKET', qty='1', reduce_only=True)  # would grow it
    rejected(-2022, sim.place, 'a', SYMBOL, 'SELL', 'MARKET', qty='1.5', reduce_only=True)  # would flip it
    resting, _ = sim.place('a', SYMBOL, 'SELL', 'LIMIT', tif='GTC', price='150.00', qty='0.6', reduce_only=True)
    assert resting.margin_lots == 0 and sim.margin('a').open_order_initial_margin == 0
    # The position less the reduce-only orders already open: 0.4 more at most.
    rejected(-2022, sim.place, 'a', SYMBOL, 'SELL', 'MARKET', qty='0.5', reduce_only=True)
    closing = trade_at(sim, 'a', 'SELL', '0.4', '100.00', reduce_only=True)
    assert closing.reduce_only and position(sim).amount == D('0.600')
    # Closed by an order that is not reduce-only: the resting reduce-only order has nothing left to reduce.
    sim.outbox.clear()
    trade_at(sim, 'a', 'SELL', '0.6', '100.00')
    assert position(sim).amount == 0
    assert (resting.status, resting.expiry_reason, resting.working) == ('EXPIRED', '4', False)
    assert ('EXPIRED', 'EXPIRED', None) in user_events(sim)


# -- order types --------------------------------------------------------------------------------------------------


def test_order_types_time_in_force_and_rejections() -> None:
    sim = funded()
    m = sim.markets[SYMBOL]
    best_ask = m.best_ask()[0] * m.tick_size
    rejected(-4120, sim.place, 'a', SYMBOL, 'BUY', 'STOP_MARKET', qty='1')  # conditional: the algo service's
    rejected(-1116, sim.place, 'a', SYMBOL, 'BUY', 'LIMIT_MAKER', price='1.00', qty='1')
    rejected(-5022, sim.place, 'a', SYMBOL, 'BUY', 'LIMIT', tif='GTX', price=best_ask, qty='1')  # would take
    post, _ = sim.place('a', SYMBOL, 'BUY', 'LIMIT', tif='GTX', price='99.00', qty='1')
    assert post.working and post.tif == 'GTX'
    rejected(-5021, sim.place, 'a', SYMBOL, 'BUY', 'LIMIT', tif='FOK', price=best_ask, qty='100000')
    rejected(-4014, sim.place, 'a', SYMBOL, 'BUY', 'LIMIT', tif='GTC', price='99.001', qty='1')
    rejected(-4023, sim.place, 'a', SYMBOL, 'BUY', 'MARKET', qty='0.0001')
    rejected(-1020, sim.place, 'a', SYMBOL, 'BUY', 'LIMIT', tif='GTD', price='99.00', qty='1')
    sim.place('a', SYMBOL, 'BUY', 'LIMIT', tif='GTC', price='98.00', qty='1', client_id='mine')
    rejected(-4116, sim.place, 'a', SYMBOL, 'BUY', 'LIMIT', tif='GTC', price='98.00', qty='1', client_id='mine')
    ioc, fills = sim.place('a', SYMBOL, 'BUY', 'LIMIT', tif='IOC', price=best_ask, qty='1000')
    assert fills and (ioc.status, ioc.expiry_reason) == ('EXPIRED', '2')
    # A futures cancel keeps the clientOrderId (Spot gives the canceled order a new one).
    canceled = sim.cancel('a', SYMBOL, client_id='mine')
    assert (canceled.status, canceled.client_id) == ('CANCELED', 'mine')
    rejected(-1020, sim.amend, 'a', SYMBOL, '0.5', order_id=post.id)


def test_a_market_order_larger_than_the_book_expires_after_what_it_took() -> None:
    sim = make(levels=2, level_qty='0.001')
    sim.fund('a', 'USDT', '100000')
    order, fills = sim.place('a', SYMBOL, 'BUY', 'MARKET', qty='1')
    assert fills and (order.status, order.expiry_reason) == ('EXPIRED', '9')
    assert position(sim).amount == order.executed_qty < 1


# -- isolated margin and funding ----------------------------------------------------------------------------------


def test_isolated_margin_moves_margin_out_of_the_cross_wallet_and_back() -> None:
    sim = funded()
    rejected(-4046, sim.set_margin_type, 'a', SYMBOL, 'CROSSED')
    sim.set_margin_type('a', SYMBOL, 'ISOLATED')
    sim.set_leverage('a', SYMBOL, 5)
    trade_at(sim, 'a', 'BUY', '2', '100.00')
    p = position(sim)
    assert (p.margin_type, p.isolated_wallet) == ('ISOLATED', D('40'))
    b = sim.margin('a')
    assert (b.wallet_balance, b.cross_wallet_balance) == (D('100000'), D('99960'))
    sim.set_mark_price(SYMBOL, '90')
    assert position(sim).isolated_margin == D('40') - D('20')
    assert sim.margin('a').available_balance == D('99960')  # an isolated loss does not touch the cross side
    rejected(-4048, sim.set_margin_type, 'a', SYMBOL, 'CROSSED')
    trade_at(sim, 'a', 'SELL', '1', '110.00')  # half closed: half of the isolated wallet returns
    assert position(sim).isolated_wallet == D('20')
    trade_at(sim, 'a', 'SELL', '1', '110.00')
    assert position(sim).isolated_wallet == 0
    b = sim.margin('a')
    assert (b.wallet_balance, b.cross_wallet_balance) == (D('100020'), D('100020'))
    sim.place('a', SYMBOL, 'BUY', 'LIMIT', tif='GTC', price='50.00', qty='1')
    rejected(-4047, sim.set_margin_type, 'a', SYMBOL, 'CROSSED')


def test_funding_is_paid_at_each_funding_time_and_on_demand() -> None:
    clock = Clock()
    sim = funded(clock)
    hour = 3_600_000
    index = sim.premium_index(SYMBOL)
    assert (index.funding_rate, index.interest_rate) == (D('0.0001'), D('0.0001'))
    assert index.next_funding_time == T0 + 8 * hour
    trade_at(sim, 'a', 'BUY', '10', '100.00')  # a is long 10, mm short 10
    sim.outbox.clear()
    sim.settle_funding(SYMBOL)  # mark = index: the rate is the interest rate; longs pay shorts
    assert sim.margin('a').wallet_balance == D('100000') - D('0.1')
    assert sim.margin('mm').wallet_balance == D('100000') + D('0.1')
    assert user_events(sim) == [('FUNDING_FEE', [D('-0.1')], [])]  # cross: the balance only
    funding = next(e for e in sim.outbox if e[1] == 'a')
    assert funding[-2:] == (SYMBOL, 'Sim0001')  # ACCOUNT_UPDATE names the funding fee's symbol; the account alias

    # A premium beyond the clamp: rate = premium + clamp(interest - premium, +-0.05%).
    sim.set_mark_price(SYMBOL, '101')
    assert sim.premium_index(SYMBOL).funding_rate == D('0.01') - D('0.0005')
    sim.set_mark_price(SYMBOL, '100.00')

    sim.set_funding_interval(hour)  # as Binance's 1 h symbols
    assert sim.premium_index(SYMBOL).next_funding_time == T0 + hour
    sim.outbox.clear()
    clock.now = T0 + hour - 1
    sim.evolve()
    assert not [e for e in sim.outbox if e[0] == 'account' and e[2] == 'FUNDING_FEE']
    clock.now = T0 + hour
    sim.evolve()  # due: paid at the tick's mark price and rate
    paid = [e for e in sim.outbox if e[0] == 'account' and e[2] == 'FUNDING_FEE']
    assert [e[1] for e in paid] == ['a', 'mm']
    assert [(r.funding_time, r.symbol) for r in sim.funding_history()] == [(T0, SYMBOL), (T0 + hour, SYMBOL)]
    assert sim.premium_index(SYMBOL).next_funding_time == T0 + 2 * hour


def test_isolated_funding_names_the_position_and_moves_its_wallet() -> None:
    sim = funded()
    sim.set_margin_type('a', SYMBOL, 'ISOLATED')
    trade_at(sim, 'a', 'SELL', '10', '100.00')
    before = position(sim).isolated_wallet
    sim.outbox.clear()
    sim.settle_funding()
    assert position(sim).isolated_wallet == before + D('0.1')  # shorts receive a positive rate
    assert user_events(sim) == [('FUNDING_FEE', [D('0.1')], [D('-10.000')])]


def test_the_mark_price_is_a_smoothed_mid_and_set_price_moves_it_at_once() -> None:
    sim = make()
    for _ in range(300):
        sim.evolve()
    m = sim.markets[SYMBOL]
    mid = (m.best_bid()[0] + m.best_ask()[0]) * m.tick_size / 2
    mark = sim.mark_price(SYMBOL)
    assert abs(mark - mid) < 20 * m.tick_size  # it follows the book
    sim.set_price(SYMBOL, '120.00')
    assert sim.mark_price(SYMBOL) == D('120') == sim.premium_index(SYMBOL).index_price


# -- inverse (COIN-M) contracts ---------------------------------------------------------------------------------

INVERSE = 'BTCUSD_PERP'


def inverse(clock: Clock | None = None, **rules: Any) -> FuturesSimulation:
    """A linear BTCUSDT and an inverse BTCUSD_PERP (100 USD a contract) side by side, 'a' and 'mm' funded in
    both margin assets. At 100.0 a contract is worth exactly 1 BTC, at 125.0 0.8 BTC, at 80.0 1.25 BTC."""
    rows = [
        SimSymbol.of(SYMBOL, price=PRICE, level_qty='100'),
        FuturesSymbol.of(
            INVERSE, price='100.0', tick_size='0.1', step_size='1', level_qty='100', contract_size='100', **rules
        ),
    ]
    sim = FuturesSimulation(rows, seed=1, clock=clock or Clock(), now=T0)
    for key in ('a', 'mm'):
        sim.fund(key, 'USDT', '100000')
        sim.fund(key, 'BTC', '100')
    sim.outbox.clear()
    return sim


def test_futures_symbols_read_contract_names_and_value_inverse_fills_in_the_base_asset() -> None:
    btc = FuturesSymbol.of('btcusd_perp', price='30000.0', tick_size='0.1', step_size='1', contract_size='100')
    assert (btc.symbol, btc.base, btc.quote, btc.pair, btc.margin_asset, btc.inverse) == (
        'BTCUSD_PERP',
        'BTC',
        'USD',
        'BTCUSD',
        'BTC',
        True,
    )
    # 3 contracts of 100 USD at 30000: 0.01 BTC; a long of 3 from 30000 to 25000: 300 x (1/30000 - 1/25000) BTC.
    assert btc.notional(D(3), D(30000)) == D('0.01')
    assert btc.pnl(D(3), D(30000), D(25000)) == D(300) * (D(1) / 30000 - D(1) / 25000) < 0
    assert btc.pnl(D(-3), D(30000), D(25000)) > 0  # the short gains
    # The average price of 2 contracts worth 1/100 + 1/125 BTC (x 100): the harmonic mean 111.11...
    assert btc.average(D(2), D(1) + D('0.8')) == D(200) / D('1.8')
    linear = FuturesSymbol.from_row(SimSymbol.of('BTCUSDT', price='30000'))
    assert (linear.inverse, linear.margin_asset, linear.pair, linear.notional(D('0.5'), D(30000))) == (
        False,
        'USDT',
        'BTCUSDT',
        D(15000),
    )
    assert linear.pnl(D('0.5'), D(30000), D(31000)) == D(500) and linear.average(D(2), D(201)) == D('100.5')
    assert FuturesSymbol.of('ETHUSDT_250926').pair == 'ETHUSDT'  # a UM delivery contract's pair
    with pytest.raises(ValueError, match='base and quote'):
        FuturesSymbol.of('NOSUCH_PERP')
    with pytest.raises(ValueError, match='positive'):
        FuturesSymbol.of('BTCUSD_PERP', contract_size='0')


def test_inverse_positions_average_harmonically_and_realize_pnl_in_the_base_asset() -> None:
    sim = inverse()
    trade_at(sim, 'a', 'BUY', '2', '100.0', INVERSE)  # 2 contracts worth 2 BTC
    trade_at(sim, 'a', 'BUY', '2', '125.0', INVERSE)  # 2 more worth 1.6 BTC
    p = position(sim, symbol=INVERSE)
    # Entry: 4 contracts / (2/100 + 2/125) x ... = 400 / 3.6 = 111.11111111 (the arithmetic mean would be 112.5).
    assert (p.amount, p.entry_price, p.margin_asset) == (D(4), D('111.11111111'), 'BTC')
    order = trade_at(sim, 'a', 'SELL', '2', '80.0', INVERSE)
    # Closing 2 at 80: 2 x 100 x (1/111.11111111 - 1/80) = -0.7 BTC; the short counterparty gains it.
    assert order.realized == D('-0.70000000') and order.avg_price == D('80')
    assert order.cum_quote == D('2.5')  # the fill's value: 2 x 100 / 80 BTC (cumBase)
    assert position(sim, 'mm', symbol=INVERSE).realized_pnl == D('0.70000000')
    sim.set_mark_price(INVERSE, '100.0')
    p = position(sim, symbol=INVERSE)
    # At the mark 100: notional 2 x 100 / 100 = 2 BTC; unrealized 200 x (1/111.11111111 - 1/100) = -0.2 BTC;
    # initial margin 2 / 20.
    assert (p.amount, p.notional, p.unrealized_pnl, p.initial_margin) == (D(2), D(2), D('-0.2'), D('0.1'))
    assert position(sim, 'mm', symbol=INVERSE).notional == D(-2)
    b = sim.margin('a', 'BTC')
    assert (b.wallet_balance, b.unrealized_pnl, b.position_initial_margin) == (D('99.3'), D('-0.2'), D('0.1'))
    assert b.available_balance == D('99.3') - D('0.2') - D('0.1')
    assert sim.margin('a', 'USDT').wallet_balance == D('100000')  # the linear wallet is untouched
    assert sim.markets[INVERSE].trades[-1].quote_qty == D('2.5')  # public trades count BTC volume (klines' q)
    # The account update of the close names the BTC wallet.
    sim.outbox.clear()
    trade_at(sim, 'a', 'SELL', '2', '100.0', INVERSE)
    account = next(e for e in sim.outbox if e[0] == 'account' and e[1] == 'a')
    assert account[3] == (BalanceRow('BTC', D('99.10000000'), D('99.10000000'), D(0)),)  # 99.3 - 0.2 realized
    assert account[-1] == 'Sim0001'


def test_inverse_margin_funding_and_isolated_wallets_are_in_the_base_asset() -> None:
    sim = inverse()
    sim.set_leverage('a', INVERSE, 4)
    # A limit BUY of 10 contracts at 80.0 holds 10 x 100 / 80 / 4 = 3.125 BTC of initial margin.
    sim.place('a', INVERSE, 'BUY', 'LIMIT', tif='GTC', price='80.0', qty='10')
    b = sim.margin('a', 'BTC')
    assert (b.open_order_initial_margin, b.available_balance) == (D('3.125'), D('96.875'))
    sim.cancel_all('a', INVERSE)
    trade_at(sim, 'a', 'BUY', '3', '100.0', INVERSE)
    sim.set_mark_price(INVERSE, '100.0')
    sim.outbox.clear()
    sim.settle_funding(INVERSE)  # 3 contracts at mark 100 = 3 BTC x 0.0001: the long pays 0.0003 BTC
    assert sim.margin('a', 'BTC').wallet_balance == D('100') - D('0.0003')
    assert sim.margin('mm', 'BTC').wallet_balance == D('100') + D('0.0003')
    assert user_events(sim) == [('FUNDING_FEE', [D('-0.0003')], [])]
    with pytest.raises(BinanceError):
        sim.set_margin_type('a', INVERSE, 'ISOLATED')  # a position is open
    trade_at(sim, 'a', 'SELL', '3', '100.0', INVERSE)
    sim.set_margin_type('a', INVERSE, 'ISOLATED')
    trade_at(sim, 'a', 'BUY', '5', '125.0', INVERSE)  # 5 x 100 / 125 = 4 BTC at leverage 4: 1 BTC isolated
    p = position(sim, symbol=INVERSE)
    assert (p.margin_type, p.isolated_wallet) == ('ISOLATED', D('1'))
    assert sim.margin('a', 'BTC').cross_wallet_balance == sim.margin('a', 'BTC').wallet_balance - 1


# -- the exchange builds the engine its market's wire names ------------------------------------------------------


PERP = MarketSpec(
    name='perp',
    client_name='PerpClient',
    distribution='binance-market-perp',
    hosts={'live': Hosts(rest='http://127.0.0.1:1', ws_api='ws://127.0.0.1:1/ws-papi/v1', stream='ws://127.0.0.1:1')},
)


class _PerpWire:
    """The least a futures wire renders: the market streams (nothing here) and the futures user events."""

    engine = FuturesSimulation

    def depth_streams(self, market: Any) -> Any:
        return ()

    def depth_update(self, *args: Any) -> Any:
        return {}

    def trade_frames(self, *args: Any) -> Any:
        return ()

    def market_frames(self, *args: Any) -> Any:
        return ()

    def order_trade_update(self, order: Any, execution: str, fill: Any, execution_id: int, now: int, alias: str) -> Any:
        return {'e': 'order', 'x': execution, 'X': order.status}

    def account_update(self, reason: str, balances: Any, positions: Any, now: int, symbol: Any, alias: str) -> Any:
        return {'e': 'account', 'm': reason, 'P': [str(p.amount) for p in positions]}

    def account_config_update(self, symbol: str, leverage: int, now: int) -> Any:
        return {'e': 'config', 'l': leverage}


class _Perp:
    def __init__(self, wire: Any) -> None:
        self.wire = wire

    @hookimpl
    def binance_markets(self) -> Any:
        return (PERP,)

    @hookimpl
    def binance_fake_exchange(self, market: Any, exchange: Any) -> None:
        if market.name == 'perp' and exchange.simulation is not None:
            exchange.simulation.wire = self.wire


async def test_the_exchange_builds_the_engine_the_wire_names_and_publishes_its_events() -> None:
    async with asyncio.timeout(10):
        pm = make_plugin_manager([_Perp(_PerpWire())], load_entry_points=False)
        async with SimulatedExchange('perp', {SYMBOL: '100.00'}, seed=1, paused=True, pm=pm) as sim:
            assert isinstance(sim.simulation, FuturesSimulation) and sim.simulation.wire is not None
            sent: list[tuple[Any, str | None]] = []

            async def capture(event: Any, api_key: str | None = None) -> int:
                sent.append((event, api_key))
                return 1

            sim.push_user_event = capture  # type: ignore[method-assign]
            await sim.fund('k', 'USDT', '1000')
            await sim.execute(sim.simulation.set_leverage, 'k', SYMBOL, 5)
            await sim.execute(sim.simulation.place, 'k', SYMBOL, 'BUY', 'MARKET', qty='1')
            assert [e for e, _ in sent] == [
                {'e': 'account', 'm': 'DEPOSIT', 'P': []},
                {'e': 'config', 'l': 5},
                {'e': 'order', 'x': 'NEW', 'X': 'NEW'},
                {'e': 'order', 'x': 'TRADE', 'X': 'FILLED'},
                {'e': 'account', 'm': 'ORDER', 'P': ['1.000']},
            ]
            assert {k for _, k in sent} == {'k'}
            assert [p.amount for p in sim.positions('k')] == [D('1.000')]
            assert sim.premium_index(SYMBOL).mark_price == D('100.00')


def test_a_wire_that_cannot_render_the_engines_events_is_refused() -> None:
    class Partial(_PerpWire):
        account_update = None  # type: ignore[assignment]

    pm = make_plugin_manager([_Perp(Partial())], load_entry_points=False)
    with pytest.raises(ValueError, match='account_update'):
        SimulatedExchange('perp', SYMBOL, pm=pm)
