"""Simulated-exchange checks every futures plugin's tests run, written once (:class:`SimulationChecks`): the
``SimulatedExchange`` of the market on 127.0.0.1, driven by raw signed requests (written apart from the SDK) and by
the market's client as a user would drive it. A MARKET order opens a position and a reduce-only one closes it, with
the WS-API and REST answers and the ORDER_TRADE_UPDATE / ACCOUNT_UPDATE events in the market's formats; hedge mode
and rejections; a resting LIMIT order listed and canceled; funding; the market streams (diff depth with ``pu``,
aggTrade, markPrice).

A plugin's test module subclasses it as ``Test<Something>`` and sets, as class attributes, the
market's wire (paths, method names, field sets from Binance's docs) and the numbers each scenario must produce,
computed by hand for that market's contracts (linear: ``qty x (exit - entry)``; inverse: ``contracts x contract
size x (1/entry - 1/exit)``), never by the engine. Market-only checks stay in the plugin's own module.
Imported only by tests; it imports neither market's package.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import AsyncIterator, Mapping
from decimal import Decimal as D
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest
import yarl

from binance_core.credentials import Credentials
from binance_futures.suite.streams import until
from binance_testing import FuturesSimulation, SimulatedExchange

__all__ = ['Raw', 'SimulationChecks', 'field_table', 'normal', 'plain']

KEY, SECRET = 'SimFuturesKey01', 'sim-futures-secret'
WAIT = 5  # seconds any single wait may take


def plain(text: str) -> str:
    """A decimal as stream events print it: ``'0.010'`` -> ``'0.01'``."""
    out = format(D(text).normalize(), 'f')
    return '0' if out in ('-0', '') else out


def field_table(text: str) -> dict[str, frozenset[str]]:
    """A hand-written table of payload fields, one payload a line: its name, then its fields (``#`` starts a
    comment; a line starting with whitespace continues the previous one)."""
    table: dict[str, list[str]] = {}
    name = ''
    for line in text.splitlines():
        words = line.partition('#')[0].split()
        if not words:
            continue
        if not line[0].isspace():
            name, words = words[0], words[1:]
            table[name] = []
        table[name] += words
    return {k: frozenset(v) for k, v in table.items()}


def d8(value: D) -> str:
    return f'{value:.8f}'


def normal(event: dict[str, Any]) -> dict[str, Any]:
    """The event without its times (E, T and the order's trade time)."""
    out = {k: v for k, v in event.items() if k not in ('E', 'T')}
    if 'o' in out:
        out['o'] = {k: v for k, v in out['o'].items() if k != 'T'}
    return out


def _now() -> int:
    return int(time.time() * 1000)


def _sign(payload: str) -> str:
    return hmac.new(SECRET.encode(), payload.encode(), hashlib.sha256).hexdigest()


def ws_signed(**params: Any) -> dict[str, Any]:
    """Binance WS-API signing: every param but the signature, sorted, ``k=v`` joined with ``&``."""
    params = {'apiKey': KEY, 'timestamp': _now(), **params}
    payload = '&'.join(f'{k}={json.dumps(v) if isinstance(v, bool) else v}' for k, v in sorted(params.items()))
    return {**params, 'signature': _sign(payload)}


class Raw:
    """Raw loopback clients of one simulated exchange: the WS-API, signed REST and the user-data stream."""

    def __init__(self, case: SimulationChecks, sim: SimulatedExchange, http: aiohttp.ClientSession, ws: Any) -> None:
        self.case = case
        self.sim = sim
        self.http = http
        self.ws = ws
        self.next_id = 0
        self.user: aiohttp.ClientWebSocketResponse | None = None

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        await self.ws.send_str(json.dumps({'id': self.next_id, 'method': method, 'params': params}))
        async with asyncio.timeout(WAIT):
            reply: dict[str, Any] = json.loads((await self.ws.receive()).data)
        assert reply['id'] == self.next_id
        return reply

    async def signed(self, method: str, **params: Any) -> Any:
        reply = await self.call(method, **ws_signed(**params))
        assert reply['status'] == 200, reply
        return reply['result']

    async def rest(self, verb: str, path: str, signed: bool = True, status: int = 200, **params: Any) -> Any:
        """``VERB <root><path>`` (*path* below the market's REST root), signed unless *signed* is false."""
        query = '&'.join(f'{k}={quote(str(v), safe="")}' for k, v in params.items())
        if signed:
            query = f'{query}&timestamp={_now()}' if query else f'timestamp={_now()}'
            query += f'&signature={_sign(query)}'
        url = yarl.URL(f'{self.sim.rest_url}{self.case.rest_root}{path}?{query}', encoded=True)
        async with self.http.request(verb, url, headers={'X-MBX-APIKEY': KEY}) as resp:
            body = await resp.json()
            assert resp.status == status, body
            return body

    async def open_user_stream(self) -> None:
        listen_key = (await self.rest('POST', '/v1/listenKey', signed=False))['listenKey']
        path = self.case.user_stream.format(key=listen_key)
        self.user = await self.http.ws_connect(f'{self.sim.stream_url}{path}')

    async def event(self) -> dict[str, Any]:
        assert self.user is not None
        async with asyncio.timeout(WAIT):
            msg = await self.user.receive()
        assert msg.type is aiohttp.WSMsgType.TEXT, msg
        event: dict[str, Any] = json.loads(msg.data)
        return event

    async def events_until_account_update(self) -> list[dict[str, Any]]:
        """The events up to and with the next ACCOUNT_UPDATE (an order's fills may take several levels)."""
        out = [normal(await self.event())]
        while out[-1]['e'] != 'ACCOUNT_UPDATE':
            out.append(normal(await self.event()))
        return out

    async def position_rows(self, **params: Any) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = await self.rest('GET', self.case.position_risk, **params)
        return rows

    async def asset(self) -> dict[str, Any]:
        """The margin asset's row of the account answer."""
        account = await self.signed(self.case.account_method)
        (row,) = [a for a in account['assets'] if a['asset'] == self.case.margin_asset]
        return dict(row)


@contextlib.asynccontextmanager
async def simulated(case: SimulationChecks) -> AsyncIterator[SimulatedExchange]:
    """The market's simulated exchange, paused, with the test key funded."""
    async with SimulatedExchange(case.market, {case.symbol: dict(case.rules)}, seed=3, tick=0.01, paused=True) as sim:
        sim.add_key(KEY, secret=SECRET)
        await sim.fund(KEY, case.margin_asset, case.funds)
        yield sim


class SimulationChecks:
    """The shared checks. A plugin's test module subclasses this as ``Test<Market>Simulation`` and sets the
    attributes below, its market's wire and numbers; pytest collects the inherited ``test_*`` methods there (this
    class itself is not collected).

    Attributes:
        market / client: the market name and its client class.
        rest_root: ``'/fapi'`` or ``'/dapi'``.
        symbol / pair / rules: the perpetual (``SimulatedExchange`` symbol fields: price 30000.0, tick 0.1).
        margin_asset / funds: the account's margin asset and what it is funded with.
        user_stream: the listenKey stream path, ``{key}`` for the key.
        book_streams / market_streams: the combined-stream paths of depth and of the other market streams.
        account_method / balance_method: the WS-API account and balance methods.
        position_risk: the REST position-risk path below the root; position_filter its params for the symbol.
        risk_lists_flat: whether position risk lists a flat symbol (v1/v2 shapes) or only held ones (UM v3).
        qty: the quantity opened and closed, as acks print it (step precision).
        hedge_qty: (long, short) quantities of the hedge-mode check.
        rest_qty / rest_bid_notional / rest_order_margin: a resting BUY at 29000.0, the open BUY notional its
            ORDER_TRADE_UPDATE shows (``b``) and its initial margin at leverage 20.
        funding_qty / funding_fee: a short whose funding at mark 30000 and rate 0.0001 is *funding_fee*.
        open_value: the open fill's value (``cumQuote`` / ``cumBase``) and cum_field its name.
        open_unrealized / open_initial_margin: at the mark 30000.0 after buying at 30000.1, leverage 10.
        close_realized: closing the position at 30099.9 (after ``set_price('30100.0')``).
        round_trip_realized: buying at 30000.1 and selling at 29999.9.
        formats: the market's payload fields, a :func:`field_table`: ``ack`` (``order.place``), ``leverage``,
            ``depthUpdate``, ``aggTrade``, ``markPriceUpdate``.
        order_update_extra / event_extra: the fields only this market sends on ``ORDER_TRADE_UPDATE`` (``o``)
            and on both user events' top level, with their values.
        algo_error: what the client raises when the simulation refuses an algo order (USDⓈ-M places them over
            the WS-API, COIN-M over REST).
    """

    market: str
    client: Any
    rest_root: str
    symbol: str
    pair: str
    rules: Mapping[str, str]
    margin_asset: str
    funds: str
    user_stream: str
    book_streams: str
    market_streams: str
    account_method: str
    balance_method: str
    position_risk: str
    position_filter: Mapping[str, str]
    risk_lists_flat: bool
    qty: str
    hedge_qty: tuple[str, str]
    rest_qty: str
    rest_bid_notional: str
    rest_order_margin: str
    funding_qty: str
    funding_fee: str
    cum_field: str
    open_value: str
    open_unrealized: str
    open_initial_margin: str
    close_realized: str
    round_trip_realized: str
    formats: str
    order_update_extra: Mapping[str, Any]
    event_extra: Mapping[str, Any]
    algo_error: type[Exception]

    pytestmark = pytest.mark.timeout(30)

    @property
    def fields(self) -> dict[str, frozenset[str]]:
        """``formats`` read: payload name -> its fields."""
        return field_table(self.formats)

    @pytest.fixture
    async def raw(self) -> AsyncIterator[Raw]:
        async with asyncio.timeout(20), simulated(self) as sim:
            async with aiohttp.ClientSession() as http, http.ws_connect(sim.ws_api_url) as ws:
                client = Raw(self, sim, http, ws)
                await client.open_user_stream()
                try:
                    yield client
                finally:
                    assert client.user is not None
                    await client.user.close()

    async def test_a_market_order_opens_a_position_and_a_reduce_only_order_closes_it(self, raw: Raw) -> None:
        case = self  # the market under test
        symbol, asset, qty = case.symbol, case.margin_asset, case.qty
        async with asyncio.timeout(20):
            sim = raw.sim
            assert isinstance(sim.simulation, FuturesSimulation)
            assert sim.book(symbol, 1)['asks'][0][0] == D('30000.1')

            lev = await raw.rest('POST', '/v1/leverage', symbol=symbol, leverage=10)
            assert set(lev) == case.fields['leverage'] and (lev['leverage'], lev['symbol']) == (
                10,
                symbol,
            )
            assert normal(await raw.event()) == {'e': 'ACCOUNT_CONFIG_UPDATE', 'ac': {'s': symbol, 'l': 10}}

            # -- open: order.place MARKET, acknowledged NEW; the fill comes from user data --------------------
            ack = await raw.signed(
                'order.place', symbol=symbol, side='BUY', type='MARKET', quantity=qty, newClientOrderId='open-1'
            )
            assert set(ack) == case.fields['ack']
            assert not {'avgPrice', 'cumQuote', 'cumBase'} & set(ack)  # none in acks since 2026-07-15
            zero = format(D(0).quantize(D(qty)), 'f')  # '0.000', or '0' in whole contracts
            assert {k: ack[k] for k in ('symbol', 'status', 'clientOrderId', 'origQty', 'executedQty', 'cumQty')} == {
                'symbol': symbol,
                'status': 'NEW',
                'clientOrderId': 'open-1',
                'origQty': qty,
                'executedQty': zero,
                'cumQty': zero,
            }
            assert (ack['type'], ack['side'], ack['positionSide'], ack['reduceOnly'], ack['price']) == (
                'MARKET',
                'BUY',
                'BOTH',
                False,
                '0.0',
            )
            order_id = ack['orderId']
            new, trade, account = await raw.events_until_account_update()
            assert new['e'] == 'ORDER_TRADE_UPDATE' and (new['o']['x'], new['o']['X'], new['o']['i']) == (
                'NEW',
                'NEW',
                order_id,
            )
            assert {k: v for k, v in trade.items() if k != 'o'} == {'e': 'ORDER_TRADE_UPDATE', **case.event_extra}
            fill = trade['o']
            assert fill == {
                's': symbol,
                'c': 'open-1',
                'S': 'BUY',
                'o': 'MARKET',
                'f': 'GTC',
                'q': plain(qty),
                'p': '0',
                'ap': '30000.1',
                'sp': '0',
                'x': 'TRADE',
                'X': 'FILLED',
                'i': order_id,
                'l': plain(qty),
                'z': plain(qty),
                'L': '30000.1',
                'N': asset,
                'n': '0',
                't': fill['t'],
                'b': '0',
                'a': '0',
                'm': False,
                'R': False,
                'wt': 'CONTRACT_PRICE',
                'ot': 'MARKET',
                'ps': 'BOTH',
                'cp': False,
                'rp': '0',
                'pP': False,
                'V': 'NONE',
                'pm': 'NONE',
                'er': '0',
                **case.order_update_extra,
            }
            assert sim.premium_index(symbol).mark_price == D('30000.0')
            assert account == {
                'e': 'ACCOUNT_UPDATE',
                **case.event_extra,
                'a': {
                    'm': 'ORDER',
                    'B': [{'a': asset, 'wb': d8(D(case.funds)), 'cw': d8(D(case.funds)), 'bc': '0.00000000'}],
                    'P': [
                        {
                            's': symbol,
                            'pa': plain(qty),
                            'ep': '30000.10000000',
                            'bep': '30000.10000000',
                            'cr': '0.00000000',
                            'up': case.open_unrealized,
                            'mt': 'cross',
                            'iw': '0.00000000',
                            'ps': 'BOTH',
                        }
                    ],
                },
            }

            status = await raw.signed('order.status', symbol=symbol, orderId=order_id)
            assert (status['status'], status['executedQty'], status['avgPrice'], status[case.cum_field]) == (
                'FILLED',
                qty,
                '30000.10000000',
                case.open_value,
            )
            assert (await raw.signed('order.status', symbol=symbol, origClientOrderId='open-1'))['orderId'] == order_id

            # -- the position, every way the market shows it ---------------------------------------------------
            (risk,) = await raw.position_rows(**case.position_filter)
            assert (risk['symbol'], risk['positionAmt'], risk['entryPrice'], risk['markPrice']) == (
                symbol,
                qty,
                '30000.10000000',
                '30000.00000000',
            )
            assert risk['unRealizedProfit'] == case.open_unrealized
            (row,) = await raw.signed('account.position', **case.position_filter)
            assert (row['leverage'], row['marginType'], row['positionAmt'], row['positionSide']) == (
                '10',
                'cross',
                qty,
                'BOTH',
            )
            account_status = await raw.signed(case.account_method)
            assert [p['positionAmt'] for p in account_status['positions'] if D(p['positionAmt'])] == [qty]
            held = await raw.asset()
            assert (held['walletBalance'], held['unrealizedProfit'], held['positionInitialMargin']) == (
                d8(D(case.funds)),
                case.open_unrealized,
                case.open_initial_margin,
            )
            available = D(case.funds) + D(case.open_unrealized) - D(case.open_initial_margin)
            assert held['availableBalance'] == d8(available)
            (balance,) = [b for b in await raw.signed(case.balance_method) if b['asset'] == asset]
            assert (balance['balance'], balance['availableBalance']) == (d8(D(case.funds)), d8(available))
            premium = await raw.rest('GET', '/v1/premiumIndex', signed=False, symbol=symbol)
            premium = premium if isinstance(premium, dict) else premium[0]  # COIN-M answers a list
            assert (premium['symbol'], premium['markPrice'], premium['lastFundingRate'], premium['interestRate']) == (
                symbol,
                '30000.00000000',
                '0.00010000',
                '0.00010000',
            )
            assert premium['nextFundingTime'] % (8 * 3_600_000) == 0

            # -- close: the market rallies, a reduce-only MARKET SELL realizes the profit ----------------------
            await sim.set_price(symbol, '30100.0')
            assert sim.book(symbol, 1)['bids'][0][0] == D('30099.9')
            close = await raw.signed(
                'order.place', symbol=symbol, side='SELL', type='MARKET', quantity=qty, reduceOnly='true'
            )
            assert (close['status'], close['reduceOnly']) == ('NEW', True)
            events = await raw.events_until_account_update()
            assert [(e['e'], e.get('o', {}).get('x')) for e in events] == [
                ('ORDER_TRADE_UPDATE', 'NEW'),
                ('ORDER_TRADE_UPDATE', 'TRADE'),
                ('ACCOUNT_UPDATE', None),
            ]
            realized = case.close_realized
            closed = events[1]['o']
            assert (closed['X'], closed['R'], closed['L'], closed['rp']) == ('FILLED', True, '30099.9', plain(realized))
            wallet = d8(D(case.funds) + D(realized))
            update = events[2]['a']
            assert update['B'] == [{'a': asset, 'wb': wallet, 'cw': wallet, 'bc': '0.00000000'}]
            assert [(p['pa'], p['ep'], p['cr'], p['up']) for p in update['P']] == [
                ('0', '0.00000000', realized, '0.00000000')
            ]
            rows = await raw.position_rows(**case.position_filter)
            assert [r['positionAmt'] for r in rows if D(r['positionAmt'])] == []
            assert len(rows) == (1 if case.risk_lists_flat else 0)
            assert sim.positions(KEY) == []
            trades = await raw.rest('GET', '/v1/userTrades', symbol=symbol)
            assert [(t['side'], t['price'], t['qty'], t['realizedPnl'], t['positionSide']) for t in trades] == [
                ('BUY', '30000.1', qty, '0.00000000', 'BOTH'),
                ('SELL', '30099.9', qty, realized, 'BOTH'),
            ]
            orders = await raw.rest('GET', '/v1/allOrders', symbol=symbol)
            assert [(o['clientOrderId'], o['status'], o['reduceOnly'], o['avgPrice']) for o in orders] == [
                ('open-1', 'FILLED', False, '30000.10000000'),
                (close['clientOrderId'], 'FILLED', True, '30099.90000000'),
            ]

            # Nothing left to reduce: refused, nothing sent.
            again = await raw.call(
                'order.place', **ws_signed(symbol=symbol, side='SELL', type='MARKET', quantity=qty, reduceOnly='true')
            )
            assert again['error'] == {'code': -2022, 'msg': 'ReduceOnly Order is rejected.'}

    async def test_hedge_mode_and_rejections_over_the_wire(self, raw: Raw) -> None:
        case = self  # the market under test
        symbol = case.symbol
        long_qty, short_qty = case.hedge_qty
        async with asyncio.timeout(20):
            assert await raw.rest('GET', '/v1/positionSide/dual') == {'dualSidePosition': False}
            assert await raw.rest('POST', '/v1/positionSide/dual', dualSidePosition='true') == {
                'code': 200,
                'msg': 'success',
            }
            failed = await raw.rest('POST', '/v1/positionSide/dual', status=400, dualSidePosition='true')
            assert failed == {'code': -4059, 'msg': 'No need to change position side.'}

            async def place(**params: Any) -> dict[str, Any]:
                return await raw.call('order.place', **ws_signed(symbol=symbol, type='MARKET', **params))

            assert (await place(side='BUY', quantity=long_qty))['error']['code'] == -4061  # BOTH in hedge mode
            reply = await place(side='SELL', quantity=long_qty, positionSide='LONG', reduceOnly='true')
            assert reply['error'] == {'code': -1106, 'msg': "Parameter 'reduceOnly' sent when not required."}
            long = await raw.signed(
                'order.place', symbol=symbol, side='BUY', type='MARKET', quantity=long_qty, positionSide='LONG'
            )
            short = await raw.signed(
                'order.place', symbol=symbol, side='SELL', type='MARKET', quantity=short_qty, positionSide='SHORT'
            )
            assert (long['positionSide'], short['positionSide']) == ('LONG', 'SHORT')
            rows = await raw.position_rows()
            assert sorted((r['positionSide'], r['positionAmt']) for r in rows if D(r['positionAmt'])) == [
                ('LONG', long_qty),
                ('SHORT', f'-{short_qty}'),
            ]
            stop = await raw.call(
                'order.place', **ws_signed(symbol=symbol, side='BUY', type='STOP_MARKET', quantity=long_qty)
            )
            assert stop['error']['code'] == -4120 and 'Algo Order' in stop['error']['msg']
            bad = await raw.rest('POST', '/v1/leverage', status=400, symbol=symbol, leverage=200)
            assert bad == {'code': -4028, 'msg': 'Leverage 200 is not valid'}
            missing = await raw.call('order.status', **ws_signed(symbol=symbol, orderId=999999))
            assert missing['error'] == {'code': -2013, 'msg': 'Order does not exist.'}
            changed = await raw.rest('POST', '/v1/positionSide/dual', status=400, dualSidePosition='false')
            assert changed['code'] == -4068  # a position is open

    async def test_a_resting_limit_order_is_listed_canceled_and_keeps_its_client_order_id(self, raw: Raw) -> None:
        case = self  # the market under test
        symbol = case.symbol
        async with asyncio.timeout(20):
            placed = await raw.signed(
                'order.place',
                symbol=symbol,
                side='BUY',
                type='LIMIT',
                timeInForce='GTC',
                price='29000.0',
                quantity=case.rest_qty,
                newClientOrderId='rest-1',
                newOrderRespType='RESULT',
            )
            assert (placed['status'], placed['price'], placed['timeInForce']) == ('NEW', '29000.0', 'GTC')
            assert normal(await raw.event())['o']['b'] == case.rest_bid_notional  # the account's open BUY notional
            (listed,) = await raw.rest('GET', '/v1/openOrders', symbol=symbol)
            assert (listed['orderId'], listed['status'], listed['avgPrice']) == (placed['orderId'], 'NEW', '0.00000000')
            held = await raw.asset()
            assert (held['openOrderInitialMargin'], held['positionInitialMargin']) == (
                case.rest_order_margin,
                '0.00000000',
            )
            canceled = await raw.signed('order.cancel', symbol=symbol, origClientOrderId='rest-1')
            assert (canceled['status'], canceled['clientOrderId']) == ('CANCELED', 'rest-1')
            assert not {'avgPrice', 'cumQuote', 'cumBase'} & set(canceled)
            event = normal(await raw.event())['o']
            assert (event['x'], event['X'], event['c'], event['b']) == ('CANCELED', 'CANCELED', 'rest-1', '0')
            again = await raw.call('order.cancel', **ws_signed(symbol=symbol, orderId=placed['orderId']))
            assert again['error'] == {'code': -2011, 'msg': 'Unknown order sent.'}
            assert await raw.rest('GET', '/v1/openOrders') == []
            assert (await raw.asset())['openOrderInitialMargin'] == '0.00000000'

    async def test_funding_reaches_user_data_and_the_funding_history(self, raw: Raw) -> None:
        case = self  # the market under test
        symbol, asset = case.symbol, case.margin_asset
        async with asyncio.timeout(20):
            sim = raw.sim
            await raw.signed('order.place', symbol=symbol, side='SELL', type='MARKET', quantity=case.funding_qty)
            await raw.events_until_account_update()
            engine = sim.simulation
            assert isinstance(engine, FuturesSimulation)
            engine.set_mark_price(symbol, '30000')
            await sim.settle_funding(symbol)
            event = normal(await raw.event())
            # A short receives a positive rate; cross: the balance only, and the symbol.
            wallet = d8(D(case.funds) + D(case.funding_fee))
            assert event == {
                'e': 'ACCOUNT_UPDATE',
                **case.event_extra,
                'a': {
                    'm': 'FUNDING_FEE',
                    'B': [{'a': asset, 'wb': wallet, 'cw': wallet, 'bc': case.funding_fee}],
                    'P': [],
                    'S': symbol,
                },
            }
            (row,) = await raw.rest('GET', '/v1/fundingRate', signed=False, symbol=symbol)
            assert (row['symbol'], row['fundingRate']) == (symbol, '0.00010000')

    async def test_market_streams_depth_with_pu_aggtrade_and_mark_price(self, raw: Raw) -> None:
        case = self  # the market under test
        symbol = case.symbol
        s = symbol.lower()  # COIN-M keeps the underscore: btcusd_perp@depth
        async with asyncio.timeout(20):
            sim = raw.sim
            book_streams = f'{s}@depth@100ms'
            market_streams = f'{s}@aggTrade/{s}@markPrice@1s/{s}@markPrice'
            async with (
                raw.http.ws_connect(f'{sim.stream_url}{case.book_streams}{book_streams}') as book,
                raw.http.ws_connect(f'{sim.stream_url}{case.market_streams}{market_streams}') as flow,
            ):
                snapshot = await raw.rest('GET', '/v1/depth', signed=False, symbol=symbol, limit=1000)
                assert {'lastUpdateId', 'E', 'T', 'bids', 'asks'} <= set(snapshot)
                depth: list[dict[str, Any]] = []
                while len(depth) < 3:
                    await sim.step(10)
                    await sim.trade(symbol, 'BUY', case.rest_qty)
                    await sim.flush()
                    async with asyncio.timeout(WAIT):
                        frame = json.loads((await book.receive()).data)
                    assert frame['stream'] == book_streams
                    depth.append(frame['data'])
                for event in depth:
                    assert set(event) == case.fields['depthUpdate'] and event['pu'] == event['U'] - 1
                    assert event['s'] == symbol
                for before, after in itertools.pairwise(depth):
                    assert after['pu'] == before['u']  # Binance futures: each event's pu is the previous event's u
                seen: dict[str, dict[str, Any]] = {}
                while len(seen) < 3:
                    async with asyncio.timeout(WAIT):
                        frame = json.loads((await flow.receive()).data)
                    seen.setdefault(frame['stream'], frame['data'])
                agg = seen[f'{s}@aggTrade']
                assert set(agg) == case.fields['aggTrade'] and (agg['e'], agg['s']) == (
                    'aggTrade',
                    symbol,
                )
                for name in ('markPrice@1s', 'markPrice'):
                    mark = seen[f'{s}@{name}']
                    assert set(mark) == case.fields['markPriceUpdate'] and mark['e'] == 'markPriceUpdate'
                    assert mark['r'] == '0.00010000' and mark['T'] % (8 * 3_600_000) == 0
            info = await raw.rest('GET', '/v1/exchangeInfo', signed=False)
            (entry,) = info['symbols']
            assert (entry['symbol'], entry['pair'], entry['contractType'], entry['marginAsset']) == (
                symbol,
                case.pair,
                'PERPETUAL',
                case.margin_asset,
            )
            assert entry['pricePrecision'] == 1

    async def test_the_sdk_trades_the_simulated_perpetual_as_a_user_would(self) -> None:
        """What the demo shows, through the market's client: leverage, a MARKET open and a reduce-only close, the
        user events reaching the futures handler bases over the listenKey flow, and the position."""
        from binance import FuturesAccountUpdateHandlerBase, FuturesOrderUpdateHandlerBase, SubType

        case = self  # the market under test
        symbol, qty = case.symbol, case.qty
        async with asyncio.timeout(20), simulated(case) as sim:
            seen: list[dict[str, Any]] = []

            class Orders(FuturesOrderUpdateHandlerBase):
                def receive(self, payload: Any) -> None:
                    super().receive(payload)
                    seen.append(payload)

            class Accounts(FuturesAccountUpdateHandlerBase):
                def receive(self, payload: Any) -> None:
                    super().receive(payload)
                    seen.append(payload)

            def events(kind: str) -> list[dict[str, Any]]:
                return [e for e in (p.get('data', p) for p in seen) if e['e'] == kind]

            async with case.client(Credentials(KEY, api_secret=SECRET), **sim.client_kwargs()) as client:
                client.handler(Orders(), Accounts())
                await client.subscribe((SubType.USER,))
                assert (await client.set_leverage(symbol=symbol, leverage=5))['leverage'] == 5
                ack = await client.create_order(symbol=symbol, side='BUY', type='MARKET', quantity=qty)
                assert ack['status'] == 'NEW' and 'avgPrice' not in ack
                await until(lambda: len(events('ACCOUNT_UPDATE')) >= 1)
                (risk,) = [r for r in await client.get_position_risk(**case.position_filter) if D(r['positionAmt'])]
                assert (risk['symbol'], risk['positionAmt'], risk['entryPrice']) == (symbol, qty, '30000.10000000')
                (row,) = await client.get_position(**case.position_filter)
                assert (row['leverage'], row['positionAmt']) == ('5', qty)
                await client.create_order(symbol=symbol, side='SELL', type='MARKET', quantity=qty, reduceOnly='true')
                await until(lambda: len(events('ACCOUNT_UPDATE')) >= 2)
                rows = await client.get_position_risk(**case.position_filter)
                assert [r for r in rows if D(r['positionAmt'])] == []
                fills = [e['o'] for e in events('ORDER_TRADE_UPDATE') if e['o']['x'] == 'TRADE']
                assert [(o['S'], o['R'], o['L']) for o in fills] == [
                    ('BUY', False, '30000.1'),
                    ('SELL', True, '29999.9'),
                ]
                assert fills[1]['rp'] == plain(case.round_trip_realized)
                last = events('ACCOUNT_UPDATE')[-1]['a']
                assert last['P'][0]['pa'] == '0'
                wallet = d8(D(case.funds) + D(case.round_trip_realized))
                assert [(b['a'], b['wb']) for b in last['B']] == [(case.margin_asset, wallet)]

    async def test_algo_orders_are_refused_not_silently_accepted(self) -> None:
        """The simulated exchange does not run conditional orders: it says so instead of answering ``{}``, which
        a bot would take for an accepted stop order that then never triggers."""
        case = self  # the market under test
        async with asyncio.timeout(10), simulated(case) as sim:
            async with case.client(Credentials(KEY, api_secret=SECRET), **sim.client_kwargs()) as client:
                with pytest.raises(case.algo_error, match='not simulated'):
                    await client.create_algo_order(
                        algoType='CONDITIONAL',
                        symbol=case.symbol,
                        side='SELL',
                        type='STOP_MARKET',
                        triggerPrice='29000',
                        quantity=case.qty,
                    )
