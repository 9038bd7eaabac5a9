"""Test tools: a fake Binance exchange on 127.0.0.1 (WS-API, REST, streams) that market plugins
teach their routes through the ``binance_fake_exchange`` hook; see ``docs/testing.md``."""

from binance_core.testing.fake_exchange import BinanceError, FakeExchange, Record, Request, Session

__all__ = ['BinanceError', 'FakeExchange', 'Record', 'Request', 'Session']
