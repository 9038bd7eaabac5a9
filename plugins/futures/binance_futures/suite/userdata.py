"""User-data checks every futures plugin's tests run, written once (:class:`UserDataChecks`): the listenKey flow
against the fake exchange. Every event the market sends reaches its handler base, bare and wrapped; keepalives on
schedule; a listenKey expiry and a 24-hour-style cut in the middle of a burst; -1125; unplanned drops; close,
unsubscribe and subscribe again; the stopped client.

A plugin's test module subclasses it as ``Test<Something>`` and sets its market's wire as class attributes,
written from Binance's pages for that market (FUTURES-API.md §4), never from the row: where the key comes from
(WS-API ``userDataStream.*`` or REST ``.../listenKey``), the private stream URL, the events the market sends.

The intervals (keepalive, connection age) come from the row, shortened here with ``attrs.evolve`` and handed to
a client class assembled with one extra plugin that returns it from ``binance_user_data_flow``.
Imported only by tests; it imports neither market's package.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any, ClassVar

import attrs
import pytest

from binance_core import hookimpl
from binance_core.assembly import assemble
from binance_core.credentials import Credentials
from binance_core.exceptions import ConnectionLostException, CredentialsRequiredException
from binance_core.handlers import HandlerBase, StreamErrorHandlerBase
from binance_core.plugins import make_plugin_manager
from binance_core.userdata.listen_key_flow import ListenKeyUserData, ListenKeyUserDataFlow
from binance_futures.suite.streams import until
from binance_futures.userdata import USER_HANDLER_BASES
from binance_testing import FakeExchange

__all__ = ['UserDataChecks']

# The futures user-event handler bases by the event type they receive.
BASES = {vars(cls)['event']: cls for cls in USER_HANDLER_BASES}


class _Flow:
    """Hands the client a listenKey row of the test's choosing (shorter intervals)."""

    def __init__(self, market: str, row: ListenKeyUserData) -> None:
        self.market = market
        self.row = row

    @hookimpl(tryfirst=True)
    def binance_user_data_flow(self, market: Any) -> Any:
        return self.row if market.name == self.market else None


def fast_retries(info: Any) -> tuple[bool, float]:
    return False, 0.01


def flow_of(client: Any) -> ListenKeyUserDataFlow:
    flow = client._streams._user_flow
    assert isinstance(flow, ListenKeyUserDataFlow)
    return flow


def the_key(fx: FakeExchange) -> str:
    [key] = fx.listen_keys
    return key


def settled(fx: FakeExchange) -> bool:
    """One active key, and exactly its stream open."""
    return len(fx.listen_keys) == 1 and fx.subscriptions() == set(fx.listen_keys)


class Recorder(HandlerBase):
    """Every event of the given types, in order (a plain handler: a HandlerBase with ``event`` set)."""

    event = ('ORDER_TRADE_UPDATE', 'listenKeyExpired')

    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []

    def receive(self, payload: Any) -> None:
        self.seen.append(payload)

    def trades(self) -> list[int]:
        return [e['o']['t'] for e in self.seen if e['e'] == 'ORDER_TRADE_UPDATE']


class Errors(StreamErrorHandlerBase):
    def __init__(self) -> None:
        self.seen: list[Any] = []

    def receive(self, error: Any) -> None:
        self.seen.append(error)

    def gaps(self) -> list[Any]:
        return [e for e in self.seen if e.phase == 'gap']


def collector(base: type) -> Any:
    class Collect(base):  # type: ignore[misc]
        def __init__(self) -> None:
            self.seen: list[Any] = []
            self.returned: list[Any] = []

        def receive(self, payload: Any) -> None:
            self.seen.append(payload)
            self.returned.append(super().receive(payload))

    return Collect()


class UserDataChecks:
    """The listenKey user-data flow of a futures market against ``FakeExchange(market)``.

    Attributes:
        market: the market's name (``'coinm'``).
        client_name: its client class's name (``'CMFuturesClient'``).
        row: its ``ListenKeyUserData`` row (``binance_futures.userdata``), whose intervals the checks shorten.
        wrapped_row: the row with the ``/stream`` URL form, whose events arrive wrapped.
        bare_url, wrapped_url: the private stream's path and query as the exchange sees them, ``{key}`` for the
            key (``'/ws/{key}'``).
        start, ping, stop: the key requests as the fake records them (``'userDataStream.start'``,
            ``'POST /dapi/v1/listenKey'``); ``unused_start``: the documented alternative the flow must not use.
        key_transport, key_params: how a key request travels (``'ws_api'`` / ``'rest'``) and its params: the API
            key only (USER_STREAM), no timestamp, signature or listenKey.
        EVENTS: one documented example of each event the market sends (``listenKeyExpired`` aside), by ``e``.
    """

    market: ClassVar[str]
    client_name: ClassVar[str]
    row: ClassVar[ListenKeyUserData]
    wrapped_row: ClassVar[ListenKeyUserData]
    bare_url: ClassVar[str]
    wrapped_url: ClassVar[str]
    start: ClassVar[str]
    ping: ClassVar[str]
    stop: ClassVar[str]
    unused_start: ClassVar[str]
    key_transport: ClassVar[str]
    key_params: ClassVar[dict[str, Any]]
    EVENTS: ClassVar[dict[str, dict[str, Any]]]

    @pytest.fixture
    async def fx(self):
        async with FakeExchange(self.market) as exchange:
            exchange.add_key('k', secret='s')
            yield exchange

    def client_class(self, row: ListenKeyUserData | None = None) -> Any:
        plugins = [_Flow(self.market, self.row if row is None else row)]
        return assemble(make_plugin_manager(plugins)).clients[self.client_name]

    def connect(self, fx: FakeExchange, row: ListenKeyUserData | None = None, **kwargs: Any) -> Any:
        cls = self.client_class(row)
        return cls(Credentials('k', api_secret='s'), stream_retry_policy=fast_retries, **fx.client_kwargs(), **kwargs)

    def url(self, key: str) -> str:
        return self.bare_url.format(key=key)

    def order(self, i: int) -> dict[str, Any]:
        """An ORDER_TRADE_UPDATE told apart by its trade id (and times): the burst's i-th event."""
        event = self.EVENTS['ORDER_TRADE_UPDATE']
        return {**event, 'E': event['E'] + i, 'o': {**event['o'], 'x': 'TRADE', 'X': 'PARTIALLY_FILLED', 't': i}}

    def assert_key_only(self, record: Any) -> None:
        """USER_STREAM: the API key, no timestamp, no signature, no listenKey (the key is bound to the API key)."""
        assert (record.transport, record.params) == (self.key_transport, self.key_params)
        if record.transport == 'rest':
            assert record.headers.get('X-MBX-APIKEY') == 'k'

    # -- events ------------------------------------------------------------------------------------------------

    @pytest.mark.parametrize('wrapped', [False, True], ids=['bare', 'wrapped'])
    async def test_every_user_event_the_market_sends_reaches_its_handler_base(self, fx, wrapped):
        row = self.wrapped_row if wrapped else self.row
        handlers = {e: collector(BASES[e]) for e in (*self.EVENTS, 'listenKeyExpired')}
        # The bases of events this market does not send are registered too: they receive nothing.
        others = {e: collector(base) for e, base in BASES.items() if e not in handlers}

        class PlainOrders(HandlerBase):
            event = 'ORDER_TRADE_UPDATE'

            def __init__(self) -> None:
                self.seen: list[Any] = []

            def receive(self, payload: Any) -> None:
                self.seen.append(payload)

        plain = PlainOrders()
        last = list(self.EVENTS)[-1]
        async with asyncio.timeout(10), self.connect(fx, row) as client:
            client.handler(*handlers.values(), *others.values(), plain)
            await client.subscribe(client.SubType.USER)
            key = the_key(fx)
            assert fx.stream_urls == [(self.wrapped_url if wrapped else self.bare_url).format(key=key)]
            for event in self.EVENTS.values():
                assert await fx.push_user_event(event) == 1
            await fx.expire_listen_key(key)
            await until(lambda: handlers['listenKeyExpired'].seen)
            await until(lambda: settled(fx) and the_key(fx) != key)  # moved to a new key by itself
            await fx.push_user_event(self.EVENTS[last])
            await until(lambda: len(handlers[last].seen) == 2)
        for e, handler in handlers.items():
            if e != 'listenKeyExpired':
                assert handler.seen[0] == self.EVENTS[e], e
            # The spec: `receive` gets the raw dict, and super().receive() returns it unchanged (no DataFrame).
            assert handler.returned == handler.seen
        [expired] = handlers['listenKeyExpired'].seen
        assert expired['listenKey'] == key and type(expired['E']) is int
        assert plain.seen == [self.EVENTS['ORDER_TRADE_UPDATE']]
        assert all(h.seen == [] for h in others.values())

    async def test_the_key_is_asked_for_with_the_api_key_only(self, fx):
        async with asyncio.timeout(10), self.connect(fx) as client:
            await client.subscribe(client.SubType.USER)
            [start] = fx.requests_for(self.start)
            self.assert_key_only(start)
            assert fx.requests_for(self.unused_start) == []
            assert fx.stream_urls == [self.url(the_key(fx))]

    async def test_user_data_needs_credentials(self, fx):
        async with asyncio.timeout(10), self.client_class()(**fx.client_kwargs()) as client:
            with pytest.raises(CredentialsRequiredException, match='api_key'):
                await client.subscribe(client.SubType.USER)
        assert fx.requests_for(self.start) == []

    # -- keepalive ---------------------------------------------------------------------------------------------------

    async def test_keepalives_go_out_on_schedule(self, fx):
        row = attrs.evolve(self.row, keepalive=0.1)
        async with asyncio.timeout(10), self.connect(fx, row) as client:
            await client.subscribe(client.SubType.USER)
            key = the_key(fx)
            await until(lambda: len(fx.requests_for(self.ping)) >= 4)
            assert flow_of(client).stats['keepalives'] >= 3
        [start] = fx.requests_for(self.start)
        pings = fx.requests_for(self.ping)
        for ping in pings:
            self.assert_key_only(ping)
        times = [start.at] + [p.at for p in pings]
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert all(80 <= gap <= 400 for gap in gaps), gaps  # every 100 ms (ms clock, loop jitter)
        assert fx.listen_keys == {} and key not in fx.subscriptions()  # close() closed the key

    def test_the_keepalive_default_is_well_inside_the_keys_life(self):
        # FUTURES-API.md §4: a key lives 60 minutes after its last keepalive; ping every 30-50 minutes.
        assert self.row.keepalive == 30 * 60
        assert self.row.max_age == 23 * 3600  # before Binance's 24-hour cut

    async def test_a_keepalive_answered_minus_1125_moves_to_a_new_key(self, fx):
        row = attrs.evolve(self.row, keepalive=0.05)
        errors, recorder = Errors(), Recorder()
        async with asyncio.timeout(10), self.connect(fx, row) as client:
            client.handler(errors, recorder)
            await client.subscribe(client.SubType.USER)
            old = the_key(fx)
            await fx.expire_listen_key(old, notify=False)  # gone without a word: the next keepalive says -1125
            await until(lambda: settled(fx) and the_key(fx) != old)
            new = the_key(fx)
            await fx.push_user_event(self.order(1))
            await until(lambda: recorder.trades() == [1])
            await until(lambda: errors.gaps())
            stats = flow_of(client).stats
        assert new != old
        assert fx.requests_for(self.ping)
        [gap] = errors.gaps()
        assert (gap.stream, gap.recovering) == ('user', True) and '-1125' in str(gap.exception)
        assert 'reconcile open orders, positions and balances' in gap.hint
        assert stats['renewals'] == 1 and fx.stream_urls[-1] == self.url(new)

    async def test_a_minus_1125_for_a_key_still_alive_hands_over_without_losing_events(self, fx):
        """-1125 while the exchange still serves the key (it hands the same key back): the stream is replaced make
        before break, so a burst running meanwhile arrives whole."""
        row = attrs.evolve(self.row, keepalive=0.05)
        errors, recorder = Errors(), Recorder()
        async with asyncio.timeout(10), self.connect(fx, row) as client:
            client.handler(errors, recorder)
            await client.subscribe(client.SubType.USER)
            key = the_key(fx)
            fx.fail_next(self.ping, -1125)
            sent = await fx.push_user_burst([self.order(i) for i in range(150)], pause=0.002)
            await until(lambda: len(recorder.trades()) >= 150)
            await asyncio.sleep(0.05)  # a late copy would show up now
            stats = flow_of(client).stats
        assert all(sent) and recorder.trades() == list(range(150))
        assert len(fx.requests_for(self.start)) == 2 and fx.stream_urls[-1] == self.url(key)
        assert stats['handovers'] == 1 and stats['renewals'] == 0
        # Still reported: whether the stream carried everything while the key was said to be gone is unknowable.
        assert len(errors.gaps()) == 1

    # -- bursts: expiry and the 24-hour cut ----------------------------------------------------------------------------

    async def test_a_listen_key_expiry_mid_burst_delivers_every_event_sent_exactly_once(self, fx):
        """Binance sends nothing for an expired key until the client uses a new one, so events in that window
        reach nobody (the fake's count is 0 for them) and the gap is reported. Every event the exchange did send,
        on the old key's stream or on the new one's, is delivered once, in order."""
        errors, recorder = Errors(), Recorder()
        async with asyncio.timeout(15), self.connect(fx) as client:
            client.handler(errors, recorder)
            await client.subscribe(client.SubType.USER)
            old = the_key(fx)
            burst = asyncio.create_task(fx.push_user_burst([self.order(i) for i in range(300)], pause=0.002))
            await until(lambda: len(recorder.trades()) >= 100)
            await fx.expire_listen_key(old)  # in the middle of the burst
            sent = await burst
            await until(lambda: len(recorder.trades()) >= sum(1 for n in sent if n))
            await until(lambda: errors.gaps())
            await asyncio.sleep(0.05)  # a late copy would show up now
        expected = [i for i, n in enumerate(sent) if n]
        assert recorder.trades() == expected  # the exact sequence sent: nothing lost, nothing twice
        lost = [i for i, n in enumerate(sent) if not n]
        # At most one short window, right after the expiry (a few ms here), then the new key's stream carries the rest.
        assert len(lost) < 30
        if lost:
            assert lost == list(range(lost[0], lost[0] + len(lost)))
        assert sent[-1] == 1
        kinds = [e['e'] for e in recorder.seen]
        assert kinds.count('listenKeyExpired') == 1
        at = kinds.index('listenKeyExpired')  # delivered in its place: after the old key's events, before the new's
        assert at >= 100 and recorder.seen[at]['listenKey'] == old
        assert all(e['e'] == 'ORDER_TRADE_UPDATE' for e in recorder.seen[at + 1 :]) and len(recorder.seen) > at + 1
        [gap] = errors.gaps()
        assert gap.stream == 'user' and gap.down_at <= gap.up_at and 'expired' in str(gap.exception)

    async def test_a_24_hour_style_cut_mid_burst_is_beaten_by_a_make_before_break_reconnect(self, fx):
        """The fake closes a listenKey stream after 0.6 s, as Binance does after 24 hours; the flow replaces each
        connection at 0.2 s, opening the new one before closing the old: a burst spanning several handovers
        arrives whole, each event once, and no gap is reported."""
        fx.listen_key_stream_lifetime = 0.6
        # overlap: once the burst is over, a handover finds no event to prove the overlap and waits this long.
        row = attrs.evolve(self.row, max_age=0.2, overlap=0.2)
        errors, recorder = Errors(), Recorder()
        async with asyncio.timeout(15), self.connect(fx, row) as client:
            client.handler(errors, recorder)
            await client.subscribe(client.SubType.USER)
            key = the_key(fx)
            sent = await fx.push_user_burst([self.order(i) for i in range(300)], pause=0.003)
            await until(lambda: len(recorder.trades()) >= 300)
            await asyncio.sleep(0.05)  # a late copy would show up now
            stats = dict(flow_of(client).stats)
        assert all(sent)  # at every moment an open stream carried the events
        assert recorder.trades() == list(range(300))
        assert errors.seen == []  # no gap, no error: the fake never had to cut a connection
        assert stats['handovers'] >= 3 and stats['duplicates'] > 0 and stats['gaps'] == 0
        assert set(fx.stream_urls) == {self.url(key)}  # the same key: it was valid all along
        # Each connection but the first was a handover's; the last one may still be under way.
        assert stats['handovers'] + 1 <= fx.stream_connections <= stats['handovers'] + 2

    async def test_the_24_hour_cut_without_a_planned_reconnect_is_a_reported_gap(self, fx):
        fx.listen_key_stream_lifetime = 0.2  # the flow's own max_age (23 h) is far off: the exchange cuts first
        errors, recorder = Errors(), Recorder()
        async with asyncio.timeout(10), self.connect(fx) as client:
            client.handler(errors, recorder)
            await client.subscribe(client.SubType.USER)
            await until(lambda: errors.gaps())
            fx.listen_key_stream_lifetime = None
            await until(lambda: fx.subscriptions())
            await fx.push_user_event(self.order(7))
            await until(lambda: recorder.trades() == [7])
        [gap] = errors.gaps()
        assert gap.stream == 'user' and gap.recovering and gap.down_at <= gap.up_at

    # -- drops, close, unsubscribe, stop -----------------------------------------------------------------------------

    async def test_an_unplanned_drop_reconnects_and_reports_the_gap(self, fx):
        errors, recorder = Errors(), Recorder()
        async with asyncio.timeout(10), self.connect(fx) as client:
            client.handler(errors, recorder)
            await client.subscribe(client.SubType.USER)
            key = the_key(fx)
            await fx.push_user_event(self.order(1))
            await until(lambda: recorder.trades() == [1])
            await fx.drop_connections('stream')
            await until(lambda: errors.gaps())
            await until(lambda: fx.subscriptions() == {key})
            await fx.push_user_event(self.order(2))
            await until(lambda: recorder.trades() == [1, 2])
        [gap] = errors.gaps()
        assert (gap.stream, gap.phase, gap.recovering) == ('user', 'gap', True)
        assert gap.down_at <= gap.up_at and 'reconcile' in gap.hint
        # The key was checked after the reconnect (the same key came back, extended): no move.
        assert len(fx.requests_for(self.start)) == 2 and fx.stream_urls == [self.url(key)] * 2

    async def test_close_stops_the_keepalive_and_closes_the_key(self, fx):
        row = attrs.evolve(self.row, keepalive=0.05)
        async with asyncio.timeout(10):
            client = self.connect(fx, row)
            await client.subscribe(client.SubType.USER)
            key = the_key(fx)
            await until(lambda: fx.requests_for(self.ping))
            flow = flow_of(client)
            await client.close()
            pings = len(fx.requests_for(self.ping))
            await asyncio.sleep(0.2)
        [stop] = fx.requests_for(self.stop)
        self.assert_key_only(stop)
        assert fx.listen_keys == {} and key not in fx.subscriptions()
        assert flow._maintainer is None and len(fx.requests_for(self.ping)) == pings

    async def test_unsubscribe_then_subscribe_again(self, fx):
        recorder = Recorder()
        async with asyncio.timeout(10), self.connect(fx) as client:
            client.handler(recorder)
            await client.subscribe(client.SubType.USER)
            first = the_key(fx)
            await fx.push_user_event(self.order(1))
            await until(lambda: recorder.trades() == [1])
            await client.unsubscribe(client.SubType.USER)
            assert len(fx.requests_for(self.stop)) == 1 and fx.listen_keys == {}
            await until(lambda: not fx.subscriptions())
            assert await fx.push_user_event(self.order(2)) == 0
            await client.subscribe(client.SubType.USER)
            second = the_key(fx)
            await fx.push_user_event(self.order(3))
            await until(lambda: recorder.trades() == [1, 3])
        assert first != second and len(fx.requests_for(self.start)) == 2

    async def test_a_stopped_client_discards_user_events_and_still_renews_its_key(self, fx):
        recorder = Recorder()
        async with asyncio.timeout(10), self.connect(fx) as client:
            client.handler(recorder)
            await client.subscribe(client.SubType.USER)
            old = the_key(fx)
            client.stop()
            assert await fx.push_user_event(self.order(1)) == 1
            await fx.expire_listen_key(old)
            await until(lambda: settled(fx) and the_key(fx) != old)
            client.start()
            await fx.push_user_event(self.order(2))
            await until(lambda: recorder.trades() == [2])
            assert flow_of(client).stats['discarded'] == 2  # the trade and the expiry
        assert recorder.seen == [self.order(2)]

    async def test_a_server_shutdown_on_the_private_stream_is_handed_over_mid_burst(self, fx):
        """Not documented for futures user streams, handled anyway: the stream connection's own make-before-break."""
        errors, recorder = Errors(), Recorder()
        async with asyncio.timeout(10), self.connect(fx) as client:
            client.handler(errors, recorder)
            await client.subscribe(client.SubType.USER)
            burst = asyncio.create_task(fx.push_user_burst([self.order(i) for i in range(200)], pause=0.002))
            await until(lambda: len(recorder.trades()) >= 60)
            await fx.stream_server_shutdown()
            sent = await burst
            await until(lambda: len(recorder.trades()) >= 200)
            await asyncio.sleep(0.05)
        assert all(sent) and recorder.trades() == list(range(200)) and errors.seen == []
        assert fx.stream_connections == 2

    @pytest.mark.parametrize('closer', ['flow', 'client'])
    async def test_closing_while_a_subscribe_is_under_way_leaves_nothing_running(self, fx, closer):
        """close() while subscribe(SubType.USER) waits for its key: no key, private stream or keepalive outlives the
        close. (The flow is closed first by the client; closing it directly makes the race deterministic.)"""
        client = self.connect(fx)
        async with asyncio.timeout(10):
            await client.get_server_time()
            fx.delay_next(self.start, 0.3)
            sub = asyncio.create_task(client.subscribe(client.SubType.USER))
            await asyncio.sleep(0.05)  # the key is being made
            flow = flow_of(client)
            if closer == 'flow':
                await flow.close()
                with pytest.raises(ConnectionLostException):
                    await sub
            else:
                await client.close()
                await asyncio.gather(sub, return_exceptions=True)
            assert not flow._active and flow._maintainer is None
            await until(lambda: not fx.listen_keys)  # the key was closed
            await asyncio.sleep(0.05)  # anything left over would have connected by now
            assert not [t for t in asyncio.all_tasks() if t.get_name() == 'binance-user-keepalive']
            assert fx.subscriptions() == set() and fx.stream_urls == []  # no private stream was opened
        await client.close()
