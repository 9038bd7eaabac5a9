"""The typed home of ``UMFuturesClient``: ``from binance_usdm.client import UMFuturesClient`` gives the class
``binance`` assembles from the rows, and editors and type checkers read its methods and params from
``client.pyi`` beside this file (generated from the rows by ``python -m binance stubs``)."""

from binance import UMFuturesClient as UMFuturesClient

__all__ = ['UMFuturesClient']
