"""Opt-in pytest fixtures ``binance_fake_exchange`` and ``binance_simulated_exchange``: async factories of
started fake / simulated exchanges, all closed at teardown. Loaded through the ``pytest11`` entry point of
``binance-sdk-testing`` but inert until a test asks for one: it imports nothing of the SDK until then."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from binance_testing.fake_exchange import FakeExchange
    from binance_testing.simulation import SimulatedExchange

try:
    import pytest_asyncio
except ImportError:  # pragma: no cover - the fixture needs pytest-asyncio; say so only when used
    _HAVE_PYTEST_ASYNCIO = False
else:
    _HAVE_PYTEST_ASYNCIO = True


if _HAVE_PYTEST_ASYNCIO:

    @pytest_asyncio.fixture
    async def binance_fake_exchange() -> AsyncIterator[Callable[..., Awaitable[FakeExchange]]]:
        """``fx = await binance_fake_exchange('spot')`` returns a started ``FakeExchange``
        (``pm=`` picks the plugin manager); every exchange made is closed at teardown."""
        from binance_testing.fake_exchange import FakeExchange

        made: list[FakeExchange] = []

        async def factory(market: str = 'spot', pm: Any = None) -> FakeExchange:
            fx = FakeExchange(market, pm=pm)
            made.append(fx)
            return await fx.start()

        try:
            yield factory
        finally:
            for fx in reversed(made):
                await fx.close()

    @pytest_asyncio.fixture
    async def binance_simulated_exchange() -> AsyncIterator[Callable[..., Awaitable[SimulatedExchange]]]:
        """``sim = await binance_simulated_exchange('spot', {'BTCUSDT': '30000.00'}, seed=1, tick=0.05)``
        returns a started, ticking ``SimulatedExchange`` (same arguments); every one made is closed at teardown."""
        from binance_testing.simulation import SimulatedExchange

        made: list[SimulatedExchange] = []

        async def factory(market: str = 'spot', symbols: Any = 'BTCUSDT', **kwargs: Any) -> SimulatedExchange:
            sim = SimulatedExchange(market, symbols, **kwargs)
            made.append(sim)
            return await sim.start()

        try:
            yield factory
        finally:
            for sim in reversed(made):
                await sim.close()

else:  # pragma: no cover

    @pytest.fixture
    def binance_fake_exchange() -> None:
        """Needs pytest-asyncio."""
        pytest.skip('the binance_fake_exchange fixture needs pytest-asyncio (pip install pytest-asyncio)')

    @pytest.fixture
    def binance_simulated_exchange() -> None:
        """Needs pytest-asyncio."""
        pytest.skip('the binance_simulated_exchange fixture needs pytest-asyncio (pip install pytest-asyncio)')
