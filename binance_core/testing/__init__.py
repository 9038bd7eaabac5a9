"""Test tools: a fake Binance exchange on 127.0.0.1 (WS-API, REST, streams) that market plugins
teach their routes through the ``binance_fake_exchange`` hook, and a simulated exchange whose market
moves and whose matching engine fills orders; see ``docs/testing.md``."""

from binance_core.testing.fake_exchange import BinanceError, FakeExchange, Record, Request, Session
from binance_core.testing.matching import Balance, Fill, Order, SimSymbol, Simulation, Trade
from binance_core.testing.simulation import SimulatedExchange, SimulationWire

__all__ = [
    'Balance',
    'BinanceError',
    'FakeExchange',
    'Fill',
    'Order',
    'Record',
    'Request',
    'Session',
    'SimSymbol',
    'SimulatedExchange',
    'Simulation',
    'SimulationWire',
    'Trade',
]
