"""Stream types USDⓈ-M and COIN-M share (Binance derivatives "WebSocket Market Streams"), built from the market's
host label: USDⓈ-M routes them by 2026 URL category (``/public`` for book data, ``/market`` for the rest),
COIN-M keeps one path. Also the small converters that turn ``subscribe()`` params into stream-name parts.

Sources for the wire names and param values (FUTURES-API.md §0 keys): the UM-MS / CM-MS pages, and where they
were unclear the stream docstrings and enums of Binance's generated connector (OFF-UM / OFF-CM
``websocket_streams``, commit 29da329, UM 17.2.0 / CM 13.1.0), which also give each UM stream its URL category
(``stream_url="public"`` / ``"market"``).
"""

from __future__ import annotations

import enum
from typing import Any

from volas import TimeFrame

from binance_core.specs import StreamType, SubParam
from binance_core.subscriptions import depth_level, stream_symbol
from binance_futures.handlers import SHARED_HANDLER_BASES

__all__ = [
    'CM_CONTRACT_TYPES',
    'KLINE_INTERVALS',
    'SHARED_HANDLER_BASES',
    'UM_CONTINUOUS_KLINE_INTERVALS',
    'UM_CONTRACT_TYPES',
    'cm_contract_type',
    'depth_speed',
    'kline_interval',
    'mark_price_speed',
    'pair',
    'shared_stream_types',
    'um_continuous_kline_interval',
    'um_contract_type',
]

# UM-MS / CM-MS "Kline/Candlestick Streams": 1m ... 1M on both markets. No `1s`: the REST kline endpoints gained
# it on 2026-04-20 and lost it again on 2026-07-14 (FUTURES-API.md §7), and the kline *stream* pages and OFF-UM's
# stream enum (`KlineCandlestickStreamsIntervalEnum`) never listed it.
KLINE_INTERVALS = ('1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M')
# UM-MS "Continuous Contract Kline/Candlestick Streams" lists `1s` too, as does OFF-UM's stream enum since 13.0.0
# (2026-07-14); CM-MS does not.
UM_CONTINUOUS_KLINE_INTERVALS = ('1s', *KLINE_INTERVALS)
# Contract types of the continuous kline stream, lowercase in the stream name. UM: OFF-UM 13.0.0 (2026-07-14)
# removed current_month / next_month / perpetual_delivering and added tradifi_perpetual (FUTURES-API.md §7);
# CM-MS: perpetual, current_quarter, next_quarter.
UM_CONTRACT_TYPES = ('perpetual', 'current_quarter', 'next_quarter', 'tradifi_perpetual')
CM_CONTRACT_TYPES = ('perpetual', 'current_quarter', 'next_quarter')


def _text(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _interval(value: Any, allowed: tuple[str, ...]) -> str:
    # TimeFrame is a Rust class without value equality to strings: compare its str().
    text = str(value) if isinstance(value, TimeFrame) else _text(value)
    if not isinstance(text, str) or text not in allowed:
        raise ValueError(f'interval must be a TimeFrame or one of {", ".join(allowed)}')
    return text


def kline_interval(value: Any) -> str:
    """A ``TimeFrame`` (``TimeFrame.m1``) or one of :data:`KLINE_INTERVALS` -> ``'1m'`` (case matters: ``1M``
    is a month)."""
    return _interval(value, KLINE_INTERVALS)


def um_continuous_kline_interval(value: Any) -> str:
    """Like :func:`kline_interval`, plus ``'1s'`` (USDⓈ-M continuous klines only)."""
    return _interval(value, UM_CONTINUOUS_KLINE_INTERVALS)


def _contract_type(value: Any, allowed: tuple[str, ...]) -> str:
    text = _text(value)
    if not isinstance(text, str) or text.lower() not in allowed:
        raise ValueError(f'contract type must be one of {", ".join(allowed)} (any case)')
    return text.lower()


def um_contract_type(value: Any) -> str:
    """``'PERPETUAL'`` / ``'perpetual'`` -> ``'perpetual'``; one of :data:`UM_CONTRACT_TYPES`."""
    return _contract_type(value, UM_CONTRACT_TYPES)


def cm_contract_type(value: Any) -> str:
    """``'NEXT_QUARTER'`` -> ``'next_quarter'``; one of :data:`CM_CONTRACT_TYPES`."""
    return _contract_type(value, CM_CONTRACT_TYPES)


def pair(value: Any) -> str:
    """An underlying pair, ``'BTCUSDT'`` (UM) or ``'BTCUSD'`` (CM) -> ``'btcusdt'``. A pair has no ``_``: that
    is a contract code (``BTCUSD_PERP``), whose pair is the part before it."""
    text = stream_symbol(value)
    if '_' in text:
        raise ValueError(f'a pair has no "_" (got {value!r}, a contract symbol?): pass e.g. "BTCUSDT" or "BTCUSD"')
    return text


def _milliseconds(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f'expected {what}')
    if isinstance(value, str):
        value = value.removesuffix('ms')
        if not value.isdigit():
            raise ValueError(f'expected {what}')
    return int(value)


def depth_speed(value: Any) -> str:
    """Update speed of the depth streams: 250 ms (the plain stream name, Binance's default), 500 ms (``@500ms``)
    or 100 ms (``@100ms``); an int of ms or ``'100ms'``.

    UM-MS / CM-MS "Diff. Book Depth Streams" and "Partial Book Depth Streams": 250ms, 500ms or 100ms.
    """
    ms = _milliseconds(value, '250, 500 or 100 (milliseconds)')
    if ms == 250:
        return ''
    if ms in (100, 500):
        return f'@{ms}ms'
    raise ValueError(f'update speed must be 250, 500 or 100 (ms), got {ms}')


def mark_price_speed(value: Any) -> str:
    """Update speed of the mark price streams: ``'3s'`` (the plain stream name, Binance's default) or ``'1s'``
    (``@1s``); ``3000`` / ``1000`` (ms) work too.

    UM-MS / CM-MS "Mark Price Stream" (``<symbol>@markPrice`` or ``@markPrice@1s``) and UM-MS "Mark Price Stream
    for All market" (``!markPrice@arr`` or ``!markPrice@arr@1s``).
    """
    text = _text(value)
    if text in ('1s', 1000, '1000ms'):
        return '@1s'
    if text in ('3s', 3000, '3000ms'):
        return ''
    raise ValueError("update speed must be '1s' or '3s' (the default)")


SYMBOL = SubParam(name='symbol', convert=stream_symbol)
INTERVAL = SubParam(name='interval', convert=kline_interval)
LEVEL = SubParam(name='level', convert=depth_level)
DEPTH_SPEED = SubParam(name='speed', convert=depth_speed, optional=True, default=250)
MARK_PRICE_SPEED = SubParam(name='speed', convert=mark_price_speed, optional=True, default='3s')
PAIR = SubParam(name='pair', convert=pair)


def shared_stream_types(api: str) -> tuple[StreamType, ...]:
    """The shared stream-type rows for the market whose REST host label is *api* (``'fapi'``: split paths).

    ``'fapi'`` (USDⓈ-M) puts book data (diff and partial depth, book tickers) on ``/public`` and every other
    stream on ``/market`` (WSN: the legacy ``/ws`` and ``/stream`` were retired on 2026-04-23; OFF-UM names each
    stream's category), and its continuous klines take ``tradifi_perpetual`` and ``1s``. Any other label
    (``'dapi'``, COIN-M, which did not split) gets one path and COIN-M's continuous-kline values. Symbols keep
    their ``_`` (``btcusd_perp@depth``).

    :param api: ``'fapi'`` (USDⓈ-M) or ``'dapi'`` (COIN-M).
    :returns: one row per shared ``SubType`` member.
    """
    um = api == 'fapi'
    book, market = ('public', 'market') if um else (None, None)
    continuous = (
        PAIR,
        SubParam(name='contract_type', convert=um_contract_type if um else cm_contract_type),
        SubParam(name='interval', convert=um_continuous_kline_interval if um else kline_interval),
    )
    # Not formatted: a table: one row per entry reads better than one field per line.
    # fmt: off
    return (
        StreamType(sub_type='MARK_PRICE', wire='{symbol}@markPrice{speed}', params=(SYMBOL, MARK_PRICE_SPEED),
                   handler='MarkPriceHandlerBase', path=market),
        StreamType(sub_type='FORCE_ORDER', wire='{symbol}@forceOrder', params=(SYMBOL,),
                   handler='ForceOrderHandlerBase', path=market),
        StreamType(sub_type='AGG_TRADE', wire='{symbol}@aggTrade', params=(SYMBOL,),
                   handler='FuturesAggTradeHandlerBase', path=market),
        StreamType(sub_type='KLINE', wire='{symbol}@kline_{interval}', params=(SYMBOL, INTERVAL),
                   handler='FuturesKlineHandlerBase', path=market),
        StreamType(sub_type='CONTINUOUS_KLINE', wire='{pair}_{contract_type}@continuousKline_{interval}',
                   params=continuous, handler='FuturesContinuousKlineHandlerBase', path=market),
        StreamType(sub_type='MINI_TICKER', wire='{symbol}@miniTicker', params=(SYMBOL,),
                   handler='FuturesMiniTickerHandlerBase', path=market),
        StreamType(sub_type='TICKER', wire='{symbol}@ticker', params=(SYMBOL,),
                   handler='FuturesTickerHandlerBase', path=market),
        StreamType(sub_type='BOOK_TICKER', wire='{symbol}@bookTicker', params=(SYMBOL,),
                   handler='FuturesBookTickerHandlerBase', path=book),
        StreamType(sub_type='PARTIAL_ORDER_BOOK', wire='{symbol}@depth{level}{speed}',
                   params=(SYMBOL, LEVEL, DEPTH_SPEED), handler='FuturesPartialOrderBookHandlerBase', path=book),
        # Routed to the managed book's own class, so that a plain OrderBookHandlerBase (the spec's name for the
        # managed book on every market, and the feeder of stand-alone OrderBook objects) receives the frames, as
        # does FuturesOrderBookHandlerBase, its subclass.
        StreamType(sub_type='ORDER_BOOK', wire='{symbol}@depth{speed}', params=(SYMBOL, DEPTH_SPEED),
                   handler='OrderBookHandlerBase', path=book),
        StreamType(sub_type='CONTRACT_INFO', wire='!contractInfo',
                   handler='FuturesContractInfoHandlerBase', path=market),
        # CM-MS documents no `!markPrice@arr` (only `<pair>@markPrice`); OFF-UM's docstring says that since the
        # 2026-06-30 integration dstream may subscribe it too. Kept for COIN-M on that word: unverified there.
        StreamType(sub_type='ALL_MARKET_MARK_PRICE', wire='!markPrice@arr{speed}', params=(MARK_PRICE_SPEED,),
                   handler='FuturesAllMarketMarkPriceHandlerBase', path=market),
        StreamType(sub_type='ALL_MARKET_LIQUIDATION', wire='!forceOrder@arr',
                   handler='FuturesAllMarketLiquidationHandlerBase', path=market),
        StreamType(sub_type='ALL_MARKET_MINI_TICKERS', wire='!miniTicker@arr',
                   handler='FuturesAllMarketMiniTickersHandlerBase', path=market),
        StreamType(sub_type='ALL_MARKET_TICKERS', wire='!ticker@arr',
                   handler='FuturesAllMarketTickersHandlerBase', path=market),
        # No `@arr` on futures (unlike Spot's retired one).
        StreamType(sub_type='ALL_MARKET_BOOK_TICKER', wire='!bookTicker',
                   handler='FuturesAllMarketBookTickerHandlerBase', path=book),
        # The user-data stream is no stream name: the market's listenKey flow (binance_futures.userdata) opens
        # its own connection; subscribe(SubType.USER) reaches it through this row.
        StreamType(sub_type='USER', connection='user'),
    )
    # fmt: on
