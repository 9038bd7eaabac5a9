"""Delivery of stream frames and user-data events to a client's registered handlers, with
handler exceptions isolated and passed to the exception handlers.

Stream connections call :meth:`Dispatcher.deliver_stream` from their reader, once per frame: plain handlers run
there and then, and only when one needs awaiting (an ``async def receive``, or an awaitable it returned, or a
failure to report) does the caller get an awaitable that finishes the frame."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from inspect import isawaitable, iscoroutinefunction
from typing import Any

from binance_core.handlers.base import HandlerBase
from binance_core.handlers.errors import HandlerExceptionHandlerBase, StreamError, StreamErrorHandlerBase

__all__ = ['Dispatcher', 'stops_delivery']

log = logging.getLogger('binance.handlers')

# (handler, its bound receive, whether receive is `async def`): resolved once per route.
_Target = tuple[HandlerBase, Callable[[Any], Any], bool]


def stops_delivery(exc: BaseException) -> bool:
    """Whether *exc*, raised while delivering, may end the delivering task: only its own cancellation
    (``close()`` cancels it; told apart by ``Task.cancelling()``), ``KeyboardInterrupt`` and ``SystemExit``
    (the program is being stopped; asyncio re-raises them out of the loop). Anything else a handler
    raises, including a ``CancelledError`` from awaiting a future someone else cancelled, is a handler
    failure: reported, and delivery goes on."""
    if isinstance(exc, KeyboardInterrupt | SystemExit):
        return True
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


def _stream_key(wire_name: str) -> str:
    """``'bnbusdt@bookTicker'`` -> ``'bookTicker'``; all-market names (``'!miniTicker@arr'``) stay whole."""
    if wire_name.startswith('!'):
        return wire_name
    return wire_name.partition('@')[2] or wire_name


def _events(cls: type) -> tuple[str, ...]:
    event = getattr(cls, 'event', None)
    if event is None:
        return ()
    return (event,) if isinstance(event, str) else tuple(event)


class Dispatcher:
    """The handlers registered on one client, and where each frame goes.

    Data-stream frames go to the handlers that are instances of the handler base routed to
    the stream (``route``), or whose class declares that ``stream``; user-data events go to
    the handlers whose class ``event`` equals the payload's ``e``. Handlers run one after the
    other in registration order, each awaited when it returns an awaitable. An exception in a
    handler, of whatever class (a ``CancelledError`` it did not ask for too), is logged and passed
    to every :class:`HandlerExceptionHandlerBase`; it never reaches the stream, which keeps running
    (see :func:`stops_delivery` for the only exceptions that pass).

    Target lists are computed once per stream name / event and cached; ``add`` and ``route``
    clear the cache, so a frame costs one dict lookup to find its handlers.
    """

    def __init__(self) -> None:
        self._handlers: list[HandlerBase] = []
        self._exception_handlers: list[HandlerExceptionHandlerBase] = []
        self._error_handlers: list[StreamErrorHandlerBase] = []
        self._routes: dict[str, tuple[str, ...]] = {}
        self._by_wire: dict[str, tuple[_Target, ...]] = {}
        self._by_event: dict[str, tuple[_Target, ...]] | None = None

    @property
    def handlers(self) -> tuple[HandlerBase, ...]:
        """Every registered handler, in registration order."""
        return (*self._handlers, *self._exception_handlers, *self._error_handlers)

    def add(self, handler: HandlerBase) -> None:
        """Register *handler*; adding the same instance again does nothing."""
        if not isinstance(handler, HandlerBase):
            raise TypeError(f'{handler!r} is not a handler: pass an instance of a subclass of a *HandlerBase class')
        if any(h is handler for h in self.handlers):
            return
        if isinstance(handler, HandlerExceptionHandlerBase):
            self._exception_handlers.append(handler)
        elif isinstance(handler, StreamErrorHandlerBase):
            self._error_handlers.append(handler)
        else:
            self._handlers.append(handler)
            self._invalidate()

    def route(self, wire_name: str, handler_base_name: str) -> None:
        """Send frames of stream *wire_name* to handlers that subclass *handler_base_name*."""
        names = self._routes.get(wire_name, ())
        if handler_base_name and handler_base_name not in names:
            self._routes[wire_name] = (*names, handler_base_name)
            self._by_wire.pop(wire_name, None)

    def unroute(self, wire_name: str) -> None:
        """Forget the route of *wire_name* (after an unsubscribe)."""
        if self._routes.pop(wire_name, None) is not None:
            self._by_wire.pop(wire_name, None)

    def _invalidate(self) -> None:
        self._by_wire.clear()
        self._by_event = None

    def receives_event(self, event: str) -> bool:
        """Whether any registered handler receives user-data events of type *event* (its class ``event``)."""
        by_event = self._by_event if self._by_event is not None else self._targets_by_event()
        return event in by_event

    @staticmethod
    def _target(handler: HandlerBase) -> _Target:
        receive = handler.receive
        return handler, receive, iscoroutinefunction(receive)

    def _targets_for_wire(self, wire_name: str) -> tuple[_Target, ...]:
        names = self._routes.get(wire_name, ())
        key = _stream_key(wire_name)
        targets = tuple(
            self._target(h)
            for h in self._handlers
            if any(c.__name__ in names for c in type(h).__mro__) or type(h).stream == key
        )
        if not targets:
            log.debug('no handler receives stream %r (routed to %s)', wire_name, names or 'nothing')
        self._by_wire[wire_name] = targets
        return targets

    def _targets_by_event(self) -> dict[str, tuple[_Target, ...]]:
        table: dict[str, list[_Target]] = {}
        for h in self._handlers:
            for event in _events(type(h)):
                table.setdefault(event, []).append(self._target(h))
        self._by_event = {e: tuple(t) for e, t in table.items()}
        return self._by_event

    # -- delivery ----------------------------------------------------------------------------

    def deliver_stream(self, wire_name: str, payload: Any) -> Awaitable[None] | None:
        """Deliver one data-stream frame (the ``data`` of a combined-stream message) as far as it goes without
        waiting: ``None`` once every handler has it; else an awaitable that finishes this frame (the rest of
        the handlers, in order), which the caller awaits before delivering the next frame.

        Plain handlers that return ``None`` cost one call each; nothing is allocated for them."""
        targets = self._by_wire.get(wire_name)
        if targets is None:
            targets = self._targets_for_wire(wire_name)
        for target in targets:
            if target[2]:  # async def receive
                return self._finish(targets, target, payload, None)
            try:
                result = target[1](payload)
            except BaseException as exc:
                if stops_delivery(exc):
                    raise
                return self._finish(targets, target, payload, exc)
            if result is not None and isawaitable(result):
                return self._finish(targets, target, payload, result)
        return None

    async def _finish(self, targets: tuple[_Target, ...], target: _Target, payload: Any, started: Any) -> None:
        """The rest of :meth:`deliver_stream` from *target* on: *started* is what *target* returned (an
        awaitable), the exception it raised, or ``None`` when it is an ``async def`` still to be called."""
        handler, receive, _ = target
        try:
            if started is None:
                await receive(payload)
            elif isinstance(started, BaseException):
                raise started
            else:
                await started
        except BaseException as exc:
            if stops_delivery(exc):
                raise
            await self._handler_failed(handler, exc)
        rest = targets[next(i for i, t in enumerate(targets) if t is target) + 1 :]
        if rest:
            await self._deliver(rest, payload)

    async def dispatch_stream(self, wire_name: str, payload: Any) -> None:
        """Deliver one data-stream frame and wait until every handler has it (:meth:`deliver_stream`, awaited)."""
        pending = self.deliver_stream(wire_name, payload)
        if pending is not None:
            await pending

    async def dispatch_user(self, payload: Any) -> None:
        """Deliver one user-data event (already unwrapped from ``{"subscriptionId", "event"}``)."""
        by_event = self._by_event if self._by_event is not None else self._targets_by_event()
        event = payload.get('e') if isinstance(payload, dict) else None
        targets = by_event.get(event) if isinstance(event, str) else None
        if targets:
            await self._deliver(targets, payload)
        else:
            log.debug('no handler receives user-data event %r', event)

    async def _deliver(self, targets: tuple[_Target, ...], payload: Any) -> None:
        for handler, receive, is_async in targets:
            try:
                if is_async:
                    await receive(payload)
                else:
                    result = receive(payload)
                    if result is not None and isawaitable(result):
                        await result
            except BaseException as exc:
                if stops_delivery(exc):
                    raise
                await self._handler_failed(handler, exc)

    async def _handler_failed(self, handler: HandlerBase, exc: BaseException) -> None:
        if self._exception_handlers:
            log.debug('%s raised %r; passing it to the exception handlers', type(handler).__name__, exc)
            await self.report_exception(exc)
        else:
            log.error(
                '%s raised; register a HandlerExceptionHandlerBase to receive these exceptions',
                type(handler).__name__,
                exc_info=exc,
            )

    async def report_exception(self, exc: BaseException) -> None:
        """Pass *exc* to every registered :class:`HandlerExceptionHandlerBase`."""
        for h in self._exception_handlers:
            await self._notify(h, exc)

    async def report_stream_error(self, error: StreamError) -> None:
        """Pass *error* to every registered :class:`StreamErrorHandlerBase`."""
        if not self._error_handlers:
            log.debug('no StreamErrorHandlerBase registered for %r', error)
        for h in self._error_handlers:
            await self._notify(h, error)

    @staticmethod
    async def _notify(handler: HandlerBase, arg: Any) -> None:
        # A failing exception/error handler is logged, never re-dispatched (no loops).
        try:
            result = handler.receive(arg)
            if result is not None and isawaitable(result):
                await result
        except BaseException as exc:
            if stops_delivery(exc):
                raise
            log.exception('%s failed while handling %r', type(handler).__name__, arg)
