"""Hand-written transcripts for every COIN-M row, one each, from Binance's COIN-M docs, never from the rows: the
docstrings of Binance's generated COIN-M connector (OFF-CM: ``clients/derivatives_trading_coin_futures``,
``rest_api/api/*.py`` and ``websocket_api/api/*.py``, whose "after CM migration" notes carry the 2026-06-30 rules),
FUTURES-API.md §2 and, for the conditional-order family OFF-CM has no method for, Binance.Net's COIN-M trading
client (BNET). Fields: :class:`binance_futures.suite.rows.Case`.

One case a line (a table, not black's layout): name, wire, security, weight, required, kwargs, sent, reply, then the
keywords (``optional``: the docs' optional params, in their order). Symbols
are contract codes (``BTCUSD_PERP``); several endpoints take a ``pair`` (``BTCUSD``) instead of or besides a symbol.
"""

from decimal import Decimal

from binance_futures.suite.rows import Case as C

# Not formatted: tables, one case (or one example) a line.
# fmt: off
PERP = {'symbol': 'BTCUSD_PERP'}
PAIR = {'pair': 'BTCUSD'}
BAR = [1591258320000, '9640.7', '9642.4', '9640.6', '9642.0', '206', 1591258379999, '2.13660389', 48, '119', '0', '0']
TRADE = {'id': 28457, 'price': '9635.0', 'qty': '1', 'baseQty': '0.01037883', 'isBuyerMaker': True}
ACK = {'orderId': 18662274680, 'symbol': 'BTCUSD_PERP', 'pair': 'BTCUSD', 'status': 'NEW', 'clientOrderId': 'cm-1',
       'price': '43187.0', 'origQty': '2', 'executedQty': '0', 'timeInForce': 'GTC', 'type': 'LIMIT', 'side': 'BUY'}
ALGO = {'algoId': 3000000001, 'clientAlgoId': 'cm-algo-1', 'algoType': 'CONDITIONAL', 'orderType': 'STOP_MARKET',
        'symbol': 'BTCUSD_PERP', 'side': 'SELL', 'algoStatus': 'NEW', 'triggerPrice': '40000.0', 'quantity': '2'}
DONE = {'code': 200, 'msg': 'The operation of cancel all open order is done.'}
OK = {'code': 200, 'msg': 'success'}
# The docs' batch example (`place_multiple_orders`) plus a market order, each item with its client order id.
BATCH = [{'type': 'LIMIT', 'timeInForce': 'GTC', 'symbol': 'BTCUSD_PERP', 'side': 'BUY', 'price': '10001',
           'quantity': '1', 'newClientOrderId': 'cm-b1'},
         {'type': 'MARKET', 'symbol': 'BTCUSD_PERP', 'side': 'SELL', 'quantity': Decimal('3'),
          'newClientOrderId': 'cm-b2'}]
BATCH_TEXT = ('[{"type":"LIMIT","timeInForce":"GTC","symbol":"BTCUSD_PERP","side":"BUY","price":"10001","quantity":"1",'
              '"newClientOrderId":"cm-b1"},{"type":"MARKET","symbol":"BTCUSD_PERP","side":"SELL","quantity":"3",'
              '"newClientOrderId":"cm-b2"}]')
LIMIT = {'symbol': 'BTCUSD_PERP', 'side': 'BUY', 'type': 'LIMIT', 'timeInForce': 'GTC', 'quantity': '2',
         'price': '43187.0'}
MODIFY = {'symbol': 'BTCUSD_PERP', 'side': 'BUY', 'orderId': 18662274680, 'quantity': '3', 'price': '43190.5'}
STOP = {'algoType': 'CONDITIONAL', 'symbol': 'BTCUSD_PERP', 'side': 'SELL', 'type': 'STOP_MARKET', 'quantity': '2',
        'triggerPrice': '40000.0', 'workingType': 'MARK_PRICE'}
ID_LIST = 'orderId|origClientOrderId'
ALGO_ID = 'algoId|clientAlgoId'
# Optional params (the signatures of OFF-CM's methods, in their order, less `recvWindow` and the ids required as
# alternatives): the klines'; New Order's (`new_order`, REST and ws-dapi `order.place` alike: the conditional params
# still listed, no `goodTillDate`); and for the algo family, which OFF-CM has no method for, OFF-UM's `new_algo_order`.
KLINE_PARAMS = ('startTime', 'endTime', 'limit')
ORDER_PARAMS = ('positionSide', 'timeInForce', 'quantity', 'reduceOnly', 'price', 'newClientOrderId', 'stopPrice',
                'closePosition', 'activationPrice', 'callbackRate', 'workingType', 'priceProtect', 'newOrderRespType',
                'priceMatch', 'selfTradePreventionMode')
ALGO_PARAMS = ('positionSide', 'timeInForce', 'quantity', 'price', 'triggerPrice', 'workingType', 'priceMatch',
               'closePosition', 'priceProtect', 'reduceOnly', 'activatePrice', 'callbackRate', 'clientAlgoId',
               'newOrderRespType', 'selfTradePreventionMode', 'goodTillDate')

CASES = (
    # -- general (OFF-CM market_data_api: `test_connectivity`, `check_server_time`, `exchange_information`) ---------
    C('ping', 'GET /dapi/v1/ping', 'NONE', 1, (), {}, {}, {}, optional=()),
    C('get_server_time', 'GET /dapi/v1/time', 'NONE', 1, (), {}, {}, {'serverTime': 1499827319559}, optional=()),
    C('get_exchange_info', 'GET /dapi/v1/exchangeInfo', 'NONE', 1, (), {}, {}, {'timezone': 'UTC', 'symbols': []},
      optional=()),
    # -- market data -----------------------------------------------------------------------------------------
    C('get_open_interest', 'GET /dapi/v1/openInterest', 'NONE', 1, ('symbol',), PERP, PERP,
      {'symbol': 'BTCUSD_PERP', 'pair': 'BTCUSD', 'openInterest': '15004', 'contractType': 'PERPETUAL', 'time': 1},
      optional=()),
    # depth: limit 5, 10, 20, 50 -> 2
    C('get_orderbook', 'GET /dapi/v1/depth', 'NONE', 2, ('symbol',), {**PERP, 'limit': 50}, {**PERP, 'limit': '50'},
      {'lastUpdateId': 16769853, 'symbol': 'BTCUSD_PERP', 'pair': 'BTCUSD', 'bids': [['9638.0', '431']], 'asks': []},
      optional=('limit',)),
    C('get_recent_trades', 'GET /dapi/v1/trades', 'NONE', 5, ('symbol',), PERP, PERP, [TRADE], optional=('limit',)),
    # "Old Trades Lookup (MARKET_DATA)": the key, no signature; weight 200
    C('get_historical_trades', 'GET /dapi/v1/historicalTrades', 'MARKET_DATA', 200, ('symbol',),
      {**PERP, 'fromId': 28457}, {**PERP, 'fromId': '28457'}, [TRADE], optional=('limit', 'fromId')),
    C('get_aggregate_trades', 'GET /dapi/v1/aggTrades', 'NONE', 20, ('symbol',), {**PERP, 'fromId': 416690},
      {**PERP, 'fromId': '416690'}, [{'a': 416690, 'p': '9642.4', 'q': '3', 'f': 595259, 'l': 595259, 'm': False}],
      optional=('fromId', 'startTime', 'endTime', 'limit')),
    # klines, every kind: limit [1,100) -> 1; [100,500) -> 2; [500,1000] -> 5 (500 is the default); > 1000 -> 10
    C('get_klines', 'GET /dapi/v1/klines', 'NONE', 5, ('symbol', 'interval'), {**PERP, 'interval': '1h'},
      {**PERP, 'interval': '1h'}, [BAR], optional=KLINE_PARAMS),
    C('get_continuous_klines', 'GET /dapi/v1/continuousKlines', 'NONE', 2, ('pair', 'contractType', 'interval'),
      {**PAIR, 'contractType': 'CURRENT_QUARTER', 'interval': '4h', 'limit': 499},
      {**PAIR, 'contractType': 'CURRENT_QUARTER', 'interval': '4h', 'limit': '499'}, [BAR], optional=KLINE_PARAMS),
    C('get_index_price_klines', 'GET /dapi/v1/indexPriceKlines', 'NONE', 1, ('pair', 'interval'),
      {**PAIR, 'interval': '1d', 'limit': 1}, {**PAIR, 'interval': '1d', 'limit': '1'}, [BAR], optional=KLINE_PARAMS),
    C('get_mark_price_klines', 'GET /dapi/v1/markPriceKlines', 'NONE', 10, ('symbol', 'interval'),
      {**PERP, 'interval': '5m', 'limit': 1001}, {**PERP, 'interval': '5m', 'limit': '1001'}, [BAR],
      optional=KLINE_PARAMS),
    C('get_premium_index_klines', 'GET /dapi/v1/premiumIndexKlines', 'NONE', 5, ('symbol', 'interval'),
      {**PERP, 'interval': '1m', 'limit': 500}, {**PERP, 'interval': '1m', 'limit': '500'}, [BAR],
      optional=KLINE_PARAMS),
    # ticker/24hr: 1 with `symbol`, 40 without (a pair asks for all its symbols)
    C('get_ticker', 'GET /dapi/v1/ticker/24hr', 'NONE', 40, (), PAIR, PAIR,
      [{'symbol': 'BTCUSD_PERP', 'pair': 'BTCUSD', 'priceChange': '-94.9', 'lastPrice': '9642.4', 'count': 6}],
      optional=('symbol', 'pair')),
    # ticker/price: 1 with `symbol`, 2 without
    C('get_ticker_price', 'GET /dapi/v1/ticker/price', 'NONE', 1, (), PERP, PERP,
      [{'symbol': 'BTCUSD_PERP', 'ps': 'BTCUSD', 'price': '9647.8', 'time': 1591257246176}],
      optional=('symbol', 'pair')),
    # ticker/bookTicker: 2 with `symbol`, 5 without
    C('get_orderbook_ticker', 'GET /dapi/v1/ticker/bookTicker', 'NONE', 5, (), {}, {},
      [{'symbol': 'BTCUSD_PERP', 'pair': 'BTCUSD', 'bidPrice': '9650.1', 'bidQty': '16', 'askPrice': '9650.3'}],
      optional=('symbol', 'pair')),
    # `pair` and `period` (not `symbol`); `contractType` optional since 2026-08-18 (OFF-CM 13.0.0). Weight 1, and
    # OFF-CM names no 5-minute pool here (UM's /futures/data pool is documented on UM's pages only).
    C('get_open_interest_hist', 'GET /futures/data/openInterestHist', 'NONE', 1, ('pair', 'period'),
      {**PAIR, 'period': '1h', 'contractType': 'PERPETUAL'}, {**PAIR, 'period': '1h', 'contractType': 'PERPETUAL'},
      [{'pair': 'BTCUSD', 'contractType': 'PERPETUAL', 'sumOpenInterest': '20403', 'timestamp': 1591261042378}],
      optional=('contractType', 'limit', 'startTime', 'endTime')),
    # `symbol` required on COIN-M; an empty list for delivery symbols. Weight 1, no funding pool (OFF-CM).
    C('get_funding_rate', 'GET /dapi/v1/fundingRate', 'NONE', 1, ('symbol',), {**PERP, 'limit': 2},
      {**PERP, 'limit': '2'}, [{'symbol': 'BTCUSD_PERP', 'fundingTime': 1596038400000, 'fundingRate': '-0.003'}],
      optional=('startTime', 'endTime', 'limit')),
    # OFF-CM prints no weight here; FUTURES-API.md §2: 1 (the spec, REF)
    C('get_funding_info', 'GET /dapi/v1/fundingInfo', 'NONE', 1, (), {}, {},
      [{'symbol': 'BTCUSD_PERP', 'adjustedFundingRateCap': '0.02500000', 'fundingIntervalHours': 8}], optional=()),
    # 10 flat, `symbol` or `pair`; always a list
    C('get_premium_index', 'GET /dapi/v1/premiumIndex', 'NONE', 10, (), PAIR, PAIR,
      [{'symbol': 'BTCUSD_PERP', 'pair': 'BTCUSD', 'markPrice': '11029.69574559', 'lastFundingRate': '0.00071003'}],
      optional=('symbol', 'pair')),
    # -- trading -----------------------------------------------------------------------------------------------
    # ws-dapi `order.place`: IP 0; 1 on each order pool (the 10 s pool is shared with UM since 2026-06-30)
    C('create_order', 'order.place', 'TRADE', 0, ('symbol', 'side', 'type'), {**LIMIT, 'quantity': Decimal('2')}, LIMIT,
      ACK, orders=1, optional=ORDER_PARAMS),
    # `order.modify`: 1 on the IP weight and on each order pool; both `quantity` and `price` ("after CM migration")
    C('modify_order', 'order.modify', 'TRADE', 1, ('symbol', 'side', 'quantity', 'price', ID_LIST), MODIFY, MODIFY,
      {**ACK, 'origQty': '3', 'price': '43190.5'}, orders=1, optional=('priceMatch', 'modifyId')),
    C('cancel_order', 'order.cancel', 'TRADE', 1, ('symbol', ID_LIST), {**PERP, 'origClientOrderId': 'cm-1'},
      {**PERP, 'origClientOrderId': 'cm-1'}, {**ACK, 'status': 'CANCELED'}, optional=()),
    C('cancel_all_orders', 'DELETE /dapi/v1/allOpenOrders', 'TRADE', 1, ('symbol',), PERP, PERP, DONE, optional=()),
    C('get_order', 'order.status', 'USER_DATA', 1, ('symbol', ID_LIST), {**PERP, 'orderId': 18662274680},
      {**PERP, 'orderId': 18662274680}, ACK, optional=()),
    # 1 for a single symbol, 40 for several: a pair asks for all its symbols
    C('get_open_orders', 'GET /dapi/v1/openOrders', 'USER_DATA', 40, (), PAIR, PAIR, [ACK],
      optional=('symbol', 'pair')),
    # `symbol` or `pair`; 5 flat since 2026-06-30 (was 20 with symbol, 40 with pair; OFF-CM, BNET)
    C('get_all_orders', 'GET /dapi/v1/allOrders', 'USER_DATA', 5, ('symbol|pair',), {**PAIR, 'limit': 50},
      {**PAIR, 'limit': '50'}, [ACK], optional=('orderId', 'startTime', 'endTime', 'limit')),
    # "Place Multiple Orders": IP 5, at most 5 orders; 5 counted on the order pools, as on UM (FUTURES-API.md §1)
    C('create_batch_orders', 'POST /dapi/v1/batchOrders', 'TRADE', 5, ('batchOrders',), {'batchOrders': BATCH},
      {'batchOrders': BATCH_TEXT}, [ACK, {'code': -2022, 'msg': 'ReduceOnly Order is rejected.'}], orders=5,
      optional=()),
    C('cancel_batch_orders', 'DELETE /dapi/v1/batchOrders', 'TRADE', 1, ('symbol', 'orderIdList|origClientOrderIdList'),
      {**PERP, 'origClientOrderIdList': ['cm-b1', 'cm-b2']}, {**PERP, 'origClientOrderIdList': '["cm-b1","cm-b2"]'},
      [{**ACK, 'status': 'CANCELED'}, {'code': -2011, 'msg': 'Unknown order sent.'}], optional=()),
    # -- account: ws-dapi has v1 only (`account.status`, `account.balance`, `account.position`: 5 each) -----------
    C('get_account', 'account.status', 'USER_DATA', 5, (), {}, {},
      {'assets': [{'asset': 'BTC', 'walletBalance': '0.00241969'}], 'canTrade': True, 'positions': []}, optional=()),
    C('get_balance', 'account.balance', 'USER_DATA', 5, (), {}, {},
      [{'accountAlias': 'SgsR', 'asset': 'BTC', 'balance': '0.00250000', 'availableBalance': '0.00241969'}],
      optional=()),
    C('get_position', 'account.position', 'USER_DATA', 5, (), PAIR, PAIR,
      [{'symbol': 'BTCUSD_PERP', 'positionAmt': '2', 'entryPrice': '43187.0', 'positionSide': 'BOTH'}],
      optional=('marginAsset', 'pair')),
    # v1, weight 1, by `marginAsset` or `pair` (no `symbol`)
    C('get_position_risk', 'GET /dapi/v1/positionRisk', 'USER_DATA', 1, (), {'marginAsset': 'BTC'},
      {'marginAsset': 'BTC'}, [{'symbol': 'BTCUSD_PERP', 'positionAmt': '0', 'marginType': 'cross', 'leverage': '20'}],
      optional=('marginAsset', 'pair')),
    # `symbol` or `pair`, not both; `orderId` only with `symbol`; 5 flat since 2026-06-30
    C('get_user_trades', 'GET /dapi/v1/userTrades', 'USER_DATA', 5, ('symbol|pair',), {**PERP, 'orderId': 18662274680},
      {**PERP, 'orderId': '18662274680'}, [{'symbol': 'BTCUSD_PERP', 'id': 6, 'orderId': 18662274680, 'qty': '2'}],
      optional=('orderId', 'startTime', 'endTime', 'fromId', 'limit')),
    C('get_commission', 'GET /dapi/v1/commissionRate', 'USER_DATA', 20, ('symbol',), PERP, PERP,
      {'symbol': 'BTCUSD_PERP', 'makerCommissionRate': '0.00015', 'takerCommissionRate': '0.00040'}, optional=()),
    C('get_income', 'GET /dapi/v1/income', 'USER_DATA', 20, (), {'incomeType': 'FUNDING_FEE', 'page': 2},
      {'incomeType': 'FUNDING_FEE', 'page': '2'}, [{'symbol': 'BTCUSD_PERP', 'income': '-0.00000015', 'asset': 'BTC'}],
      optional=('symbol', 'incomeType', 'startTime', 'endTime', 'page', 'limit')),
    # v2 (by symbol; v1 takes a pair): 1 with `symbol`, 2 without since 2026-06-30
    C('get_leverage_bracket', 'GET /dapi/v2/leverageBracket', 'USER_DATA', 2, (), {}, {},
      [{'symbol': 'BTCUSD_PERP', 'notionalCoef': 1.5, 'brackets': [{'bracket': 1, 'initialLeverage': 125}]}],
      optional=('symbol',)),
    # -- position configuration --------------------------------------------------------------------------------
    C('set_leverage', 'POST /dapi/v1/leverage', 'TRADE', 1, ('symbol', 'leverage'), {**PERP, 'leverage': 20},
      {**PERP, 'leverage': '20'}, {'leverage': 20, 'maxQty': '100', 'symbol': 'BTCUSD_PERP'}, optional=()),
    C('set_margin_type', 'POST /dapi/v1/marginType', 'TRADE', 1, ('symbol', 'marginType'),
      {**PERP, 'marginType': 'CROSSED'}, {**PERP, 'marginType': 'CROSSED'}, OK, optional=()),
    # `type` is an INT: 2 reduces the margin
    C('set_position_margin', 'POST /dapi/v1/positionMargin', 'TRADE', 1, ('symbol', 'amount', 'type'),
      {**PERP, 'amount': Decimal('0.001'), 'type': 2}, {**PERP, 'amount': '0.001', 'type': '2'},
      {'amount': 0.001, 'code': 200, 'msg': 'Successfully modify position margin.', 'type': 2},
      optional=('positionSide',)),
    C('get_position_mode', 'GET /dapi/v1/positionSide/dual', 'USER_DATA', 30, (), {}, {}, {'dualSidePosition': False},
      optional=()),
    # one setting for UM and CM since 2026-06-30 (-4067 / -4068 while either market has open orders or positions)
    C('set_position_mode', 'POST /dapi/v1/positionSide/dual', 'TRADE', 1, ('dualSidePosition',),
      {'dualSidePosition': False}, {'dualSidePosition': 'false'}, OK, optional=()),
    # -- conditional orders: REST /dapi/v1/algoOrder (no ws-dapi method; BNET 13.1.0, FUTURES-API.md §2) ----------
    # POST: IP 0, 1 on each order pool
    C('create_algo_order', 'POST /dapi/v1/algoOrder', 'TRADE', 0, ('algoType', 'symbol', 'side', 'type'), STOP, STOP,
      ALGO, orders=1, optional=ALGO_PARAMS),
    C('cancel_algo_order', 'DELETE /dapi/v1/algoOrder', 'TRADE', 1, (ALGO_ID,), {'algoId': 3000000001},
      {'algoId': '3000000001'}, {'algoId': 3000000001, 'clientAlgoId': 'cm-algo-1', 'code': '200', 'msg': 'success'},
      optional=()),
    C('get_algo_order', 'GET /dapi/v1/algoOrder', 'USER_DATA', 1, (ALGO_ID,), {'clientAlgoId': 'cm-algo-1'},
      {'clientAlgoId': 'cm-algo-1'}, ALGO, optional=()),
    # 1 with `symbol`, 40 without (BNET)
    C('get_open_algo_orders', 'GET /dapi/v1/openAlgoOrders', 'USER_DATA', 40, (), {}, {}, [ALGO],
      optional=('algoType', 'symbol', 'algoId')),
    C('get_all_algo_orders', 'GET /dapi/v1/allAlgoOrders', 'USER_DATA', 5, ('symbol',), {**PERP, 'limit': 10},
      {**PERP, 'limit': '10'}, [ALGO], optional=('algoId', 'startTime', 'endTime', 'limit')),
    C('cancel_all_algo_orders', 'DELETE /dapi/v1/algoOpenOrders', 'TRADE', 1, ('symbol',), PERP, PERP, DONE,
      optional=()),
)
# fmt: on


class Coinm:
    """COIN-M's data for the checks every futures market runs (``binance_futures.suite``); test classes add the
    client class."""

    cases, rest_root = CASES, '/dapi'
    # ws-dapi documents no session methods (OFF-CM's WS-API: order.*, account.*, userDataStream.* only), so
    # Ed25519 keys sign every request, as HMAC and RSA keys do.
    ws_logon = False
    symbol, second_symbol = 'BTCUSD_PERP', 'ETHUSD_PERP'
    order, algo_order = LIMIT, {k: v for k, v in STOP.items() if k != 'workingType'}
