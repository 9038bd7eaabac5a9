"""Batch orders and batch cancels on the wire (FUTURES-API.md §6, §8 trap 3): ``batchOrders``, ``orderIdList``
and ``origClientOrderIdList`` travel as compact JSON arrays, percent-encoded once, and the signature covers
exactly the bytes sent. The fake exchange recomputes every signature over the raw bytes it received (a
re-encoded request would get -1022), so a call that succeeds proves the encoding; the decoded params are then
compared with what was sent. Binance's limits and the 2025-12 rules are enforced before sending."""

import asyncio
import hashlib
import hmac
import json
from decimal import Decimal
from urllib.parse import quote

import aiohttp
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from yarl import URL

from binance import (
    Credentials,
    FloatParamException,
    MissingParamException,
    UMFuturesClient,
    UnsupportedParamException,
)
from binance_testing import FakeExchange

PATH = '/fapi/v1/batchOrders'


def _public_pem(key):
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def _private_pem(key):
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def make_creds(fx, kind):
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


def compact(value):
    return json.dumps(value, separators=(',', ':'))


# The docs' example orders, with the characters that need percent-encoding: the JSON's own brackets, braces,
# quotes, colons and commas, and '/', ':' and '.' in a client order id (Binance's ^[\.A-Z\:/a-z0-9_-]{1,36}$).
ORDERS = [
    {
        'symbol': 'BTCUSDT',
        'side': 'BUY',
        'type': 'LIMIT',
        'timeInForce': 'GTC',
        'quantity': Decimal('0.010'),
        'price': Decimal('43187.00'),
        'newClientOrderId': 'grid/1:a.b_c-d',
    },
    {
        'symbol': 'BTCUSDT',
        'side': 'SELL',
        'type': 'MARKET',
        'quantity': '0.5',
        'reduceOnly': 'true',
        'newClientOrderId': 'b2',
    },
    {
        'symbol': 'ETHUSDT',
        'side': 'BUY',
        'type': 'LIMIT',
        'timeInForce': 'GTX',
        'quantity': '1',
        'priceMatch': 'QUEUE',
        'newClientOrderId': 'b3',
    },
]
# What Binance must read: every decimal a string, in the order given, no spaces.
WIRE = [
    {
        'symbol': 'BTCUSDT',
        'side': 'BUY',
        'type': 'LIMIT',
        'timeInForce': 'GTC',
        'quantity': '0.010',
        'price': '43187.00',
        'newClientOrderId': 'grid/1:a.b_c-d',
    },
    {
        'symbol': 'BTCUSDT',
        'side': 'SELL',
        'type': 'MARKET',
        'quantity': '0.5',
        'reduceOnly': 'true',
        'newClientOrderId': 'b2',
    },
    {
        'symbol': 'ETHUSDT',
        'side': 'BUY',
        'type': 'LIMIT',
        'timeInForce': 'GTX',
        'quantity': '1',
        'priceMatch': 'QUEUE',
        'newClientOrderId': 'b3',
    },
]


@pytest.mark.parametrize('kind', ['hmac', 'rsa', 'ed25519'])
async def test_batch_orders_go_as_a_compact_json_array_under_a_signature_the_fake_verifies(fx, kind):
    received = []

    def answer(req):
        received.append(json.loads(req.params['batchOrders']))
        return [
            {'orderId': n, 'clientOrderId': o.get('newClientOrderId', f'auto{n}')} for n, o in enumerate(received[-1])
        ]

    fx.rest_route('POST', PATH, answer)
    async with UMFuturesClient(make_creds(fx, kind), **fx.client_kwargs()) as um:
        async with asyncio.timeout(10):
            result = await um.create_batch_orders(batchOrders=ORDERS)
    assert [r['orderId'] for r in result] == [0, 1, 2]
    (record,) = fx.requests_for(f'POST {PATH}')
    assert record.params['batchOrders'] == compact(WIRE)  # the exact text, byte for byte once decoded
    assert received == [WIRE]
    assert 'signature' in record.params and record.headers['X-MBX-APIKEY'] == f'{kind}-key'


async def test_batch_cancels_send_both_id_lists_as_compact_json(fx):
    async with UMFuturesClient(make_creds(fx, 'hmac'), **fx.client_kwargs()) as um:
        async with asyncio.timeout(10):
            await um.cancel_batch_orders(symbol='BTCUSDT', orderIdList=list(range(1, 11)))
            await um.cancel_batch_orders(symbol='BTCUSDT', origClientOrderIdList=('grid/1:a', 'grid/2:b'))
    by_ids, by_client_ids = fx.requests_for(f'DELETE {PATH}')
    assert by_ids.params['orderIdList'] == '[1,2,3,4,5,6,7,8,9,10]'
    assert by_client_ids.params['origClientOrderIdList'] == '["grid/1:a","grid/2:b"]'


async def test_the_fake_refuses_a_signature_over_other_bytes_than_it_received(fx):
    """The control: signing the unencoded JSON but sending it percent-encoded (what a client that lets its
    HTTP library re-encode does, PB-1099) is refused with -1022, so the tests above prove the encoding."""
    fx.add_key('hmac-key', secret='hmac-secret')
    items = compact(WIRE[:1])
    ts = fx.server_time()
    signed_text = f'batchOrders={items}&timestamp={ts}'
    signature = hmac.new(b'hmac-secret', signed_text.encode(), hashlib.sha256).hexdigest()
    body = f'batchOrders={quote(items, safe="")}&timestamp={ts}&signature={signature}'
    async with aiohttp.ClientSession() as session:
        async with asyncio.timeout(10):
            async with session.post(
                URL(fx.rest_url + PATH, encoded=True),
                data=body.encode(),
                headers={'X-MBX-APIKEY': 'hmac-key', 'Content-Type': 'application/x-www-form-urlencoded'},
            ) as resp:
                status, reply = resp.status, await resp.json()
    assert (status, reply['code']) == (400, -1022)


# -- refused before sending -------------------------------------------------------------------------------------


async def _refused(fx, call, exc, **kwargs):
    async with UMFuturesClient(make_creds(fx, 'hmac'), **fx.client_kwargs()) as um:
        with pytest.raises(exc) as info:
            async with asyncio.timeout(5):
                await getattr(um, call)(**kwargs)
    assert fx.requests == []
    return info.value


async def test_a_float_inside_a_batch_item_is_refused(fx):
    e = await _refused(fx, 'create_batch_orders', FloatParamException, batchOrders=[{**WIRE[0], 'price': 43187.5}])
    assert e.param == 'batchOrders.price' and isinstance(e, TypeError)


@pytest.mark.parametrize('n', [0, 6])
async def test_a_batch_holds_one_to_five_orders(fx, n):
    e = await _refused(fx, 'create_batch_orders', UnsupportedParamException, batchOrders=[WIRE[1]] * n)
    assert (e.method, e.param, e.value) == ('create_batch_orders', 'batchOrders', n)


@pytest.mark.parametrize(
    ('change', 'param'),
    [
        ({'type': 'STOP_MARKET'}, 'batchOrders[1].type'),
        ({'type': 'TRAILING_STOP_MARKET'}, 'batchOrders[1].type'),
        ({'stopPrice': '90'}, 'batchOrders[1].stopPrice'),
        ({'priceProtect': 'TRUE'}, 'batchOrders[1].priceProtect'),
        ({'activationPrice': '90'}, 'batchOrders[1].activationPrice'),
        ({'callbackRate': '1'}, 'batchOrders[1].callbackRate'),
        ({'workingType': 'MARK_PRICE'}, 'batchOrders[1].workingType'),
    ],
)
async def test_no_conditional_order_in_a_batch(fx, change, param):
    e = await _refused(
        fx, 'create_batch_orders', UnsupportedParamException, batchOrders=[WIRE[0], {**WIRE[1], **change}]
    )
    assert (e.param, e.use) == (param, 'create_algo_order')


async def test_each_batch_item_needs_its_types_mandatory_params(fx):
    item = {'symbol': 'BTCUSDT', 'side': 'BUY', 'type': 'LIMIT', 'quantity': '1', 'price': '1'}
    e = await _refused(fx, 'create_batch_orders', MissingParamException, batchOrders=[item])
    assert e.missing == ('batchOrders[0].timeInForce',)


@pytest.mark.parametrize('name', ['orderIdList', 'origClientOrderIdList'])
async def test_a_batch_cancel_names_at_most_ten_orders(fx, name):
    ids = list(range(11)) if name == 'orderIdList' else [f'c{n}' for n in range(11)]
    e = await _refused(fx, 'cancel_batch_orders', UnsupportedParamException, symbol='BTCUSDT', **{name: ids})
    assert (e.param, e.value) == (name, 11)


async def test_a_batch_whose_answer_is_lost_carries_every_client_order_id(fx):
    """A dropped batch has an unknown outcome: each item got a client id before sending (the caller's own
    id kept), and the exception carries them all, so every order can be looked up."""
    from binance import UnknownOutcomeException

    async with UMFuturesClient(make_creds(fx, 'hmac'), **fx.client_kwargs()) as um:
        fx.drop_next(f'POST {PATH}')
        items = [
            {'symbol': 'BTCUSDT', 'side': 'BUY', 'type': 'MARKET', 'quantity': '0.001', 'reduceOnly': False},
            {'symbol': 'BTCUSDT', 'side': 'SELL', 'type': 'MARKET', 'quantity': '0.001', 'newClientOrderId': 'mine'},
        ]
        with pytest.raises(UnknownOutcomeException) as info:
            async with asyncio.timeout(5):
                await um.create_batch_orders(batchOrders=items)
    [sent] = fx.requests_for(f'POST {PATH}')
    wire = json.loads(sent.params['batchOrders'])
    ids = tuple(item['newClientOrderId'] for item in wire)
    assert info.value.client_order_ids == ids and ids[1] == 'mine' and ids[0].startswith('x-')
    assert wire[0]['reduceOnly'] == 'false'  # flags inside items go out as Binance's text
    assert len(fx.requests_for(f'POST {PATH}')) == 1  # never re-sent
