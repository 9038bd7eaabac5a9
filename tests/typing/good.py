"""Correct use of every client, as an editor and a type checker see it (tests/test_stubs.py runs mypy on this
file and expects no error): the generated stubs (``binance/__init__.pyi``, ``binance_<market>/client.pyi``)
give each method its params."""

from decimal import Decimal

from binance import (
    CMFuturesClient,
    Credentials,
    FuturesKlineHandlerBase,
    OrderSide,
    OrderType,
    SpotClient,
    SubType,
    TimeFrame,
    TimeInForce,
    UMFuturesClient,
)


class Candles(FuturesKlineHandlerBase):
    def receive(self, payload: object) -> object:
        return super().receive(payload)


async def trade() -> None:
    creds = Credentials('KEY', api_secret='SECRET')
    async with SpotClient(creds, environment='testnet') as spot:
        await spot.create_order(
            symbol='BTCUSDT',
            side=OrderSide.BUY,
            type=OrderType.LIMIT,
            timeInForce=TimeInForce.GTC,
            quantity='0.001',
            price=Decimal('30000.00'),
        )
        await spot.get_orderbook(symbol='BTCUSDT', limit=5)
        await spot.cancel_order(symbol='BTCUSDT', origClientOrderId='my-id')  # one of orderId | origClientOrderId
        await spot.subscribe(SubType.TRADE, 'btcusdt')
        await spot.subscribe(spot.SubType.KLINE, 'btcusdt', '1m')
        await spot.get_klines(symbol='BTCUSDT', interval=TimeFrame.m1, timeZone=8)  # an int time zone, hours
        await spot.get_account(recvWindow=Decimal('5000.5'))  # Spot takes fractional milliseconds
    async with UMFuturesClient(creds) as um:
        um.handler(Candles())
        await um.get_premium_index(symbol='BTCUSDT')
        await um.create_algo_order(
            algoType='CONDITIONAL',
            symbol='BTCUSDT',
            side='SELL',
            type='STOP_MARKET',
            triggerPrice='29000',
            quantity='0.01',
        )
        await um.get_order(symbol='BTCUSDT', orderId=42, extra_params={'newParam': 'x'})
    async with CMFuturesClient(creds) as cm:
        await cm.get_open_interest_hist(pair='BTCUSD', period='1h')
        await cm.get_position_risk(pair='BTCUSD')
        await cm.create_order(symbol='BTCUSD_PERP', side='BUY', type='MARKET', quantity=1)  # whole contracts
        await cm.subscribe(SubType.INDEX_PRICE, 'BTCUSD')
