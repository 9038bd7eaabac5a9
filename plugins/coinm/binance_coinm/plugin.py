"""The COIN-M futures plugin (entry point ``binance.markets: coinm = "binance_coinm.plugin:PLUGIN"``).

Everything COIN-M shares with USDⓈ-M comes from ``binance_futures``; what differs is passed in:
REST and WS-API on ``dapi`` (``https://dapi.binance.com/dapi/...``), streams on ``dstream``
(COIN-M did not split its stream URLs), COIN-M's optional params of the shared rows whose docs differ per
market, and no ``session.logon`` on its WS-API.
"""

from binance_coinm import endpoints, streams
from binance_futures.plugin import market_plugin

# No `session.logon` on ws-dapi: USDⓈ-M's WS-API documents it (UM-WSAPI), COIN-M's documents no session method
# (OFF-CM's WS-API has order.*, account.*, userDataStream.* only), so Ed25519 keys sign every request there.
PLUGIN = market_plugin(
    endpoints, streams, name='coinm', client_name='CMFuturesClient', api='dapi', stream='dstream', session_logon=False
)
COINM = PLUGIN.market
