"""The USDⓈ-M futures plugin (entry point ``binance.markets: usdm = "binance_usdm.plugin:PLUGIN"``).

Everything USDⓈ-M shares with COIN-M comes from ``binance_futures``; what differs is passed in:
REST and WS-API on ``fapi`` (``https://fapi.binance.com/fapi/...``), streams on ``fstream``, and USDⓈ-M's
optional params of the shared rows whose docs differ per market.
"""

from binance_futures.plugin import market_plugin
from binance_usdm import endpoints, streams

PLUGIN = market_plugin(endpoints, streams, name='usdm', client_name='UMFuturesClient', api='fapi', stream='fstream')
USDM = PLUGIN.market
