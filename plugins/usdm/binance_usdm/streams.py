"""Stream types and handler bases only USDⓈ-M has; the shared ones come from ``binance_futures.streams``."""

from binance_core.specs import StreamType

STREAM_TYPES: tuple[StreamType, ...] = ()
HANDLER_BASES: tuple[type, ...] = ()
