"""The Spot market: hosts per environment (Binance Spot docs, "General API Information") and the
params Binance takes as text on every Spot method."""

from binance_core.specs import Hosts, MarketSpec, OrderBookSpec
from binance_spot.orderbook import SPOT_RULE

# Params Binance types STRING or ENUM in the parameter tables of the methods in endpoints.py (Spot
# web-socket-api.md): the client refuses any of them given as a number, list, dict, bool, Decimal or
# an empty string, before sending. Left out on purpose: ids and counts typed LONG/INT (`orderId`,
# `orderListId`, `cancelOrderId`, `preventedMatchId`, `fromId`, `*StrategyId`, `*StrategyType`,
# `*TrailingDelta`, `*PegOffsetValue`), DECIMALs (prices, quantities), BOOLEANs
# (`computeCommissionRates`, `omitZeroBalances`), arrays (`symbols`; `permissions`, an ENUM or an
# array), and `timeZone`: STRING, but its value is an hour offset Binance also reads from "8", so an
# int 8 is meaningful there.
SPOT_TEXT_PARAMS = frozenset(
    {
        # market data
        'symbol',
        'symbolStatus',
        'interval',
        'windowSize',
        'type',  # the order type; FULL or MINI on the ticker methods
        # orders (order.place, order.test, order.cancel, order.cancelReplace, sor.order.*)
        'side',
        'timeInForce',
        'newClientOrderId',
        'origClientOrderId',
        'newOrderRespType',
        'selfTradePreventionMode',
        'pegPriceType',
        'pegOffsetType',
        'cancelReplaceMode',
        'cancelNewClientOrderId',
        'cancelOrigClientOrderId',
        'cancelRestrictions',
        'orderRateLimitExceededMode',
        # order lists (orderList.place.oco/.oto/.otoco/.opo/.opoco, orderList.cancel)
        'listClientOrderId',
        'aboveType',
        'aboveClientOrderId',
        'aboveTimeInForce',
        'abovePegPriceType',
        'abovePegOffsetType',
        'belowType',
        'belowClientOrderId',
        'belowTimeInForce',
        'belowPegPriceType',
        'belowPegOffsetType',
        'workingType',
        'workingSide',
        'workingClientOrderId',
        'workingTimeInForce',
        'workingPegPriceType',
        'workingPegOffsetType',
        'pendingType',
        'pendingSide',
        'pendingClientOrderId',
        'pendingTimeInForce',
        'pendingPegPriceType',
        'pendingPegOffsetType',
        'pendingAboveType',
        'pendingAboveClientOrderId',
        'pendingAboveTimeInForce',
        'pendingAbovePegPriceType',
        'pendingAbovePegOffsetType',
        'pendingBelowType',
        'pendingBelowClientOrderId',
        'pendingBelowTimeInForce',
        'pendingBelowPegPriceType',
        'pendingBelowPegOffsetType',
    }
)

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
    text_params=SPOT_TEXT_PARAMS,
)
