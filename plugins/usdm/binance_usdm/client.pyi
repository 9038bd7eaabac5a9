# Generated from the rows by `python -m binance stubs`: do not edit by hand.
from binance_futures.clients import UMFuturesClient as UMFuturesClient

__all__ = ['UMFuturesClient']
