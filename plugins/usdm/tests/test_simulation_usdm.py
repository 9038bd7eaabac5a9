"""The simulated USDⓈ-M exchange on 127.0.0.1, driven by raw signed requests (written apart from the SDK): a MARKET
order that opens a position and a reduce-only one that closes it, with the WS-API and REST answers and the
ORDER_TRADE_UPDATE / ACCOUNT_UPDATE events in Binance's USDⓈ-M formats; leverage, hedge mode, mark price and
funding; and the market streams (diff depth with ``pu``, aggTrade, markPrice)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from decimal import Decimal as D
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest
import yarl

from binance_testing import FuturesSimulation, SimulatedExchange

pytestmark = pytest.mark.timeout(30)

KEY, SECRET = 'UmSimKey01', 'um-sim-secret'
SYMBOL = 'BTCUSDT'
WAIT = 5  # seconds any single wait may take

# order.place acknowledgement fields (binance-connector-python UM NewOrderResponseResult, 17.2.0): no avgPrice or
# cumQuote since 2026-07-15.
ACK_FIELDS = {
    'orderId',
    'symbol',
    'status',
    'clientOrderId',
    'price',
    'origQty',
    'executedQty',
    'cumQty',
    'timeInForce',
    'type',
    'reduceOnly',
    'closePosition',
    'side',
    'positionSide',
    'stopPrice',
    'workingType',
    'priceProtect',
    'origType',
    'priceMatch',
    'selfTradePreventionMode',
    'goodTillDate',
    'updateTime',
}
POSITION_V3_FIELDS = {
    'symbol',
    'positionSide',
    'positionAmt',
    'entryPrice',
    'breakEvenPrice',
    'markPrice',
    'unRealizedProfit',
    'liquidationPrice',
    'isolatedMargin',
    'notional',
    'marginAsset',
    'isolatedWallet',
    'initialMargin',
    'maintMargin',
    'positionInitialMargin',
    'openOrderInitialMargin',
    'adl',
    'bidNotional',
    'askNotional',
    'updateTime',
}


def _now() -> int:
    return int(time.time() * 1000)


def _sign(payload: str) -> str:
    return hmac.new(SECRET.encode(), payload.encode(), hashlib.sha256).hexdigest()


def ws_signed(**params: Any) -> dict[str, Any]:
    """Binance WS-API signing: every param but the signature, sorted, ``k=v`` joined with ``&``."""
    params = {'apiKey': KEY, 'timestamp': _now(), **params}
    payload = '&'.join(f'{k}={json.dumps(v) if isinstance(v, bool) else v}' for k, v in sorted(params.items()))
    return {**params, 'signature': _sign(payload)}


class Um:
    """Raw loopback clients of one simulated exchange: the WS-API, signed REST and the user-data stream."""

    def __init__(self, sim: SimulatedExchange, http: aiohttp.ClientSession, ws: aiohttp.ClientWebSocketResponse):
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
        query = '&'.join(f'{k}={quote(str(v), safe="")}' for k, v in params.items())
        if signed:
            query = f'{query}&timestamp={_now()}' if query else f'timestamp={_now()}'
            query += f'&signature={_sign(query)}'
        url = yarl.URL(f'{self.sim.rest_url}{path}?{query}', encoded=True)
        async with self.http.request(verb, url, headers={'X-MBX-APIKEY': KEY}) as resp:
            body = await resp.json()
            assert resp.status == status, body
            return body

    async def open_user_stream(self) -> None:
        listen_key = (await self.rest('POST', '/fapi/v1/listenKey', signed=False))['listenKey']
        self.user = await self.http.ws_connect(f'{self.sim.stream_url}/private/ws?listenKey={listen_key}')

    async def event(self) -> dict[str, Any]:
        assert self.user is not None
        async with asyncio.timeout(WAIT):
            msg = await self.user.receive()
        assert msg.type is aiohttp.WSMsgType.TEXT, msg
        event: dict[str, Any] = json.loads(msg.data)
        return event


@pytest.fixture
async def um() -> Any:
    async with asyncio.timeout(20):
        rules = {'price': '30000.0', 'tick_size': '0.1', 'step_size': '0.001', 'level_qty': '1'}
        async with SimulatedExchange('usdm', {SYMBOL: rules}, seed=3, tick=0.01, paused=True) as sim:
            sim.add_key(KEY, secret=SECRET)
            await sim.fund(KEY, 'USDT', '10000')
            async with aiohttp.ClientSession() as http, http.ws_connect(sim.ws_api_url) as ws:
                client = Um(sim, http, ws)
                await client.open_user_stream()
                try:
                    yield client
                finally:
                    assert client.user is not None
                    await client.user.close()


def normal(event: dict[str, Any]) -> dict[str, Any]:
    """The event without its times (E, T and the order's trade time)."""
    out = {k: v for k, v in event.items() if k not in ('E', 'T')}
    if 'o' in out:
        out['o'] = {k: v for k, v in out['o'].items() if k != 'T'}
    return out


async def test_a_market_order_opens_a_position_and_a_reduce_only_order_closes_it(um: Um) -> None:
    async with asyncio.timeout(20):
        sim = um.sim
        assert isinstance(sim.simulation, FuturesSimulation)
        best_ask = sim.book(SYMBOL, 1)['asks'][0][0]
        assert best_ask == D('30000.1')

        lev = await um.rest('POST', '/fapi/v1/leverage', symbol=SYMBOL, leverage=10)
        assert lev == {'leverage': 10, 'maxNotionalValue': lev['maxNotionalValue'], 'symbol': SYMBOL}
        assert normal(await um.event()) == {'e': 'ACCOUNT_CONFIG_UPDATE', 'ac': {'s': SYMBOL, 'l': 10}}

        # -- open: order.place MARKET, acknowledged NEW; the fill comes from user data ------------------------
        ack = await um.signed(
            'order.place', symbol=SYMBOL, side='BUY', type='MARKET', quantity='0.010', newClientOrderId='open-1'
        )
        assert set(ack) == ACK_FIELDS and 'avgPrice' not in ack and 'cumQuote' not in ack
        assert {k: ack[k] for k in ('symbol', 'status', 'clientOrderId', 'origQty', 'executedQty', 'cumQty')} == {
            'symbol': SYMBOL,
            'status': 'NEW',
            'clientOrderId': 'open-1',
            'origQty': '0.010',
            'executedQty': '0.000',
            'cumQty': '0.000',
        }
        assert (ack['type'], ack['side'], ack['positionSide'], ack['reduceOnly'], ack['price']) == (
            'MARKET',
            'BUY',
            'BOTH',
            False,
            '0.0',
        )
        order_id = ack['orderId']
        new = normal(await um.event())
        trade = normal(await um.event())
        account = normal(await um.event())
        assert new['e'] == 'ORDER_TRADE_UPDATE' and (new['o']['x'], new['o']['X'], new['o']['i']) == (
            'NEW',
            'NEW',
            order_id,
        )
        fill = trade['o']
        trade_id = fill['t']
        assert fill == {
            's': SYMBOL,
            'c': 'open-1',
            'S': 'BUY',
            'o': 'MARKET',
            'f': 'GTC',
            'q': '0.01',
            'p': '0',
            'ap': '30000.1',
            'sp': '0',
            'x': 'TRADE',
            'X': 'FILLED',
            'i': order_id,
            'l': '0.01',
            'z': '0.01',
            'L': '30000.1',
            'N': 'USDT',
            'n': '0',
            't': trade_id,
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
            'si': 0,
            'ss': 0,
            'V': 'NONE',
            'pm': 'NONE',
            'gtd': 0,
            'er': '0',
        }
        mark = sim.premium_index(SYMBOL).mark_price
        up = f'{D("0.010") * (mark - D("30000.1")):.8f}'
        assert account == {
            'e': 'ACCOUNT_UPDATE',
            'a': {
                'm': 'ORDER',
                'B': [{'a': 'USDT', 'wb': '10000.00000000', 'cw': '10000.00000000', 'bc': '0.00000000'}],
                'P': [
                    {
                        's': SYMBOL,
                        'pa': '0.01',
                        'ep': '30000.10000000',
                        'bep': '30000.10000000',
                        'cr': '0.00000000',
                        'up': up,
                        'mt': 'cross',
                        'iw': '0.00000000',
                        'ps': 'BOTH',
                    }
                ],
            },
        }

        status = await um.signed('order.status', symbol=SYMBOL, orderId=order_id)
        assert (status['status'], status['executedQty'], status['avgPrice'], status['cumQuote']) == (
            'FILLED',
            '0.010',
            '30000.10000000',
            '300.00100000',
        )
        assert (await um.signed('order.status', symbol=SYMBOL, origClientOrderId='open-1'))['orderId'] == order_id

        # -- the position, every way Binance shows it -------------------------------------------------------
        (risk,) = await um.rest('GET', '/fapi/v3/positionRisk', symbol=SYMBOL)
        assert set(risk) == POSITION_V3_FIELDS
        assert (risk['positionAmt'], risk['entryPrice'], risk['markPrice'], risk['unRealizedProfit']) == (
            '0.010',
            '30000.10000000',
            f'{mark:.8f}',
            up,
        )
        assert risk['positionInitialMargin'] == f'{D("0.010") * mark / 10:.8f}'  # notional / leverage 10
        (v1,) = await um.signed('account.position', symbol=SYMBOL)
        assert (v1['leverage'], v1['marginType'], v1['positionAmt'], v1['positionSide']) == (
            '10',
            'cross',
            '0.010',
            'BOTH',
        )
        status_v2 = await um.signed('v2/account.status')
        assert status_v2['totalWalletBalance'] == '10000.00000000'
        assert status_v2['totalPositionInitialMargin'] == risk['positionInitialMargin']
        assert [p['positionAmt'] for p in status_v2['positions']] == ['0.010']
        (usdt,) = [a for a in status_v2['assets'] if a['asset'] == 'USDT']
        assert D(usdt['availableBalance']) == D('10000') + D(up) - D(risk['positionInitialMargin'])
        (balance,) = [b for b in await um.signed('v2/account.balance') if b['asset'] == 'USDT']
        assert (balance['balance'], balance['availableBalance']) == ('10000.00000000', usdt['availableBalance'])
        premium = await um.rest('GET', '/fapi/v1/premiumIndex', signed=False, symbol=SYMBOL)
        assert (premium['markPrice'], premium['lastFundingRate'], premium['interestRate']) == (
            f'{mark:.8f}',
            '0.00010000',
            '0.00010000',
        )
        assert premium['nextFundingTime'] % (8 * 3_600_000) == 0

        # -- close: the market rallies, a reduce-only MARKET SELL realizes the profit ----------------------
        await sim.set_price(SYMBOL, '30100.0')
        best_bid = sim.book(SYMBOL, 1)['bids'][0][0]
        close = await um.signed(
            'order.place', symbol=SYMBOL, side='SELL', type='MARKET', quantity='0.010', reduceOnly='true'
        )
        assert (close['status'], close['reduceOnly']) == ('NEW', True)
        events = [normal(await um.event()) for _ in range(3)]
        assert [(e['e'], e.get('o', {}).get('x')) for e in events] == [
            ('ORDER_TRADE_UPDATE', 'NEW'),
            ('ORDER_TRADE_UPDATE', 'TRADE'),
            ('ACCOUNT_UPDATE', None),
        ]
        realized = D('0.010') * (best_bid - D('30000.1'))
        closed = events[1]['o']
        assert (closed['X'], closed['R'], closed['L'], D(closed['rp'])) == ('FILLED', True, f'{best_bid}', realized)
        update = events[2]['a']
        assert update['B'] == [
            {'a': 'USDT', 'wb': f'{10000 + realized:.8f}', 'cw': f'{10000 + realized:.8f}', 'bc': '0.00000000'}
        ]
        assert [(p['pa'], p['ep'], p['cr'], p['up']) for p in update['P']] == [
            ('0', '0.00000000', f'{realized:.8f}', '0.00000000')
        ]
        assert await um.rest('GET', '/fapi/v3/positionRisk', symbol=SYMBOL) == []  # flat, nothing open
        assert sim.positions(KEY) == []
        trades = await um.rest('GET', '/fapi/v1/userTrades', symbol=SYMBOL)
        assert [(t['side'], t['price'], t['qty'], D(t['realizedPnl']), t['positionSide']) for t in trades] == [
            ('BUY', '30000.1', '0.010', 0, 'BOTH'),
            ('SELL', f'{best_bid}', '0.010', realized, 'BOTH'),
        ]
        orders = await um.rest('GET', '/fapi/v1/allOrders', symbol=SYMBOL)
        assert [(o['clientOrderId'], o['status'], o['reduceOnly'], o['avgPrice']) for o in orders] == [
            ('open-1', 'FILLED', False, '30000.10000000'),
            (close['clientOrderId'], 'FILLED', True, f'{best_bid:.8f}'),
        ]

        # Nothing left to reduce: refused, nothing sent.
        again = await um.call(
            'order.place',
            **ws_signed(symbol=SYMBOL, side='SELL', type='MARKET', quantity='0.010', reduceOnly='true'),
        )
        assert again['error'] == {'code': -2022, 'msg': 'ReduceOnly Order is rejected.'}


async def test_hedge_mode_and_rejections_over_the_wire(um: Um) -> None:
    async with asyncio.timeout(20):
        assert await um.rest('GET', '/fapi/v1/positionSide/dual') == {'dualSidePosition': False}
        assert await um.rest('POST', '/fapi/v1/positionSide/dual', dualSidePosition='true') == {
            'code': 200,
            'msg': 'success',
        }
        failed = await um.rest('POST', '/fapi/v1/positionSide/dual', status=400, dualSidePosition='true')
        assert failed == {'code': -4059, 'msg': 'No need to change position side.'}

        async def place(**params: Any) -> dict[str, Any]:
            return await um.call('order.place', **ws_signed(symbol=SYMBOL, type='MARKET', quantity='0.005', **params))

        assert (await place(side='BUY'))['error']['code'] == -4061  # BOTH in hedge mode
        reply = await place(side='SELL', positionSide='LONG', reduceOnly='true')
        assert reply['error'] == {'code': -1106, 'msg': "Parameter 'reduceOnly' sent when not required."}
        long = await um.signed(
            'order.place', symbol=SYMBOL, side='BUY', type='MARKET', quantity='0.005', positionSide='LONG'
        )
        short = await um.signed(
            'order.place', symbol=SYMBOL, side='SELL', type='MARKET', quantity='0.002', positionSide='SHORT'
        )
        assert (long['positionSide'], short['positionSide']) == ('LONG', 'SHORT')
        rows = await um.rest('GET', '/fapi/v3/positionRisk')
        assert sorted((r['positionSide'], r['positionAmt']) for r in rows) == [('LONG', '0.005'), ('SHORT', '-0.002')]
        stop = await um.call(
            'order.place', **ws_signed(symbol=SYMBOL, side='BUY', type='STOP_MARKET', quantity='0.005')
        )
        assert stop['error']['code'] == -4120 and 'Algo Order' in stop['error']['msg']
        bad = await um.rest('POST', '/fapi/v1/leverage', status=400, symbol=SYMBOL, leverage=200)
        assert bad == {'code': -4028, 'msg': 'Leverage 200 is not valid'}
        missing = await um.call('order.status', **ws_signed(symbol=SYMBOL, orderId=999999))
        assert missing['error'] == {'code': -2013, 'msg': 'Order does not exist.'}


async def test_a_resting_limit_order_is_listed_canceled_and_keeps_its_client_order_id(um: Um) -> None:
    async with asyncio.timeout(20):
        placed = await um.signed(
            'order.place',
            symbol=SYMBOL,
            side='BUY',
            type='LIMIT',
            timeInForce='GTC',
            price='29000.0',
            quantity='0.010',
            newClientOrderId='rest-1',
            newOrderRespType='RESULT',
        )
        assert (placed['status'], placed['price'], placed['timeInForce']) == ('NEW', '29000.0', 'GTC')
        assert normal(await um.event())['o']['b'] == '290'  # the account's open BUY notional
        (listed,) = await um.rest('GET', '/fapi/v1/openOrders', symbol=SYMBOL)
        assert (listed['orderId'], listed['status'], listed['avgPrice']) == (placed['orderId'], 'NEW', '0.00000000')
        (risk,) = await um.rest('GET', '/fapi/v3/positionRisk')  # an open order shows the symbol
        assert (risk['positionAmt'], risk['openOrderInitialMargin'], risk['bidNotional']) == (
            '0.000',
            f'{D("290") / 20:.8f}',
            '290.00000000',
        )
        canceled = await um.signed('order.cancel', symbol=SYMBOL, origClientOrderId='rest-1')
        assert (canceled['status'], canceled['clientOrderId']) == ('CANCELED', 'rest-1')
        assert 'avgPrice' not in canceled and 'cumQuote' not in canceled
        event = normal(await um.event())['o']
        assert (event['x'], event['X'], event['c'], event['b']) == ('CANCELED', 'CANCELED', 'rest-1', '0')
        again = await um.call('order.cancel', **ws_signed(symbol=SYMBOL, orderId=placed['orderId']))
        assert again['error'] == {'code': -2011, 'msg': 'Unknown order sent.'}
        assert await um.rest('GET', '/fapi/v1/openOrders') == []


async def test_funding_reaches_user_data_and_the_funding_history(um: Um) -> None:
    async with asyncio.timeout(20):
        sim = um.sim
        await um.signed('order.place', symbol=SYMBOL, side='SELL', type='MARKET', quantity='0.100')
        for _ in range(3):
            await um.event()
        engine = sim.simulation
        assert isinstance(engine, FuturesSimulation)
        engine.set_mark_price(SYMBOL, '30000')
        await sim.settle_funding(SYMBOL)
        event = normal(await um.event())
        # A short receives a positive rate: 0.1 x 30000 x 0.0001 = 0.3; cross: the balance only, and the symbol.
        assert event == {
            'e': 'ACCOUNT_UPDATE',
            'a': {
                'm': 'FUNDING_FEE',
                'B': [{'a': 'USDT', 'wb': '10000.30000000', 'cw': '10000.30000000', 'bc': '0.30000000'}],
                'P': [],
                'S': SYMBOL,
            },
        }
        (row,) = await um.rest('GET', '/fapi/v1/fundingRate', signed=False, symbol=SYMBOL)
        assert (row['symbol'], row['fundingRate'], row['markPrice']) == (SYMBOL, '0.00010000', '30000.00000000')


async def test_market_streams_depth_with_pu_aggtrade_and_mark_price(um: Um) -> None:
    async with asyncio.timeout(20):
        sim = um.sim
        streams = f'{SYMBOL.lower()}@depth@100ms'
        market = f'{SYMBOL.lower()}@aggTrade/{SYMBOL.lower()}@markPrice@1s/{SYMBOL.lower()}@markPrice'
        async with (
            um.http.ws_connect(f'{sim.stream_url}/public/stream?streams={streams}') as book,
            um.http.ws_connect(f'{sim.stream_url}/market/stream?streams={market}') as flow,
        ):
            snapshot = await um.rest('GET', '/fapi/v1/depth', signed=False, symbol=SYMBOL, limit=1000)
            assert set(snapshot) == {'lastUpdateId', 'E', 'T', 'bids', 'asks'}
            depth: list[dict[str, Any]] = []
            while len(depth) < 3:
                await sim.step(10)
                await sim.trade(SYMBOL, 'BUY', '0.5')
                await sim.flush()
                async with asyncio.timeout(WAIT):
                    frame = json.loads((await book.receive()).data)
                assert frame['stream'] == streams
                depth.append(frame['data'])
            for event in depth:
                assert set(event) == {'e', 'E', 'T', 's', 'U', 'u', 'pu', 'b', 'a'} and event['pu'] == event['U'] - 1
            for before, after in itertools.pairwise(depth):
                assert after['pu'] == before['u']  # Binance futures: each event's pu is the previous event's u
            seen: dict[str, dict[str, Any]] = {}
            while len(seen) < 3:
                async with asyncio.timeout(WAIT):
                    frame = json.loads((await flow.receive()).data)
                seen.setdefault(frame['stream'], frame['data'])
            agg = seen[f'{SYMBOL.lower()}@aggTrade']
            assert set(agg) == {'e', 'E', 's', 'a', 'p', 'q', 'nq', 'f', 'l', 'T', 'm'} and agg['e'] == 'aggTrade'
            for name in ('markPrice@1s', 'markPrice'):
                mark = seen[f'{SYMBOL.lower()}@{name}']
                assert set(mark) == {'e', 'E', 's', 'p', 'ap', 'i', 'P', 'r', 'T'} and mark['e'] == 'markPriceUpdate'
                assert mark['r'] == '0.00010000' and mark['T'] % (8 * 3_600_000) == 0
        info = await um.rest('GET', '/fapi/v1/exchangeInfo', signed=False)
        (symbol,) = info['symbols']
        assert (symbol['symbol'], symbol['contractType'], symbol['marginAsset'], symbol['pricePrecision']) == (
            SYMBOL,
            'PERPETUAL',
            'USDT',
            1,
        )


async def test_the_sdk_trades_the_simulated_perpetual_as_a_user_would() -> None:
    """What the demo shows, through UMFuturesClient: leverage, a MARKET open and a reduce-only close, the user
    events reaching the futures handler bases over the listenKey flow, and the position."""
    from binance import (
        Credentials,
        FuturesAccountUpdateHandlerBase,
        FuturesOrderUpdateHandlerBase,
        SubType,
        UMFuturesClient,
    )

    async with asyncio.timeout(20):
        rules = {'price': '30000.0', 'tick_size': '0.1', 'step_size': '0.001', 'level_qty': '1'}
        async with SimulatedExchange('usdm', {SYMBOL: rules}, seed=3, tick=0.01, paused=True) as sim:
            sim.add_key(KEY, secret=SECRET)
            await sim.fund(KEY, 'USDT', '10000')
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

            async def until(n_accounts: int) -> None:
                while len(events('ACCOUNT_UPDATE')) < n_accounts:
                    await asyncio.sleep(0.005)

            async with UMFuturesClient(Credentials(KEY, api_secret=SECRET), **sim.client_kwargs()) as um:
                um.handler(Orders(), Accounts())
                await um.subscribe((SubType.USER,))
                assert (await um.set_leverage(symbol=SYMBOL, leverage=5))['leverage'] == 5
                ack = await um.create_order(symbol=SYMBOL, side='BUY', type='MARKET', quantity='0.010')
                assert ack['status'] == 'NEW' and 'avgPrice' not in ack
                await until(1)
                (risk,) = await um.get_position_risk(symbol=SYMBOL)
                assert (risk['positionAmt'], risk['entryPrice']) == ('0.010', '30000.10000000')
                (row,) = await um.get_position(symbol=SYMBOL)
                assert (row['leverage'], row['positionAmt']) == ('5', '0.010')
                await um.create_order(symbol=SYMBOL, side='SELL', type='MARKET', quantity='0.010', reduceOnly='true')
                await until(2)
                assert await um.get_position_risk(symbol=SYMBOL) == []
                fills = [e['o'] for e in events('ORDER_TRADE_UPDATE') if e['o']['x'] == 'TRADE']
                assert [(o['S'], o['R']) for o in fills] == [('BUY', False), ('SELL', True)]
                best_bid = D('29999.9')
                assert D(fills[1]['rp']) == D('0.010') * (best_bid - D('30000.1'))
                assert events('ACCOUNT_UPDATE')[-1]['a']['P'][0]['pa'] == '0'


async def test_algo_orders_are_refused_not_silently_accepted_by_the_simulation():
    """The simulated exchange does not run conditional orders: it says so instead of answering ``{}``."""
    from binance import Credentials, StreamSubscribeException, UMFuturesClient
    from binance_testing import SimulatedExchange

    async with SimulatedExchange('usdm', {'BTCUSDT': '30000.0'}, seed=1, paused=True) as sim:
        sim.add_key('k', secret='s')
        async with UMFuturesClient(Credentials('k', api_secret='s'), **sim.client_kwargs()) as um:
            with pytest.raises(StreamSubscribeException, match='not simulated'):
                async with asyncio.timeout(5):
                    await um.create_algo_order(
                        algoType='CONDITIONAL',
                        symbol='BTCUSDT',
                        side='SELL',
                        type='STOP_MARKET',
                        triggerPrice='29000',
                        quantity='0.010',
                    )
