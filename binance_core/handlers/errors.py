"""Handlers for failures: exceptions raised inside other handlers, and stream-control errors
(a failed resubscribe or logon after a reconnect, a skipped frame, frames lost in a reconnect)."""

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
        phase: what failed:

            - ``'resubscribe'``: replaying subscriptions after a reconnect;
            - ``'logon'``: ``session.logon`` / user-data subscribe;
            - ``'reconnect'``: the retry policy gave up;
            - ``'frame'``: a frame that is not a JSON object was skipped (the stream goes on);
            - ``'gap'``: a connection was replaced after a drop (not a ``serverShutdown`` handover, which
              loses nothing): Binance keeps no backlog, so ``streams`` missed every frame sent between
              ``down_at`` and ``up_at``. Managed order books resync by themselves; for the user-data
              stream, order and balance state must be reconciled (``hint`` says how);
            - ``'reconcile'``: fetching the user-data snapshot after a gap failed (nothing retries it);
            - ``'keepalive'``: a listenKey keepalive failed (futures user data; the flow retries, and renews the
              key when Binance says it is gone).
        exception: the underlying exception (for a gap: why the old connection ended).
        recovering: ``True`` while the SDK is recovering by itself (reconnecting, resubscribing; for
            ``'frame'`` and ``'gap'``: the stream runs on).
        streams: the market streams concerned (wire names such as ``'btcusdt@depth'``), ``()`` when
            not about particular streams (the user-data stream is ``stream='user'``).
        down_at: for a gap, when the connection was lost (epoch seconds, local clock), else ``None``.
        up_at: for a gap, when the new connection carried frames again (epoch seconds), else ``None``.
        hint: what to do about it, in a sentence, or ``''``.
    """

    stream: str
    phase: str
    exception: BaseException
    recovering: bool
    streams: tuple[str, ...] = ()
    down_at: float | None = None
    up_at: float | None = None
    hint: str = ''


class StreamErrorHandlerBase(HandlerBase):
    """Receives a :class:`StreamError` when a resubscribe or logon fails after a reconnect, a frame is
    skipped, or a reconnect lost frames (``error.phase == 'gap'``, with ``down_at``/``up_at``).

    The default logs a warning; subclass it (``receive`` may be ``async``) to alert someone::

        class Alerts(StreamErrorHandlerBase):
            def receive(self, error):
                if error.phase == 'gap':
                    print(f'{error.stream}: lost {error.up_at - error.down_at:.1f} s of {error.streams}')
    """

    def receive(self, error: StreamError) -> Any:
        if error.phase == 'gap':
            names = error.streams
            shown = ', '.join(names[:5]) + (f' and {len(names) - 5} more' if len(names) > 5 else '')
            log.warning(
                '%s stream: frames lost while reconnecting (%.1f s%s)%s',
                error.stream,
                (error.up_at or 0.0) - (error.down_at or 0.0),
                f'; {shown}' if shown else '',
                f'; {error.hint}' if error.hint else '',
            )
            return
        log.warning(
            '%s stream: %s failed (%r); %s%s',
            error.stream,
            error.phase,
            error.exception,
            'recovering' if error.recovering else 'not recovering',
            f'; {error.hint}' if error.hint else '',
        )
