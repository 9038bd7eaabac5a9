"""Teaches the test kit's fake exchange COIN-M's wire: REST under ``/dapi/``, streams at ``/stream`` and
``/ws`` (COIN-M did not split its stream paths), and the listenKey flow. Only the test kit imports this
module (entry-point group ``binance.testing``)."""

from binance_core import hookimpl
from binance_futures.fake import FuturesFake, teach

COINM_FAKE = FuturesFake(market='coinm', rest_root='/dapi')


@hookimpl
def binance_fake_exchange(market, exchange):
    teach(COINM_FAKE, market, exchange)
