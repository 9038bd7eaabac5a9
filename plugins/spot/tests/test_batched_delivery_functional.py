"""Batched delivery (``HandlerBase.batch``) on a SpotClient against the loopback fake exchange: a burst reaches
``receive_batch`` in lists of at most ``batch`` frames, every frame exactly once and in order, next to handlers
that take frames one at a time; a lone frame is handed over without waiting for company; slow ``async``
batches, failing batches and user-data events keep the same guarantees."""

import asyncio

import pytest

from binance import (
    Credentials,
    HandlerExceptionHandlerBase,
    OrderUpdateHandlerBase,
    SpotClient,
    SubType,
    TradeHandlerBase,
)
from binance_testing import FakeExchange

TRADE = {'e': 'trade', 'E': 1672515782136, 's': 'BNBBTC', 'p': '0.001', 'q': '100', 'T': 1672515782136, 'm': True}


def trade(i):
    return {**TRADE, 't': i, 'p': f'{i}.5'}


@pytest.fixture
async def fx():
    async with FakeExchange('spot') as exchange:
        yield exchange


async def until(predicate, timeout=10):
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.005)


class Batches(TradeHandlerBase):
    batch = 64

    def __init__(self):
        self.sizes = []
        self.ids = []
        self.frames = []

    def receive_batch(self, payloads):
        df = super().receive_batch(payloads)
        self.sizes.append(len(payloads))
        self.ids.extend(p['t'] for p in payloads)
        self.frames.append(df)


class OneByOne(TradeHandlerBase):
    def __init__(self):
        self.ids = []

    def receive(self, payload):
        self.ids.append(payload['t'])


async def test_a_burst_arrives_in_batches_of_at_most_the_bound_each_frame_once_in_order(fx):
    batches, plain = Batches(), OneByOne()
    n = 5_000
    async with SpotClient(**fx.client_kwargs()) as spot:
        spot.handler(batches, plain)
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        async with asyncio.timeout(30):
            await fx.push_many('bnbbtc@trade', (trade(i) for i in range(n)))
        await until(lambda: len(batches.ids) == n and len(plain.ids) == n)
    assert batches.ids == list(range(n)) and plain.ids == list(range(n))
    assert max(batches.sizes) <= Batches.batch and min(batches.sizes) >= 1
    # A burst really is batched: frames read together go together (a client delivering one by one would
    # give n batches of 1).
    assert len(batches.sizes) < n // 2, batches.sizes[:20]
    # Each batch is one frame with one row per payload, in order, typed as the one-row frames are.
    rows = [i for df in batches.frames for i in df['trade_id'].to_list()]
    assert rows == list(range(n))
    big = next(df for df in batches.frames if len(df) > 1)
    one = Batches().receive(trade(0))
    assert big.columns == one.columns and big.dtypes == one.dtypes


async def test_a_lone_frame_is_handed_over_without_waiting_for_more(fx):
    batches = Batches()
    async with SpotClient(**fx.client_kwargs()) as spot:
        spot.handler(batches)
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        for i in range(3):
            await fx.push('bnbbtc@trade', trade(i))
            # Nothing else is sent until this one arrived: a batch waiting to fill would hang here.
            await until(lambda i=i: batches.ids == list(range(i + 1)), timeout=5)
    assert batches.sizes == [1, 1, 1]


async def test_a_slow_async_batch_handler_gets_every_frame_in_order_within_the_bound(fx):
    class SlowBatches(TradeHandlerBase):
        batch = 100

        def __init__(self):
            self.ids = []
            self.sizes = []
            self.running = 0
            self.overlapped = False

        async def receive_batch(self, payloads):
            self.running += 1
            self.overlapped = self.overlapped or self.running > 1
            self.sizes.append(len(payloads))
            self.ids.extend(p['t'] for p in payloads)
            await asyncio.sleep(0.002)  # slower than the feed: frames pile up behind it
            self.running -= 1

    slow, plain = SlowBatches(), OneByOne()
    n = 20_000
    async with SpotClient(**fx.client_kwargs()) as spot:
        spot.handler(plain, slow)
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        async with asyncio.timeout(60):
            await fx.push_many('bnbbtc@trade', (trade(i) for i in range(n)))
        await until(lambda: len(slow.ids) == n, timeout=60)
        stats = spot._streams.connections[None].stats
    assert slow.ids == list(range(n)) and plain.ids == list(range(n))
    assert max(slow.sizes) <= 100 and not slow.overlapped  # one batch at a time, never concurrently
    assert sum(s == 100 for s in slow.sizes) > len(slow.sizes) // 2  # behind the feed, batches run full
    assert stats['connects'] == 1


async def test_a_batch_that_raises_is_reported_and_the_next_batches_still_come(fx):
    class Failing(Batches):
        def receive_batch(self, payloads):
            super().receive_batch(payloads)
            if 7 in (p['t'] for p in payloads):
                raise ValueError('boom')

    class Errors(HandlerExceptionHandlerBase):
        def __init__(self):
            self.seen = []

        def receive(self, exc):
            self.seen.append(exc)

    failing, errors = Failing(), Errors()
    async with SpotClient(**fx.client_kwargs()) as spot:
        spot.handler(failing, errors)
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        await fx.push_many('bnbbtc@trade', (trade(i) for i in range(10)))
        await until(lambda: len(failing.ids) == 10)
        await fx.push('bnbbtc@trade', trade(10))
        await until(lambda: len(failing.ids) == 11)
    assert failing.ids == list(range(11))
    assert [type(e) for e in errors.seen] == [ValueError]


async def test_user_data_events_reach_a_batching_handler_through_receive_batch(fx):
    class Orders(OrderUpdateHandlerBase):
        batch = 16

        def __init__(self):
            self.batches = []

        def receive_batch(self, payloads):
            self.batches.append([p['i'] for p in payloads])

        def receive(self, payload):  # pragma: no cover - must not be called
            raise AssertionError('receive() called on a batching handler')

    orders = Orders()
    fx.add_key('u', secret='s')
    async with SpotClient(Credentials('u', api_secret='s'), **fx.client_kwargs()) as spot:
        spot.handler(orders)
        await spot.subscribe(SubType.USER)
        for i in range(3):
            await fx.push_user_event({'e': 'executionReport', 'E': 1, 's': 'BNBBTC', 'i': i, 'X': 'NEW'})
        await until(lambda: sum(map(len, orders.batches)) == 3)
    assert [i for b in orders.batches for i in b] == [0, 1, 2]
    assert all(1 <= len(b) <= 16 for b in orders.batches)


async def test_with_spread_streams_a_batch_holds_frames_of_one_connection_in_order(fx):
    class BySymbol(TradeHandlerBase):
        batch = 32

        def __init__(self):
            self.batches = []

        async def receive_batch(self, payloads):
            self.batches.append([(p['s'], p['t']) for p in payloads])
            await asyncio.sleep(0)  # an async handler: batches of both connections are in flight together

    symbols = [f'S{i:04d}USDT' for i in range(1025)]  # one more than a connection carries: two connections
    handler = BySymbol()
    async with SpotClient(spread_streams=True, **fx.client_kwargs()) as spot:
        spot.handler(handler)
        await spot.subscribe(SubType.TRADE, symbols)
        first, _ = spot._streams.groups[None]
        on_first = {s for s in symbols if f'{s.lower()}@trade' in first.streams}
        a, b = symbols[0], symbols[-1]
        assert a in on_first and b not in on_first
        async with asyncio.timeout(30):
            await asyncio.gather(
                fx.push_many(f'{a.lower()}@trade', ({**trade(i), 's': a} for i in range(2_000))),
                fx.push_many(f'{b.lower()}@trade', ({**trade(i), 's': b} for i in range(2_000))),
            )
        await until(lambda: sum(map(len, handler.batches)) == 4_000)
    for batch in handler.batches:
        assert len({s for s, _ in batch}) == 1 and len(batch) <= 32  # one connection's frames per batch
    for symbol in (a, b):
        assert [t for batch in handler.batches for s, t in batch if s == symbol] == list(range(2_000))


async def test_behind_a_slow_handler_a_batch_waits_for_no_frame_read_after_it(fx):
    # A slow async trade handler keeps the connection's backlog from ever running dry; a batching aggTrade handler on
    # the same connection must still get its lone frame once the frames read before it are delivered.
    from binance import AggTradeHandlerBase

    agg = {'e': 'aggTrade', 'E': 1, 's': 'BNBBTC', 'a': 1, 'p': '1', 'q': '1', 'f': 1, 'l': 1, 'T': 1, 'm': True}

    class Slow(TradeHandlerBase):
        def __init__(self):
            self.done = 0

        async def receive(self, payload):
            await asyncio.sleep(0.0005)
            self.done = payload['t']

    class Aggs(AggTradeHandlerBase):
        batch = 100

        def __init__(self):
            self.seen_at_trade = None  # how far Slow had got when the aggTrade frame was handed over

        def receive_batch(self, payloads):
            self.seen_at_trade = slow.done

    slow, aggs = Slow(), Aggs()
    async with SpotClient(**fx.client_kwargs()) as spot:
        spot.handler(slow, aggs)
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        await spot.subscribe(SubType.AGG_TRADE, 'BNBBTC')
        await fx.push_many('bnbbtc@trade', (trade(i) for i in range(1, 301)))  # a backlog builds up
        await fx.push('bnbbtc@aggTrade', agg)
        i = 301
        async with asyncio.timeout(20):
            while aggs.seen_at_trade is None:  # the feed goes on, faster than Slow: the backlog never runs dry
                await fx.push_many('bnbbtc@trade', (trade(k) for k in range(i, i + 20)))
                i += 20
                await asyncio.sleep(0.005)
        backlog = spot._streams.connections[None].backlog
    # Handed over right behind the 300 trades read before it, while later trades still waited.
    assert 300 <= aggs.seen_at_trade < i - 1 and backlog > 0, (aggs.seen_at_trade, i, backlog)


async def test_stop_discards_what_a_batch_holds_and_nothing_comes_after_on_stop(fx):
    class Held(TradeHandlerBase):
        batch = 100

        def __init__(self):
            self.log = []

        def receive_batch(self, payloads):
            self.log.append(('batch', [p['t'] for p in payloads]))

        def _on_stop(self):
            self.log.append(('stop',))

    class Stopper(TradeHandlerBase):
        def receive(self, payload):
            if payload['t'] == 5:
                self.client.stop()

    held = Held()
    async with SpotClient(**fx.client_kwargs()) as spot:
        spot.handler(held, Stopper())
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        await fx.push_many('bnbbtc@trade', (trade(i) for i in range(10)))
        conn = spot._streams.connections[None]
        await until(lambda: conn.stats['discarded'] == 10)  # 0-5 held by the batch, 6-9 read while stopped
        spot.start()
        await fx.push('bnbbtc@trade', trade(10))
        await until(lambda: held.log[-1:] == [('batch', [10])])
    assert held.log == [('stop',), ('batch', [10])]
