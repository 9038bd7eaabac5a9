"""Endpoint rows only USDⓈ-M has; the shared ones come from ``binance_futures.endpoints``."""

from binance_core.specs import Endpoint

ENDPOINTS: tuple[Endpoint, ...] = ()
