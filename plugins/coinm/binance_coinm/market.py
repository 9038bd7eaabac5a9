"""The COIN-M futures market: hosts per environment (Binance derivatives docs)."""

from binance_core.specs import Hosts, MarketSpec

COINM = MarketSpec(
    name='coinm',
    client_name='CMFuturesClient',
    distribution='binance-market-coinm',
    hosts={
        'live': Hosts(
            rest='https://dapi.binance.com',
            ws_api='wss://ws-dapi.binance.com/ws-dapi/v1',
            stream='wss://dstream.binance.com',
        ),
        'testnet': Hosts(
            rest='https://testnet.binancefuture.com',
            ws_api='wss://testnet.binancefuture.com/ws-dapi/v1',
            stream='wss://dstream.binancefuture.com',
        ),
        # No demo WS-API host is documented for COIN-M; see binance_usdm.market.
        'demo': Hosts(
            rest='https://demo-dapi.binance.com',
            ws_api=None,
            stream='wss://demo-dstream.binance.com',
        ),
    },
    time_endpoint='get_server_time',
    stream_message_rate=10,
)
