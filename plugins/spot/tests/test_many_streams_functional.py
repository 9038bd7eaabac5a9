"""Past one connection (issue 15, item 6): ``SpotClient(spread_streams=True)`` spreads every Spot symbol's trade
stream (about 3,000) over as many connections as Binance's 1024-stream cap needs, against the loopback fake
exchange: frames arrive on every connection, each connection replays its own streams after a drop, and a name
lives on one connection only. Without the argument the spec's ``TooManyStreamsException`` stands."""

import asyncio
from collections import Counter

import pytest

from binance import SpotClient, SubType, TooManyStreamsException, TradeHandlerBase
from binance_testing import FakeExchange

SYMBOLS = [f'S{i:04d}USDT' for i in range(3000)]  # about as many as Binance lists for Spot
WIRES = {f'{s.lower()}@trade' for s in SYMBOLS}


def trade(symbol, i):
    return {'e': 'trade', 'E': 1, 's': symbol, 't': i, 'p': '1.0', 'q': '1.0', 'T': 1, 'm': True, 'M': True}


def fast_retries(info):
    return False, 0.01


class Counting(TradeHandlerBase):
    def __init__(self):
        self.symbols = Counter()

    def receive(self, payload):
        self.symbols[payload['s']] += 1


@pytest.fixture
async def fx():
    async with FakeExchange('spot') as exchange:
        yield exchange


async def until(predicate, timeout=10):
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


async def push_every_stream(fx, i):
    for symbol in SYMBOLS:
        assert await fx.push(f'{symbol.lower()}@trade', trade(symbol, i)) == 1


async def test_every_spot_symbols_trade_stream_is_spread_over_three_connections_and_all_deliver(fx):
    counting = Counting()
    async with asyncio.timeout(30), SpotClient(spread_streams=True, **fx.client_kwargs()) as spot:
        spot.handler(counting)
        await spot.subscribe(SubType.TRADE, SYMBOLS)
        group = spot._streams.groups[None]
        assert [len(c.streams) for c in group] == [1024, 1024, 952]
        assert fx.stream_connections == 3 and fx.subscriptions() == WIRES
        # One SUBSCRIBE per connection, none above the cap, every stream on exactly one connection.
        sent = [r.params for r in fx.requests_for('SUBSCRIBE')]
        assert sorted(len(p) for p in sent) == [952, 1024, 1024]
        assert Counter(name for p in sent for name in p) == Counter(WIRES)
        await push_every_stream(fx, 1)
        await until(lambda: sum(counting.symbols.values()) == len(SYMBOLS))
        assert set(counting.symbols) == set(SYMBOLS) and set(counting.symbols.values()) == {1}
        assert all(c.stats['frames'] > 900 for c in group)
        [attempts] = [w for w in spot.rate_limit_snapshot().windows if w.type == 'ws_connections']
        assert attempts.used == 3  # one connection attempt each, from the IP's budget


async def test_without_spreading_the_cap_of_one_connection_still_raises(fx):
    async with asyncio.timeout(10), SpotClient(**fx.client_kwargs()) as spot:
        with pytest.raises(TooManyStreamsException) as info:
            await spot.subscribe(SubType.TRADE, SYMBOLS)
    assert (info.value.requested, info.value.limit) == (3000, 1024)
    assert fx.stream_connections == 0


async def test_after_a_drop_each_connection_replays_its_own_streams(fx):
    counting = Counting()
    kwargs = fx.client_kwargs()
    async with asyncio.timeout(30), SpotClient(spread_streams=True, stream_retry_policy=fast_retries, **kwargs) as spot:
        spot.handler(counting)
        await spot.subscribe(SubType.TRADE, SYMBOLS)
        group = spot._streams.groups[None]
        own = [set(c.streams) for c in group]
        before = len(fx.requests_for('SUBSCRIBE'))
        assert await fx.drop_connections('stream') == 3
        await until(
            lambda: (
                fx.stream_connections == 6
                and all(c.confirmed == streams for c, streams in zip(group, own, strict=True))
            ),
            timeout=20,
        )
        assert fx.subscriptions() == WIRES
        replayed = [r.params for r in fx.requests_for('SUBSCRIBE')[before:]]
        assert max(len(p) for p in replayed) <= 200  # replays go in chunks
        assert Counter(name for p in replayed for name in p) == Counter(WIRES)  # each stream once, nothing else
        await push_every_stream(fx, 2)
        await until(lambda: sum(counting.symbols.values()) == len(SYMBOLS))


async def test_room_left_by_an_unsubscribe_is_used_before_a_new_connection(fx):
    async with asyncio.timeout(30), SpotClient(spread_streams=True, **fx.client_kwargs()) as spot:
        await spot.subscribe(SubType.TRADE, SYMBOLS)
        await spot.unsubscribe(SubType.TRADE, SYMBOLS[:100])
        more = [f'N{i:03d}USDT' for i in range(172)]
        await spot.subscribe(SubType.TRADE, more)
        group = spot._streams.groups[None]
        assert [len(c.streams) for c in group] == [1024, 1024, 1024] and fx.stream_connections == 3
        assert fx.subscriptions() == (WIRES - {f'{s.lower()}@trade' for s in SYMBOLS[:100]}) | {
            f'{s.lower()}@trade' for s in more
        }


async def test_concurrent_subscribes_put_each_stream_on_one_connection(fx):
    counting = Counting()
    async with asyncio.timeout(30), SpotClient(spread_streams=True, **fx.client_kwargs()) as spot:
        spot.handler(counting)
        await asyncio.gather(
            spot.subscribe(SubType.TRADE, SYMBOLS[:2000]),
            spot.subscribe(SubType.TRADE, SYMBOLS[1000:]),
        )
        group = spot._streams.groups[None]
        assert Counter(name for c in group for name in c.streams) == Counter(WIRES)
        assert len(group) == 3
        await push_every_stream(fx, 3)
        await until(lambda: sum(counting.symbols.values()) == len(SYMBOLS))
        assert set(counting.symbols.values()) == {1}  # no stream twice
