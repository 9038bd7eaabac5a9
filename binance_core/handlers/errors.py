"""Handlers for failures: exceptions raised inside other handlers, and stream-control errors
(a failed resubscribe or logon after a reconnect)."""

from __future__ import annotations

import logging
from typing import Any

import attrs

from binance_core.handlers.base import HandlerBase

__all__ = ['HandlerExceptionHandlerBase', 'StreamError', 'StreamErrorHandlerBase']

log = logging.getLogger('binance.handlers')


class HandlerExceptionHandlerBase(HandlerBase):
    """Receives every exception raised inside another handler's ``receive``.

    The stream keeps running whatever a handler raises. Register this base as is to log each
    exception with its stack, or subclass it (``receive`` may be ``async``) and call
    ``super().receive(exception)`` to keep the log line.
    """

    def receive(self, exception: BaseException) -> Any:
        log.error(
            'a handler raised %s',
            type(exception).__name__,
            exc_info=(type(exception), exception, exception.__traceback__),
        )


@attrs.frozen(kw_only=True)
class StreamError:
    """A stream-control failure reported to :class:`StreamErrorHandlerBase`.

    Attributes:
        stream: ``'data'`` (market streams) or ``'user'`` (the user-data stream).
        phase: what failed: ``'resubscribe'`` (replaying subscriptions after a reconnect),
            ``'logon'`` (``session.logon`` / user-data subscribe), or ``'reconnect'`` (the
            retry policy gave up).
        exception: the underlying exception.
        recovering: ``True`` while the SDK is recycling the stream to recover.
    """

    stream: str
    phase: str
    exception: BaseException
    recovering: bool


class StreamErrorHandlerBase(HandlerBase):
    """Receives a :class:`StreamError` when a resubscribe or logon fails after a reconnect.

    The default logs a warning; subclass it (``receive`` may be ``async``) to alert someone.
    """

    def receive(self, error: StreamError) -> Any:
        log.warning(
            '%s stream: %s failed (%r); %s',
            error.stream,
            error.phase,
            error.exception,
            'recovering' if error.recovering else 'not recovering',
        )
