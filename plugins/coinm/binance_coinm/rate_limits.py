"""COIN-M futures rate-limit pools (Binance COIN-M docs, "General Info" limits), one row each."""

from binance_core import PoolSpec

POOLS = (
    # IP weight, 2400/min (shared by UM and CM since the 2026 integration); 90% leaves headroom.
    PoolSpec(type='request_weight', scope='ip', interval='1m', limit=2400, safety=0.9),
    # Orders per account: 1200/min; COIN-M has no 10 s order pool. Over budget fails fast.
    PoolSpec(type='orders', scope='account', interval='1m', limit=1200, wait=False),
    # Futures pages state no connection-attempt limit; keep Spot's 300/5 min with our 290 cap
    # declared as the limit (290/300 is no round safety fraction).
    PoolSpec(type='ws_connections', scope='ip', interval='5m', limit=290),
    # 10 messages/s the client sends per stream connection (Binance's "incoming"), control frames included.
    PoolSpec(type='ws_messages', scope='connection', interval='1s', limit=10),
    PoolSpec(type='ws_streams', scope='connection', interval=None, limit=1024),
)
