"""Retry policies: ``policy(info) -> (abandon, delay_seconds)``.

``info.fails`` counts consecutive failures (1 on the first), ``info.exception`` is the cause.
The default never abandons: a bounded, jittered exponential backoff from 0.5 s to 30 s.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import attrs

__all__ = ['RetryInfo', 'RetryPolicy', 'backoff_policy', 'default_retry_policy']


@attrs.frozen
class RetryInfo:
    """What a retry policy is told about a failure."""

    fails: int
    exception: BaseException | None = None


RetryPolicy = Callable[[RetryInfo], tuple[bool, float]]


def backoff_policy(base: float = 0.5, cap: float = 30.0, max_fails: int | None = None) -> RetryPolicy:
    """Exponential backoff ``base * 2**(fails-1)`` capped at *cap*, with "equal jitter" (half
    fixed, half random) so many clients do not reconnect in lock-step; abandons after
    *max_fails* failures when given."""
    if base <= 0 or cap < base:
        raise ValueError('need 0 < base <= cap')

    def policy(info: RetryInfo) -> tuple[bool, float]:
        if max_fails is not None and info.fails > max_fails:
            return True, 0.0
        ceiling = min(cap, base * 2 ** min(info.fails - 1, 32))
        return False, ceiling / 2 + random.random() * ceiling / 2

    policy.__qualname__ = f'backoff_policy(base={base}, cap={cap}, max_fails={max_fails})'
    return policy


default_retry_policy = backoff_policy()
