"""COIN-M user data over the listenKey flow, against the loopback fake exchange, with the checks every futures
market runs (``binance_futures.suite.userdata.UserDataChecks``): every user event COIN-M sends reaches its handler
base, bare and wrapped; keepalives on schedule; a listenKey expiry and a 24-hour-style cut in the middle of a
burst; -1125; unplanned drops; close, unsubscribe and subscribe again; the stopped client.

COIN-M's wire (FUTURES-API.md §4; Binance derivatives "COIN-M User Data Streams"): the key over REST
``POST / PUT / DELETE /dapi/v1/listenKey`` (USER_STREAM: the API key header, no params, no signature), the private
stream at ``wss://dstream.binance.com/ws/<listenKey>`` (bare events; the combined ``/stream?streams=<listenKey>``
wraps them). COIN-M sends ACCOUNT_UPDATE, ORDER_TRADE_UPDATE, MARGIN_CALL, ACCOUNT_CONFIG_UPDATE, STRATEGY_UPDATE
and listenKeyExpired; no TRADE_LITE (USDⓈ-M only), and ALGO_UPDATE is not documented for COIN-M."""

import attrs

from binance_futures.suite.userdata import UserDataChecks
from binance_futures.userdata import CM_USER_DATA

# One example of each event COIN-M sends, as its "User Data Streams" pages show them: contract symbols, the
# account alias `i`, margin in the coin (`ma`), trailing-stop fields `AP` / `cr`.
# Not formatted: a few fields per line, in the pages' order, read better than one per line.
# fmt: off
EVENTS = {
    'ACCOUNT_UPDATE': {
        'e': 'ACCOUNT_UPDATE', 'E': 1564745798939, 'T': 1564745798938, 'i': 'SfsR',
        'a': {
            'm': 'ORDER',
            'B': [{'a': 'BTC', 'wb': '122624.12345678', 'cw': '100.12345678', 'bc': '50.12345678'},
                  {'a': 'ETH', 'wb': '1.00000000', 'cw': '0.00000000', 'bc': '-49.12345678'}],
            'P': [{'s': 'BTCUSD_200925', 'pa': '0', 'ep': '0.0', 'bep': '0', 'cr': '200', 'up': '0', 'mt': 'isolated',
                   'iw': '0.00000000', 'ps': 'BOTH'}],
        },
    },
    'ORDER_TRADE_UPDATE': {
        'e': 'ORDER_TRADE_UPDATE', 'E': 1591274595442, 'T': 1591274595453, 'i': 'SfsR',
        'o': {
            's': 'BTCUSD_200925', 'c': 'TEST', 'S': 'SELL', 'o': 'TRAILING_STOP_MARKET', 'f': 'GTC',
            'q': '2', 'p': '0', 'ap': '0', 'sp': '9103.1', 'x': 'NEW', 'X': 'NEW', 'i': 8888888,
            'l': '0', 'z': '0', 'L': '0', 'ma': 'BTC', 'N': 'BTC', 'n': '0', 'T': 1591274595442, 't': 0,
            'rp': '0', 'b': '0', 'a': '0', 'm': False, 'R': False, 'wt': 'CONTRACT_PRICE',
            'ot': 'TRAILING_STOP_MARKET', 'ps': 'LONG', 'cp': False, 'AP': '9476.8', 'cr': '5.0', 'pP': False,
            'V': 'EXPIRE_TAKER', 'pm': 'NONE', 'er': '0',
        },
    },
    'MARGIN_CALL': {
        'e': 'MARGIN_CALL', 'E': 1587727187525, 'i': 'SfsR', 'cw': '3.16812045',
        'p': [{'s': 'BTCUSD_200925', 'ps': 'LONG', 'pa': '132', 'mt': 'CROSSED', 'iw': '0', 'mp': '9187.17127000',
               'up': '-1.166074', 'mm': '1.614445'}],
    },
    'ACCOUNT_CONFIG_UPDATE': {
        'e': 'ACCOUNT_CONFIG_UPDATE', 'E': 1611646737479, 'T': 1611646737476, 'ac': {'s': 'BTCUSD_PERP', 'l': 25},
    },
    'STRATEGY_UPDATE': {
        'e': 'STRATEGY_UPDATE', 'T': 1669262908216, 'E': 1669262908218,
        'su': {'si': 176054594, 'st': 'GRID', 'ss': 'NEW', 's': 'BTCUSD_PERP', 'ut': 1669262908216, 'c': 9},
    },
}
# fmt: on


class TestCoinmUserData(UserDataChecks):
    market, client_name = 'coinm', 'CMFuturesClient'
    EVENTS = EVENTS
    # The key over REST, USER_STREAM: the API key header, no params. (ws-dapi has userDataStream.* too, per OFF-CM,
    # but its host is only assumed, FUTURES-API.md §3.)
    start, ping, stop = (f'{verb} /dapi/v1/listenKey' for verb in ('POST', 'PUT', 'DELETE'))
    key_transport, key_params = 'rest', {}
    unused_start = 'userDataStream.start'
    # dstream's raw stream sends the events bare; the combined one wraps them.
    row, bare_url = CM_USER_DATA, '/ws/{key}'
    wrapped_row, wrapped_url = attrs.evolve(CM_USER_DATA, url='{host}/stream?streams={key}'), '/stream?streams={key}'
