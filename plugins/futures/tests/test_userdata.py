"""The futures user-data rows and handler bases (``binance_futures.userdata``), and the listenKey flow over REST with
the raw ``/ws/<key>`` path form (COIN-M's wire) on a toy market defined here: no futures market plugin needed."""

import asyncio

import attrs
import pytest

from binance_core import REST, WS, StreamType, hookimpl
from binance_core.assembly import assemble
from binance_core.credentials import Credentials
from binance_core.handlers import Dispatcher, HandlerBase, StreamErrorHandlerBase
from binance_core.plugins import make_plugin_manager
from binance_core.userdata.listen_key_flow import ListenKeyUserData, ListenKeyUserDataFlow
from binance_futures import userdata
from binance_futures.endpoints import MARKET_OPTIONAL
from binance_futures.fake import FuturesFake, teach
from binance_futures.plugin import futures_plugin
from binance_futures.userdata import CM_USER_DATA, UM_USER_DATA, USER_HANDLER_BASES, user_data_flow
from binance_testing import FakeExchange
from binance_testing.plugins import make_plugin_manager as make_testing_plugin_manager

# -- rows ---------------------------------------------------------------------------------------------------------


def test_the_usdm_row_uses_the_ws_api_and_the_documented_private_query_form():
    # FUTURES-API.md §4: userDataStream.start/ping/stop, weight 1; §1.1: /private/ws?listenKey=<key>.
    assert (UM_USER_DATA.start, UM_USER_DATA.ping, UM_USER_DATA.stop) == (
        WS('userDataStream.start'),
        WS('userDataStream.ping'),
        WS('userDataStream.stop'),
    )
    assert UM_USER_DATA.url == '{host}/private/ws?listenKey={key}' and UM_USER_DATA.weight == 1
    assert (UM_USER_DATA.expired_event, UM_USER_DATA.expired_code) == ('listenKeyExpired', -1125)


def test_the_coinm_row_uses_rest_and_the_raw_path_form():
    assert (CM_USER_DATA.start, CM_USER_DATA.ping, CM_USER_DATA.stop) == (
        REST('POST', '/dapi/v1/listenKey'),
        REST('PUT', '/dapi/v1/listenKey'),
        REST('DELETE', '/dapi/v1/listenKey'),
    )
    assert CM_USER_DATA.url == '{host}/ws/{key}'


def test_each_market_gets_its_row():
    assert user_data_flow('fapi') is UM_USER_DATA and user_data_flow('dapi') is CM_USER_DATA
    assert user_data_flow('tapi') is None


@pytest.mark.parametrize(
    ('change', 'message'),
    [
        ({'keepalive': 3600}, '60 minutes'),
        ({'keepalive': 0}, 'positive'),
        ({'max_age': -1}, 'positive'),
        ({'url': 'wss://fstream.binance.com/private/ws'}, 'the stream host, a path, and the key'),
        ({'start': 'userDataStream.start'}, r"must be a call such as WS\('userDataStream.start'\)"),
    ],
)
def test_a_row_refuses_what_cannot_work(change, message):
    with pytest.raises((ValueError, TypeError), match=message):
        attrs.evolve(UM_USER_DATA, **change)


# -- handler bases -------------------------------------------------------------------------------------------------

EVENT_TYPES = {
    'FuturesAccountUpdateHandlerBase': 'ACCOUNT_UPDATE',
    'FuturesOrderUpdateHandlerBase': 'ORDER_TRADE_UPDATE',
    'FuturesMarginCallHandlerBase': 'MARGIN_CALL',
    'FuturesAccountConfigUpdateHandlerBase': 'ACCOUNT_CONFIG_UPDATE',
    'FuturesListenKeyExpiredHandlerBase': 'listenKeyExpired',
    'FuturesTradeLiteHandlerBase': 'TRADE_LITE',
    'FuturesStrategyUpdateHandlerBase': 'STRATEGY_UPDATE',
    'FuturesAlgoUpdateHandlerBase': 'ALGO_UPDATE',
}


def test_one_handler_base_per_futures_user_event():
    assert {cls.__name__: cls.event for cls in USER_HANDLER_BASES} == EVENT_TYPES
    assert all(getattr(userdata, name) in USER_HANDLER_BASES for name in EVENT_TYPES)
    # The spec hands receive() the raw event dict; super().receive() gives it back, no DataFrame.
    assert all(cls.as_frame is False and cls.columns is None for cls in USER_HANDLER_BASES)


async def test_events_are_routed_by_their_type():
    dispatcher = Dispatcher()
    got: dict[str, list[dict[str, object]]] = {}
    for cls in USER_HANDLER_BASES:

        class Collect(cls):
            def receive(self, payload):
                got.setdefault(type(self).event, []).append(super().receive(payload))

        dispatcher.add(Collect())
    for e in EVENT_TYPES.values():
        await dispatcher.dispatch_user({'e': e, 'E': 1})
    await dispatcher.dispatch_user({'e': 'GRID_UPDATE', 'E': 1})  # deprecated: nobody receives it
    assert got == {e: [{'e': e, 'E': 1}] for e in EVENT_TYPES.values()}


# -- the flow over REST and /ws/<key>, on a toy market ----------------------------------------------------------------

TOY_ROW = attrs.evolve(
    CM_USER_DATA,
    start=REST('POST', '/tapi/v1/listenKey'),
    ping=REST('PUT', '/tapi/v1/listenKey'),
    stop=REST('DELETE', '/tapi/v1/listenKey'),
    keepalive=0.05,
)
TOY_PLUGIN = attrs.evolve(
    futures_plugin(
        name='toy',
        client_name='ToyFuturesClient',
        api='tapi',
        stream='tstream',
        shared_optional=dict.fromkeys(MARKET_OPTIONAL, ()),
    ),
    user_data_flow=TOY_ROW,
)


class _ToyFake:
    row = FuturesFake(market='toy', rest_root='/tapi')  # one stream path: /ws/<key>, as COIN-M

    @hookimpl
    def binance_fake_exchange(self, market, exchange):
        teach(self.row, market, exchange)


class _UserSubType:
    """``SubType.USER`` on the toy market, when the shared stream rows do not declare it."""

    @hookimpl
    def binance_stream_types(self, market):
        return (StreamType(sub_type='USER', connection='user'),) if market.name == 'toy' else ()


class _Orders(HandlerBase):
    event = 'ORDER_TRADE_UPDATE'

    def __init__(self):
        self.ids = []

    def receive(self, payload):
        self.ids.append(payload['o']['i'])


class _Errors(StreamErrorHandlerBase):
    def __init__(self):
        self.seen = []

    def receive(self, error):
        self.seen.append(error)


async def until(predicate, timeout=5):
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.005)


def _toy():
    plugins = [TOY_PLUGIN, _ToyFake()]
    if 'USER' not in assemble(make_plugin_manager([TOY_PLUGIN], load_entry_points=False)).markets['toy'].stream_types:
        plugins.append(_UserSubType())
    pm = make_testing_plugin_manager(plugins, load_entry_points=False)
    return pm, assemble(pm).clients['ToyFuturesClient']


async def test_the_rest_variant_keeps_the_key_and_reads_the_raw_path_form():
    pm, client_class = _toy()
    orders, errors = _Orders(), _Errors()
    async with FakeExchange('toy', pm=pm) as fx, asyncio.timeout(10):
        fx.add_key('k', secret='s')
        async with client_class(
            Credentials('k', api_secret='s'), stream_retry_policy=lambda info: (False, 0.01), **fx.client_kwargs()
        ) as client:
            client.handler(orders, errors)
            await client.subscribe(client.SubType.USER)
            [key] = fx.listen_keys
            assert fx.stream_urls == [f'/ws/{key}']
            await until(lambda: len(fx.requests_for('PUT /tapi/v1/listenKey')) >= 2)
            await fx.push_user_event({'e': 'ORDER_TRADE_UPDATE', 'E': 1, 'o': {'i': 1}})
            await until(lambda: orders.ids == [1])
            await fx.expire_listen_key(key)
            await until(lambda: len(fx.listen_keys) == 1 and fx.subscriptions() == set(fx.listen_keys))
            await fx.push_user_event({'e': 'ORDER_TRADE_UPDATE', 'E': 2, 'o': {'i': 2}})
            await until(lambda: orders.ids == [1, 2])
            flow = client._streams._user_flow
            assert isinstance(flow, ListenKeyUserDataFlow) and flow.stats['renewals'] == 1
        # REST, USER_STREAM: the API key header, no signature, no params.
        start = fx.requests_for('POST /tapi/v1/listenKey')[0]
        assert start.headers['X-MBX-APIKEY'] == 'k' and start.params == {}
        assert len(fx.requests_for('DELETE /tapi/v1/listenKey')) == 1 and fx.listen_keys == {}
        assert fx.requests_for('userDataStream.start') == []
    assert [e.phase for e in errors.seen] == ['gap']


def test_the_row_is_the_flow_factory():
    assert isinstance(UM_USER_DATA, ListenKeyUserData) and callable(UM_USER_DATA)
    assert 'userDataStream.start' in repr(UM_USER_DATA)
