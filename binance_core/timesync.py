"""Server-time offset kept per client: synced before the first signed request and after -1021."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from binance_core.exceptions import MalformedResponseException

log = logging.getLogger('binance.time')

__all__ = ['TimeSync', 'to_ms']


def to_ms(value: Any) -> int:
    """An epoch time from Binance in milliseconds. With ``time_unit='microsecond'`` Binance sends every
    time in µs; an epoch in ms stays below 10**14 until the year 5138, one in µs is above it."""
    v = int(value)
    return v // 1000 if v >= 10**14 else v


# Clocks drift: a sync older than this is refreshed before the next signed request.
RESYNC_INTERVAL = 600.0


class TimeSync:
    """Offset = server time - local midpoint of the round trip (Binance's timing guidance).

    Attributes:
        offset_ms: milliseconds to add to the local clock; 0 until synced.
        synced: whether a sync has completed.
    """

    __slots__ = ('_fetch', '_lock', '_synced_at', 'offset_ms', 'synced')

    def __init__(self, fetch: Callable[[], Awaitable[Any]]) -> None:
        self._fetch = fetch
        self._lock = asyncio.Lock()
        self.offset_ms = 0
        self.synced = False
        self._synced_at = 0.0

    def now_ms(self) -> int:
        return int(time.time() * 1000) + self.offset_ms

    def stale(self) -> bool:
        """Whether :meth:`ensure` would sync: never synced, or the last sync is older than ``RESYNC_INTERVAL``.
        The request path asks this first and awaits :meth:`ensure` only when it is true (nearly never), saving
        every signed request a coroutine."""
        return not self.synced or time.monotonic() - self._synced_at > RESYNC_INTERVAL

    async def ensure(self) -> None:
        """Sync if never synced or the last sync is older than ``RESYNC_INTERVAL``."""
        if self.stale():
            await self.sync(newer_than=time.monotonic() - RESYNC_INTERVAL)

    async def sync(self, *, newer_than: float | None = None) -> None:
        """Fetch the server time now, unless a sync finished after *newer_than* (a ``time.monotonic()``
        value): many requests rejected with -1021 at once then cost one sync, not one each."""
        async with self._lock:
            if newer_than is not None and self.synced and self._synced_at > newer_than:
                return
            t0 = time.time()
            result = await self._fetch()
            t1 = time.time()
            try:
                server_ms = to_ms(result['serverTime'])
            except (KeyError, TypeError, ValueError) as exc:
                raise MalformedResponseException(
                    f'the server time reply has no usable serverTime: {result!r:.80}'
                ) from exc
            self.offset_ms = server_ms - int((t0 + t1) * 500)
            self.synced = True
            self._synced_at = time.monotonic()
            log.debug('server time offset %d ms (round trip %.1f ms)', self.offset_ms, (t1 - t0) * 1000)
