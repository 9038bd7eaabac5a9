"""Every row of the assembled USDⓈ-M market against its hand-written transcript (``wire_cases.py``): the
spec's method list, then each row's wire call, security, weight, required params and order effect, then each
example call against the loopback fake exchange, where the request as recorded and the client limiter's
charge must match the transcript."""

import asyncio
import importlib.util
import inspect
import time
from pathlib import Path

import pytest

from binance import Credentials, CredentialsRequiredException, MissingParamException, RateLimiter, UMFuturesClient
from binance_core.params import prepare
from binance_core.specs import REST
from binance_futures import endpoints as shared_module
from binance_testing import FakeExchange
from binance_usdm import endpoints as usdm_module


def _load_cases():
    # --import-mode=importlib keeps this folder off sys.path, so load the sibling by path.
    spec = importlib.util.spec_from_file_location('usdm_wire_cases', Path(__file__).with_name('wire_cases.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CASES


CASES = _load_cases()
ROWS = UMFuturesClient._market_assembly.endpoints
MARKET = UMFuturesClient.market

# The UMFuturesClient methods of the spec (api-spec.txt, "UMFuturesClient").
SPEC_METHODS = (
    'get_open_interest',
    'get_open_interest_hist',
    'get_funding_rate',
    'get_funding_info',
    'get_premium_index',
    'create_order',
    'create_test_order',
    'modify_order',
    'cancel_order',
    'cancel_all_orders',
    'get_order',
    'get_open_orders',
    'get_all_orders',
    'create_batch_orders',
    'cancel_batch_orders',
    'get_account',
    'get_balance',
    'get_position',
    'get_position_risk',
    'get_user_trades',
    'get_commission',
    'get_income',
    'get_leverage_bracket',
    'set_leverage',
    'set_margin_type',
    'set_position_margin',
    'get_position_mode',
    'set_position_mode',
    'get_multi_assets_mode',
    'set_multi_assets_mode',
    'create_algo_order',
    'cancel_algo_order',
)
# Beyond the spec's list: time sync and the general calls, what an order book needs (issue 12 item 1), the
# market data the issue names, and the rest of the algo-order family (FUTURES-API.md §1).
EXTRA_METHODS = (
    'ping',
    'get_server_time',
    'get_exchange_info',
    'get_orderbook',
    'get_recent_trades',
    'get_historical_trades',
    'get_aggregate_trades',
    'get_klines',
    'get_continuous_klines',
    'get_index_price_klines',
    'get_mark_price_klines',
    'get_premium_index_klines',
    'get_ticker',
    'get_ticker_price',
    'get_orderbook_ticker',
    'get_algo_order',
    'get_open_algo_orders',
    'get_all_algo_orders',
    'cancel_all_algo_orders',
)
AUTH = {'apiKey', 'timestamp', 'signature', 'recvWindow'}


def _wire(row):
    return f'{row.call.verb} {row.call.path}' if isinstance(row.call, REST) else row.call.method


def _required(row):
    return tuple('|'.join(r) if isinstance(r, tuple) else r for r in row.required)


# -- the table --------------------------------------------------------------------------------------


def test_every_spec_method_has_a_row_and_nothing_else():
    assert len(SPEC_METHODS + EXTRA_METHODS) == len(set(SPEC_METHODS + EXTRA_METHODS))
    assert sorted(ROWS) == sorted(SPEC_METHODS + EXTRA_METHODS)


def test_every_row_has_exactly_one_transcript():
    names = [case.name for case in CASES]
    assert len(names) == len(set(names)), 'a row has two transcripts'
    assert sorted(names) == sorted(ROWS)


@pytest.mark.parametrize('case', CASES, ids=[c.name for c in CASES])
def test_row_matches_its_transcript(case):
    row = ROWS[case.name]
    assert _wire(row) == case.wire
    assert row.security.name == case.security
    assert _required(row) == case.required
    assert row.orders == case.orders
    assert row.pool_group == case.group
    sent = prepare(row, case.kwargs, MARKET.text_params)
    if row.check is not None:
        row.check(sent)
    assert row.weight_for(sent) == case.weight


def test_weight_and_check_functions_quote_binance_and_sit_beside_their_table():
    for row in ROWS.values():
        for fn in (row.weight, row.check):
            if fn is None or isinstance(fn, int):
                continue
            module = shared_module if getattr(shared_module, fn.__name__, None) is fn else usdm_module
            assert getattr(module, fn.__name__) is fn, f'{row.name}: {fn.__name__} is not beside a table'
            first = inspect.getdoc(fn).splitlines()[0]
            assert first.startswith('Binance `') and not first.endswith('.'), row.name


def test_generated_client_ids_and_order_counts():
    ids = {name: row.client_order_id for name, row in ROWS.items() if row.client_order_id}
    assert ids == {
        'create_order': 'newClientOrderId',
        'create_algo_order': 'clientAlgoId',
        'create_batch_orders': 'batchOrders[].newClientOrderId',  # every item without an id gets one
    }
    orders = {name: row.orders for name, row in ROWS.items() if row.orders}
    assert orders == {'create_order': 1, 'modify_order': 1, 'create_batch_orders': 5, 'create_algo_order': 1}


def test_generated_docs_name_the_wire_weight_check_and_pool():
    doc = UMFuturesClient.create_order.__doc__
    assert 'WS-API `order.place`' in doc and 'Weight: 0.' in doc and 'Counts 1 against the order pools' in doc
    assert 'Checked before sending: Binance `order.place`: no conditional type' in doc
    assert 'create_algo_order' in doc
    doc = UMFuturesClient.get_open_interest_hist.__doc__
    assert "Also counts one request against the 'futures-data' pool." in doc
    doc = UMFuturesClient.get_orderbook.__doc__
    assert 'Weight: Binance `depth`: limit 5, 10, 20, 50 -> 2; 100 -> 5; 500 (default) -> 10; 1000 -> 20.' in doc


# Binance's param-dependent rules of the UM-only rows, at their boundaries.
@pytest.mark.parametrize(
    ('name', 'params', 'weight'),
    [
        ('get_premium_index', {'symbol': 'BTCUSDT'}, 1),
        ('get_premium_index', {}, 10),
        ('get_ticker_price', {'symbol': 'BTCUSDT'}, 1),
        ('get_ticker_price', {}, 2),
        ('get_open_algo_orders', {}, 40),
        ('get_open_orders', {'symbol': 'BTCUSDT'}, 1),
        ('get_orderbook', {'symbol': 'BTCUSDT', 'limit': 1000}, 20),
        ('get_orderbook', {'symbol': 'BTCUSDT'}, 10),
    ],
)
def test_param_dependent_weights(name, params, weight):
    assert ROWS[name].weight_for(params) == weight


# -- every transcript against the fake exchange -----------------------------------------------------------


def _used(snap):
    return {(w.type, w.interval, w.group): w.used for w in snap.windows if w.scope != 'connection'}


class _FrozenClock:
    """Epoch seconds that stand still: no window rolls over between the two snapshots of a test."""

    def __init__(self):
        self.t = time.time()

    def __call__(self):
        return self.t


@pytest.mark.parametrize('case', CASES, ids=[c.name for c in CASES])
async def test_transcript_against_the_fake_exchange(case):
    async with FakeExchange('usdm') as fx:
        fx.add_key('hmac-key', secret='hmac-secret')
        limiter = RateLimiter(clock=_FrozenClock())
        creds = Credentials('hmac-key', api_secret='hmac-secret')
        async with UMFuturesClient(creds, rate_limiter=limiter, **fx.client_kwargs()) as um:
            async with asyncio.timeout(10):
                await um.clock.sync()  # time sync first, so only the call under test is charged below
                gate = asyncio.Event()

                async def reply(req):
                    await gate.wait()  # held until the charge is read: no response has reconciled it yet
                    return case.reply

                fx.set_response(case.wire, reply)
                before, start = _used(um.rate_limit_snapshot()), len(fx.requests)
                task = asyncio.create_task(getattr(um, case.name)(**case.kwargs))
                while not any(r.method == case.wire for r in fx.requests[start:]) and not task.done():
                    await asyncio.sleep(0.001)
                during = _used(um.rate_limit_snapshot())
                gate.set()
                result = await task
        assert result == case.reply
        sent = fx.requests[start:]
        assert [r.method for r in sent] == [case.wire]
        record = sent[0]
        row = ROWS[case.name]
        # A plain id param is generated at the top level; a batch's ('batchOrders[].newClientOrderId') per item,
        # and the transcripts give every item its id.
        generated = {row.client_order_id} if row.client_order_id and '[]' not in row.client_order_id else set()
        assert {k: v for k, v in record.params.items() if k not in AUTH | generated} == case.sent
        for name in generated:
            assert record.params[name].startswith('x-')  # the SDK's generated client order id
        signed = case.security in ('USER_DATA', 'TRADE')
        assert ('signature' in record.params, 'timestamp' in record.params) == (signed, signed)
        keyed = case.security != 'NONE'
        if record.transport == 'rest':
            assert record.headers.get('X-MBX-APIKEY') == ('hmac-key' if keyed else None)
        else:
            assert record.params.get('apiKey') == ('hmac-key' if keyed else None)
        charged = {k: during[k] - before[k] for k in before if during[k] != before[k]}
        expected = {('request_weight', '1m', None): case.weight} if case.weight else {}
        if record.transport == 'ws_api':
            expected[('ws_connections', '5m', None)] = 1  # the client's first WS-API call opens its connection
        if case.orders:
            expected[('orders', '10s', None)] = expected[('orders', '1m', None)] = case.orders
        if case.group:
            interval = next(p.interval for p in UMFuturesClient._market_assembly.pools if p.group == case.group)
            expected[('raw_requests', interval, case.group)] = 1
        assert charged == expected


@pytest.mark.parametrize('case', [c for c in CASES if c.required], ids=[c.name for c in CASES if c.required])
async def test_missing_required_params_raise_before_sending(case):
    async with FakeExchange('usdm') as fx:
        fx.add_key('hmac-key', secret='hmac-secret')
        async with UMFuturesClient(Credentials('hmac-key', api_secret='hmac-secret'), **fx.client_kwargs()) as um:
            for entry in case.required:
                names = entry.split('|')
                kwargs = {k: v for k, v in case.kwargs.items() if k not in names}
                with pytest.raises(MissingParamException) as info:
                    async with asyncio.timeout(5):
                        await getattr(um, case.name)(**kwargs)
                assert info.value.method == case.name and entry in info.value.missing
        assert fx.requests == []


@pytest.mark.parametrize(
    'case', [c for c in CASES if c.security != 'NONE'], ids=[c.name for c in CASES if c.security != 'NONE']
)
async def test_keyed_rows_without_credentials_raise_before_sending(case):
    async with FakeExchange('usdm') as fx:
        async with UMFuturesClient(**fx.client_kwargs()) as um:
            with pytest.raises(CredentialsRequiredException):
                async with asyncio.timeout(5):
                    await getattr(um, case.name)(**case.kwargs)
        assert fx.requests == []
