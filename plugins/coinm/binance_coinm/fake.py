"""Teaches the test kit's fake exchange COIN-M's wire: REST under ``/dapi/``, streams at ``/stream`` and ``/ws``
(COIN-M did not split its stream paths), the listenKey flow, and, for a ``SimulatedExchange``, the simulated
inverse perpetuals (``BTCUSD_PERP``: 100 USD a contract, margin and PnL in BTC) in COIN-M's formats (v1 account
methods, ``cumBase``, ``pair`` fields, ``/dapi/v1/positionRisk``). All of it is ``binance_futures``'s, written
once for both futures markets; this module names COIN-M's row. Only the test kit imports it (entry-point group
``binance.testing``)."""

from binance_futures.simulation import CM_WIRE, simulated_fake

__all__ = ['COINM_FAKE']

COINM_FAKE = simulated_fake(market='coinm', wire=CM_WIRE)
