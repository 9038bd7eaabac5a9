"""The Spot market: hosts per environment (Binance Spot docs, "General API Information"), the
params Binance takes as text on every Spot method and the kinds of the params only Spot names."""

from binance_core.paramkinds import Kind
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

_T, _E, _I, _D, _B = Kind.TEXT, Kind.ENUM, Kind.INT, Kind.DECIMAL, Kind.BOOL

# Kinds of the params the rows in endpoints.py declare that binance_core.paramkinds.KINDS does not name, from
# the parameter tables of web-socket-api.md (as Binance's generated Spot connector types them). Each order-list
# leg (above/below of an OCO, the working and pending orders of OTO/OPO, the pending above/below pair of
# OTOCO/OPOCO) takes the kind of the order.place param it prefixes. Two typings of the connector are not
# followed: `aboveIcebergQty`/`belowIcebergQty` as integers (they are quantities, DECIMAL like `icebergQty`) and
# `pending*TrailingDelta` as decimals (they are BIPS, LONG like `trailingDelta`). Not formatted: a table.
# fmt: off
SPOT_PARAM_KINDS = {
    # market data and account queries
    'showPermissionSets': _B, 'windowSize': _E, 'fromAllocationId': _I, 'fromExecutionId': _I,
    # order.amend.keepPriority
    'newQty': _D,
    # orderList.place.oco: the above and below legs
    'aboveType': _E, 'aboveClientOrderId': _T, 'aboveIcebergQty': _D, 'abovePrice': _D, 'aboveStopPrice': _D,
    'aboveTrailingDelta': _I, 'aboveTimeInForce': _E, 'aboveStrategyId': _I, 'aboveStrategyType': _I,
    'abovePegPriceType': _E, 'abovePegOffsetType': _E, 'abovePegOffsetValue': _I,
    'belowType': _E, 'belowClientOrderId': _T, 'belowIcebergQty': _D, 'belowPrice': _D, 'belowStopPrice': _D,
    'belowTrailingDelta': _I, 'belowTimeInForce': _E, 'belowStrategyId': _I, 'belowStrategyType': _I,
    'belowPegPriceType': _E, 'belowPegOffsetType': _E, 'belowPegOffsetValue': _I,
    # OTO, OTOCO, OPO, OPOCO: the working order (`workingType` is in KINDS, an ENUM there too)
    'workingSide': _E, 'workingClientOrderId': _T, 'workingPrice': _D, 'workingQuantity': _D,
    'workingIcebergQty': _D, 'workingTimeInForce': _E, 'workingStrategyId': _I, 'workingStrategyType': _I,
    'workingPegPriceType': _E, 'workingPegOffsetType': _E, 'workingPegOffsetValue': _I,
    # OTO, OPO: the pending order; OTOCO: `pendingSide`, `pendingQuantity`
    'pendingType': _E, 'pendingSide': _E, 'pendingClientOrderId': _T, 'pendingPrice': _D, 'pendingStopPrice': _D,
    'pendingTrailingDelta': _I, 'pendingQuantity': _D, 'pendingIcebergQty': _D, 'pendingTimeInForce': _E,
    'pendingStrategyId': _I, 'pendingStrategyType': _I, 'pendingPegPriceType': _E, 'pendingPegOffsetType': _E,
    'pendingPegOffsetValue': _I,
    # OTOCO, OPOCO: the pending above and below orders
    'pendingAboveType': _E, 'pendingAboveClientOrderId': _T, 'pendingAbovePrice': _D, 'pendingAboveStopPrice': _D,
    'pendingAboveTrailingDelta': _I, 'pendingAboveIcebergQty': _D, 'pendingAboveTimeInForce': _E,
    'pendingAboveStrategyId': _I, 'pendingAboveStrategyType': _I, 'pendingAbovePegPriceType': _E,
    'pendingAbovePegOffsetType': _E, 'pendingAbovePegOffsetValue': _I,
    'pendingBelowType': _E, 'pendingBelowClientOrderId': _T, 'pendingBelowPrice': _D, 'pendingBelowStopPrice': _D,
    'pendingBelowTrailingDelta': _I, 'pendingBelowIcebergQty': _D, 'pendingBelowTimeInForce': _E,
    'pendingBelowStrategyId': _I, 'pendingBelowStrategyType': _I, 'pendingBelowPegPriceType': _E,
    'pendingBelowPegOffsetType': _E, 'pendingBelowPegOffsetValue': _I,
}
# fmt: on

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
    param_kinds=SPOT_PARAM_KINDS,
)
