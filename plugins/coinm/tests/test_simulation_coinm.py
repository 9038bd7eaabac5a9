"""The simulated COIN-M exchange on 127.0.0.1 (``BTCUSD_PERP``: inverse, 100 USD a contract, quantity in whole
contracts, margin and PnL in BTC), with the checks every futures market runs
(``binance_futures.suite.simulation.SimulationChecks``): a MARKET order that opens a position and a reduce-only
one that closes it, hedge mode, a resting LIMIT order, funding, the market streams, and CMFuturesClient trading it;
algo orders refused (over REST here); then what only COIN-M shows (the harmonic entry of a position grown at two
prices, the v1 account answers, the pair and margin-asset filters).

COIN-M's wire (Binance COIN-M docs as generated into ``binance/binance-connector-python``
``derivatives_trading_coin_futures`` 13.1.0; FUTURES-API.md §2, §4): ``/dapi``; streams on ``/ws`` and ``/stream``
(no URL split); user data at ``/ws/<listenKey>``; v1 ``account.status`` and ``account.balance``; ``/dapi/v1/
positionRisk`` by ``pair`` or ``marginAsset`` (flat symbols listed); ``cumBase``; ``pair`` / ``ps`` fields; the
account alias ``i`` and the margin asset ``ma`` on user events; no ``nq``, ``ap``, ``si``, ``ss``, ``gtd``.

The numbers are inverse, computed by hand (8 places, as Binance prints them): a contract is 100 USD, so 1 contract
at 30000.1 is worth 100 / 30000.1 = 0.00333332 BTC; closing it at 30099.9 realizes
100 x (1/30000.1 - 1/30099.9) = 0.0000110528... = 0.00001105 BTC.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal as D

import pytest

from binance import CMFuturesClient, StatusException
from binance_futures.suite.simulation import Raw, SimulationChecks, field_table
from binance_testing import SimulatedExchange

SYMBOL, PAIR = 'BTCUSD_PERP', 'BTCUSD'

# Whole contracts (step 1, the COIN-M default); levels of 40 to 400 contracts, so each order fills at one price.
RULES = {'price': '30000.0', 'tick_size': '0.1', 'level_qty': '200'}
# COIN-M payloads (binance-connector-python derivatives_trading_coin_futures 13.1.0 models): `pair` on acks, `ps`
# (the pair) on depth, no `nq` on aggTrade, no `ap` on markPrice; v1 position rows with notionalValue.
FORMATS = """
ack          orderId symbol pair status clientOrderId price origQty executedQty cumQty timeInForce type
             reduceOnly closePosition side positionSide stopPrice workingType priceProtect origType priceMatch
             selfTradePreventionMode updateTime             # no avgPrice, cumBase since 2026-07-15
leverage     leverage maxQty symbol
depthUpdate  e E T s ps U u pu b a
aggTrade     e E a s p q f l T m
markPriceUpdate  e E s p P i r T
positionRisk symbol positionAmt entryPrice breakEvenPrice markPrice unRealizedProfit liquidationPrice leverage
             maxQty marginType isolatedMargin isAutoAddMargin positionSide notionalValue isolatedWallet updateTime
"""


class TestCoinmSimulation(SimulationChecks):
    market, client, rest_root = 'coinm', CMFuturesClient, '/dapi'
    symbol, pair, margin_asset, funds = SYMBOL, PAIR, 'BTC', '1'
    rules = RULES
    # dstream kept its paths: user data on the raw /ws/<listenKey> (bare events), market streams on /stream.
    user_stream, book_streams = '/ws/{key}', '/stream?streams='
    market_streams = book_streams
    # ws-dapi has v1 account methods only and no algo method (algo orders are REST); v1 position risk filters by
    # pair or margin asset and lists flat symbols too.
    account_method, balance_method, algo_error = 'account.status', 'account.balance', StatusException
    position_risk, position_filter, risk_lists_flat = '/v1/positionRisk', {'pair': PAIR}, True

    # Formats (CM models, 13.1.0): the margin asset `ma` on ORDER_TRADE_UPDATE, the account alias `i` on events.
    formats = FORMATS
    order_update_extra, event_extra = {'ma': 'BTC'}, {'i': 'Sim0001'}

    # Inverse numbers, by hand (BTC, 8 places): a contract is 100 USD, worth 100 / price BTC; PnL of q contracts
    # from entry to exit is q x 100 x (1/entry - 1/exit).
    qty, hedge_qty, cum_field = '1', ('5', '2'), 'cumBase'
    open_value = '0.00333332'  # 100 / 30000.1 = 0.0033333222...
    # At the mark 30000.0 after buying at 30000.1, leverage 10: 100 x (1/30000.1 - 1/30000.0) = -0.0000000111...;
    # 100 / 30000.0 = 0.00333333, / 10.
    open_unrealized, open_initial_margin = '-0.00000001', '0.00033333'
    # Sold at 30099.9: 100 x (1/30000.1 - 1/30099.9) = 0.0000110528...; at 29999.9: -0.0000000222...
    close_realized, round_trip_realized = '0.00001105', '-0.00000002'
    # A BUY of 10 contracts resting at 29000: 1000 / 29000 = 0.0344827586... BTC open, / 20 of margin; funding of a
    # 30-contract short at 30000 (0.1 BTC) x 0.0001.
    rest_qty, rest_bid_notional, rest_order_margin = '10', '0.03448276', '0.00172414'
    funding_qty, funding_fee = '30', '0.00001000'

    async def test_a_position_grown_at_two_prices_has_the_harmonic_entry_and_realizes_btc(self, raw: Raw) -> None:
        """Inverse math over the wire: 1 contract at 30000.1 and 3 at 30100.1 enter at the contract-weighted
        harmonic mean 4 / (1/30000.1 + 3/30100.1) = 30075.0375522...; closing 2 of them at 30199.9 realizes
        2 x 100 x (1/30075.03755225 - 1/30199.9) = 0.00002749 BTC."""
        async with asyncio.timeout(20):
            sim = raw.sim
            await raw.signed('order.place', symbol=SYMBOL, side='BUY', type='MARKET', quantity='1')
            await raw.events_until_account_update()
            await sim.set_price(SYMBOL, '30100.0')
            await raw.signed('order.place', symbol=SYMBOL, side='BUY', type='MARKET', quantity='3')
            events = await raw.events_until_account_update()
            assert [e['o']['L'] for e in events if e['e'] == 'ORDER_TRADE_UPDATE' and e['o']['x'] == 'TRADE'] == [
                '30100.1'
            ]
            (position,) = events[-1]['a']['P']
            assert (position['pa'], position['ep']) == ('4', '30075.03755225')
            (risk,) = await raw.position_rows(pair=PAIR)
            assert set(risk) == field_table(FORMATS)['positionRisk']
            # At the mark 30100.0: notional 4 x 100 / 30100 = 0.01328904 BTC; unrealized
            # 400 x (1/30075.03755225 - 1/30100.0) = 0.00001103 BTC.
            assert (risk['positionAmt'], risk['notionalValue'], risk['unRealizedProfit']) == (
                '4',
                '0.01328904',
                '0.00001103',
            )
            await sim.set_price(SYMBOL, '30200.0')
            await raw.signed('order.place', symbol=SYMBOL, side='SELL', type='MARKET', quantity='2', reduceOnly='true')
            events = await raw.events_until_account_update()
            (fill,) = [e['o'] for e in events if e['e'] == 'ORDER_TRADE_UPDATE' and e['o']['x'] == 'TRADE']
            assert (fill['L'], fill['rp'], fill['ma'], fill['N']) == ('30199.9', '0.00002749', 'BTC', 'BTC')
            (position,) = events[-1]['a']['P']
            assert (position['pa'], position['ep'], position['cr']) == ('2', '30075.03755225', '0.00002749')
            assert events[-1]['a']['B'] == [{'a': 'BTC', 'wb': '1.00002749', 'cw': '1.00002749', 'bc': '0.00000000'}]
            trades = await raw.rest('GET', '/v1/userTrades', pair=PAIR)
            # baseQty: each fill's value in BTC: 100 / 30000.1, 300 / 30100.1, 200 / 30199.9.
            assert [(t['qty'], t['baseQty'], t['marginAsset'], t['pair']) for t in trades] == [
                ('1', '0.00333332', 'BTC', PAIR),
                ('3', '0.00996674', 'BTC', PAIR),
                ('2', '0.00662254', 'BTC', PAIR),
            ]

    async def test_v1_account_balance_and_the_pair_and_margin_asset_filters(self, raw: Raw) -> None:
        """COIN-M only: the v1 account answers (no totals; withdrawAvailable), positionRisk by marginAsset, and
        queries by pair; the premium index is always a list."""
        async with asyncio.timeout(20):
            await raw.signed('order.place', symbol=SYMBOL, side='SELL', type='MARKET', quantity='3')
            await raw.events_until_account_update()
            account = await raw.signed('account.status')
            assert set(account) == {
                'feeTier',
                'canTrade',
                'canDeposit',
                'canWithdraw',
                'updateTime',
                'assets',
                'positions',
            }
            (position,) = account['positions']
            # 3 x 100 / 30000.0 = 0.01 BTC short: initial margin at leverage 20 is 0.0005 BTC.
            assert (position['positionAmt'], position['notionalValue'], position['positionInitialMargin']) == (
                '-3',
                '-0.01000000',
                '0.00050000',
            )
            assert position['isolated'] is False
            (balance,) = await raw.signed('account.balance')
            assert (balance['accountAlias'], balance['asset'], balance['balance']) == ('Sim0001', 'BTC', '1.00000000')
            assert set(balance) == {
                'accountAlias',
                'asset',
                'balance',
                'withdrawAvailable',
                'crossWalletBalance',
                'crossUnPnl',
                'availableBalance',
                'updateTime',
            }
            assert await raw.rest('GET', '/v1/balance') == [balance]
            assert [r['positionAmt'] for r in await raw.position_rows(marginAsset='BTC')] == ['-3']
            assert await raw.position_rows(marginAsset='USDT') == []
            assert [o['side'] for o in await raw.rest('GET', '/v1/allOrders', pair=PAIR)] == ['SELL']
            (premium,) = await raw.rest('GET', '/v1/premiumIndex', signed=False, pair=PAIR)
            assert (premium['symbol'], premium['pair']) == (SYMBOL, PAIR)
            assert await raw.rest('GET', '/v1/fundingRate', signed=False, symbol=SYMBOL) == []  # nothing paid yet
            (ticker,) = await raw.rest('GET', '/v1/ticker/price', signed=False, pair=PAIR)
            assert (ticker['symbol'], ticker['ps']) == (SYMBOL, PAIR)
            # COIN-M's tickers are lists even for one symbol (its connector's response models are arrays).
            for path in ('/v1/ticker/price', '/v1/ticker/bookTicker'):
                (one,) = await raw.rest('GET', path, signed=False, symbol=SYMBOL)
                assert one['symbol'] == SYMBOL, path
            # What the simulation does not simulate is refused, never answered with a silent {}.
            for path in ('/v1/ticker/24hr', '/v1/openInterest'):
                refused = await raw.rest('GET', path, signed=False, status=400, symbol=SYMBOL)
                assert 'not simulated' in refused['msg'], path
            depth = await raw.rest('GET', '/v1/depth', signed=False, symbol=SYMBOL, limit=5)
            assert (depth['symbol'], depth['pair'], len(depth['bids'])) == (SYMBOL, PAIR, 5)
            info = await raw.rest('GET', '/v1/exchangeInfo', signed=False)
            (entry,) = info['symbols']
            assert (entry['contractSize'], entry['contractStatus'], entry['quantityPrecision']) == (100, 'TRADING', 0)

    async def test_ws_dapi_has_no_v2_account_methods(self, raw: Raw) -> None:
        async with asyncio.timeout(20):
            for method in ('v2/account.status', 'v2/account.balance', 'depth'):
                reply = await raw.call(method)
                assert reply['status'] != 200, (method, reply)


def test_contract_names_become_inverse_contracts_of_their_coin() -> None:
    """``BTCUSD_PERP`` is 100 USD a contract, any other coin 10 USD (Binance COIN-M); a given size or step stays."""
    sim = SimulatedExchange('coinm', ['BTCUSD_PERP', 'ETHUSD_PERP'], paused=True)
    btc, eth = (sim.simulation.markets[s].rules for s in ('BTCUSD_PERP', 'ETHUSD_PERP'))
    assert [(r.base, r.quote, getattr(r, 'contract_size', None), r.step_size) for r in (btc, eth)] == [
        ('BTC', 'USD', D(100), D(1)),
        ('ETH', 'USD', D(10), D(1)),
    ]
    own = SimulatedExchange('coinm', {'BTCUSD_PERP': {'price': '30000.0', 'contract_size': '10'}}, paused=True)
    assert getattr(own.simulation.markets['BTCUSD_PERP'].rules, 'contract_size', None) == D(10)
    with pytest.raises(ValueError, match='base and quote'):
        SimulatedExchange('coinm', 'NOSUCHTHING_PERP', paused=True)
