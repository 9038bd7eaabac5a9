"""Teaches the test fake exchange COIN-M's wire: WS-API at ``/ws-dapi/v1``, REST under ``/dapi/``,
streams at ``/stream`` and ``/ws`` (COIN-M did not split its stream paths), and the listenKey flow."""

from binance_core.futures.fake import FuturesFake, teach

COINM_FAKE = FuturesFake(market='coinm', ws_api_path='/ws-dapi/v1', rest_root='/dapi', stream_prefixes=('',))


def binance_fake_exchange(market, exchange):
    teach(COINM_FAKE, market, exchange)
