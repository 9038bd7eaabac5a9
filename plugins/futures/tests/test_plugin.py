"""``FuturesPlugin`` built for toy markets defined here: it assembles a client from the shared rows, answers
only for its own market, and the shared fake serves those rows (no futures market plugin installed)."""

import asyncio

import pytest

from binance_core import REST, SecurityType, hookimpl
from binance_core.assembly import assemble
from binance_core.credentials import Credentials
from binance_core.exceptions import PluginConflictError
from binance_core.plugins import make_plugin_manager
from binance_futures.endpoints import MARKET_OPTIONAL, general_endpoints, shared_endpoints
from binance_futures.fake import FuturesFake, teach
from binance_futures.market import futures_hosts
from binance_futures.plugin import FUTURES_ENUMS, FuturesPlugin, futures_plugin
from binance_futures.rate_limits import POOLS
from binance_testing import FakeExchange
from binance_testing.plugins import make_plugin_manager as make_testing_plugin_manager

# A toy market's optional params of the per-market shared rows: none but what create_order always takes.
TOY_OPTIONAL = dict.fromkeys(MARKET_OPTIONAL, ())
TOY_PLUGIN = futures_plugin(
    name='toy', client_name='ToyFuturesClient', api='tapi', stream='tstream', shared_optional=TOY_OPTIONAL
)
TOY = TOY_PLUGIN.market
OTHER_PLUGIN = futures_plugin(
    name='other', client_name='OtherFuturesClient', api='oapi', stream='ostream', shared_optional=TOY_OPTIONAL
)
OTHER = OTHER_PLUGIN.market


def _assemble(*plugins):
    return assemble(make_plugin_manager(plugins, load_entry_points=False))


def test_the_factory_derives_the_distribution_root_and_hosts():
    assert TOY.distribution == 'binance-market-toy' and TOY.resign_codes == {-1021, -5028}
    assert TOY.hosts == futures_hosts(api='tapi', stream='tstream')
    rest_paths = [row.call.path for row in TOY_PLUGIN.endpoints if isinstance(row.call, REST)]
    assert rest_paths[:3] == ['/tapi/v1/ping', '/tapi/v1/time', '/tapi/v1/exchangeInfo']
    assert all(path.startswith('/tapi/') for path in rest_paths)  # every shared REST row under the root


def test_a_futures_plugin_assembles_a_client_class():
    a = _assemble(TOY_PLUGIN)
    toy = a.markets['toy']
    assert toy.spec is TOY
    assert list(toy.endpoints.values()) == list(shared_endpoints('/tapi', optional=TOY_OPTIONAL))
    assert toy.pools == POOLS
    assert a.enums == {cls.__name__: cls for cls in FUTURES_ENUMS}
    cls = a.clients['ToyFuturesClient']
    assert cls is toy.client_class and cls().rest_host == 'https://tapi.binance.com'
    assert 'REST `GET /tapi/v1/time`' in cls.get_server_time.__doc__
    assert 'FuturesPlugin' in repr(TOY_PLUGIN) and "'toy'" in repr(TOY_PLUGIN)


def test_each_instance_answers_only_for_its_own_market():
    a = _assemble(TOY_PLUGIN, OTHER_PLUGIN)
    assert a.markets['toy'].endpoints['ping'].call.path == '/tapi/v1/ping'
    assert a.markets['other'].endpoints['ping'].call.path == '/oapi/v1/ping'
    assert set(a.clients) == {'ToyFuturesClient', 'OtherFuturesClient'}
    # Both return the same enum classes and the same budgets: no conflict.
    assert set(a.enums) == {cls.__name__ for cls in FUTURES_ENUMS}
    assert TOY_PLUGIN.binance_endpoints(market=OTHER) == () and TOY_PLUGIN.binance_enums(market=OTHER) == ()


def test_two_instances_with_the_same_rows_are_two_plugins():
    twin = FuturesPlugin(market=OTHER, endpoints=general_endpoints('/oapi'))
    pm = make_plugin_manager([OTHER_PLUGIN], load_entry_points=False)
    pm.register(twin, name='twin')  # pluggy tells plugins apart by identity, not by equal rows
    with pytest.raises(PluginConflictError, match="market 'other' is defined by both"):
        assemble(pm)


class _ToyFake:
    """The test-kit half of the toy market, as a futures plugin's fake module is."""

    row = FuturesFake(market='toy', rest_root='/tapi', stream_prefixes=('/private',))

    @hookimpl
    def binance_fake_exchange(self, market, exchange):
        teach(self.row, market, exchange)


async def test_the_shared_fake_serves_the_shared_rows():
    pm = make_testing_plugin_manager([TOY_PLUGIN, _ToyFake()], load_entry_points=False)
    client_class = assemble(pm).clients['ToyFuturesClient']
    async with FakeExchange('toy', pm=pm) as fx:
        assert (fx.ws_api_path, fx.rest_prefixes, fx.stream_prefixes) == (
            '/ws-tapi/v1',
            ('/tapi/', '/futures/data/'),
            ('/private',),
        )
        assert (fx.weight_limit, fx.order_limits) == (2400, (('10s', 300), ('1m', 1200)))  # from the pool rows
        fx.add_key('k', secret='s')
        async with client_class(Credentials('k', api_secret='s'), **fx.client_kwargs()) as client:
            async with asyncio.timeout(5):
                assert await client.ping() == {}
                assert 'serverTime' in await client.get_server_time()
                info = await client.get_exchange_info()
                listen_key = await client.post('/tapi/v1/listenKey', security_type=SecurityType.USER_STREAM)
        assert {r['rateLimitType'] for r in info['rateLimits']} == {'REQUEST_WEIGHT', 'ORDERS'}
        assert fx.listen_keys == {listen_key['listenKey']: 'k'}
