"""The Spot market: hosts per environment (Binance Spot docs, "General API Information")."""

from binance_core.specs import Hosts, MarketSpec, OrderBookSpec
from binance_spot.orderbook import SPOT_RULE

SPOT = MarketSpec(
    name='spot',
    client_name='SpotClient',
    distribution='binance-market-spot',
    hosts={
        'live': Hosts(
            rest='https://api.binance.com',
            ws_api='wss://ws-api.binance.com/ws-api/v3',
            stream='wss://stream.binance.com:9443',
        ),
        # The Spot testnet WS-API moved to the `ws-api.` subdomain in 2026.
        'testnet': Hosts(
            rest='https://testnet.binance.vision',
            ws_api='wss://ws-api.testnet.binance.vision/ws-api/v3',
            stream='wss://stream.testnet.binance.vision',
        ),
        # Demo Mode (2026-01-29): production matching with virtual balances.
        'demo': Hosts(
            rest='https://demo-api.binance.com',
            ws_api='wss://demo-ws-api.binance.com/ws-api/v3',
            stream='wss://demo-stream.binance.com:9443',
        ),
    },
    time_endpoint='get_server_time',
    # Binance "How to manage a local order book correctly" (Spot): depth snapshots up to 5000 levels.
    orderbook=OrderBookSpec(snapshot_endpoint='get_orderbook', max_limit=5000, rule=SPOT_RULE),
    stream_message_rate=5,
)
