"""The listenKey flow's handovers, driven frame by frame: the flow gets stand-in services whose stream connections
are fed by the test, so the orders a network produces only now and then (the new connection ahead of the old one,
behind it, equal events, a new connection that carries nothing) happen on purpose. The loopback version of the
same runs against the fake exchange in ``binance_futures.suite.userdata`` (both futures markets)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from binance_core import WS
from binance_core.credentials import Credentials
from binance_core.exceptions import StreamSubscribeException
from binance_core.userdata import UserDataServices
from binance_core.userdata.listen_key_flow import ListenKeyUserData, ListenKeyUserDataFlow

ROW = ListenKeyUserData(
    start=WS('userDataStream.start'),
    ping=WS('userDataStream.ping'),
    stop=WS('userDataStream.stop'),
    url='{host}/private/ws?listenKey={key}',
    max_age=0.05,
    overlap=0.3,
)


class Conn:
    """A stand-in stream connection: the test calls ``feed`` for each frame it receives."""

    def __init__(self, url: str, deliver: Any, on_gap_closed: Any) -> None:
        self.url = url
        self.deliver = deliver
        self.on_gap_closed = on_gap_closed
        self.opened = self.closed = False

    async def open(self) -> None:
        self.opened = True

    async def close(self) -> None:
        self.closed = True

    async def feed(self, *events: dict[str, Any]) -> None:
        for event in events:
            await self.deliver('', event)


class Exchange:
    """Answers the key calls; ``keys`` is what ``userDataStream.start`` hands out, in turn (the last one repeats)."""

    def __init__(self, *keys: str) -> None:
        self.keys = list(keys)
        self.calls: list[str] = []
        self.fail_ping: int | None = None

    async def request(self, method: str, out: Any) -> Any:
        self.calls.append(method)
        if method == 'userDataStream.start':
            return {'listenKey': self.keys.pop(0) if len(self.keys) > 1 else self.keys[0]}
        if method == 'userDataStream.ping' and self.fail_ping is not None:
            raise StreamSubscribeException(self.fail_ping, 'This listenKey does not exist.')
        return {}


def make_flow(row: ListenKeyUserData, exchange: Exchange) -> tuple[ListenKeyUserDataFlow, SimpleNamespace]:
    seen = SimpleNamespace(events=[], errors=[], stream_errors=[], conns=[])

    async def deliver(event: Any) -> None:
        seen.events.append(event)

    async def report_error(stream: str, phase: str, exc: BaseException, recovering: bool) -> None:
        seen.errors.append((phase, recovering))

    async def report_stream_error(error: Any) -> None:
        seen.stream_errors.append(error)

    def open_stream(url: str, *, name: str, deliver: Any, on_gap_closed: Any = None, on_error: Any = None) -> Any:
        assert name == 'user'  # never the key: names go in logs
        seen.conns.append(Conn(url, deliver, on_gap_closed))
        return seen.conns[-1]

    context = SimpleNamespace(
        credentials=Credentials('k', api_secret='s'),
        hosts=SimpleNamespace(rest='https://r.example', stream='wss://s.example/'),
        retry_policy=lambda info: (False, 0.01),
        request_timeout=1.0,
    )
    services = UserDataServices(
        context=context,
        ws_api=lambda: exchange,
        rest=lambda: None,
        deliver=deliver,
        report_error=report_error,
        report_stream_error=report_stream_error,
        listens=lambda e: True,
        open_stream=open_stream,
    )
    return row(services), seen


def ev(i: int) -> dict[str, Any]:
    return {'e': 'ORDER_TRADE_UPDATE', 'E': 1000 + i, 'o': {'t': i}}


def ids(seen: SimpleNamespace) -> list[int]:
    return [e['o']['t'] for e in seen.events if e['e'] == 'ORDER_TRADE_UPDATE']


async def until(predicate: Any, timeout: float = 3) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.002)


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def started(row: ListenKeyUserData = ROW, exchange: Exchange | None = None) -> Any:
    flow, seen = make_flow(row, exchange or Exchange('K1'))
    await flow.start()
    assert [c.url for c in seen.conns] == ['wss://s.example/private/ws?listenKey=K1']
    return flow, seen


async def handover_begun(flow: ListenKeyUserDataFlow, seen: SimpleNamespace) -> tuple[Conn, Conn]:
    await until(lambda: len(seen.conns) == 2 and seen.conns[1].opened)
    return seen.conns[0], seen.conns[1]


async def test_the_new_connection_behind_the_old_one_loses_and_doubles_nothing() -> None:
    flow, seen = await started()
    try:
        old, new = seen.conns[0], None
        await old.feed(ev(1), ev(2), ev(3))
        old, new = await handover_begun(flow, seen)
        await old.feed(ev(4), ev(5))  # the new one registered before 4, but its frames come later
        await new.feed(ev(4))  # proof: on both
        await until(lambda: old.closed)
        await old.feed(ev(6))  # retired: its copy is dropped
        await new.feed(ev(5), ev(6), ev(7))  # 5 was delivered by the old one already
        await until(lambda: len(seen.events) >= 7)
        await settle()
        assert ids(seen) == [1, 2, 3, 4, 5, 6, 7]
        assert flow.stats['duplicates'] == 2 and flow.stats['handovers'] >= 1 and seen.stream_errors == []
    finally:
        await flow.close()


async def test_the_new_connection_ahead_of_the_old_one_loses_and_doubles_nothing() -> None:
    flow, seen = await started()
    try:
        old, new = await handover_begun(flow, seen)
        await old.feed(ev(1))  # before the new one registered
        await new.feed(ev(2), ev(3))  # held
        await old.feed(ev(2))  # proof
        await until(lambda: old.closed)
        await old.feed(ev(3))  # retired
        await new.feed(ev(4))
        await until(lambda: len(seen.events) >= 4)
        await settle()
        assert ids(seen) == [1, 2, 3, 4]
    finally:
        await flow.close()


async def test_equal_events_are_counted_not_collapsed() -> None:
    flow, seen = await started()
    try:
        old, new = await handover_begun(flow, seen)
        same = ev(9)
        await old.feed(ev(1), same, same)  # two equal events; the new connection registered between them
        await new.feed(same, ev(2))
        await until(lambda: old.closed)
        await until(lambda: len(seen.events) >= 4)
        await settle()
        assert ids(seen) == [1, 9, 9, 2]
    finally:
        await flow.close()


async def test_a_new_connection_that_carries_nothing_does_not_take_over() -> None:
    flow, seen = await started()
    try:
        old, new = await handover_begun(flow, seen)
        await old.feed(ev(1), ev(2))
        await until(lambda: new.closed)  # after `overlap` seconds without one of the old one's events
        assert not old.closed and flow.stats['handovers'] == 0
        assert ('resubscribe', True) in seen.errors
        await old.feed(ev(3))
        await until(lambda: ids(seen) == [1, 2, 3])
    finally:
        await flow.close()


async def test_a_quiet_stream_is_handed_over_after_the_overlap_time() -> None:
    flow, seen = await started()
    try:
        old, new = await handover_begun(flow, seen)
        await until(lambda: old.closed, timeout=2)
        assert flow.stats['handovers'] >= 1
        await new.feed(ev(1))
        await until(lambda: ids(seen) == [1])
    finally:
        await flow.close()


@pytest.mark.parametrize('how', ['event', 'keepalive'])
async def test_a_dead_key_moves_at_once_and_reports_the_gap(how: str) -> None:
    exchange = Exchange('K1', 'K2')
    row = ListenKeyUserData(start=ROW.start, ping=ROW.ping, stop=ROW.stop, url=ROW.url, keepalive=0.02)
    flow, seen = await started(row, exchange)
    try:
        old = seen.conns[0]
        await old.feed(ev(1))
        if how == 'event':
            await old.feed({'e': 'listenKeyExpired', 'E': 5, 'listenKey': 'K1'})
        else:
            exchange.fail_ping = -1125
        await until(lambda: old.closed)
        exchange.fail_ping = None
        new = seen.conns[1]
        assert new.url.endswith('listenKey=K2')
        await new.feed(ev(2))
        await until(lambda: ids(seen) == [1, 2])
        [gap] = seen.stream_errors
        assert (gap.stream, gap.phase, gap.recovering) == ('user', 'gap', True)
        assert flow.stats['renewals'] == 1
    finally:
        await flow.close()
    assert exchange.calls[-1] == 'userDataStream.stop'


async def test_stop_closes_the_key_and_start_opens_a_new_one() -> None:
    exchange = Exchange('K1', 'K2')
    flow, seen = make_flow(ListenKeyUserData(start=ROW.start, ping=ROW.ping, stop=ROW.stop, url=ROW.url), exchange)
    await flow.start()
    await flow.stop()
    assert seen.conns[0].closed and exchange.calls == ['userDataStream.start', 'userDataStream.stop']
    await flow.start()
    assert seen.conns[1].url.endswith('listenKey=K2')
    await flow.close()
    assert exchange.calls[-1] == 'userDataStream.stop' and seen.conns[1].closed
