"""The handler base that keeps one managed :class:`~binance_core.orderbook.managed.OrderBook` per symbol from the
diff-depth stream: :class:`OrderBookHandlerBase`, also exported by :mod:`binance_core.orderbook.managed`, where it
was defined before (see that module for how books sync and when they are ready).

It is defined here, apart from the book, because the market plugins export it at import (a handler base of
``SubType.ORDER_BOOK``): the book itself is imported when a handler first makes one, so ``import binance`` does
not load it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from binance_core.handlers.base import HandlerBase
from binance_core.transport.retry import RetryPolicy  # at run time: get_type_hints() of __init__ needs it

if TYPE_CHECKING:
    from binance_core.orderbook.managed import OrderBook
    from binance_core.specs import OrderBookSpec

__all__ = ['OrderBookHandlerBase']


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


def _symbol_key(symbol: str) -> str:
    return symbol.upper().replace('_', '')


class OrderBookHandlerBase(HandlerBase):
    """Maintains one :class:`OrderBook` per symbol from the diff-depth stream (``<symbol>@depth``).

    Register it with ``client.handler(...)``, subscribe ``SubType.ORDER_BOOK`` and read books with
    :meth:`orderbook`. Books fetch snapshots through the client the handler is registered on and are
    invalidated (resynced) when the connection carrying their stream is lost. The framework tells the handler
    about its streams through ``_on_subscribed``, ``_on_streams_lost`` (which it calls instead of
    ``_on_reconnect``: a subclass that overrides ``_on_reconnect`` to learn of reconnects should override
    ``_on_streams_lost`` and call ``super()``), ``_on_stop``, ``_on_start`` and ``_on_client_close``.

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
        self._stopped = False  # the client is stopped: books made or adopted now stay idle until it starts

    def orderbook(self, symbol: str, limit: int | None = None) -> OrderBook:
        """The book for *symbol* (any case, ``'_'`` ignored), created if needed; *limit* reconfigures its depth."""
        key = _symbol_key(symbol)
        book = self._books.get(key)
        if book is None:
            from binance_core.orderbook.managed import OrderBook  # the first book loads it

            book = OrderBook(symbol, limit=self.limit if limit is None else limit, retry_policy=self._retry_policy)
            client = self.client
            if client is not None:
                book.set_client(client)
            self._books[key] = book
            book._feeder = self
            if self._stopped:
                book._stop()  # created while the client is stopped: idle until it starts
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
        if self._stopped:
            book._stop()

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

    def _on_subscribed(self, subscriptions: Iterable[Any]) -> None:
        """Called by the framework once Binance acknowledged subscriptions (``client.subscribe()``, or their
        replay on a new connection): the book of each diff-depth subscription fetches its snapshot now and
        may be ready on it alone.

        :param subscriptions: ``binance_core.subscriptions.Subscription`` records (``sub_type``, ``params``);
            those of other ``SubType`` members are ignored. A handler that creates books on demand creates the
            subscribed symbols' books here.
        """
        for symbol in self._depth_symbols(subscriptions):
            book = self._books.get(_symbol_key(symbol))
            if book is None:
                if not self._auto_create:
                    continue
                book = self.orderbook(symbol)
            # Stream symbols are the symbol in lower case (Binance "General WSS information"): this is the
            # spelling the snapshot endpoint wants, whatever spelling the book was asked for with.
            book._symbol = symbol.upper()
            book._stream_live()

    def _on_reconnect(self) -> None:
        """Called by the framework after the stream connection was lost: every book may have missed events, and
        its subscription counts as confirmed again only once ``_on_subscribed`` says so (the replay was
        acknowledged); until then a book resyncs from the events that arrive, as an unconfirmed one does."""
        for book in self._books.values():
            book._stream_lost('stream reconnected')

    def _on_streams_lost(self, subscriptions: Iterable[Any]) -> None:
        """Called by the framework, instead of :meth:`_on_reconnect`, after one stream connection was lost: the
        books of the diff-depth subscriptions it carried may have missed events (as in :meth:`_on_reconnect`); the
        books on other connections lost nothing and stay as they are."""
        for symbol in self._depth_symbols(subscriptions):
            book = self._books.get(_symbol_key(symbol))
            if book is not None:
                book._stream_lost('stream reconnected')

    def _depth_symbols(self, subscriptions: Iterable[Any]) -> list[str]:
        """The symbols of the diff-depth subscriptions among *subscriptions* (none while unbound)."""
        client = self.client
        if client is None:
            return []
        sub_type = _orderbook_spec(client).sub_type
        symbols = []
        for sub in subscriptions:
            if getattr(sub, 'sub_type', None) == sub_type:
                symbol = dict(getattr(sub, 'params', ())).get('symbol')
                if isinstance(symbol, str) and symbol:
                    symbols.append(symbol)
        return symbols

    def _on_stop(self) -> None:
        """Called by the framework when the client stops receiving (frames are read and discarded): every book
        goes not ready, stops its sync and drops its buffer; waiters of ``updated()`` keep waiting."""
        self._stopped = True
        for book in self._books.values():
            book._stop()

    def _on_start(self) -> None:
        """Called by the framework when a stopped client receives again: every book resyncs as after a
        reconnect; as the subscription stayed up, a confirmed book fetches its snapshot at once."""
        self._stopped = False
        for book in self._books.values():
            book._start()

    async def _on_client_close(self) -> None:
        """Called by the framework when the client closes: stop every book's resync."""
        self.close()
        await asyncio.sleep(0)  # let the cancelled resync tasks finish

    def close(self) -> None:
        """Close every book (waiters get ``OrderBookFetchAbandonedException``)."""
        for book in self._books.values():
            book.close()
