"""USDⓈ-M user data over the listenKey flow, against the loopback fake exchange, with the checks every futures
market runs (``binance_futures.suite.userdata.UserDataChecks``): every user event USDⓈ-M sends reaches its handler
base, bare and wrapped; keepalives on schedule; a listenKey expiry and a 24-hour-style cut in the middle of a
burst; -1125; unplanned drops; close, unsubscribe and subscribe again; the stopped client.

USDⓈ-M's wire (FUTURES-API.md §1.1, §4): the key over the futures WS-API (``userDataStream.start/ping/stop``, the
API key only), the private stream at ``/private/ws?listenKey=<key>`` (bare events) or
``/private/stream?listenKey=<key>`` (wrapped)."""

import attrs

from binance_futures.suite.userdata import UserDataChecks
from binance_futures.userdata import UM_USER_DATA

# Binance "User Data Streams" (USDⓈ-M), one example of each event, as documented.
EVENTS = {
    'ACCOUNT_UPDATE': {
        'e': 'ACCOUNT_UPDATE',
        'E': 1564745798939,
        'T': 1564745798938,
        'a': {
            'm': 'ORDER',
            'B': [{'a': 'USDT', 'wb': '122624.12345678', 'cw': '100.12345678', 'bc': '50.12345678'}],
            'P': [
                {
                    's': 'BTCUSDT',
                    'pa': '0',
                    'ep': '0.00000',
                    'bep': '0',
                    'cr': '200',
                    'up': '0',
                    'mt': 'isolated',
                    'iw': '0.00000000',
                    'ps': 'BOTH',
                }
            ],
        },
    },
    'ORDER_TRADE_UPDATE': {
        'e': 'ORDER_TRADE_UPDATE',
        'E': 1568879465651,
        'T': 1568879465650,
        'o': {
            's': 'BTCUSDT',
            'c': 'TEST',
            'S': 'SELL',
            'o': 'LIMIT',
            'f': 'GTC',
            'q': '0.001',
            'p': '7103.04',
            'ap': '0',
            'sp': '0',
            'x': 'NEW',
            'X': 'NEW',
            'i': 8886774,
            'l': '0',
            'z': '0',
            'L': '0',
            'N': 'USDT',
            'n': '0',
            'T': 1568879465650,
            't': 0,
            'b': '0',
            'a': '9.91',
            'm': False,
            'R': False,
            'wt': 'CONTRACT_PRICE',
            'ot': 'LIMIT',
            'ps': 'BOTH',
            'cp': False,
            'rp': '0',
            'pP': False,
            'si': 0,
            'ss': 0,
            'V': 'EXPIRE_TAKER',
            'pm': 'NONE',
            'gtd': 0,
            'er': '0',
        },
    },
    'MARGIN_CALL': {
        'e': 'MARGIN_CALL',
        'E': 1587727187525,
        'cw': '3.16812045',
        'p': [
            {
                's': 'ETHUSDT',
                'ps': 'LONG',
                'pa': '1.327',
                'mt': 'CROSSED',
                'iw': '0',
                'mp': '187.17127',
                'up': '-1.166074',
                'mm': '1.614445',
            }
        ],
    },
    'ACCOUNT_CONFIG_UPDATE': {
        'e': 'ACCOUNT_CONFIG_UPDATE',
        'E': 1611646737479,
        'T': 1611646737476,
        'ac': {'s': 'BTCUSDT', 'l': 25},
    },
    'TRADE_LITE': {
        'e': 'TRADE_LITE',
        'E': 1721895408092,
        'T': 1721895408214,
        's': 'BTCUSDT',
        'q': '0.001',
        'p': '0',
        'm': False,
        'c': 'z8hcUoOsqEdKMeKPSABslD',
        'S': 'BUY',
        'L': '64089.20',
        'l': '0.040',
        't': 109100866,
        'i': 8886774,
    },
    'STRATEGY_UPDATE': {
        'e': 'STRATEGY_UPDATE',
        'T': 1669262908216,
        'E': 1669262908218,
        'su': {'si': 176054594, 'st': 'GRID', 'ss': 'NEW', 's': 'BTCUSDT', 'ut': 1669262908216, 'c': 9},
    },
    'ALGO_UPDATE': {
        'e': 'ALGO_UPDATE',
        'T': 1750515742297,
        'E': 1750515742303,
        'o': {
            'caid': 'Q5xaq5EGKgXXa0fD7fs0Ip',
            'aid': 2148719,
            'at': 'CONDITIONAL',
            'o': 'TAKE_PROFIT',
            's': 'BNBUSDT',
            'S': 'SELL',
            'ps': 'BOTH',
            'f': 'GTC',
            'q': '0.01',
            'X': 'CANCELED',
            'tp': '750',
            'p': '750',
            'wt': 'CONTRACT_PRICE',
            'rm': 'Reduce Only reject',
        },
    },
}


class TestUsdmUserData(UserDataChecks):
    market, client_name = 'usdm', 'UMFuturesClient'
    row = UM_USER_DATA
    wrapped_row = attrs.evolve(UM_USER_DATA, url='{host}/private/stream?listenKey={key}')
    bare_url, wrapped_url = '/private/ws?listenKey={key}', '/private/stream?listenKey={key}'
    start, ping, stop = 'userDataStream.start', 'userDataStream.ping', 'userDataStream.stop'
    unused_start = 'POST /fapi/v1/listenKey'
    key_transport, key_params = 'ws_api', {'apiKey': 'k'}
    EVENTS = EVENTS
