"""Spot rate-limit pools (Binance Spot docs, "LIMITS" and "WebSocket Streams"), one row each."""

from binance_core import PoolSpec

POOLS = (
    # IP weight, 6000/min; the client uses 90% of it so other tools on the IP and header lag fit.
    PoolSpec(type='request_weight', scope='ip', interval='1m', limit=6000, safety=0.9),
    # Raised from 61,000 to 300,000 per 5 min on 2026-04-02 (the docs' examples still show 61,000).
    PoolSpec(type='raw_requests', scope='ip', interval='5m', limit=300_000),
    # Unfilled order count per account (all its keys); an order over budget fails fast, never waits.
    PoolSpec(type='orders', scope='account', interval='10s', limit=100, wait=False),
    PoolSpec(type='orders', scope='account', interval='1d', limit=200_000, wait=False),
    # Binance allows 300 connection attempts / 5 min / IP. We declare our 290 cap as the limit
    # itself: 290/300 is no round safety fraction, and the snapshot shows the cap we enforce.
    PoolSpec(type='ws_connections', scope='ip', interval='5m', limit=290),
    # 5 messages/s the client sends per stream connection (Binance's "incoming"); pings, pongs and
    # control frames count.
    PoolSpec(type='ws_messages', scope='connection', interval='1s', limit=5),
    PoolSpec(type='ws_streams', scope='connection', interval=None, limit=1024),
)
