"""Managed order books on COIN-M against the loopback fake exchange, with the checks every futures market runs
(``binance_futures.suite.orderbook.OrderBookChecks``): a true book of ``BTCUSD_PERP`` kept by the test publishes
futures diff events (``U``, ``u``, ``pu``, and COIN-M's ``ps``) on dstream's one ``/stream`` path and serves REST
``/dapi/v1/depth`` snapshots; the ``pu`` chain rule in use, a ``pu`` break and a reconnect recover to the true
book, the book is never ready while wrong, and a book whose stream is confirmed is ready on a snapshot taken after
the confirmation, also a stand-alone ``OrderBook('BTCUSD_PERP', client=cm)``.

Binance CM "How to manage a local order book correctly" (CM-OB; FUTURES-API.md §5): the same procedure as USDⓈ-M
on COIN-M's host and paths."""

from decimal import Decimal

from binance import CMFuturesClient
from binance_futures.suite.orderbook import OrderBookChecks

MIDS = {'BTCUSD_PERP': Decimal('64000'), 'ETHUSD_PERP': Decimal('3100')}
# CM-MS "Diff. Book Depth Streams" events carry the pair `ps`; the REST "Order Book" answer names the contract and
# its pair.
FIELDS = {
    'BTCUSD_PERP': ({'ps': 'BTCUSD'}, {'symbol': 'BTCUSD_PERP', 'pair': 'BTCUSD'}),
    'ETHUSD_PERP': ({'ps': 'ETHUSD'}, {'symbol': 'ETHUSD_PERP', 'pair': 'ETHUSD'}),
}


class TestCoinmOrderBook(OrderBookChecks):
    market, client = 'coinm', CMFuturesClient
    symbol, other_symbol = 'BTCUSD_PERP', 'ETHUSD_PERP'
    mids = MIDS
    depth = 'GET /dapi/v1/depth'
    book_url = '/stream'
    fields = FIELDS
