"""Managed order books on USDⓈ-M against the loopback fake exchange, with the checks every futures market runs
(``binance_futures.suite.orderbook.OrderBookChecks``): a true book kept by the test publishes futures diff events
(``U``, ``u``, ``pu``) on ``/public`` and serves REST ``/fapi/v1/depth`` snapshots; the ``pu`` chain rule in use, a
``pu`` break and a reconnect recover to the true book, the book is never ready while wrong, and a book whose
stream is confirmed is ready on a snapshot taken after the confirmation, also a stand-alone
``OrderBook(symbol, client=um)``.

Binance UM "How to manage a local order book correctly" (FUTURES-API.md §5)."""

from decimal import Decimal

from binance import UMFuturesClient
from binance_futures.suite.orderbook import OrderBookChecks

MIDS = {'BTCUSDT': Decimal('30000'), 'ETHUSDT': Decimal('1800')}


class TestUsdmOrderBook(OrderBookChecks):
    market, client = 'usdm', UMFuturesClient
    symbol, other_symbol = 'BTCUSDT', 'ETHUSDT'
    mids = MIDS
    depth = 'GET /fapi/v1/depth'
    book_url = '/public/stream'  # WSN: depth streams ride /public
