"""Per-market client-side rate limiter: waits for request-weight headroom, fails orders fast,
gates WebSocket connections and messages, and keeps the counts a snapshot shows."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from binance_core.exceptions import RateLimitReachedException, TooManyStreamsException
from binance_core.rate_limit.pools import Window
from binance_core.rate_limit.snapshot import RateLimitSnapshot
from binance_core.specs import PoolSpec, interval_seconds

__all__ = ['ConnectionLimits', 'RateLimiter']

log = logging.getLogger(__name__)

# Pools charged by acquire(); the index picks the amount: weight, orders or raw.
_REQUEST_TYPES = {'request_weight': 0, 'orders': 1, 'raw_requests': 2}
# REST visibility headers (Binance "LIMITS": X-MBX-USED-WEIGHT-<n><S|M|H|D>, X-MBX-ORDER-COUNT-<n><unit>).
_HEADER = re.compile(r'x-mbx-(used-weight|order-count)-(\d+[smhd])', re.IGNORECASE)
_HEADER_TYPES = {'used-weight': 'request_weight', 'order-count': 'orders'}
# WS-API rateLimits[] interval words (Binance "rateLimits" objects).
_WS_INTERVALS = {'SECOND': 1, 'MINUTE': 60, 'HOUR': 3600, 'DAY': 86400}
# Sleep a hair past a window boundary so the re-check lands in the new window.
_EPSILON = 0.001


class RateLimiter:
    """The rate-limit pools of one market, shared by every client of that market that is given it.

    Spot and futures limits are independent on Binance's side, so a limiter serves exactly one
    market (:meth:`attach` enforces it). With ``guard`` on, request weight, raw requests,
    connections and messages wait for headroom in FIFO order, and order pools (``wait=False``)
    raise :class:`RateLimitReachedException` without charging anything. With ``guard`` off nothing
    waits or raises, but usage is still counted so monitoring stays accurate.

    :param pools: the market's pool rows (the union of its ``binance_rate_pools`` hooks).
    :param market: the market served; ``None`` until the first :meth:`attach`.
    :param guard: enforce the pools (``True``) or only count (``False``).
    :param clock: epoch seconds; injectable for tests.
    """

    def __init__(
        self,
        pools: Sequence[PoolSpec] = (),
        *,
        market: str | None = None,
        guard: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.market = market
        self.guard = guard
        self._clock = clock
        self._blocked_until = 0.0
        self._banned = False
        self._pending = 0
        self._request_lock = asyncio.Lock()
        self._connect_lock = asyncio.Lock()
        self._connections: dict[int, ConnectionLimits] = {}
        self._set_pools(tuple(pools))

    def _set_pools(self, pools: tuple[PoolSpec, ...]) -> None:
        self.pools = pools
        windows = [Window(p) for p in pools if p.scope != 'connection']
        self._windows = tuple(windows)
        # (window, amount index) pairs, split by behaviour; tuples so the hot path does not allocate.
        self._fail_fast = tuple((w, _REQUEST_TYPES[w.spec.type]) for w in windows
                                if w.spec.type in _REQUEST_TYPES and not w.spec.wait)
        self._waiting = tuple((w, _REQUEST_TYPES[w.spec.type]) for w in windows
                              if w.spec.type in _REQUEST_TYPES and w.spec.wait)
        self._connect = tuple((w, 0) for w in windows if w.spec.type == 'ws_connections')
        self._by_key = {(w.spec.type, w.seconds): w for w in windows}
        self._connection_specs = tuple(p for p in pools if p.scope == 'connection')

    def attach(self, market: str, pools: Sequence[PoolSpec] = ()) -> None:
        """Bind this limiter to *market*, adopting *pools* if it was built without any.

        Called by every client that is handed this limiter.

        :raises ValueError: the limiter already serves another market.
        """
        if self.market is None:
            self.market = market
        elif self.market != market:
            raise ValueError(
                f'a RateLimiter is per market: this one serves {self.market!r} and cannot also serve '
                f'{market!r}; Binance counts Spot and futures limits separately, so never share one across markets'
            )
        if not self.pools and pools:
            self._set_pools(tuple(pools))

    # -- requests ------------------------------------------------------------------------------

    async def acquire(self, *, weight: int = 0, orders: int = 0, raw: int = 1) -> None:
        """Take budget for one REST or WS-API request; call once before sending it.

        :raises RateLimitReachedException: an order pool has no room (guard on); nothing is charged.
        """
        amounts = (weight, orders, raw)
        now = self._clock()
        if not self.guard:
            for w, i in self._fail_fast:
                w.roll(now)
                w.used += amounts[i]
            for w, i in self._waiting:
                w.roll(now)
                w.used += amounts[i]
            return
        if orders and now < self._blocked_until:
            raise RateLimitReachedException(self._block_label(), retry_after=self._blocked_until - now)
        if self._fail_fast:
            self._check_fail_fast(amounts, now)
        if orders:
            # Orders never sleep, not even for request weight: a late order can be worse than none.
            self._check_order_headroom(amounts, now)
        if now >= self._blocked_until and not self._request_lock.locked() and self._fits(self._waiting, amounts, now):
            self._charge(amounts)
            return
        await self._wait(self._waiting, amounts, self._request_lock)

    def _check_fail_fast(self, amounts: tuple[int, ...], now: float) -> None:
        """Order pools never wait: delaying an order can be worse than not sending it (spec, "Rate Limits")."""
        for w, i in self._fail_fast:
            w.roll(now)
            if amounts[i] and not w.fits(amounts[i]):
                raise RateLimitReachedException(w.label, retry_after=w.reset_in(now))

    def _check_order_headroom(self, amounts: tuple[int, ...], now: float) -> None:
        queued = self._request_lock.locked()
        for w, i in self._waiting:
            w.roll(now)
            if amounts[i] and (queued or not w.fits(amounts[i])):
                reason = f'{w.label} (requests are queued for it)' if queued else w.label
                raise RateLimitReachedException(reason, retry_after=w.reset_in(now))

    @staticmethod
    def _fits(pools: tuple[tuple[Window, int], ...], amounts: tuple[int, ...], now: float) -> bool:
        for w, i in pools:
            w.roll(now)
            if amounts[i] and not w.fits(amounts[i]):
                return False
        return True

    def _charge(self, amounts: tuple[int, ...]) -> None:
        for w, i in self._fail_fast:
            w.used += amounts[i]
        for w, i in self._waiting:
            w.used += amounts[i]

    async def _wait(self, pools: tuple[tuple[Window, int], ...], amounts: tuple[int, ...], lock: asyncio.Lock) -> None:
        """Slow path: queue behind earlier callers (asyncio.Lock wakes waiters in FIFO order), then
        sleep until the Retry-After block and every exhausted window have passed."""
        waiting_on = tuple(w for w, i in pools if amounts[i])
        self._pending += 1
        for w in waiting_on:
            w.pending += 1
        try:
            async with lock:
                while True:
                    now = self._clock()
                    if now < self._blocked_until:
                        await asyncio.sleep(self._blocked_until - now + _EPSILON)
                        continue
                    delay = 0.0
                    for w, i in pools:
                        w.roll(now)
                        if amounts[i] and not w.fits(amounts[i]):
                            delay = max(delay, w.reset_in(now))
                    if delay:
                        await asyncio.sleep(delay + _EPSILON)
                        continue
                    if pools is self._waiting:
                        # Other callers may have used the order budget while this one waited.
                        self._check_fail_fast(amounts, now)
                        self._charge(amounts)
                    else:
                        for w, i in pools:
                            w.used += amounts[i]
                    return
        finally:
            self._pending -= 1
            for w in waiting_on:
                w.pending -= 1

    # -- WebSocket -----------------------------------------------------------------------------

    async def acquire_connection(self) -> None:
        """Take one WebSocket connection attempt from the ``ws_connections`` pool (waits like weight)."""
        now = self._clock()
        if not self.guard:
            for w, _ in self._connect:
                w.roll(now)
                w.used += 1
            return
        if now >= self._blocked_until and not self._connect_lock.locked() and self._fits(self._connect, (1,), now):
            for w, _ in self._connect:
                w.used += 1
            return
        await self._wait(self._connect, (1,), self._connect_lock)

    def connection(self) -> ConnectionLimits:
        """Per-connection limits (messages per second, streams cap) for one new WebSocket connection."""
        conn = ConnectionLimits(self)
        self._connections[id(conn)] = conn
        return conn

    # -- reconciliation ------------------------------------------------------------------------

    def reconcile_headers(self, headers: Mapping[str, str]) -> None:
        """Adopt ``X-MBX-USED-WEIGHT-<n><u>`` / ``X-MBX-ORDER-COUNT-<n><u>`` from a REST response."""
        now = None
        for name, value in headers.items():
            m = _HEADER.fullmatch(name)
            if m is None:
                continue
            w = self._by_key.get((_HEADER_TYPES[m.group(1).lower()], interval_seconds(m.group(2))))
            if w is None:
                continue
            try:
                used = int(value)
            except (TypeError, ValueError):
                log.debug('ignoring unparsable rate-limit header %s=%r', name, value)
                continue
            if now is None:
                now = self._clock()
            w.adopt(used, now)

    def reconcile_ws(self, rate_limits: Sequence[Mapping[str, Any]]) -> None:
        """Adopt the ``rateLimits`` array of a WS-API response."""
        now = None
        for item in rate_limits:
            kind = str(item.get('rateLimitType', '')).lower()
            unit = _WS_INTERVALS.get(str(item.get('interval', '')).upper())
            try:
                seconds = None if unit is None else unit * int(item.get('intervalNum', 1))
                count = int(item['count'])
            except (KeyError, TypeError, ValueError):
                continue
            w = self._by_key.get((kind, seconds))
            if w is None:
                continue
            if now is None:
                now = self._clock()
            w.adopt(count, now)

    def block(self, retry_after: float, *, banned: bool = False) -> None:
        """Hold back weight, raw, order and connection budget for *retry_after* seconds (429/418).

        A 429 that is ignored escalates to a 418 IP ban of 2 minutes to 3 days (Binance "LIMITS").
        """
        until = self._clock() + max(0.0, float(retry_after))
        if until > self._blocked_until:
            self._blocked_until = until
            self._banned = banned
        log.warning(
            '%s: %s, holding requests for %.1f s', self.market or 'rate limiter',
            'IP banned (418)' if banned else 'rate limited (429)', retry_after,
        )

    def _block_label(self) -> str:
        return 'IP ban (418) Retry-After' if self._banned else 'rate limit (429) Retry-After'

    # -- monitoring ----------------------------------------------------------------------------

    def snapshot(self) -> RateLimitSnapshot:
        """Every pool now, computed locally. Connection-scoped pools show the busiest open
        connection (highest ``used``), with ``pending`` summed over all open connections."""
        now = self._clock()
        windows = [w.view(now) for w in self._windows]
        if self._connections:
            for spec in self._connection_specs:
                key = (spec.type, spec.interval)
                busiest: Window | None = None
                busiest_used = -1
                pending = 0
                for conn in self._connections.values():
                    w = conn.windows.get(key)
                    if w is None:
                        continue
                    used = w.view(now).used
                    pending += w.pending
                    if used > busiest_used:
                        busiest, busiest_used = w, used
                if busiest is not None:
                    windows.append(busiest.view(now, scope='connection', used=busiest_used, pending=pending))
        retry_after = self._blocked_until - now if now < self._blocked_until else None
        pending = self._pending + sum(c.pending for c in self._connections.values())
        return RateLimitSnapshot(
            windows=tuple(windows),
            pending=pending,
            retry_after=retry_after,
            throttled=pending > 0 or retry_after is not None,
            at=now,
            max_utilization=max((w.utilization for w in windows), default=0.0),
        )

    def __repr__(self) -> str:
        return f'RateLimiter(market={self.market!r}, guard={self.guard}, pools={len(self.pools)})'


class ConnectionLimits:
    """The per-connection pools of one WebSocket connection: outgoing messages per second
    (Spot 5/s, futures 10/s; pings, pongs and control frames all count) and the streams cap (1024).

    Get one from :meth:`RateLimiter.connection`; call :meth:`close` when the connection ends.
    """

    def __init__(self, limiter: RateLimiter) -> None:
        self._limiter = limiter
        self._lock = asyncio.Lock()
        self.pending = 0
        self.windows: dict[tuple[str, str | None], Window] = {
            (p.type, p.interval): Window(p) for p in limiter._connection_specs
        }
        self._messages = tuple((w, 0) for w in self.windows.values() if w.spec.type == 'ws_messages')
        self._streams = tuple(w for w in self.windows.values() if w.spec.type == 'ws_streams')

    async def message(self) -> None:
        """Take one outgoing message from this connection's budget; waits for headroom (guard on)."""
        now = self._limiter._clock()
        if not self._limiter.guard or (not self._lock.locked() and RateLimiter._fits(self._messages, (1,), now)):
            for w, _ in self._messages:
                w.roll(now)
                w.used += 1
            return
        self.pending += 1
        for w, _ in self._messages:
            w.pending += 1
        try:
            async with self._lock:
                while True:
                    now = self._limiter._clock()
                    delay = 0.0
                    for w, _ in self._messages:
                        w.roll(now)
                        if not w.fits(1):
                            delay = max(delay, w.reset_in(now))
                    if not delay:
                        break
                    await asyncio.sleep(delay + _EPSILON)
                for w, _ in self._messages:
                    w.used += 1
        finally:
            self.pending -= 1
            for w, _ in self._messages:
                w.pending -= 1

    def check_streams(self, n_total: int) -> None:
        """Record that the connection would carry *n_total* streams.

        Enforced even with the guard off: Binance refuses more than its cap on one connection.

        :raises TooManyStreamsException: *n_total* exceeds the ``ws_streams`` cap.
        """
        for w in self._streams:
            if n_total > w.limit:
                raise TooManyStreamsException(requested=n_total, limit=w.limit)
        for w in self._streams:
            w.used = n_total

    def close(self) -> None:
        """Forget this connection (it leaves the snapshot). Safe to call twice."""
        self._limiter._connections.pop(id(self), None)
