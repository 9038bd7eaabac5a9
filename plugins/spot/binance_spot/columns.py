"""Column maps of the Spot handler bases: wire key -> (DataFrame column, kind), in the order of
Binance's payload docs (web-socket-streams.md, user-data-stream.md). Fields Binance marks
"Ignore" are left out; the raw payload still has them. See binance_core.handlers.frames."""

# One letter per kind keeps the maps readable as tables.
F, I, T, S, B = 'float', 'int', 'time', 'str', 'bool'  # noqa: E741 (I is 'int', next to F, T, S, B)

# Not formatted: tables: a few fields per line, in the payload's order, read better than one per line.
# fmt: off

TRADE = {
    'e': ('type', S), 'E': ('event_time', T), 's': ('symbol', S), 't': ('trade_id', I),
    'p': ('price', F), 'q': ('quantity', F), 'T': ('trade_time', T), 'm': ('is_buyer_maker', B),
}

AGG_TRADE = {
    'e': ('type', S), 'E': ('event_time', T), 's': ('symbol', S), 'a': ('agg_trade_id', I),
    'p': ('price', F), 'q': ('quantity', F), 'f': ('first_trade_id', I), 'l': ('last_trade_id', I),
    'T': ('trade_time', T), 'm': ('is_buyer_maker', B),
}

BLOCK_TRADE = {
    'e': ('type', S), 'E': ('event_time', T), 's': ('symbol', S), 't': ('block_trade_id', I),
    'p': ('price', F), 'q': ('quantity', F), 'T': ('trade_time', T), 'm': ('is_buyer_maker', B),
}

# `r` is null while the symbol has no reference price: the column is then NA.
REFERENCE_PRICE = {
    'e': ('type', S), 's': ('symbol', S), 'r': ('reference_price', F), 't': ('engine_time', T),
}

# `k` is flattened; its `s` stands for the symbol (the outer `s` repeats it) so that the
# columns read in the order of the spec's kline example.
KLINE = {
    'e': ('type', S), 'E': ('event_time', T),
    'k': {
        't': ('open_time', T), 'T': ('close_time', T), 's': ('symbol', S), 'i': ('interval', S),
        'o': ('open', F), 'h': ('high', F), 'l': ('low', F), 'c': ('close', F),
        'v': ('volume', F), 'q': ('quote_volume', F), 'V': ('taker_volume', F), 'Q': ('taker_quote_volume', F),
        'n': ('total_trades', I), 'x': ('is_closed', B), 'f': ('first_trade_id', I), 'L': ('last_trade_id', I),
    },
}

MINI_TICKER = {
    'e': ('type', S), 'E': ('event_time', T), 's': ('symbol', S),
    'o': ('open', F), 'h': ('high', F), 'l': ('low', F), 'c': ('close', F),
    'v': ('volume', F), 'q': ('quote_volume', F),
}

TICKER = {
    'e': ('type', S), 'E': ('event_time', T), 's': ('symbol', S),
    'p': ('price_change', F), 'P': ('price_change_percent', F), 'w': ('weighted_avg_price', F),
    # "First trade(F)-1 price (first trade before the 24hr rolling window)".
    'x': ('prev_close_price', F),
    'c': ('last_price', F), 'Q': ('last_quantity', F),
    'b': ('bid_price', F), 'B': ('bid_quantity', F), 'a': ('ask_price', F), 'A': ('ask_quantity', F),
    'o': ('open', F), 'h': ('high', F), 'l': ('low', F),
    'v': ('volume', F), 'q': ('quote_volume', F),
    'O': ('open_time', T), 'C': ('close_time', T),
    'F': ('first_trade_id', I), 'L': ('last_trade_id', I), 'n': ('total_trades', I),
}

# <symbol>@ticker_<window> and !ticker_<window>@arr (event type 1hTicker / 4hTicker / 1dTicker).
WINDOW_TICKER = {
    'e': ('type', S), 'E': ('event_time', T), 's': ('symbol', S),
    'p': ('price_change', F), 'P': ('price_change_percent', F),
    'o': ('open', F), 'h': ('high', F), 'l': ('low', F), 'c': ('last_price', F),
    'w': ('weighted_avg_price', F), 'v': ('volume', F), 'q': ('quote_volume', F),
    'O': ('open_time', T), 'C': ('close_time', T),
    'F': ('first_trade_id', I), 'L': ('last_trade_id', I), 'n': ('total_trades', I),
}

# No event type or time in this payload.
BOOK_TICKER = {
    'u': ('update_id', I), 's': ('symbol', S),
    'b': ('bid_price', F), 'B': ('bid_quantity', F), 'a': ('ask_price', F), 'A': ('ask_quantity', F),
}

AVG_PRICE = {
    'e': ('type', S), 'E': ('event_time', T), 's': ('symbol', S),
    'i': ('interval', S), 'w': ('average_price', F), 'T': ('last_trade_time', T),
}

# -- user data ----------------------------------------------------------------------------

# One row per balance in `B`.
ACCOUNT_POSITION = {
    'e': ('type', S), 'E': ('event_time', T), 'u': ('last_update_time', T),
    'B': [{'a': ('asset', S), 'f': ('free', F), 'l': ('locked', F)}],
}

BALANCE_UPDATE = {
    'e': ('type', S), 'E': ('event_time', T), 'a': ('asset', S), 'd': ('delta', F), 'T': ('clear_time', T),
}

# executionReport. The second block holds Binance's "Conditional Fields in Execution Report":
# a column exists only when the event carries the field.
ORDER_UPDATE = {
    'e': ('type', S), 'E': ('event_time', T), 's': ('symbol', S), 'c': ('client_order_id', S),
    'S': ('side', S), 'o': ('order_type', S), 'f': ('time_in_force', S),
    'q': ('quantity', F), 'p': ('price', F), 'P': ('stop_price', F), 'F': ('iceberg_quantity', F),
    'g': ('order_list_id', I), 'C': ('orig_client_order_id', S),
    'x': ('execution_type', S), 'X': ('order_status', S), 'r': ('reject_reason', S), 'i': ('order_id', I),
    'l': ('last_executed_quantity', F), 'z': ('cumulative_filled_quantity', F), 'L': ('last_executed_price', F),
    'n': ('commission', F), 'N': ('commission_asset', S), 'T': ('transaction_time', T), 't': ('trade_id', I),
    'v': ('prevented_match_id', I), 'I': ('execution_id', I), 'w': ('is_working', B), 'm': ('is_maker', B),
    'O': ('order_creation_time', T), 'Z': ('cumulative_quote_quantity', F), 'Y': ('last_quote_quantity', F),
    'Q': ('quote_order_quantity', F), 'W': ('working_time', T), 'V': ('self_trade_prevention_mode', S),
    # conditional
    'd': ('trailing_delta', I), 'D': ('trailing_time', T), 'j': ('strategy_id', I), 'J': ('strategy_type', I),
    'A': ('prevented_quantity', F), 'B': ('last_prevented_quantity', F), 'u': ('trade_group_id', I),
    'U': ('counter_order_id', I), 'Cs': ('counter_symbol', S), 'pl': ('prevented_execution_quantity', F),
    'pL': ('prevented_execution_price', F), 'pY': ('prevented_execution_quote_quantity', F),
    'b': ('match_type', S), 'a': ('allocation_id', I), 'k': ('working_floor', S), 'uS': ('used_sor', B),
    'gP': ('pegged_price_type', S), 'gOT': ('pegged_offset_type', S), 'gOV': ('pegged_offset_value', I),
    'gp': ('pegged_price', F), 'eR': ('expiry_reason', S),
}

# listStatus: one row per order in `O`.
ORDER_LIST_STATUS = {
    'e': ('type', S), 'E': ('event_time', T), 's': ('symbol', S), 'g': ('order_list_id', I),
    'c': ('contingency_type', S), 'l': ('list_status_type', S), 'L': ('list_order_status', S),
    'r': ('list_reject_reason', S), 'C': ('list_client_order_id', S), 'T': ('transaction_time', T),
    'O': [{'s': ('order_symbol', S), 'i': ('order_id', I), 'c': ('client_order_id', S)}],
}

EXTERNAL_LOCK_UPDATE = {
    'e': ('type', S), 'E': ('event_time', T), 'a': ('asset', S), 'd': ('delta', F), 'T': ('transaction_time', T),
}

EVENT_STREAM_TERMINATED = {'e': ('type', S), 'E': ('event_time', T)}
# fmt: on
