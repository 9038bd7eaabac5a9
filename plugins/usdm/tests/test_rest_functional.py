"""UMFuturesClient over REST against the loopback fake exchange: signed calls with all three key types and a
skewed server clock, the single re-signed resend after ``-1021`` / ``-5028``, unknown outcomes that are never
re-sent, MARKET_DATA calls that carry only the key, and the endpoint-specific 5-minute pools."""

import asyncio
import time

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from binance import Credentials, RateLimiter, StatusException, UMFuturesClient, UnknownOutcomeException
from binance_core import PoolSpec
from binance_testing import FakeExchange

LIMIT = {'symbol': 'BTCUSDT', 'side': 'BUY', 'type': 'LIMIT', 'timeInForce': 'GTC', 'quantity': '0.1', 'price': '100'}


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


# -- signing and time ------------------------------------------------------------------------------------------


@pytest.mark.parametrize('kind', ['hmac', 'rsa', 'ed25519'])
@pytest.mark.parametrize('skew_ms', [2500, -2500])
async def test_signed_rest_calls_verify_with_every_key_type_after_a_time_sync(fx, kind, skew_ms):
    fx.skew_ms = skew_ms
    async with UMFuturesClient(make_creds(fx, kind), **fx.client_kwargs()) as um:
        async with asyncio.timeout(10):
            await um.get_position_risk(symbol='BTCUSDT')  # USER_DATA, GET: query string
            await um.set_leverage(symbol='BTCUSDT', leverage=20)  # TRADE, POST: form body
            await um.cancel_all_orders(symbol='BTCUSDT')  # TRADE, DELETE
        assert abs(um.clock.offset_ms - skew_ms) < 1000
    assert [r.method for r in fx.requests] == [
        'GET /fapi/v1/time',
        'GET /fapi/v3/positionRisk',
        'POST /fapi/v1/leverage',
        'DELETE /fapi/v1/allOpenOrders',
    ]
    for record in fx.requests[1:]:  # the fake verified each signature over the bytes it received
        assert record.headers['X-MBX-APIKEY'] == f'{kind}-key'
        assert 'signature' in record.params and 'timestamp' in record.params
    assert fx.requests_for('POST /fapi/v1/leverage')[0].params['leverage'] == '20'
    # REST signs every request: no session logon, whatever the key type.
    assert fx.ws_api_connections == 0


async def test_market_data_calls_carry_the_key_and_no_signature(fx):
    async with UMFuturesClient(make_creds(fx, 'hmac'), **fx.client_kwargs()) as um:
        async with asyncio.timeout(10):
            await um.get_historical_trades(symbol='BTCUSDT', limit=5)
            await um.get_orderbook(symbol='BTCUSDT', limit=5)
    trades, depth = fx.requests
    assert trades.headers['X-MBX-APIKEY'] == 'hmac-key' and 'signature' not in trades.params
    assert 'X-MBX-APIKEY' not in depth.headers and 'timestamp' not in depth.params


@pytest.mark.parametrize('code', [-1021, -5028])
async def test_a_timestamp_rejection_resyncs_and_resends_once(fx, code):
    async with UMFuturesClient(make_creds(fx, 'rsa'), **fx.client_kwargs()) as um:
        fx.fail_next('POST /fapi/v1/marginType', code, 'Timestamp for this request is outside of the recvWindow.')
        async with asyncio.timeout(10):
            await um.set_margin_type(symbol='BTCUSDT', marginType='CROSSED')
    assert len(fx.requests_for('POST /fapi/v1/marginType')) == 2
    assert len(fx.requests_for('GET /fapi/v1/time')) == 2


async def test_a_persistent_timestamp_rejection_is_raised_after_one_resend(fx):
    async with UMFuturesClient(make_creds(fx, 'hmac'), **fx.client_kwargs()) as um:
        fx.fail_next('GET /fapi/v1/income', -1021, 'Timestamp for this request is outside of the recvWindow.', times=3)
        with pytest.raises(StatusException) as info:
            async with asyncio.timeout(10):
                await um.get_income()
    assert info.value.code == -1021 and len(fx.requests_for('GET /fapi/v1/income')) == 2


# -- unknown outcomes ------------------------------------------------------------------------------------------


async def test_minus_1007_on_a_rest_trade_call_is_unknown_and_not_resent(fx):
    async with UMFuturesClient(make_creds(fx, 'hmac'), **fx.client_kwargs()) as um:
        fx.fail_next('DELETE /fapi/v1/batchOrders', -1007, 'Timeout waiting for response from backend server.')
        with pytest.raises(UnknownOutcomeException) as info:
            async with asyncio.timeout(10):
                await um.cancel_batch_orders(symbol='BTCUSDT', orderIdList=[1, 2])
    assert info.value.code == -1007
    assert len(fx.requests_for('DELETE /fapi/v1/batchOrders')) == 1


async def test_a_rest_call_dropped_in_flight_is_unknown_and_not_resent(fx):
    async with UMFuturesClient(make_creds(fx, 'hmac'), **fx.client_kwargs()) as um:
        async with asyncio.timeout(10):
            await um.get_position_mode()
            fx.drop_next('POST /fapi/v1/positionSide/dual')
            with pytest.raises(UnknownOutcomeException) as info:
                await um.set_position_mode(dualSidePosition=True)
            assert info.value.code is None
            assert await um.get_position_mode() == {}  # the client goes on; nothing was replayed
    assert len(fx.requests_for('POST /fapi/v1/positionSide/dual')) == 1


# -- endpoint-specific pools ---------------------------------------------------------------------------------


async def test_group_rows_charge_their_pool_one_request_per_call(fx):
    async with UMFuturesClient(**fx.client_kwargs()) as um:
        async with asyncio.timeout(10):
            await um.get_open_interest_hist(symbol='BTCUSDT', period='5m')
            await um.get_funding_rate()
            await um.get_funding_info()
            await um.get_open_interest(symbol='BTCUSDT')  # /fapi/v1/openInterest: no group
        groups = {w.group: w for w in um.rate_limit_snapshot().windows if w.group}
    assert {g: (w.used, w.limit, w.scope) for g, w in groups.items()} == {
        'futures-data': (1, 1000, 'ip'),
        'funding': (2, 500, 'ip'),  # fundingRate and fundingInfo share it
    }


class _Clock:
    def __init__(self, t):
        self.t = t

    def __call__(self):
        return self.t


async def test_a_full_group_pool_delays_its_rows_but_not_the_others(fx):
    # The market's pools with a 2-request /futures/data pool, on a clock 50 ms (of real sleep) before a
    # 5-minute boundary that only moves when the test moves it.
    end = (int(time.time()) // 300 + 10) * 300
    clock = _Clock(end - 0.05)
    pools = tuple(
        PoolSpec(type=p.type, scope=p.scope, interval=p.interval, limit=2, budget=p.budget, group=p.group)
        if p.group == 'futures-data'
        else p
        for p in UMFuturesClient._market_assembly.pools
    )
    async with UMFuturesClient(rate_limiter=RateLimiter(pools, clock=clock), **fx.client_kwargs()) as um:
        async with asyncio.timeout(10):
            for _ in range(2):
                await um.get_open_interest_hist(symbol='BTCUSDT', period='1h')
            third = asyncio.create_task(um.get_open_interest_hist(symbol='BTCUSDT', period='1h'))
            while not um.rate_limit_snapshot().pending:
                await asyncio.sleep(0.001)
            # Other rows, the funding group included, go on meanwhile.
            await um.get_orderbook(symbol='BTCUSDT', limit=5)
            await um.get_funding_rate(symbol='BTCUSDT')
            await asyncio.sleep(0.1)
            assert not third.done() and len(fx.requests_for('GET /futures/data/openInterestHist')) == 2
            clock.t = end  # the 5-minute window rolls over
            await third
    assert len(fx.requests_for('GET /futures/data/openInterestHist')) == 3
