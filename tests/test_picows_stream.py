"""The picows stream transport's own edge cases, against the loopback fake exchange: what picows leaves to its
user (joining fragments, the close handshake, pongs, pausing the socket) must behave as aiohttp's reader does,
so each test runs on both transports. Skipped where picows is not installed (the ``[speed]`` extra)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from binance import (
    ConnectionFailedException,
    SpotClient,
    StreamAbandonedException,
    StreamErrorHandlerBase,
    SubType,
    TradeHandlerBase,
)
from binance_core.transport import stream as stream_module
from binance_testing import FakeExchange

pytest.importorskip('picows')

TRANSPORTS = pytest.mark.parametrize('transport', ['picows', 'aiohttp'])
TRADE = {'e': 'trade', 'E': 1, 's': 'BNBBTC', 't': 0, 'p': '0.001', 'q': '100', 'T': 1, 'm': True, 'M': True}


def trade(i: int) -> dict[str, Any]:
    return {**TRADE, 't': i}


def wire(opcode: int, payload: bytes, fin: bool = True) -> bytes:
    """One server frame (unmasked), as RFC 6455 §5.2 lays it out."""
    n = len(payload)
    first = (0x80 if fin else 0) | opcode
    if n < 126:
        return bytes((first, n)) + payload
    return bytes((first, 126)) + n.to_bytes(2, 'big') + payload


def combined(stream: str, data: Any) -> bytes:
    return json.dumps({'stream': stream, 'data': data}, separators=(',', ':')).encode()


def fast_retries(info: Any) -> tuple[bool, float]:
    return False, 0.01


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

    def receive(self, payload: Any) -> None:
        self.ids.append(payload['t'])


class Errors(StreamErrorHandlerBase):
    def __init__(self) -> None:
        self.errors: list[Any] = []

    def receive(self, error: Any) -> None:
        self.errors.append(error)


@TRANSPORTS
async def test_a_frame_cut_in_half_by_a_dropped_connection_is_never_delivered(fx: FakeExchange, transport: str) -> None:
    ids, errors = Ids(), Errors()
    kwargs = fx.client_kwargs()
    async with (
        asyncio.timeout(10),
        SpotClient(stream_transport=transport, stream_retry_policy=fast_retries, **kwargs) as spot,
    ):
        spot.handler(ids, errors)
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        for i in range(3):
            await fx.push('bnbbtc@trade', trade(i))
        await until(lambda: ids.ids == [0, 1, 2])
        whole = wire(1, combined('bnbbtc@trade', trade(3)))
        assert await fx.push_stream_bytes(whole[: len(whole) // 2], drop=True) == 1
        await until(lambda: fx.stream_connections == 2 and fx.subscriptions() == {'bnbbtc@trade'})
        await fx.push('bnbbtc@trade', trade(4))
        await until(lambda: ids.ids == [0, 1, 2, 4])
        await until(lambda: [e.phase for e in errors.errors] == ['gap'])
        assert spot._streams.connections[None].stats['malformed'] == 0  # half a frame is no frame at all


@TRANSPORTS
async def test_a_message_in_fragments_is_delivered_once_whole(fx: FakeExchange, transport: str) -> None:
    ids = Ids()
    async with asyncio.timeout(10), SpotClient(stream_transport=transport, **fx.client_kwargs()) as spot:
        spot.handler(ids)
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        text = combined('bnbbtc@trade', trade(5))
        a, b = len(text) // 3, 2 * len(text) // 3
        ping = wire(0x9, b'mid-message')  # RFC 6455 §5.4: control frames may come between fragments
        parts = wire(0x1, text[:a], fin=False) + ping + wire(0x0, text[a:b], fin=False) + wire(0x0, text[b:])
        await fx.push_stream_bytes(parts)
        await fx.push('bnbbtc@trade', trade(6))
        await until(lambda: ids.ids == [5, 6])
        assert fx.stream_connections == 1


@TRANSPORTS
async def test_the_server_closing_the_connection_is_a_reported_gap_then_a_replay(
    fx: FakeExchange, transport: str
) -> None:
    ids, errors = Ids(), Errors()
    kwargs = fx.client_kwargs()
    async with (
        asyncio.timeout(10),
        SpotClient(stream_transport=transport, stream_retry_policy=fast_retries, **kwargs) as spot,
    ):
        spot.handler(ids, errors)
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        await fx.drop_connections('stream', graceful=True)  # a close frame, code 1001
        await until(lambda: fx.stream_connections == 2 and fx.subscriptions() == {'bnbbtc@trade'})
        await fx.push('bnbbtc@trade', trade(1))
        await until(lambda: ids.ids == [1] and len(errors.errors) == 1)
    [gap] = errors.errors
    assert gap.phase == 'gap' and gap.streams == ('bnbbtc@trade',) and '1001' in str(gap.exception)


@TRANSPORTS
async def test_server_pings_are_answered_through_the_message_throttle(fx: FakeExchange, transport: str) -> None:
    fx.ping_interval = 0.3  # the fake closes a connection that leaves a ping unanswered for 0.15 s
    ids = Ids()
    async with asyncio.timeout(10), SpotClient(stream_transport=transport, **fx.client_kwargs()) as spot:
        spot.handler(ids)
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        await asyncio.sleep(1.6)  # five pings, the SUBSCRIBE more than a second ago
        assert fx.stream_connections == 1
        # Binance counts pongs toward the 5 messages/s of a connection: each passed the connection's throttle.
        [messages] = [
            w for w in spot.rate_limit_snapshot().windows if w.scope == 'connection' and w.type == 'ws_messages'
        ]
        assert messages.used >= 2
        await fx.push('bnbbtc@trade', trade(1))
        await until(lambda: ids.ids == [1])


@TRANSPORTS
async def test_silence_earns_a_ping_and_an_unanswered_ping_a_new_connection(fx: FakeExchange, transport: str) -> None:
    ids = Ids()
    kwargs = fx.client_kwargs()
    async with (
        asyncio.timeout(10),
        SpotClient(stream_transport=transport, stream_timeout=0.2, stream_retry_policy=fast_retries, **kwargs) as spot,
    ):
        spot.handler(ids)
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        await until(lambda: fx.stream_pings_received >= 1)  # answered: the connection stays
        assert fx.stream_connections == 1
        fx.stream_pings = False
        await until(lambda: fx.stream_connections == 2 and fx.subscriptions() == {'bnbbtc@trade'})
        assert spot._streams.connections[None].stats['pings'] >= 2
        await fx.push('bnbbtc@trade', trade(1))
        await until(lambda: ids.ids == [1])


async def test_a_slow_handler_pauses_the_picows_socket_and_nothing_is_lost(
    fx: FakeExchange, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stream_module, 'BACKLOG', 300)
    n = 20_000
    seen: dict[str, int] = {'paused': 0, 'unfed': 0, 'peak': 0}

    class Slow(TradeHandlerBase):
        def __init__(self) -> None:
            self.ids: list[int] = []

        async def receive(self, payload: Any) -> None:
            self.ids.append(payload['t'])
            sock = conn._sock
            seen['paused'] += sock._paused
            seen['unfed'] = max(seen['unfed'], len(sock._unfed))
            seen['peak'] = max(seen['peak'], conn.backlog)
            if len(self.ids) % 100 == 0:
                await asyncio.sleep(0.002)  # slower than the feed

    slow = Slow()
    async with asyncio.timeout(60), SpotClient(stream_transport='picows', **fx.client_kwargs()) as spot:
        spot.handler(slow)
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        conn = spot._streams.connections[None]
        await fx.push_many('bnbbtc@trade', (trade(i) for i in range(n)))
        await until(lambda: len(slow.ids) == n, timeout=50)
        stats = conn.stats
        assert not conn._sock._paused and conn.backlog == 0
    assert slow.ids == list(range(n))
    assert stats['backpressure'] >= 1 and stats['connects'] == 1 and fx.stream_connections == 1
    assert seen['paused'] > 0 and seen['peak'] <= 300  # reading stopped at the bound ...
    assert seen['unfed'] > 0  # ... and the rest of picows's read waited, unparsed, until there was room


async def test_a_refused_handshake_is_a_failed_connection_naming_the_status(fx: FakeExchange) -> None:
    def give_up(info: Any) -> tuple[bool, float]:
        return True, 0.0

    kwargs = {**fx.client_kwargs(), 'stream_host': fx.stream_url + '/nowhere'}
    async with (
        asyncio.timeout(10),
        SpotClient(stream_transport='picows', stream_retry_policy=give_up, **kwargs) as spot,
    ):
        with pytest.raises(StreamAbandonedException) as info:
            await spot.subscribe(SubType.TRADE, 'BNBBTC')
    cause = info.value.__cause__
    assert isinstance(cause, ConnectionFailedException) and cause.status == 404
    assert '/nowhere/stream' in str(cause) and cause.url == fx.stream_url + '/nowhere/stream'


async def test_a_refused_connection_is_a_failed_connection() -> None:
    def give_up(info: Any) -> tuple[bool, float]:
        return True, 0.0

    async with (
        asyncio.timeout(10),
        SpotClient(stream_transport='picows', stream_retry_policy=give_up, stream_host='ws://127.0.0.1:1') as spot,
    ):
        with pytest.raises(StreamAbandonedException) as info:
            await spot.subscribe(SubType.TRADE, 'BNBBTC')
    assert isinstance(info.value.__cause__, ConnectionFailedException)
    assert 'nothing was sent' in str(info.value.__cause__)
