"""Futures rate-limit pools, one row each: USDⓈ-M and COIN-M declare the same rows (FUTURES-API.md §3)."""

from __future__ import annotations

from binance_core.specs import PoolSpec

__all__ = ['FUNDING_GROUP', 'FUTURES_BUDGET', 'FUTURES_DATA_GROUP', 'POOLS']

# Since 2026-06-30 Binance counts USDⓈ-M and COIN-M IP weight and account orders together (CMUM A.3): every
# pool that names this budget draws from one counter per IP (ip pools) or per API key (account pools).
FUTURES_BUDGET = 'binance-futures'

# Endpoint-specific pools (PoolSpec.group): only the rows naming the group draw from them, one request per call,
# besides the IP weight (FUTURES-API.md §1, §3; OFF-UM "Open Interest Statistics", "Get Funding Rate History").
FUTURES_DATA_GROUP = 'futures-data'  # /futures/data/*: 1000 requests / 5 min / IP
FUNDING_GROUP = 'funding'  # GET fundingRate and GET fundingInfo together: 500 requests / 5 min / IP

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
    # Per IP, so every client in the process draws from one counter (the budget), as for the IP weight. Only
    # USDⓈ-M rows name these groups today; COIN-M's /futures/data rows print weight 1 and no such pool (OFF-CM).
    PoolSpec(
        type='raw_requests', scope='ip', interval='5m', limit=1000, budget=FUTURES_BUDGET, group=FUTURES_DATA_GROUP
    ),
    PoolSpec(type='raw_requests', scope='ip', interval='5m', limit=500, budget=FUTURES_BUDGET, group=FUNDING_GROUP),
)
