"""The USDⓈ-M futures plugin (entry point ``binance.markets: usdm = "binance_usdm.plugin:PLUGIN"``): what
differs from COIN-M (names, host labels, REST root) passed to the shared futures factories."""

from binance_futures.endpoints import general_endpoints
from binance_futures.market import futures_hosts, futures_market
from binance_futures.plugin import FuturesPlugin

USDM = futures_market(
    name='usdm',
    client_name='UMFuturesClient',
    distribution='binance-market-usdm',
    hosts=futures_hosts(api='fapi', stream='fstream'),
)
ENDPOINTS = general_endpoints('/fapi')

PLUGIN = FuturesPlugin(market=USDM, endpoints=ENDPOINTS)
