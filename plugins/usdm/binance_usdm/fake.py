"""Teaches the test kit's fake exchange USDⓈ-M's wire: REST under ``/fapi/``, streams under ``/public``,
``/market`` and ``/private`` (legacy paths retired 2026-04-23), the listenKey flow, and, for a
``SimulatedExchange``, the simulated ``BTCUSDT``-style linear perpetuals in USDⓈ-M's formats (v2/v3 account and
position shapes, ``nq`` on aggTrade, ``ap`` on markPrice). All of it is ``binance_futures``'s, written once for
both futures markets; this module names USDⓈ-M's row. Only the test kit imports it (entry-point group
``binance.testing``)."""

from binance_futures.simulation import UM_WIRE, simulated_fake

__all__ = ['USDM_FAKE']

USDM_FAKE = simulated_fake(market='usdm', wire=UM_WIRE, stream_prefixes=('/public', '/market', '/private'))
