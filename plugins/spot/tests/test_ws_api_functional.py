"""SpotClient over the WS-API against the loopback fake exchange: every row, signing with all
three key types, time sync, unknown outcomes, errors, reconnects and the REST escape hatch."""

import asyncio
import importlib.util
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from binance import (
    ConnectionLostException,
    Credentials,
    CredentialsRequiredException,
    IPBannedException,
    RateLimitException,
    RequestTimeoutException,
    SecurityType,
    SpotClient,
    StatusException,
    StreamRateLimitException,
    StreamSubscribeException,
    UnknownOutcomeException,
)
from binance_testing import BinanceError, FakeExchange


def _load_cases():
    spec = importlib.util.spec_from_file_location('spot_wire_cases', Path(__file__).with_name('wire_cases.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CASES


CASES = _load_cases()
AUTH = {'apiKey', 'timestamp', 'signature', 'recvWindow', 'newClientOrderId', 'listClientOrderId'}


def _pem(key, password=None):
    enc = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, enc)


@pytest.fixture
async def fx():
    async with FakeExchange('spot') as exchange:
        yield exchange


def hmac_creds(fx, name='hmac-key'):
    fx.add_key(name, secret='hmac-secret')
    return Credentials(name, api_secret='hmac-secret')


def ed25519_creds(fx, name='ed-key', password=None):
    key = ed25519.Ed25519PrivateKey.generate()
    fx.add_key(
        name,
        public_key_pem=key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    )
    return Credentials(name, private_key=_pem(key, password), private_key_pass=password)


def rsa_creds(fx, name='rsa-key', password=None):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    fx.add_key(
        name,
        public_key_pem=key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    )
    return Credentials(name, private_key=_pem(key, password), private_key_pass=password)


# -- every row -----------------------------------------------------------------------------------


# Binance "Log in with API key": only Ed25519 keys may log a session on.
ED25519_ONLY = {'session_logon'}


async def test_every_spot_row_reaches_the_fake_with_its_wire_method_and_params(fx):
    async with (
        SpotClient(hmac_creds(fx), **fx.client_kwargs()) as spot,
        SpotClient(ed25519_creds(fx), **fx.client_kwargs()) as ed_spot,
    ):
        for name, kwargs, wire, expected in CASES:
            before = len(fx.requests)
            async with asyncio.timeout(5):
                await getattr(ed_spot if name in ED25519_ONLY else spot, name)(**kwargs)
            # A time sync may precede the first signed call; it is not the call under test.
            sent = [r for r in fx.requests[before:] if r.method != 'time' or wire == 'time']
            assert [r.method for r in sent] == [wire], name
            params = sent[0].params
            assert {k: v for k, v in params.items() if k not in AUTH} == expected, name
            row = spot._market_assembly.endpoints[name]
            if row.security.signed:
                assert 'signature' in params and 'timestamp' in params, name
            if row.client_order_id:
                assert params[row.client_order_id], f'{name}: a client order id is generated'


# -- signing ---------------------------------------------------------------------------------------


@pytest.mark.parametrize('kind', ['hmac', 'rsa', 'rsa-encrypted', 'ed25519', 'ed25519-encrypted'])
async def test_signed_requests_verify_at_the_fake_for_every_key_type(fx, kind):
    make = {'hmac': hmac_creds, 'rsa': rsa_creds, 'ed25519': ed25519_creds}[kind.split('-')[0]]
    creds = make(fx) if kind == 'hmac' else make(fx, password=b'pw' if 'encrypted' in kind else None)
    async with SpotClient(creds, **fx.client_kwargs()) as spot:
        async with asyncio.timeout(5):
            await spot.get_account()
            await spot.get_open_orders(symbol='BTCUSDT')
    logons = fx.requests_for('session.logon')
    if kind.startswith('ed25519'):
        # Ed25519 logs the session on once; later signed requests carry no signature.
        assert len(logons) == 1
        assert all('signature' not in r.params for r in fx.requests_for('account.status'))
    else:
        assert logons == []
        assert all('signature' in r.params for r in fx.requests_for('account.status'))


async def test_signed_call_without_credentials_raises_before_sending(fx):
    async with SpotClient(**fx.client_kwargs()) as spot:
        with pytest.raises(CredentialsRequiredException):
            await spot.get_account()
        with pytest.raises(CredentialsRequiredException):
            await spot.create_order(symbol='BTCUSDT', side='BUY', type='MARKET', quantity='1')
    async with SpotClient(Credentials('only-key'), **fx.client_kwargs()) as spot:
        with pytest.raises(CredentialsRequiredException, match='must be signed'):
            await spot.get_account()
    assert fx.requests == []


async def test_float_price_is_refused_before_anything_is_sent(fx):
    async with SpotClient(hmac_creds(fx), **fx.client_kwargs()) as spot:
        with pytest.raises(TypeError, match="'price'"):
            await spot.create_order(
                symbol='BTCUSDT', side='BUY', type='LIMIT', timeInForce='GTC', quantity='1', price=7000.1
            )
    assert fx.requests == []


# -- time -----------------------------------------------------------------------------------------


async def test_clock_is_synced_before_the_first_signed_request(fx):
    fx.skew_ms = 30_000  # the exchange is 30 s ahead: an unsynced timestamp would be outside recvWindow
    async with SpotClient(hmac_creds(fx), **fx.client_kwargs()) as spot:
        async with asyncio.timeout(5):
            await spot.get_account()
        assert abs(spot.clock.offset_ms - 30_000) < 1_000
    methods = [r.method for r in fx.requests]
    assert methods == ['time', 'account.status']


async def test_minus_1021_resyncs_and_resends_once(fx):
    async with SpotClient(hmac_creds(fx), **fx.client_kwargs()) as spot:
        async with asyncio.timeout(5):
            await spot.get_account()
            fx.skew_ms = -20_000  # the exchange clock jumps back: our timestamps are now "in the future"
            result = await spot.create_order(symbol='BTCUSDT', side='BUY', type='MARKET', quantity='1')
    assert result is not None
    places = fx.requests_for('order.place')
    assert len(places) == 2  # rejected with -1021 (not executed), then re-signed and sent once more
    assert places[0].params['newClientOrderId'] == places[1].params['newClientOrderId']
    assert [r.method for r in fx.requests].count('time') == 2


async def test_persistent_minus_1021_is_raised_after_one_resend(fx):
    async with SpotClient(hmac_creds(fx), **fx.client_kwargs()) as spot:
        fx.fail_next('account.status', -1021, 'Timestamp for this request is outside of the recvWindow.', times=5)
        with pytest.raises(StreamSubscribeException) as info:
            async with asyncio.timeout(5):
                await spot.get_account()
    assert info.value.code == -1021
    assert len(fx.requests_for('account.status')) == 2


async def test_recv_window_is_sent_and_clamped(fx):
    async with SpotClient(hmac_creds(fx), recv_window=90_000, **fx.client_kwargs()) as spot:
        await spot.get_account()
    assert fx.requests_for('account.status')[0].params['recvWindow'] == 60_000


# -- unknown outcomes ----------------------------------------------------------------------------------


async def test_order_in_flight_when_the_connection_drops_fails_with_unknown_outcome_and_is_sent_once(fx):
    async with SpotClient(ed25519_creds(fx), **fx.client_kwargs()) as spot:
        await spot.get_account()
        fx.drop_next('order.place')
        with pytest.raises(UnknownOutcomeException) as info:
            async with asyncio.timeout(5):
                await spot.create_order(
                    symbol='BTCUSDT', side='BUY', type='LIMIT', timeInForce='GTC', quantity='1', price='7000.1'
                )
        sent = fx.requests_for('order.place')
        assert len(sent) == 1
        assert info.value.client_order_id == sent[0].params['newClientOrderId']
        assert 'not re-sent' in str(info.value)
        # The client reconnects (and logs on again) for the next request; nothing was replayed.
        async with asyncio.timeout(5):
            await spot.get_order(symbol='BTCUSDT', origClientOrderId=info.value.client_order_id)
    assert len(fx.requests_for('order.place')) == 1
    assert len(fx.requests_for('session.logon')) == 2


async def test_caller_client_order_id_is_kept(fx):
    async with SpotClient(hmac_creds(fx), **fx.client_kwargs()) as spot:
        fx.fail_next('order.place', -1007, 'Timeout waiting for response from backend server.')
        with pytest.raises(UnknownOutcomeException) as info:
            await spot.create_order(
                symbol='BTCUSDT', side='BUY', type='MARKET', quantity='1', newClientOrderId='my-id-1'
            )
    assert info.value.code == -1007 and info.value.client_order_id == 'my-id-1'
    assert len(fx.requests_for('order.place')) == 1


async def test_read_in_flight_when_the_connection_drops_fails_fast(fx):
    async with SpotClient(**fx.client_kwargs()) as spot:
        fx.drop_next('exchangeInfo')
        with pytest.raises(ConnectionLostException):
            async with asyncio.timeout(5):
                await spot.get_exchange_info()
        async with asyncio.timeout(5):
            await spot.ping()


# -- errors -------------------------------------------------------------------------------------------


async def test_ws_api_error_is_typed(fx):
    async with SpotClient(**fx.client_kwargs()) as spot:
        fx.fail_next('depth', -1121, 'Invalid symbol.')
        with pytest.raises(StreamSubscribeException) as info:
            await spot.get_orderbook(symbol='NOPE')
    assert (info.value.code, info.value.msg) == (-1121, 'Invalid symbol.')


async def test_ws_api_rate_limit_carries_retry_after_in_ms(fx):
    async with SpotClient(**fx.client_kwargs()) as spot:
        until = int(time.time() * 1000) + 3000
        fx.fail_next('depth', -1003, 'Too much request weight used.', status=429, data={'retryAfter': until})
        with pytest.raises(StreamRateLimitException) as info:
            await spot.get_orderbook(symbol='BTCUSDT')
        assert 2000 < info.value.retry_after <= 3000
        assert spot.rate_limit_snapshot().retry_after is not None


# -- concurrency and lifecycle -----------------------------------------------------------------------------


async def test_one_connection_carries_many_concurrent_requests_matched_by_id(fx):
    async def echo(req):
        await asyncio.sleep(0.001 * (hash(req.params['symbol']) % 7))
        return {'symbol': req.params['symbol'], 'price': '1.0'}

    fx.ws_method('avgPrice', echo)
    async with SpotClient(**fx.client_kwargs()) as spot:
        symbols = [f'S{i}USDT' for i in range(100)]
        async with asyncio.timeout(10):
            results = await asyncio.gather(*(spot.get_average_price(symbol=s) for s in symbols))
    assert [r['symbol'] for r in results] == symbols
    assert fx.ws_api_connections == 1


async def test_close_leaves_no_task_behind(fx):
    spot = SpotClient(ed25519_creds(fx), **fx.client_kwargs())
    await spot.get_account()
    await spot.close()
    await spot.close()  # idempotent
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert [t.get_name() for t in others if t.get_name().startswith('binance')] == []


def test_environments_resolve_every_host():
    live, testnet, demo = (SpotClient(environment=e) for e in ('live', 'testnet', 'demo'))
    assert (live.rest_host, live.ws_api_host) == ('https://api.binance.com', 'wss://ws-api.binance.com/ws-api/v3')
    assert testnet.ws_api_host == 'wss://ws-api.testnet.binance.vision/ws-api/v3'
    assert testnet.stream_host == 'wss://stream.testnet.binance.vision'
    assert demo.rest_host == 'https://demo-api.binance.com'
    assert demo.ws_api_host == 'wss://demo-ws-api.binance.com/ws-api/v3'
    assert SpotClient(environment='demo', rest_host='http://127.0.0.1:9').rest_host == 'http://127.0.0.1:9'
    with pytest.raises(ValueError):
        SpotClient(environment='paper')


# -- REST escape hatch ---------------------------------------------------------------------------------


async def test_rest_escape_hatch_signs_and_reports_used_weight(fx):
    async def account(req):
        return {'balances': []}

    fx.rest_route('GET', '/sapi/v1/margin/account', account)
    async with SpotClient(rsa_creds(fx), **fx.client_kwargs()) as spot:
        result = await spot.get('/sapi/v1/margin/account', security_type=SecurityType.USER_DATA, asset='BTC')
        assert result == {'balances': []}
        assert spot.used_weight.get('1m', 0) >= 1
    sent = fx.requests_for('GET /sapi/v1/margin/account')[0]
    assert sent.params['asset'] == 'BTC' and 'signature' in sent.params
    assert sent.headers['X-MBX-APIKEY'] == 'rsa-key'


@pytest.mark.parametrize(('status', 'exc'), [(429, RateLimitException), (418, IPBannedException)])
async def test_rest_rate_limits_are_typed_and_never_retried(fx, status, exc):
    async with SpotClient(**fx.client_kwargs()) as spot:
        fx.fail_next('GET /api/v3/exchangeInfo', -1003, 'Too many requests.', status=status, retry_after=7)
        with pytest.raises(exc) as info:
            await spot.get('/api/v3/exchangeInfo')
    assert info.value.status_code == status and info.value.retry_after == 7
    assert isinstance(info.value, StatusException)
    assert len(fx.requests_for('GET /api/v3/exchangeInfo')) == 1


async def test_rest_other_errors_are_status_exceptions_with_the_body(fx):
    async with SpotClient(**fx.client_kwargs()) as spot:
        fx.fail_next('GET /api/v3/depth', -1121, 'Invalid symbol.')
        with pytest.raises(StatusException) as info:
            await spot.get('/api/v3/depth', symbol='NOPE')
    assert info.value.status_code == 400 and info.value.response == {'code': -1121, 'msg': 'Invalid symbol.'}


async def test_fake_handler_errors_use_binance_shapes(fx):
    async def reject(req):
        raise BinanceError(-2010, 'Account has insufficient balance for requested action.')

    fx.ws_method('order.test', reject)
    async with SpotClient(hmac_creds(fx), **fx.client_kwargs()) as spot:
        with pytest.raises(StreamSubscribeException) as info:
            await spot.create_test_order(symbol='BTCUSDT', side='BUY', type='MARKET', quantity='1')
    assert info.value.code == -2010


async def test_many_requests_rejected_with_minus_1021_at_once_cost_one_resync(fx):
    async with SpotClient(hmac_creds(fx), **fx.client_kwargs()) as spot:
        await spot.get_account()
        fx.skew_ms = -20_000
        async with asyncio.timeout(5):
            await asyncio.gather(*(spot.get_open_orders(symbol='BTCUSDT') for _ in range(20)))
    assert [r.method for r in fx.requests].count('time') == 2
    assert len(fx.requests_for('openOrders.status')) == 40  # each rejected once, re-sent once


async def test_unanswered_request_fails_after_request_timeout(fx):
    async with SpotClient(hmac_creds(fx), request_timeout=0.3, **fx.client_kwargs()) as spot:
        await spot.get_account()
        fx.delay_next('order.place', 2)
        with pytest.raises(UnknownOutcomeException, match='no answer in time'):
            async with asyncio.timeout(4):
                await spot.create_order(symbol='BTCUSDT', side='BUY', type='MARKET', quantity='1')
        fx.delay_next('depth', 2)
        with pytest.raises(RequestTimeoutException, match='no answer in time'):
            async with asyncio.timeout(4):
                await spot.get_orderbook(symbol='BTCUSDT')
    assert len(fx.requests_for('order.place')) == 1


async def test_rest_request_params_and_request_timeout_are_honoured(fx):
    async with SpotClient(
        request_params={'headers': {'X-Trace': 'abc'}}, request_timeout=0.3, **fx.client_kwargs()
    ) as spot:
        await spot.get('/api/v3/ping')
        assert fx.requests_for('GET /api/v3/ping')[0].headers['X-Trace'] == 'abc'
        fx.delay_next('GET /api/v3/ping', 1)
        with pytest.raises(RequestTimeoutException):
            async with asyncio.timeout(3):
                await spot.get('/api/v3/ping')
        # A POST left unanswered may have taken effect: its outcome is unknown, never a plain timeout.
        fx.delay_next('POST /api/v3/order/test', 1)
        with pytest.raises(UnknownOutcomeException) as info:
            async with asyncio.timeout(3):
                await spot.post('/api/v3/order/test', symbol='BTCUSDT')
        assert isinstance(info.value.__cause__, TimeoutError)


async def test_escape_hatch_query_in_the_uri_is_signed_with_the_params(fx):
    fx.rest_route('GET', '/sapi/v1/asset/info', lambda req: {'ok': True})
    async with SpotClient(hmac_creds(fx), **fx.client_kwargs()) as spot:
        assert await spot.get(
            '/sapi/v1/asset/info?asset=BTC', security_type=SecurityType.USER_DATA, recvWindow=5000
        ) == {'ok': True}
    sent = fx.requests_for('GET /sapi/v1/asset/info')[0]
    assert sent.params['asset'] == 'BTC' and 'signature' in sent.params


async def test_a_cancel_replace_that_partly_succeeded_keeps_both_halves(fx):
    halves = {
        'cancelResult': 'FAILURE',
        'newOrderResult': 'SUCCESS',
        'cancelResponse': {'code': -2011, 'msg': 'Unknown order sent.'},
        'newOrderResponse': {'symbol': 'BTCUSDT', 'orderId': 42, 'status': 'NEW'},
    }
    fx.fail_next('order.cancelReplace', -2021, 'Order cancel-replace partially failed.', status=409, data=halves)
    async with SpotClient(hmac_creds(fx), **fx.client_kwargs()) as spot:
        with pytest.raises(StreamSubscribeException) as info:
            await spot.cancel_replace_order(
                symbol='BTCUSDT',
                cancelReplaceMode='ALLOW_FAILURE',
                side='BUY',
                type='LIMIT',
                timeInForce='GTC',
                quantity='1',
                price='1.00',
                cancelOrderId=1,
            )
    assert info.value.status == 409 and info.value.data['newOrderResponse']['orderId'] == 42


# -- hardening (issue 11): junk frames, 429 without a time, eager reconnect, explicit logout ------------------


async def until(predicate, timeout=5):
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


def fast_retry(info):
    return False, 0.01


@pytest.mark.parametrize('junk', ['not json', '[1,2]', '"x"', '42', 'null'])
async def test_a_junk_ws_api_frame_is_skipped_and_the_order_in_flight_completes(fx, junk, caplog):
    async with SpotClient(hmac_creds(fx), **fx.client_kwargs()) as spot:
        async with asyncio.timeout(5):
            await spot.get_account()
            fx.delay_next('order.place', 0.3)
            order = asyncio.ensure_future(
                spot.create_order(symbol='BTCUSDT', side='BUY', type='MARKET', quantity='1', newClientOrderId='j-1')
            )
            await until(lambda: fx.requests_for('order.place'))
            assert await fx.push_raw(junk, kind='ws_api') == 1
            assert await order == {}  # the fake's answer, on the same connection
            await spot.get_open_orders(symbol='BTCUSDT')  # and the connection carries on
    assert fx.ws_api_connections == 1
    assert len(fx.requests_for('order.place')) == 1
    assert any('not a JSON object' in r.getMessage() for r in caplog.records if r.name == 'binance.ws_api')


@pytest.mark.parametrize(('status', 'hold'), [(429, 60), (418, 120)])
@pytest.mark.parametrize('transport', ['ws_api', 'rest'])
async def test_a_429_or_418_without_a_retry_time_holds_requests_for_the_documented_default(fx, transport, status, hold):
    """Binance "LIMITS": a 429 without retryAfter / Retry-After still holds the client back (60 s: one weight
    window; 120 s for a 418: the shortest ban), the same on both transports."""
    async with SpotClient(hmac_creds(fx), **fx.client_kwargs()) as spot:
        async with asyncio.timeout(5):
            await spot.get_account()
            if transport == 'ws_api':
                fx.fail_next('account.status', -1003, 'Too many requests.', status=status, omit_retry_after=True)
                with pytest.raises(StreamRateLimitException) as info:
                    await spot.get_account()
                assert info.value.retry_after is None  # Binance named no time
            else:
                fx.fail_next('GET /api/v3/account', -1003, 'Too many requests.', status=status, omit_retry_after=True)
                with pytest.raises(RateLimitException) as info:
                    await spot.get('/api/v3/account', security_type=SecurityType.USER_DATA)
                assert info.value.retry_after is None
            retry_after = spot.rate_limit_snapshot().retry_after
            assert retry_after is not None and hold - 5 < retry_after <= hold
            sent = len(fx.requests)
            held = asyncio.ensure_future(spot.get_open_orders(symbol='BTCUSDT'))
            done, _ = await asyncio.wait({held}, timeout=0.3)
            assert not done  # held by the limiter, not sent
            held.cancel()
            await asyncio.gather(held, return_exceptions=True)
    assert len(fx.requests) == sent
    assert fx.requests_for('openOrders.status') == []


@pytest.mark.parametrize('kind', ['hmac', 'ed25519'])
async def test_a_client_that_signed_reconnects_at_once_after_a_drop_and_logs_on_again(fx, kind):
    creds = hmac_creds(fx) if kind == 'hmac' else ed25519_creds(fx)
    async with SpotClient(creds, stream_retry_policy=fast_retry, **fx.client_kwargs()) as spot:
        async with asyncio.timeout(5):
            await spot.get_account()
            requests = len(fx.requests)
            await fx.drop_connections('ws_api')
            # No new request: the client reopens the connection (and the Ed25519 session) by itself.
            await until(lambda: fx.ws_api_connections == 2)
            if kind == 'ed25519':
                await until(lambda: len(fx.requests_for('session.logon')) == 2)
            assert [r.method for r in fx.requests[requests:]] == (['session.logon'] if kind == 'ed25519' else [])
            await spot.get_account()
    assert fx.ws_api_connections == 2
    last = fx.requests_for('account.status')[-1].params
    assert ('signature' in last) is (kind == 'hmac')  # the Ed25519 call rode on the session logged on again


async def test_a_client_used_only_for_public_calls_reconnects_lazily(fx):
    async with SpotClient(stream_retry_policy=fast_retry, **fx.client_kwargs()) as spot:
        async with asyncio.timeout(5):
            await spot.ping()
            await fx.drop_connections('ws_api')
            await asyncio.sleep(0.3)  # an eager reconnect would have opened by now (retry delay 0.01 s)
            assert fx.ws_api_connections == 1
            await spot.ping()
    assert fx.ws_api_connections == 2


async def test_after_session_logout_requests_are_signed_until_the_user_logs_on_again(fx):
    async with SpotClient(ed25519_creds(fx), stream_retry_policy=fast_retry, **fx.client_kwargs()) as spot:
        async with asyncio.timeout(5):
            await spot.get_account()  # logs the session on by itself
            assert len(fx.requests_for('session.logon')) == 1
            assert (await spot.session_logout())['apiKey'] is None
            await spot.get_account()
            await spot.get_open_orders(symbol='BTCUSDT')
            assert (await spot.get_session_status())['apiKey'] is None  # the logout lasted
            # A reconnect does not log on either.
            await fx.drop_connections('ws_api')
            await until(lambda: fx.ws_api_connections == 2)
            await spot.get_account()
            assert len(fx.requests_for('session.logon')) == 1
            assert all('signature' in r.params for r in fx.requests_for('account.status')[1:])
            assert 'signature' in fx.requests_for('openOrders.status')[0].params

            # The user logs on: signed in full, and later signed calls ride on the session again.
            status = await spot.session_logon()
            assert status['apiKey'] == 'ed-key'
            logon = fx.requests_for('session.logon')[-1].params
            assert {'apiKey', 'timestamp', 'signature'} <= logon.keys()
            await spot.get_account()
    assert len(fx.requests_for('session.logon')) == 2
    assert 'signature' not in fx.requests_for('account.status')[-1].params


async def test_a_too_many_orders_429_holds_new_orders_only(fx):
    """-1015 comes with status 429 but spends the order count, not the weight: new orders fail fast until the
    order window rolls over; a cancel (no new order) still goes out at once."""
    from binance import RateLimitReachedException

    async with SpotClient(hmac_creds(fx), **fx.client_kwargs()) as spot:
        fx.fail_next('order.place', -1015, status=429, omit_retry_after=True)
        with pytest.raises(StreamRateLimitException):
            async with asyncio.timeout(5):
                await spot.create_order(symbol='BTCUSDT', side='BUY', type='MARKET', quantity='1')
        with pytest.raises(RateLimitReachedException, match='-1015'):
            await spot.create_order(symbol='BTCUSDT', side='BUY', type='MARKET', quantity='1')
        async with asyncio.timeout(1):
            await spot.cancel_order(symbol='BTCUSDT', orderId=1)
        assert spot.rate_limit_snapshot().retry_after is None
    assert len(fx.requests_for('order.place')) == 1 and len(fx.requests_for('order.cancel')) == 1


@pytest.mark.parametrize('junk', ['{"id": []}', '{"id": {}}', '[' * 100_000 + ']' * 100_000, '{"id": 1.5}'])
async def test_junk_ids_and_deep_nesting_never_end_the_ws_api_reader(fx, junk):
    async with SpotClient(hmac_creds(fx), **fx.client_kwargs()) as spot:
        await spot.ping()
        fx.delay_next('order.place', 0.2)
        order = asyncio.ensure_future(spot.create_order(symbol='BTCUSDT', side='BUY', type='MARKET', quantity='1'))
        await asyncio.sleep(0.05)
        await fx.push_raw(junk, kind='ws_api')
        async with asyncio.timeout(5):
            await order
    assert fx.ws_api_connections == 1
