# Generated from the rows by `python -m binance stubs`: do not edit by hand.
from binance_futures.clients import CMFuturesClient as CMFuturesClient

__all__ = ['CMFuturesClient']
