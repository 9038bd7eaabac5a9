"""One test per hook: what a plugin returns from it shows up where users see it."""

import asyncio
import enum

import pytest

import binance
from binance_core import REST, WS, Endpoint, Hosts, MarketSpec, PoolSpec, SecurityType, StreamType, SubParam, hookimpl
from binance_core.assembly import assemble, for_markets
from binance_core.exceptions import PluginConflictError
from binance_core.handlers import HandlerBase
from binance_core.plugins import make_plugin_manager

TOY = MarketSpec(
    name='toy',
    client_name='ToyClient',
    distribution='binance-market-toy',
    hosts={'live': Hosts(rest='http://127.0.0.1:1', ws_api='ws://127.0.0.1:1/ws', stream='ws://127.0.0.1:1')},
)


class ToyKlineHandlerBase(HandlerBase):
    event = 'kline'


class Toy:
    @hookimpl
    def binance_markets(self):
        return (TOY,)

    @hookimpl
    @for_markets('toy')
    def binance_endpoints(self, market):
        return (Endpoint(name='get_server_time', call=WS('time'), security=SecurityType.NONE),)

    @hookimpl
    @for_markets('toy')
    def binance_handler_bases(self, market):
        return (ToyKlineHandlerBase,)


def _assemble(*plugins):
    return assemble(make_plugin_manager(plugins, load_entry_points=False))


def test_hook_binance_markets():
    a = _assemble(Toy())
    assert a.markets['toy'].spec is TOY
    assert a.clients['ToyClient']().rest_host == 'http://127.0.0.1:1'


async def test_hook_binance_endpoints(binance_fake_exchange):
    """The installed example plugin (tests/example_plugin) adds a row to Spot through the
    ``binance.plugins`` entry-point group; the generated method signs and reaches the exchange."""
    assert 'get_margin_account' in binance.SpotClient._market_assembly.endpoints
    fx = await binance_fake_exchange('spot')
    fx.add_key('k', secret='s')
    fx.rest_route('GET', '/sapi/v1/margin/account', lambda req: {'marginLevel': '999'})
    async with binance.SpotClient(binance.Credentials('k', api_secret='s'), **fx.client_kwargs()) as spot:
        async with asyncio.timeout(5):
            assert await spot.get_margin_account() == {'marginLevel': '999'}
    sent = fx.requests_for('GET /sapi/v1/margin/account')
    assert len(sent) == 1 and 'signature' in sent[0].params
    assert 'REST `GET /sapi/v1/margin/account`' in binance.SpotClient.get_margin_account.__doc__


def test_hook_binance_stream_types():
    class Streams:
        @hookimpl
        @for_markets('toy')
        def binance_stream_types(self, market):
            return (
                StreamType(
                    sub_type='TOY_KLINE',
                    wire='{symbol}@kline',
                    params=(SubParam(name='symbol', convert=str.lower),),
                    handler='ToyKlineHandlerBase',
                ),
            )

    a = _assemble(Toy(), Streams())
    assert a.sub_type.TOY_KLINE.value == 'TOY_KLINE'
    assert a.markets['toy'].stream_types['TOY_KLINE'].wire_name({'symbol': 'x'}) == 'x@kline'


def test_hook_binance_handler_bases():
    from binance import FastBookTickerHandlerBase  # exported by the installed example plugin

    assert issubclass(FastBookTickerHandlerBase, HandlerBase)
    assert 'FastBookTickerHandlerBase' in binance.__all__
    assert _assemble(Toy()).handler_bases == {'ToyKlineHandlerBase': ToyKlineHandlerBase}


def test_hook_binance_rate_pools():
    class Pools:
        @hookimpl
        @for_markets('toy')
        def binance_rate_pools(self, market):
            return (PoolSpec(type='request_weight', scope='ip', interval='1m', limit=1000, safety=0.5),)

    client = _assemble(Toy(), Pools()).clients['ToyClient']()
    [window] = client.rate_limit_snapshot().windows
    assert (window.type, window.interval, window.limit) == ('request_weight', '1m', 500)


def test_hook_binance_user_data_flow():
    class FlowA:
        pass

    class First:
        @hookimpl
        def binance_user_data_flow(self, market):
            return None  # "not mine": the next implementation is asked

    class Second:
        @hookimpl
        def binance_user_data_flow(self, market):
            return FlowA if market.name == 'toy' else None

    assert _assemble(Toy(), Second(), First()).markets['toy'].user_data_flow is FlowA
    assert _assemble(Toy()).markets['toy'].user_data_flow is None


class ToyColor(enum.StrEnum):
    RED = 'RED'


class ToyEnums:
    @hookimpl
    @for_markets('toy')
    def binance_enums(self, market):
        return (ToyColor,)


def test_hook_binance_enums():
    a = _assemble(Toy(), ToyEnums())
    assert a.enums == {'ToyColor': ToyColor}  # what ``binance`` exports by name
    assert _assemble(Toy()).enums == {}

    class Rival:
        class ToyColor(enum.StrEnum):  # same name, another class
            BLUE = 'BLUE'

        @hookimpl
        def binance_enums(self, market):
            return (self.ToyColor,)

    with pytest.raises(PluginConflictError, match=r"enum 'ToyColor' is exported by both (?=.*ToyEnums)(?=.*Rival)"):
        _assemble(Toy(), ToyEnums(), Rival())


def test_hook_binance_client_mixins():
    class Greeting:
        def greet(self):
            return f'hello from {type(self).__name__}'

    class Mixins:
        @hookimpl
        @for_markets('toy')
        def binance_client_mixins(self, market):
            return (Greeting,)

    cls = _assemble(Toy(), Mixins()).clients['ToyClient']
    assert cls().greet() == 'hello from ToyClient'
    with pytest.raises(AttributeError):
        _assemble(Toy()).clients['ToyClient']().greet()


def test_rest_rows_are_allowed_next_to_ws_rows():
    class Rest:
        @hookimpl
        @for_markets('toy')
        def binance_endpoints(self, market):
            return (Endpoint(name='get_depth', call=REST('GET', '/api/v3/depth'), security=SecurityType.NONE),)

    assert set(_assemble(Toy(), Rest()).markets['toy'].endpoints) == {'get_server_time', 'get_depth'}
