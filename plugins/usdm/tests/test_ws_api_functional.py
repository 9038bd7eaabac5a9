"""UMFuturesClient over the futures WS-API (``ws-fapi``) against the loopback fake exchange: signing with all
three key types (Ed25519 logs the session on), time sync against ``/fapi/v1/time`` with a skewed server clock,
the single re-signed resend after ``-1021`` / ``-5028``, unknown outcomes that are never re-sent, and
conditional order types refused before anything leaves."""

import asyncio

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from binance import (
    ConnectionLostException,
    Credentials,
    StreamSubscribeException,
    UMFuturesClient,
    UnknownOutcomeException,
    UnsupportedParamException,
)
from binance_testing import FakeExchange

LIMIT = {'symbol': 'BTCUSDT', 'side': 'BUY', 'type': 'LIMIT', 'timeInForce': 'GTC', 'quantity': '0.1', 'price': '100'}


def _public_pem(key):
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def _private_pem(key):
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def make_creds(fx, kind):
    """Credentials of *kind* whose public half the fake knows."""
    if kind == 'hmac':
        fx.add_key('hmac-key', secret='hmac-secret')
        return Credentials('hmac-key', api_secret='hmac-secret')
    key = ed25519.Ed25519PrivateKey.generate() if kind == 'ed25519' else rsa.generate_private_key(65537, 2048)
    fx.add_key(f'{kind}-key', public_key_pem=_public_pem(key))
    return Credentials(f'{kind}-key', private_key=_private_pem(key))


@pytest.fixture
async def fx():
    async with FakeExchange('usdm') as exchange:
        yield exchange


# -- signing and time ------------------------------------------------------------------------------------


@pytest.mark.parametrize('kind', ['hmac', 'rsa', 'ed25519'])
@pytest.mark.parametrize('skew_ms', [2500, -2500])
async def test_signed_ws_api_calls_verify_with_every_key_type_after_a_time_sync(fx, kind, skew_ms):
    # -2500: an unsynced timestamp would be 2.5 s ahead of the server, which Binance refuses (-1021).
    fx.skew_ms = skew_ms
    async with UMFuturesClient(make_creds(fx, kind), **fx.client_kwargs()) as um:
        async with asyncio.timeout(10):
            await um.get_account()
            await um.create_order(**LIMIT)
            await um.get_order(symbol='BTCUSDT', orderId=1)
        assert abs(um.clock.offset_ms - skew_ms) < 1000
    methods = [r.method for r in fx.requests]
    assert methods[0] == 'GET /fapi/v1/time'  # the futures market's own time endpoint, before any signed call
    logons = fx.requests_for('session.logon')
    calls = [r for r in fx.requests if r.method in ('v2/account.status', 'order.place', 'order.status')]
    assert len(calls) == 3
    if kind == 'ed25519':
        # ws-fapi supports session.logon for Ed25519 keys only (UM-WSAPI): once, then unsigned requests.
        assert len(logons) == 1 and methods.index('session.logon') < methods.index('v2/account.status')
        assert all('signature' not in r.params and 'timestamp' in r.params for r in calls)
    else:
        assert logons == []
        assert all(r.params['apiKey'] == f'{kind}-key' and 'signature' in r.params for r in calls)


@pytest.mark.parametrize('code', [-1021, -5028])
async def test_a_timestamp_rejection_resyncs_and_resends_once_with_the_same_client_order_id(fx, code):
    async with UMFuturesClient(make_creds(fx, 'hmac'), **fx.client_kwargs()) as um:
        async with asyncio.timeout(10):
            await um.get_account()
            fx.fail_next('order.place', code, 'Timestamp for this request is outside of the recvWindow.')
            await um.create_order(**LIMIT)
    places = fx.requests_for('order.place')
    assert len(places) == 2  # -1021 (gateway) and -5028 (matching engine): not executed, so re-signed once
    assert places[0].params['newClientOrderId'] == places[1].params['newClientOrderId']
    assert len(fx.requests_for('GET /fapi/v1/time')) == 2


async def test_a_persistent_timestamp_rejection_is_raised_after_one_resend(fx):
    async with UMFuturesClient(make_creds(fx, 'hmac'), **fx.client_kwargs()) as um:
        fx.fail_next(
            'v2/account.balance', -5028, 'Timestamp for this request is outside of the ME recvWindow.', times=3
        )
        with pytest.raises(StreamSubscribeException) as info:
            async with asyncio.timeout(10):
                await um.get_balance()
    assert info.value.code == -5028
    assert len(fx.requests_for('v2/account.balance')) == 2


# -- unknown outcomes: never re-sent ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ('method', 'call', 'id_param'),
    [
        ('order.place', 'create_order', 'newClientOrderId'),
        ('algoOrder.place', 'create_algo_order', 'clientAlgoId'),
    ],
)
async def test_minus_1007_raises_unknown_outcome_with_the_generated_id_and_is_not_resent(fx, method, call, id_param):
    kwargs = (
        LIMIT
        if call == 'create_order'
        else {'algoType': 'CONDITIONAL', 'symbol': 'BTCUSDT', 'side': 'SELL', 'type': 'STOP_MARKET',
              'quantity': '0.1', 'triggerPrice': '90'}
    )  # fmt: skip
    async with UMFuturesClient(make_creds(fx, 'hmac'), **fx.client_kwargs()) as um:
        fx.fail_next(method, -1007, 'Timeout waiting for response from backend server. Send status unknown.')
        with pytest.raises(UnknownOutcomeException) as info:
            async with asyncio.timeout(10):
                await getattr(um, call)(**kwargs)
    sent = fx.requests_for(method)
    assert len(sent) == 1
    assert info.value.code == -1007 and info.value.client_order_id == sent[0].params[id_param]
    assert info.value.client_order_id.startswith('x-') and 'not re-sent' in str(info.value)


@pytest.mark.parametrize('kind', ['hmac', 'ed25519'])
async def test_an_order_in_flight_when_the_connection_drops_is_unknown_and_sent_once(fx, kind):
    async with UMFuturesClient(make_creds(fx, kind), **fx.client_kwargs()) as um:
        async with asyncio.timeout(10):
            await um.get_position()
            fx.drop_next('order.place')
            with pytest.raises(UnknownOutcomeException) as info:
                await um.create_order(**LIMIT, newClientOrderId='my-order-7')
            assert (info.value.code, info.value.client_order_id) == (None, 'my-order-7')
            # The next request reconnects (and logs on again with Ed25519); nothing is replayed.
            await um.get_order(symbol='BTCUSDT', origClientOrderId=info.value.client_order_id)
    assert len(fx.requests_for('order.place')) == 1
    assert fx.ws_api_connections == 2
    assert len(fx.requests_for('session.logon')) == (2 if kind == 'ed25519' else 0)


async def test_a_read_in_flight_when_the_connection_drops_fails_fast(fx):
    async with UMFuturesClient(make_creds(fx, 'hmac'), **fx.client_kwargs()) as um:
        fx.drop_next('v2/account.status')
        with pytest.raises(ConnectionLostException):
            async with asyncio.timeout(10):
                await um.get_account()
        async with asyncio.timeout(10):
            await um.get_account()
    assert len(fx.requests_for('v2/account.status')) == 2  # the caller's own retry, not the SDK's


# -- conditional orders go to the algo service ---------------------------------------------------------------


@pytest.mark.parametrize(
    'order_type', ['STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET']
)
async def test_a_conditional_type_on_create_order_fails_before_sending_and_names_create_algo_order(fx, order_type):
    async with UMFuturesClient(make_creds(fx, 'hmac'), **fx.client_kwargs()) as um:
        with pytest.raises(UnsupportedParamException) as info:
            async with asyncio.timeout(5):
                await um.create_order(symbol='BTCUSDT', side='SELL', type=order_type, quantity='0.1', stopPrice='90')
    assert (info.value.method, info.value.param, info.value.use) == ('create_order', 'type', 'create_algo_order')
    assert "create_algo_order(algoType='CONDITIONAL'" in str(info.value) and '-4120' in str(info.value)
    assert fx.requests == []  # not even a time sync


async def test_the_same_order_goes_through_create_algo_order(fx):
    async with UMFuturesClient(make_creds(fx, 'hmac'), **fx.client_kwargs()) as um:
        async with asyncio.timeout(10):
            await um.create_algo_order(
                algoType='CONDITIONAL', symbol='BTCUSDT', side='SELL', type='STOP_MARKET', quantity='0.1',
                triggerPrice='90', workingType='MARK_PRICE',
            )  # fmt: skip
    sent = fx.requests_for('algoOrder.place')[0].params
    assert (sent['type'], sent['triggerPrice'], sent['workingType']) == ('STOP_MARKET', '90', 'MARK_PRICE')
    assert sent['clientAlgoId'].startswith('x-') and 'newClientOrderId' not in sent
