"""Endpoint rows only USDⓈ-M has (or has with another path, weight or required params than COIN-M); the
shared ones come from ``binance_futures.endpoints``.

Sources as there: Binance's generated USDⓈ-M connector (OFF-UM, ``binance/binance-connector-python``
``clients/derivatives_trading_usds_futures``, commit 29da329, 2026-08-21) and FUTURES-API.md §1, §7. ``optional``
as there: the optional params of the method's signature in OFF-UM, in its order, without ``recvWindow``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from binance_core.specs import REST, WS, Endpoint
from binance_core.specs import SecurityType as S
from binance_futures.endpoints import account_endpoints, algo_endpoints, ticker_price_weight
from binance_futures.rate_limits import FUNDING_GROUP, FUTURES_DATA_GROUP

__all__ = ['ENDPOINTS', 'SHARED_OPTIONAL', 'premium_index_weight']


# -- weight rules ---------------------------------------------------------------------------
# As in binance_futures.endpoints: the first docstring line is Binance's rule, shown in the method's docs.


def premium_index_weight(params: Mapping[str, Any]) -> int:
    """Binance `premiumIndex`: 1 with `symbol`, 10 without"""
    return 1 if params.get('symbol') is not None else 10


# Not formatted: tables: one row per entry.
# fmt: off
# USDⓈ-M's optional params of the shared rows whose docs differ per market (binance_futures.endpoints.MARKET_OPTIONAL),
# in OFF-UM's order: a `symbol` only on the tickers and open orders (COIN-M adds `pair`); New Order (WS `order.place`,
# the REST twin lists the same) lost the conditional params, which the shared row declares anyway so that its check
# names create_algo_order.
SHARED_OPTIONAL = {
    'get_ticker': ('symbol',),
    'get_orderbook_ticker': ('symbol',),
    'create_order': ('positionSide', 'timeInForce', 'reduceOnly', 'quantity', 'price', 'newClientOrderId',
                     'newOrderRespType', 'priceMatch', 'selfTradePreventionMode', 'goodTillDate'),
    'get_open_orders': ('symbol',),
}

ENDPOINTS = (
    # -- market data ------------------------------------------------------------------------------
    # /futures/data/* and the funding endpoints have their own 5-minute pools (pool_group, one request per
    # call; binance_futures.rate_limits). OFF-UM prints IP weight 0 for openInterestHist and fundingInfo and
    # none for fundingRate; the rows pre-charge the spec's 1, as FUTURES-API.md §1 advises (the response
    # headers then set the count to Binance's).
    # COIN-M takes `pair`, not `symbol`, here (FUTURES-API.md §2), so the row is UM's.
    Endpoint(name='get_open_interest_hist', call=REST('GET', '/futures/data/openInterestHist'), security=S.NONE,
             weight=1, required=('symbol', 'period'), optional=('limit', 'startTime', 'endTime'),
             pool_group=FUTURES_DATA_GROUP,
             summary='Open interest history of a symbol (period 5m ... 1d; last month only).'),
    # COIN-M: `symbol` required and weight 1 with no special pool.
    Endpoint(name='get_funding_rate', call=REST('GET', '/fapi/v1/fundingRate'), security=S.NONE, weight=1,
             optional=('symbol', 'startTime', 'endTime', 'limit'), pool_group=FUNDING_GROUP,
             summary='Funding rate history, of one symbol or all.'),
    Endpoint(name='get_funding_info', call=REST('GET', '/fapi/v1/fundingInfo'), security=S.NONE, weight=1,
             optional=(), pool_group=FUNDING_GROUP,
             summary='Funding rate cap, floor and interval of the symbols that had them adjusted.'),
    # COIN-M: 10 flat.
    Endpoint(name='get_premium_index', call=REST('GET', '/fapi/v1/premiumIndex'), security=S.NONE,
             weight=premium_index_weight, optional=('symbol',),
             summary='Mark price, index price and funding rate, one symbol or all.'),
    # v2: OFF-UM marks GET /fapi/v1/ticker/price deprecated (13.0.0, 2026-07-14); COIN-M has only its v1.
    Endpoint(name='get_ticker_price', call=REST('GET', '/fapi/v2/ticker/price'), security=S.NONE,
             weight=ticker_price_weight, optional=('symbol',), summary='Latest price, one symbol or all.'),

    # -- trading ------------------------------------------------------------------------------------
    # No weight is printed for the test order on Binance's "Test Order" page (developers.binance.me mirror,
    # read through the search tool) nor in OFF-UM's `test_order` docstring: the spec's 1 is kept. A test adds
    # no order. UM only (no /dapi/v1/order/test). Binance's page still lists the conditional types here, so
    # the row does not refuse them (create_order does), and declares their params (OFF-UM `test_order`).
    Endpoint(name='create_test_order', call=REST('POST', '/fapi/v1/order/test'), security=S.TRADE, weight=1,
             required=('symbol', 'side', 'type'),
             optional=('positionSide', 'reduceOnly', 'quantity', 'price', 'newClientOrderId', 'stopPrice',
                       'closePosition', 'activationPrice', 'callbackRate', 'timeInForce', 'workingType',
                       'priceProtect', 'newOrderRespType', 'priceMatch', 'selfTradePreventionMode', 'goodTillDate'),
             summary='Validate a new order without sending it to the matching engine.'),
    # COIN-M: `symbol` or `pair`.
    Endpoint(name='get_all_orders', call=REST('GET', '/fapi/v1/allOrders'), security=S.USER_DATA, weight=5,
             required=('symbol',), optional=('orderId', 'startTime', 'endTime', 'limit'),
             summary='All orders of a symbol: active, canceled and filled.'),

    # -- account ------------------------------------------------------------------------------------
    # The spec's choice: `account.position` (v1; UM also has `v2/account.position`, FUTURES-API.md §8 trap 10),
    # by symbol. COIN-M's takes `marginAsset` or `pair`.
    Endpoint(name='get_position', call=WS('account.position'), security=S.USER_DATA, weight=5, optional=('symbol',),
             summary='Position information, of one symbol or all.'),
    # The spec's v2 methods (COIN-M has v1 only).
    *account_endpoints('v2/'),
    # v3 (v2 still exists); COIN-M: /dapi/v1/positionRisk, weight 1.
    Endpoint(name='get_position_risk', call=REST('GET', '/fapi/v3/positionRisk'), security=S.USER_DATA,
             weight=5, optional=('symbol',), summary='Position risk of one symbol or all.'),
    # Last 6 months only. COIN-M: `symbol` or `pair`.
    Endpoint(name='get_user_trades', call=REST('GET', '/fapi/v1/userTrades'), security=S.USER_DATA, weight=5,
             required=('symbol',), optional=('orderId', 'startTime', 'endTime', 'fromId', 'limit'),
             summary='Account trade history of a symbol.'),
    # COIN-M: 20.
    Endpoint(name='get_income', call=REST('GET', '/fapi/v1/income'), security=S.USER_DATA, weight=30,
             optional=('symbol', 'incomeType', 'startTime', 'endTime', 'page', 'limit'),
             summary='Income history: realized PnL, funding fees, commissions, transfers...'),
    # COIN-M: /dapi/v2/leverageBracket.
    Endpoint(name='get_leverage_bracket', call=REST('GET', '/fapi/v1/leverageBracket'), security=S.USER_DATA,
             weight=1, optional=('symbol',), summary='Notional and leverage brackets, of one symbol or all.'),
    Endpoint(name='get_multi_assets_mode', call=REST('GET', '/fapi/v1/multiAssetsMargin'), security=S.USER_DATA,
             weight=30, optional=(), summary='Whether multi-assets margin mode is on.'),
    Endpoint(name='set_multi_assets_mode', call=REST('POST', '/fapi/v1/multiAssetsMargin'), security=S.TRADE,
             weight=1, required=('multiAssetsMargin',), optional=(),
             summary='Turn multi-assets margin mode on ("true") or off ("false").'),

    # -- algo (conditional) orders: the shared family, placed and canceled over the WS-API -------------------
    *algo_endpoints('/fapi', place=WS('algoOrder.place'), cancel=WS('algoOrder.cancel')),
)
# fmt: on
