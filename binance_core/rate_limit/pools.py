"""One rate-limit pool at run time: a calendar-aligned fixed window (or a plain cap) with a usage count, or,
for a connection's messages, a sliding log of send times."""

from __future__ import annotations

from collections import deque

from binance_core.rate_limit.snapshot import RateLimitWindow
from binance_core.specs import PoolSpec

__all__ = ['SlidingLog', 'Window']


class Window:
    """Usage of one :class:`PoolSpec` in its current window.

    Binance intervals are fixed windows aligned to the calendar (a 1-minute window resets at :00,
    10 s windows at :00/:10/..., 1 day at 00:00 UTC), not sliding ones, so a window's start is
    ``now - now % seconds`` in epoch seconds. A pool without an interval (``ws_streams``) is a cap
    whose ``used`` is set, not accumulated. Plain ``__slots__`` class: it is touched on every request.

    A pool that names a budget has one window per event loop shared by every limiter that draws from
    it (see :mod:`binance_core.rate_limit.budgets`); ``pending`` then counts all of their waiters.
    """

    __slots__ = ('backend', 'end', 'label', 'limit', 'pending', 'seconds', 'source', 'spec', 'used')

    def __init__(self, spec: PoolSpec) -> None:
        self.spec = spec
        self.seconds = spec.seconds
        self.limit = spec.effective_limit
        label = spec.type if spec.interval is None else f'{spec.type} {spec.interval}'
        self.label = label if spec.group is None else f'{label} ({spec.group})'
        self.used = 0
        self.end = 0.0  # end of the current window; 0 forces a roll on first use
        self.source = 'client'
        self.pending = 0
        self.backend: str | None = None  # the BudgetBackend's name when this window mirrors its count

    def roll(self, now: float) -> None:
        """Start a fresh window when *now* has passed the current one's end."""
        if self.seconds is not None and now >= self.end:
            self.end = now - now % self.seconds + self.seconds
            self.used = 0
            self.source = 'client'

    def fits(self, amount: int) -> bool:
        """Whether *amount* more fits; call :meth:`roll` first.

        A single charge larger than the whole budget (a heavy call against a small safety-adjusted
        cap) is let through into an empty window, else it could never be sent.
        """
        return self.used + amount <= self.limit or self.used == 0

    def reset_in(self, now: float) -> float:
        """Seconds until this window resets (0 for a cap)."""
        return 0.0 if self.seconds is None else max(0.0, self.end - now)

    def adopt(self, used: int, now: float) -> None:
        """Take Binance's authoritative count, also when it is lower than ours: a successful order weighs 0
        since 2026-04-02 and filled orders leave the unfilled-order count, so keeping the larger number
        would refuse orders Binance accepts. Requests still in flight are briefly uncounted; the pools'
        safety margin covers that."""
        self.roll(now)
        self.used = used
        self.source = 'header'

    def view(
        self, now: float, scope: str | None = None, used: int | None = None, pending: int | None = None
    ) -> RateLimitWindow:
        """A frozen snapshot row; does not roll the window (reading never changes state)."""
        if used is None:
            expired = self.seconds is not None and now >= self.end
            used = 0 if expired else self.used
            source = 'client' if expired else self.source
        else:
            source = self.source
        return RateLimitWindow(
            scope=scope or self.spec.scope,
            type=self.spec.type,
            interval=self.spec.interval,
            used=used,
            limit=self.limit,
            remaining=max(0, self.limit - used),
            utilization=used / self.limit,
            pending=self.pending if pending is None else pending,
            source=source,
            budget=self.spec.budget,
            group=self.spec.group,
            backend=self.backend,
        )


class SlidingLog:
    """A per-connection message pool that holds over *any* span of its interval, not only within
    calendar-aligned windows: the send times of the last messages, at most ``limit`` of them.

    Binance closes a stream connection that sends more than its message limit (5/s Spot, 10/s futures,
    pings, pongs and control frames included), and aligned windows would let up to twice the limit
    leave within milliseconds across a boundary. Here a message may leave only when fewer than
    ``limit`` left in the ``span`` before it (the interval plus *slack*, which absorbs network jitter
    between our send and Binance's receive). Plain ``__slots__`` class; ``now`` is the caller's clock.

    Attributes:
        spec: the pool row; ``limit``: its effective limit; ``seconds``: its interval.
        span: seconds a sent message holds its place (``seconds`` + slack).
        pending: callers waiting for room.
    """

    __slots__ = ('label', 'limit', 'log', 'pending', 'seconds', 'span', 'spec')

    def __init__(self, spec: PoolSpec, slack: float = 0.0) -> None:
        if spec.seconds is None:
            raise ValueError(f'a sliding log needs an interval; {spec.type} has none')
        self.spec = spec
        self.seconds: float = spec.seconds
        self.span = self.seconds + slack
        self.limit = spec.effective_limit
        self.label = f'{spec.type} {spec.interval}'
        self.log: deque[float] = deque()
        self.pending = 0

    def _prune(self, now: float) -> None:
        log = self.log
        if log and log[-1] > now:
            # The clock went back: count what was logged as sent just now (never less than the truth).
            for i, t in enumerate(log):
                log[i] = min(t, now)
        span = self.span
        while log and now - log[0] >= span:
            log.popleft()

    def wait_time(self, now: float) -> float:
        """Seconds until one more message may leave (0: now)."""
        self._prune(now)
        log = self.log
        if len(log) < self.limit:
            return 0.0
        return log[-self.limit] + self.span - now

    def record(self, now: float) -> None:
        """Count one message sent at *now* (with the guard off too, for the snapshot)."""
        self._prune(now)
        self.log.append(now)

    def used(self, now: float) -> int:
        """Messages sent in the last ``seconds`` (does not change the log)."""
        since = now - self.seconds
        return sum(1 for t in self.log if t > since)

    def view(
        self, now: float, scope: str | None = None, used: int | None = None, pending: int | None = None
    ) -> RateLimitWindow:
        """A frozen snapshot row (``used``: messages in the last ``seconds``)."""
        if used is None:
            used = self.used(now)
        return RateLimitWindow(
            scope=scope or self.spec.scope,
            type=self.spec.type,
            interval=self.spec.interval,
            used=used,
            limit=self.limit,
            remaining=max(0, self.limit - used),
            utilization=used / self.limit,
            pending=self.pending if pending is None else pending,
            source='client',
            budget=self.spec.budget,
        )
