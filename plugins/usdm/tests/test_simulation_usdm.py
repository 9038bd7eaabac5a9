"""The simulated USDⓈ-M exchange on 127.0.0.1 (``BTCUSDT``, linear: quantity in BTC, margin and PnL in USDT), with
the checks every futures market runs (``binance_futures.suite.simulation.SimulationChecks``): a MARKET order that
opens a position and a reduce-only one that closes it, hedge mode, a resting LIMIT order, funding, the market
streams, UMFuturesClient trading it, algo orders refused (over the WS-API here); then what only USDⓈ-M shows (v3
position risk, v2 account totals, the mark price on the funding history).

USDⓈ-M's wire (Binance USDⓈ-M docs as generated into ``binance/binance-connector-python``
``derivatives_trading_usds_futures`` 17.2.0): ``/fapi``; streams split into ``/public`` (depth) and ``/market``;
user data at ``/private/ws?listenKey=``; ``v2/account.status``, ``v2/account.balance``; ``/fapi/v3/positionRisk``
(held symbols only); ``nq`` on aggTrade, ``ap`` on markPrice; ``si``, ``ss``, ``gtd`` on ORDER_TRADE_UPDATE.
The numbers are linear: PnL = qty x (exit - entry), notional = qty x price.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal as D

import pytest

from binance import StreamSubscribeException, UMFuturesClient
from binance_futures.suite.simulation import Raw, SimulationChecks, field_table

SYMBOL = 'BTCUSDT'

RULES = {'price': '30000.0', 'tick_size': '0.1', 'step_size': '0.001', 'level_qty': '1'}
# USDⓈ-M payloads (binance-connector-python derivatives_trading_usds_futures 17.2.0 models).
FORMATS = """
ack              orderId symbol status clientOrderId price origQty executedQty cumQty timeInForce type reduceOnly
                 closePosition side positionSide stopPrice workingType priceProtect origType priceMatch
                 selfTradePreventionMode goodTillDate updateTime   # no avgPrice, cumQuote since 2026-07-15
leverage         leverage maxNotionalValue symbol
depthUpdate      e E T s U u pu b a
aggTrade         e E s a p q nq f l T m                            # nq since 2025-12-29
markPriceUpdate  e E s p ap i P r T                                # ap since 2026-03
positionRisk.v3  symbol positionSide positionAmt entryPrice breakEvenPrice markPrice unRealizedProfit
                 liquidationPrice isolatedMargin notional marginAsset isolatedWallet initialMargin maintMargin
                 positionInitialMargin openOrderInitialMargin adl bidNotional askNotional updateTime
"""


class TestUsdmSimulation(SimulationChecks):
    market, client, rest_root = 'usdm', UMFuturesClient, '/fapi'
    symbol, pair, margin_asset, funds = SYMBOL, SYMBOL, 'USDT', '10000'
    rules = RULES
    # The 2026 URL split: user data on /private, depth on /public, every other market stream on /market.
    user_stream, book_streams = '/private/ws?listenKey={key}', '/public/stream?streams='
    market_streams = '/market/stream?streams='
    # ws-fapi's v2 account answers (with totals); v3 position risk lists only held symbols; algo orders over WS.
    account_method, balance_method, algo_error = 'v2/account.status', 'v2/account.balance', StreamSubscribeException
    position_risk, position_filter, risk_lists_flat = '/v3/positionRisk', {'symbol': SYMBOL}, False

    # Formats (UM models, 17.2.0): strategy ids and goodTillDate on ORDER_TRADE_UPDATE; no account alias on events.
    formats = FORMATS
    order_update_extra, event_extra = {'si': 0, 'ss': 0, 'gtd': 0}, {}

    # Linear numbers, by hand: PnL = qty x (exit - entry), value = qty x price, in USDT.
    qty, hedge_qty, cum_field = '0.010', ('0.005', '0.002'), 'cumQuote'
    open_value = '300.00100000'  # 0.010 x 30000.1
    # At the mark 30000.0 after buying at 30000.1, leverage 10: 0.010 x -0.1; 0.010 x 30000.0 / 10.
    open_unrealized, open_initial_margin = '-0.00100000', '30.00000000'
    # Sold at 30099.9: 0.010 x 99.8; at 29999.9: 0.010 x -0.2.
    close_realized, round_trip_realized = '0.99800000', '-0.00200000'
    # A BUY of 0.010 resting at 29000: 290 USDT open, 290 / 20 of margin; funding of a 0.1 short at 30000 x 0.0001.
    rest_qty, rest_bid_notional, rest_order_margin = '0.010', '290', '14.50000000'
    funding_qty, funding_fee = '0.100', '0.30000000'

    async def test_v3_position_risk_and_v2_account_totals(self, raw: Raw) -> None:
        """USDⓈ-M only: the v3 position-risk row (margins and open notional), the v2 account's totals."""
        async with asyncio.timeout(20):
            await raw.signed('order.place', symbol=SYMBOL, side='BUY', type='MARKET', quantity='0.010')
            await raw.events_until_account_update()
            await raw.signed(
                'order.place', symbol=SYMBOL, side='BUY', type='LIMIT', timeInForce='GTC', price='29000.0',
                quantity='0.010',
            )  # fmt: skip
            (risk,) = await raw.rest('GET', '/v3/positionRisk', symbol=SYMBOL)
            assert set(risk) == field_table(FORMATS)['positionRisk.v3']
            assert (risk['positionInitialMargin'], risk['openOrderInitialMargin'], risk['bidNotional']) == (
                '15.00000000',  # 0.010 x 30000.0 / 20
                '14.50000000',  # 0.010 x 29000 / 20
                '290.00000000',
            )
            assert (risk['notional'], risk['marginAsset'], risk['adl']) == ('300.00000000', 'USDT', 0)
            status = await raw.signed('v2/account.status')
            assert (status['totalWalletBalance'], status['totalPositionInitialMargin']) == (
                '10000.00000000',
                '15.00000000',
            )
            assert status['totalOpenOrderInitialMargin'] == '14.50000000'
            (v2,) = await raw.rest('GET', '/v2/positionRisk', symbol=SYMBOL)  # v1/v2 shapes list every symbol
            assert (v2['positionAmt'], v2['maxNotionalValue'], v2['notional']) == (
                '0.010',
                '1000000000',
                '300.00000000',
            )

    async def test_an_open_order_alone_shows_its_symbol_in_v3_position_risk(self, raw: Raw) -> None:
        async with asyncio.timeout(20):
            assert await raw.rest('GET', '/v3/positionRisk') == []
            await raw.signed(
                'order.place', symbol=SYMBOL, side='SELL', type='LIMIT', timeInForce='GTC', price='31000.0',
                quantity='0.010',
            )  # fmt: skip
            (risk,) = await raw.rest('GET', '/v3/positionRisk')
            assert (risk['positionAmt'], risk['askNotional'], risk['bidNotional']) == (
                '0.000',
                '310.00000000',
                '0.00000000',
            )

    async def test_the_funding_history_carries_the_mark_price(self, raw: Raw) -> None:
        async with asyncio.timeout(20):
            raw.sim.simulation.set_mark_price(SYMBOL, '30000')  # type: ignore[attr-defined]
            await raw.sim.settle_funding(SYMBOL)
            (row,) = await raw.rest('GET', '/v1/fundingRate', signed=False, symbol=SYMBOL)
            assert row == {
                'symbol': SYMBOL,
                'fundingRate': '0.00010000',
                'fundingTime': row['fundingTime'],
                'markPrice': '30000.00000000',
            }
            premium = await raw.rest('GET', '/v1/premiumIndex', signed=False, symbol=SYMBOL)
            assert isinstance(premium, dict) and 'pair' not in premium  # one object for a symbol, no pair


def test_usdm_contracts_are_linear() -> None:
    from binance_testing import SimulatedExchange

    sim = SimulatedExchange('usdm', {SYMBOL: '30000.0'}, paused=True)
    rules = sim.simulation.markets[SYMBOL].rules
    assert (getattr(rules, 'contract_size', 'missing'), rules.quote, rules.step_size) == (None, 'USDT', D('0.001'))
    with pytest.raises(ValueError, match='linear'):
        SimulatedExchange('usdm', {SYMBOL: {'price': '30000.0', 'contract_size': '100'}}, paused=True)
