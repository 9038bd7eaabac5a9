"""The fake exchange (binance_testing) driven by raw aiohttp clients: signatures, timing,
sessions, user-data subscriptions, REST, streams, recording and fault injection. Needs only the core, the
test kit and the Spot plugin; the listenKey flow is taught by a toy market defined here."""

from __future__ import annotations

import asyncio
import json
import time
from importlib.metadata import entry_points
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest
import yarl
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from binance_core import Hosts, MarketSpec, PoolSpec, hookimpl
from binance_core.credentials import Credentials
from binance_core.plugins import make_plugin_manager as core_make_plugin_manager
from binance_core.specs import SecurityType
from binance_testing import BinanceError, FakeExchange, FakeExchangeProtocol, SimulatedExchange
from binance_testing.plugins import add_testing_hookspecs, make_plugin_manager

pytestmark = pytest.mark.timeout(20)

WAIT = 5  # seconds any single wait may take before the test fails by name


# -- keys and signing ------------------------------------------------------------------------


def _pem(key: Any, password: bytes | None = None) -> bytes:
    enc = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, enc)


@pytest.fixture(scope='module')
def keys() -> dict[str, Credentials]:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return {
        'hmac': Credentials('HmacKey01', api_secret='hmac-secret'),
        'rsa': Credentials('RsaKey01', private_key=_pem(rsa_key, b'pw'), private_key_pass=b'pw'),
        'ed25519': Credentials('EdKey01', private_key=_pem(ed25519.Ed25519PrivateKey.generate())),
    }


def _register(fx: FakeExchange, keys: dict[str, Credentials]) -> None:
    fx.add_key('HmacKey01', secret='hmac-secret')
    fx.add_key('RsaKey01', public_key_pem=keys['rsa'].public_key_pem())
    fx.add_key('EdKey01', public_key_pem=keys['ed25519'].public_key_pem())


def _now() -> int:
    return int(time.time() * 1000)


def ws_signed(creds: Credentials, **params: Any) -> dict[str, Any]:
    """Binance WS-API signing, written independently of the SDK: sorted ``k=v`` joined by ``&``."""
    params = {'apiKey': creds.api_key, 'timestamp': _now(), **params}
    payload = '&'.join(f'{k}={json.dumps(v) if isinstance(v, bool) else v}' for k, v in sorted(params.items()))
    return {**params, 'signature': creds.sign(payload)}


def rest_query(creds: Credentials, **params: Any) -> str:
    """Binance REST signing: the percent-encoded query as sent, plus ``&signature=`` percent-encoded."""
    params = {**params, 'timestamp': _now()}
    query = '&'.join(f'{k}={quote(str(v), safe="")}' for k, v in params.items())
    return f'{query}&signature={quote(creds.sign(query), safe="")}'


# -- fixtures and small clients --------------------------------------------------------------


@pytest.fixture
async def fx(keys: dict[str, Credentials]) -> Any:
    async with FakeExchange('spot') as exchange:
        _register(exchange, keys)
        yield exchange


@pytest.fixture
async def http() -> Any:
    async with aiohttp.ClientSession() as session:
        yield session


class WsApi:
    """A bare WS-API client: send one request, read frames."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.next_id = 0

    async def send(self, method: str, params: dict[str, Any] | None = None) -> int:
        self.next_id += 1
        msg: dict[str, Any] = {'id': self.next_id, 'method': method}
        if params is not None:
            msg['params'] = params
        await self.ws.send_str(json.dumps(msg))
        return self.next_id

    async def recv(self) -> dict[str, Any]:
        async with asyncio.timeout(WAIT):
            msg = await self.ws.receive()
        assert msg.type is aiohttp.WSMsgType.TEXT, msg
        return json.loads(msg.data)

    async def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        rid = await self.send(method, params)
        reply = await self.recv()
        assert reply['id'] == rid
        return reply


@pytest.fixture
async def api(fx: FakeExchange, http: aiohttp.ClientSession) -> Any:
    async with http.ws_connect(fx.ws_api_url) as ws:
        yield WsApi(ws)


async def recv_json(ws: aiohttp.ClientWebSocketResponse) -> Any:
    async with asyncio.timeout(WAIT):
        msg = await ws.receive()
    assert msg.type is aiohttp.WSMsgType.TEXT, msg
    return json.loads(msg.data)


# -- WS-API: signatures, timing, sessions ----------------------------------------------------


@pytest.mark.parametrize('kind', ['hmac', 'rsa', 'ed25519'])
async def test_ws_api_signed_request_good_accepted_bad_rejected(
    api: WsApi, keys: dict[str, Credentials], kind: str
) -> None:
    creds = keys[kind]
    good = await api.call('account.status', ws_signed(creds, omitZeroBalances=True))
    assert good['status'] == 200 and good['result'] == {}
    limits = {(r['rateLimitType'], r['interval']): r for r in good['rateLimits']}
    assert limits['REQUEST_WEIGHT', 'MINUTE']['count'] >= 20  # account.status weighs 20
    bad = ws_signed(creds, omitZeroBalances=True)
    bad['omitZeroBalances'] = False  # signed payload no longer matches
    reply = await api.call('account.status', bad)
    assert reply['status'] == 400
    assert reply['error'] == {'code': -1022, 'msg': 'Signature for this request is not valid.'}


async def test_ws_api_security_errors(api: WsApi, keys: dict[str, Credentials]) -> None:
    unsigned = {'apiKey': 'HmacKey01', 'timestamp': _now()}
    reply = await api.call('account.status', unsigned)
    assert reply['error']['code'] == -1102 and 'signature' in reply['error']['msg']
    stranger = Credentials('NobodyKey', api_secret='x')
    reply = await api.call('account.status', ws_signed(stranger))
    assert (reply['status'], reply['error']['code']) == (401, -2015)
    reply = await api.call('no.such.method')
    assert reply['status'] == 400 and reply['error']['code'] == -1020
    public = await api.call('time')
    assert public['status'] == 200 and abs(public['result']['serverTime'] - _now()) < 2000


async def test_ws_api_timing_rejects_skew(api: WsApi, fx: FakeExchange, keys: dict[str, Credentials]) -> None:
    fx.skew_ms = 10_000  # server clock ahead: our timestamp is older than recvWindow 5000
    reply = await api.call('account.status', ws_signed(keys['hmac']))
    assert reply['error'] == {'code': -1021, 'msg': 'Timestamp for this request is outside of the recvWindow.'}
    assert (await api.call('account.status', ws_signed(keys['hmac'], recvWindow=20000)))['status'] == 200
    fx.skew_ms = -2_000  # server clock behind: our timestamp is > 1 s ahead
    reply = await api.call('account.status', ws_signed(keys['hmac']))
    assert reply['error']['code'] == -1021 and 'ahead' in reply['error']['msg']
    fx.skew_ms = 0
    reply = await api.call('account.status', ws_signed(keys['hmac'], recvWindow=60001))
    assert reply['error']['code'] == -1131


async def test_session_logon_then_signed_request_needs_only_timestamp(
    api: WsApi, fx: FakeExchange, keys: dict[str, Credentials]
) -> None:
    reply = await api.call('session.logon', ws_signed(keys['hmac']))
    assert reply['status'] == 401  # Binance: only Ed25519 keys may log on
    logon = await api.call('session.logon', ws_signed(keys['ed25519']))
    assert logon['status'] == 200
    assert logon['result']['apiKey'] == 'EdKey01' and logon['result']['userDataStream'] is False
    assert set(logon['result']) == {
        'apiKey',
        'authorizedSince',
        'connectedSince',
        'returnRateLimits',
        'serverTime',
        'userDataStream',
    }
    reply = await api.call('account.status', {'timestamp': _now()})
    assert reply['status'] == 200
    reply = await api.call('account.status', {})
    assert reply['error']['code'] == -1102  # timestamp is still mandatory
    fx.remove_key('EdKey01')  # key revoked: the session is revoked at the next request
    reply = await api.call('account.status', {'timestamp': _now()})
    assert (reply['status'], reply['error']['code']) == (401, -2015)
    status = await api.call('session.status')
    assert status['result']['apiKey'] is None


async def test_user_data_subscriptions(api: WsApi, fx: FakeExchange, keys: dict[str, Credentials]) -> None:
    reply = await api.call('userDataStream.subscribe')
    assert reply['status'] == 401  # needs a logged-on session
    await api.call('session.logon', ws_signed(keys['ed25519']))
    assert (await api.call('userDataStream.subscribe'))['result'] == {'subscriptionId': 0}
    assert (await api.call('userDataStream.subscribe'))['error']['code'] == -2035
    signed = await api.call('userDataStream.subscribe.signature', ws_signed(keys['hmac']))
    assert signed['result'] == {'subscriptionId': 1}
    assert (await api.call('session.subscriptions'))['result'] == [{'subscriptionId': 0}, {'subscriptionId': 1}]
    event = {'e': 'balanceUpdate', 'E': 1, 'a': 'BTC', 'd': '1.0', 'T': 1}
    assert await fx.push_user_event(event, api_key='HmacKey01') == 1
    assert await api.recv() == {'subscriptionId': 1, 'event': event}
    # session.logout ends only the logon subscription, with eventStreamTerminated.
    await api.send('session.logout')
    ended = await api.recv()
    assert ended['subscriptionId'] == 0 and ended['event']['e'] == 'eventStreamTerminated'
    assert (await api.recv())['result']['apiKey'] is None
    await api.send('userDataStream.unsubscribe', {'subscriptionId': 1})
    assert (await api.recv())['event']['e'] == 'eventStreamTerminated'
    assert (await api.recv())['result'] == {}
    assert await fx.push_user_event(event) == 0


# -- REST --------------------------------------------------------------------------------------


@pytest.mark.parametrize('kind', ['hmac', 'rsa', 'ed25519'])
async def test_rest_signed_request_good_accepted_bad_rejected(
    fx: FakeExchange, http: aiohttp.ClientSession, keys: dict[str, Credentials], kind: str
) -> None:
    creds = keys[kind]
    headers = {'X-MBX-APIKEY': creds.api_key}
    url = yarl.URL(f'{fx.rest_url}/api/v3/account?' + rest_query(creds, omitZeroBalances='true'), encoded=True)
    async with http.get(url, headers=headers) as resp:
        assert resp.status == 200 and await resp.json() == {}
        assert int(resp.headers['X-MBX-USED-WEIGHT-1M']) >= 1
    # POST with a non-ASCII symbol, percent-encoded before signing, params in the body.
    body = rest_query(creds, symbol='这是测试币456', side='BUY')
    async with http.post(
        f'{fx.rest_url}/api/v3/order/test',
        data=body,
        headers={**headers, 'Content-Type': 'application/x-www-form-urlencoded'},
    ) as resp:
        assert resp.status == 200, await resp.text()
    assert fx.requests_for('POST /api/v3/order/test')[-1].params['symbol'] == '这是测试币456'
    tampered = yarl.URL(str(url).replace('omitZeroBalances=true', 'omitZeroBalances=false'), encoded=True)
    async with http.get(tampered, headers=headers) as resp:
        assert resp.status == 400
        assert await resp.json() == {'code': -1022, 'msg': 'Signature for this request is not valid.'}


async def test_rest_errors_and_injected_rate_limit(
    fx: FakeExchange, http: aiohttp.ClientSession, keys: dict[str, Credentials]
) -> None:
    async with http.get(f'{fx.rest_url}/api/v3/time') as resp:
        assert resp.status == 200 and 'serverTime' in await resp.json()
    fx.skew_ms = 30_000
    url = yarl.URL(f'{fx.rest_url}/api/v3/account?' + rest_query(keys['hmac']), encoded=True)
    async with http.get(url, headers={'X-MBX-APIKEY': 'HmacKey01'}) as resp:
        assert resp.status == 400 and (await resp.json())['code'] == -1021
    async with http.get(url) as resp:  # signed, but no X-MBX-APIKEY header
        assert resp.status == 401 and (await resp.json())['code'] == -2014
    fx.fail_next('GET /api/v3/time', -1003, status=429, retry_after=3)
    async with http.get(f'{fx.rest_url}/api/v3/time') as resp:
        assert resp.status == 429 and resp.headers['Retry-After'] == '3'
        assert (await resp.json())['code'] == -1003
    async with http.get(f'{fx.rest_url}/api/v3/time') as resp:
        assert resp.status == 200
    async with http.get(f'{fx.rest_url}/elsewhere') as resp:
        assert resp.status == 404


# -- recording and fault injection -------------------------------------------------------------


async def test_recording(
    api: WsApi, fx: FakeExchange, http: aiohttp.ClientSession, keys: dict[str, Credentials]
) -> None:
    params = ws_signed(keys['hmac'], symbol='BTCUSDT')
    await api.call('order.status', params)
    async with http.get(f'{fx.rest_url}/api/v3/ping', headers={'X-MBX-APIKEY': 'HmacKey01'}) as resp:
        assert resp.status == 200
    (rec,) = fx.requests_for('order.status')
    assert (rec.transport, rec.params, rec.id) == ('ws_api', params, api.next_id)
    assert abs(rec.at - _now()) < 5000
    (rest,) = fx.requests_for('GET /api/v3/ping')
    assert rest.transport == 'rest' and rest.headers['X-MBX-APIKEY'] == 'HmacKey01'
    assert fx.ws_api_connections == 1


async def test_fail_next_delay_next_drop_next(api: WsApi, fx: FakeExchange, http: aiohttp.ClientSession) -> None:
    fx.fail_next('time', -1003, status=429, retry_after=3)
    reply = await api.call('time')
    assert reply['status'] == 429 and reply['error']['code'] == -1003
    assert reply['error']['data']['retryAfter'] - _now() > 2000
    assert (await api.call('time'))['status'] == 200  # times=1: only the next one fails

    fx.delay_next('time', 0.3)
    slow = await api.send('time')
    fast = await api.send('ping')
    assert [(await api.recv())['id'], (await api.recv())['id']] == [fast, slow]  # the delay holds up nothing else

    fx.drop_next('ping')
    await api.send('ping')
    async with asyncio.timeout(WAIT):
        msg = await api.ws.receive()
    assert msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR)
    assert len(fx.requests_for('ping')) == 2  # recorded although never answered

    fx.drop_next('POST /api/v3/order')
    with pytest.raises(aiohttp.ServerDisconnectedError):
        async with http.post(f'{fx.rest_url}/api/v3/order', data='symbol=BTCUSDT'):
            pass
    assert len(fx.requests_for('POST /api/v3/order')) == 1


async def test_weight_limit_answers_429(api: WsApi, fx: FakeExchange) -> None:
    fx.weight_limit = fx.used_weight + 1
    assert (await api.call('time'))['status'] == 200
    reply = await api.call('time')
    assert reply['status'] == 429 and reply['error']['code'] == -1003
    assert reply['error']['data']['retryAfter'] % 60000 == 0  # the next calendar minute


async def test_server_shutdown_and_drop_connections(api: WsApi, fx: FakeExchange, http: aiohttp.ClientSession) -> None:
    await fx.ws_api_server_shutdown()
    event = await api.recv()
    assert set(event) == {'event'} and event['event']['e'] == 'serverShutdown'
    async with (
        http.ws_connect(f'{fx.stream_url}/stream?streams=btcusdt@trade') as combined,
        http.ws_connect(f'{fx.stream_url}/ws/btcusdt@trade') as raw,
    ):
        await fx.stream_server_shutdown()
        assert (await recv_json(combined))['stream'] == '!serverShutdown'
        assert (await recv_json(raw))['e'] == 'serverShutdown'
        assert await fx.drop_connections('stream') == 2
        assert fx.subscriptions() == set()
        async with asyncio.timeout(WAIT):
            assert (await raw.receive()).type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR)
    assert (await api.call('ping'))['status'] == 200  # the WS-API connection was left alone


# -- market streams ----------------------------------------------------------------------------


async def test_stream_subscribe_push_unsubscribe(fx: FakeExchange, http: aiohttp.ClientSession) -> None:
    async with (
        http.ws_connect(f'{fx.stream_url}/stream?streams=btcusdt@trade') as ws,
        http.ws_connect(f'{fx.stream_url}/ws/btcusdt@trade') as raw,
    ):
        trade = {'e': 'trade', 's': 'BTCUSDT', 't': 1}
        assert await fx.push('btcusdt@trade', trade) == 2
        assert await recv_json(ws) == {'stream': 'btcusdt@trade', 'data': trade}
        assert await recv_json(raw) == trade
        await ws.send_json({'method': 'SUBSCRIBE', 'params': ['ethusdt@depth'], 'id': 1})
        assert await recv_json(ws) == {'result': None, 'id': 1}
        await ws.send_json({'method': 'LIST_SUBSCRIPTIONS', 'id': 2})
        assert await recv_json(ws) == {'result': ['btcusdt@trade', 'ethusdt@depth'], 'id': 2}
        await ws.send_json({'method': 'UNSUBSCRIBE', 'params': ['btcusdt@trade'], 'id': 3})
        assert await recv_json(ws) == {'result': None, 'id': 3}
        assert await fx.push('btcusdt@trade', trade) == 1  # only the raw connection now
        assert fx.subscriptions() == {'btcusdt@trade', 'ethusdt@depth'}
        fx.fail_next_subscribe(-1, 'nope')
        await ws.send_json({'method': 'SUBSCRIBE', 'params': ['bnbusdt@depth'], 'id': 4})
        assert await recv_json(ws) == {'error': {'code': -1, 'msg': 'nope'}, 'id': 4}
        assert [r.params for r in fx.requests_for('SUBSCRIBE')] == [['ethusdt@depth'], ['bnbusdt@depth']]
        assert fx.stream_connections == 2


async def test_stream_incoming_message_limit_closes_connection(fx: FakeExchange, http: aiohttp.ClientSession) -> None:
    async with http.ws_connect(f'{fx.stream_url}/ws', autoping=False) as ws:
        for i in range(fx.stream_message_limit + 1):  # Spot: 5 per second, the 6th closes
            await ws.send_json({'method': 'LIST_SUBSCRIPTIONS', 'id': i})
        replies = []
        async with asyncio.timeout(WAIT):
            while (msg := await ws.receive()).type is aiohttp.WSMsgType.TEXT:
                replies.append(msg)
        assert len(replies) == fx.stream_message_limit
        assert msg.type is aiohttp.WSMsgType.CLOSE and msg.data == aiohttp.WSCloseCode.POLICY_VIOLATION


async def test_stream_pings_and_silence(fx: FakeExchange, http: aiohttp.ClientSession) -> None:
    async with http.ws_connect(f'{fx.stream_url}/ws/btcusdt@trade', autoping=False) as ws:
        await ws.ping(b'hi')
        async with asyncio.timeout(WAIT):
            pong = await ws.receive()
        assert (pong.type, pong.data) == (aiohttp.WSMsgType.PONG, b'hi')
        fx.silent = True
        await ws.ping(b'again')
        assert await fx.push('btcusdt@trade', {'e': 'trade'}) == 0
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.3):
                await ws.receive()
        assert fx.stream_pings_received == 2


async def test_push_many_delivers_50000_frames_in_order(fx: FakeExchange, http: aiohttp.ClientSession) -> None:
    n = 50_000
    async with http.ws_connect(f'{fx.stream_url}/stream?streams=btcusdt@depth') as ws:

        async def read() -> list[int]:
            seen = []
            while len(seen) < n:
                msg = await ws.receive()
                assert msg.type is aiohttp.WSMsgType.TEXT, msg
                seen.append(json.loads(msg.data)['data']['u'])
            return seen

        async with asyncio.timeout(15):
            sent, seen = await asyncio.gather(fx.push_many('btcusdt@depth', ({'u': i} for i in range(n))), read())
    assert sent == n
    assert seen == list(range(n))


async def test_push_waits_for_a_slow_reader(fx: FakeExchange, http: aiohttp.ClientSession) -> None:
    consumed = 0
    stalled_at = -1
    resumed = asyncio.Event()

    def frames() -> Any:
        nonlocal consumed
        for i in range(1_000_000):
            consumed = i
            if 0 <= stalled_at < i:
                resumed.set()
            yield {'u': i, 'pad': 'x' * 1000}

    async with http.ws_connect(f'{fx.stream_url}/stream?streams=btcusdt@depth') as ws:
        pusher = asyncio.create_task(fx.push_many('btcusdt@depth', frames()))
        try:
            await asyncio.sleep(0.4)  # nobody reads: socket buffers fill, then the pusher must wait
            stalled_at = consumed
            await asyncio.sleep(0.2)
            assert consumed == stalled_at < 1_000_000
            async with asyncio.timeout(WAIT):
                for _ in range(2000):
                    await ws.receive()
                await resumed.wait()  # reading lets it go on
        finally:
            pusher.cancel()
            with pytest.raises(asyncio.CancelledError):
                await pusher


# -- the pytest fixture, the test kit's hook and its plugin manager ---------------------------------------


TOY = MarketSpec(
    name='toy',
    client_name='ToyClient',
    distribution='binance-market-toy',
    hosts={'live': Hosts(rest='http://127.0.0.1:1', ws_api='ws://127.0.0.1:1/ws-tapi/v1', stream='ws://127.0.0.1:1')},
)


class _ToyMarket:
    """A market with no fake of its own: the runtime half of a plugin."""

    @hookimpl
    def binance_markets(self) -> Any:
        return (TOY,)

    @hookimpl
    def binance_rate_pools(self, market: Any) -> Any:
        return (PoolSpec(type='request_weight', scope='ip', interval='1m', limit=2400),) if market is TOY else ()


class _ToyFake:
    """The test-kit half: teaches the fake a futures-like wire (REST under /tapi/, listenKey user data)."""

    @hookimpl
    def binance_fake_exchange(self, market: Any, exchange: Any) -> None:
        if market.name == 'toy':
            exchange.rest_prefixes = ('/tapi/',)
            exchange.stream_prefixes = ('/private',)
            exchange.ws_user_data_subscriptions = False
            exchange.install_listen_key_flow(rest_path='/tapi/v1/listenKey')
            exchange.rest_route('GET', '/tapi/v1/time', lambda req: {'serverTime': req.exchange.server_time()})


async def test_pytest_fixture_and_the_listen_key_flow(
    binance_fake_exchange: Any, http: aiohttp.ClientSession, keys: dict[str, Credentials]
) -> None:
    pm = make_plugin_manager([_ToyMarket(), _ToyFake()], load_entry_points=False)
    fx = await binance_fake_exchange('toy', pm=pm)
    assert fx.ws_api_url.endswith('/ws-tapi/v1') and fx.weight_limit == 2400  # from the market's rows
    fx.add_key('HmacKey01', secret='hmac-secret')
    async with http.get(f'{fx.rest_url}/tapi/v1/time') as resp:
        assert 'serverTime' in await resp.json()
    async with http.post(f'{fx.rest_url}/tapi/v1/listenKey') as resp:
        assert resp.status == 401  # USER_STREAM needs the API key header
    async with http.post(f'{fx.rest_url}/tapi/v1/listenKey', headers={'X-MBX-APIKEY': 'HmacKey01'}) as resp:
        listen_key = (await resp.json())['listenKey']
    async with http.ws_connect(fx.ws_api_url) as ws:
        api = WsApi(ws)
        again = await api.call('userDataStream.start', {'apiKey': 'HmacKey01'})
        assert again['result'] == {'listenKey': listen_key}  # an active key is returned again
        assert (await api.call('userDataStream.subscribe'))['error']['code'] == -1020  # Spot only
    async with http.ws_connect(f'{fx.stream_url}/private/ws/{listen_key}') as user:
        event = {'e': 'ORDER_TRADE_UPDATE', 'E': 1}
        assert await fx.push_user_event(event, api_key='HmacKey01') == 1
        assert await recv_json(user) == event
        await fx.expire_listen_key(listen_key)
        assert (await recv_json(user))['e'] == 'listenKeyExpired'


class _ThirdParty:
    """A third-party plugin teaching the Spot fake one more method through the hook."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    @hookimpl
    def binance_fake_exchange(self, market: Any, exchange: Any) -> None:
        self.seen.append(market.name)
        if market.name == 'spot':
            exchange.ws_method(
                'margin.status',
                lambda req: {'marginLevel': '2.0', 'apiKey': req.api_key},
                security=SecurityType.USER_DATA,
                weight=7,
            )


async def test_hook_binance_fake_exchange(http: aiohttp.ClientSession, keys: dict[str, Credentials]) -> None:
    pm = make_plugin_manager()  # the installed plugins, and their fake modules (group binance.testing)
    plugin = _ThirdParty()
    pm.register(plugin)
    async with FakeExchange('spot', pm=pm) as fx, http.ws_connect(fx.ws_api_url) as ws:
        assert plugin.seen == ['spot']  # called once, for the market being faked
        assert fx.ws_api_path == '/ws-api/v3' and fx.rest_prefixes == ('/api/', '/sapi/')  # and Spot's fake too
        _register(fx, keys)
        api = WsApi(ws)
        assert (await api.call('margin.status', {}))['error']['code'] == -1102  # USER_DATA: signed
        reply = await api.call('margin.status', ws_signed(keys['rsa']))
        assert reply['result'] == {'marginLevel': '2.0', 'apiKey': 'RsaKey01'}
        assert fx.used_weight == fx.ws_connect_weight + 7 + 7


def test_market_fakes_come_from_the_binance_testing_entry_points() -> None:
    pm = make_plugin_manager()
    names = {name for name, info in pm.binance_info.items() if info.group == 'binance.testing'}
    installed = {ep.name for ep in entry_points(group='binance.markets')}
    assert 'binance.testing:spot' in names
    assert names == {f'binance.testing:{ep.name}' for ep in entry_points(group='binance.testing')}
    assert {n.split(':', 1)[1] for n in names} <= installed  # each market's fake, under its market's name
    # With no pm, FakeExchange makes this one: Spot's fake teaches it Spot's wire.
    assert FakeExchange('spot').ws_api_path == '/ws-api/v3'


def test_a_plugin_manager_made_elsewhere_gets_the_hook_spec_once() -> None:
    pm = core_make_plugin_manager([_ToyMarket()], load_entry_points=False)
    assert getattr(pm.hook, 'binance_fake_exchange', None) is None  # the runtime contract has no such hook
    FakeExchange('toy', pm=pm)  # adds the spec; registers nothing
    assert pm.hook.binance_fake_exchange.spec is not None and not pm.hook.binance_fake_exchange.get_hookimpls()
    pm.register(_ToyFake())
    fx = FakeExchange('toy', pm=pm)  # the spec is there already: not added twice (pluggy would raise)
    assert fx.rest_prefixes == ('/tapi/',)
    assert add_testing_hookspecs(pm) is pm


def test_the_exchanges_provide_the_protocol_the_fakes_use() -> None:
    fx = FakeExchange('spot')
    assert isinstance(fx, FakeExchangeProtocol) and fx.simulation is None
    assert isinstance(SimulatedExchange('spot', paused=True), FakeExchangeProtocol)


async def test_a_plain_fake_executes_directly() -> None:
    assert await FakeExchange('spot').execute(lambda a, *, b: a + b, 1, b=2) == 3


async def test_unknown_market_and_key_material() -> None:
    with pytest.raises(ValueError, match='no installed plugin defines market'):
        FakeExchange('nope')
    fx = FakeExchange('spot')
    with pytest.raises(ValueError, match='exactly one'):
        fx.add_key('K', secret='s', public_key_pem=b'x')
    err = BinanceError(-2010, 'Account has insufficient balance for requested action.', status=400)
    assert err.error_object() == {'code': -2010, 'msg': 'Account has insufficient balance for requested action.'}
