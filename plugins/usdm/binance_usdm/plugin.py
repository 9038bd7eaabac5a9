"""The USDⓈ-M futures plugin (entry point ``binance.markets: usdm = "binance_usdm.plugin:PLUGIN"``).

Everything USDⓈ-M shares with COIN-M comes from ``binance_futures``; what differs is passed in:
REST and WS-API on ``fapi`` (``https://fapi.binance.com/fapi/...``), streams on ``fstream``.
"""

from binance_futures.plugin import futures_plugin

PLUGIN = futures_plugin(name='usdm', client_name='UMFuturesClient', api='fapi', stream='fstream')
USDM = PLUGIN.market
