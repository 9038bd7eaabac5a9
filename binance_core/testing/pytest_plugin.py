"""Opt-in pytest fixture ``binance_fake_exchange``: an async factory of started fake exchanges, all
closed at teardown. Loaded through the ``pytest11`` entry point but inert until a test asks for it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from binance_core.testing.fake_exchange import FakeExchange

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
        from binance_core.testing.fake_exchange import FakeExchange

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

else:  # pragma: no cover

    @pytest.fixture
    def binance_fake_exchange() -> None:
        """Needs pytest-asyncio."""
        pytest.skip('the binance_fake_exchange fixture needs pytest-asyncio (pip install pytest-asyncio)')
