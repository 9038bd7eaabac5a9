"""Plugin manager and assembly: rows become methods, conflicts name the plugins, missing markets."""

import asyncio
import sys

import attrs
import pytest

from binance_core import REST, WS, Endpoint, Hosts, MarketSpec, PoolSpec, SecurityType, StreamType, SubParam, hookimpl
from binance_core.assembly import assemble, for_markets
from binance_core.exceptions import InvalidRowError, PluginConflictError
from binance_core.handlers import HandlerBase
from binance_core.plugins import make_plugin_manager

TOY = MarketSpec(
    name='toy',
    client_name='ToyClient',
    distribution='binance-market-toy',
    hosts={'live': Hosts(rest='https://toy.example', ws_api='wss://toy.example/ws', stream='wss://toy.example')},
)


def limit_weight(params):
    """limit <= 100 -> 1, else 5"""
    return 1 if int(params.get('limit', 100)) <= 100 else 5


class ToyTradeHandlerBase(HandlerBase):
    """Toy trades."""


class ToyMarket:
    @hookimpl
    def binance_markets(self):
        return (TOY,)

    @hookimpl
    @for_markets('toy')
    def binance_endpoints(self, market):
        return (
            Endpoint(name='get_server_time', call=WS('time'), security=SecurityType.NONE, summary='Server time.'),
            Endpoint(
                name='get_depth',
                call=WS('depth'),
                security=SecurityType.NONE,
                weight=limit_weight,
                required=('symbol',),
            ),
            Endpoint(
                name='place',
                call=REST('POST', '/api/v3/order'),
                security=SecurityType.TRADE,
                weight=1,
                required=('symbol', ('quantity', 'quoteOrderQty')),
                orders=1,
                client_order_id='newClientOrderId',
            ),
        )

    @hookimpl
    @for_markets('toy')
    def binance_stream_types(self, market):
        return (
            StreamType(
                sub_type='TOY_TRADE',
                wire='{symbol}@trade',
                params=(SubParam(name='symbol', convert=str.lower),),
                handler='ToyTradeHandlerBase',
            ),
        )

    @hookimpl
    @for_markets('toy')
    def binance_handler_bases(self, market):
        return (ToyTradeHandlerBase,)

    @hookimpl
    @for_markets('toy')
    def binance_rate_pools(self, market):
        return (PoolSpec(type='request_weight', scope='ip', interval='1m', limit=100),)


def _assemble(*plugins):
    return assemble(make_plugin_manager(plugins, load_entry_points=False))


def test_rows_become_documented_methods():
    a = _assemble(ToyMarket())
    cls = a.clients['ToyClient']
    assert cls.__name__ == 'ToyClient' and cls.__module__ == 'binance'
    doc = cls.get_depth.__doc__
    assert 'WS-API `depth`' in doc and 'Security: NONE' in doc and 'limit <= 100 -> 1, else 5' in doc
    assert 'Required params: symbol.' in doc
    doc = cls.place.__doc__
    assert 'REST `POST /api/v3/order`' in doc and 'quantity|quoteOrderQty' in doc and 'newClientOrderId' in doc
    assert [m.name for m in a.sub_type][-1] == 'TOY_TRADE'  # after every member of the spec (binance_core.catalog)
    assert a.handler_bases == {'ToyTradeHandlerBase': ToyTradeHandlerBase}
    assert a.markets['toy'].pools[0].limit == 100


def test_same_endpoint_name_from_two_plugins_names_both():
    class Other:
        @hookimpl
        @for_markets('toy')
        def binance_endpoints(self, market):
            return (Endpoint(name='get_depth', call=WS('otherDepth'), security=SecurityType.NONE),)

    with pytest.raises(PluginConflictError, match=r"endpoint 'get_depth' on market 'toy'.*both.*and"):
        _assemble(ToyMarket(), Other())


def test_identical_rows_from_two_plugins_are_fine():
    class Same:
        @hookimpl
        @for_markets('toy')
        def binance_endpoints(self, market):
            return (
                Endpoint(name='get_server_time', call=WS('time'), security=SecurityType.NONE, summary='Server time.'),
            )

    assert 'get_server_time' in _assemble(ToyMarket(), Same()).markets['toy'].endpoints


def test_row_for_an_unknown_market_is_refused_naming_the_plugin():
    class Stray:
        @hookimpl
        @for_markets('margin')
        def binance_endpoints(self, market):
            return ()

    with pytest.raises(InvalidRowError, match=r"market\(s\) \['margin'\].*no installed plugin defines"):
        _assemble(ToyMarket(), Stray())


def test_handler_base_exported_twice_is_a_conflict():
    class Impostor:
        @hookimpl
        @for_markets('toy')
        def binance_handler_bases(self, market):
            return (type('ToyTradeHandlerBase', (HandlerBase,), {}),)

    with pytest.raises(PluginConflictError, match="handler base 'ToyTradeHandlerBase' is exported by both"):
        _assemble(ToyMarket(), Impostor())


def test_two_plugins_defining_one_market_conflict():
    with pytest.raises(PluginConflictError, match="market 'toy' is defined by both"):
        _assemble(ToyMarket(), ToyMarket())


def test_wrong_row_type_is_refused():
    class Bad:
        @hookimpl
        @for_markets('toy')
        def binance_endpoints(self, market):
            return ({'name': 'x'},)

    with pytest.raises(InvalidRowError, match='is not a Endpoint'):
        _assemble(ToyMarket(), Bad())


def test_endpoint_colliding_with_a_builtin_method_is_refused():
    class Clash:
        @hookimpl
        @for_markets('toy')
        def binance_endpoints(self, market):
            return (Endpoint(name='subscribe', call=WS('x'), security=SecurityType.NONE),)

    with pytest.raises(PluginConflictError, match='collide with built-in client methods'):
        _assemble(ToyMarket(), Clash())


def test_stream_row_naming_an_unknown_handler_is_refused():
    class Orphan:
        @hookimpl
        @for_markets('toy')
        def binance_stream_types(self, market):
            return (StreamType(sub_type='ORPHAN', wire='x', handler='NoSuchHandlerBase'),)

    with pytest.raises(InvalidRowError, match='NoSuchHandlerBase'):
        _assemble(ToyMarket(), Orphan())


@pytest.mark.parametrize(
    ('build', 'message'),
    [
        (lambda: Endpoint(name='Bad-Name', call=WS('x'), security=SecurityType.NONE), 'snake_case'),
        (lambda: Endpoint(name='x', call=WS('x'), security=SecurityType.NONE, weight=-1), 'negative'),
        (lambda: Endpoint(name='x', call=WS('x'), security=SecurityType.NONE, weight=1.5), 'int or a function'),
        (lambda: REST('PATCH', '/x'), 'verb'),
        (lambda: REST('GET', 'x'), 'start with'),
        (lambda: StreamType(sub_type='lower', wire='x'), 'SCREAMING_CASE'),
        (lambda: StreamType(sub_type='X', wire='{symbol}@x'), 'undeclared'),
        (lambda: PoolSpec(type='orders', scope='account', interval='1m', limit=10, safety=1.5), 'safety'),
        (lambda: PoolSpec(type='weight', scope='ip', interval='1m', limit=10), 'type'),
        (lambda: Hosts(rest='ftp://x', stream='wss://x'), 'http'),
        (
            lambda: MarketSpec(
                name='m', client_name='M', distribution='d', hosts={'live': Hosts(rest='https://x', stream='wss://x')}
            ),
            'client_name',
        ),
    ],
)
def test_rows_validate_themselves(build, message):
    with pytest.raises((ValueError, TypeError), match=message):
        build()


async def test_generated_method_checks_params_and_credentials_before_sending():
    from binance_core.exceptions import CredentialsRequiredException, FloatParamException, MissingParamException

    client = _assemble(ToyMarket()).clients['ToyClient']()
    with pytest.raises(MissingParamException):
        await client.get_depth()
    with pytest.raises(FloatParamException):
        await client.place(symbol='X', quantity=1.0)
    with pytest.raises(CredentialsRequiredException, match='needs Credentials'):
        await client.place(symbol='X', quantity='1')
    await client.close()


async def test_generated_method_checks_the_markets_text_params_before_sending():
    from binance_core.exceptions import InvalidParamTypeException, InvalidParamValueException

    class TextToy(ToyMarket):
        @hookimpl
        def binance_markets(self):
            return (attrs.evolve(TOY, text_params={'symbol'}),)

    client = _assemble(TextToy()).clients['ToyClient'](ws_api_host='ws://127.0.0.1:9/never')
    async with asyncio.timeout(5):
        with pytest.raises(InvalidParamTypeException, match="get_depth\\(\\): param 'symbol' is int"):
            await client.get_depth(symbol=123)
        with pytest.raises(InvalidParamValueException, match="param 'symbol' is an empty string"):
            await client.get_depth(symbol='')
        await client.close()


async def test_handler_accepts_only_handler_instances():
    # Issue 11, item 11: what is not a handler is a TypeError saying what a handler is, and nothing
    # of the call is registered.
    client = _assemble(ToyMarket()).clients['ToyClient']()
    good = ToyTradeHandlerBase()
    for bad in (object(), ToyTradeHandlerBase, print, 'ToyTradeHandlerBase'):
        with pytest.raises(TypeError) as info:
            client.handler(good, bad)
        message = str(info.value)
        assert 'is not a handler' in message
        assert 'HandlerBase' in message and 'instance of a subclass' in message
        assert good.client is None  # the good one of the call was not registered either
    assert client.handler(good) is client and good.client is client
    async with asyncio.timeout(5):
        await client.close()


def test_environment_and_host_overrides():
    a = _assemble(ToyMarket())
    cls = a.clients['ToyClient']
    with pytest.raises(ValueError, match="no 'testnet' environment"):
        cls(environment='testnet')
    c = cls(rest_host='http://127.0.0.1:1/', recv_window=120000)
    assert c.rest_host == 'http://127.0.0.1:1' and c.ws_api_host == 'wss://toy.example/ws'
    assert c.recv_window == 60000  # clamped to Binance's maximum
    with pytest.raises(TypeError):
        cls(api_key='k')  # credentials moved into Credentials
    with pytest.raises(ValueError):
        cls(time_unit='nanosecond')


def test_binance_plugins_env_switch_selects_entry_points(monkeypatch):
    monkeypatch.setenv('BINANCE_PLUGINS', '')
    assert assemble().markets == {}
    monkeypatch.setenv('BINANCE_PLUGINS', 'no-such-plugin')
    assert assemble().clients == {}


def test_missing_client_raises_import_error_naming_the_distribution(monkeypatch):
    monkeypatch.setenv('BINANCE_PLUGINS', '')
    saved = {k: v for k, v in sys.modules.items() if k == 'binance' or k.startswith('binance.')}
    for k in saved:
        del sys.modules[k]
    try:
        import binance

        with pytest.raises(ImportError, match="'binance-market-usdm'.*pip install binance-market-usdm"):
            from binance import UMFuturesClient  # noqa: F401
        with pytest.raises(ImportError, match='binance-market-spot'):
            binance.SpotClient  # noqa: B018
    finally:
        for k in [k for k in sys.modules if k == 'binance' or k.startswith('binance.')]:
            del sys.modules[k]
        sys.modules.update(saved)
