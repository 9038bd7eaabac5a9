"""Transcript-driven checks of a futures market's endpoint rows, written once for USDⓈ-M and COIN-M.

Each plugin keeps hand-written transcripts in ``tests/wire_cases.py`` (a ``CASES`` tuple of :class:`Case`, written
from Binance's docs, never from the rows) and subclasses :class:`RowChecks` as ``Test<Something>`` with its client
class, transcripts and endpoints module. The checks: the client has exactly the expected methods, each row matches
its transcript (wire call, security, weight, required and optional params, order count, pool group), every row
declares its params and every param has a kind, and each transcript runs against the loopback fake exchange, where
the request as recorded and the limiter's charge must match; a param a method does not take is refused before
sending, ``extra_params`` reach the wire, and the conditional params on ``create_order`` get its check's message.
Imported only by tests (it needs pytest and the test kit, ``binance-sdk-testing``).
"""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import pathlib
import re
import time
from types import ModuleType
from typing import Any, ClassVar, NamedTuple

import pytest

from binance import (
    Credentials,
    CredentialsRequiredException,
    MissingParamException,
    RateLimiter,
    UnknownParamException,
    UnsupportedParamException,
)
from binance_core.paramkinds import Kind, kind_of
from binance_core.params import prepare
from binance_core.specs import REST
from binance_futures import endpoints as shared_module
from binance_testing import FakeExchange

__all__ = ['EXTRA_METHODS', 'SPEC_METHODS', 'Case', 'MarketData', 'RowChecks', 'load_wire']


class Case(NamedTuple):
    """One hand-written transcript: what a caller passes, what the exchange must receive, what the client's
    limiter is charged.

    ``sent`` is what arrives on the wire, without ``apiKey``/``timestamp``/``signature``/``recvWindow`` and any
    generated client order id: REST values are the query's text (lists as compact JSON, bools as ``true``),
    WS-API values are JSON (``Decimal`` prices as strings). ``weight`` is the IP weight Binance charges for
    *this* call, ``orders`` its count on each order pool, ``group`` the endpoint-specific 5-minute pool it also
    draws from. ``reply`` is an abbreviated response example of the docs, served by the fake. ``optional`` is the
    docs' optional params of the method, in their order, without ``recvWindow`` and the alternatives already in
    ``required`` (``None``: not written, which the row checks refuse).
    """

    name: str
    wire: str  # WS-API method, or 'VERB /path'
    security: str  # NONE | MARKET_DATA | USER_DATA | TRADE
    weight: int
    required: tuple[str, ...]  # the docs' mandatory params; 'a|b' is one of a or b
    kwargs: dict[str, Any]
    sent: dict[str, Any]
    reply: Any
    orders: int = 0
    group: str | None = None
    optional: tuple[str, ...] | None = None


def load_wire(path: pathlib.Path) -> ModuleType:
    """A plugin's ``wire_cases.py`` (its ``CASES`` and its market data class), loaded by path: ``--import-mode=
    importlib`` keeps a plugin's ``tests/`` folder off ``sys.path``, and both futures plugins have a module of that
    name."""
    spec = importlib.util.spec_from_file_location(f'{path.parent.parent.name}_wire_cases', path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The UMFuturesClient methods of the spec (api-spec.txt, "UMFuturesClient"); CMFuturesClient "mirrors UMFuturesClient
# exactly" but for the methods COIN-M lacks (the test order, multi-assets mode: `absent_methods`).
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
# market data the issue names, and the rest of the algo-order family (FUTURES-API.md §1, §2).
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
AUTH = frozenset({'apiKey', 'timestamp', 'signature', 'recvWindow'})
# Filled by the SDK (the signing layer, the WS-API frame), never declared by a row.
SDK_MANAGED = frozenset({'apiKey', 'timestamp', 'signature', 'recvWindow', 'id'})
# The params Binance removed from New Order with the conditional orders (FUTURES-API.md §7, 2025-12-09): create_order
# takes them after the docs' list wherever the docs dropped them, so that its check, naming create_algo_order, is
# what a caller passing one sees (not an unknown param).
CONDITIONAL_PARAMS = ('stopPrice', 'activationPrice', 'callbackRate', 'closePosition', 'priceProtect', 'workingType')


def _wire(row: Any) -> str:
    return f'{row.call.verb} {row.call.path}' if isinstance(row.call, REST) else row.call.method


def _required(row: Any) -> tuple[str, ...]:
    return tuple('|'.join(r) if isinstance(r, tuple) else r for r in row.required)


def _typo(name: str) -> str:
    """*name* with its last two letters swapped: ``symbol`` -> ``symblo``, ``limit`` -> ``limti``."""
    return name[:-2] + name[-1] + name[-2]


def _used(snap: Any) -> dict[tuple[str, str | None, str | None], int]:
    return {(w.type, w.interval, w.group): w.used for w in snap.windows if w.scope != 'connection'}


class _FrozenClock:
    """Epoch seconds that stand still: no window rolls over between the two snapshots of a test."""

    def __init__(self) -> None:
        self.t = time.time()

    def __call__(self) -> float:
        return self.t


class MarketData:
    """What a market's test class sets (class attributes); the shared checks read nothing else of the market. A
    plugin keeps its data but the client class in a plain class of its ``wire_cases.py`` (:func:`load_wire`), which
    its test classes list first among their bases.

    Attributes:
        client: the market's client class (``UMFuturesClient``).
        cases: its hand-written transcripts, one per row.
        symbol: a symbol of the market (``'BTCUSDT'``, ``'BTCUSD_PERP'``).

    Tests of a subclass may take the argument ``case`` (every transcript), ``case_with_required`` (those with
    mandatory params) or ``keyed_case`` (those needing an API key): each runs once per transcript, named by it.
    """

    client: ClassVar[Any]
    cases: ClassVar[tuple[Case, ...]]
    symbol: ClassVar[str]

    @classmethod
    def market(cls) -> str:
        return str(cls.client.market.name)

    @classmethod
    def rows(cls) -> dict[str, Any]:
        return dict(cls.client._market_assembly.endpoints)

    @classmethod
    def transcript(cls, name: str) -> Case:
        """The transcript of method *name*."""
        [case] = [c for c in cls.cases if c.name == name]
        return case

    @classmethod
    def wire(cls, name: str) -> str:
        """The wire call of method *name*, from its transcript (``'v2/account.status'``, ``'GET /dapi/v1/...'``)."""
        return cls.transcript(name).wire

    def pytest_generate_tests(self, metafunc: Any) -> None:
        subsets = {
            'case': self.cases,
            'case_with_required': tuple(c for c in self.cases if c.required),
            'keyed_case': tuple(c for c in self.cases if c.security != 'NONE'),
        }
        for arg, cases in subsets.items():
            if arg in metafunc.fixturenames:
                metafunc.parametrize(arg, cases, ids=[c.name for c in cases])


class RowChecks(MarketData):
    """The rows of the market under test against their transcripts.

    Attributes (besides :class:`MarketData`'s):
        endpoints_module: the plugin's ``binance_<market>.endpoints``, where its weight and check functions live.
        absent_methods: spec methods the market does not have (COIN-M: the test order, multi-assets mode).
        client_order_ids: the rows that generate a client order id, and the param they fill.
        weight_rules: ``(method, params, weight)`` triples: Binance's param-dependent weights at their boundaries.
    """

    endpoints_module: ClassVar[ModuleType]
    absent_methods: ClassVar[tuple[str, ...]] = ()
    client_order_ids: ClassVar[dict[str, str]] = {
        'create_order': 'newClientOrderId',
        'create_algo_order': 'clientAlgoId',
        'create_batch_orders': 'batchOrders[].newClientOrderId',  # every item without an id gets one
    }
    weight_rules: ClassVar[tuple[tuple[str, dict[str, Any], int], ...]] = ()

    def pytest_generate_tests(self, metafunc: Any) -> None:
        super().pytest_generate_tests(metafunc)
        if 'weight_rule' in metafunc.fixturenames:
            ids = [f'{name}({",".join(params)})={weight}' for name, params, weight in self.weight_rules]
            metafunc.parametrize('weight_rule', self.weight_rules, ids=ids)

    # -- the table ---------------------------------------------------------------------------------

    def test_every_spec_method_has_a_row_and_nothing_else(self) -> None:
        expected = [m for m in SPEC_METHODS + EXTRA_METHODS if m not in self.absent_methods]
        assert set(self.absent_methods) <= set(SPEC_METHODS)
        assert len(expected) == len(set(expected))
        assert sorted(self.rows()) == sorted(expected)

    def test_every_row_has_exactly_one_transcript(self) -> None:
        names = [case.name for case in self.cases]
        assert len(names) == len(set(names)), 'a row has two transcripts'
        assert sorted(names) == sorted(self.rows())

    def test_row_matches_its_transcript(self, case: Case) -> None:
        row = self.rows()[case.name]
        assert _wire(row) == case.wire
        assert row.security.name == case.security
        assert _required(row) == case.required
        assert case.optional is not None, f'{case.name}: the transcript names no optional params'
        expected = case.optional
        if case.name == 'create_order':  # the conditional params are known only to be refused (Endpoint.refused)
            expected = tuple(p for p in expected if p not in CONDITIONAL_PARAMS)
            assert set(row.refused) == set(CONDITIONAL_PARAMS)
        assert row.optional == expected
        assert row.orders == case.orders
        assert row.pool_group == case.group
        sent = prepare(row, case.kwargs, self.client.market.text_params)
        if row.check is not None:
            row.check(sent)
        assert row.weight_for(sent) == case.weight

    def test_every_row_declares_its_optional_params(self) -> None:
        rows = self.rows()
        undeclared = [name for name, row in rows.items() if row.optional is None]
        assert not undeclared, f'declare optional=(...) (or optional=()) on: {undeclared}'
        for name, row in rows.items():
            assert row.optional is not None
            assert not SDK_MANAGED & (set(row.optional) | row.required_names()), name
            signing = {'recvWindow'} if row.security.signed else set()
            assert row.known == row.required_names() | set(row.optional) | set(row.refused) | signing, name

    def test_every_declared_param_has_a_kind(self) -> None:
        market_kinds = self.client.market.param_kinds
        untyped = sorted(
            (name, param)
            for name, row in self.rows().items()
            for param in row.known or ()
            if kind_of(param, row.kinds, market_kinds) is Kind.ANY
        )
        assert not untyped, f'give these a kind (binance_futures.market.FUTURES_PARAM_KINDS): {untyped}'
        # `positionMargin` takes an INT `type` (1 adds, 2 reduces), an ENUM everywhere else.
        margin = self.rows()['set_position_margin']
        assert kind_of('type', margin.kinds, market_kinds) is Kind.INT
        assert kind_of('type', self.rows()['create_order'].kinds, market_kinds) is Kind.ENUM

    def test_every_generated_signature_is_exactly_the_declared_params(self) -> None:
        for name, row in self.rows().items():
            params = inspect.signature(getattr(self.client, name)).parameters
            assert not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()), name
            assert set(params) == {'self', 'extra_params', *(row.known or ())} - set(row.refused), name
        order = inspect.signature(self.client.create_order).parameters
        assert list(order) == ['self', 'symbol', 'side', 'type', *self.rows()['create_order'].optional, 'recvWindow',
                               'extra_params']  # fmt: skip
        assert order['symbol'].default is inspect.Parameter.empty and order['price'].default is None

    def test_weight_and_check_functions_quote_binance_and_sit_beside_their_table(self) -> None:
        for row in self.rows().values():
            for fn in (row.weight, row.check):
                if fn is None or isinstance(fn, int):
                    continue
                module = shared_module if getattr(shared_module, fn.__name__, None) is fn else self.endpoints_module
                assert getattr(module, fn.__name__, None) is fn, f'{row.name}: {fn.__name__} is not beside a table'
                # Binance's rule, named by its endpoint (and market, where the other's differs), shown in the docs.
                first = (inspect.getdoc(fn) or '').splitlines()[0]
                assert re.match(r'Binance (USDⓈ-M |COIN-M )?`', first) and not first.endswith('.'), row.name

    def test_generated_client_ids_and_order_counts(self) -> None:
        rows = self.rows()
        assert {name: row.client_order_id for name, row in rows.items() if row.client_order_id} == self.client_order_ids
        # Binance: an order, a modify and a conditional order count 1, a batch 5 on the 10 s pool (FUTURES-API.md §1).
        orders = {name: row.orders for name, row in rows.items() if row.orders}
        assert orders == {'create_order': 1, 'modify_order': 1, 'create_batch_orders': 5, 'create_algo_order': 1}

    def test_generated_docs_name_the_wire_weight_and_check(self) -> None:
        doc = self.client.create_order.__doc__
        assert 'WS-API `order.place`' in doc and 'Weight: 0.' in doc and 'Counts 1 against the order pools' in doc
        assert 'Checked before sending: Binance `order.place`: no conditional type' in doc
        assert 'create_algo_order' in doc
        doc = self.client.get_orderbook.__doc__
        assert 'Weight: Binance `depth`: limit 5, 10, 20, 50 -> 2; 100 -> 5; 500 (default) -> 10; 1000 -> 20.' in doc

    def test_param_dependent_weights(self, weight_rule: tuple[str, dict[str, Any], int]) -> None:
        name, params, weight = weight_rule
        assert self.rows()[name].weight_for(params) == weight

    # -- every transcript against the fake exchange ----------------------------------------------------

    async def test_transcript_against_the_fake_exchange(self, case: Case) -> None:
        async with FakeExchange(self.market()) as fx:
            fx.add_key('hmac-key', secret='hmac-secret')
            limiter = RateLimiter(clock=_FrozenClock())
            creds = Credentials('hmac-key', api_secret='hmac-secret')
            async with self.client(creds, rate_limiter=limiter, **fx.client_kwargs()) as client:
                async with asyncio.timeout(10):
                    await client.clock.sync()  # time sync first, so only the call under test is charged below
                    arrived, gate = asyncio.Event(), asyncio.Event()

                    async def reply(req: Any) -> Any:
                        arrived.set()
                        await gate.wait()  # held until the charge is read: no response has reconciled it yet
                        return case.reply

                    fx.set_response(case.wire, reply)
                    before, start = _used(client.rate_limit_snapshot()), len(fx.requests)
                    task = asyncio.create_task(getattr(client, case.name)(**case.kwargs))
                    waiter = asyncio.create_task(arrived.wait())
                    await asyncio.wait((task, waiter), return_when=asyncio.FIRST_COMPLETED)  # sent, or failed first
                    waiter.cancel()
                    during = _used(client.rate_limit_snapshot())
                    gate.set()
                    result = await task
        assert result == case.reply
        sent = fx.requests[start:]
        assert [r.method for r in sent] == [case.wire]
        record = sent[0]
        row = self.rows()[case.name]
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
        expected: dict[tuple[str, str | None, str | None], int] = {}
        weight = case.weight
        if record.transport == 'ws_api':
            expected[('ws_connections', '5m', None)] = 1  # the client's first WS-API call opens its connection
            weight += self.client._market_assembly.spec.ws_api_connect_weight  # and its handshake costs weight
        if weight:
            expected[('request_weight', '1m', None)] = weight
        if case.orders:
            expected[('orders', '10s', None)] = expected[('orders', '1m', None)] = case.orders
        if case.group:
            interval = next(p.interval for p in self.client._market_assembly.pools if p.group == case.group)
            expected[('raw_requests', interval, case.group)] = 1
        assert charged == expected

    async def test_missing_required_params_raise_before_sending(self, case_with_required: Case) -> None:
        case = case_with_required
        async with FakeExchange(self.market()) as fx:
            fx.add_key('hmac-key', secret='hmac-secret')
            async with self.client(Credentials('hmac-key', api_secret='hmac-secret'), **fx.client_kwargs()) as client:
                for entry in case.required:
                    names = entry.split('|')
                    kwargs = {k: v for k, v in case.kwargs.items() if k not in names}
                    with pytest.raises(MissingParamException) as info:
                        async with asyncio.timeout(5):
                            await getattr(client, case.name)(**kwargs)
                    assert info.value.method == case.name and entry in info.value.missing
            assert fx.requests == []

    async def test_keyed_rows_without_credentials_raise_before_sending(self, keyed_case: Case) -> None:
        async with FakeExchange(self.market()) as fx:
            async with self.client(**fx.client_kwargs()) as client:
                with pytest.raises(CredentialsRequiredException):
                    async with asyncio.timeout(5):
                        await getattr(client, keyed_case.name)(**keyed_case.kwargs)
            assert fx.requests == []

    # -- the declared params, through the client ------------------------------------------------------

    async def test_a_typo_is_refused_naming_the_param_and_nothing_is_sent(self) -> None:
        """Every transcript's first param, misspelt: refused as the unknown param it is, naming the right one."""
        async with FakeExchange(self.market()) as fx:
            fx.add_key('hmac-key', secret='hmac-secret')
            async with self.client(Credentials('hmac-key', api_secret='hmac-secret'), **fx.client_kwargs()) as client:
                for case in self.cases:
                    if not case.kwargs:
                        continue
                    name = next(iter(case.kwargs))
                    kwargs = {(_typo(k) if k == name else k): v for k, v in case.kwargs.items()}
                    with pytest.raises(UnknownParamException) as info:
                        async with asyncio.timeout(5):
                            await getattr(client, case.name)(**kwargs)
                    e = info.value
                    assert (e.method, e.param, e.suggestion) == (case.name, _typo(name), name), case.name
                    # A typo is pointed at the param it misspells, never told to go out through extra_params.
                    assert f'did you mean {name!r}?' in str(e) and 'extra_params' not in str(e), case.name
                    assert isinstance(e, TypeError)
            assert fx.requests == []  # not even a time sync

    async def test_a_param_the_docs_do_not_list_for_the_call_is_refused(self) -> None:
        """Documented elsewhere is not enough: `startTime` belongs to klines, not to the order book."""
        async with FakeExchange(self.market()) as fx:
            async with self.client(**fx.client_kwargs()) as client:
                with pytest.raises(UnknownParamException) as info:
                    async with asyncio.timeout(5):
                        await client.get_orderbook(symbol=self.symbol, limit=5, startTime=1)
                with pytest.raises(UnknownParamException):
                    async with asyncio.timeout(5):
                        await client.ping(symbol=self.symbol)
            assert fx.requests == []
        assert (info.value.param, info.value.suggestion) == ('startTime', None)
        assert 'It takes: limit, symbol.' in str(info.value)

    async def test_extra_params_reach_the_wire_of_every_row(self) -> None:
        """A param Binance adds after the rows were written goes out with the rest, encoded as they are (REST as
        text, the WS-API as JSON), signed where the row is; one the row declares must be passed by name."""
        async with FakeExchange(self.market()) as fx:
            fx.add_key('hmac-key', secret='hmac-secret')
            async with self.client(Credentials('hmac-key', api_secret='hmac-secret'), **fx.client_kwargs()) as client:
                for case in self.cases:
                    if case.name != self.client.market.time_endpoint:  # the clock syncs against the fake's own time
                        fx.set_response(case.wire, case.reply)
                    async with asyncio.timeout(5):
                        await getattr(client, case.name)(**case.kwargs, extra_params={'addedLater': 7, 'flag': True})
                    record = fx.requests_for(case.wire)[-1]
                    rest = record.transport == 'rest'
                    added = {k: record.params.get(k) for k in ('addedLater', 'flag')}
                    wire = {'addedLater': '7', 'flag': 'true'} if rest else {'addedLater': 7, 'flag': True}
                    assert added == wire, case.name
                    signed = case.security in ('USER_DATA', 'TRADE')
                    assert ('signature' in record.params) == signed, case.name
                sent = len(fx.requests)
                with pytest.raises(UnsupportedParamException, match='pass it as limit='):
                    async with asyncio.timeout(5):
                        await client.get_orderbook(symbol=self.symbol, extra_params={'limit': 5})
            assert len(fx.requests) == sent

    async def test_a_conditional_param_on_create_order_names_create_algo_order(self) -> None:
        """Each param Binance moved to the algo service, on a plain LIMIT order: the check's message (use
        create_algo_order), not an unknown param, and nothing sent."""
        order = self.transcript('create_order').kwargs
        values = {'closePosition': 'true', 'priceProtect': True, 'workingType': 'MARK_PRICE'}
        async with FakeExchange(self.market()) as fx:
            fx.add_key('hmac-key', secret='hmac-secret')
            async with self.client(Credentials('hmac-key', api_secret='hmac-secret'), **fx.client_kwargs()) as client:
                for param in CONDITIONAL_PARAMS:
                    with pytest.raises(UnsupportedParamException) as info:
                        async with asyncio.timeout(5):
                            await client.create_order(**order, **{param: values.get(param, '90')})
                    assert (info.value.method, info.value.param, info.value.use) == (
                        'create_order',
                        param,
                        'create_algo_order',
                    )
                    assert 'create_algo_order()' in str(info.value) and 'nothing was sent' in str(info.value)
            assert fx.requests == []
