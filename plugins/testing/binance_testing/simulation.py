"""A fake exchange whose market lives: seeded random books, trades, klines and tickers streamed on their own,
and a matching engine that fills accounts' orders, for testing strategies end to end on 127.0.0.1."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, Protocol

from binance_testing.fake_exchange import FakeExchange
from binance_testing.futures import FuturesSimulation, Position, PremiumIndex
from binance_testing.matching import (
    EV_TRADE,
    Balance,
    Fill,
    Market,
    Order,
    Simulation,
    Trade,
    symbol_rows,
)

__all__ = ['FAST', 'SLOW', 'SimulatedExchange', 'SimulationUserEvents', 'SimulationWire']

log = logging.getLogger('binance.testing.simulation')

# Binance's two stream speeds (e.g. "<symbol>@depth@100ms" and "<symbol>@depth", web-socket-streams.md).
FAST = 0.1
SLOW = 1.0

Frames = Iterable[tuple[str, Any]]


class SimulationWire(Protocol):
    """How a market plugin renders the simulation in its market's wire formats. The Spot plugin's is
    ``binance_spot.fake.SpotWire``, the futures plugins' a ``binance_futures.simulation.FuturesWire`` each; a plugin
    installs one with ``exchange.simulation.wire = ...`` from its ``binance_fake_exchange`` hook when
    ``exchange.simulation is not None``.

    These methods render the market streams, which every market has. User-data events are the engine's:
    each engine lists in ``USER_EVENTS`` the wire method that renders each kind of event it queues, and the
    wire has those methods too (:class:`SimulationUserEvents` for the cash accounts of
    :class:`~binance_testing.matching.Simulation`, ``binance_testing.futures.FuturesUserEvents`` for the margin
    accounts of :class:`~binance_testing.futures.FuturesSimulation`). A wire that renders another engine than
    the default names its class in an ``engine`` attribute (``engine = FuturesSimulation``); the exchange then
    builds its engine with that class once the plugins' hook has run, so route handlers reach the engine as
    ``req.exchange.simulation`` when they run (never a reference kept from the hook). A wire may also read the
    exchange's ``symbols=`` argument itself, with a ``symbol_rows(symbols) -> list[SimSymbol]`` method (the
    futures wires do: their symbols are contracts); the engine is then built from its rows.
    """

    def depth_streams(self, market: Market) -> Sequence[tuple[str, float]]:
        """The diff-depth streams of *market*: ``(stream name, seconds between events)``."""
        ...

    def depth_update(
        self, market: Market, first: int, last: int, bids: list[list[str]], asks: list[list[str]], now: int
    ) -> Any:
        """One diff-depth event covering update ids *first* .. *last* (the previous event ended at
        ``first - 1``)."""
        ...

    def trade_frames(self, market: Market, trades: Sequence[Trade], now: int, wants: Callable[[str], bool]) -> Frames:
        """``(stream, payload)`` for trades that just happened, in order; *wants* as for :meth:`market_frames`."""
        ...

    def market_frames(self, sim: Simulation, fast: bool, slow: bool, now: int, wants: Callable[[str], bool]) -> Frames:
        """Periodic frames (tickers, klines, partial depth, book ticker, mark price) due now; *wants(stream)*
        tells whether anyone listens, so nothing is built for nobody."""
        ...


class SimulationUserEvents(Protocol):
    """The user-data events of the cash-account engine (:class:`~binance_testing.matching.Simulation`), as its
    ``USER_EVENTS`` names them; Spot renders them as ``executionReport``, ``outboundAccountPosition`` and
    ``balanceUpdate``."""

    def execution_report(self, order: Order, execution: str, fill: Fill | None, execution_id: int, now: int) -> Any: ...

    def account_position(self, balances: dict[str, Balance], now: int) -> Any: ...

    def balance_update(self, asset: str, delta: Decimal, now: int) -> Any: ...


class _Feed:
    __slots__ = ('every', 'last_u', 'stream')

    def __init__(self, stream: str, every: int, last_u: int) -> None:
        self.stream = stream
        self.every = every  # ticks between events
        self.last_u = last_u  # the u of the last event (published or not: nobody may have listened)


class SimulatedExchange(FakeExchange):
    """A :class:`FakeExchange` with a simulated market and matching engine behind its routes.

    Once started, a background task ticks every *tick* seconds: unless paused, each market takes one random
    step (its reference price walks, simulated traders take liquidity, levels come and go), then the streams
    that are due are published: diff depth every 100 ms / 1 s (in ticks), trades as they happen, tickers and
    klines every second. Accounts trade through the market plugin's routes (``order.place`` and friends);
    their fills and balance (and, on futures, position) changes reach their user-data subscriptions.

    Args:
        market: the market (its plugin must support simulation; Spot, USDⓈ-M and COIN-M do). Its wire chooses
            the engine: cash accounts (:class:`~binance_testing.matching.Simulation`) for Spot, margin accounts
            with positions (:class:`~binance_testing.futures.FuturesSimulation`) for USDⓈ-M and COIN-M.
        symbols: ``'BTCUSDT'``, ``['BTCUSDT', 'ETHBTC']``, ``{'BTCUSDT': '30000.00'}`` (starting prices),
            ``{'BTCUSDT': {'price': '30000', 'tick_size': '0.1'}}`` or :class:`SimSymbol` rows. A wire with a
            ``symbol_rows(symbols)`` method reads them itself: the futures wires make each a
            :class:`~binance_testing.futures.FuturesSymbol` (COIN-M: ``'BTCUSD_PERP'``, inverse, 100 USD a
            contract; ``{'BTCUSD_PERP': {'price': '30000.0', 'contract_size': '100'}}``).
        seed: the same seed and the same operations give the same market.
        tick: seconds per tick of the background task.
        paused: start with the market frozen (streams are still published); use :meth:`step` to move it.
        pm: a plugin manager, as for :class:`FakeExchange`.

    Attributes:
        simulation: the engine (:class:`~binance_testing.matching.Simulation`).
        tick: seconds per tick.
        ticks: ticks elapsed (background and :meth:`step`).
    """

    def __init__(
        self,
        market: str = 'spot',
        symbols: Any = 'BTCUSDT',
        *,
        seed: Any = 0,
        tick: float = FAST,
        paused: bool = False,
        pm: Any = None,
    ) -> None:
        if not tick > 0:
            raise ValueError('tick must be a positive number of seconds')
        start = int(time.time() * 1000)
        unread: Exception | None = None
        try:
            rows = symbol_rows(symbols)
        except (TypeError, ValueError) as exc:
            # Names or fields only the market's wire may read (COIN-M 'BTCUSD_PERP', contract_size=...).
            rows, unread = [], exc
        # Set before FakeExchange.__init__ runs the plugins' binance_fake_exchange hook, which looks for it.
        self.simulation: Simulation = Simulation(rows, seed=seed, clock=self._now, now=start)
        super().__init__(market, pm=pm)
        wire = self.simulation.wire
        if wire is None:
            raise ValueError(f'no installed plugin supports simulating the {market!r} market')
        read = getattr(wire, 'symbol_rows', None)
        if read is None and unread is not None:
            raise unread
        engine = getattr(wire, 'engine', None) or Simulation
        if read is not None or type(self.simulation) is not engine:
            # The wire reads the symbols itself (futures: contract terms) or renders another engine's events
            # (futures: margin accounts): build that engine, with the same seed and start, before anything has
            # happened on the first one.
            if not (isinstance(engine, type) and issubclass(engine, Simulation)):
                raise TypeError(f'the {market!r} wire names engine {engine!r}, which is not a Simulation class')
            rows = read(symbols) if read is not None else symbol_rows(symbols)
            self.simulation = engine(rows, seed=seed, clock=self._now, now=start)
            self.simulation.wire = wire
        missing = [name for name in self.simulation.USER_EVENTS.values() if not callable(getattr(wire, name, None))]
        if missing:
            raise ValueError(f"the {market!r} wire cannot render the engine's user-data events {missing}")
        self.tick = float(tick)
        self.ticks = 0
        self._paused = paused
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._fast = max(1, round(FAST / self.tick))
        self._slow = max(1, round(SLOW / self.tick))
        self._feeds: dict[Market, list[_Feed]] = {
            m: [
                _Feed(stream, max(1, round(seconds / self.tick)), m.update_id)
                for stream, seconds in wire.depth_streams(m)
            ]
            for m in self.simulation.markets.values()
        }

    def _now(self) -> int:
        return self.server_time()

    # -- lifecycle ----------------------------------------------------------------------------------------

    async def start(self) -> SimulatedExchange:
        """Listen on 127.0.0.1 and start ticking."""
        await super().start()
        self._task = asyncio.get_running_loop().create_task(self._run(), name='simulated-exchange')
        return self

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
        await super().close()

    async def __aenter__(self) -> SimulatedExchange:
        return await self.start()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time()
        while True:
            deadline += self.tick
            delay = deadline - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            else:
                # Readers held us up (back-pressure): carry on from now rather than burst to catch up.
                deadline = loop.time()
                await asyncio.sleep(0)
            try:
                async with self._lock:
                    self._advance(evolve=not self._paused)
                    await self._publish(due=True)
            except Exception:
                log.exception('simulated exchange: tick %d failed', self.ticks)

    # -- driving the market -------------------------------------------------------------------------------

    @property
    def paused(self) -> bool:
        return self._paused

    def pause(self) -> None:
        """Freeze the random market (accounts can still trade; due streams are still published)."""
        self._paused = True

    def resume(self) -> None:
        self._paused = False

    async def step(self, n: int = 1) -> None:
        """Advance the market *n* ticks now, publishing as the background task would. With the market paused
        this is the only thing that moves it, so a test is repeatable."""
        for _ in range(n):
            async with self._lock:
                self._advance(evolve=True)
                await self._publish(due=True)

    async def flush(self) -> None:
        """Publish every pending depth change and every periodic stream now."""
        async with self._lock:
            await self._publish(due=True, force=True)

    async def execute(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """Run engine operation ``fn(*args, **kwargs)`` and publish the trades and user-data events it caused;
        plugins' route handlers call the engine through this."""
        async with self._lock:
            try:
                return fn(*args, **kwargs)
            finally:
                await self._publish()

    def _advance(self, evolve: bool) -> None:
        if evolve:
            self.simulation.evolve()
        self.ticks += 1

    # -- test helpers -------------------------------------------------------------------------------------

    async def fund(self, api_key: str, asset: str, amount: Any) -> Balance:
        """Deposit *amount* (str/int/Decimal; negative withdraws) of *asset* to *api_key*'s account; its
        user-data subscriptions get the market's events for it (Spot: ``balanceUpdate`` and the account
        position; futures: ``ACCOUNT_UPDATE`` with reason ``DEPOSIT`` or ``WITHDRAW``). Returns the new balance
        (futures: see :meth:`balances`)."""
        result: Balance = await self.execute(self.simulation.fund, api_key, asset.upper(), amount)
        return result

    async def set_price(self, symbol: str, price: Any) -> None:
        """Move *symbol*'s market to *price*: simulated traders take every level on the way, so resting orders
        there fill; the book is rebuilt around the new price."""
        await self.execute(self.simulation.set_price, symbol, price)

    async def trade(self, symbol: str, side: str, qty: Any) -> Decimal:
        """A simulated trader's market order of *qty* on *side* (``'BUY'`` takes asks) now; returns what
        executed. Resting orders it reaches fill, partially if it runs out."""
        result: Decimal = await self.execute(self.simulation.trade, symbol, side.upper(), qty)
        return result

    def book(self, symbol: str, limit: int | None = None) -> dict[str, Any]:
        """The true book: ``{'lastUpdateId': n, 'bids': [[price, qty], ...], 'asks': [...]}`` with ``Decimal``
        values, best level first, as the ``depth`` snapshot orders them."""
        return self.simulation.market(symbol).book(limit)

    def price(self, symbol: str) -> Decimal:
        """The reference price: simulated bids rest below it, asks above it."""
        m = self.simulation.market(symbol)
        return m.mid * m.tick_size

    def orders(self, api_key: str, symbol: str | None = None, *, open_only: bool = False) -> list[Order]:
        """*api_key*'s orders (oldest first), of *symbol* if given, only open ones with *open_only*."""
        acct = self.simulation.accounts.get(api_key)
        if acct is None:
            return []
        m = self.simulation.market(symbol) if symbol is not None else None
        return [o for o in acct.orders.values() if (m is None or o.market is m) and (o.is_open or not open_only)]

    def balances(self, api_key: str) -> dict[str, Balance]:
        """*api_key*'s balances: ``{asset: Balance(free, locked)}``. On futures ``free`` is the available
        balance and ``locked`` the rest of the margin balance (initial margin of positions and open orders,
        isolated wallets): ``free + locked`` is the wallet balance plus unrealized PnL."""
        return self.simulation.balances(api_key)

    def positions(self, api_key: str, symbol: str | None = None) -> list[Position]:
        """*api_key*'s open positions (of *symbol* if given), valued at the mark price; always empty on Spot."""
        positions: list[Position] = self.simulation.positions(api_key, symbol)
        return positions

    # -- futures helpers ---------------------------------------------------------------------------------

    def _futures(self) -> FuturesSimulation:
        sim = self.simulation
        if not isinstance(sim, FuturesSimulation):
            raise TypeError(f'the {self.market.name!r} simulation has no mark price or funding')
        return sim

    def premium_index(self, symbol: str) -> PremiumIndex:
        """Futures: *symbol*'s mark price, index price, funding rate and next funding time."""
        return self._futures().premium_index(symbol)

    async def settle_funding(self, symbol: str | None = None) -> None:
        """Futures: pay funding now on *symbol* (every symbol if ``None``) at its current rate and mark price,
        as Binance does at each funding time; holders get ``ACCOUNT_UPDATE`` with reason ``FUNDING_FEE``."""
        await self.execute(self._futures().settle_funding, symbol)

    # -- publishing -------------------------------------------------------------------------------------

    def has_subscribers(self, stream: str) -> bool:
        return stream in self._subscribers

    async def _publish(self, due: bool = False, force: bool = False) -> None:
        """Send what the engine queued; with *due*, also the depth and periodic streams due at this tick."""
        sim = self.simulation
        wire = sim.wire
        events, sim.outbox = sim.outbox, []
        now = self.server_time()
        i, n = 0, len(events)
        while i < n:
            event = events[i]
            kind = event[0]
            if kind == EV_TRADE:
                market = event[1]
                j = i + 1
                while j < n and events[j][0] == EV_TRADE and events[j][1] is market:
                    j += 1
                trades = [e[2] for e in events[i:j]]
                for stream, payload in wire.trade_frames(market, trades, now, self.has_subscribers):
                    await self.push(stream, payload)
                i = j
                continue
            # A user-data event (kind, api_key, *args): the engine names the wire method that renders it.
            render = getattr(wire, sim.USER_EVENTS[kind])
            await self.push_user_event(render(*event[2:]), api_key=event[1])
            i += 1
        if not due:
            return
        tick = self.ticks
        wants = self.has_subscribers
        for market, feeds in self._feeds.items():
            for feed in feeds:
                if not (force or tick % feed.every == 0):
                    continue
                diff = market.changes_since(feed.last_u) if wants(feed.stream) else None
                # Nobody listening still moves the feed on: the next event starts after this id either way.
                feed.last_u = market.update_id
                if diff is not None:
                    await self.push(feed.stream, wire.depth_update(market, *diff, now))
            market.trim_log(min(f.last_u for f in feeds) if feeds else market.update_id)
        fast = force or tick % self._fast == 0
        slow = force or tick % self._slow == 0
        if fast or slow:
            for stream, payload in wire.market_frames(sim, fast, slow, now, wants):
                await self.push(stream, payload)

    def __repr__(self) -> str:
        where = f'127.0.0.1:{self._port}' if self._port is not None else 'not started'
        state = 'paused' if self._paused else 'running'
        return f'SimulatedExchange({self.market.name!r}, {sorted(self.simulation.markets)}, {where}, {state})'
