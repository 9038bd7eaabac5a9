"""Teaches the test fake exchange USDⓈ-M's wire: WS-API at ``/ws-fapi/v1``, REST under ``/fapi/``, streams
under ``/public``, ``/market`` and ``/private`` (legacy paths retired 2026-04-23), and the listenKey flow."""

from binance_core.futures.fake import FuturesFake, teach

USDM_FAKE = FuturesFake(
    market='usdm', ws_api_path='/ws-fapi/v1', rest_root='/fapi', stream_prefixes=('/public', '/market', '/private'),
)


def binance_fake_exchange(market, exchange):
    teach(USDM_FAKE, market, exchange)
