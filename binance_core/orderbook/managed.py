"""The managed local order book: buffers a diff-depth stream, joins it to a snapshot by the market's sequencing
rule (Binance §11), and resyncs by itself after a gap, a crossed book or a reconnect; plus the handler base
that keeps one such book per symbol.

Readiness on quiet symbols. Binance's procedure (§11.1 / §11.2) only needs the depth stream to be subscribed
before the snapshot is requested: the snapshot is then the book at its ``lastUpdateId``, every later change
reaches the stream, and the first event that does arrive is judged against the snapshot with the rule's
``first()`` (drop, apply, or gap -> fetch again). So a book fetches its snapshot as soon as its stream is
*confirmed* subscribed, and becomes ready on the snapshot alone, without waiting for the market to move. Until
then it starts the fetch once an event is buffered, as before, and is ready only when an event newer than the
snapshot joins it.

Who confirms the subscription, without the book or the handler reaching into the client:

* a stand-alone book (``OrderBook(symbol, client=...)``) subscribes its own stream on the first ``updated()``;
  once ``client.subscribe()`` returns (Binance acknowledged it), the book knows. (A symbol given with ``_`` is
  spelled differently by the markets' snapshot endpoints, so such a book also waits for the hook below, which
  carries the stream's spelling, or for its first event.)
* a handler's books learn it from the framework hook :meth:`OrderBookHandlerBase._on_subscribed`, which the
  stream manager calls with the subscriptions Binance acknowledged (and, after a reconnect, replayed). It names
  the book by the ``symbol`` param of the market's diff-depth ``SubType`` (``OrderBookSpec.sub_type``), so no
  stream name is parsed.

Events alone never mark a stream confirmed: after a reconnect, frames of the old connection may still be
delivered, and a snapshot taken before the new subscription is active could be shown as ready while changes
made in between never arrive. A timer ("no event for a while: fetch anyway") was rejected for the same reason:
it cannot tell a quiet stream from one that is not subscribed (yet).

Stop and start: while the client is stopped (frames discarded), :meth:`OrderBookHandlerBase._on_stop` makes
every book not ready and idle; :meth:`OrderBookHandlerBase._on_start` resyncs them as after a reconnect, at once
where the stream stayed subscribed.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections import deque
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from binance_core import exceptions as _exceptions
from binance_core.orderbook.book import Book
from binance_core.orderbook.handler import OrderBookHandlerBase, _check_limit, _orderbook_spec, _symbol_key
from binance_core.orderbook.sequencing import APPLY, DROP, GAP, SequencingRule, Verdict
from binance_core.transport.retry import RetryInfo, RetryPolicy, default_retry_policy

__all__ = ['OrderBook', 'OrderBookHandlerBase']

log = logging.getLogger('binance.orderbook')


# Outcomes of one attempt to join the held snapshot with the buffer.
_WAIT = 0  # every buffered event is older than the snapshot: wait for newer ones
_READY = 1
_REFETCH = 2  # the snapshot is older than the buffer, or the buffer itself has a gap


class OrderBook:
    """A local order book for one symbol, kept in step with Binance.

    Feed it the symbol's diff-depth events (``<symbol>@depth``) with :meth:`feed`; ``OrderBookHandlerBase`` does
    that for you. It fetches a snapshot through ``client.<spec.snapshot_endpoint>(symbol=, limit=)`` as soon as
    its stream is confirmed subscribed (or, failing that confirmation, once the first event is buffered), follows
    Binance's procedure to join the two, and starts over on its own whenever the stream proves a gap, the book
    crosses, or :meth:`invalidate` is called (the framework does the same on every reconnect).

    Readiness: a book whose stream is confirmed subscribed is ready once its snapshot is loaded, even if no
    event has arrived (a quiet symbol); the first event after that is checked against the snapshot (Binance's
    first-event rule), and one that proves the snapshot too old makes the book not ready and fetch again.
    Without the confirmation (a book fed by hand), it is ready once an event newer than the snapshot joins it.

    Guarantees:

    * ``ready`` is ``True`` only while the book equals Binance's book at ``last_update_id`` (within the known
      price range, see ``binance_core.orderbook.book``). A book known to be wrong is never reported ready, and
      a book that is ready on a snapshot alone has its stream subscribed since before that snapshot was taken,
      so every later change reaches it (or proves a gap).
    * While not ready, ``asks``/``bids`` keep returning the last state that passed every check (exact at
      ``last_update_id``, but stale), or empty lists if there is none (never synced, or found crossed).
      Check ``ready``, or use ``await updated()``, which only returns with a ready book.
    * Levels are ``[Decimal price, Decimal qty]``; both ``asks`` and ``bids`` ascend by price, so the best
      bid is ``bids[-1]`` and the best ask ``asks[0]`` (``best_bid``/``best_ask`` read them in O(1)).

    Back-pressure: every event is applied as it arrives, however slow the consumer of :meth:`updated` is;
    ``updated()`` does not queue updates, it returns at the next one (all waiters share one future). While a
    resync is under way, at most ``MAX_BUFFER`` events are buffered; on overflow the buffer is dropped with a
    warning and the join starts over from the next event (the snapshot in hand is still tried against it).

    Attributes:
        MAX_BUFFER: events buffered while not ready before the buffer is dropped.
        STALE_RETRY_DELAY: ``(first, max)`` seconds before re-fetching a snapshot that turned out older than the
            stream (Binance §11.1 step 3); doubles per consecutive stale snapshot. Fetch *errors* go to the retry
            policy instead.
    """

    MAX_BUFFER = 10_000
    STALE_RETRY_DELAY = (0.05, 2.0)

    def __init__(
        self, symbol: str, *, limit: int = 1000, client: Any = None, retry_policy: RetryPolicy | None = None
    ) -> None:
        if not isinstance(symbol, str) or not symbol:
            raise ValueError(f'symbol must be a non-empty string, got {symbol!r}')
        self._symbol = symbol.upper()
        self._limit = _check_limit(limit)
        self._client: Any = None
        self._snapshot_endpoint = ''
        self._max_limit: int | None = None
        self._rule: SequencingRule | None = None
        self._retry_policy: RetryPolicy = retry_policy or default_retry_policy
        self._book = Book()
        self._ready = False
        self._last_u: int | None = None
        self._buffer: deque[Mapping[str, Any]] = deque()
        self._snapshot: tuple[Mapping[str, Any], int, bool] | None = None  # (snapshot, limit, may stand alone)
        self._task: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._abandoned: BaseException | None = None
        self._closed = False
        # The diff stream is confirmed subscribed on the current stream connection (see the module docstring).
        self._live = False
        # Ready on a snapshot alone: the next event is judged with the rule's first(), not next().
        self._fresh = False
        self._stopped = False  # the client is stopped (frames discarded): no sync until it starts again
        # The handler that feeds this book its diff events; a book created on its own gets one from its client
        # (which also subscribes the stream) the first time someone waits on it.
        self._feeder: Any = None  # an OrderBookHandlerBase, or 'manual' once feed() is called directly
        if client is not None:
            self.set_client(client)

    # -- configuration ----------------------------------------------------------------------------

    def set_client(self, client: Any) -> None:
        """Use *client* for snapshots; its market's ``OrderBookSpec`` supplies the endpoint and sequencing rule."""
        spec = _orderbook_spec(client)
        _check_limit(self._limit, spec.max_limit)
        self._client = client
        self._snapshot_endpoint = spec.snapshot_endpoint
        self._max_limit = spec.max_limit
        self._rule = spec.rule
        self._ensure_sync()

    def set_limit(self, limit: int) -> None:
        """Snapshot depth, 1..the market's maximum. Applies from the next snapshot; ``invalidate()`` forces one."""
        self._limit = _check_limit(limit, self._max_limit)

    def set_retry_policy(self, retry_policy: RetryPolicy | None) -> None:
        """``retry_policy(info) -> (abandon, delay)`` for failed snapshot fetches, the stream policy's shape
        (``info.fails``, ``info.exception``); ``None`` for the default backoff (0.5 s -> 30 s, never abandons)."""
        self._retry_policy = retry_policy or default_retry_policy

    # -- state ----------------------------------------------------------------------------------------

    @property
    def symbol(self) -> str:
        return self._symbol

    @property
    def limit(self) -> int:
        return self._limit

    @property
    def ready(self) -> bool:
        """``False`` while a snapshot is fetched and joined: at start, after a gap, a crossed book or a reconnect."""
        return self._ready

    @property
    def last_update_id(self) -> int | None:
        """The ``u`` of the last event applied, or the snapshot's ``lastUpdateId`` when none has been applied on
        top of it yet (the book id); ``None`` when there is no consistent book."""
        return self._last_u

    @property
    def asks(self) -> list[list[Decimal]]:
        """Ask levels ``[price, qty]`` in ascending price order (best ask first)."""
        return self._book.asks

    @property
    def bids(self) -> list[list[Decimal]]:
        """Bid levels ``[price, qty]`` in ASCENDING price order (best bid LAST, as the spec orders both sides)."""
        return self._book.bids

    @property
    def best_bid(self) -> list[Decimal] | None:
        """``[price, qty]`` of the best bid (O(1)), or ``None``."""
        return self._book.best_bid

    @property
    def best_ask(self) -> list[Decimal] | None:
        """``[price, qty]`` of the best ask (O(1)), or ``None``."""
        return self._book.best_ask

    @property
    def known_range(self) -> tuple[Decimal, Decimal]:
        """``(lowest bid price, highest ask price)`` the book knows: the worst levels of a snapshot side that came
        back full (``limit`` levels); levels beyond are unknown (Binance §11.1 step 6) and not kept. Infinite
        bounds mean the snapshot side was complete."""
        return self._book.bid_floor, self._book.ask_ceiling

    # -- the stream -------------------------------------------------------------------------------------

    def feed(self, event: Mapping[str, Any]) -> None:
        """Take one diff-depth event (``U``, ``u``, ``b``, ``a``, and ``pu`` on futures) from the stream.

        A ready book applies it at once (or drops it, or detects a gap and resyncs); otherwise it is buffered.
        Call it from the event loop: a resync starts a task.
        """
        if self._ready:
            if self._fresh:
                verdict = self._judge_first(event)
            else:
                verdict = self._rule.next(self._last_u, event)  # type: ignore[union-attr,arg-type]
            if verdict is APPLY:
                self._apply(event)
            elif verdict is GAP:
                log.info(
                    'order book %s: gap before U=%s (book id %s); resyncing', self._symbol, event['U'], self._last_u
                )
                self._ready = self._fresh = False
                # Binance: discard the book and restart; this event is the first of the new buffer.
                self._buffer.append(event)
                self._ensure_sync()
            return
        if self._closed or self._stopped:
            return
        if self._feeder is None:
            self._feeder = 'manual'  # fed by its owner: updated() must not subscribe a stream for it
        buf = self._buffer
        if len(buf) >= self.MAX_BUFFER:
            log.warning('order book %s: %d events buffered during resync; dropping them', self._symbol, len(buf))
            buf.clear()
        buf.append(event)
        if self._snapshot is not None:
            if self._try_sync() != _WAIT and self._wake is not None:
                self._wake.set()
        elif self._task is None:
            self._ensure_sync()

    def _judge_first(self, event: Mapping[str, Any]) -> Verdict:
        """The first event after a book became ready on a snapshot alone. The stream may have started before or
        after the snapshot, so it is judged as a buffered event would be, with the rule's ``first()`` (Binance
        §11.1 step 4 / §11.2 step 4): drop what the snapshot holds, apply what spans its ``lastUpdateId``, and a
        gap (the snapshot is older than the event's window) means fetch again. One case more is applied: an
        event that ``next()`` says continues exactly from ``lastUpdateId`` (futures: ``pu == lastUpdateId``, a
        snapshot taken between two events of a quiet symbol), which holds precisely the changes after it."""
        rule: SequencingRule = self._rule  # type: ignore[assignment]
        last_u: int = self._last_u  # type: ignore[assignment]
        verdict = rule.first(last_u, event)
        if verdict is GAP:
            verdict = rule.next(last_u, event)
        if verdict is APPLY:
            self._fresh = False
        return verdict

    def _apply(self, event: Mapping[str, Any]) -> None:
        try:
            ok = self._book.apply(event['b'], event['a'])
        except Exception as exc:  # not Binance's levels: part of the event may be applied, the rest not
            self._malformed(exc)
            return
        if not ok:
            self._corrupt(event['u'])
            return
        self._last_u = event['u']
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def _malformed(self, exc: Exception) -> None:
        # A book that applied part of an event is wrong, and there is no consistent state to show.
        log.warning(
            'order book %s: an event or snapshot it could not apply (%r); discarding the book and resyncing',
            self._symbol,
            exc,
        )
        self._ready = self._fresh = False
        self._book.clear()
        self._last_u = None
        self._ensure_sync()

    def _corrupt(self, u: int) -> None:
        # Binance §11.3: best bid >= best ask means the book is wrong; there is no consistent state to show.
        log.warning('order book %s crossed after update %s; discarding it and resyncing', self._symbol, u)
        self._ready = self._fresh = False
        self._book.clear()
        self._last_u = None
        self._ensure_sync()  # a book whose stream is confirmed fetches at once; else the next event starts it

    def invalidate(self, reason: str = 'invalidated') -> None:
        """Mark the book not ready and resync it (events may have been missed)."""
        if self._closed:
            return
        log.info('order book %s invalidated (%s); resyncing', self._symbol, reason)
        self._ready = self._fresh = False
        # Events from before the reconnect cannot be joined to those after it.
        self._buffer.clear()
        self._abandoned = None
        self._ensure_sync()

    # -- what the framework tells the book about its stream ----------------------------------------

    def _stream_live(self) -> None:
        """Binance acknowledged the subscription of this book's diff stream: a snapshot requested from now on
        is complete with the stream, so the book may be ready on it alone."""
        if self._closed or self._live:
            return
        self._live = True
        if not self._ready:
            # A fetch under way was requested before the confirmation: start over with one requested now.
            self._cancel_sync()
            self._ensure_sync()

    def _stream_lost(self, reason: str) -> None:
        """The stream connection was lost: events may be missing, and the subscription is not confirmed until
        the framework reports its replay acknowledged; meanwhile the book resyncs from the events that arrive."""
        self._live = False
        self._cancel_sync()
        self.invalidate(reason)

    def _stop(self) -> None:
        """The client stopped receiving (frames are discarded): not ready, no sync, nothing buffered. Waiters
        of :meth:`updated` keep waiting; the subscription stays up."""
        if self._closed:
            return
        self._stopped = True
        self._ready = self._fresh = False
        self._buffer.clear()
        self._cancel_sync()

    def _start(self) -> None:
        """The client receives again: resync as after a reconnect (at once if the stream stayed confirmed)."""
        if self._closed or not self._stopped:
            return
        self._stopped = False
        self.invalidate('the client started again')

    def _cancel_sync(self) -> None:
        task = self._task
        if task is not None:
            self._task = None
            task.cancel()
        self._wake = None
        self._snapshot = None

    # -- waiting ----------------------------------------------------------------------------------------

    async def updated(self) -> None:
        """Wait for the next applied update; returns only with a ready book.

        Raises ``OrderBookFetchAbandonedException`` when the retry policy abandons the snapshot fetch (calling
        ``updated()`` again starts a fresh attempt), or when the book is closed.
        """
        if self._feeder is None and self._client is not None:
            await _attach(self._client, self)
        while True:
            if self._closed:
                raise _exceptions.OrderBookFetchAbandonedException(f'order book {self._symbol} is closed')
            if self._abandoned is not None:
                # The previous attempt was abandoned and reported; a new wait means "try again".
                self._abandoned = None
                self._ensure_sync()
            waiter = self._waiter
            if waiter is None or waiter.done():
                waiter = self._waiter = asyncio.get_running_loop().create_future()
            # shield: one cancelled waiter must not cancel the future the others share.
            await asyncio.shield(waiter)
            if self._ready:
                return

    def _wake_waiters_with(self, exc: BaseException) -> None:
        waiter = self._waiter
        self._waiter = None
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)
            waiter.exception()  # mark retrieved: nobody may be waiting any more

    # -- resync -------------------------------------------------------------------------------------------

    def _ensure_sync(self) -> None:
        # Binance §11.1 steps 1-2: subscribe (buffer) first, then fetch; so a sync starts once the subscription is
        # confirmed, or else once an event is buffered.
        if (
            self._task is None
            and (self._live or self._buffer)
            and not self._ready
            and self._client is not None
            and self._abandoned is None
            and not self._closed
            and not self._stopped
        ):
            self._task = asyncio.get_running_loop().create_task(self._sync(), name=f'orderbook-sync-{self._symbol}')

    async def _sync(self) -> None:
        me = asyncio.current_task()
        try:
            await self._resync()
        finally:
            if self._task is me:  # else it was cancelled, and a successor may hold these already
                self._task = None
                self._wake = None
                self._snapshot = None
        # Events may have arrived while this task was finishing (e.g. a gap right after it synced).
        if not self._closed:
            self._ensure_sync()

    async def _resync(self) -> None:
        fails = stale = 0
        while not (self._ready or self._closed):
            limit = self._limit
            # Confirmed before the request is sent: then the snapshot may stand alone (module docstring).
            alone = self._live
            try:
                snapshot = await getattr(self._client, self._snapshot_endpoint)(symbol=self._symbol, limit=limit)
                _check_snapshot(snapshot)
            except Exception as exc:
                fails += 1
                abandon, delay = self._retry_policy(RetryInfo(fails, exc))
                if abandon:
                    self._abandon(fails, exc)
                    return
                log.warning(
                    'order book %s: snapshot fetch failed (%d in a row): %r; retrying in %.2f s',
                    self._symbol,
                    fails,
                    exc,
                    delay,
                )
                await asyncio.sleep(delay)
                continue
            fails = 0
            if self._ready or self._closed:
                return
            self._snapshot = (snapshot, limit, alone)
            outcome = self._try_sync()
            if outcome == _WAIT:
                # The snapshot is newer than every buffered event; feed() joins it when newer ones arrive.
                self._wake = wake = asyncio.Event()
                await wake.wait()
            if self._ready or self._closed:
                return
            stale += 1
            first, most = self.STALE_RETRY_DELAY
            await asyncio.sleep(min(most, first * 2 ** min(stale - 1, 16)))

    def _try_sync(self) -> int:
        """Join the held snapshot with the buffer (Binance §11.1 steps 3-5 / §11.2 steps 3-5)."""
        try:
            return self._join()
        except Exception as exc:  # a snapshot or a buffered event that is not Binance's
            # The buffer cannot be joined past that event: start over from the next one, as after an overflow.
            self._snapshot = None
            self._buffer.clear()
            self._malformed(exc)
            return _REFETCH

    def _join(self) -> int:
        snapshot, limit, alone = self._snapshot  # type: ignore[misc]
        last_update_id = snapshot['lastUpdateId']
        rule: SequencingRule = self._rule  # type: ignore[assignment]
        buf = self._buffer
        while buf:
            verdict = rule.first(last_update_id, buf[0])
            if verdict is not DROP:
                break
            buf.popleft()
        else:
            if not alone:
                return _WAIT
            # The stream was confirmed before this snapshot was requested: it is the book at lastUpdateId, and the
            # next event is judged against it with first() (feed() does that while the book is fresh).
            self._snapshot = None
            self._book.load(snapshot['bids'], snapshot['asks'], limit)
            if self._book.crossed:
                self._corrupt(last_update_id)
                return _REFETCH
            self._fresh = True
            self._become_ready(last_update_id)
            return _READY
        self._snapshot = None
        if verdict is GAP:
            log.debug(
                'order book %s: snapshot %s is older than the stream (first U=%s); fetching again',
                self._symbol,
                last_update_id,
                buf[0]['U'],
            )
            return _REFETCH
        book = self._book
        book.load(snapshot['bids'], snapshot['asks'], limit)
        self._last_u = last_update_id
        event = buf.popleft()
        if not book.apply(event['b'], event['a']):
            self._corrupt(event['u'])
            return _REFETCH
        prev = event['u']
        while buf:
            event = buf[0]
            verdict = rule.next(prev, event)
            if verdict is GAP:
                # The buffer itself misses events: keep the book at prev (consistent) and restart from here.
                self._last_u = prev
                log.info('order book %s: gap in the buffer before U=%s; fetching again', self._symbol, event['U'])
                return _REFETCH
            buf.popleft()
            if verdict is APPLY:
                if not book.apply(event['b'], event['a']):
                    self._corrupt(event['u'])
                    return _REFETCH
                prev = event['u']
        self._become_ready(prev)
        return _READY

    def _become_ready(self, last_u: int) -> None:
        self._last_u = last_u
        self._ready = True
        log.debug('order book %s ready at %s%s', self._symbol, last_u, ' (snapshot)' if self._fresh else '')
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def _abandon(self, fails: int, exc: BaseException) -> None:
        log.error('order book %s: snapshot fetch abandoned after %d failures: %r', self._symbol, fails, exc)
        err = _exceptions.OrderBookFetchAbandonedException(
            f'order book {self._symbol}: the retry policy abandoned the snapshot fetch after {fails} failures '
            f'({exc!r}); await updated() again to retry'
        )
        err.__cause__ = exc
        self._abandoned = err
        self._wake_waiters_with(err)

    def close(self) -> None:
        """Stop resyncing; the book goes not ready and waiters get ``OrderBookFetchAbandonedException``."""
        if self._closed:
            return
        self._closed = True
        self._ready = False
        self._buffer.clear()
        if self._task is not None:
            self._task.cancel()
        self._wake_waiters_with(_exceptions.OrderBookFetchAbandonedException(f'order book {self._symbol} is closed'))

    def __repr__(self) -> str:
        state = 'closed' if self._closed else 'ready' if self._ready else 'syncing'
        return f'OrderBook({self._symbol!r}, limit={self._limit}, {state}, last_update_id={self._last_u})'


# The internal handler that feeds a client's stand-alone books (``OrderBook(symbol, client=...)``): one per
# client, registered and subscribed through the client's public API like a user's own handler. The client
# keeps the handler alive (it is registered there); this table holds both weakly, because the handler refers
# to its client and a strong value would keep every client that ever fed a book alive.
_feeders: weakref.WeakKeyDictionary[Any, weakref.ref[OrderBookHandlerBase]] = weakref.WeakKeyDictionary()


async def _attach(client: Any, book: OrderBook) -> None:
    """Feed a stand-alone *book*: the client's internal book handler adopts it, and the market's
    diff-depth stream for its symbol is subscribed."""
    spec = _orderbook_spec(client)
    ref = _feeders.get(client)
    handler = ref() if ref is not None else None
    if handler is None:
        handler = OrderBookHandlerBase(limit=book.limit)
        handler._auto_create = False
        client.handler(handler)
        _feeders[client] = weakref.ref(handler)
    handler.adopt(book)
    await client.subscribe(client.SubType[spec.sub_type], book.symbol)
    # subscribe() returned: Binance acknowledged the stream, so the snapshot may be fetched now, if the book knows
    # how the snapshot endpoint spells its symbol. Without '_' every market spells it alike (the stream's name in
    # upper case); with one, Spot drops it and COIN-M keeps it, so such a book waits for the framework's
    # confirmation (``_on_subscribed``, which carries the stream's spelling) or for its first event (``s``).
    if _symbol_key(book.symbol) == book.symbol:
        book._stream_live()


def _check_snapshot(snapshot: Any) -> None:
    if not isinstance(snapshot, Mapping) or not {'lastUpdateId', 'bids', 'asks'} <= snapshot.keys():
        raise ValueError(f'snapshot has no lastUpdateId/bids/asks: {type(snapshot).__name__}')
