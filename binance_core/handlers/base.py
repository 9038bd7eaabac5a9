"""The base class of every handler a plugin exports: routing keys, the column map, and the
default ``receive`` that turns a payload into a ``volas.DataFrame``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from binance_core.exceptions import ReuseHandlerException
from binance_core.handlers.frames import FrameConverter

__all__ = ['HandlerBase']


class HandlerBase:
    """Subclass a concrete handler base (e.g. ``TradeHandlerBase``) and override ``receive``.

    ``receive(payload)`` may be a plain or an ``async`` method; frames reach it one at a time,
    in order. Call ``super().receive(payload)`` to get the payload as a ``volas.DataFrame``
    with readable snake_case columns (decimal strings as floats, times and ids as ints, flags
    as bools). The payload itself keeps Binance's exact decimal strings: use it when you need
    exact prices. A handler instance belongs to one client.

    Batched delivery (opt in): set the class attribute ``batch`` to a bound (e.g. ``batch = 256``) and
    override ``receive_batch(payloads)`` instead of ``receive``. The client then calls
    ``receive_batch`` with a list of 1 to ``batch`` payloads: the frames for this handler that have
    already arrived on the connection when it delivers, oldest first, so it never waits for a batch to
    fill and adds no latency. Every frame is in exactly one batch, batches arrive in order, and
    ``receive`` is not called for this handler (user-data events too come through ``receive_batch``).
    ``super().receive_batch(payloads)`` returns ONE ``volas.DataFrame`` of all their rows, in order
    (see :meth:`receive_batch`): far cheaper per frame than one frame each. A handler without
    ``batch`` sees no change.

    A plugin's handler base is a short class setting these class attributes:

    Attributes:
        event: the payload's event type ``e`` (a tuple when one stream has several, e.g.
            ``('1hTicker', '4hTicker', '1dTicker')``); user-data events are routed by it.
            ``None`` for payloads without ``e`` (``bookTicker``, partial depth), which are
            routed by the stream name their row declares.
        stream: optional stream name (the part after ``<symbol>@``, or the whole name of an
            all-market stream such as ``'!miniTicker@arr'``) this handler receives even when
            no stream-type row names it; ``None`` for the usual row-based routing.
        columns: the column map (``columns.py``): wire key -> ``(column name, kind)``; see
            :mod:`binance_core.handlers.frames`. ``None``: ``receive`` returns the payload.
        as_frame: ``False`` makes the default ``receive`` return the payload dict unchanged,
            skipping DataFrame construction (and the default ``receive_batch`` the list).
        batch: ``None`` (the default): frames reach ``receive`` one at a time. An int >= 1: they
            reach ``receive_batch`` in lists of at most that many, as described above.

    Framework hooks: a handler may define any of these optional methods; the client calls them, from
    its event loop, on what happens to its streams (managed order books use them to stay correct).
    A hook that raises is logged and does not stop the others.

    - ``_on_reconnect()``: a market-stream connection was lost and is being replaced (not after a
      ``serverShutdown`` handover, which loses nothing): frames sent meanwhile are gone.
    - ``_on_streams_lost(subscriptions)``: called instead of ``_on_reconnect()`` when defined, with the
      ``Subscription`` records of the streams the lost connection carried (a client with several stream
      connections loses only those; managed order books resync only their books).
    - ``_on_stop()``: ``client.stop()``; from now on frames and user-data events are read and
      discarded, so this handler misses them. Called after delivery stopped.
    - ``_on_start()``: ``client.start()``; delivery resumes with what arrives from now on. Called
      before the first frame is delivered again.
    - ``async _on_client_close()``: the client is closing.

    ``_on_reconnect``, ``_on_streams_lost``, ``_on_stop`` and ``_on_start`` are plain methods (not ``async``); a
    reconnect may be reported between ``_on_stop`` and ``_on_start``.
    """

    event: ClassVar[str | tuple[str, ...] | None] = None
    stream: ClassVar[str | None] = None
    columns: ClassVar[Mapping[str, Any] | None] = None
    # A market whose payload means something else by the same key (COIN-M's `q` is base-asset volume where
    # USDⓈ-M's is quote volume) names its own map here: market name -> column map, used once the handler is
    # registered on that market's client.
    columns_by_market: ClassVar[Mapping[str, Mapping[str, Any]]] = {}
    as_frame: ClassVar[bool] = True
    batch: ClassVar[int | None] = None

    # Compiled once per class that sets `columns` (see __init_subclass__); subclasses inherit it.
    _frame: ClassVar[FrameConverter | None] = None
    _market_frames: ClassVar[Mapping[str, FrameConverter]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # A malformed map fails here, at import of the plugin, naming the class.
        if 'columns' in cls.__dict__:
            try:
                cls._frame = FrameConverter(cls.columns) if cls.columns is not None else None
            except ValueError as exc:
                raise ValueError(f'{cls.__qualname__}.columns: {exc}') from None
        if 'batch' in cls.__dict__:
            bound = cls.__dict__['batch']
            if bound is not None and (type(bound) is not int or bound < 1):
                raise ValueError(
                    f'{cls.__qualname__}.batch: expected None or an int >= 1 (frames per call), got {bound!r}'
                )
        if 'columns_by_market' in cls.__dict__:
            try:
                cls._market_frames = {m: FrameConverter(c) for m, c in cls.columns_by_market.items()}
            except ValueError as exc:
                raise ValueError(f'{cls.__qualname__}.columns_by_market: {exc}') from None

    def receive(self, payload: Any) -> Any:
        """Return *payload* as a ``volas.DataFrame`` (or unchanged when ``as_frame`` is false
        or the class has no column map). Override me; ``async def`` works too."""
        frame = self._frame
        if frame is None or not self.as_frame:
            return payload
        return frame(payload)

    def receive_batch(self, payloads: list[Any]) -> Any:
        """Return *payloads* as ONE ``volas.DataFrame``: the rows each payload's own frame would have,
        in order, under the columns any of them has (NA where a payload lacks one); see
        :meth:`FrameConverter.many <binance_core.handlers.frames.FrameConverter.many>`. Returns the list
        unchanged when ``as_frame`` is false or the class has no column map.

        The client calls this instead of ``receive`` when the class sets ``batch``: override me
        (``async def`` works too) and call ``super().receive_batch(payloads)`` for the frame.

        :param payloads: 1 to ``batch`` payloads, oldest first, each as ``receive`` would get it.
        """
        frame = self._frame
        if frame is None or not self.as_frame:
            return payloads
        return frame.many(payloads)

    # -- client binding ---------------------------------------------------------------------

    @property
    def client(self) -> Any:
        """The client this handler is registered on, or ``None``."""
        return self.__dict__.get('_binance_client')

    def _bind_client(self, client: Any) -> None:
        # Stored in the instance dict so that subclasses need not call super().__init__().
        bound = self.__dict__.get('_binance_client')
        if bound is not None and bound is not client:
            raise ReuseHandlerException(
                f'this {type(self).__name__} instance is already registered on another client; '
                'create one handler instance per client'
            )
        self.__dict__['_binance_client'] = client
        market = getattr(getattr(client, 'market', None), 'name', None)
        if isinstance(market, str) and market in self._market_frames:
            self.__dict__['_frame'] = self._market_frames[market]
