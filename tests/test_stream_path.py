"""The market-stream push path (binance_core/transport/stream.py) against the loopback fake exchange, on whichever
transport the environment picks (``BINANCE_TRANSPORT``; the suites run on both): plain handlers run inline in the
reader, a slow handler moves delivery to a drain task while reading (and acknowledgements) go on, back-pressure
stops reading at ``BACKLOG`` frames and loses nothing; plus the JSON library and the transport choice."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
from collections.abc import AsyncIterator
from typing import Any

import pytest

from binance import SpotClient, StreamErrorHandlerBase, SubType, TradeHandlerBase
from binance_core import jsonlib
from binance_core.transport import stream as stream_module
from binance_core.transport.stream import pick_transport
from binance_testing import FakeExchange

TRADE = {'e': 'trade', 'E': 1, 's': 'BNBBTC', 't': 0, 'p': '0.001', 'q': '100', 'T': 1, 'm': True, 'M': True}


def trade(i: int) -> dict[str, Any]:
    return {**TRADE, 't': i}


@pytest.fixture
async def fx() -> AsyncIterator[FakeExchange]:
    async with FakeExchange('spot') as exchange:
        yield exchange


async def until(predicate: Any, timeout: float = 5) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.005)


class Ids(TradeHandlerBase):
    def __init__(self) -> None:
        self.ids: list[int] = []
        self.tasks: set[str | None] = set()

    def receive(self, payload: Any) -> None:
        task = asyncio.current_task()
        self.tasks.add(None if task is None else task.get_name())
        self.ids.append(payload['t'])


async def test_plain_handlers_run_inline_in_the_reader_with_no_task_or_backlog_between(fx: FakeExchange) -> None:
    ids = Ids()
    async with asyncio.timeout(10), SpotClient(**fx.client_kwargs()) as spot:
        spot.handler(ids)
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        conn = spot._streams.connections[None]
        await fx.push_many('bnbbtc@trade', (trade(i) for i in range(2000)))
        await until(lambda: len(ids.ids) == 2000)
        assert conn._drainer is None and conn.backlog == 0 and conn.stats['frames'] == 2000
    assert ids.ids == list(range(2000))
    # aiohttp: its reader task; picows: the socket's callback (no task at all). Never a queue's consumer.
    assert ids.tasks <= {None, 'binance-data-reader'}


async def test_a_subscribe_acknowledgement_is_not_held_up_by_a_slow_handler(fx: FakeExchange) -> None:
    release = asyncio.Event()

    class Slow(Ids):
        async def receive(self, payload: Any) -> None:
            super().receive(payload)
            if payload['t'] == 0:
                await release.wait()

    slow = Slow()
    async with asyncio.timeout(10), SpotClient(**fx.client_kwargs()) as spot:
        spot.handler(slow)
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        for i in range(5):  # 0 holds up delivery; 1-4 wait in the backlog
            await fx.push('bnbbtc@trade', trade(i))
        conn = spot._streams.connections[None]
        await until(lambda: conn.backlog == 4)
        await spot.subscribe(SubType.TRADE, 'ETHBTC')  # its ack comes after those frames: answered all the same
        assert slow.ids == [0] and fx.subscriptions() == {'bnbbtc@trade', 'ethbtc@trade'}
        release.set()
        await fx.push('ethbtc@trade', trade(5))
        await until(lambda: len(slow.ids) == 6)
    assert slow.ids == [0, 1, 2, 3, 4, 5]


async def test_a_handler_may_subscribe_from_inside_receive(fx: FakeExchange) -> None:
    """The acknowledgement arrives on the connection whose frame the handler is handling: reading must go on."""

    class Follows(Ids):
        async def receive(self, payload: Any) -> None:
            super().receive(payload)
            if payload['t'] == 0:
                await self.client.subscribe(SubType.AGG_TRADE, 'BNBBTC')

    follows = Follows()
    async with asyncio.timeout(10), SpotClient(**fx.client_kwargs()) as spot:
        spot.handler(follows)
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        await fx.push('bnbbtc@trade', trade(0))
        await until(lambda: fx.subscriptions() == {'bnbbtc@trade', 'bnbbtc@aggTrade'})
        await fx.push('bnbbtc@trade', trade(1))
        await until(lambda: follows.ids == [0, 1])


async def test_a_slow_handler_stops_reading_at_the_backlog_bound_and_loses_nothing(
    fx: FakeExchange, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stream_module, 'BACKLOG', 500)
    n = 20_000
    peak = 0

    class Slow(TradeHandlerBase):
        def __init__(self) -> None:
            self.ids: list[int] = []

        async def receive(self, payload: Any) -> None:
            nonlocal peak
            self.ids.append(payload['t'])
            peak = max(peak, conn.backlog)
            if len(self.ids) % 200 == 0:
                await asyncio.sleep(0.002)  # slower than the feed

    slow = Slow()
    async with asyncio.timeout(60), SpotClient(**fx.client_kwargs()) as spot:
        spot.handler(slow)
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        conn = spot._streams.connections[None]
        await fx.push_many('bnbbtc@trade', (trade(i) for i in range(n)))
        await until(lambda: len(slow.ids) == n, timeout=50)
        stats = conn.stats
    assert slow.ids == list(range(n))
    assert stats['backpressure'] >= 1 and stats['connects'] == 1 and fx.stream_connections == 1
    # Reading stops at the bound (what picows hands over of the read it was in waits unparsed in its socket).
    assert 250 <= peak <= 500


async def test_stop_while_reading_stands_still_discards_the_backlog_and_reads_again(
    fx: FakeExchange, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stream_module, 'BACKLOG', 50)
    release = asyncio.Event()

    class Stuck(Ids):
        async def receive(self, payload: Any) -> None:
            super().receive(payload)
            if payload['t'] == 0:
                await release.wait()

    stuck = Stuck()
    async with asyncio.timeout(10), SpotClient(**fx.client_kwargs()) as spot:
        spot.handler(stuck)
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        conn = spot._streams.connections[None]
        await fx.push_many('bnbbtc@trade', (trade(i) for i in range(500)))
        await until(lambda: conn._room is not None)  # 50 frames behind: reading stands still
        spot.stop()
        assert conn.backlog == 0 and conn._room is None
        await spot.subscribe(SubType.TRADE, 'ETHBTC')  # read again: its ack, behind the rest, gets through
        release.set()
        spot.start()
        await fx.push('bnbbtc@trade', trade(500))
        await until(lambda: stuck.ids[-1:] == [500])
    assert stuck.ids == [0, 500]
    assert conn.stats['discarded'] == 499 and conn.stats['backpressure'] == 1


async def test_close_while_a_handler_is_slow_ends_every_task(fx: FakeExchange) -> None:
    started = asyncio.Event()

    class Stuck(Ids):
        async def receive(self, payload: Any) -> None:
            super().receive(payload)
            started.set()
            await asyncio.Event().wait()

    async with asyncio.timeout(10):
        spot = SpotClient(**fx.client_kwargs())
        spot.handler(Stuck())
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        conn = spot._streams.connections[None]
        for i in range(3):
            await fx.push('bnbbtc@trade', trade(i))
        await started.wait()
        drainer = conn._drainer
        assert drainer is not None
        await spot.close()
        assert drainer.done() and conn._runner is not None and conn._runner.done()


async def test_frames_for_streams_nobody_handles_cost_nothing_and_break_nothing(fx: FakeExchange) -> None:
    ids = Ids()
    async with asyncio.timeout(10), SpotClient(**fx.client_kwargs()) as spot:
        spot.handler(ids)
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        await spot.subscribe(SubType.AGG_TRADE, 'BNBBTC')  # no handler for it
        await fx.push('bnbbtc@aggTrade', {'e': 'aggTrade', 'a': 1})
        await fx.push('bnbbtc@trade', trade(7))
        await until(lambda: ids.ids == [7])


async def test_a_frame_naming_no_usable_stream_is_skipped_and_reported_like_junk(fx: FakeExchange) -> None:
    release = asyncio.Event()

    class Slow(Ids):
        async def receive(self, payload: Any) -> None:
            super().receive(payload)
            if payload['t'] == 0:
                await release.wait()

    class Errors(StreamErrorHandlerBase):
        def __init__(self) -> None:
            self.phases: list[str] = []

        def receive(self, error: Any) -> None:
            self.phases.append(error.phase)

    slow, errors = Slow(), Errors()
    junk = ('{"stream":5,"data":{}}', '{"stream":["x"],"data":1}')
    async with asyncio.timeout(10), SpotClient(**fx.client_kwargs()) as spot:
        spot.handler(slow, errors)
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        for text in junk:  # delivered inline
            await fx.push_raw(text)
        await fx.push('bnbbtc@trade', trade(0))
        await until(lambda: slow.ids == [0])
        for text in junk:  # while a slow handler holds delivery up
            await fx.push_raw(text)
        await fx.push('bnbbtc@trade', trade(1))
        release.set()
        await until(lambda: slow.ids == [0, 1] and len(errors.phases) == 4)
        conn = spot._streams.connections[None]
        assert conn.stats['malformed'] == 4 and conn.stats['frames'] == 2 and conn.stats['connects'] == 1
    assert errors.phases == ['frame'] * 4


# -- the transport choice -----------------------------------------------------------------------------------


def test_the_transport_is_the_argument_else_the_environment_else_picows_when_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    installed = importlib.util.find_spec('picows') is not None
    monkeypatch.delenv('BINANCE_TRANSPORT', raising=False)
    assert pick_transport() == ('picows' if installed else 'aiohttp')
    assert pick_transport('aiohttp') == 'aiohttp'
    monkeypatch.setenv('BINANCE_TRANSPORT', 'AIOHTTP')
    assert pick_transport() == 'aiohttp'
    with pytest.raises(ValueError, match="'aiohttp' or 'picows'"):
        pick_transport('websockets')
    monkeypatch.setenv('BINANCE_TRANSPORT', 'nope')
    with pytest.raises(ValueError, match='nope'):
        SpotClient()
    if not installed:
        with pytest.raises(ImportError, match=r'binance-sdk-core\[speed\]'):
            pick_transport('picows')


async def test_the_client_argument_picks_the_transport_of_its_connections(fx: FakeExchange) -> None:
    ids = Ids()
    async with asyncio.timeout(10), SpotClient(stream_transport='aiohttp', **fx.client_kwargs()) as spot:
        spot.handler(ids)
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        conn = spot._streams.connections[None]
        assert conn.transport == 'aiohttp' and type(conn._sock).__name__ == '_AiohttpSocket'
        await fx.push('bnbbtc@trade', trade(1))
        await until(lambda: ids.ids == [1])


# -- JSON -------------------------------------------------------------------------------------------------------


def _stdlib_jsonlib(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A second copy of binance_core.jsonlib, loaded with BINANCE_JSON=json (the one in use stays as it is)."""
    monkeypatch.setenv('BINANCE_JSON', 'json')
    spec = importlib.util.spec_from_file_location('_jsonlib_stdlib', jsonlib.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, '_jsonlib_stdlib', module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize('which', ['in use', 'stdlib'])
def test_jsonlib_behaves_the_same_whichever_library_is_behind_it(which: str, monkeypatch: pytest.MonkeyPatch) -> None:
    lib = jsonlib if which == 'in use' else _stdlib_jsonlib(monkeypatch)
    if which == 'stdlib':
        assert lib.NAME == 'json'
    text = '{"stream":"bnbbtc@trade","data":{"p":"0.001","t":12345,"m":true,"x":null,"s":"币安"}}'
    want = json.loads(text)
    assert lib.loads(text) == want
    assert lib.loads(text.encode()) == want
    assert lib.loads(bytearray(text.encode())) == want
    for bad in ('', 'not json', '{"a":1', b'\xff\xfe{}', '[' * 100_000):
        with pytest.raises(ValueError):
            lib.loads(bad)
    out = lib.dumps({'method': 'SUBSCRIBE', 'params': ['bnbbtc@trade'], 'id': 1, 2: (1, 2)})
    assert isinstance(out, str) and ' ' not in out
    assert json.loads(out) == {'method': 'SUBSCRIBE', 'params': ['bnbbtc@trade'], 'id': 1, '2': [1, 2]}
    assert json.loads(lib.dumps({'s': '币安'})) == {'s': '币安'}
    for obj in ('x"\n', [1.5, 1e300, -0.0, 2**63 - 1, True, None, 'é'], {'a': {'b': [{}, []]}}, ()):
        assert json.loads(lib.dumps(obj)) == json.loads(json.dumps(obj)), obj
    if which == 'stdlib':  # the same text as json.dumps, compact; twice, so the encoder built once is reused
        for obj in ({'price': 0.1, 'qty': 3, 'ok': False, 'ids': (1, 2), 's': 'a"b\\'}, [None, 'x'], 'plain'):
            assert lib.dumps(obj) == lib.dumps(obj) == json.dumps(obj, separators=(',', ':'))
    loop: list[Any] = []
    loop.append(loop)
    for bad_obj in (loop, {'x': object()}, object()):
        with pytest.raises((ValueError, TypeError)):
            lib.dumps(bad_obj)
