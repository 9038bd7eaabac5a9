"""Endpoint rows only COIN-M has (or has with another path, weight or required params than USDⓈ-M); the shared
ones come from ``binance_futures.endpoints``.

Sources: Binance's generated COIN-M connector (OFF-CM, ``binance/binance-connector-python``
``clients/derivatives_trading_coin_futures``, commit 29da329, 2026-08-21, client 13.1.0), whose docstrings carry
the 2026-06-30 "after CM migration" rules, and FUTURES-API.md §2. COIN-M has no test order and no multi-assets
mode (neither exists under ``/dapi``), so ``CMFuturesClient`` has no such methods. ``optional`` as in
``binance_futures.endpoints``: the optional params of the method's signature in OFF-CM, in its order, without
``recvWindow``; a ``symbol`` or ``pair`` that is one of a required pair of alternatives is in ``required``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from binance_core.exceptions import UnsupportedParamException
from binance_core.specs import REST, WS, Endpoint
from binance_core.specs import SecurityType as S
from binance_futures.endpoints import account_endpoints, algo_endpoints, not_together, ticker_price_weight

__all__ = [
    'ENDPOINTS',
    'SHARED_OPTIONAL',
    'check_all_orders',
    'check_position',
    'check_position_risk',
    'check_ticker_price',
    'check_user_trades',
    'leverage_bracket_weight',
]

# -- weight rules and checks ----------------------------------------------------------------
# As in binance_futures.endpoints: the first docstring line is Binance's rule, shown in the method's docs.


def leverage_bracket_weight(params: Mapping[str, Any]) -> int:
    """Binance COIN-M `v2/leverageBracket`: 1 with `symbol`, 2 without"""
    return 1 if params.get('symbol') is not None else 2


def check_user_trades(params: Mapping[str, Any]) -> None:
    """Binance COIN-M `userTrades`: `symbol` or `pair`, not both; `orderId` and `fromId` only with `symbol`"""
    not_together('get_user_trades', params, ('symbol', 'pair'), ('pair', 'orderId'), ('pair', 'fromId'))


def check_all_orders(params: Mapping[str, Any]) -> None:
    """Binance COIN-M `allOrders`: `symbol` or `pair`, not both; `pair` not with `orderId`"""
    not_together('get_all_orders', params, ('symbol', 'pair'), ('pair', 'orderId'))


def check_ticker_price(params: Mapping[str, Any]) -> None:
    """Binance COIN-M `ticker/price`: `symbol` or `pair`, not both"""
    not_together('get_ticker_price', params, ('symbol', 'pair'))


def _no_symbol(method: str, params: Mapping[str, Any]) -> None:
    if params.get('symbol') is not None:
        raise UnsupportedParamException(
            method,
            'symbol',
            params['symbol'],
            "COIN-M positions are filtered by pair (pair='BTCUSD') or marginAsset (marginAsset='BTC'), not by "
            'symbol, which Binance would ignore and answer with every position',
        )


def check_position_risk(params: Mapping[str, Any]) -> None:
    """Binance COIN-M `positionRisk`: filter by `marginAsset` or `pair`; it takes no `symbol`

    Binance would ignore a ``symbol`` and answer with every position, so one is refused before sending: as an
    unknown param when passed as ``symbol=``, which the row does not declare, and by this check when passed in
    ``extra_params``.
    """
    _no_symbol('get_position_risk', params)


def check_position(params: Mapping[str, Any]) -> None:
    """Binance COIN-M `account.position`: filter by `marginAsset` or `pair`; it takes no `symbol`"""
    _no_symbol('get_position', params)


# Not formatted: tables: one row per entry.
# fmt: off
# COIN-M's optional params of the shared rows whose docs differ per market (binance_futures.endpoints.MARKET_OPTIONAL),
# in OFF-CM's order: the tickers and open orders take a `symbol` or a `pair`; New Order (ws-dapi `order.place`, the
# REST twin lists the same) still lists the conditional params, which its check refuses naming create_algo_order
# (-4120 since 2026-06-30), and has no `goodTillDate`.
SHARED_OPTIONAL = {
    'get_ticker': ('symbol', 'pair'),
    'get_orderbook_ticker': ('symbol', 'pair'),
    'create_order': ('positionSide', 'timeInForce', 'quantity', 'reduceOnly', 'price', 'newClientOrderId', 'stopPrice',
                     'closePosition', 'activationPrice', 'callbackRate', 'workingType', 'priceProtect',
                     'newOrderRespType', 'priceMatch', 'selfTradePreventionMode'),
    'get_open_orders': ('symbol', 'pair'),
}

ENDPOINTS = (
    # -- market data --------------------------------------------------------------------------------
    # `pair` and `period`; `contractType` (PERPETUAL, CURRENT_QUARTER, NEXT_QUARTER) optional since 2026-08-18,
    # omitted = aggregated (OFF-CM 13.0.0). OFF-CM prints weight 1 and no pool: USDⓈ-M's 1000 requests / 5 min
    # pool for /futures/data/* is documented on USDⓈ-M's pages only (FUTURES-API.md §3), so none is applied here.
    Endpoint(name='get_open_interest_hist', call=REST('GET', '/futures/data/openInterestHist'), security=S.NONE,
             weight=1, required=('pair', 'period'), optional=('contractType', 'limit', 'startTime', 'endTime'),
             summary='Open interest history of a pair (period 5m ... 1d; last 30 days only).'),
    # `symbol` required (UM: optional); an empty list for delivery symbols. No funding pool on COIN-M (OFF-CM).
    Endpoint(name='get_funding_rate', call=REST('GET', '/dapi/v1/fundingRate'), security=S.NONE, weight=1,
             required=('symbol',), optional=('startTime', 'endTime', 'limit'),
             summary='Funding rate history of a perpetual symbol.'),
    # OFF-CM prints no weight; 1 as the spec (and REF) say.
    Endpoint(name='get_funding_info', call=REST('GET', '/dapi/v1/fundingInfo'), security=S.NONE, weight=1,
             optional=(), summary='Funding rate cap, floor and interval of the symbols that had them adjusted.'),
    # 10 flat (OFF-CM), `symbol` or `pair`; always a list.
    Endpoint(name='get_premium_index', call=REST('GET', '/dapi/v1/premiumIndex'), security=S.NONE, weight=10,
             optional=('symbol', 'pair'),
             summary='Mark price, index price and funding rate, of a symbol, a pair or all (a list).'),
    # v1: COIN-M has no v2. A pair gives every symbol of the pair.
    Endpoint(name='get_ticker_price', call=REST('GET', '/dapi/v1/ticker/price'), security=S.NONE,
             weight=ticker_price_weight, check=check_ticker_price, optional=('symbol', 'pair'),
             summary='Latest price, of a symbol, a pair or all.'),

    # -- trading ------------------------------------------------------------------------------------
    # 5 flat since 2026-06-30 (was 20 with symbol, 40 with pair; OFF-CM, BNET). At most 7 days a query.
    Endpoint(name='get_all_orders', call=REST('GET', '/dapi/v1/allOrders'), security=S.USER_DATA, weight=5,
             required=(('symbol', 'pair'),), optional=('orderId', 'startTime', 'endTime', 'limit'),
             check=check_all_orders, summary='All orders of a symbol or a pair: active, canceled and filled.'),

    # -- account ------------------------------------------------------------------------------------
    # `account.position`, weight 5, by `marginAsset` or `pair` (OFF-CM `position_information`; UM: by symbol). No
    # `symbol` declared: Binance would ignore it; the check refuses one passed in extra_params.
    Endpoint(name='get_position', call=WS('account.position'), security=S.USER_DATA, weight=5,
             optional=('marginAsset', 'pair'), check=check_position,
             summary='Position information, of a margin asset, a pair or all.'),
    # v1 only: COIN-M's WS-API has no v2 (OFF-CM `account.status`, `account.balance`, weight 5 each).
    *account_endpoints(''),
    # v1, weight 1, by `marginAsset` or `pair` (UM: v3, weight 5, by symbol).
    Endpoint(name='get_position_risk', call=REST('GET', '/dapi/v1/positionRisk'), security=S.USER_DATA,
             weight=1, optional=('marginAsset', 'pair'), check=check_position_risk,
             summary='Position risk, of a margin asset, a pair or all.'),
    # 5 flat since 2026-06-30 (was 20/40; OFF-CM, BNET); at most 7 days a query.
    Endpoint(name='get_user_trades', call=REST('GET', '/dapi/v1/userTrades'), security=S.USER_DATA, weight=5,
             required=(('symbol', 'pair'),), optional=('orderId', 'startTime', 'endTime', 'fromId', 'limit'),
             check=check_user_trades, summary='Account trade history of a symbol or a pair.'),
    # 20 (UM: 30).
    Endpoint(name='get_income', call=REST('GET', '/dapi/v1/income'), security=S.USER_DATA, weight=20,
             optional=('symbol', 'incomeType', 'startTime', 'endTime', 'page', 'limit'),
             summary='Income history: realized PnL, funding fees, commissions, transfers...'),
    # v2 takes `symbol` (v1 takes `pair`); 1 with symbol, 2 without since 2026-06-30 (OFF-CM).
    Endpoint(name='get_leverage_bracket', call=REST('GET', '/dapi/v2/leverageBracket'), security=S.USER_DATA,
             weight=leverage_bracket_weight, optional=('symbol',),
             summary='Notional and leverage brackets, of one symbol or all.'),

    # -- algo (conditional) orders: the shared family; placed and canceled over REST ------------------
    # Since 2026-06-30 COIN-M's conditional orders go to /dapi/v1/algoOrder too (CMUM; BNET 13.1.0 "CoinM
    # conditional order endpoints"; OFF-CM docstrings). The spec's "algo orders are UM only" is outdated. ws-dapi
    # has no algo method, so placing and canceling are REST. OFF-CM has no generated method for the family either:
    # its rows take USDⓈ-M's params (binance_futures.endpoints._ALGO_OPTIONAL, from OFF-UM `new_algo_order`).
    *algo_endpoints('/dapi', place=REST('POST', '/dapi/v1/algoOrder'), cancel=REST('DELETE', '/dapi/v1/algoOrder')),
)
# fmt: on
