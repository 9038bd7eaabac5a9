"""An example of testing your own strategy: a tiny dip buyer trades against the simulated exchange."""

import asyncio
from decimal import Decimal

from binance import BookTickerHandlerBase, Credentials, OrderUpdateHandlerBase, SpotClient, SubType


class DipBuyer:
    """Buys `qty` at market once the best ask drops below `below`, then offers it at `take_profit`."""

    def __init__(self, client, symbol, below, qty, take_profit):
        self.client, self.order = client, {'symbol': symbol, 'quantity': qty}
        self.below, self.target = Decimal(below), take_profit
        self.bought, self.offered, self.sold = asyncio.Event(), asyncio.Event(), asyncio.Event()

    async def on_book_ticker(self, ticker):
        if Decimal(ticker['a']) < self.below and not self.bought.is_set():
            self.bought.set()
            await self.client.create_order(**self.order, side='BUY', type='MARKET')

    async def on_order_update(self, report):
        if report['X'] == 'FILLED' and report['S'] == 'BUY':
            await self.client.create_order(
                **self.order, side='SELL', type='LIMIT', timeInForce='GTC', price=self.target
            )
            self.offered.set()
        elif report['X'] == 'FILLED':
            self.sold.set()


class Prices(BookTickerHandlerBase):
    def __init__(self, strategy):
        self.strategy = strategy

    async def receive(self, payload):
        await self.strategy.on_book_ticker(payload)


class Orders(OrderUpdateHandlerBase):
    def __init__(self, strategy):
        self.strategy = strategy

    async def receive(self, payload):
        await self.strategy.on_order_update(payload)


async def test_the_dip_buyer_buys_the_dip_and_takes_profit(binance_simulated_exchange):
    sim = await binance_simulated_exchange('spot', {'BTCUSDT': '100.00'}, seed=1, paused=True)  # moves when told
    sim.add_key('my-key', secret='my-secret')
    await sim.fund('my-key', 'USDT', '1000')

    async with SpotClient(Credentials('my-key', api_secret='my-secret'), **sim.client_kwargs()) as spot:
        bot = DipBuyer(spot, 'BTCUSDT', below='95.00', qty='2', take_profit='105.00')
        spot.handler(Prices(bot), Orders(bot))
        await spot.subscribe((SubType.BOOK_TICKER, 'BTCUSDT'), (SubType.USER,))

        async with asyncio.timeout(5):
            await sim.set_price('BTCUSDT', '94.00')  # the dip: the bot buys, then offers at 105
            await bot.offered.wait()
            await sim.set_price('BTCUSDT', '106.00')  # the rally trades through the offer
            await bot.sold.wait()

    buy, sell = sim.orders('my-key')
    assert (buy.side, buy.status, buy.executed_qty) == ('BUY', 'FILLED', 2)
    assert (sell.side, sell.status, sell.price) == ('SELL', 'FILLED', Decimal('105'))
    balances = sim.balances('my-key')
    assert balances['BTC'].free == 0
    assert balances['USDT'].free == 1000 - buy.cum_quote_qty + 210  # bought under 95, sold 2 at 105
