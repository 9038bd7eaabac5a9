"""Stream types USDⓈ-M and COIN-M share (Binance derivatives "WebSocket Market Streams"), built from the market's
host label: USDⓈ-M routes them by 2026 URL category (``/public`` for book data, ``/market`` for the rest),
COIN-M keeps one path."""

from __future__ import annotations

from binance_core.specs import StreamType

__all__ = ['SHARED_HANDLER_BASES', 'shared_stream_types']

SHARED_HANDLER_BASES: tuple[type, ...] = ()


def shared_stream_types(api: str) -> tuple[StreamType, ...]:
    """The shared stream-type rows for the market whose REST host label is *api* (``'fapi'``: split paths).

    :param api: ``'fapi'`` (USDⓈ-M) or ``'dapi'`` (COIN-M).
    :returns: one row per shared ``SubType`` member.
    """
    return ()
