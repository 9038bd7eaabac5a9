"""Server-time offset kept per client: synced before the first signed request and after -1021."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger('binance.time')

__all__ = ['TimeSync']


class TimeSync:
    """Offset = server time - local midpoint of the round trip (Binance's timing guidance).

    Attributes:
        offset_ms: milliseconds to add to the local clock; 0 until synced.
        synced: whether a sync has completed.
    """

    __slots__ = ('_fetch', '_lock', 'offset_ms', 'synced')

    def __init__(self, fetch: Callable[[], Awaitable[Any]]) -> None:
        self._fetch = fetch
        self._lock = asyncio.Lock()
        self.offset_ms = 0
        self.synced = False

    def now_ms(self) -> int:
        return int(time.time() * 1000) + self.offset_ms

    async def ensure(self) -> None:
        if not self.synced:
            await self.sync(only_if_unsynced=True)

    async def sync(self, *, only_if_unsynced: bool = False) -> None:
        async with self._lock:
            if only_if_unsynced and self.synced:
                return
            t0 = time.time()
            result = await self._fetch()
            t1 = time.time()
            server_ms = int(result['serverTime'])
            self.offset_ms = server_ms - int((t0 + t1) * 500)
            self.synced = True
            log.debug('server time offset %d ms (round trip %.1f ms)', self.offset_ms, (t1 - t0) * 1000)
