"""Futures rate-limit pools, one row each: USDⓈ-M and COIN-M declare the same rows (FUTURES-API.md §3)."""

from __future__ import annotations

from binance_core.specs import PoolSpec

__all__ = ['FUTURES_BUDGET', 'POOLS']

# Since 2026-06-30 Binance counts USDⓈ-M and COIN-M IP weight and account orders together (CMUM A.3): every
# pool that names this budget draws from one counter per IP (ip pools) or per API key (account pools).
FUTURES_BUDGET = 'binance-futures'

POOLS = (
    # IP weight, 2400/min, one pool for fapi and dapi; 90% leaves headroom.
    PoolSpec(type='request_weight', scope='ip', interval='1m', limit=2400, safety=0.9, budget=FUTURES_BUDGET),
    # Orders per account: 300/10 s and 1200/min, shared by UM and CM (COIN-M has the 10 s pool too since
    # 2026-06-30). An order over budget fails fast, never waits.
    PoolSpec(type='orders', scope='account', interval='10s', limit=300, wait=False, budget=FUTURES_BUDGET),
    PoolSpec(type='orders', scope='account', interval='1m', limit=1200, wait=False, budget=FUTURES_BUDGET),
    # Futures pages state no connection-attempt limit; keep Spot's 300/5 min with our 290 cap declared as the
    # limit (290/300 is no round safety fraction). Whether UM and CM share it is unverified: sharing is the
    # conservative side (one counter can only slow us down, never get the IP banned), so the budget is named.
    PoolSpec(type='ws_connections', scope='ip', interval='5m', limit=290, budget=FUTURES_BUDGET),
    # 10 messages/s the client sends per stream connection (Binance's "incoming"), control frames included.
    PoolSpec(type='ws_messages', scope='connection', interval='1s', limit=10),
    # At most 200 streams per futures connection, not Spot's 1024 (UM-MS, CM-MS; FUTURES-API.md §8 trap 8).
    PoolSpec(type='ws_streams', scope='connection', interval=None, limit=200),
)
