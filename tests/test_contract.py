"""The hook contract holds both ways: the core calls nothing on a plugin's user-data flow or sequencing rule that
the flow's or rule's Protocol does not declare. Each object is wrapped in a proxy that lets through only the
Protocol's members and records every other attribute the core asks for, and the core is driven through every
path that touches it (against the loopback fake exchange for the flow)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from binance_core import OrderBookSpec, StreamType, hookimpl
from binance_core.assembly import assemble
from binance_core.credentials import Credentials
from binance_core.hookspecs import SequencingRule, UserDataFlow
from binance_core.orderbook import OrderBook
from binance_core.plugins import make_plugin_manager
from binance_futures.userdata import UM_USER_DATA
from binance_spot.orderbook import SPOT_RULE
from binance_spot.streams import USER_DATA


def declared(protocol: type) -> set[str]:
    """A Protocol's members: its methods and its annotated attributes."""
    names = {n for n in vars(protocol) if not n.startswith('_')}
    return names | set(getattr(protocol, '__annotations__', {}))


class Strict:
    """Forwards the members *protocol* declares to *target*; records any other attribute asked for."""

    def __init__(self, target: Any, protocol: type) -> None:
        object.__setattr__(self, '_strict', (target, declared(protocol), [], []))

    def __getattribute__(self, name: str) -> Any:
        if name.startswith('__') or name == '_strict':
            return object.__getattribute__(self, name)
        target, allowed, used, undeclared = object.__getattribute__(self, '_strict')
        if name not in allowed:
            undeclared.append(name)
            raise AttributeError(f'the core asked for {name!r}, which the Protocol does not declare')
        used.append(name)
        return getattr(target, name)


def test_the_protocols_declare_what_they_should() -> None:
    assert declared(UserDataFlow) == {'start', 'stop', 'pause', 'resume', 'close'}
    assert declared(SequencingRule) == {'name', 'first', 'next'}


async def test_the_core_calls_only_the_user_data_flow_protocol(binance_fake_exchange: Any) -> None:
    flows: list[Strict] = []

    class StrictFlows:
        @hookimpl(tryfirst=True)
        def binance_user_data_flow(self, market: Any) -> Any:
            if market.name != 'spot':
                return None

            def factory(services: Any) -> Any:
                flows.append(Strict(USER_DATA(services), UserDataFlow))
                return flows[-1]

            return factory

    client_class = assemble(make_plugin_manager([StrictFlows()])).clients['SpotClient']
    fx = await binance_fake_exchange('spot')
    fx.add_key('k', secret='s')
    async with asyncio.timeout(10):
        async with client_class(Credentials('k', api_secret='s'), **fx.client_kwargs()) as spot:
            await spot.subscribe(spot.SubType.USER)
            spot.stop()
            spot.start()
            await spot.unsubscribe(spot.SubType.USER)
            await spot.subscribe(spot.SubType.USER)
    [flow] = flows
    _target, _allowed, used, undeclared = object.__getattribute__(flow, '_strict')
    assert undeclared == []
    assert set(used) == {'start', 'stop', 'pause', 'resume', 'close'}


async def test_the_core_calls_only_the_user_data_flow_protocol_on_usdm(binance_fake_exchange: Any) -> None:
    """The listenKey flow (USDⓈ-M's row) behind the same Protocol-only proxy, driven through subscribe, stop,
    start, unsubscribe, subscribe again and close."""
    flows: list[Strict] = []

    class StrictFlows:
        @hookimpl(tryfirst=True)
        def binance_user_data_flow(self, market: Any) -> Any:
            if market.name != 'usdm':
                return None

            def factory(services: Any) -> Any:
                flows.append(Strict(UM_USER_DATA(services), UserDataFlow))
                return flows[-1]

            return factory

        @hookimpl
        def binance_stream_types(self, market: Any) -> Any:
            # SubType.USER, identical to the futures plugins' own row (identical rows do not conflict).
            return (StreamType(sub_type='USER', connection='user'),) if market.name == 'usdm' else ()

    client_class = assemble(make_plugin_manager([StrictFlows()])).clients['UMFuturesClient']
    fx = await binance_fake_exchange('usdm')
    fx.add_key('k', secret='s')
    async with asyncio.timeout(10):
        async with client_class(Credentials('k', api_secret='s'), **fx.client_kwargs()) as um:
            await um.subscribe(um.SubType.USER)
            um.stop()
            um.start()
            await um.unsubscribe(um.SubType.USER)
            await um.subscribe(um.SubType.USER)
    [flow] = flows
    _target, _allowed, used, undeclared = object.__getattribute__(flow, '_strict')
    assert undeclared == []
    assert set(used) == {'start', 'stop', 'pause', 'resume', 'close'}
    assert [r.method for r in fx.requests if r.method.startswith('userDataStream.')] == [
        'userDataStream.start',
        'userDataStream.stop',
        'userDataStream.start',
        'userDataStream.stop',  # close()
    ]


def _event(first: int, last: int) -> dict[str, Any]:
    return {'e': 'depthUpdate', 'E': 1, 's': 'BTCUSDT', 'U': first, 'u': last, 'b': [['10', '1']], 'a': [['11', '1']]}


async def test_the_order_book_calls_only_the_sequencing_rule_protocol() -> None:
    rule = Strict(SPOT_RULE, SequencingRule)

    class Snapshots:
        """Stands in for a client: what the book reads is its public ``market`` and the snapshot method."""

        market = SimpleNamespace(orderbook=OrderBookSpec(snapshot_endpoint='get_orderbook', max_limit=5000, rule=rule))

        async def get_orderbook(self, *, symbol: str, limit: int) -> dict[str, Any]:
            return {'lastUpdateId': 100, 'bids': [['10', '1']], 'asks': [['11', '1']]}

    book = OrderBook('BTCUSDT', client=Snapshots(), retry_policy=lambda info: (False, 0.0))
    book.STALE_RETRY_DELAY = (0, 0)
    try:
        book.feed(_event(90, 100))  # dropped by first()
        book.feed(_event(95, 101))  # applied by first()
        async with asyncio.timeout(5):
            await book.updated()
        book.feed(_event(102, 103))  # next(): apply
        book.feed(_event(101, 102))  # next(): drop
        book.feed(_event(200, 201))  # next(): gap, resync
        assert not book.ready
    finally:
        book.close()
    _target, _allowed, used, undeclared = object.__getattribute__(rule, '_strict')
    assert undeclared == []
    assert {'first', 'next'} <= set(used)
