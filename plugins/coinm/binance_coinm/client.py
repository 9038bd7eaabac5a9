"""The typed home of ``CMFuturesClient``: ``from binance_coinm.client import CMFuturesClient`` gives the class
``binance`` assembles from the rows, and editors and type checkers read its methods and params from
``client.pyi`` beside this file (generated from the rows by ``python -m binance stubs``)."""

from binance import CMFuturesClient as CMFuturesClient

__all__ = ['CMFuturesClient']
