"""The COIN-M futures plugin (entry point ``binance.markets: coinm = "binance_coinm.plugin:PLUGIN"``): what
differs from USDⓈ-M (names, host labels, REST root) passed to the shared futures factories."""

from binance_futures.endpoints import general_endpoints
from binance_futures.market import futures_hosts, futures_market
from binance_futures.plugin import FuturesPlugin

COINM = futures_market(
    name='coinm',
    client_name='CMFuturesClient',
    distribution='binance-market-coinm',
    hosts=futures_hosts(api='dapi', stream='dstream'),
)
ENDPOINTS = general_endpoints('/dapi')

PLUGIN = FuturesPlugin(market=COINM, endpoints=ENDPOINTS)
