"""The test kit (``binance-sdk-testing``): a fake Binance exchange on 127.0.0.1 (WS-API, REST, streams)
that market plugins teach their routes through the ``binance_fake_exchange`` hook, a simulated exchange
whose market moves and whose matching engine fills orders (Spot cash accounts, or futures margin accounts with
positions, leverage, mark price and funding, on linear USDⓈ-M or inverse COIN-M contracts), opt-in pytest
fixtures and the demo; see ``docs/testing.md``."""

from binance_testing.fake_exchange import BinanceError, FakeExchange, Record, Request, Session
from binance_testing.futures import (
    FundingRate,
    FuturesOrder,
    FuturesSimulation,
    FuturesSymbol,
    FuturesUserEvents,
    MarginBalance,
    Position,
    PremiumIndex,
)
from binance_testing.hookspecs import FakeExchangeProtocol
from binance_testing.matching import Balance, Fill, Order, SimSymbol, Simulation, Trade
from binance_testing.simulation import SimulatedExchange, SimulationUserEvents, SimulationWire

__all__ = [
    'Balance',
    'BinanceError',
    'FakeExchange',
    'FakeExchangeProtocol',
    'Fill',
    'FundingRate',
    'FuturesOrder',
    'FuturesSimulation',
    'FuturesSymbol',
    'FuturesUserEvents',
    'MarginBalance',
    'Order',
    'Position',
    'PremiumIndex',
    'Record',
    'Request',
    'Session',
    'SimSymbol',
    'SimulatedExchange',
    'Simulation',
    'SimulationUserEvents',
    'SimulationWire',
    'Trade',
]
