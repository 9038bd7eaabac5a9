"""Delivery of stream frames and user-data events to a client's registered handlers, with
handler exceptions isolated and passed to the exception handlers.

Stream connections call :meth:`Dispatcher.deliver_stream` from their reader, once per frame: plain handlers run
there and then, and only when one needs awaiting (an ``async def receive``, or an awaitable it returned, or a
failure to report) does the caller get an awaitable that finishes the frame.

Batched delivery (``HandlerBase.batch``): each connection delivers through a :class:`Delivery` of its own
(:meth:`Dispatcher.delivery`), which puts a frame for a batching handler on that handler's pending list for this
connection (a :class:`_Batch`), handed to ``receive_batch`` as soon as it holds ``batch`` frames. Whatever is
pending when the connection has read every frame it had (the end of a burst) is handed over by
:meth:`Delivery.flush_batches`, which the connection calls then: a frame waits for no frame that has not arrived
yet, so batching adds no latency. Lists are per connection so that a batch holds frames of one connection only
and goes through that connection's ordered delivery, as its frames would one by one. The lists holding frames are
:attr:`Delivery.due`; a connection checks it (one truth test per frame) to know whether a flush is owed."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from inspect import isawaitable, iscoroutinefunction
from typing import Any

from binance_core.handlers.base import HandlerBase
from binance_core.handlers.errors import HandlerExceptionHandlerBase, StreamError, StreamErrorHandlerBase

__all__ = ['Delivery', 'Dispatcher', 'stops_delivery']

log = logging.getLogger('binance.handlers')


class _Batch:
    """A batching handler's frames from one connection not yet handed to its ``receive_batch``, and whether it is
    on its :attr:`Delivery.due`."""

    __slots__ = ('bound', 'due', 'handler', 'items', 'order', 'receive')

    def __init__(self, handler: HandlerBase, receive: Callable[[Any], Any], bound: int, order: int) -> None:
        self.handler = handler
        self.receive = receive
        self.bound = bound
        self.order = order  # registration order: due lists are handed over in it
        self.items: list[Any] = []
        self.due = False


# (handler, its bound receive, whether receive is `async def`, its batch bound or 0, its registration order):
# resolved once per route. For a batching handler the callable is its receive_batch.
_Target = tuple[HandlerBase, Callable[[Any], Any], bool, int, int]


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

    Each stream connection delivers through a :class:`Delivery` of its own (:meth:`delivery`), which holds its
    frames for batching handlers; :meth:`deliver_stream`, :meth:`flush_batches` and :attr:`due` are those of the
    dispatcher's own, for frames delivered without a connection (:meth:`dispatch_stream`).
    """

    def __init__(self) -> None:
        self._handlers: list[HandlerBase] = []
        self._exception_handlers: list[HandlerExceptionHandlerBase] = []
        self._error_handlers: list[StreamErrorHandlerBase] = []
        self._routes: dict[str, tuple[str, ...]] = {}
        self._by_wire: dict[str, tuple[_Target, ...]] = {}
        self._by_event: dict[str, tuple[_Target, ...]] | None = None
        self.batching = False  # a handler with `batch` was added: connections mark their bursts for it
        self._own = Delivery(self)  # deliver_stream / dispatch_stream without a connection of their own
        self.deliver_stream = self._own.deliver_stream
        self.flush_batches = self._own.flush_batches

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
            self.batching = self.batching or bool(type(handler).batch)
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

    def _target(self, handler: HandlerBase) -> _Target:
        bound = type(handler).batch or 0
        receive = handler.receive_batch if bound else handler.receive
        return handler, receive, iscoroutinefunction(receive), bound, self._handlers.index(handler)

    @property
    def due(self) -> list[_Batch]:
        """The batches :meth:`deliver_stream` holds frames in (see :meth:`Delivery.due`)."""
        return self._own.due

    def delivery(self) -> Delivery:
        """A :class:`Delivery` for one connection: these handlers, with pending batches of its own."""
        return Delivery(self)

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

    async def _finish(
        self, targets: tuple[_Target, ...], target: _Target, payload: Any, started: Any, delivery: Delivery
    ) -> None:
        """The rest of :meth:`Delivery.deliver_stream` from *target* on: *started* is what its call returned (an
        awaitable: a coroutine of an ``async def``), or the exception it raised."""
        i = next(i for i, t in enumerate(targets) if t is target)
        try:
            if isinstance(started, BaseException):
                raise started
            await started
        except BaseException as exc:
            if stops_delivery(exc):
                raise
            await self._handler_failed(target[0], exc)
        rest = targets[i + 1 :]
        if rest:
            await self._deliver(rest, payload, delivery)

    async def dispatch_stream(self, wire_name: str, payload: Any) -> None:
        """Deliver one data-stream frame and wait until every handler has it (:meth:`deliver_stream`, awaited; a
        batching handler gets it at once, as a burst of one)."""
        pending = self.deliver_stream(wire_name, payload)
        if pending is not None:
            await pending
        if self.due:
            pending = self.flush_batches()
            if pending is not None:
                await pending

    async def dispatch_user(self, payload: Any) -> None:
        """Deliver one user-data event (already unwrapped from ``{"subscriptionId", "event"}``)."""
        by_event = self._by_event if self._by_event is not None else self._targets_by_event()
        event = payload.get('e') if isinstance(payload, dict) else None
        targets = by_event.get(event) if isinstance(event, str) else None
        if targets:
            await self._deliver(targets, payload, None)
        else:
            log.debug('no handler receives user-data event %r', event)

    async def _deliver(self, targets: tuple[_Target, ...], payload: Any, delivery: Delivery | None) -> None:
        """Deliver *payload* to *targets* in order, awaiting each. A batching handler's frame joins its pending
        list on *delivery* (handed over when full, or by the next flush); a user-data event (*delivery* ``None``:
        no burst follows) reaches ``receive_batch`` at once, alone."""
        for handler, receive, is_async, bound, order in targets:
            arg: Any = payload
            if bound:
                if delivery is None:
                    arg = [payload]
                else:
                    batch = delivery.batch(handler, receive, bound, order)
                    batch.items.append(payload)
                    if len(batch.items) < bound:
                        delivery.owe(batch)
                        continue
                    arg = delivery.take(batch)
            try:
                if is_async:
                    await receive(arg)
                else:
                    result = receive(arg)
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


def _order(batch: _Batch) -> int:
    return batch.order


class Delivery:
    """How one connection delivers data-stream frames: the dispatcher's handlers and routes, and the frames it
    holds for batching handlers (see the module docstring).

    Attributes:
        due: the pending lists holding frames, in the order they got their first: the connection owes
            :meth:`flush_batches` at the end of its burst while this is non-empty. Mutated in place, never
            replaced, so a connection may keep a reference.
    """

    __slots__ = ('_batches', '_dispatcher', 'due')

    def __init__(self, dispatcher: Dispatcher) -> None:
        self._dispatcher = dispatcher
        self._batches: dict[int, _Batch] = {}  # id(handler) -> its frames from this connection
        self.due: list[_Batch] = []

    def deliver_stream(self, wire_name: str, payload: Any) -> Awaitable[None] | None:
        """Deliver one data-stream frame (the ``data`` of a combined-stream message) as far as it goes without
        waiting: ``None`` once every handler has it (a batching handler: on its pending list); else an awaitable
        that finishes this frame (the rest of the handlers, in order), which the caller awaits before delivering
        the next frame. When :attr:`due` is non-empty afterwards, the caller owes :meth:`flush_batches` once the
        frames it has already read are delivered.

        Plain handlers that return ``None`` cost one call each; nothing is allocated for them."""
        d = self._dispatcher
        targets = d._by_wire.get(wire_name)
        if targets is None:
            targets = d._targets_for_wire(wire_name)
        for target in targets:
            if target[3]:  # a batching handler
                batch = self.batch(target[0], target[1], target[3], target[4])
                items = batch.items
                items.append(payload)
                if len(items) < batch.bound:
                    self.owe(batch)
                    continue
                arg: Any = self.take(batch)
            else:
                arg = payload
            if target[2]:  # async def receive / receive_batch: its coroutine is awaited by the caller
                return d._finish(targets, target, payload, target[1](arg), self)
            try:
                result = target[1](arg)
            except BaseException as exc:
                if stops_delivery(exc):
                    raise
                return d._finish(targets, target, payload, exc, self)
            if result is not None and isawaitable(result):
                return d._finish(targets, target, payload, result, self)
        return None

    def batch(self, handler: HandlerBase, receive: Callable[[Any], Any], bound: int, order: int) -> _Batch:
        """*handler*'s pending list on this connection."""
        batch = self._batches.get(id(handler))
        if batch is None:
            batch = self._batches[id(handler)] = _Batch(handler, receive, bound, order)
        return batch

    @property
    def batching(self) -> bool:
        """Whether any handler of the dispatcher batches."""
        return self._dispatcher.batching

    def discard(self) -> int:
        """Drop every frame the batches hold (``client.stop()``); returns how many."""
        dropped = 0
        for batch in self._batches.values():
            dropped += len(batch.items)
            batch.items = []
            batch.due = False
        self.due.clear()
        return dropped

    def owe(self, batch: _Batch) -> None:
        """*batch* holds frames: put it on :attr:`due`."""
        if not batch.due:
            batch.due = True
            self.due.append(batch)

    def take(self, batch: _Batch) -> list[Any]:
        """Every frame pending in *batch*, which is then no longer due."""
        items, batch.items = batch.items, []
        if batch.due:
            batch.due = False
            self.due.remove(batch)
        return items

    def flush_batches(self) -> Awaitable[None] | None:
        """Hand every pending list to its handler's ``receive_batch``, in registration order (the end of a burst:
        nothing more is waiting on the connection): ``None`` when done, else an awaitable that finishes it, to be
        awaited before the next frame is delivered."""
        due = self.due
        while due:
            batch = min(due, key=_order) if len(due) > 1 else due[0]
            items = self.take(batch)
            try:
                result = batch.receive(items)
            except BaseException as exc:
                if stops_delivery(exc):
                    raise
                return self._flush_rest(batch, exc)
            if result is not None and isawaitable(result):
                return self._flush_rest(batch, result)
        return None

    async def _flush_rest(self, batch: _Batch, started: Any) -> None:
        """The rest of :meth:`flush_batches`, from *batch*'s awaitable (or the exception it raised) on."""
        try:
            if isinstance(started, BaseException):
                raise started
            await started
        except BaseException as exc:
            if stops_delivery(exc):
                raise
            await self._dispatcher._handler_failed(batch.handler, exc)
        pending = self.flush_batches()
        if pending is not None:
            await pending
