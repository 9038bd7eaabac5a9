"""Endpoint rows every futures market has, built from the market's REST root: USDⓈ-M ``'/fapi'``,
COIN-M ``'/dapi'`` (Binance derivatives docs, "Market Data", "Trade" and "Account" endpoints; FUTURES-API.md
§1-§2). A row is shared only when both markets have the same method, the same path below the root, the same
weight and the same required params; what differs lives in ``binance_<market>/endpoints.py``. Where only the
optional params of a shared row differ (COIN-M's ``pair`` on the tickers, the order params), each market passes
its own lists in (``shared_endpoints(root, optional=...)``, :data:`MARKET_OPTIONAL`).

Sources: the docstrings of Binance's generated connectors (``binance/binance-connector-python``,
``clients/derivatives_trading_{usds,coin}_futures``, commit 29da329, 2026-08-21: OFF-UM / OFF-CM in
FUTURES-API.md), which carry Binance's weights, required params and optional params (each method's signature,
snake_case there, camelCase on the wire).

``optional`` on a row: the optional params of the method's signature there, in its order. Left out everywhere:
what the SDK fills itself (``apiKey``, ``signature``, ``timestamp``; a WS-API frame's ``id`` is not a param),
``recvWindow``, which every signed row takes anyway, and the alternatives already in ``required`` (``orderId``
or ``origClientOrderId``). A param Binance adds later: ``extra_params={...}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from binance_core.exceptions import MissingParamException, UnknownParamException, UnsupportedParamException
from binance_core.paramkinds import Kind
from binance_core.specs import REST, WS, Endpoint
from binance_core.specs import SecurityType as S

__all__ = [
    'BATCH_ITEM_PARAMS',
    'BATCH_ORDERS_MAX',
    'CANCEL_IDS_MAX',
    'CONDITIONAL_ORDER_PARAMS',
    'CONDITIONAL_ORDER_TYPES',
    'MARKET_OPTIONAL',
    'account_endpoints',
    'algo_endpoints',
    'book_ticker_weight',
    'check_batch_cancel',
    'check_batch_orders',
    'check_book_ticker',
    'check_order',
    'check_ticker',
    'depth_weight',
    'general_endpoints',
    'klines_weight',
    'not_together',
    'open_orders_weight',
    'shared_endpoints',
    'ticker_24hr_weight',
    'ticker_price_weight',
]

_ROOT = re.compile(r'^/[a-z]+$')


# -- weight rules ---------------------------------------------------------------------------
# Each function gets the normalised params (``binance_core.params.normalize``; the fake exchange passes the
# query's strings). The first docstring line is Binance's rule, shown in the method's docs.


def _limit(params: Mapping[str, Any], default: int) -> int:
    value = params.get('limit')
    return default if value is None else int(value)


def depth_weight(params: Mapping[str, Any]) -> int:
    """Binance `depth`: limit 5, 10, 20, 50 -> 2; 100 -> 5; 500 (default) -> 10; 1000 -> 20"""
    limit = _limit(params, 500)
    if limit <= 50:
        return 2
    if limit <= 100:
        return 5
    if limit <= 500:
        return 10
    return 20


def klines_weight(params: Mapping[str, Any]) -> int:
    """Binance `klines` (all kinds): limit [1,100) -> 1; [100,500) -> 2; [500,1000] -> 5; >1000 -> 10 (default 500)"""
    limit = _limit(params, 500)
    if limit < 100:
        return 1
    if limit < 500:
        return 2
    if limit <= 1000:
        return 5
    return 10


def ticker_24hr_weight(params: Mapping[str, Any]) -> int:
    """Binance `ticker/24hr`: 1 with `symbol`, 40 without"""
    return 1 if params.get('symbol') is not None else 40


def open_orders_weight(params: Mapping[str, Any]) -> int:
    """Binance `openOrders` / `openAlgoOrders`: 1 with `symbol`, 40 without"""
    return 1 if params.get('symbol') is not None else 40


def book_ticker_weight(params: Mapping[str, Any]) -> int:
    """Binance `ticker/bookTicker`: 2 with `symbol`, 5 without"""
    return 2 if params.get('symbol') is not None else 5


def ticker_price_weight(params: Mapping[str, Any]) -> int:
    """Binance `ticker/price`: 1 with `symbol`, 2 without"""
    return 1 if params.get('symbol') is not None else 2


# -- checks ---------------------------------------------------------------------------------
# Rules Binance enforces on the order endpoints, checked on the normalised params before anything is sent.
# The first docstring line goes in the method's docs.

# Since 2025-12-09 (UM) and 2026-06-30 (CM), Binance moved conditional orders to the algo service: the order
# endpoints answer -4120 STOP_ORDER_SWITCH_ALGO for these types (FUTURES-API.md §7; NT-3287).
CONDITIONAL_ORDER_TYPES = frozenset(
    {'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'}
)
# Params that only conditional orders took, removed from New Order (REST 2025-12-22, WS `order.place`
# 2026-06-09; OFF-UM CHANGELOG 5.0.0 / 11.0.0) and refused in batch items since 2025-12-22 (FUTURES-API.md §1).
CONDITIONAL_ORDER_PARAMS = (
    'stopPrice',
    'activationPrice',
    'callbackRate',
    'closePosition',
    'priceProtect',
    'workingType',
)
# New Order, "Additional mandatory parameters based on type" (OFF-UM `new_order` / `test_order` notes);
# `priceMatch` stands in for `price` ("can't be passed together with price").
_TYPE_REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    'LIMIT': (('timeInForce',), ('quantity',), ('price', 'priceMatch')),
    'MARKET': (('quantity',),),
}
# The params of a `POST batchOrders` item (OFF-UM / OFF-CM `PlaceMultipleOrdersBatchOrdersParameterInner`), but
# the conditional ones, refused above; `goodTillDate` is USDⓈ-M's (COIN-M answers for it).
BATCH_ITEM_PARAMS = frozenset({
    'symbol', 'side', 'positionSide', 'type', 'timeInForce', 'quantity', 'reduceOnly', 'price', 'newClientOrderId',
    'newOrderRespType', 'priceMatch', 'selfTradePreventionMode', 'goodTillDate',
})  # fmt: skip
# `POST batchOrders`: "Max 5 orders" (OFF-UM/OFF-CM `place_multiple_orders`).
BATCH_ORDERS_MAX = 5
# `DELETE batchOrders`: `orderIdList` and `origClientOrderIdList` have maxLength 10 (OFF-UM 13.0.0, 2026-07-14).
CANCEL_IDS_MAX = 10
_ALGO = 'create_algo_order'


def _conditional(method: str, params: Mapping[str, Any], where: str = '') -> None:
    order_type = params.get('type')
    if isinstance(order_type, str) and order_type in CONDITIONAL_ORDER_TYPES:
        raise UnsupportedParamException(
            method,
            f'{where}type',
            order_type,
            f'{where}type={order_type!r} is a conditional order type, which Binance moved to the algo service '
            f'(its order endpoints answer -4120 STOP_ORDER_SWITCH_ALGO); place it with '
            f"{_ALGO}(algoType='CONDITIONAL', type={order_type!r}, triggerPrice=..., ...) instead",
            use=_ALGO,
        )
    for name in CONDITIONAL_ORDER_PARAMS:
        if params.get(name) is not None:
            raise UnsupportedParamException(
                method,
                f'{where}{name}',
                params[name],
                f'{where}{name} belongs to conditional orders, which Binance no longer takes here; '
                f'place a conditional order with {_ALGO}() instead',
                use=_ALGO,
            )


def _type_required(method: str, params: Mapping[str, Any], where: str = '') -> None:
    order_type = params.get('type')
    rules = _TYPE_REQUIRED.get(order_type) if isinstance(order_type, str) else None
    if rules:
        missing = ['|'.join(where + p for p in group) for group in rules if all(params.get(p) is None for p in group)]
        if missing:
            raise MissingParamException(method, missing)


def check_order(params: Mapping[str, Any]) -> None:
    """Binance `order.place`: no conditional type (-4120: use `create_algo_order`); LIMIT/MARKET mandatory params

    Conditional types are STOP, STOP_MARKET, TAKE_PROFIT, TAKE_PROFIT_MARKET and TRAILING_STOP_MARKET; their
    params (``CONDITIONAL_ORDER_PARAMS``) are refused too. LIMIT needs ``timeInForce``, ``quantity`` and
    ``price`` (or ``priceMatch``), MARKET needs ``quantity``.
    """
    _conditional('create_order', params)
    _type_required('create_order', params)


def _json_list(method: str, name: str, value: Any) -> list[Any]:
    """A list param as given, or decoded from the JSON text a caller may pass."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    if not isinstance(value, list):
        raise UnsupportedParamException(
            method, name, value, f'{name} must be a list (sent as a JSON array), got {type(value).__name__}'
        )
    return value


def _within(method: str, name: str, items: list[Any], most: int) -> None:
    if not 1 <= len(items) <= most:
        raise UnsupportedParamException(
            method,
            name,
            len(items),
            f'{name} holds {len(items)} items; Binance takes 1 to {most} per call: split the list',
        )


def not_together(method: str, params: Mapping[str, Any], *pairs: tuple[str, str]) -> None:
    """Refuse a call that gives both params of any of *pairs*, which Binance takes one at a time (COIN-M
    ``userTrades``: "Symbol and pair cannot be sent together"); a market's named checks call this.

    :raises UnsupportedParamException: naming the second param of the first pair given in full.
    """
    for first, second in pairs:
        if params.get(first) is not None and params.get(second) is not None:
            raise UnsupportedParamException(
                method, second, params[second], f'{first} and {second} cannot be sent together (Binance): pass one'
            )


def check_ticker(params: Mapping[str, Any]) -> None:
    """Binance `ticker/24hr`: `symbol` or `pair` (COIN-M), not both"""
    not_together('get_ticker', params, ('symbol', 'pair'))


def check_book_ticker(params: Mapping[str, Any]) -> None:
    """Binance `ticker/bookTicker`: `symbol` or `pair` (COIN-M), not both"""
    not_together('get_orderbook_ticker', params, ('symbol', 'pair'))


def check_batch_orders(params: Mapping[str, Any]) -> None:
    """Binance `batchOrders`: 1 to 5 orders, none conditional (-4120: use `create_algo_order`)

    Each item passes :func:`check_order`'s rules: no conditional type and none of ``stopPrice``,
    ``activationPrice``, ``callbackRate``, ``closePosition``, ``priceProtect``, ``workingType`` (refused in
    batch items since 2025-12-22), and the LIMIT/MARKET mandatory params; and holds only the params a batch item
    takes (:data:`BATCH_ITEM_PARAMS`): a misspelt ``reduceOnly`` must not go out as an order that opens.
    """
    method = 'create_batch_orders'
    items = _json_list(method, 'batchOrders', params.get('batchOrders'))
    _within(method, 'batchOrders', items, BATCH_ORDERS_MAX)
    for n, item in enumerate(items):
        where = f'batchOrders[{n}].'
        if not isinstance(item, Mapping):
            raise UnsupportedParamException(
                method, where[:-1], item, f'{where[:-1]} must be an order (a dict of New Order params)'
            )
        _conditional(method, item, where)
        for key in item:
            if key not in BATCH_ITEM_PARAMS:
                raise UnknownParamException(method, key, BATCH_ITEM_PARAMS, where=where)
        _type_required(method, item, where)


def check_batch_cancel(params: Mapping[str, Any]) -> None:
    """Binance `DELETE batchOrders`: `orderIdList` / `origClientOrderIdList` hold 1 to 10 ids each"""
    method = 'cancel_batch_orders'
    for name in ('orderIdList', 'origClientOrderIdList'):
        if params.get(name) is not None:
            _within(method, name, _json_list(method, name, params[name]), CANCEL_IDS_MAX)


# -- tables ---------------------------------------------------------------------------------


def general_endpoints(root: str) -> tuple[Endpoint, ...]:
    """Ping, server time (time sync needs it: FUTURES-API.md §8 trap 1) and exchange info under *root*.

    :param root: the market's REST root, ``'/fapi'`` or ``'/dapi'``.
    :returns: three rows, weight 1 each, security NONE, no params.
    """
    if not _ROOT.match(root):
        raise ValueError(f"REST root {root!r} must look like '/fapi': a slash and lowercase letters")
    # Not formatted: a table: one row per entry.
    # fmt: off
    return (
        Endpoint(name='ping', call=REST('GET', f'{root}/v1/ping'), security=S.NONE, weight=1, optional=(),
                 summary='Test connectivity.'),
        Endpoint(name='get_server_time', call=REST('GET', f'{root}/v1/time'), security=S.NONE, weight=1, optional=(),
                 summary='Current server time.'),
        Endpoint(name='get_exchange_info', call=REST('GET', f'{root}/v1/exchangeInfo'), security=S.NONE, weight=1,
                 optional=(), summary='Trading rules, rate limits and symbol information.'),
    )
    # fmt: on


_ID = ('orderId', 'origClientOrderId')
_KLINES = ('startTime', 'endTime', 'limit')

# The shared rows whose optional params Binance documents differently on USDⓈ-M and COIN-M: each market passes its
# lists for exactly these (``shared_endpoints(root, optional=...)``). COIN-M's tickers and open orders also take a
# `pair`; the order params differ in both membership and order (OFF-UM / OFF-CM `order.place`).
MARKET_OPTIONAL = ('get_ticker', 'get_orderbook_ticker', 'create_order', 'get_open_orders')


def _market_optional(optional: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    if isinstance(optional, str) or not isinstance(optional, Mapping):
        raise TypeError(f'optional must map the rows of MARKET_OPTIONAL to their params, got {optional!r}')
    missing, extra = set(MARKET_OPTIONAL) - set(optional), set(optional) - set(MARKET_OPTIONAL)
    if missing or extra:
        raise ValueError(
            f'optional must name exactly the rows of MARKET_OPTIONAL {MARKET_OPTIONAL}: '
            f'missing {sorted(missing)}, not shared per market {sorted(extra)}'
        )
    out = {}
    for name, names in optional.items():
        if isinstance(names, str):
            raise TypeError(f'optional[{name!r}] must be a sequence of param names, not the str {names!r}')
        out[name] = tuple(names)
    return out


def _order_optional(documented: tuple[str, ...]) -> tuple[str, ...]:
    """The market's documented New Order params but the conditional-order ones: USDⓈ-M's docs dropped them (REST
    2025-12-22, WS `order.place` 2026-06-09), COIN-M's still list them though its order endpoints refuse conditional
    orders since 2026-06-30; the row declares them ``refused`` so that ``check_order`` names ``create_algo_order``."""
    return tuple(name for name in documented if name not in CONDITIONAL_ORDER_PARAMS)


def shared_endpoints(root: str, *, optional: Mapping[str, Sequence[str]]) -> tuple[Endpoint, ...]:
    """Every endpoint row USDⓈ-M and COIN-M share, under *root* (``'/fapi'`` or ``'/dapi'``).

    Trading and account calls ride the futures WS-API where both markets' WS-APIs offer the method
    (``ws-fapi`` and ``ws-dapi``: ``order.place/cancel/status``, ``account.position``), REST otherwise.

    :param root: the market's REST root.
    :param optional: the market's optional params of each row of :data:`MARKET_OPTIONAL`, in its docs' order
        (``binance_<market>.endpoints.SHARED_OPTIONAL``); ``create_order`` knows the conditional-order params only to
        refuse them (``Endpoint.refused``), so that its check names ``create_algo_order``.
    :returns: the general rows, then the shared market-data, trading and account rows.
    :raises ValueError: when *optional* does not name exactly the rows of :data:`MARKET_OPTIONAL` (a ``TypeError``
        when it is not a mapping of param-name sequences).
    """
    own = _market_optional(optional)
    general = general_endpoints(root)
    # Not formatted: a table: one row per entry.
    # fmt: off
    return (
        *general,

        # -- market data (NONE unless marked) ---------------------------------------------------
        Endpoint(name='get_open_interest', call=REST('GET', f'{root}/v1/openInterest'), security=S.NONE, weight=1,
                 required=('symbol',), optional=(), summary='Present open interest of a symbol.'),
        # The order book's snapshot (OrderBookSpec.snapshot_endpoint); limit at most 1000.
        Endpoint(name='get_orderbook', call=REST('GET', f'{root}/v1/depth'), security=S.NONE, weight=depth_weight,
                 required=('symbol',), optional=('limit',), summary='Order book snapshot of a symbol.'),
        Endpoint(name='get_recent_trades', call=REST('GET', f'{root}/v1/trades'), security=S.NONE, weight=5,
                 required=('symbol',), optional=('limit',), summary='Recent market trades of a symbol.'),
        # "Old Trades Lookup (MARKET_DATA)": the API key goes in the header, no signature. Weight 20 -> 200 in
        # OFF-UM 17.0.0 (2026-08-07); OFF-CM prints 200 too.
        Endpoint(name='get_historical_trades', call=REST('GET', f'{root}/v1/historicalTrades'),
                 security=S.MARKET_DATA, weight=200, required=('symbol',), optional=('limit', 'fromId'),
                 summary='Older market trades of a symbol (last month only).'),
        Endpoint(name='get_aggregate_trades', call=REST('GET', f'{root}/v1/aggTrades'), security=S.NONE, weight=20,
                 required=('symbol',), optional=('fromId', 'startTime', 'endTime', 'limit'),
                 summary='Compressed, aggregate market trades of a symbol.'),
        Endpoint(name='get_klines', call=REST('GET', f'{root}/v1/klines'), security=S.NONE, weight=klines_weight,
                 required=('symbol', 'interval'), optional=_KLINES, summary='Klines (candlesticks) of a symbol.'),
        Endpoint(name='get_continuous_klines', call=REST('GET', f'{root}/v1/continuousKlines'), security=S.NONE,
                 weight=klines_weight, required=('pair', 'contractType', 'interval'), optional=_KLINES,
                 summary='Klines of a pair for one contract type (PERPETUAL, CURRENT_QUARTER, ...).'),
        Endpoint(name='get_index_price_klines', call=REST('GET', f'{root}/v1/indexPriceKlines'), security=S.NONE,
                 weight=klines_weight, required=('pair', 'interval'), optional=_KLINES,
                 summary='Index-price klines of a pair.'),
        Endpoint(name='get_mark_price_klines', call=REST('GET', f'{root}/v1/markPriceKlines'), security=S.NONE,
                 weight=klines_weight, required=('symbol', 'interval'), optional=_KLINES,
                 summary='Mark-price klines of a symbol.'),
        Endpoint(name='get_premium_index_klines', call=REST('GET', f'{root}/v1/premiumIndexKlines'),
                 security=S.NONE, weight=klines_weight, required=('symbol', 'interval'), optional=_KLINES,
                 summary='Premium-index klines of a symbol.'),
        # COIN-M also takes a `pair` (every symbol of the pair), never with `symbol` (OFF-CM).
        Endpoint(name='get_ticker', call=REST('GET', f'{root}/v1/ticker/24hr'), security=S.NONE,
                 weight=ticker_24hr_weight, check=check_ticker, optional=own['get_ticker'],
                 summary='24-hour rolling price change statistics, one symbol (or COIN-M pair) or all.'),
        # Binance: the X-MBX-USED-WEIGHT-1M header of this endpoint "is not accurate"; the row's weight is.
        Endpoint(name='get_orderbook_ticker', call=REST('GET', f'{root}/v1/ticker/bookTicker'), security=S.NONE,
                 weight=book_ticker_weight, check=check_book_ticker, optional=own['get_orderbook_ticker'],
                 summary='Best bid/ask price and quantity, one symbol (or COIN-M pair) or all.'),

        # -- trading ------------------------------------------------------------------------------
        # `order.place`: IP weight 0; 1 on each order pool (10 s and 1 min). The `check` refuses conditional
        # types before sending (-4120 since 2025-12-09 on UM, 2026-06-30 on CM): they go to create_algo_order.
        # Acks carry no `avgPrice`/`cumQuote`/`cumBase` since 2026-07-15: fills come from user data.
        Endpoint(name='create_order', call=WS('order.place'), security=S.TRADE, weight=0,
                 required=('symbol', 'side', 'type'), optional=_order_optional(own['create_order']),
                 refused=CONDITIONAL_ORDER_PARAMS, orders=1,
                 client_order_id='newClientOrderId', check=check_order,
                 summary='Place a new LIMIT or MARKET order (conditional orders: create_algo_order).'),
        # `order.modify`: OFF-UM prints IP 0 but UM-WSAPI 1, OFF-CM 1, so 1 is pre-charged; 1 on each order pool.
        # Both `quantity` and `price` are required on both markets: UM since 2026-06-09 ("Both `quantity` and
        # `price` must be sent", OFF-UM 11.0.0; optional from 2026-04-21, OFF-UM 10.0.1; FUTURES-API.md §1
        # predates that), CM since the 2026-06-30 integration (OFF-CM `order.modify`; FUTURES-API.md §2).
        # `modifyId` since 2026-07-28 (OFF-UM 15.0.0, OFF-CM 10.0.0).
        Endpoint(name='modify_order', call=WS('order.modify'), security=S.TRADE, weight=1,
                 required=('symbol', 'side', 'quantity', 'price', _ID), optional=('priceMatch', 'modifyId'), orders=1,
                 summary='Modify the price and quantity of an open LIMIT order.'),
        Endpoint(name='cancel_order', call=WS('order.cancel'), security=S.TRADE, weight=1, required=('symbol', _ID),
                 optional=(), summary='Cancel an active order.'),
        Endpoint(name='cancel_all_orders', call=REST('DELETE', f'{root}/v1/allOpenOrders'), security=S.TRADE,
                 weight=1, required=('symbol',), optional=(), summary='Cancel every open order of a symbol.'),
        Endpoint(name='get_order', call=WS('order.status'), security=S.USER_DATA, weight=1, required=('symbol', _ID),
                 optional=(), summary='Check the status of an order.'),
        Endpoint(name='get_open_orders', call=REST('GET', f'{root}/v1/openOrders'), security=S.USER_DATA,
                 weight=open_orders_weight, optional=own['get_open_orders'],
                 summary='Open orders of a symbol, or of all symbols.'),
        # "Place Multiple Orders": IP 5; orders 5 on the 10 s pool and 1 on the 1 min pool. The limiter charges
        # one count to every order pool, so the row says 5: exact on the 10 s pool and 4 too many on the 1 min
        # one, the conservative side (a few refusals late in a busy minute, never a -1015 from Binance).
        Endpoint(name='create_batch_orders', call=REST('POST', f'{root}/v1/batchOrders'), security=S.TRADE,
                 weight=5, required=('batchOrders',), optional=(), orders=5, check=check_batch_orders,
                 client_order_id='batchOrders[].newClientOrderId',
                 summary='Place up to 5 LIMIT or MARKET orders in one request.'),
        # "Cancel Multiple Orders": weight 1 (the spec's 5 is stale; OFF-UM, OFF-CM).
        Endpoint(name='cancel_batch_orders', call=REST('DELETE', f'{root}/v1/batchOrders'), security=S.TRADE,
                 weight=1, required=('symbol', ('orderIdList', 'origClientOrderIdList')), optional=(),
                 check=check_batch_cancel, summary='Cancel up to 10 orders of a symbol in one request.'),

        # -- account ------------------------------------------------------------------------------
        # `get_position` (`account.position`) is each market's own: UM filters it by symbol, CM by pair.
        Endpoint(name='get_commission', call=REST('GET', f'{root}/v1/commissionRate'), security=S.USER_DATA,
                 weight=20, required=('symbol',), optional=(), summary='Commission rates of a symbol.'),

        # -- position configuration ------------------------------------------------------------
        Endpoint(name='set_leverage', call=REST('POST', f'{root}/v1/leverage'), security=S.TRADE, weight=1,
                 required=('symbol', 'leverage'), optional=(), summary='Change the initial leverage of a symbol.'),
        Endpoint(name='set_margin_type', call=REST('POST', f'{root}/v1/marginType'), security=S.TRADE, weight=1,
                 required=('symbol', 'marginType'), optional=(),
                 summary='Change the margin type of a symbol: ISOLATED or CROSSED.'),
        # `type` is an INT here: 1 adds margin, 2 reduces it (an ENUM everywhere else: KINDS, FUTURES_TEXT_PARAMS).
        Endpoint(name='set_position_margin', call=REST('POST', f'{root}/v1/positionMargin'), security=S.TRADE,
                 weight=1, required=('symbol', 'amount', 'type'), optional=('positionSide',), not_text=('type',),
                 kinds={'type': Kind.INT},
                 summary='Add (type=1) or reduce (type=2) the margin of an isolated position.'),
        # REST, not the spec's WS `positionSide.dual.get`: that method is in neither OFF-UM's WS-API nor OFF-CM's
        # (which list order.*, account.*, algoOrder.* and userDataStream.* only), nor in BNET (FUTURES-API.md §1).
        Endpoint(name='get_position_mode', call=REST('GET', f'{root}/v1/positionSide/dual'), security=S.USER_DATA,
                 weight=30, optional=(), summary='Current position mode: hedge (dualSidePosition true) or one-way.'),
        # Since 2026-06-30 one setting serves UM and CM (CMUM A.1).
        Endpoint(name='set_position_mode', call=REST('POST', f'{root}/v1/positionSide/dual'), security=S.TRADE,
                 weight=1, required=('dualSidePosition',), optional=(),
                 summary='Change the position mode of every symbol: hedge (true) or one-way (false).'),
    )
    # fmt: on


_ALGO_ID = ('algoId', 'clientAlgoId')
# OFF-UM `new_algo_order` (REST `POST /fapi/v1/algoOrder` and WS `algoOrder.place` list the same). OFF-CM has no
# generated method for the algo family, so COIN-M's rows take USDⓈ-M's params, the family being one service since
# the 2026-06-30 integration (CMUM; BNET 13.1.0 "CoinM conditional order endpoints"; FUTURES-API.md §2: "as UM").
_ALGO_OPTIONAL = ('positionSide', 'timeInForce', 'quantity', 'price', 'triggerPrice', 'workingType', 'priceMatch',
                  'closePosition', 'priceProtect', 'reduceOnly', 'activatePrice', 'callbackRate', 'clientAlgoId',
                  'newOrderRespType', 'selfTradePreventionMode', 'goodTillDate')  # fmt: skip


def algo_endpoints(root: str, *, place: WS | REST, cancel: WS | REST) -> tuple[Endpoint, ...]:
    """The algo-order (conditional-order) rows under *root*: where Binance sends STOP, STOP_MARKET, TAKE_PROFIT,
    TAKE_PROFIT_MARKET and TRAILING_STOP_MARKET since they left the order endpoints (``-4120``; UM 2025-12-09,
    CM 2026-06-30). Not TWAP/VP as the spec says (FUTURES-API.md §1, §2, §7).

    Only the transport of placing and canceling differs: USDⓈ-M has ``algoOrder.place`` / ``algoOrder.cancel``
    on its WS-API; COIN-M only REST ``POST`` / ``DELETE {root}/v1/algoOrder`` (no ws-dapi algo method, OFF-CM).
    The params are USDⓈ-M's on both (OFF-CM documents none for this family).

    :param root: the market's REST root, ``'/fapi'`` or ``'/dapi'``.
    :param place: the call that places one (``WS('algoOrder.place')`` or ``REST('POST', '/dapi/v1/algoOrder')``).
    :param cancel: the call that cancels one.
    :returns: create, cancel, get, open, all, cancel-all rows.
    """
    # Not formatted: a table: one row per entry.
    # fmt: off
    return (
        # `algoType=CONDITIONAL` (its only value) with `triggerPrice` (or `activatePrice`/`callbackRate` for trailing
        # stops). IP weight 0 (UM `algoOrder.place`, CM POST per FUTURES-API.md §2), 1 on each order pool. At most
        # 200 open conditional orders across all symbols (UM since 2025-12-29, DCL).
        Endpoint(name='create_algo_order', call=place, security=S.TRADE, weight=0,
                 required=('algoType', 'symbol', 'side', 'type'), optional=_ALGO_OPTIONAL, orders=1,
                 client_order_id='clientAlgoId', text=('algoType', 'clientAlgoId'),
                 summary='Place a conditional (stop, take-profit or trailing-stop) algo order.'),
        Endpoint(name='cancel_algo_order', call=cancel, security=S.TRADE, weight=1,
                 required=(_ALGO_ID,), optional=(), text=('clientAlgoId',), summary='Cancel an active algo order.'),
        Endpoint(name='get_algo_order', call=REST('GET', f'{root}/v1/algoOrder'), security=S.USER_DATA, weight=1,
                 required=(_ALGO_ID,), optional=(), text=('clientAlgoId',),
                 summary='Check the status of an algo order.'),
        # UM: 1 with `symbol`, 40 without (OFF-UM). FUTURES-API.md §2 prints a single 1 for CM (BNET, which keeps
        # one number per endpoint): the UM rule is pre-charged there too, the safe side; headers then reconcile.
        Endpoint(name='get_open_algo_orders', call=REST('GET', f'{root}/v1/openAlgoOrders'),
                 security=S.USER_DATA, weight=open_orders_weight, optional=('algoType', 'symbol', 'algoId'),
                 summary='Open algo orders of a symbol, or of all symbols.'),
        # At most a 7-day window; the `page` param was removed on 2026-04-20 (OFF-UM).
        Endpoint(name='get_all_algo_orders', call=REST('GET', f'{root}/v1/allAlgoOrders'), security=S.USER_DATA,
                 weight=5, required=('symbol',), optional=('algoId', 'startTime', 'endTime', 'limit'),
                 summary='Algo orders of a symbol: open, canceled, triggered, finished.'),
        # Whether DELETE allOpenOrders also removes algo orders is unverified (FUTURES-API.md §1): this one does.
        Endpoint(name='cancel_all_algo_orders', call=REST('DELETE', f'{root}/v1/algoOpenOrders'), security=S.TRADE,
                 weight=1, required=('symbol',), optional=(), summary='Cancel every open algo order of a symbol.'),
    )
    # fmt: on


def account_endpoints(version: str) -> tuple[Endpoint, ...]:
    """The WS-API account and balance rows (weight 5 each, no params): USDⓈ-M the spec's ``'v2/'`` methods,
    COIN-M ``''`` (its WS-API has v1 only: OFF-CM ``account.status``, ``account.balance``)."""
    # Not formatted: a table: one row per entry.
    # fmt: off
    return (
        Endpoint(name='get_account', call=WS(f'{version}account.status'), security=S.USER_DATA, weight=5, optional=(),
                 summary='Account status: balances, margins and positions.'),
        Endpoint(name='get_balance', call=WS(f'{version}account.balance'), security=S.USER_DATA, weight=5, optional=(),
                 summary='Balance of every asset.'),
    )
    # fmt: on
