"""The typed home of ``SpotClient``: ``from binance_spot.client import SpotClient`` gives the class
``binance`` assembles from the rows, and editors and type checkers read its methods and params from
``client.pyi`` beside this file (generated from the rows by ``python -m binance stubs``)."""

from binance import SpotClient as SpotClient

__all__ = ['SpotClient']
