"""Hand-written transcripts for every USDⓈ-M row, one each, written from Binance's docs (the USDⓈ-M
"Market Data", "Trade", "Account" and WebSocket API pages as Binance's generated connector carries them,
OFF-UM in FUTURES-API.md) and FUTURES-API.md §1, never from the rows: what a caller passes, what the exchange
must receive, and what the client's limiter is charged. Each case's ``optional`` is the optional params of the
OFF-UM method's signature, in its order, less ``recvWindow`` and the ids already required as alternatives.

The fields are described on :class:`binance_futures.suite.rows.Case`.
"""

from decimal import Decimal

from binance_futures.suite.rows import Case

SYMBOL = {'symbol': 'BTCUSDT'}
KLINE = [
    1591258320000,
    '9640.7',
    '9642.4',
    '9640.6',
    '9642.0',
    '206',
    1591258379999,
    '2.13660389',
    48,
    '119',
    '1.1',
    '0',
]
ORDER_ACK = {
    'orderId': 325078477,
    'symbol': 'BTCUSDT',
    'status': 'NEW',
    'clientOrderId': 'iCXL1BywlBaf2sesNUrVl3',
    'price': '43187.00',
    'origQty': '0.100',
    'executedQty': '0.000',
    'timeInForce': 'GTC',
    'type': 'LIMIT',
    'side': 'BUY',
    'updateTime': 1702555534435,
}
ALGO = {
    'algoId': 2146760,
    'clientAlgoId': '6B2I9XVcJpCjqPAJ4YoFX7',
    'algoType': 'CONDITIONAL',
    'orderType': 'TAKE_PROFIT',
    'symbol': 'BNBUSDT',
    'side': 'SELL',
    'algoStatus': 'NEW',
    'triggerPrice': '750.000',
    'quantity': '0.01',
}
# The optional params of the longer lists (OFF-UM `kline_candlestick_data` and the other klines; `new_order` and WS
# `new_order` (`order.place`); `test_order`; `new_algo_order`, REST and WS).
KLINE_PARAMS = ('startTime', 'endTime', 'limit')
# New Order lost `stopPrice`, `closePosition`, `activationPrice`, `callbackRate`, `workingType` and `priceProtect`
# (REST 2025-12-22, WS 2026-06-09).
ORDER_PARAMS = ('positionSide', 'timeInForce', 'reduceOnly', 'quantity', 'price', 'newClientOrderId',
                'newOrderRespType', 'priceMatch', 'selfTradePreventionMode', 'goodTillDate')  # fmt: skip
# The test order still lists them.
TEST_ORDER_PARAMS = ('positionSide', 'reduceOnly', 'quantity', 'price', 'newClientOrderId', 'stopPrice',
                     'closePosition', 'activationPrice', 'callbackRate', 'timeInForce', 'workingType', 'priceProtect',
                     'newOrderRespType', 'priceMatch', 'selfTradePreventionMode', 'goodTillDate')  # fmt: skip
ALGO_PARAMS = ('positionSide', 'timeInForce', 'quantity', 'price', 'triggerPrice', 'workingType', 'priceMatch',
               'closePosition', 'priceProtect', 'reduceOnly', 'activatePrice', 'callbackRate', 'clientAlgoId',
               'newOrderRespType', 'selfTradePreventionMode', 'goodTillDate')  # fmt: skip

CASES = (
    # -- general ----------------------------------------------------------------------------------
    Case('ping', 'GET /fapi/v1/ping', 'NONE', 1, (), {}, {}, {}, optional=()),
    Case('get_server_time', 'GET /fapi/v1/time', 'NONE', 1, (), {}, {}, {'serverTime': 1499827319559}, optional=()),
    Case(
        'get_exchange_info',
        'GET /fapi/v1/exchangeInfo',
        'NONE',
        1,
        (),
        {},
        {},
        {'timezone': 'UTC', 'serverTime': 1565613908500, 'rateLimits': [], 'assets': [], 'symbols': []},
        optional=(),
    ),
    # -- market data --------------------------------------------------------------------------------
    Case(
        'get_open_interest',
        'GET /fapi/v1/openInterest',
        'NONE',
        1,
        ('symbol',),
        SYMBOL,
        SYMBOL,
        {'openInterest': '10659.509', 'symbol': 'BTCUSDT', 'time': 1589437530011},
        optional=(),
    ),
    Case(
        'get_orderbook',
        'GET /fapi/v1/depth',
        'NONE',
        5,  # limit 100
        ('symbol',),
        {'symbol': 'BTCUSDT', 'limit': 100},
        {'symbol': 'BTCUSDT', 'limit': '100'},
        {'lastUpdateId': 1027024, 'E': 1589436922972, 'T': 1589436922959, 'bids': [['4.0', '431.0']], 'asks': []},
        optional=('limit',),
    ),
    Case(
        'get_recent_trades',
        'GET /fapi/v1/trades',
        'NONE',
        5,
        ('symbol',),
        {'symbol': 'BTCUSDT', 'limit': 1},
        {'symbol': 'BTCUSDT', 'limit': '1'},
        [{'id': 28457, 'price': '4.00000100', 'qty': '12.00000000', 'time': 1499865549590, 'isBuyerMaker': True}],
        optional=('limit',),
    ),
    Case(
        'get_historical_trades',
        'GET /fapi/v1/historicalTrades',
        'MARKET_DATA',  # "Old Trades Lookup (MARKET_DATA)": API key, no signature
        200,  # 20 until OFF-UM 17.0.0 (2026-08-07)
        ('symbol',),
        {'symbol': 'BTCUSDT', 'limit': 1, 'fromId': 28457},
        {'symbol': 'BTCUSDT', 'limit': '1', 'fromId': '28457'},
        [{'id': 28457, 'price': '4.00000100', 'qty': '12.00000000', 'time': 1499865549590, 'isBuyerMaker': True}],
        optional=('limit', 'fromId'),
    ),
    Case(
        'get_aggregate_trades',
        'GET /fapi/v1/aggTrades',
        'NONE',
        20,
        ('symbol',),
        {'symbol': 'BTCUSDT', 'startTime': 1499865549000, 'endTime': 1499865550000},
        {'symbol': 'BTCUSDT', 'startTime': '1499865549000', 'endTime': '1499865550000'},
        [{'a': 26129, 'p': '0.01633102', 'q': '4.70443515', 'f': 27781, 'l': 27781, 'T': 1498793709153, 'm': True}],
        optional=('fromId', 'startTime', 'endTime', 'limit'),
    ),
    Case(
        'get_klines',
        'GET /fapi/v1/klines',
        'NONE',
        1,  # limit [1, 100)
        ('symbol', 'interval'),
        {'symbol': 'BTCUSDT', 'interval': '1h', 'limit': 99},
        {'symbol': 'BTCUSDT', 'interval': '1h', 'limit': '99'},
        [KLINE],
        optional=KLINE_PARAMS,
    ),
    Case(
        'get_continuous_klines',
        'GET /fapi/v1/continuousKlines',
        'NONE',
        2,  # limit [100, 500)
        ('pair', 'contractType', 'interval'),
        {'pair': 'BTCUSDT', 'contractType': 'PERPETUAL', 'interval': '1d', 'limit': 100},
        {'pair': 'BTCUSDT', 'contractType': 'PERPETUAL', 'interval': '1d', 'limit': '100'},
        [KLINE],
        optional=KLINE_PARAMS,
    ),
    Case(
        'get_index_price_klines',
        'GET /fapi/v1/indexPriceKlines',
        'NONE',
        5,  # the default limit, 500
        ('pair', 'interval'),
        {'pair': 'BTCUSDT', 'interval': '1m'},
        {'pair': 'BTCUSDT', 'interval': '1m'},
        [KLINE],
        optional=KLINE_PARAMS,
    ),
    Case(
        'get_mark_price_klines',
        'GET /fapi/v1/markPriceKlines',
        'NONE',
        10,  # limit > 1000
        ('symbol', 'interval'),
        {'symbol': 'BTCUSDT', 'interval': '1m', 'limit': 1500},
        {'symbol': 'BTCUSDT', 'interval': '1m', 'limit': '1500'},
        [KLINE],
        optional=KLINE_PARAMS,
    ),
    Case(
        'get_premium_index_klines',
        'GET /fapi/v1/premiumIndexKlines',
        'NONE',
        5,  # limit [500, 1000]
        ('symbol', 'interval'),
        {'symbol': 'BTCUSDT', 'interval': '1m', 'limit': 1000},
        {'symbol': 'BTCUSDT', 'interval': '1m', 'limit': '1000'},
        [KLINE],
        optional=KLINE_PARAMS,
    ),
    Case(
        'get_ticker',
        'GET /fapi/v1/ticker/24hr',
        'NONE',
        40,  # without a symbol
        (),
        {},
        {},
        [{'symbol': 'BTCUSDT', 'priceChange': '-94.99999800', 'lastPrice': '4.00000200', 'count': 76}],
        optional=('symbol',),
    ),
    Case(
        'get_orderbook_ticker',
        'GET /fapi/v1/ticker/bookTicker',
        'NONE',
        2,  # with a symbol
        (),
        SYMBOL,
        SYMBOL,
        {'symbol': 'BTCUSDT', 'bidPrice': '4.0', 'bidQty': '431.0', 'askPrice': '4.0000', 'askQty': '9.0'},
        optional=('symbol',),
    ),
    Case(
        'get_open_interest_hist',
        'GET /futures/data/openInterestHist',
        'NONE',
        1,  # Binance prints 0; the spec's 1 is pre-charged (FUTURES-API.md §1)
        ('symbol', 'period'),
        {'symbol': 'BTCUSDT', 'period': '5m', 'limit': 30},
        {'symbol': 'BTCUSDT', 'period': '5m', 'limit': '30'},
        [{'symbol': 'BTCUSDT', 'sumOpenInterest': '20403.6', 'sumOpenInterestValue': '150570784.07', 'timestamp': 1}],
        group='futures-data',  # 1000 requests / 5 min / IP
        optional=('limit', 'startTime', 'endTime'),
    ),
    Case(
        'get_funding_rate',
        'GET /fapi/v1/fundingRate',
        'NONE',
        1,  # no IP weight printed; the spec's 1
        (),
        {'symbol': 'BTCUSDT', 'limit': 10},
        {'symbol': 'BTCUSDT', 'limit': '10'},
        [{'symbol': 'BTCUSDT', 'fundingRate': '-0.03750000', 'fundingTime': 1570608000000, 'markPrice': '34287.5'}],
        group='funding',  # 500 requests / 5 min / IP, with fundingInfo
        optional=('symbol', 'startTime', 'endTime', 'limit'),
    ),
    Case(
        'get_funding_info',
        'GET /fapi/v1/fundingInfo',
        'NONE',
        1,  # Binance prints 0; the spec's 1
        (),
        {},
        {},
        [{'symbol': 'BLZUSDT', 'adjustedFundingRateCap': '0.02500000', 'fundingIntervalHours': 8}],
        group='funding',
        optional=(),
    ),
    Case(
        'get_premium_index',
        'GET /fapi/v1/premiumIndex',
        'NONE',
        1,  # with a symbol
        (),
        SYMBOL,
        SYMBOL,
        {'symbol': 'BTCUSDT', 'markPrice': '11793.63104562', 'indexPrice': '11781.80495970', 'time': 1597992641000},
        optional=('symbol',),
    ),
    Case(
        'get_ticker_price',
        'GET /fapi/v2/ticker/price',
        'NONE',
        2,  # without a symbol
        (),
        {},
        {},
        [{'symbol': 'BTCUSDT', 'price': '6000.01', 'time': 1589437530011}],
        optional=('symbol',),
    ),
    # -- trading ------------------------------------------------------------------------------------
    Case(
        'create_order',
        'order.place',
        'TRADE',
        0,  # IP 0; 1 on each order pool
        ('symbol', 'side', 'type'),
        {
            'symbol': 'BTCUSDT',
            'side': 'BUY',
            'type': 'LIMIT',
            'timeInForce': 'GTC',
            'quantity': Decimal('0.100'),
            'price': '43187.00',
        },
        {
            'symbol': 'BTCUSDT',
            'side': 'BUY',
            'type': 'LIMIT',
            'timeInForce': 'GTC',
            'quantity': '0.100',
            'price': '43187.00',
        },
        ORDER_ACK,
        orders=1,
        optional=ORDER_PARAMS,
    ),
    Case(
        'create_test_order',
        'POST /fapi/v1/order/test',
        'TRADE',
        1,  # not printed by Binance; the spec's 1
        ('symbol', 'side', 'type'),
        {'symbol': 'BTCUSDT', 'side': 'SELL', 'type': 'MARKET', 'quantity': '0.001'},
        {'symbol': 'BTCUSDT', 'side': 'SELL', 'type': 'MARKET', 'quantity': '0.001'},
        {},
        optional=TEST_ORDER_PARAMS,
    ),
    Case(
        'modify_order',
        'order.modify',
        'TRADE',
        1,  # 0 per OFF-UM, 1 per the WS-API page: 1 pre-charged; 1 on each order pool
        ('symbol', 'side', 'quantity', 'price', 'orderId|origClientOrderId'),
        {'symbol': 'BTCUSDT', 'side': 'BUY', 'orderId': 328971409, 'quantity': '0.100', 'price': '43769.1'},
        {'symbol': 'BTCUSDT', 'side': 'BUY', 'orderId': 328971409, 'quantity': '0.100', 'price': '43769.1'},
        dict(ORDER_ACK, orderId=328971409, price='43769.10'),
        orders=1,
        optional=('priceMatch', 'modifyId'),
    ),
    Case(
        'cancel_order',
        'order.cancel',
        'TRADE',
        1,
        ('symbol', 'orderId|origClientOrderId'),
        {'symbol': 'BTCUSDT', 'orderId': 283194212},
        {'symbol': 'BTCUSDT', 'orderId': 283194212},
        dict(ORDER_ACK, orderId=283194212, status='CANCELED'),
        optional=(),
    ),
    Case(
        'cancel_all_orders',
        'DELETE /fapi/v1/allOpenOrders',
        'TRADE',
        1,
        ('symbol',),
        SYMBOL,
        SYMBOL,
        {'code': 200, 'msg': 'The operation of cancel all open order is done.'},
        optional=(),
    ),
    Case(
        'get_order',
        'order.status',
        'USER_DATA',
        1,
        ('symbol', 'orderId|origClientOrderId'),
        {'symbol': 'BTCUSDT', 'origClientOrderId': 'my-order-1'},
        {'symbol': 'BTCUSDT', 'origClientOrderId': 'my-order-1'},
        dict(ORDER_ACK, clientOrderId='my-order-1'),
        optional=(),
    ),
    # no symbol: 40
    Case('get_open_orders', 'GET /fapi/v1/openOrders', 'USER_DATA', 40, (), {}, {}, [ORDER_ACK], optional=('symbol',)),
    Case(
        'get_all_orders',
        'GET /fapi/v1/allOrders',
        'USER_DATA',
        5,
        ('symbol',),
        {'symbol': 'BTCUSDT', 'limit': 500},
        {'symbol': 'BTCUSDT', 'limit': '500'},
        [ORDER_ACK],
        optional=('orderId', 'startTime', 'endTime', 'limit'),
    ),
    Case(
        'create_batch_orders',
        'POST /fapi/v1/batchOrders',
        'TRADE',
        5,  # IP 5; orders 5 on the 10 s pool, 1 on the 1 min pool: the row charges 5 to both
        ('batchOrders',),
        {
            'batchOrders': [
                {
                    'symbol': 'BTCUSDT',
                    'side': 'BUY',
                    'type': 'LIMIT',
                    'timeInForce': 'GTC',
                    'quantity': '1',
                    'price': '10001',
                    'newClientOrderId': 'b1',
                },
                {
                    'symbol': 'BTCUSDT',
                    'side': 'SELL',
                    'type': 'MARKET',
                    'quantity': Decimal('0.5'),
                    'newClientOrderId': 'b2',
                },
            ]
        },
        {
            'batchOrders': '[{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"1",'
            '"price":"10001","newClientOrderId":"b1"},{"symbol":"BTCUSDT","side":"SELL","type":"MARKET",'
            '"quantity":"0.5","newClientOrderId":"b2"}]'
        },
        [ORDER_ACK, {'code': -2022, 'msg': 'ReduceOnly Order is rejected.'}],
        orders=5,
        optional=(),
    ),
    Case(
        'cancel_batch_orders',
        'DELETE /fapi/v1/batchOrders',
        'TRADE',
        1,  # the spec's 5 is stale
        ('symbol', 'orderIdList|origClientOrderIdList'),
        {'symbol': 'BTCUSDT', 'orderIdList': [283194212, 283194213]},
        {'symbol': 'BTCUSDT', 'orderIdList': '[283194212,283194213]'},
        [dict(ORDER_ACK, status='CANCELED'), {'code': -2011, 'msg': 'Unknown order sent.'}],
        optional=(),
    ),
    # -- account --------------------------------------------------------------------------------------
    Case(
        'get_account',
        'v2/account.status',
        'USER_DATA',
        5,
        (),
        {},
        {},
        {'totalWalletBalance': '103.12345678', 'availableBalance': '103.12345678', 'assets': [], 'positions': []},
        optional=(),
    ),
    Case(
        'get_balance',
        'v2/account.balance',
        'USER_DATA',
        5,
        (),
        {},
        {},
        [{'accountAlias': 'SgsR', 'asset': 'USDT', 'balance': '122.12345678', 'availableBalance': '122.12345678'}],
        optional=(),
    ),
    Case(
        'get_position',
        'account.position',
        'USER_DATA',
        5,
        (),
        SYMBOL,
        SYMBOL,
        [{'symbol': 'BTCUSDT', 'positionAmt': '0.001', 'entryPrice': '30000.0', 'positionSide': 'BOTH'}],
        optional=('symbol',),
    ),
    Case(
        'get_position_risk',
        'GET /fapi/v3/positionRisk',
        'USER_DATA',
        5,
        (),
        SYMBOL,
        SYMBOL,
        [{'symbol': 'BTCUSDT', 'positionSide': 'BOTH', 'positionAmt': '1.000', 'liquidationPrice': '0'}],
        optional=('symbol',),
    ),
    Case(
        'get_user_trades',
        'GET /fapi/v1/userTrades',
        'USER_DATA',
        5,
        ('symbol',),
        {'symbol': 'BTCUSDT', 'orderId': 25851813},
        {'symbol': 'BTCUSDT', 'orderId': '25851813'},
        [{'symbol': 'BTCUSDT', 'id': 698759, 'orderId': 25851813, 'price': '7819.01', 'qty': '0.002', 'buyer': False}],
        optional=('orderId', 'startTime', 'endTime', 'fromId', 'limit'),
    ),
    Case(
        'get_commission',
        'GET /fapi/v1/commissionRate',
        'USER_DATA',
        20,
        ('symbol',),
        SYMBOL,
        SYMBOL,
        {'symbol': 'BTCUSDT', 'makerCommissionRate': '0.0002', 'takerCommissionRate': '0.0004'},
        optional=(),
    ),
    Case(
        'get_income',
        'GET /fapi/v1/income',
        'USER_DATA',
        30,
        (),
        {'incomeType': 'FUNDING_FEE', 'limit': 100},
        {'incomeType': 'FUNDING_FEE', 'limit': '100'},
        [{'symbol': 'BTCUSDT', 'incomeType': 'FUNDING_FEE', 'income': '-0.37500000', 'asset': 'USDT', 'time': 1}],
        optional=('symbol', 'incomeType', 'startTime', 'endTime', 'page', 'limit'),
    ),
    Case(
        'get_leverage_bracket',
        'GET /fapi/v1/leverageBracket',
        'USER_DATA',
        1,
        (),
        SYMBOL,
        SYMBOL,
        [{'symbol': 'BTCUSDT', 'brackets': [{'bracket': 1, 'initialLeverage': 75, 'notionalCap': 10000}]}],
        optional=('symbol',),
    ),
    # -- position configuration -------------------------------------------------------------------------
    Case(
        'set_leverage',
        'POST /fapi/v1/leverage',
        'TRADE',
        1,
        ('symbol', 'leverage'),
        {'symbol': 'BTCUSDT', 'leverage': 10},
        {'symbol': 'BTCUSDT', 'leverage': '10'},
        {'leverage': 10, 'maxNotionalValue': '1000000', 'symbol': 'BTCUSDT'},
        optional=(),
    ),
    Case(
        'set_margin_type',
        'POST /fapi/v1/marginType',
        'TRADE',
        1,
        ('symbol', 'marginType'),
        {'symbol': 'BTCUSDT', 'marginType': 'ISOLATED'},
        {'symbol': 'BTCUSDT', 'marginType': 'ISOLATED'},
        {'code': 200, 'msg': 'success'},
        optional=(),
    ),
    Case(
        'set_position_margin',
        'POST /fapi/v1/positionMargin',
        'TRADE',
        1,
        ('symbol', 'amount', 'type'),
        {'symbol': 'BTCUSDT', 'positionSide': 'LONG', 'amount': Decimal('100.0'), 'type': 1},  # type: INT, 1 = add
        {'symbol': 'BTCUSDT', 'positionSide': 'LONG', 'amount': '100.0', 'type': '1'},
        {'amount': 100.0, 'code': 200, 'msg': 'Successfully modify position margin.', 'type': 1},
        optional=('positionSide',),
    ),
    Case(
        'get_position_mode',
        'GET /fapi/v1/positionSide/dual',
        'USER_DATA',
        30,
        (),
        {},
        {},
        {'dualSidePosition': True},
        optional=(),
    ),
    Case(
        'set_position_mode',
        'POST /fapi/v1/positionSide/dual',
        'TRADE',
        1,
        ('dualSidePosition',),
        {'dualSidePosition': True},
        {'dualSidePosition': 'true'},
        {'code': 200, 'msg': 'success'},
        optional=(),
    ),
    Case(
        'get_multi_assets_mode',
        'GET /fapi/v1/multiAssetsMargin',
        'USER_DATA',
        30,
        (),
        {},
        {},
        {'multiAssetsMargin': True},
        optional=(),
    ),
    Case(
        'set_multi_assets_mode',
        'POST /fapi/v1/multiAssetsMargin',
        'TRADE',
        1,
        ('multiAssetsMargin',),
        {'multiAssetsMargin': False},
        {'multiAssetsMargin': 'false'},
        {'code': 200, 'msg': 'success'},
        optional=(),
    ),
    # -- algo (conditional) orders ------------------------------------------------------------------------
    Case(
        'create_algo_order',
        'algoOrder.place',
        'TRADE',
        0,  # WS: IP 0; the REST twin adds 1 to each order pool
        ('algoType', 'symbol', 'side', 'type'),
        {
            'algoType': 'CONDITIONAL',
            'symbol': 'BNBUSDT',
            'side': 'SELL',
            'type': 'TAKE_PROFIT',
            'timeInForce': 'GTC',
            'quantity': '0.01',
            'price': '750.000',
            'triggerPrice': '750.000',
        },
        {
            'algoType': 'CONDITIONAL',
            'symbol': 'BNBUSDT',
            'side': 'SELL',
            'type': 'TAKE_PROFIT',
            'timeInForce': 'GTC',
            'quantity': '0.01',
            'price': '750.000',
            'triggerPrice': '750.000',
        },
        ALGO,
        orders=1,
        optional=ALGO_PARAMS,
    ),
    Case(
        'cancel_algo_order',
        'algoOrder.cancel',
        'TRADE',
        1,
        ('algoId|clientAlgoId',),
        {'algoId': 2146760},
        {'algoId': 2146760},
        {'algoId': 2146760, 'clientAlgoId': '6B2I9XVcJpCjqPAJ4YoFX7', 'code': '200', 'msg': 'success'},
        optional=(),
    ),
    Case(
        'get_algo_order',
        'GET /fapi/v1/algoOrder',
        'USER_DATA',
        1,
        ('algoId|clientAlgoId',),
        {'clientAlgoId': '6B2I9XVcJpCjqPAJ4YoFX7'},
        {'clientAlgoId': '6B2I9XVcJpCjqPAJ4YoFX7'},
        ALGO,
        optional=(),
    ),
    Case(
        'get_open_algo_orders',
        'GET /fapi/v1/openAlgoOrders',
        'USER_DATA',
        1,  # with a symbol
        (),
        {'symbol': 'BNBUSDT'},
        {'symbol': 'BNBUSDT'},
        [ALGO],
        optional=('algoType', 'symbol', 'algoId'),
    ),
    Case(
        'get_all_algo_orders',
        'GET /fapi/v1/allAlgoOrders',
        'USER_DATA',
        5,
        ('symbol',),
        {'symbol': 'BNBUSDT', 'startTime': 1764000000000, 'endTime': 1764600000000},
        {'symbol': 'BNBUSDT', 'startTime': '1764000000000', 'endTime': '1764600000000'},
        [ALGO],
        optional=('algoId', 'startTime', 'endTime', 'limit'),
    ),
    Case(
        'cancel_all_algo_orders',
        'DELETE /fapi/v1/algoOpenOrders',
        'TRADE',
        1,
        ('symbol',),
        {'symbol': 'BNBUSDT'},
        {'symbol': 'BNBUSDT'},
        {'code': 200, 'msg': 'The operation of cancel all open order is done.'},
        optional=(),
    ),
)


# A LIMIT and a conditional order for the shared request checks (decimals as text, trailing zeros kept).
LIMIT_ORDER = {'symbol': 'BTCUSDT', 'side': 'BUY', 'type': 'LIMIT', 'timeInForce': 'GTC', 'quantity': '0.010',
               'price': '43187.00'}  # fmt: skip
STOP_ORDER = {'algoType': 'CONDITIONAL', 'symbol': 'BTCUSDT', 'side': 'SELL', 'type': 'STOP_MARKET',
              'quantity': '0.1', 'triggerPrice': '90'}  # fmt: skip


class Usdm:
    """USDⓈ-M's data for the checks every futures market runs (``binance_futures.suite``); test classes add the
    client class."""

    cases = CASES
    symbol = 'BTCUSDT'
    second_symbol = 'ETHUSDT'
    rest_root = '/fapi'
    order = LIMIT_ORDER
    algo_order = STOP_ORDER
