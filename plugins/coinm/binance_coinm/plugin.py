"""The COIN-M futures plugin (entry point ``binance.markets: coinm = "binance_coinm.plugin:PLUGIN"``).

Everything COIN-M shares with USDⓈ-M comes from ``binance_futures``; what differs is passed in:
REST and WS-API on ``dapi`` (``https://dapi.binance.com/dapi/...``), streams on ``dstream``
(COIN-M did not split its stream URLs).
"""

from binance_coinm import endpoints, streams
from binance_futures.plugin import MarketRows, futures_plugin

OWN = MarketRows(endpoints=endpoints.ENDPOINTS, stream_types=streams.STREAM_TYPES, handler_bases=streams.HANDLER_BASES)
PLUGIN = futures_plugin(name='coinm', client_name='CMFuturesClient', api='dapi', stream='dstream', own=OWN)
COINM = PLUGIN.market
