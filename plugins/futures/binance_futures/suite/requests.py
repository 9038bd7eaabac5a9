"""Signed requests of a futures market against the loopback fake exchange, written once for USDⓈ-M and COIN-M.

- :class:`RestChecks`: REST calls signed with all three key types after a time sync against the market's own
  ``<root>/v1/time`` (skewed server clock), the single re-signed resend after ``-1021`` / ``-5028``, unknown
  outcomes (``-1007``, a dropped connection) that are never re-sent, MARKET_DATA calls that carry only the key,
  and the endpoint-specific 5-minute pools.
- :class:`WsApiChecks`: the same over the market's WS-API, plus conditional order types refused before sending.
- :class:`BatchChecks`: ``batchOrders`` and the cancel id lists as compact JSON under a signature the fake
  recomputes over the bytes it received (FUTURES-API.md §6, §8 trap 3), and the batch rules enforced before sending.

A plugin's test module subclasses each as ``Test<Something>`` with its market's data (:class:`MarketData` and the
attributes below); pytest collects the inherited tests there. Imported only by tests.
"""

from __future__ import annotations

import asyncio
import collections
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import quote

import aiohttp
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from yarl import URL

from binance import (
    ConnectionLostException,
    Credentials,
    FloatParamException,
    MissingParamException,
    RateLimiter,
    StatusException,
    StreamSubscribeException,
    UnknownOutcomeException,
    UnknownParamException,
    UnsupportedParamException,
)
from binance_core import PoolSpec
from binance_futures.suite.rows import MarketData
from binance_testing import FakeExchange

__all__ = ['KEY_KINDS', 'BatchChecks', 'RequestData', 'RestChecks', 'WsApiChecks', 'make_creds']

KEY_KINDS = ('hmac', 'rsa', 'ed25519')
CONDITIONAL_TYPES = ('STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET')
OUTSIDE_WINDOW = 'Timestamp for this request is outside of the recvWindow.'


def _public_pem(key: Any) -> Any:
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def _private_pem(key: Any) -> Any:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def make_creds(fx: FakeExchange, kind: str) -> Credentials:
    """Credentials of *kind* (``'hmac'``, ``'rsa'``, ``'ed25519'``) whose secret or public half *fx* knows."""
    if kind == 'hmac':
        fx.add_key('hmac-key', secret='hmac-secret')
        return Credentials('hmac-key', api_secret='hmac-secret')
    key = ed25519.Ed25519PrivateKey.generate() if kind == 'ed25519' else rsa.generate_private_key(65537, 2048)
    fx.add_key(f'{kind}-key', public_key_pem=_public_pem(key))
    return Credentials(f'{kind}-key', private_key=_private_pem(key))


class RequestData(MarketData):
    """The market data the request checks need, besides :class:`MarketData`'s.

    Attributes:
        rest_root: the market's REST root (``'/fapi'``).
        second_symbol: another symbol of the market, for a batch spanning two.
        order: a LIMIT order of the market, decimals as strings (trailing zeros kept: they must reach the wire).
        algo_order: a conditional (STOP_MARKET) order for ``create_algo_order``.
        ws_logon: whether the market's WS-API logs an Ed25519 session on (``session.logon``) instead of signing
            each request.
    """

    rest_root: ClassVar[str]
    second_symbol: ClassVar[str]
    order: ClassVar[dict[str, str]]
    algo_order: ClassVar[dict[str, str]]
    ws_logon: ClassVar[bool] = True

    @pytest.fixture
    async def fx(self) -> AsyncIterator[FakeExchange]:
        async with FakeExchange(self.market()) as exchange:
            yield exchange

    def signed(self, fx: FakeExchange, kind: str = 'hmac') -> Any:
        """A client of the market under test with *kind* credentials, pointed at *fx*."""
        return self.client(make_creds(fx, kind), **fx.client_kwargs())


class RestChecks(RequestData):
    """Signing, time and unknown outcomes over REST; the rows used are ones both markets share."""

    @pytest.mark.parametrize('kind', KEY_KINDS)
    @pytest.mark.parametrize('skew_ms', [2500, -2500])
    async def test_signed_rest_calls_verify_with_every_key_type_after_a_time_sync(self, fx, kind, skew_ms):
        fx.skew_ms = skew_ms
        root = self.rest_root
        async with self.signed(fx, kind) as client:
            async with asyncio.timeout(10):
                await client.get_open_orders(symbol=self.symbol)  # USER_DATA, GET: query string
                await client.set_leverage(symbol=self.symbol, leverage=20)  # TRADE, POST: form body
                await client.cancel_all_orders(symbol=self.symbol)  # TRADE, DELETE
            assert abs(client.clock.offset_ms - skew_ms) < 1000
        assert [r.method for r in fx.requests] == [
            f'GET {root}/v1/time',  # the market's own time endpoint, before any signed call
            f'GET {root}/v1/openOrders',
            f'POST {root}/v1/leverage',
            f'DELETE {root}/v1/allOpenOrders',
        ]
        for record in fx.requests[1:]:  # the fake verified each signature over the bytes it received
            assert record.headers['X-MBX-APIKEY'] == f'{kind}-key'
            assert 'signature' in record.params and 'timestamp' in record.params
        assert fx.requests_for(f'POST {root}/v1/leverage')[0].params['leverage'] == '20'
        # REST signs every request: no session logon, whatever the key type.
        assert fx.ws_api_connections == 0

    async def test_market_data_calls_carry_the_key_and_no_signature(self, fx):
        async with self.signed(fx) as client:
            async with asyncio.timeout(10):
                await client.get_historical_trades(symbol=self.symbol, limit=5)
                await client.get_orderbook(symbol=self.symbol, limit=5)
        trades, depth = fx.requests
        assert trades.method == f'GET {self.rest_root}/v1/historicalTrades'
        assert trades.headers['X-MBX-APIKEY'] == 'hmac-key' and 'signature' not in trades.params
        assert 'X-MBX-APIKEY' not in depth.headers and 'timestamp' not in depth.params

    @pytest.mark.parametrize('code', [-1021, -5028])
    async def test_a_timestamp_rejection_resyncs_and_resends_once(self, fx, code):
        root = self.rest_root
        async with self.signed(fx, 'rsa') as client:
            fx.fail_next(f'POST {root}/v1/marginType', code, OUTSIDE_WINDOW)
            async with asyncio.timeout(10):
                await client.set_margin_type(symbol=self.symbol, marginType='CROSSED')
        assert len(fx.requests_for(f'POST {root}/v1/marginType')) == 2
        assert len(fx.requests_for(f'GET {root}/v1/time')) == 2

    async def test_a_persistent_timestamp_rejection_is_raised_after_one_resend(self, fx):
        path = f'GET {self.rest_root}/v1/income'
        async with self.signed(fx) as client:
            fx.fail_next(path, -1021, OUTSIDE_WINDOW, times=3)
            with pytest.raises(StatusException) as info:
                async with asyncio.timeout(10):
                    await client.get_income()
        assert info.value.code == -1021 and len(fx.requests_for(path)) == 2

    async def test_minus_1007_on_a_rest_trade_call_is_unknown_and_not_resent(self, fx):
        path = f'DELETE {self.rest_root}/v1/batchOrders'
        async with self.signed(fx) as client:
            fx.fail_next(path, -1007, 'Timeout waiting for response from backend server.')
            with pytest.raises(UnknownOutcomeException) as info:
                async with asyncio.timeout(10):
                    await client.cancel_batch_orders(symbol=self.symbol, orderIdList=[1, 2])
        assert info.value.code == -1007
        assert len(fx.requests_for(path)) == 1

    async def test_a_rest_call_dropped_in_flight_is_unknown_and_not_resent(self, fx):
        path = f'POST {self.rest_root}/v1/positionSide/dual'
        async with self.signed(fx) as client:
            async with asyncio.timeout(10):
                await client.get_position_mode()
                fx.drop_next(path)
                with pytest.raises(UnknownOutcomeException) as info:
                    await client.set_position_mode(dualSidePosition=True)
                assert info.value.code is None
                assert await client.get_position_mode() == {}  # the client goes on; nothing was replayed
        assert len(fx.requests_for(path)) == 1

    async def test_group_rows_charge_their_pool_one_request_per_call(self, fx):
        """Each call of a row whose transcript names an endpoint-specific pool takes one request from it; the
        others take none (COIN-M's rows name no such pool)."""
        calls = ('get_open_interest_hist', 'get_funding_rate', 'get_funding_info', 'get_open_interest')
        async with self.client(**fx.client_kwargs()) as client:
            async with asyncio.timeout(10):
                for name in calls:
                    await getattr(client, name)(**self.transcript(name).kwargs)
            groups = {w.group: w for w in client.rate_limit_snapshot().windows if w.group}
        counts = collections.Counter(self.transcript(name).group for name in calls)
        assert {g: (w.used, w.limit, w.scope) for g, w in groups.items()} == {
            'futures-data': (counts['futures-data'], 1000, 'ip'),
            'funding': (counts['funding'], 500, 'ip'),  # fundingRate and fundingInfo share it (USDⓈ-M)
        }


class WsApiChecks(RequestData):
    """Signing, time, unknown outcomes and conditional orders over the market's WS-API."""

    async def test_the_ws_api_handshake_is_charged_to_the_weight_as_binance_charges_it(self, fx):
        """Opening a futures WS-API connection costs 5 request weight (FUTURES-API.md §8). With the answers'
        ``rateLimits`` off nothing is reconciled, so the client's own count must equal the exchange's: the clock
        sync, the handshake and the request."""
        day = [
            PoolSpec(type='request_weight', scope='ip', interval='1d', limit=10**9),
            PoolSpec(type='raw_requests', scope='ip', interval='1d', limit=10**9),
        ]
        limiter = RateLimiter(day)
        kwargs = {**fx.client_kwargs(), 'ws_api_host': fx.ws_api_url + '?returnRateLimits=false'}
        async with self.client(make_creds(fx, 'hmac'), rate_limiter=limiter, **kwargs) as client:
            async with asyncio.timeout(10):
                await client.get_account()
        assert fx.ws_api_connections == 1 and fx.ws_connect_weight == 5
        weight = {w.type: w.used for w in limiter.snapshot().windows}['request_weight']
        assert weight == fx.used_weight
        assert weight == 5 + self.client._market_assembly.endpoints['get_account'].weight + 1  # handshake, call, time

    @pytest.mark.parametrize('kind', KEY_KINDS)
    @pytest.mark.parametrize('skew_ms', [2500, -2500])
    async def test_signed_ws_api_calls_verify_with_every_key_type_after_a_time_sync(self, fx, kind, skew_ms):
        # -2500: an unsynced timestamp would be 2.5 s ahead of the server, which Binance refuses (-1021).
        fx.skew_ms = skew_ms
        account = self.wire('get_account')
        async with self.signed(fx, kind) as client:
            async with asyncio.timeout(10):
                await client.get_account()
                await client.create_order(**self.order)
                await client.get_order(symbol=self.symbol, orderId=1)
            assert abs(client.clock.offset_ms - skew_ms) < 1000
        methods = [r.method for r in fx.requests]
        assert methods[0] == f'GET {self.rest_root}/v1/time'  # the market's own time endpoint, before any signed call
        logons = fx.requests_for('session.logon')
        calls = [r for r in fx.requests if r.method in (account, 'order.place', 'order.status')]
        assert [r.method for r in calls] == [account, 'order.place', 'order.status']
        if kind == 'ed25519' and self.ws_logon:
            # session.logon takes Ed25519 keys only (UM-WSAPI): once, then requests carry no signature.
            assert len(logons) == 1 and methods.index('session.logon') < methods.index(account)
            assert all('signature' not in r.params and 'timestamp' in r.params for r in calls)
        else:
            assert logons == []
            assert all(r.params['apiKey'] == f'{kind}-key' and 'signature' in r.params for r in calls)

    @pytest.mark.parametrize('code', [-1021, -5028])
    async def test_a_timestamp_rejection_resyncs_and_resends_once_with_the_same_client_order_id(self, fx, code):
        async with self.signed(fx) as client:
            async with asyncio.timeout(10):
                await client.get_account()
                fx.fail_next('order.place', code, OUTSIDE_WINDOW)
                await client.create_order(**self.order)
        places = fx.requests_for('order.place')
        assert len(places) == 2  # -1021 (gateway) and -5028 (matching engine): not executed, so re-signed once
        assert places[0].params['newClientOrderId'] == places[1].params['newClientOrderId']
        assert len(fx.requests_for(f'GET {self.rest_root}/v1/time')) == 2

    async def test_a_persistent_timestamp_rejection_is_raised_after_one_resend(self, fx):
        balance = self.wire('get_balance')
        async with self.signed(fx) as client:
            fx.fail_next(balance, -5028, 'Timestamp for this request is outside of the ME recvWindow.', times=3)
            with pytest.raises(StreamSubscribeException) as info:
                async with asyncio.timeout(10):
                    await client.get_balance()
        assert info.value.code == -5028
        assert len(fx.requests_for(balance)) == 2

    @pytest.mark.parametrize(
        ('call', 'id_param'), [('create_order', 'newClientOrderId'), ('create_algo_order', 'clientAlgoId')]
    )
    async def test_minus_1007_raises_unknown_outcome_with_the_generated_id_and_is_not_resent(self, fx, call, id_param):
        """An order or a conditional order (over the WS-API or REST, as the market's docs say) whose outcome
        Binance reports unknown is never re-sent, and the exception names the id generated for it."""
        method = self.wire(call)
        kwargs = self.order if call == 'create_order' else self.algo_order
        async with self.signed(fx) as client:
            fx.fail_next(method, -1007, 'Timeout waiting for response from backend server. Send status unknown.')
            with pytest.raises(UnknownOutcomeException) as info:
                async with asyncio.timeout(10):
                    await getattr(client, call)(**kwargs)
        sent = fx.requests_for(method)
        assert len(sent) == 1
        assert info.value.code == -1007 and info.value.client_order_id == sent[0].params[id_param]
        assert str(info.value.client_order_id).startswith('x-') and 'not re-sent' in str(info.value)

    @pytest.mark.parametrize('kind', ['hmac', 'ed25519'])
    async def test_an_order_in_flight_when_the_connection_drops_is_unknown_and_sent_once(self, fx, kind):
        async with self.signed(fx, kind) as client:
            async with asyncio.timeout(10):
                await client.get_position()
                fx.drop_next('order.place')
                with pytest.raises(UnknownOutcomeException) as info:
                    await client.create_order(**self.order, newClientOrderId='my-order-7')
                assert (info.value.code, info.value.client_order_id) == (None, 'my-order-7')
                # The next request reconnects (and logs on again with Ed25519); nothing is replayed.
                await client.get_order(symbol=self.symbol, origClientOrderId=info.value.client_order_id)
        assert len(fx.requests_for('order.place')) == 1
        assert fx.ws_api_connections == 2
        assert len(fx.requests_for('session.logon')) == (2 if kind == 'ed25519' and self.ws_logon else 0)

    async def test_a_read_in_flight_when_the_connection_drops_fails_fast(self, fx):
        account = self.wire('get_account')
        async with self.signed(fx) as client:
            fx.drop_next(account)
            with pytest.raises(ConnectionLostException):
                async with asyncio.timeout(10):
                    await client.get_account()
            async with asyncio.timeout(10):
                await client.get_account()
        assert len(fx.requests_for(account)) == 2  # the caller's own retry, not the SDK's

    # -- conditional orders go to the algo service -----------------------------------------------------

    @pytest.mark.parametrize('order_type', CONDITIONAL_TYPES)
    async def test_a_conditional_type_on_create_order_fails_before_sending_and_names_create_algo_order(
        self, fx, order_type
    ):
        async with self.signed(fx) as client:
            with pytest.raises(UnsupportedParamException) as info:
                async with asyncio.timeout(5):
                    await client.create_order(
                        symbol=self.symbol,
                        side='SELL',
                        type=order_type,
                        quantity=self.order['quantity'],
                        stopPrice='90',
                    )
        assert (info.value.method, info.value.param, info.value.use) == ('create_order', 'type', 'create_algo_order')
        assert "create_algo_order(algoType='CONDITIONAL'" in str(info.value) and '-4120' in str(info.value)
        assert fx.requests == []  # not even a time sync

    async def test_the_same_order_goes_through_create_algo_order(self, fx):
        method = self.wire('create_algo_order')
        async with self.signed(fx) as client:
            async with asyncio.timeout(10):
                await client.create_algo_order(**self.algo_order, workingType='MARK_PRICE')
        sent = fx.requests_for(method)[0].params
        assert (sent['type'], sent['triggerPrice'], sent['workingType']) == (
            self.algo_order['type'],
            self.algo_order['triggerPrice'],
            'MARK_PRICE',
        )
        assert sent['clientAlgoId'].startswith('x-') and 'newClientOrderId' not in sent


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(',', ':'))


class BatchChecks(RequestData):
    """Batch orders and batch cancels on the wire and the batch rules. The fake exchange recomputes every signature
    over the raw bytes it received (a re-encoded request gets -1022), so a call that succeeds proves the encoding;
    the decoded params are then compared with what was sent."""

    def batch(self) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
        """Three orders as a caller passes them (decimals as ``Decimal`` or text), and what Binance must read: every
        decimal a string, in the order given, no spaces. The client order ids hold characters that need
        percent-encoding besides the JSON's own: '/', ':' and '.' (Binance's ``^[\\.A-Z\\:/a-z0-9_-]{1,36}$``)."""
        order, qty = self.order, self.order['quantity']
        wire = [
            {**order, 'newClientOrderId': 'grid/1:a.b_c-d'},
            {'symbol': self.symbol, 'side': 'SELL', 'type': 'MARKET', 'quantity': qty, 'reduceOnly': 'true',
             'newClientOrderId': 'b2'},
            {'symbol': self.second_symbol, 'side': 'BUY', 'type': 'LIMIT', 'timeInForce': 'GTX', 'quantity': qty,
             'priceMatch': 'QUEUE', 'newClientOrderId': 'b3'},
        ]  # fmt: skip
        given: list[dict[str, Any]] = [dict(item) for item in wire]
        given[0]['quantity'], given[0]['price'] = Decimal(order['quantity']), Decimal(order['price'])
        return given, wire

    def path(self) -> str:
        return f'{self.rest_root}/v1/batchOrders'

    @pytest.mark.parametrize('kind', KEY_KINDS)
    async def test_batch_orders_go_as_a_compact_json_array_under_a_signature_the_fake_verifies(self, fx, kind):
        given, wire = self.batch()
        received = []

        def answer(req):
            received.append(json.loads(req.params['batchOrders']))
            return [{'orderId': n, 'clientOrderId': o['newClientOrderId']} for n, o in enumerate(received[-1])]

        fx.rest_route('POST', self.path(), answer)
        async with self.signed(fx, kind) as client:
            async with asyncio.timeout(10):
                result = await client.create_batch_orders(batchOrders=given)
        assert [r['orderId'] for r in result] == [0, 1, 2]
        (record,) = fx.requests_for(f'POST {self.path()}')
        assert record.params['batchOrders'] == _compact(wire)  # the exact text, byte for byte once decoded
        assert received == [wire]
        assert 'signature' in record.params and record.headers['X-MBX-APIKEY'] == f'{kind}-key'

    async def test_batch_cancels_send_both_id_lists_as_compact_json(self, fx):
        async with self.signed(fx) as client:
            async with asyncio.timeout(10):
                await client.cancel_batch_orders(symbol=self.symbol, orderIdList=list(range(1, 11)))
                await client.cancel_batch_orders(symbol=self.symbol, origClientOrderIdList=('grid/1:a', 'grid/2:b'))
        by_ids, by_client_ids = fx.requests_for(f'DELETE {self.path()}')
        assert by_ids.params['orderIdList'] == '[1,2,3,4,5,6,7,8,9,10]'
        assert by_client_ids.params['origClientOrderIdList'] == '["grid/1:a","grid/2:b"]'

    async def test_the_fake_refuses_a_signature_over_other_bytes_than_it_received(self, fx):
        """The control: signing the unencoded JSON but sending it percent-encoded (what a client that lets its
        HTTP library re-encode does, PB-1099) is refused with -1022, so the tests above prove the encoding."""
        fx.add_key('hmac-key', secret='hmac-secret')
        items = _compact(self.batch()[1][:1])
        ts = fx.server_time()
        signed_text = f'batchOrders={items}&timestamp={ts}'
        signature = hmac.new(b'hmac-secret', signed_text.encode(), hashlib.sha256).hexdigest()
        body = f'batchOrders={quote(items, safe="")}&timestamp={ts}&signature={signature}'
        async with aiohttp.ClientSession() as session:
            async with asyncio.timeout(10):
                async with session.post(
                    URL(fx.rest_url + self.path(), encoded=True),
                    data=body.encode(),
                    headers={'X-MBX-APIKEY': 'hmac-key', 'Content-Type': 'application/x-www-form-urlencoded'},
                ) as resp:
                    status, reply = resp.status, await resp.json()
        assert (status, reply['code']) == (400, -1022)

    # -- refused before sending ------------------------------------------------------------------------

    async def refused(self, fx, call, exc, **kwargs):
        async with self.signed(fx) as client:
            with pytest.raises(exc) as info:
                async with asyncio.timeout(5):
                    await getattr(client, call)(**kwargs)
        assert fx.requests == []
        return info.value

    async def test_a_float_inside_a_batch_item_is_refused(self, fx):
        item = {**self.batch()[1][0], 'price': 43187.5}
        e = await self.refused(fx, 'create_batch_orders', FloatParamException, batchOrders=[item])
        assert e.param == 'batchOrders.price' and isinstance(e, TypeError)

    @pytest.mark.parametrize('n', [0, 6])
    async def test_a_batch_holds_one_to_five_orders(self, fx, n):
        market_order = self.batch()[1][1]
        e = await self.refused(fx, 'create_batch_orders', UnsupportedParamException, batchOrders=[market_order] * n)
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
    async def test_no_conditional_order_in_a_batch(self, fx, change, param):
        wire = self.batch()[1]
        items = [wire[0], {**wire[1], **change}]
        e = await self.refused(fx, 'create_batch_orders', UnsupportedParamException, batchOrders=items)
        assert (e.param, e.use) == (param, 'create_algo_order')

    async def test_a_misspelt_key_inside_a_batch_item_is_refused_before_sending(self, fx):
        # A misspelt reduceOnly would otherwise go out, and a closing order would open a position.
        wire = self.batch()[1]
        items = [wire[0], {**wire[1], 'reduceOnyl': 'true'}]
        e = await self.refused(fx, 'create_batch_orders', UnknownParamException, batchOrders=items)
        assert (e.method, e.param, e.suggestion) == ('create_batch_orders', 'batchOrders[1].reduceOnyl', 'reduceOnly')
        assert isinstance(e, TypeError)

    async def test_each_batch_item_needs_its_types_mandatory_params(self, fx):
        item = {'symbol': self.symbol, 'side': 'BUY', 'type': 'LIMIT', 'quantity': '1', 'price': '1'}
        e = await self.refused(fx, 'create_batch_orders', MissingParamException, batchOrders=[item])
        assert e.missing == ('batchOrders[0].timeInForce',)

    @pytest.mark.parametrize('name', ['orderIdList', 'origClientOrderIdList'])
    async def test_a_batch_cancel_names_at_most_ten_orders(self, fx, name):
        ids = list(range(11)) if name == 'orderIdList' else [f'c{n}' for n in range(11)]
        e = await self.refused(fx, 'cancel_batch_orders', UnsupportedParamException, symbol=self.symbol, **{name: ids})
        assert (e.param, e.value) == (name, 11)

    async def test_a_batch_whose_answer_is_lost_carries_every_client_order_id(self, fx):
        """A dropped batch has an unknown outcome: each item got a client id before sending (the caller's own
        id kept), and the exception carries them all, so every order can be looked up."""
        path = f'POST {self.path()}'
        qty = self.order['quantity']
        items = [
            {'symbol': self.symbol, 'side': 'BUY', 'type': 'MARKET', 'quantity': qty, 'reduceOnly': False},
            {'symbol': self.symbol, 'side': 'SELL', 'type': 'MARKET', 'quantity': qty, 'newClientOrderId': 'mine'},
        ]
        async with self.signed(fx) as client:
            fx.drop_next(path)
            with pytest.raises(UnknownOutcomeException) as info:
                async with asyncio.timeout(5):
                    await client.create_batch_orders(batchOrders=items)
        [sent] = fx.requests_for(path)
        wire = json.loads(sent.params['batchOrders'])
        ids = tuple(item['newClientOrderId'] for item in wire)
        assert info.value.client_order_ids == ids and ids[1] == 'mine' and ids[0].startswith('x-')
        assert wire[0]['reduceOnly'] == 'false'  # flags inside items go out as Binance's text
        assert len(fx.requests_for(path)) == 1  # never re-sent
