"""Teaches the test kit's fake exchange USDⓈ-M's wire: REST under ``/fapi/``, streams under ``/public``,
``/market`` and ``/private`` (legacy paths retired 2026-04-23), and the listenKey flow. Only the test kit
imports this module (entry-point group ``binance.testing``)."""

from binance_futures.fake import FuturesFake

USDM_FAKE = FuturesFake(market='usdm', rest_root='/fapi', stream_prefixes=('/public', '/market', '/private'))
