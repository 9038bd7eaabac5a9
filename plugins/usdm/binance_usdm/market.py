"""The USDⓈ-M futures market: hosts per environment (Binance derivatives docs)."""

from binance_core.specs import Hosts, MarketSpec

USDM = MarketSpec(
    name='usdm',
    client_name='UMFuturesClient',
    distribution='binance-market-usdm',
    hosts={
        'live': Hosts(
            rest='https://fapi.binance.com',
            ws_api='wss://ws-fapi.binance.com/ws-fapi/v1',
            stream='wss://fstream.binance.com',
        ),
        'testnet': Hosts(
            rest='https://testnet.binancefuture.com',
            ws_api='wss://testnet.binancefuture.com/ws-fapi/v1',
            stream='wss://fstream.binancefuture.com',
        ),
        # Demo trading for futures: REST and streams have demo hosts; no demo WS-API host is
        # documented, so none is guessed (a WS-API call on 'demo' fails with a clear error
        # unless ws_api_host= is given) rather than silently pointing at the testnet.
        'demo': Hosts(
            rest='https://demo-fapi.binance.com',
            ws_api=None,
            stream='wss://demo-fstream.binance.com',
        ),
    },
    time_endpoint='get_server_time',
    stream_message_rate=10,
)
