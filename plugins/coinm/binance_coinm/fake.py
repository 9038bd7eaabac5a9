"""Teaches the test kit's fake exchange COIN-M's wire: REST under ``/dapi/``, streams at ``/stream`` and
``/ws`` (COIN-M did not split its stream paths), and the listenKey flow. Only the test kit imports this
module (entry-point group ``binance.testing``)."""

from binance_futures.fake import FuturesFake

COINM_FAKE = FuturesFake(market='coinm', rest_root='/dapi')
