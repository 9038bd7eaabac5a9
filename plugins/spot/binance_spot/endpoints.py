"""Spot WS-API methods (Binance Spot docs, web-socket-api.md), one row each: wire method,
security type, request weight (Binance's rule), required and optional params and order-count effect."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from binance_core.specs import WS, Endpoint
from binance_core.specs import SecurityType as S

__all__ = [
    'ENDPOINTS',
    'depth_weight',
    'execution_rules_weight',
    'my_prevented_matches_weight',
    'my_trades_weight',
    'open_orders_weight',
    'order_test_weight',
    'rolling_ticker_weight',
    'ticker_24hr_weight',
    'ticker_symbol_weight',
    'trading_day_ticker_weight',
]


# -- weight rules ---------------------------------------------------------------------------
# Each function gets the normalised params (``binance_core.params.normalize``): lists stay
# lists, ints stay ints, bools stay bools. The first docstring line is shown in method docs.


def _symbol_count(params: Mapping[str, Any]) -> int | None:
    """1 for ``symbol``, the list length for ``symbols``, ``None`` for neither (all symbols)."""
    if params.get('symbol') is not None:
        return 1
    symbols = params.get('symbols')
    if symbols is None:
        return None
    return len(symbols) if isinstance(symbols, list | tuple) else 1


def depth_weight(params: Mapping[str, Any]) -> int:
    """Binance `depth`: limit 1-100 -> 5, 101-500 -> 25, 501-1000 -> 50, 1001-5000 -> 250 (default 100)"""
    limit = int(params.get('limit', 100))
    if limit <= 100:
        return 5
    if limit <= 500:
        return 25
    if limit <= 1000:
        return 50
    return 250


def ticker_24hr_weight(params: Mapping[str, Any]) -> int:
    """Binance `ticker.24hr`: 1-20 symbols -> 2, 21-100 -> 40, 101 or more -> 80, all symbols -> 80"""
    n = _symbol_count(params)
    if n is None or n > 100:
        return 80
    return 2 if n <= 20 else 40


def ticker_symbol_weight(params: Mapping[str, Any]) -> int:
    """Binance `ticker.price` / `ticker.book`: `symbol` -> 2; `symbols` or none -> 4"""
    return 2 if params.get('symbol') is not None else 4


def rolling_ticker_weight(params: Mapping[str, Any]) -> int:
    """Binance `ticker`: 4 per symbol for 1-50 symbols; 51-100 symbols -> 200 (the cap)"""
    return min(4 * (_symbol_count(params) or 1), 200)


def trading_day_ticker_weight(params: Mapping[str, Any]) -> int:
    """Binance `ticker.tradingDay`: 4 per symbol, capped at 200 once more than 50 symbols are asked"""
    return min(4 * (_symbol_count(params) or 1), 200)


def execution_rules_weight(params: Mapping[str, Any]) -> int:
    """Binance `executionRules`: `symbol` -> 2; `symbols` -> 2 each, capped at 40; `symbolStatus` or none -> 40"""
    if params.get('symbolStatus') is not None:
        return 40
    n = _symbol_count(params)
    return 40 if n is None else min(2 * n, 40)


def open_orders_weight(params: Mapping[str, Any]) -> int:
    """Binance `openOrders.status`: with `symbol` -> 6; without (all symbols) -> 80"""
    return 6 if params.get('symbol') is not None else 80


def my_trades_weight(params: Mapping[str, Any]) -> int:
    """Binance `myTrades`: 20; 5 with `orderId`"""
    return 5 if params.get('orderId') is not None else 20


def my_prevented_matches_weight(params: Mapping[str, Any]) -> int:
    """Binance `myPreventedMatches`: by `orderId` -> 20; by `preventedMatchId` (or invalid symbol) -> 2"""
    return 20 if params.get('orderId') is not None else 2


def order_test_weight(params: Mapping[str, Any]) -> int:
    """Binance `order.test` / `sor.order.test`: 1; 20 with `computeCommissionRates`"""
    flag = params.get('computeCommissionRates')
    return 20 if flag is True or (isinstance(flag, str) and flag.lower() == 'true') else 1


# `orders` on a row is what a successful call adds to the account's unfilled order count
# (each method's "Unfilled Order Count" in web-socket-api.md); test calls add 0.
_ORDER = ('symbol', 'side', 'type')

# `optional` on a row: the optional params of the method's parameter table in web-socket-api.md, in its order (the
# params of Binance's generated Spot connector, binance-connector-python `binance_sdk_spot.websocket_api`, agree).
# Left out everywhere: what the SDK fills itself (`apiKey`, `signature`, `timestamp`; the frame's `id` is not a
# param) and `recvWindow`, which every signed row takes anyway. Params Binance adds later: `extra_params={...}`.
# Not formatted: tables: a few names per line read better than one name per line.
# fmt: off
_ORDER_OPTIONAL = ('timeInForce', 'price', 'quantity', 'quoteOrderQty', 'newClientOrderId', 'newOrderRespType',
                   'stopPrice', 'trailingDelta', 'icebergQty', 'strategyId', 'strategyType',
                   'selfTradePreventionMode', 'pegPriceType', 'pegOffsetValue', 'pegOffsetType')
_SOR_OPTIONAL = ('timeInForce', 'price', 'newClientOrderId', 'newOrderRespType', 'icebergQty', 'strategyId',
                 'strategyType', 'selfTradePreventionMode')
# The head of the OTO, OTOCO, OPO and OPOCO tables: the list's own params, then the working order's.
_WORKING_OPTIONAL = ('listClientOrderId', 'newOrderRespType', 'selfTradePreventionMode', 'workingClientOrderId',
                     'workingIcebergQty', 'workingTimeInForce', 'workingStrategyId', 'workingStrategyType',
                     'workingPegPriceType', 'workingPegOffsetType', 'workingPegOffsetValue')
# The pending OCO pair of OTOCO and OPOCO: `pendingAboveType` is required, `pendingBelowType` is not.
_PENDING_OCO_OPTIONAL = ('pendingAboveClientOrderId', 'pendingAbovePrice', 'pendingAboveStopPrice',
                         'pendingAboveTrailingDelta', 'pendingAboveIcebergQty', 'pendingAboveTimeInForce',
                         'pendingAboveStrategyId', 'pendingAboveStrategyType', 'pendingAbovePegPriceType',
                         'pendingAbovePegOffsetType', 'pendingAbovePegOffsetValue',
                         'pendingBelowType', 'pendingBelowClientOrderId', 'pendingBelowPrice', 'pendingBelowStopPrice',
                         'pendingBelowTrailingDelta', 'pendingBelowIcebergQty', 'pendingBelowTimeInForce',
                         'pendingBelowStrategyId', 'pendingBelowStrategyType', 'pendingBelowPegPriceType',
                         'pendingBelowPegOffsetType', 'pendingBelowPegOffsetValue')

ENDPOINTS = (
    # -- general ----------------------------------------------------------------------------
    Endpoint(name='ping', call=WS('ping'), security=S.NONE, weight=1, optional=(), summary='Test connectivity.'),
    Endpoint(name='get_server_time', call=WS('time'), security=S.NONE, weight=1, optional=(),
             summary='Current server time.'),
    Endpoint(name='get_exchange_info', call=WS('exchangeInfo'), security=S.NONE, weight=20,
             optional=('symbol', 'symbols', 'permissions', 'showPermissionSets', 'symbolStatus'),
             summary='Trading rules, rate limits and symbol information.'),

    # -- market data ------------------------------------------------------------------------
    Endpoint(name='get_orderbook', call=WS('depth'), security=S.NONE, weight=depth_weight, required=('symbol',),
             optional=('limit', 'symbolStatus'), summary='Order book snapshot for a symbol.'),
    Endpoint(name='get_klines', call=WS('klines'), security=S.NONE, weight=2, required=('symbol', 'interval'),
             optional=('startTime', 'endTime', 'timeZone', 'limit'), summary='Klines (candlesticks) for a symbol.'),
    Endpoint(name='get_ui_klines', call=WS('uiKlines'), security=S.NONE, weight=2, required=('symbol', 'interval'),
             optional=('startTime', 'endTime', 'timeZone', 'limit'),
             summary='Klines optimised for presentation of candlestick charts.'),
    Endpoint(name='get_average_price', call=WS('avgPrice'), security=S.NONE, weight=2, required=('symbol',),
             optional=(), summary='Current average price for a symbol.'),
    Endpoint(name='get_recent_trades', call=WS('trades.recent'), security=S.NONE, weight=25, required=('symbol',),
             optional=('limit',), summary='Recent trades for a symbol.'),
    Endpoint(name='get_historical_trades', call=WS('trades.historical'), security=S.NONE, weight=25,
             required=('symbol',), optional=('fromId', 'limit'), summary='Older trades for a symbol.'),
    Endpoint(name='get_aggregate_trades', call=WS('trades.aggregate'), security=S.NONE, weight=4,
             required=('symbol',), optional=('fromId', 'startTime', 'endTime', 'limit'),
             summary='Aggregate trades for a symbol.'),
    # Binance "Historical Block Trades": fromId is mandatory here (unlike trades.historical).
    Endpoint(name='get_historical_block_trades', call=WS('blockTrades.historical'), security=S.NONE, weight=25,
             required=('symbol', 'fromId'), optional=('limit',), summary='Historical block trades for a symbol.'),
    Endpoint(name='get_ticker', call=WS('ticker.24hr'), security=S.NONE, weight=ticker_24hr_weight,
             optional=('symbol', 'symbols', 'type', 'symbolStatus'),
             summary='24-hour rolling window price change statistics.'),
    Endpoint(name='get_ticker_price', call=WS('ticker.price'), security=S.NONE, weight=ticker_symbol_weight,
             optional=('symbol', 'symbols', 'symbolStatus'), summary='Latest price for a symbol or symbols.'),
    Endpoint(name='get_orderbook_ticker', call=WS('ticker.book'), security=S.NONE, weight=ticker_symbol_weight,
             optional=('symbol', 'symbols', 'symbolStatus'),
             summary='Best bid/ask price and quantity for a symbol or symbols.'),
    # Binance "Rolling window price change statistics": either `symbol` or `symbols` must be given.
    Endpoint(name='get_rolling_window_ticker', call=WS('ticker'), security=S.NONE, weight=rolling_ticker_weight,
             required=(('symbol', 'symbols'),), optional=('type', 'windowSize', 'symbolStatus'),
             summary='Rolling-window price statistics (1m-7d window).'),
    Endpoint(name='get_trading_day_ticker', call=WS('ticker.tradingDay'), security=S.NONE,
             weight=trading_day_ticker_weight, required=(('symbol', 'symbols'),),
             optional=('timeZone', 'type', 'symbolStatus'),
             summary='Trading-day price statistics for a symbol or list.'),
    Endpoint(name='get_execution_rules', call=WS('executionRules'), security=S.NONE, weight=execution_rules_weight,
             optional=('symbol', 'symbols', 'symbolStatus'),
             summary='Per-symbol execution rules (price bands, order limits).'),
    Endpoint(name='get_reference_price', call=WS('referencePrice'), security=S.NONE, weight=2, required=('symbol',),
             optional=(), summary='Current reference price for a symbol.'),
    Endpoint(name='get_reference_price_calculation', call=WS('referencePrice.calculation'), security=S.NONE,
             weight=2, required=('symbol',), optional=('symbolStatus',),
             summary='Methodology used to compute the reference price.'),

    # -- account ----------------------------------------------------------------------------
    Endpoint(name='get_account', call=WS('account.status'), security=S.USER_DATA, weight=20,
             optional=('omitZeroBalances',), summary='Account information: balances and permissions.'),
    Endpoint(name='get_trades', call=WS('myTrades'), security=S.USER_DATA, weight=my_trades_weight,
             required=('symbol',), optional=('orderId', 'startTime', 'endTime', 'fromId', 'limit'),
             summary='Account trade history for a symbol.'),
    Endpoint(name='get_commission', call=WS('account.commission'), security=S.USER_DATA, weight=20,
             required=('symbol',), optional=(), summary='Current account commission rates.'),
    Endpoint(name='get_order_rate_limit', call=WS('account.rateLimits.orders'), security=S.USER_DATA, weight=40,
             optional=(), summary='Current unfilled order count per order rate limit.'),
    # Binance "Account prevented matches": every supported combination is `symbol` plus
    # `preventedMatchId` or `orderId`.
    Endpoint(name='get_prevented_matches', call=WS('myPreventedMatches'), security=S.USER_DATA,
             weight=my_prevented_matches_weight, required=('symbol', ('preventedMatchId', 'orderId')),
             optional=('fromPreventedMatchId', 'limit'), summary='Orders expired by self-trade prevention.'),
    Endpoint(name='get_allocations', call=WS('myAllocations'), security=S.USER_DATA, weight=20,
             required=('symbol',), optional=('startTime', 'endTime', 'fromAllocationId', 'limit', 'orderId'),
             summary='Allocations resulting from SOR order placement.'),
    Endpoint(name='get_order_amendments', call=WS('order.amendments'), security=S.USER_DATA, weight=4,
             required=('symbol', 'orderId'), optional=('fromExecutionId', 'limit'),
             summary='Amendment history for a single order.'),
    Endpoint(name='get_my_filters', call=WS('myFilters'), security=S.USER_DATA, weight=40, required=('symbol',),
             optional=(), summary='Account-relevant filters including MAX_ASSET limits.'),

    # -- trading ----------------------------------------------------------------------------
    # Weights of order placement/cancel methods: Binance charges 0 for a *successful* request
    # since 2026-04-02 (CHANGELOG 2026-03-27) but still charges the documented weight for a
    # failed one, and the method pages still print that weight. So the row keeps the
    # documented weight: the limiter pre-charges it and reconciles from the response's
    # `rateLimits`. `order.amend.keepPriority` is 4 (raised 2025-04-25) and only drops to 0
    # when the amend expires the order (CHANGELOG 2026-04-02).
    Endpoint(name='create_order', call=WS('order.place'), security=S.TRADE, weight=1, required=_ORDER, orders=1,
             client_order_id='newClientOrderId', optional=_ORDER_OPTIONAL, summary='Place a new order.'),
    Endpoint(name='create_test_order', call=WS('order.test'), security=S.TRADE, weight=order_test_weight,
             required=_ORDER, optional=('computeCommissionRates', *_ORDER_OPTIONAL),
             summary='Validate a new order without sending it to the matching engine.'),
    Endpoint(name='get_order', call=WS('order.status'), security=S.USER_DATA, weight=4,
             required=('symbol', ('orderId', 'origClientOrderId')), optional=(),
             summary='Check the execution status of an order.'),
    Endpoint(name='get_open_orders', call=WS('openOrders.status'), security=S.USER_DATA, weight=open_orders_weight,
             optional=('symbol',), summary='Open orders of a symbol, or of all symbols.'),
    Endpoint(name='get_all_orders', call=WS('allOrders'), security=S.USER_DATA, weight=20, required=('symbol',),
             optional=('orderId', 'startTime', 'endTime', 'limit'),
             summary='All orders of a symbol: active, canceled and filled.'),
    # Binance "Cancel order": `newClientOrderId` renames the canceled order (the SDK generates none here).
    Endpoint(name='cancel_order', call=WS('order.cancel'), security=S.TRADE, weight=1,
             required=('symbol', ('orderId', 'origClientOrderId')), optional=('newClientOrderId', 'cancelRestrictions'),
             summary='Cancel an active order.'),
    Endpoint(name='cancel_all_orders', call=WS('openOrders.cancelAll'), security=S.TRADE, weight=1,
             required=('symbol',), optional=(), summary='Cancel all open orders on a symbol, order lists included.'),
    # Binance "Cancel and replace order": the new order adds 1 to the unfilled order count even
    # when it is not attempted.
    Endpoint(name='cancel_replace_order', call=WS('order.cancelReplace'), security=S.TRADE, weight=1,
             required=('symbol', 'cancelReplaceMode', ('cancelOrderId', 'cancelOrigClientOrderId'), 'side', 'type'),
             optional=('cancelNewClientOrderId', 'timeInForce', 'price', 'quantity', 'quoteOrderQty',
                       'newClientOrderId', 'newOrderRespType', 'stopPrice', 'trailingDelta', 'icebergQty',
                       'strategyId', 'strategyType', 'selfTradePreventionMode', 'cancelRestrictions',
                       'orderRateLimitExceededMode', 'pegPriceType', 'pegOffsetValue', 'pegOffsetType'),
             orders=1, client_order_id='newClientOrderId',
             summary='Cancel an order and place a new one atomically.'),
    Endpoint(name='amend_order', call=WS('order.amend.keepPriority'), security=S.TRADE, weight=4,
             required=('symbol', ('orderId', 'origClientOrderId'), 'newQty'), optional=('newClientOrderId',),
             summary="Reduce an open order's quantity, keeping its priority."),

    # -- order lists ------------------------------------------------------------------------
    # `orderList.place.oco` replaces the deprecated `orderList.place`, which has no row.
    Endpoint(name='create_oco', call=WS('orderList.place.oco'), security=S.TRADE, weight=1,
             required=('symbol', 'side', 'quantity', 'aboveType', 'belowType'),
             optional=('listClientOrderId',
                       'aboveClientOrderId', 'aboveIcebergQty', 'abovePrice', 'aboveStopPrice', 'aboveTrailingDelta',
                       'aboveTimeInForce', 'aboveStrategyId', 'aboveStrategyType', 'abovePegPriceType',
                       'abovePegOffsetType', 'abovePegOffsetValue',
                       'belowClientOrderId', 'belowIcebergQty', 'belowPrice', 'belowStopPrice', 'belowTrailingDelta',
                       'belowTimeInForce', 'belowStrategyId', 'belowStrategyType', 'belowPegPriceType',
                       'belowPegOffsetType', 'belowPegOffsetValue',
                       'newOrderRespType', 'selfTradePreventionMode'),
             orders=2, client_order_id='listClientOrderId', summary='Place a One-Cancels-the-Other order list.'),
    # Binance "OTO": the pending order's table lists `pendingPegOffsetType` before `pendingPegPriceType`.
    Endpoint(name='create_oto', call=WS('orderList.place.oto'), security=S.TRADE, weight=1,
             required=('symbol', 'workingType', 'workingSide', 'workingPrice', 'workingQuantity',
                       'pendingType', 'pendingSide', 'pendingQuantity'),
             optional=(*_WORKING_OPTIONAL,
                       'pendingClientOrderId', 'pendingPrice', 'pendingStopPrice', 'pendingTrailingDelta',
                       'pendingIcebergQty', 'pendingTimeInForce', 'pendingStrategyId', 'pendingStrategyType',
                       'pendingPegOffsetType', 'pendingPegPriceType', 'pendingPegOffsetValue'),
             orders=2, client_order_id='listClientOrderId', summary='Place a One-Triggers-the-Other order list.'),
    # Binance "OTOCO": `pendingBelowType` is optional in the docs; `pendingAboveType` is mandatory.
    Endpoint(name='create_otoco', call=WS('orderList.place.otoco'), security=S.TRADE, weight=1,
             required=('symbol', 'workingType', 'workingSide', 'workingPrice', 'workingQuantity',
                       'pendingSide', 'pendingQuantity', 'pendingAboveType'),
             optional=(*_WORKING_OPTIONAL, *_PENDING_OCO_OPTIONAL),
             orders=3, client_order_id='listClientOrderId',
             summary='Place a One-Triggers-One-Cancels-the-Other order list.'),
    # Binance "OPO"/"OPOCO": the pending orders take the working order's quantity, so there is
    # no `pendingQuantity`.
    Endpoint(name='create_opo', call=WS('orderList.place.opo'), security=S.TRADE, weight=1,
             required=('symbol', 'workingType', 'workingSide', 'workingPrice', 'workingQuantity',
                       'pendingType', 'pendingSide'),
             optional=(*_WORKING_OPTIONAL,
                       'pendingClientOrderId', 'pendingPrice', 'pendingStopPrice', 'pendingTrailingDelta',
                       'pendingIcebergQty', 'pendingTimeInForce', 'pendingStrategyId', 'pendingStrategyType',
                       'pendingPegPriceType', 'pendingPegOffsetType', 'pendingPegOffsetValue'),
             orders=2, client_order_id='listClientOrderId', summary='Place a One-Pending-the-Other order list.'),
    Endpoint(name='create_opoco', call=WS('orderList.place.opoco'), security=S.TRADE, weight=1,
             required=('symbol', 'workingType', 'workingSide', 'workingPrice', 'workingQuantity',
                       'pendingSide', 'pendingAboveType'),
             optional=(*_WORKING_OPTIONAL, *_PENDING_OCO_OPTIONAL),
             orders=3, client_order_id='listClientOrderId',
             summary='Place a One-Pending-One-Cancels-the-Other order list.'),
    # Binance "Cancel order list": `newClientOrderId` renames the canceled list.
    Endpoint(name='cancel_oco', call=WS('orderList.cancel'), security=S.TRADE, weight=1,
             required=('symbol', ('orderListId', 'listClientOrderId')), optional=('newClientOrderId',),
             summary='Cancel an active order list.'),
    # Binance "Query Order list": `origClientOrderId` here is the list's `listClientOrderId`.
    Endpoint(name='get_oco', call=WS('orderList.status'), security=S.USER_DATA, weight=4,
             required=(('origClientOrderId', 'orderListId'),), optional=(),
             summary='Check the execution status of an order list.'),
    Endpoint(name='get_all_oco', call=WS('allOrderLists'), security=S.USER_DATA, weight=20,
             optional=('fromId', 'startTime', 'endTime', 'limit'),
             summary='Order-list history, filtered by time range.'),
    Endpoint(name='get_open_oco', call=WS('openOrderLists.status'), security=S.USER_DATA, weight=6, optional=(),
             summary='Open order lists.'),

    # -- SOR --------------------------------------------------------------------------------
    # Binance "Place new order using SOR": LIMIT and MARKET only, `quantity` mandatory.
    Endpoint(name='create_sor_order', call=WS('sor.order.place'), security=S.TRADE, weight=1,
             required=(*_ORDER, 'quantity'), optional=_SOR_OPTIONAL, orders=1, client_order_id='newClientOrderId',
             summary='Place an order using Smart Order Routing.'),
    Endpoint(name='create_test_sor_order', call=WS('sor.order.test'), security=S.TRADE, weight=order_test_weight,
             required=(*_ORDER, 'quantity'), optional=('computeCommissionRates', *_SOR_OPTIONAL),
             summary='Validate a Smart Order Routing order without placing it.'),

    # -- session ----------------------------------------------------------------------------
    # Binance "Log in with API key (SIGNED)": apiKey + timestamp + signature, Ed25519 keys only; USER_DATA makes the
    # signing layer sign it. After session_logout the SDK signs every request until this is called again.
    # Its table has nothing else (bar `recvWindow`), and the SDK fills all of that: no optional params.
    Endpoint(name='session_logon', call=WS('session.logon'), security=S.USER_DATA, weight=2, optional=(),
             summary='Log the connection on with the API key (Ed25519 only); later signed requests need no signature.'),
    # No security type in the docs (so NONE): they act on the connection, not on an account. No params.
    Endpoint(name='get_session_status', call=WS('session.status'), security=S.NONE, weight=2, optional=(),
             summary='Which API key (if any) authorizes the current connection.'),
    Endpoint(name='get_session_subscriptions', call=WS('session.subscriptions'), security=S.NONE, weight=2,
             optional=(), summary='Active user-data subscriptions on the connection.'),
    Endpoint(name='session_logout', call=WS('session.logout'), security=S.NONE, weight=2, optional=(),
             summary='Forget the API key authorizing the connection; the connection stays open.'),
)
# fmt: on
