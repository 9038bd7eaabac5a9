"""The USDⓈ-M futures plugin (entry point ``binance.markets: usdm = "binance_usdm.plugin:PLUGIN"``).

Everything USDⓈ-M shares with COIN-M comes from ``binance_futures``; what differs is passed in:
REST and WS-API on ``fapi`` (``https://fapi.binance.com/fapi/...``), streams on ``fstream``, and USDⓈ-M's
optional params of the shared rows whose docs differ per market.
"""

from binance_futures.plugin import MarketRows, futures_plugin
from binance_usdm import endpoints, streams

OWN = MarketRows(endpoints=endpoints.ENDPOINTS, stream_types=streams.STREAM_TYPES, handler_bases=streams.HANDLER_BASES)
PLUGIN = futures_plugin(
    name='usdm',
    client_name='UMFuturesClient',
    api='fapi',
    stream='fstream',
    own=OWN,
    shared_optional=endpoints.SHARED_OPTIONAL,
)
USDM = PLUGIN.market
