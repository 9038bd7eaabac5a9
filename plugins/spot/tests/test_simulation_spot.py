"""SpotClient against the simulated exchange: orders that take, rest, fill by simulated flow, expire, get
amended and canceled; balances and the user-data events that follow; Binance's rejections; market streams;
and a managed order book that equals the true book, also after the stream drops."""

import asyncio
import itertools
from decimal import Decimal as D

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from binance import (
    AccountPositionHandlerBase,
    AggTradeHandlerBase,
    BalanceUpdateHandlerBase,
    BookTickerHandlerBase,
    Credentials,
    KlineHandlerBase,
    OrderBookHandlerBase,
    OrderUpdateHandlerBase,
    PartialOrderBookHandlerBase,
    SpotClient,
    StreamSubscribeException,
    SubType,
    TickerHandlerBase,
    TradeHandlerBase,
)
from binance_testing import FakeExchange, SimulatedExchange

SYMBOL = 'BTCUSDT'


@pytest.fixture
async def sim():
    # Paused: only the test moves the market, so every run is the same; streams are still published.
    async with SimulatedExchange('spot', {SYMBOL: '100.00'}, seed=42, tick=0.01, paused=True) as exchange:
        yield exchange


def hmac_creds(sim, name='trader'):
    sim.add_key(name, secret='s3cret')
    return Credentials(name, api_secret='s3cret')


def ed25519_creds(sim, name='trader'):
    key = ed25519.Ed25519PrivateKey.generate()
    sim.add_key(
        name,
        public_key_pem=key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    )
    return Credentials(
        name,
        private_key=key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
    )


async def until(predicate, timeout=5):
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.005)


class Account:
    """User-data handlers that record every event, in arrival order, as (kind, payload)."""

    def __init__(self):
        self.events = []
        events = self.events

        class Orders(OrderUpdateHandlerBase):
            def receive(self, payload):
                super().receive(payload)  # the DataFrame conversion must accept the payload
                events.append(('order', payload))

        class Positions(AccountPositionHandlerBase):
            def receive(self, payload):
                super().receive(payload)
                events.append(('position', payload))

        class Deposits(BalanceUpdateHandlerBase):
            def receive(self, payload):
                events.append(('balance', payload))

        self.handlers = (Orders(), Positions(), Deposits())

    def summary(self):
        return [(k, p['x'], p['X']) if k == 'order' else (k,) for k, p in self.events]

    def orders(self):
        return [p for k, p in self.events if k == 'order']

    async def wait(self, n):
        await until(lambda: len(self.events) >= n)


async def connect(sim, creds, account=None):
    spot = SpotClient(creds, **sim.client_kwargs())
    if account is not None:
        spot.handler(*account.handlers)
        await spot.subscribe(SubType.USER)
    return spot


def best(sim, side):
    return sim.book(SYMBOL)[side][0]


def mid(sim):
    return str(sim.price(SYMBOL))  # an empty price between the best bid and the best ask


# -- orders and accounts --------------------------------------------------------------------------------


async def test_a_limit_order_takes_the_book_and_the_account_hears_new_trade_and_position(sim):
    account = Account()
    async with await connect(sim, ed25519_creds(sim), account) as spot:
        await sim.fund('trader', 'USDT', '1000')
        await account.wait(2)
        price, available = best(sim, 'asks')
        qty = min(available, D('0.5'))
        result = await spot.create_order(
            symbol=SYMBOL, side='BUY', type='LIMIT', timeInForce='GTC', price=str(price + 1), quantity=str(qty)
        )
        await account.wait(5)
        balances = {b['asset']: b for b in (await spot.get_account())['balances']}
    assert result['status'] == 'FILLED' and result['executedQty'] == f'{qty:.8f}'
    assert [(f['price'], f['qty']) for f in result['fills']] == [(f'{price:.8f}', f'{qty:.8f}')]  # the better price
    assert account.summary() == [
        ('balance',),
        ('position',),
        ('order', 'NEW', 'NEW'),
        ('order', 'TRADE', 'FILLED'),
        ('position',),
    ]
    trade = account.orders()[1]
    assert (trade['i'], trade['c'], trade['l'], trade['L'], trade['m']) == (
        result['orderId'],
        result['clientOrderId'],
        f'{qty:.8f}',
        f'{price:.8f}',
        False,
    )
    assert account.events[-1][1]['B'] == [
        {'a': 'BTC', 'f': f'{qty:.8f}', 'l': '0.00000000'},
        {'a': 'USDT', 'f': f'{1000 - price * qty:.8f}', 'l': '0.00000000'},
    ]
    assert balances['USDT']['free'] == f'{1000 - price * qty:.8f}' and balances['BTC']['free'] == f'{qty:.8f}'
    assert sim.balances('trader')['USDT'].free == 1000 - price * qty


async def test_a_resting_order_fills_partially_by_simulated_flow_then_is_canceled(sim):
    account = Account()
    async with await connect(sim, hmac_creds(sim), account) as spot:
        await sim.fund('trader', 'BTC', '5')
        placed = await spot.create_order(
            symbol=SYMBOL,
            side='SELL',
            type='LIMIT',
            timeInForce='GTC',
            price=mid(sim),
            quantity='2',
            newClientOrderId='my-sell',
        )
        assert (placed['status'], placed['fills']) == ('NEW', [])
        assert best(sim, 'asks') == [D(mid(sim)), D('2')]  # alone at the best ask
        assert await sim.trade(SYMBOL, 'BUY', '0.5') == D('0.5')
        status = await spot.get_order(symbol=SYMBOL, origClientOrderId='my-sell')
        open_orders = await spot.get_open_orders(symbol=SYMBOL)
        assert sim.balances('trader')['BTC'] == (D('3'), D('1.5'))
        canceled = await spot.cancel_order(symbol=SYMBOL, orderId=placed['orderId'])
        await account.wait(8)
    assert (status['status'], status['executedQty']) == ('PARTIALLY_FILLED', '0.50000000')
    assert [o['orderId'] for o in open_orders] == [placed['orderId']]
    assert (canceled['status'], canceled['origClientOrderId'], canceled['executedQty']) == (
        'CANCELED',
        'my-sell',
        '0.50000000',
    )
    assert sim.balances('trader')['BTC'] == (D('4.5'), D('0'))
    assert account.summary() == [
        ('balance',),
        ('position',),
        ('order', 'NEW', 'NEW'),
        ('position',),
        ('order', 'TRADE', 'PARTIALLY_FILLED'),
        ('position',),
        ('order', 'CANCELED', 'CANCELED'),
        ('position',),
    ]
    trade, cancel = account.orders()[1:]
    assert (trade['m'], trade['w'], trade['l'], trade['z']) == (True, True, '0.50000000', '0.50000000')
    assert (cancel['C'], cancel['w']) == ('my-sell', False)


async def test_a_resting_buy_fills_when_the_market_walks_through_it(sim):
    account = Account()
    async with await connect(sim, hmac_creds(sim), account) as spot:
        await sim.fund('trader', 'USDT', '500')
        bid = best(sim, 'bids')[0]
        placed = await spot.create_order(
            symbol=SYMBOL, side='BUY', type='LIMIT', timeInForce='GTC', price=str(bid - D('0.05')), quantity='1'
        )
        await sim.step(3)  # the market moves a little; the order is 5 ticks under the best bid
        await sim.set_price(SYMBOL, str(bid - D('0.50')))
        status = await spot.get_order(symbol=SYMBOL, orderId=placed['orderId'])
        await until(lambda: ('order', 'TRADE', 'FILLED') in account.summary())
    assert placed['status'] == 'NEW' and status['status'] == 'FILLED'
    fill = account.orders()[-1]
    assert (fill['m'], fill['L']) == (True, f'{bid - D("0.05"):.8f}')  # a maker fill at its own price
    assert sim.balances('trader')['BTC'].free == 1


async def test_market_orders_by_quantity_and_by_quote_quantity_with_each_response_type(sim):
    async with await connect(sim, hmac_creds(sim)) as spot:
        await sim.fund('trader', 'USDT', '1000')
        full = await spot.create_order(symbol=SYMBOL, side='BUY', type='MARKET', quantity='2.5')
        ack = await spot.create_order(
            symbol=SYMBOL, side='SELL', type='MARKET', quoteOrderQty='50', newOrderRespType='ACK'
        )
        result = await spot.create_order(
            symbol=SYMBOL, side='SELL', type='MARKET', quantity='0.1', newOrderRespType='RESULT'
        )
    assert full['status'] == 'FILLED' and sum(D(f['qty']) for f in full['fills']) == D('2.5')
    assert D(full['cummulativeQuoteQty']) == sum(D(f['price']) * D(f['qty']) for f in full['fills'])
    assert len({f['price'] for f in full['fills']}) > 1  # 2.5 swept more than one level
    assert set(ack) == {'symbol', 'orderId', 'orderListId', 'clientOrderId', 'transactTime'}
    assert 'fills' not in result and result['status'] == 'FILLED' and result['type'] == 'MARKET'
    sold = sim.orders('trader')[1]
    assert sold.quote_order_qty == 50 and D('49') < sold.cum_quote_qty <= 50


async def test_amend_keep_priority_reduces_the_order_where_it_stands(sim):
    account = Account()
    async with await connect(sim, hmac_creds(sim), account) as spot:
        await sim.fund('trader', 'BTC', '5')
        first = await spot.create_order(
            symbol=SYMBOL, side='SELL', type='LIMIT', timeInForce='GTC', price=mid(sim), quantity='2'
        )
        second = await spot.create_order(
            symbol=SYMBOL, side='SELL', type='LIMIT', timeInForce='GTC', price=mid(sim), quantity='1'
        )
        amended = await spot.amend_order(
            symbol=SYMBOL, orderId=first['orderId'], newQty='1', newClientOrderId='smaller'
        )
        assert sim.balances('trader')['BTC'] == (D('3'), D('2'))
        await sim.trade(SYMBOL, 'BUY', '1')
        orders = {o['orderId']: o for o in await spot.get_all_orders(symbol=SYMBOL)}
        await until(lambda: ('order', 'TRADE', 'FILLED') in account.summary())
    order = amended['amendedOrder']
    assert (order['qty'], order['clientOrderId'], order['origClientOrderId'], order['status']) == (
        '1.00000000',
        'smaller',
        first['clientOrderId'],
        'NEW',
    )
    assert orders[first['orderId']]['status'] == 'FILLED'  # still first in the queue after the amend
    assert orders[second['orderId']]['status'] == 'NEW'
    replaced = [p for p in account.orders() if p['x'] == 'REPLACED']
    assert [(p['i'], p['q'], p['c'], p['C'], p['I']) for p in replaced] == [
        (first['orderId'], '1.00000000', 'smaller', first['clientOrderId'], amended['executionId'])
    ]


async def test_an_order_the_balance_cannot_cover_is_rejected_with_2010_and_changes_nothing(sim):
    account = Account()
    async with await connect(sim, hmac_creds(sim), account) as spot:
        await sim.fund('trader', 'USDT', '100')
        await spot.create_order(
            symbol=SYMBOL,
            side='BUY',
            type='LIMIT',
            timeInForce='GTC',
            price='90.00',
            quantity='1',
            newClientOrderId='only',
        )
        await account.wait(4)
        before = (sim.book(SYMBOL), sim.balances('trader'), len(sim.orders('trader')), len(account.events))
        errors = {}
        for name, kwargs in (
            ('insufficient', {'price': '90.00', 'quantity': '1.2'}),
            ('duplicate', {'price': '80.00', 'quantity': '0.1', 'newClientOrderId': 'only'}),
            ('tick', {'price': '80.001', 'quantity': '0.1'}),
        ):
            with pytest.raises(StreamSubscribeException) as info:
                await spot.create_order(symbol=SYMBOL, side='BUY', type='LIMIT', timeInForce='GTC', **kwargs)
            errors[name] = (info.value.code, info.value.msg)
        with pytest.raises(StreamSubscribeException) as info:
            await spot.get_order(symbol=SYMBOL, orderId=999)
        errors['status'] = (info.value.code, info.value.msg)
        with pytest.raises(StreamSubscribeException) as info:
            await spot.cancel_order(symbol=SYMBOL, orderId=999)
        errors['cancel'] = (info.value.code, info.value.msg)
        await asyncio.sleep(0.05)  # nothing may be on its way
        after = (sim.book(SYMBOL), sim.balances('trader'), len(sim.orders('trader')), len(account.events))
    assert errors == {
        'insufficient': (-2010, 'Account has insufficient balance for requested action.'),
        'duplicate': (-2010, 'Duplicate order sent.'),
        'tick': (-1013, 'Filter failure: PRICE_FILTER'),
        'status': (-2013, 'Order does not exist.'),
        'cancel': (-2011, 'Unknown order sent.'),
    }
    assert after == before


async def test_account_queries(sim):
    async with await connect(sim, hmac_creds(sim)) as spot:
        await sim.fund('trader', 'USDT', '1000')
        await sim.fund('trader', 'ETH', '0')
        bought = await spot.create_order(symbol=SYMBOL, side='BUY', type='MARKET', quantity='1')
        await spot.create_order(symbol=SYMBOL, side='BUY', type='LIMIT', timeInForce='GTC', price='50.00', quantity='1')
        account = await spot.get_account(omitZeroBalances=True)
        trades = await spot.get_trades(symbol=SYMBOL)
        all_orders = await spot.get_all_orders(symbol=SYMBOL)
        canceled = await spot.cancel_all_orders(symbol=SYMBOL)
        price = await spot.get_ticker_price(symbol=SYMBOL)
        recent = await spot.get_recent_trades(symbol=SYMBOL, limit=3)
        klines = await spot.get_klines(symbol=SYMBOL, interval='1m')
        info = await spot.get_exchange_info(symbol=SYMBOL)
    assert [b['asset'] for b in account['balances']] == ['BTC', 'USDT']  # ETH is zero
    assert [(t['orderId'], t['isBuyer'], t['isMaker']) for t in trades] == [(bought['orderId'], True, False)] * len(
        bought['fills']
    )
    assert [o['status'] for o in all_orders] == ['FILLED', 'NEW']
    assert [o['status'] for o in canceled] == ['CANCELED'] and sim.orders('trader', open_only=True) == []
    assert price == {'symbol': SYMBOL, 'price': bought['fills'][-1]['price']}
    assert [t['price'] for t in recent][-1] == bought['fills'][-1]['price']
    assert klines[-1][8] >= len(bought['fills']) and D(klines[-1][5]) >= 1
    filters = {f['filterType']: f for f in info['symbols'][0]['filters']}
    assert filters['PRICE_FILTER']['tickSize'] == '0.01000000' and filters['LOT_SIZE']['stepSize'] == '0.00100000'


async def test_a_plain_fake_exchange_still_answers_orders_with_an_empty_object():
    async with FakeExchange('spot') as fx:
        async with SpotClient(hmac_creds(fx), **fx.client_kwargs()) as spot:
            assert await spot.create_order(symbol=SYMBOL, side='BUY', type='MARKET', quantity='1') == {}


# -- market streams --------------------------------------------------------------------------------------


async def test_market_streams_carry_trades_klines_tickers_and_the_top_of_book(sim):
    seen = {}

    def recorder(base):
        class Recorder(base):
            def receive(self, payload):
                super().receive(payload)
                seen.setdefault(base, []).append(payload)

        return Recorder()

    bases = (
        TradeHandlerBase,
        AggTradeHandlerBase,
        KlineHandlerBase,
        BookTickerHandlerBase,
        TickerHandlerBase,
        PartialOrderBookHandlerBase,
    )
    async with SpotClient(**sim.client_kwargs()) as spot:
        spot.handler(*(recorder(b) for b in bases))
        await spot.subscribe(
            ([SubType.TRADE, SubType.AGG_TRADE, SubType.BOOK_TICKER, SubType.TICKER], [SYMBOL]),
            (SubType.KLINE, SYMBOL, '1m'),
            (SubType.PARTIAL_ORDER_BOOK, SYMBOL, 5, 100),
        )
        await until(lambda: len(sim.subscriptions()) == 6)
        await sim.trade(SYMBOL, 'BUY', '3')
        await sim.flush()
        await until(lambda: len(seen) == len(bases))
    trades = seen[TradeHandlerBase]
    assert [t['t'] for t in trades] == list(range(trades[0]['t'], trades[0]['t'] + len(trades)))
    assert sum(D(t['q']) for t in trades) == D('3') and not any(t['m'] for t in trades)  # the buyer took
    aggs = seen[AggTradeHandlerBase]
    assert (aggs[0]['f'], aggs[-1]['l']) == (trades[0]['t'], trades[-1]['t'])
    assert sum(D(a['q']) for a in aggs) == D('3') and len(aggs) == len({t['p'] for t in trades})
    k = seen[KlineHandlerBase][-1]['k']
    assert (k['i'], k['x'], k['c'], k['n'], D(k['v'])) == ('1m', False, trades[-1]['p'], len(trades), D('3'))
    truth = sim.book(SYMBOL, 5)
    top = seen[BookTickerHandlerBase][-1]
    assert (D(top['b']), D(top['B']), D(top['a']), D(top['A'])) == (*truth['bids'][0], *truth['asks'][0])
    assert seen[TickerHandlerBase][-1]['c'] == trades[-1]['p']
    partial = seen[PartialOrderBookHandlerBase][-1]
    assert [[D(p), D(q)] for p, q in partial['asks']] == truth['asks']


# -- the managed order book ------------------------------------------------------------------------------


class Depth(OrderBookHandlerBase):
    """The SDK's managed book, also recording the raw diff events."""

    def __init__(self):
        super().__init__()
        self.events = []

    def receive(self, payload):
        self.events.append(payload)
        return super().receive(payload)


async def caught_up(sim, book):
    """Move the market until the client's book is synced, then freeze it, publish what is pending and wait until
    the book reached the true book. (Binance's procedure joins a snapshot to a *later* event, so a book still
    syncing in a frozen market waits for the next change.)"""
    async with asyncio.timeout(5):
        while not book.ready:
            await sim.step()
            await asyncio.sleep(0.01)
        sim.pause()
        await sim.flush()
        truth = sim.book(SYMBOL)
        while book.last_update_id != truth['lastUpdateId']:
            await book.updated()
    return truth


async def test_the_managed_order_book_equals_the_true_book_also_after_the_stream_drops(binance_simulated_exchange):
    sim = await binance_simulated_exchange('spot', {SYMBOL: '100.00'}, seed=3, tick=0.01)
    creds = hmac_creds(sim)
    await sim.fund('trader', 'USDT', '10000')
    depth = Depth()
    async with SpotClient(creds, **sim.client_kwargs()) as spot:
        spot.handler(depth)
        await spot.subscribe(SubType.ORDER_BOOK, SYMBOL, 100)
        book = depth.orderbook(SYMBOL)
        async with asyncio.timeout(5):
            await book.updated()
        # The account's resting order is part of the public book.
        mine = sim.price(SYMBOL) - 1  # 100 ticks under the market: it stays on the book
        await spot.create_order(
            symbol=SYMBOL, side='BUY', type='LIMIT', timeInForce='GTC', price=str(mine), quantity='7.777'
        )
        await asyncio.sleep(0.3)  # ~30 ticks of a running market
        truth = await caught_up(sim, book)
        assert book.bids[::-1] == truth['bids'] and book.asks == truth['asks']
        assert [q >= D('7.777') for p, q in book.bids if p == mine] == [True]
        first_id = truth['lastUpdateId']

        sim.resume()
        await sim.drop_connections('stream')
        await until(lambda: sim.stream_connections == 2 and sim.subscriptions() == {'btcusdt@depth@100ms'})
        await sim.step(20)
        truth = await caught_up(sim, book)
        assert truth['lastUpdateId'] > first_id
        assert book.bids[::-1] == truth['bids'] and book.asks == truth['asks']
    # Binance "Diff. Depth Stream": on one connection each event starts where the previous one ended.
    events = depth.events
    breaks = [b['U'] for a, b in itertools.pairwise(events) if b['U'] != a['u'] + 1]
    assert len(breaks) <= 1  # only across the reconnect


async def test_the_one_second_stream_and_the_snapshot_agree_too(sim):
    depth = Depth()
    async with SpotClient(**sim.client_kwargs()) as spot:
        spot.handler(depth)
        await spot.subscribe(SubType.ORDER_BOOK, SYMBOL)  # <symbol>@depth, every second
        await until(lambda: sim.subscriptions() == {'btcusdt@depth'})
        book = depth.orderbook(SYMBOL)
        await sim.step(5)
        await sim.flush()
        truth = await caught_up(sim, book)
    assert book.bids[::-1] == truth['bids'] and book.asks == truth['asks']


async def test_the_same_seed_gives_the_same_market(binance_simulated_exchange):
    books = []
    for _ in range(2):
        sim = await binance_simulated_exchange('spot', {SYMBOL: '100.00'}, seed='repeat', tick=0.01, paused=True)
        await sim.step(40)
        books.append(sim.book(SYMBOL))
    assert books[0] == books[1]
