"""Column maps of the futures market-data handler bases: wire key -> (DataFrame column, kind), in the order of
Binance's payload docs (derivatives "WebSocket Market Streams", USDⓈ-M and COIN-M pages). Fields Binance marks
"Ignore" are left out; the raw payload still has them. See ``binance_core.handlers.frames``.

A wire key absent from a payload gives no column, so one map serves both markets where their payloads differ
by a field: USDⓈ-M's ``ap`` (mark price moving average, added 2026-03) on mark price, COIN-M's ``ps`` (pair)
inside force orders, ``nq`` (quantity without RPI trades, UM 2025-12) on aggregate trades, and the ``ps``
(pair) and ``st`` (symbol type: 1 USDⓈ-M, 2 COIN-M) fields the 2026-06-30 UM/CM integration appended to most
payloads (OFF-UM / OFF-CM CHANGELOG 12.0.0 / 9.x).
"""

from typing import Any

# One letter per kind keeps the maps readable as tables.
F, I, T, S, B = 'float', 'int', 'time', 'str', 'bool'  # noqa: E741 (I is 'int', next to F, T, S, B)

# Not formatted: tables: a few fields per line, in the payload's order, read better than one per line.
# fmt: off

# <symbol>@aggTrade. Unlike Spot, no buyer/seller order ids.
AGG_TRADE = {
    'e': ('type', S), 'E': ('event_time', T), 's': ('symbol', S), 'a': ('agg_trade_id', I),
    'p': ('price', F), 'q': ('quantity', F), 'nq': ('normal_quantity', F),
    'f': ('first_trade_id', I), 'l': ('last_trade_id', I), 'T': ('trade_time', T), 'm': ('is_buyer_maker', B),
    'st': ('symbol_type', I),
}

# <symbol>@markPrice[@1s] and !markPrice@arr[@1s]. `r` is "" and `T` 0 for delivery contracts (COIN-M): the
# funding rate is then NA. `ap` is USDⓈ-M's only.
MARK_PRICE = {
    'e': ('type', S), 'E': ('event_time', T), 's': ('symbol', S),
    'p': ('mark_price', F), 'ap': ('mark_price_avg', F), 'i': ('index_price', F),
    'P': ('estimated_settle_price', F), 'r': ('funding_rate', F), 'T': ('next_funding_time', T),
    'st': ('symbol_type', I),
}

# <symbol>@forceOrder and !forceOrder@arr (one order per frame, also on the all-market stream): the order `o`
# is flattened; COIN-M adds its pair `o.ps`.
FORCE_ORDER = {
    'e': ('type', S), 'E': ('event_time', T),
    'o': {
        's': ('symbol', S), 'ps': ('pair', S), 'S': ('side', S), 'o': ('order_type', S), 'f': ('time_in_force', S),
        'q': ('quantity', F), 'p': ('price', F), 'ap': ('average_price', F), 'X': ('order_status', S),
        'l': ('last_filled_quantity', F), 'z': ('cumulative_filled_quantity', F), 'T': ('trade_time', T),
    },
    'st': ('symbol_type', I),
}

# <symbol>@kline_<interval>: `k` flattened, in the order of the spec's kline example, then the trade ids.
KLINE = {
    'e': ('type', S), 'E': ('event_time', T),
    'k': {
        't': ('open_time', T), 'T': ('close_time', T), 's': ('symbol', S), 'i': ('interval', S),
        'o': ('open', F), 'h': ('high', F), 'l': ('low', F), 'c': ('close', F),
        'v': ('volume', F), 'q': ('quote_volume', F), 'V': ('taker_volume', F), 'Q': ('taker_quote_volume', F),
        'n': ('total_trades', I), 'x': ('is_closed', B), 'f': ('first_trade_id', I), 'L': ('last_trade_id', I),
    },
}

# <pair>_<contractType>@continuousKline_<interval>: the pair and contract type sit outside `k`, which has no
# symbol; `f`/`L` are update ids here, not trade ids.
CONTINUOUS_KLINE = {
    'e': ('type', S), 'E': ('event_time', T), 'ps': ('pair', S), 'ct': ('contract_type', S),
    'k': {
        't': ('open_time', T), 'T': ('close_time', T), 'i': ('interval', S),
        'o': ('open', F), 'h': ('high', F), 'l': ('low', F), 'c': ('close', F),
        'v': ('volume', F), 'q': ('quote_volume', F), 'V': ('taker_volume', F), 'Q': ('taker_quote_volume', F),
        'n': ('total_trades', I), 'x': ('is_closed', B), 'f': ('first_update_id', I), 'L': ('last_update_id', I),
    },
}

# <symbol>@miniTicker and !miniTicker@arr (one row per element).
MINI_TICKER = {
    'e': ('type', S), 'E': ('event_time', T), 's': ('symbol', S), 'ps': ('pair', S),
    'o': ('open', F), 'h': ('high', F), 'l': ('low', F), 'c': ('close', F),
    'v': ('volume', F), 'q': ('quote_volume', F), 'st': ('symbol_type', I),
}

# <symbol>@ticker and !ticker@arr. Futures tickers carry no best bid/ask and no previous close (unlike Spot).
TICKER = {
    'e': ('type', S), 'E': ('event_time', T), 's': ('symbol', S), 'ps': ('pair', S),
    'p': ('price_change', F), 'P': ('price_change_percent', F), 'w': ('weighted_avg_price', F),
    'c': ('last_price', F), 'Q': ('last_quantity', F),
    'o': ('open', F), 'h': ('high', F), 'l': ('low', F),
    'v': ('volume', F), 'q': ('quote_volume', F),
    'O': ('open_time', T), 'C': ('close_time', T),
    'F': ('first_trade_id', I), 'L': ('last_trade_id', I), 'n': ('total_trades', I),
    'st': ('symbol_type', I),
}

# <symbol>@bookTicker and !bookTicker. Unlike Spot's, the futures payload has an event type and times.
BOOK_TICKER = {
    'e': ('type', S), 'u': ('update_id', I), 'E': ('event_time', T), 'T': ('transaction_time', T),
    's': ('symbol', S), 'ps': ('pair', S),
    'b': ('bid_price', F), 'B': ('bid_quantity', F), 'a': ('ask_price', F), 'A': ('ask_quantity', F),
    'st': ('symbol_type', I),
}

# !contractInfo: one row per event. `bks` (the leverage brackets) is sent only when brackets change and stays in
# the raw payload, a list of dicts: exploding it would give a listing or status event without it no row at all.
CONTRACT_INFO = {
    'e': ('type', S), 'E': ('event_time', T), 's': ('symbol', S), 'ps': ('pair', S),
    'ct': ('contract_type', S), 'dt': ('delivery_time', T), 'ot': ('onboard_time', T),
    'cs': ('contract_status', S), 'st': ('symbol_type', I),
}

# -- USDⓈ-M only --------------------------------------------------------------------------------

# <symbol>@compositeIndex: one row per component of `c`.
COMPOSITE_INDEX = {
    'e': ('type', S), 'E': ('event_time', T), 's': ('symbol', S), 'p': ('price', F),
    'C': ('component', S),
    'c': [{
        'b': ('base_asset', S), 'q': ('quote_asset', S), 'w': ('weight_quantity', F),
        'W': ('weight_percentage', F), 'i': ('index_price', F),
    }],
}

# <assetSymbol>@assetIndex and !assetIndex@arr (one row per element).
ASSET_INDEX = {
    'e': ('type', S), 'E': ('event_time', T), 's': ('symbol', S), 'i': ('index_price', F),
    'b': ('bid_buffer', F), 'a': ('ask_buffer', F), 'B': ('bid_rate', F), 'A': ('ask_rate', F),
    'q': ('auto_exchange_bid_buffer', F), 'g': ('auto_exchange_ask_buffer', F),
    'Q': ('auto_exchange_bid_rate', F), 'G': ('auto_exchange_ask_rate', F),
}

# tradingSession: `e` names the market (EquityUpdate, CommodityUpdate, KR_/HK_/CN_EquityUpdate).
TRADING_SESSION = {
    'e': ('type', S), 'E': ('event_time', T), 't': ('start_time', T), 'T': ('end_time', T),
    'S': ('session_type', S),
}

# -- COIN-M's meaning of the volume fields ------------------------------------------------------------
# On COIN-M `v`/`V` count contracts and `q`/`Q` are base-asset volume, in the coin ("Base asset volume" in the
# CM-MS payloads and OFF-CM's stream models), where USDⓈ-M's `q`/`Q` are quote volume: the same handler bases
# name them `base_volume` / `taker_base_volume` on a COIN-M client (HandlerBase.columns_by_market).
_CM_VOLUMES = {'quote_volume': 'base_volume', 'taker_quote_volume': 'taker_base_volume'}


def coinm_volumes(columns: dict[str, Any]) -> dict[str, Any]:
    """*columns* with COIN-M's names for the volume fields (nested maps included)."""
    out: dict[str, Any] = {}
    for key, value in columns.items():
        if isinstance(value, dict):
            out[key] = coinm_volumes(value)
        elif isinstance(value, tuple) and value[0] in _CM_VOLUMES:
            out[key] = (_CM_VOLUMES[value[0]], *value[1:])
        else:
            out[key] = value
    return out


KLINE_CM = coinm_volumes(KLINE)
CONTINUOUS_KLINE_CM = coinm_volumes(CONTINUOUS_KLINE)
MINI_TICKER_CM = coinm_volumes(MINI_TICKER)
TICKER_CM = coinm_volumes(TICKER)
# HandlerBase.columns_by_market of the handler bases that carry volumes.
BY_MARKET_KLINE = {'coinm': KLINE_CM}
BY_MARKET_CONTINUOUS_KLINE = {'coinm': CONTINUOUS_KLINE_CM}
BY_MARKET_MINI_TICKER = {'coinm': MINI_TICKER_CM}
BY_MARKET_TICKER = {'coinm': TICKER_CM}

# -- COIN-M only ----------------------------------------------------------------------------------

# <pair>@indexPrice[@1s]: the index price of an underlying pair.
INDEX_PRICE = {'e': ('type', S), 'E': ('event_time', T), 'i': ('pair', S), 'p': ('index_price', F)}

# <pair>@indexPriceKline_<interval>: `k` flattened; its `s`, `f`, `L`, `v`, `q`, `V`, `Q`, `B` are "ignore".
# `n` counts the prices the candle was built from ("Number of basic data"): `data_points`, not trades.
INDEX_PRICE_KLINE = {
    'e': ('type', S), 'E': ('event_time', T), 'ps': ('pair', S),
    'k': {
        't': ('open_time', T), 'T': ('close_time', T), 'i': ('interval', S),
        'o': ('open', F), 'h': ('high', F), 'l': ('low', F), 'c': ('close', F),
        'n': ('data_points', I), 'x': ('is_closed', B),
    },
}

# <symbol>@markPriceKline_<interval>: as the index kline, with the contract symbol in `k.s`.
MARK_PRICE_KLINE = {
    'e': ('type', S), 'E': ('event_time', T), 'ps': ('pair', S),
    'k': {
        't': ('open_time', T), 'T': ('close_time', T), 's': ('symbol', S), 'i': ('interval', S),
        'o': ('open', F), 'h': ('high', F), 'l': ('low', F), 'c': ('close', F),
        'n': ('data_points', I), 'x': ('is_closed', B),
    },
}
# fmt: on
