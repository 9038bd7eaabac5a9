"""The managed local order book: buffers a diff-depth stream, joins it to a snapshot by the market's sequencing
rule (Binance §11), and resyncs by itself after a gap, a crossed book or a reconnect; plus the handler base
that keeps one such book per symbol."""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections import deque
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from binance_core import exceptions as _exceptions
from binance_core.handlers.base import HandlerBase
from binance_core.orderbook.book import Book
from binance_core.orderbook.sequencing import APPLY, DROP, GAP, SequencingRule
from binance_core.specs import OrderBookSpec
from binance_core.transport.retry import RetryInfo, RetryPolicy, default_retry_policy

__all__ = ['OrderBook', 'OrderBookHandlerBase']

log = logging.getLogger('binance.orderbook')


def _check_limit(limit: Any, max_limit: int | None = None) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError(f'order book limit must be a positive int, got {limit!r}')
    if max_limit is not None and limit > max_limit:
        raise ValueError(f"order book limit {limit} exceeds this market's snapshot maximum {max_limit}")
    return limit


def _orderbook_spec(client: Any) -> OrderBookSpec:
    """The client's ``OrderBookSpec``, read from its public ``market`` (the ``MarketSpec``)."""
    spec: OrderBookSpec | None = getattr(getattr(client, 'market', None), 'orderbook', None)
    if spec is None:
        raise ValueError(
            f'{type(client).__name__} does not offer a managed order book (its market has no OrderBookSpec)'
        )
    return spec


# Outcomes of one attempt to join the held snapshot with the buffer.
_WAIT = 0  # every buffered event is older than the snapshot: wait for newer ones
_READY = 1
_REFETCH = 2  # the snapshot is older than the buffer, or the buffer itself has a gap


class OrderBook:
    """A local order book for one symbol, kept in step with Binance.

    Feed it the symbol's diff-depth events (``<symbol>@depth``) with :meth:`feed`; ``OrderBookHandlerBase`` does
    that for you. It fetches a snapshot through ``client.<spec.snapshot_endpoint>(symbol=, limit=)`` once the
    first event is buffered, follows Binance's procedure to join the two, and starts over on its own whenever
    the stream proves a gap, the book crosses, or :meth:`invalidate` is called (the framework calls it on every
    reconnect).

    Guarantees:

    * ``ready`` is ``True`` only while the book equals Binance's book at ``last_update_id`` (within the known
      price range, see ``binance_core.orderbook.book``). A book known to be wrong is never reported ready.
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
        self._snapshot: tuple[Mapping[str, Any], int] | None = None
        self._task: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._abandoned: BaseException | None = None
        self._closed = False
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
        """The ``u`` of the last event applied (the book id), or ``None`` when there is no consistent book."""
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
            verdict = self._rule.next(self._last_u, event)  # type: ignore[union-attr,arg-type]
            if verdict is APPLY:
                self._apply(event)
            elif verdict is GAP:
                log.info(
                    'order book %s: gap before U=%s (book id %s); resyncing', self._symbol, event['U'], self._last_u
                )
                self._ready = False
                # Binance: discard the book and restart; this event is the first of the new buffer.
                self._buffer.append(event)
                self._ensure_sync()
            return
        if self._closed:
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

    def _apply(self, event: Mapping[str, Any]) -> None:
        if not self._book.apply(event['b'], event['a']):
            self._corrupt(event['u'])
            return
        self._last_u = event['u']
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def _corrupt(self, u: int) -> None:
        # Binance §11.3: best bid >= best ask means the book is wrong; there is no consistent state to show.
        log.warning('order book %s crossed after update %s; discarding it and resyncing', self._symbol, u)
        self._ready = False
        self._book.clear()
        self._last_u = None

    def invalidate(self, reason: str = 'invalidated') -> None:
        """Mark the book not ready and resync it (called on reconnect: events may have been missed)."""
        if self._closed:
            return
        log.info('order book %s invalidated (%s); resyncing', self._symbol, reason)
        self._ready = False
        # Events from before the reconnect cannot be joined to those after it.
        self._buffer.clear()
        self._abandoned = None
        self._ensure_sync()

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
        # Binance §11.1 steps 1-2: buffer first, then fetch; so a sync starts only once an event is buffered.
        if (
            self._task is None
            and self._buffer
            and not self._ready
            and self._client is not None
            and self._abandoned is None
            and not self._closed
        ):
            self._task = asyncio.get_running_loop().create_task(self._sync(), name=f'orderbook-sync-{self._symbol}')

    async def _sync(self) -> None:
        me = asyncio.current_task()
        try:
            await self._resync()
        finally:
            self._wake = None
            self._snapshot = None
            if self._task is me:
                self._task = None
        # Events may have arrived while this task was finishing (e.g. a gap right after it synced).
        if not self._closed:
            self._ensure_sync()

    async def _resync(self) -> None:
        fails = stale = 0
        while not (self._ready or self._closed):
            limit = self._limit
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
            self._snapshot = (snapshot, limit)
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
        snapshot, limit = self._snapshot  # type: ignore[misc]
        last_update_id = snapshot['lastUpdateId']
        rule: SequencingRule = self._rule  # type: ignore[assignment]
        buf = self._buffer
        while buf:
            verdict = rule.first(last_update_id, buf[0])
            if verdict is not DROP:
                break
            buf.popleft()
        else:
            return _WAIT
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
        self._last_u = prev
        self._ready = True
        log.debug('order book %s ready at %s', self._symbol, prev)
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)
        return _READY

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


def _check_snapshot(snapshot: Any) -> None:
    if not isinstance(snapshot, Mapping) or not {'lastUpdateId', 'bids', 'asks'} <= snapshot.keys():
        raise ValueError(f'snapshot has no lastUpdateId/bids/asks: {type(snapshot).__name__}')


def _symbol_key(symbol: str) -> str:
    return symbol.upper().replace('_', '')


class OrderBookHandlerBase(HandlerBase):
    """Maintains one :class:`OrderBook` per symbol from the diff-depth stream (``<symbol>@depth``).

    Register it with ``client.handler(...)``, subscribe ``SubType.ORDER_BOOK`` and read books with
    :meth:`orderbook`. Books fetch snapshots through the client the handler is registered on and are
    invalidated (resynced) on every reconnect.

    Attributes:
        limit: the default snapshot depth of new books.
    """

    # Spot and futures diff-depth events share this type; the book needs the raw payload (exact decimal
    # strings), never a DataFrame.
    event = 'depthUpdate'
    as_frame = False
    # False for the client's internal handler of stand-alone books: it only feeds the books it adopted.
    _auto_create = True

    def __init__(self, limit: int = 1000, retry_policy: RetryPolicy | None = None) -> None:
        super().__init__()
        self.limit = _check_limit(limit)
        self._retry_policy = retry_policy
        self._books: dict[str, OrderBook] = {}  # by normalised symbol
        self._by_wire: dict[str, OrderBook] = {}  # by the stream's ``s``: the hot-path lookup

    def orderbook(self, symbol: str, limit: int | None = None) -> OrderBook:
        """The book for *symbol* (any case, ``'_'`` ignored), created if needed; *limit* reconfigures its depth."""
        key = _symbol_key(symbol)
        book = self._books.get(key)
        if book is None:
            book = OrderBook(symbol, limit=self.limit if limit is None else limit, retry_policy=self._retry_policy)
            client = self.client
            if client is not None:
                book.set_client(client)
            self._books[key] = book
            book._feeder = self
        elif limit is not None:
            book.set_limit(limit)
        return book

    def receive(self, payload: Any) -> Any:
        """Route a ``depthUpdate`` payload to its symbol's book; returns the book."""
        if 'e' not in payload and 'data' in payload:  # a combined-stream envelope
            payload = payload['data']
        wire = payload['s']
        book = self._by_wire.get(wire)
        if book is None:
            if not self._auto_create and _symbol_key(wire) not in self._books:
                return None
            book = self.orderbook(wire)
            # The stream spells the symbol exactly as the snapshot endpoint wants it (e.g. 'BTCUSD_PERP').
            book._symbol = wire
            self._by_wire[wire] = book
        book.feed(payload)
        return book

    def adopt(self, book: OrderBook) -> None:
        """Feed an existing stand-alone *book* from this handler's stream."""
        self._books[_symbol_key(book.symbol)] = book
        book._feeder = self

    def _bind_client(self, client: Any) -> None:
        """Called by the framework when the handler is registered: every book, now and later, uses *client*."""
        # Validate before binding, so a market without books (or a too-deep limit) leaves the handler unbound.
        spec = _orderbook_spec(client)
        _check_limit(self.limit, spec.max_limit)
        for book in self._books.values():
            _check_limit(book.limit, spec.max_limit)
        super()._bind_client(client)
        for book in self._books.values():
            book.set_client(client)

    def _on_reconnect(self) -> None:
        """Called by the framework after the stream reconnects: every book may have missed events."""
        for book in self._books.values():
            book.invalidate('stream reconnected')

    async def _on_client_close(self) -> None:
        """Called by the framework when the client closes: stop every book's resync."""
        self.close()
        await asyncio.sleep(0)  # let the cancelled resync tasks finish

    def close(self) -> None:
        """Close every book (waiters get ``OrderBookFetchAbandonedException``)."""
        for book in self._books.values():
            book.close()
