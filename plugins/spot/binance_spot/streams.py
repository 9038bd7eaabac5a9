"""Spot market streams (Binance Spot docs, web-socket-streams.md), one ``SubType`` row each,
with the small converters that turn ``subscribe()`` params into stream-name parts."""

from typing import Any

from volas import TimeFrame

from binance_core.specs import StreamType, SubParam
from binance_core.userdata.rows import WsApiUserData

__all__ = ['KLINE_INTERVALS', 'STREAM_TYPES', 'WINDOWS']

# Binance "Kline/Candlestick chart intervals" (case matters: 1m is a minute, 1M a month).
KLINE_INTERVALS = ('1s', '1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M')
# Binance "Individual Symbol Rolling Window Statistics Streams": window sizes 1h, 4h, 1d.
WINDOWS = ('1h', '4h', '1d')
# Characters that would break a stream name (`@` separates its parts, `/` joins combined
# streams) or are never part of a symbol.
_NOT_IN_SYMBOL = frozenset('@/!?&#%=') | frozenset(' \t\r\n\x0b\x0c')


def spot_symbol(value: Any) -> str:
    """``'BNB_USDT'``, ``'BNBUSDT'`` or ``'bnbusdt'`` -> ``'bnbusdt'``.

    Spot symbols never contain ``_`` (COIN-M ones do, so this converter is Spot's). Binance
    "General WSS information": stream symbols are lowercase; since 2025-12 symbols may be
    non-ASCII, so any other character is kept.
    """
    if not isinstance(value, str):
        raise ValueError(f'a symbol is a string such as "BNBUSDT", got {type(value).__name__}')
    symbol = value.replace('_', '').lower()
    if not symbol.strip():
        raise ValueError('the symbol is empty')
    bad = sorted(set(symbol) & _NOT_IN_SYMBOL)
    if bad:
        raise ValueError(f'a symbol cannot contain {"".join(bad)!r}; pass it like "BNBUSDT"')
    return symbol


def kline_interval(value: Any) -> str:
    """A ``TimeFrame`` (``TimeFrame.m1``) or one of Binance's interval strings -> ``'1m'``."""
    # TimeFrame is a Rust class without value equality to strings: compare its str().
    text = str(value) if isinstance(value, TimeFrame) else value
    if text not in KLINE_INTERVALS:
        raise ValueError(f'interval must be a TimeFrame or one of {", ".join(KLINE_INTERVALS)}')
    return text


def window_size(value: Any) -> str:
    """``TimeFrame.H1`` / ``H4`` / ``D1`` or ``'1h'`` / ``'4h'`` / ``'1d'`` -> the window label."""
    text = str(value) if isinstance(value, TimeFrame) else value
    if text not in WINDOWS:
        raise ValueError('window must be TimeFrame.H1, TimeFrame.H4, TimeFrame.D1 or "1h", "4h", "1d"')
    return text


def _milliseconds(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError('expected 1000 or 100 (milliseconds), got a bool')
    if isinstance(value, str):
        value = value.removesuffix('ms')
        if not value.isdigit():
            raise ValueError('expected 1000 or 100 (milliseconds)')
    if not isinstance(value, int | str):
        raise ValueError(f'expected 1000 or 100 (milliseconds), got {type(value).__name__}')
    return int(value)


def depth_speed(value: Any) -> str:
    """Update speed of depth streams, 1000 (the default stream name) or 100 ms (``@100ms``).

    Binance "Diff. Depth Stream" / "Partial Book Depth Streams": 1000ms or 100ms.
    """
    ms = _milliseconds(value)
    if ms == 1000:
        return ''
    if ms == 100:
        return '@100ms'
    raise ValueError(f'update interval must be 1000 or 100 (ms), got {ms}')


def depth_level(value: Any) -> str:
    """Binance "Partial Book Depth Streams": valid levels are 5, 10 and 20."""
    if isinstance(value, bool) or not isinstance(value, int | str) or str(value) not in ('5', '10', '20'):
        raise ValueError('level must be 5, 10 or 20')
    return str(value)


SYMBOL = SubParam(name='symbol', convert=spot_symbol)
INTERVAL = SubParam(name='interval', convert=kline_interval)
WINDOW = SubParam(name='window', convert=window_size, optional=True, default=TimeFrame.H1)


# Not formatted: a table: one row per line reads better than one field per line.
# fmt: off
STREAM_TYPES = (
    StreamType(sub_type='KLINE', wire='{symbol}@kline_{interval}', params=(SYMBOL, INTERVAL),
               handler='KlineHandlerBase'),
    # Binance "Kline/Candlestick Streams with timezone offset": intervals open and close in UTC+8.
    StreamType(sub_type='KLINE_UTC8', wire='{symbol}@kline_{interval}@+08:00', params=(SYMBOL, INTERVAL),
               handler='KlineHandlerBase'),
    StreamType(sub_type='TRADE', wire='{symbol}@trade', params=(SYMBOL,), handler='TradeHandlerBase'),
    StreamType(sub_type='AGG_TRADE', wire='{symbol}@aggTrade', params=(SYMBOL,), handler='AggTradeHandlerBase'),
    StreamType(sub_type='BLOCK_TRADE', wire='{symbol}@blockTrade', params=(SYMBOL,), handler='BlockTradeHandlerBase'),
    StreamType(sub_type='REFERENCE_PRICE', wire='{symbol}@referencePrice', params=(SYMBOL,),
               handler='ReferencePriceHandlerBase'),
    StreamType(sub_type='BOOK_TICKER', wire='{symbol}@bookTicker', params=(SYMBOL,), handler='BookTickerHandlerBase'),
    StreamType(sub_type='AVG_PRICE', wire='{symbol}@avgPrice', params=(SYMBOL,), handler='AvgPriceHandlerBase'),
    StreamType(sub_type='MINI_TICKER', wire='{symbol}@miniTicker', params=(SYMBOL,), handler='MiniTickerHandlerBase'),
    StreamType(sub_type='TICKER', wire='{symbol}@ticker', params=(SYMBOL,), handler='TickerHandlerBase'),
    StreamType(sub_type='ORDER_BOOK', wire='{symbol}@depth{updateInterval}',
               params=(SYMBOL, SubParam(name='updateInterval', convert=depth_speed, optional=True, default=1000)),
               handler='OrderBookHandlerBase'),
    StreamType(sub_type='PARTIAL_ORDER_BOOK', wire='{symbol}@depth{level}{interval}',
               params=(SYMBOL, SubParam(name='level', convert=depth_level),
                       SubParam(name='interval', convert=depth_speed, optional=True, default=1000)),
               handler='PartialOrderBookHandlerBase'),
    StreamType(sub_type='WINDOW_TICKER', wire='{symbol}@ticker_{window}', params=(SYMBOL, WINDOW),
               handler='WindowTickerHandlerBase'),
    StreamType(sub_type='ALL_MARKET_WINDOW_TICKERS', wire='!ticker_{window}@arr', params=(WINDOW,),
               handler='AllMarketWindowTickersHandlerBase'),
    StreamType(sub_type='ALL_MARKET_MINI_TICKERS', wire='!miniTicker@arr', handler='AllMarketMiniTickersHandlerBase'),
    # The user-data stream rides the WS-API session (userDataStream.subscribe), not a stream name;
    # its events are routed by `e` to the user-data handler bases.
    StreamType(sub_type='USER', connection='user'),
    # Binance CHANGELOG 2025-11-14 / 2026-03: !ticker@arr deprecated, retired on 2026-03-26.
    StreamType(
        sub_type='ALL_MARKET_TICKERS',
        unsupported='Binance retired the Spot !ticker@arr stream on 2026-03-26; use per-symbol SubType.TICKER, '
                    'SubType.ALL_MARKET_MINI_TICKERS (!miniTicker@arr) or SubType.ALL_MARKET_WINDOW_TICKERS '
                    '(!ticker_<1h|4h|1d>@arr)',
    ),
    # Binance CHANGELOG 2022-12: the all-market !bookTicker stream was removed.
    StreamType(
        sub_type='ALL_MARKET_BOOK_TICKER',
        unsupported='Binance removed the Spot all-market !bookTicker stream in December 2022; subscribe to '
                    'per-symbol SubType.BOOK_TICKER streams instead (up to 1024 per connection)',
    ),
)
# fmt: on

# SubType.USER rides the WS-API session (Spot "User Data Stream subscription"; the listenKey
# endpoints were retired on 2026-02-20). Weight 2 each.
# After a gap, when a UserDataSnapshotHandlerBase is registered, the flow fetches the rows of
# `snapshot` into one `userDataSnapshot` event. Their weights are those of the endpoint rows
# (endpoints.py): `openOrders.status` without `symbol` (all symbols) 80 (open_orders_weight),
# `account.status` 20 (get_account).
USER_DATA = WsApiUserData(
    subscribe='userDataStream.subscribe',
    subscribe_signed='userDataStream.subscribe.signature',
    unsubscribe='userDataStream.unsubscribe',
    weight=2,
    snapshot=(('openOrders', 'openOrders.status', 80), ('account', 'account.status', 20)),
)
