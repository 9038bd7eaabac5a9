"""The simulated exchange's engine without any server: a seeded market that repeats itself, diff logs that rebuild
the book exactly from a snapshot, and price-time matching with Binance's balance and order rules."""

from __future__ import annotations

import itertools
import random
from decimal import Decimal as D
from typing import Any

import pytest

from binance_core.orderbook.book import Book
from binance_core.orderbook.sequencing import APPLY, DROP
from binance_spot.orderbook import SPOT_RULE
from binance_testing import BinanceError, SimSymbol, Simulation
from binance_testing.matching import Market, symbol_rows

T0 = 1_767_225_600_000  # 2026-01-01, a fixed clock keeps every run identical


def make(seed: Any = 1, **rules: Any) -> Simulation:
    return Simulation([SimSymbol.of('BTCUSDT', **rules)], seed=seed, clock=lambda: T0, now=T0)


def market(sim: Simulation) -> Market:
    return sim.markets['BTCUSDT']


def funded(seed: Any = 1, **rules: Any) -> Simulation:
    sim = make(seed, **rules)
    for key in ('a', 'b'):
        sim.fund(key, 'USDT', '100000')
        sim.fund(key, 'BTC', '100')
    sim.outbox.clear()
    return sim


def kinds(sim: Simulation, key: str = 'a') -> list[Any]:
    """The user-data events queued for *key*: execution types and 'position' / 'balance'."""
    out = []
    for event in sim.outbox:
        if event[0] == 'order' and event[1] == key:
            out.append((event[3], event[2].status))
        elif event[0] in ('position', 'balance') and event[1] == key:
            out.append(event[0])
    return out


# -- the random market --------------------------------------------------------------------------------------


def test_symbol_rows_accept_names_prices_and_rows() -> None:
    rows = symbol_rows({'ETHBTC': '0.05000', 'BNBFDUSD': {'price': '600', 'tick_size': '0.1'}})
    assert [(r.symbol, r.base, r.quote, r.price) for r in rows] == [
        ('ETHBTC', 'ETH', 'BTC', D('0.05')),
        ('BNBFDUSD', 'BNB', 'FDUSD', D('600')),
    ]
    assert symbol_rows('btcusdt')[0].symbol == 'BTCUSDT'
    with pytest.raises(ValueError, match='multiple of tick_size'):
        SimSymbol.of('BTCUSDT', price='100.005')
    with pytest.raises(TypeError, match='str, int or Decimal'):
        SimSymbol.of('BTCUSDT', price=100.5)
    with pytest.raises(ValueError, match='base and quote'):
        SimSymbol.of('FOOBAR')


def test_the_same_seed_repeats_the_market_and_another_seed_does_not() -> None:
    runs = []
    for seed in (7, 7, 8):
        sim = make(seed)
        for _ in range(200):
            sim.evolve()
        m = market(sim)
        runs.append((m.book(), [t[:5] for t in m.trades], m.mid))
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_the_book_never_crosses_and_stays_dense_around_the_reference_price() -> None:
    sim = make(3, levels=50, volatility=2.0)
    m = market(sim)
    traded = 0
    for _ in range(500):
        sim.evolve()
        bid, ask = m.best_bid(), m.best_ask()
        assert bid is not None and ask is not None and bid[0] < m.mid < ask[0]
        assert len(m.bids.prices) == len(m.asks.prices) == 50  # every level within 50 ticks, nothing further
        traded = len(m.trades)
    assert traded > 100  # simulated traders took liquidity


def test_a_snapshot_plus_the_later_diffs_rebuilds_the_book_exactly() -> None:
    sim = funded(5)
    m = market(sim)
    rng = random.Random(11)
    fast, slow = [], []  # two diff feeds, flushed every tick and every 4 ticks
    fast_u = slow_u = m.update_id
    snapshot = None
    for i in range(400):
        sim.evolve()
        if rng.random() < 0.3:  # accounts trade between ticks, on both sides and across the spread
            side = rng.choice(('BUY', 'SELL'))
            price = (m.mid + rng.randint(-5, 5)) * m.tick_size
            sim.place(rng.choice('ab'), 'BTCUSDT', side, 'LIMIT', tif='GTC', price=price, qty=D('0.5'))
        open_orders = sim.open_orders('a', 'BTCUSDT')
        if open_orders and rng.random() < 0.2:
            sim.cancel('a', 'BTCUSDT', order_id=rng.choice(open_orders).id)
        for feed, every in ((fast, 1), (slow, 4)):
            last = fast_u if feed is fast else slow_u
            if i % every == 0 and (diff := m.changes_since(last)) is not None:
                feed.append(diff)
                if feed is fast:
                    fast_u = diff[1]
                else:
                    slow_u = diff[1]
        m.trim_log(min(fast_u, slow_u))
        if i == 150:
            snapshot = m.depth()
    for feed, last in ((fast, fast_u), (slow, slow_u)):
        if (diff := m.changes_since(last)) is not None:
            feed.append(diff)
    assert snapshot is not None
    truth = m.book()
    for feed in (fast, slow):
        # Binance "Diff. Depth Stream": each event starts right after the previous one ends.
        assert all(b[0] == a[1] + 1 for a, b in itertools.pairwise(feed))
        book = Book()
        book.load(snapshot[1], snapshot[2])
        prev = None
        for first, last, bids, asks in feed:
            event = {'U': first, 'u': last}
            verdict = SPOT_RULE.first(snapshot[0], event) if prev is None else SPOT_RULE.next(prev, event)
            if verdict is DROP:
                continue
            assert verdict is APPLY
            assert book.apply(bids, asks)
            prev = last
        assert prev == truth['lastUpdateId']
        assert book.bids[::-1] == truth['bids'] and book.asks == truth['asks']


def test_set_price_walks_the_market_and_fills_resting_orders_on_the_way() -> None:
    sim = funded()
    m = market(sim)
    order, _ = sim.place('a', 'BTCUSDT', 'BUY', 'LIMIT', tif='GTC', price=D('99.50'), qty=D('1'))
    assert order.status == 'NEW' and order.working
    sim.set_price('BTCUSDT', '99.00')
    assert order.status == 'FILLED' and not order.working
    assert m.mid * m.tick_size == D('99.00') and m.best_bid()[0] < m.mid < m.best_ask()[0]
    assert sim.balances('a')['BTC'] == (D('101'), D('0'))
    assert sim.balances('a')['USDT'] == (D('100000') - D('99.50'), D('0'))


# -- matching and accounts ----------------------------------------------------------------------------------


def test_price_time_priority_and_partial_fills() -> None:
    sim = funded()
    mid = market(sim).mid * D('0.01')  # an empty price: the first seller there is alone at the best ask
    first, _ = sim.place('a', 'BTCUSDT', 'SELL', 'LIMIT', tif='GTC', price=mid, qty=D('1'))
    second, _ = sim.place('b', 'BTCUSDT', 'SELL', 'LIMIT', tif='GTC', price=mid, qty=D('1'))
    sim.outbox.clear()
    assert sim.trade('BTCUSDT', 'BUY', '1.5') == D('1.5')
    assert (first.status, first.executed_qty) == ('FILLED', D('1'))
    assert (second.status, second.executed_qty) == ('PARTIALLY_FILLED', D('0.5'))
    assert sim.balances('b')['BTC'] == (D('99'), D('0.5'))  # the rest stays locked on the book
    assert sim.balances('b')['USDT'].free == D('100000') + mid / 2
    assert kinds(sim, 'a') == [('TRADE', 'FILLED'), 'position']
    assert market(sim).book(1)['asks'] == [[mid, D('0.5')]]


def test_a_buy_locks_its_limit_price_and_gets_the_price_improvement_back() -> None:
    sim = funded()
    best = market(sim).best_ask()[0] * D('0.01')
    order, fills = sim.place('a', 'BTCUSDT', 'BUY', 'LIMIT', tif='GTC', price=best + 5, qty=D('0.001'))
    assert order.status == 'FILLED' and [(f.price, f.qty, f.maker) for f in fills] == [(best, D('0.001'), False)]
    assert sim.balances('a')['USDT'] == (D('100000') - best * D('0.001'), D('0'))
    assert kinds(sim) == [('NEW', 'NEW'), ('TRADE', 'FILLED'), 'position']


def test_an_order_the_balance_cannot_cover_is_rejected_and_changes_nothing() -> None:
    sim = funded()
    m = market(sim)
    before = (m.update_id, sim.balances('a'), len(sim.accounts['a'].orders))
    with pytest.raises(BinanceError) as info:
        sim.place('a', 'BTCUSDT', 'BUY', 'LIMIT', tif='GTC', price=D('99.00'), qty=D('2000'))
    assert (info.value.code, info.value.msg) == (-2010, 'Account has insufficient balance for requested action.')
    with pytest.raises(BinanceError, match='insufficient'):
        sim.place('a', 'BTCUSDT', 'SELL', 'MARKET', qty=D('100.001'))
    with pytest.raises(BinanceError, match='insufficient'):
        sim.place('nobody', 'BTCUSDT', 'BUY', 'MARKET', quote_qty=D('1'))
    assert (m.update_id, sim.balances('a'), len(sim.accounts['a'].orders)) == before
    assert sim.outbox == []


def test_a_client_order_id_is_unique_among_open_orders() -> None:
    sim = funded()
    sim.place('a', 'BTCUSDT', 'BUY', 'LIMIT', tif='GTC', price=D('90.00'), qty=D('1'), client_id='mine')
    with pytest.raises(BinanceError) as info:
        sim.place('a', 'BTCUSDT', 'BUY', 'LIMIT', tif='GTC', price=D('91.00'), qty=D('1'), client_id='mine')
    assert (info.value.code, info.value.msg) == (-2010, 'Duplicate order sent.')
    # Another account may use the same id.
    sim.place('b', 'BTCUSDT', 'BUY', 'LIMIT', tif='GTC', price=D('91.00'), qty=D('1'), client_id='mine')
    sim.cancel('a', 'BTCUSDT', client_id='mine')
    again, _ = sim.place('a', 'BTCUSDT', 'BUY', 'LIMIT', tif='GTC', price=D('91.00'), qty=D('1'), client_id='mine')
    assert again.status == 'NEW'


def test_fok_expires_untouched_ioc_expires_its_rest_and_market_runs_out_of_book() -> None:
    sim = funded(levels=5)
    m = market(sim)
    depth = sum(q for _, q in m.book()['asks'])
    top = m.best_ask()[0] * D('0.01')
    fok, fills = sim.place('a', 'BTCUSDT', 'BUY', 'LIMIT', tif='FOK', price=top, qty=depth)
    assert (fok.status, fok.expiry_reason, fills) == ('EXPIRED', 'UNFILLED_FOK_ORDER_EXPIRED', [])
    assert sim.balances('a')['USDT'] == (D('100000'), D('0'))
    ioc, fills = sim.place('a', 'BTCUSDT', 'BUY', 'LIMIT', tif='IOC', price=top, qty=depth)
    assert (ioc.status, ioc.expiry_reason) == ('EXPIRED', 'UNFILLED_IOC_QUANTITY_EXPIRED')
    assert 0 < ioc.executed_qty < depth and sim.balances('a')['USDT'].locked == 0
    rest = sum(q for _, q in m.book()['asks'])
    mkt, fills = sim.place('a', 'BTCUSDT', 'BUY', 'MARKET', qty=rest + 1)
    assert (mkt.status, mkt.expiry_reason, mkt.executed_qty) == ('EXPIRED', 'INSUFFICIENT_LIQUIDITY', rest)
    assert m.asks.prices == [] and sim.balances('a')['USDT'].locked == 0


def test_market_orders_by_quote_quantity_spend_at_most_the_budget() -> None:
    sim = funded()
    order, fills = sim.place('a', 'BTCUSDT', 'BUY', 'MARKET', quote_qty=D('250'))
    assert order.status == 'FILLED' and order.quote_order_qty == D('250')
    assert D('249') < order.cum_quote_qty <= D('250') and sum(f.quote_qty for f in fills) == order.cum_quote_qty
    assert sim.balances('a')['USDT'] == (D('100000') - order.cum_quote_qty, D('0'))
    sell, _ = sim.place('a', 'BTCUSDT', 'SELL', 'MARKET', quote_qty=D('100'))
    assert sell.status == 'FILLED' and sell.cum_quote_qty <= D('100')


def test_limit_maker_that_would_take_is_rejected() -> None:
    sim = funded()
    ask = market(sim).best_ask()[0] * D('0.01')
    with pytest.raises(BinanceError) as info:
        sim.place('a', 'BTCUSDT', 'BUY', 'LIMIT_MAKER', price=ask, qty=D('1'))
    assert (info.value.code, info.value.msg) == (-2010, 'Order would immediately match and take.')
    order, _ = sim.place('a', 'BTCUSDT', 'BUY', 'LIMIT_MAKER', price=ask - D('0.01'), qty=D('1'))
    assert order.working


def test_amend_reduces_in_place_keeping_priority_and_releases_the_lock() -> None:
    sim = funded()
    mid = market(sim).mid * D('0.01')
    first, _ = sim.place('a', 'BTCUSDT', 'BUY', 'LIMIT', tif='GTC', price=mid, qty=D('2'), client_id='one')
    second, _ = sim.place('b', 'BTCUSDT', 'BUY', 'LIMIT', tif='GTC', price=mid, qty=D('1'))
    sim.outbox.clear()
    order, eid = sim.amend('a', 'BTCUSDT', D('1'), client_id='one', new_client_id='one-b')
    assert order is first and (order.orig_qty, order.client_id, order.orig_client_id) == (D('1'), 'one-b', 'one')
    assert kinds(sim) == [('REPLACED', 'NEW'), 'position'] and eid == sim.outbox[0][5]
    assert sim.balances('a')['USDT'].locked == mid
    sim.trade('BTCUSDT', 'SELL', '1')
    assert (first.status, second.status) == ('FILLED', 'NEW')  # still first in the queue
    with pytest.raises(BinanceError) as info:
        sim.amend('a', 'BTCUSDT', D('0.5'), order_id=first.id)  # filled: no longer open
    assert (info.value.code, info.value.msg) == (-2038, 'Unknown order sent.')
    with pytest.raises(BinanceError) as info:
        sim.amend('b', 'BTCUSDT', D('2'), order_id=second.id)
    assert (info.value.code, info.value.msg) == (-2038, 'Order amend (quantity increase) is not supported.')


def test_cancel_releases_the_lock_and_unknown_orders_get_binance_errors() -> None:
    sim = funded()
    order, _ = sim.place('a', 'BTCUSDT', 'SELL', 'LIMIT', tif='GTC', price=D('150.00'), qty=D('3'))
    assert sim.balances('a')['BTC'] == (D('97'), D('3'))
    sim.cancel('a', 'BTCUSDT', order_id=order.id, new_client_id='gone')
    assert (order.status, order.client_id) == ('CANCELED', 'gone')
    assert sim.balances('a')['BTC'] == (D('100'), D('0'))
    for call, code, msg in (
        (lambda: sim.cancel('a', 'BTCUSDT', order_id=order.id), -2011, 'Unknown order sent.'),
        (lambda: sim.cancel_all('a', 'BTCUSDT'), -2011, 'Unknown order sent.'),
        (lambda: sim.find('a', 'BTCUSDT', 999, None, (-2013, 'Order does not exist.')), -2013, 'Order does not exist.'),
        (
            lambda: sim.find('b', 'BTCUSDT', order.id, None, (-2013, 'Order does not exist.')),
            -2013,
            'Order does not exist.',
        ),
        (
            lambda: sim.find('a', 'BTCUSDT', order.id, 'other', (-2013, '')),
            -2039,
            'Client order ID is not correct for this order ID.',
        ),
        (lambda: sim.place('a', 'ETHUSDT', 'BUY', 'MARKET', qty=D('1')), -1121, 'Invalid symbol.'),
        (
            lambda: sim.place('a', 'BTCUSDT', 'BUY', 'LIMIT', tif='GTC', price=D('1.001'), qty=D('1')),
            -1013,
            'Filter failure: PRICE_FILTER',
        ),
        (
            lambda: sim.place('a', 'BTCUSDT', 'BUY', 'LIMIT', tif='GTC', price=D('1'), qty=D('0.0001')),
            -1013,
            'Filter failure: LOT_SIZE',
        ),
        (
            lambda: sim.place('a', 'BTCUSDT', 'BUY', 'STOP_LOSS', qty=D('1')),
            -2010,
            'Stop loss orders are not supported for this symbol.',
        ),
    ):
        with pytest.raises(BinanceError) as info:
            call()
        assert (info.value.code, info.value.msg) == (code, msg)


def test_deposits_and_withdrawals_queue_balance_updates() -> None:
    sim = make()
    assert sim.fund('a', 'USDT', '10.5') == (D('10.5'), D('0'))
    sim.fund('a', 'USDT', '-0.5')
    assert kinds(sim) == ['balance', 'position', 'balance', 'position']
    assert sim.outbox[2][3] == D('-0.5')
    with pytest.raises(ValueError, match='only 10.0 is free'):
        sim.fund('a', 'USDT', '-11')


def test_klines_and_ticker_follow_the_trades() -> None:
    sim = funded()
    m = market(sim)
    sim.trade('BTCUSDT', 'BUY', '3')
    trades = list(m.trades)
    candle = m.candles['1m']
    assert candle.trades == len(trades) == m.ticker.count and candle.first_id == trades[0].id
    assert candle.volume == D('3') == candle.taker_volume  # the taker bought
    assert candle.high == max(t.price for t in trades) and candle.close == trades[-1].price
    # One taker order: one aggregate trade per price it reached.
    assert [t.agg_id for t in trades] == sorted(t.agg_id for t in trades)
    assert len({t.agg_id for t in trades}) == len({t.price for t in trades}) > 1
