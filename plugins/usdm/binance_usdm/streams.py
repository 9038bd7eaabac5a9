"""Stream types and handler bases only USDⓈ-M has; the shared ones come from ``binance_futures.streams``.

All three ride ``/market`` (WSN, 2026-04-23; OFF-UM ``websocket_streams`` gives each ``stream_url="market"``).
"""

from __future__ import annotations

from typing import Any

from binance_core.handlers import HandlerBase
from binance_core.specs import StreamType, SubParam
from binance_core.subscriptions import stream_symbol
from binance_futures import columns as cols

__all__ = [
    'HANDLER_BASES',
    'STREAM_TYPES',
    'AllAssetIndexHandlerBase',
    'AssetIndexHandlerBase',
    'CompositeIndexHandlerBase',
    'TradingSessionHandlerBase',
    'asset_index_stream',
]

# UM-MS "Trading Session Stream" / OFF-UM `trading_session_stream`: one event type per underlying market.
TRADING_SESSION_EVENTS = ('EquityUpdate', 'CommodityUpdate', 'KR_EquityUpdate', 'HK_EquityUpdate', 'CN_EquityUpdate')


def asset_index_stream(value: Any) -> str:
    """The asset index stream: an asset index symbol (``'ADAUSD'``) -> ``'adausd@assetIndex'``; none (``None``,
    the default) -> ``'!assetIndex@arr'``, every asset.

    UM-MS "Multi-Assets Mode Asset Index": ``!assetIndex@arr`` OR ``<assetSymbol>@assetIndex``. (OFF-UM's
    connector only offers the first; since 2026-06-30 it also carries COIN-M settlement assets, e.g. ``BTCUSD``.)
    """
    if value is None:
        return '!assetIndex@arr'
    return f'{stream_symbol(value)}@assetIndex'


class CompositeIndexHandlerBase(HandlerBase):
    """``<symbol>@compositeIndex``: a composite index (e.g. ``DEFIUSDT``) and its components, every second ->
    one row per component (``base_asset``, ``quote_asset``, ``weight_quantity``, ``weight_percentage``,
    ``index_price``), beside the index's ``price``."""

    event, columns = 'compositeIndex', cols.COMPOSITE_INDEX


class AssetIndexHandlerBase(HandlerBase):
    """``<assetSymbol>@assetIndex`` (``subscribe(SubType.ASSET_INDEX, 'ADAUSD')``): one asset's index price and
    the multi-assets mode buffers and rates, every second."""

    event, columns = 'assetIndexUpdate', cols.ASSET_INDEX
    # Routed by stream name: SubType.ASSET_INDEX names two streams, each with its own base.
    stream = 'assetIndex'


class AllAssetIndexHandlerBase(HandlerBase):
    """``!assetIndex@arr`` (``subscribe(SubType.ASSET_INDEX)``): every asset index -> one row per asset."""

    event, columns = 'assetIndexUpdate', cols.ASSET_INDEX
    stream = '!assetIndex@arr'


class TradingSessionHandlerBase(HandlerBase):
    """``tradingSession``: the trading session of the markets underlying TradFi perpetuals, every second, one
    frame per market (``type`` ``EquityUpdate`` for U.S. equities, ``CommodityUpdate``, ``KR_``/``HK_``/
    ``CN_EquityUpdate``); ``session_type`` is e.g. ``REGULAR``, ``PRE_MARKET``, ``NO_TRADING``."""

    event, columns = TRADING_SESSION_EVENTS, cols.TRADING_SESSION


# Not formatted: a table: one row per entry reads better than one field per line.
# fmt: off
STREAM_TYPES: tuple[StreamType, ...] = (
    StreamType(sub_type='COMPOSITE_INDEX', wire='{symbol}@compositeIndex',
               params=(SubParam(name='symbol', convert=stream_symbol),),
               handler='CompositeIndexHandlerBase', path='market'),
    # One SubType, two streams: the param picks the whole stream name, and each stream reaches its own handler
    # base by name (AssetIndexHandlerBase.stream / AllAssetIndexHandlerBase.stream), not through the row, whose
    # single `handler` could name only one of them.
    StreamType(sub_type='ASSET_INDEX', wire='{asset}',
               params=(SubParam(name='asset', convert=asset_index_stream, optional=True, default=None),),
               path='market'),
    StreamType(sub_type='TRADING_SESSION', wire='tradingSession', handler='TradingSessionHandlerBase',
               path='market'),
)
# fmt: on

HANDLER_BASES: tuple[type, ...] = (
    CompositeIndexHandlerBase,
    AssetIndexHandlerBase,
    AllAssetIndexHandlerBase,
    TradingSessionHandlerBase,
)
