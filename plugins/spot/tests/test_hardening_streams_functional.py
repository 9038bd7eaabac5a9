"""SpotClient streams under faults the black-box tests found (issue 11), against the loopback fake exchange:
junk frames, handlers raising BaseExceptions, stop() discarding, the per-connection message rate, a subscribe
cut short by close(), and gaps after a drop (reported; user data reconciled by an opt-in snapshot)."""

import asyncio
import time

import pytest

from binance import (
    BalanceUpdateHandlerBase,
    ConnectionLostException,
    Credentials,
    HandlerExceptionHandlerBase,
    MalformedResponseException,
    OrderBookHandlerBase,
    SpotClient,
    StreamErrorHandlerBase,
    SubType,
    TradeHandlerBase,
    UserDataSnapshotHandlerBase,
)
from binance_spot.endpoints import ENDPOINTS
from binance_spot.streams import USER_DATA
from binance_testing import FakeExchange

TRADE = {
    'e': 'trade',
    'E': 1672515782136,
    's': 'BNBBTC',
    't': 0,
    'p': '0.001',
    'q': '100',
    'T': 1672515782136,
    'm': True,
    'M': True,
}


def trade(i):
    return {**TRADE, 't': i}


def balance(i):
    return {'e': 'balanceUpdate', 'E': 1573200697110 + i, 'a': 'BTC', 'd': f'{i}.0', 'T': 1573200697068}


@pytest.fixture
async def fx():
    async with FakeExchange('spot') as exchange:
        yield exchange


async def until(predicate, timeout=5):
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


def fast_retries(info):
    return False, 0.01


class Ids(TradeHandlerBase):
    def __init__(self):
        self.ids = []

    def receive(self, payload):
        self.ids.append(payload['t'])


class Balances(BalanceUpdateHandlerBase):
    def __init__(self):
        self.seen = []

    def receive(self, payload):
        self.seen.append(payload['d'])


class StreamErrors(StreamErrorHandlerBase):
    def __init__(self):
        self.errors = []

    def receive(self, error):
        self.errors.append(error)

    def of(self, phase):
        return [e for e in self.errors if e.phase == phase]


class Exceptions(HandlerExceptionHandlerBase):
    def __init__(self):
        self.seen = []

    def receive(self, exception):
        self.seen.append(exception)


# -- 1. frames that are not a JSON object --------------------------------------------------------

JUNK = ['not json', '{"stream": "bnbbtc@trade", "da', '[1,2]', '"text"', '42', 'null']


async def test_frames_that_are_not_json_objects_are_skipped_reported_and_delivery_goes_on(fx):
    ids, errors = Ids(), StreamErrors()
    async with asyncio.timeout(10), SpotClient(stream_retry_policy=fast_retries, **fx.client_kwargs()) as spot:
        spot.handler(ids, errors)
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        for i, junk in enumerate(JUNK):
            await fx.push('bnbbtc@trade', trade(i))
            await fx.push_raw(junk)
        await fx.push('bnbbtc@trade', trade(len(JUNK)))
        await until(lambda: len(ids.ids) == len(JUNK) + 1 and len(errors.errors) == len(JUNK))
        stats = spot._streams.connections[None].stats
    assert ids.ids == list(range(len(JUNK) + 1))  # nothing lost, in order
    assert fx.stream_connections == 1 and stats['connects'] == 1 and stats['malformed'] == len(JUNK)
    assert {(e.stream, e.phase, e.recovering) for e in errors.errors} == {('data', 'frame', True)}
    assert all(isinstance(e.exception, MalformedResponseException) for e in errors.errors)
    assert 'not json' in str(errors.errors[0].exception)


# -- 3. handlers raising BaseExceptions -----------------------------------------------------------


class Custom(BaseException):
    """Not an Exception, like KeyboardInterrupt, but a handler's own."""


async def test_handlers_raising_base_exceptions_do_not_stop_delivery_and_are_reported(fx):
    other, exceptions = Ids(), Exceptions()

    class Rude(TradeHandlerBase):
        def __init__(self):
            self.ids = []
            self.tasks = set()

        async def receive(self, payload):
            self.ids.append(payload['t'])
            self.tasks.add(asyncio.current_task())
            if payload['t'] == 1:
                cancelled = asyncio.get_running_loop().create_future()
                cancelled.cancel()  # someone else cancelled what this handler waits for
                await cancelled
            if payload['t'] == 2:
                raise Custom('mine')

    rude = Rude()
    async with asyncio.timeout(10):
        async with SpotClient(**fx.client_kwargs()) as spot:
            spot.handler(rude, other, exceptions)
            await spot.subscribe(SubType.TRADE, 'BNBBTC')
            for i in range(4):
                await fx.push('bnbbtc@trade', trade(i))
            await until(lambda: other.ids == [0, 1, 2, 3])
        # close() still ends the tasks that deliver (its own cancellation is the one that passes).
        assert rude.tasks and all(task.done() for task in rude.tasks)
    assert rude.ids == [0, 1, 2, 3]
    assert [type(e) for e in exceptions.seen] == [asyncio.CancelledError, Custom]


async def test_a_user_data_handler_raising_a_base_exception_does_not_stop_user_data(fx):
    fx.add_key('u', secret='s')
    exceptions = Exceptions()

    class Rude(Balances):
        def receive(self, payload):
            super().receive(payload)
            if payload['d'] == '1.0':
                raise Custom('mine')

    rude = Rude()
    async with asyncio.timeout(10), SpotClient(Credentials('u', api_secret='s'), **fx.client_kwargs()) as spot:
        spot.handler(rude, exceptions)
        await spot.subscribe(SubType.USER)
        for i in range(1, 4):
            await fx.push_user_event(balance(i))
        await until(lambda: len(rude.seen) == 3)
    assert rude.seen == ['1.0', '2.0', '3.0']
    assert [type(e) for e in exceptions.seen] == [Custom]


# -- 6. stop() discards; start() delivers what comes next ---------------------------------------


async def test_stop_discards_frames_while_the_connection_stays_up_and_start_delivers_only_new_ones(fx):
    release = asyncio.Event()

    class Slow(Ids):
        async def receive(self, payload):
            super().receive(payload)
            if payload['t'] == 0:
                await release.wait()

    slow = Slow()
    async with asyncio.timeout(10), SpotClient(**fx.client_kwargs()) as spot:
        spot.handler(slow)
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        conn = spot._streams.connections[None]
        for i in range(3):  # 0 is being handled, 1 and 2 wait in the backlog
            await fx.push('bnbbtc@trade', trade(i))
        await until(lambda: conn.backlog == 2)
        spot.stop()
        release.set()
        for i in range(3, 8):  # read and discarded while stopped
            await fx.push('bnbbtc@trade', trade(i))
        await spot.subscribe(SubType.TRADE, 'ETHBTC')  # its ack follows those frames on the socket: all read
        assert fx.subscriptions() == {'bnbbtc@trade', 'ethbtc@trade'} and fx.stream_connections == 1
        spot.start()
        await fx.push('bnbbtc@trade', trade(8))
        await until(lambda: 8 in slow.ids)
    assert slow.ids == [0, 8]  # nothing stale after start(): not the queued 1, 2 nor the 3-7 sent while stopped
    assert conn.stats['discarded'] == 7 and conn.backlog == 0
    assert fx.stream_connections == 1 and conn.stats['connects'] == 1


async def test_stop_discards_user_data_events_too(fx):
    fx.add_key('u', secret='s')
    balances = Balances()
    async with asyncio.timeout(10), SpotClient(Credentials('u', api_secret='s'), **fx.client_kwargs()) as spot:
        spot.handler(balances)
        await spot.subscribe(SubType.USER)
        flow = spot._streams._user_flow
        await fx.push_user_event(balance(1))
        await until(lambda: balances.seen == ['1.0'])
        spot.stop()
        for i in (2, 3):
            await fx.push_user_event(balance(i))
        await spot.ping()  # its answer follows those events on the WS-API socket: both were read
        spot.start()
        await fx.push_user_event(balance(4))
        await until(lambda: '4.0' in balances.seen)
    assert balances.seen == ['1.0', '4.0']
    assert flow.stats['discarded'] == 2
    assert len(fx.requests_for('userDataStream.subscribe.signature')) == 1  # the subscription stayed up


async def test_a_managed_order_book_is_not_ready_while_stopped_and_resyncs_on_start(fx):
    """Needs the order book's ``_on_stop`` / ``_on_start`` hooks (binance_core/orderbook/managed.py)."""
    uid = 100
    fx.set_response('depth', lambda req: {'lastUpdateId': uid, 'bids': [['10', '1']], 'asks': [['11', '1']]})

    def diff(first, last, bid_qty):
        return {'e': 'depthUpdate', 'E': 1, 's': 'BTCUSDT', 'U': first, 'u': last, 'b': [['10', bid_qty]], 'a': []}

    handler = OrderBookHandlerBase(limit=100)
    async with asyncio.timeout(10), SpotClient(**fx.client_kwargs()) as spot:
        spot.handler(handler)
        await spot.subscribe(SubType.ORDER_BOOK, 'BTCUSDT')
        book = handler.orderbook('BTCUSDT')
        await fx.push('btcusdt@depth', diff(101, 101, '2'))
        await until(lambda: book.ready and book.last_update_id == 101)
        spot.stop()
        assert not book.ready
        uid = 150  # the market moves on while stopped; those diffs are discarded
        await fx.push('btcusdt@depth', diff(102, 150, '5'))
        await until(lambda: spot._streams.connections[None].stats['discarded'] == 1)
        assert not book.ready
        spot.start()
        await fx.push('btcusdt@depth', diff(151, 151, '7'))
        await until(lambda: book.ready and book.last_update_id == 151)
        assert book.bids == [[10, 7]]
    assert len(fx.requests_for('depth')) >= 2  # a fresh snapshot after start()


async def test_a_book_handler_added_while_stopped_is_not_ready_until_start(fx):
    """A handler registered during a stop learns of it at once: its book, confirmed by the subscription ack,
    must not become ready on a snapshot while every diff is being discarded."""
    fx.set_response('depth', lambda req: {'lastUpdateId': 100, 'bids': [['10', '1']], 'asks': [['11', '1']]})
    handler = OrderBookHandlerBase(limit=100)
    async with asyncio.timeout(10), SpotClient(**fx.client_kwargs()) as spot:
        spot.stop()
        spot.handler(handler)
        await spot.subscribe(SubType.ORDER_BOOK, 'BTCUSDT')
        book = handler.orderbook('BTCUSDT')
        await asyncio.sleep(0.1)  # long enough for a snapshot round trip on loopback
        assert not book.ready and fx.requests_for('depth') == []
        spot.start()
        async with asyncio.timeout(5):
            await book.updated()  # ready on a snapshot alone: the stream is acknowledged
    assert len(fx.requests_for('depth')) == 1


async def test_user_data_survives_an_explicit_session_logout(fx):
    """``session.logout`` ends a subscription made through the session: the flow subscribes again at once,
    signed per request, and events keep arriving."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    key = ed25519.Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    fx.add_key('ed', public_key_pem=public)
    balances = Balances()
    async with asyncio.timeout(10), SpotClient(Credentials('ed', private_key=pem), **fx.client_kwargs()) as spot:
        spot.handler(balances)
        await spot.subscribe(SubType.USER)
        assert len(fx.requests_for('userDataStream.subscribe')) == 1  # through the logged-on session
        await spot.session_logout()
        await until(lambda: len(fx.requests_for('userDataStream.subscribe.signature')) == 1)
        await until(lambda: spot._streams._user_flow.subscription_id is not None)
        await fx.push_user_event(balance(1))
        await until(lambda: balances.seen == ['1.0'])


# -- 7. the per-connection message rate, over any one-second span -------------------------------


async def test_subscribes_never_exceed_the_message_rate_across_a_second_boundary(fx):
    """The fake closes a connection that sends a 6th message within one second of 5 others, as Binance does;
    with calendar-aligned windows the 6th and 7th left right after the next second began."""
    async with asyncio.timeout(10), SpotClient(stream_retry_policy=fast_retries, **fx.client_kwargs()) as spot:
        for i in range(7):
            await spot.subscribe(SubType.TRADE, f'S{i}USDT')
        assert fx.stream_connections == 1 and len(fx.subscriptions()) == 7
    sent = [r.at for r in fx.requests if r.method == 'SUBSCRIBE']
    assert sent[5] - sent[0] >= 1000


# -- 13. a subscribe cut short by close() --------------------------------------------------------


async def test_a_subscribe_waiting_while_the_client_closes_raises_connection_lost(fx):
    async with asyncio.timeout(10):
        spot = SpotClient(**fx.client_kwargs())
        connecting = asyncio.create_task(spot.subscribe(SubType.TRADE, 'BNBBTC'))
        await asyncio.sleep(0)  # the connection is being opened
        await spot.close()
        with pytest.raises(ConnectionLostException, match='closed'):
            await connecting

        spot = SpotClient(**fx.client_kwargs())
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        fx.silent = True  # the next acknowledgement never comes
        waiting = asyncio.create_task(spot.subscribe(SubType.TRADE, 'ETHBTC'))
        await until(lambda: spot._streams.connections[None]._acks)
        await spot.close()
        with pytest.raises(ConnectionLostException, match='closed'):
            await waiting
        opened = fx.stream_connections
        with pytest.raises(ConnectionLostException, match='closed'):  # and no new connection afterwards
            await spot.subscribe(SubType.TRADE, 'ETHBTC')
        assert fx.stream_connections == opened


# -- 14. gaps after a drop -----------------------------------------------------------------------


async def test_a_dropped_stream_reports_its_gap_and_a_server_shutdown_handover_does_not(fx):
    errors = StreamErrors()
    before = time.time()
    async with asyncio.timeout(10), SpotClient(stream_retry_policy=fast_retries, **fx.client_kwargs()) as spot:
        spot.handler(errors)
        await spot.subscribe([SubType.TRADE, SubType.AGG_TRADE], 'BNBBTC')
        await fx.stream_server_shutdown()  # make before break: nothing lost, nothing reported
        await until(lambda: spot._streams.connections[None].stats['handovers'] == 1)
        await fx.drop_connections('stream')
        await until(lambda: errors.of('gap'))
        after = time.time()
    [gap] = errors.errors
    assert (gap.stream, gap.phase, gap.recovering) == ('data', 'gap', True)
    assert gap.streams == ('bnbbtc@trade', 'bnbbtc@aggTrade')
    assert before <= gap.down_at <= gap.up_at <= after
    assert isinstance(gap.exception, ConnectionLostException) and 'no backlog' in gap.hint


SNAPSHOT_ORDERS = [{'symbol': 'BTCUSDT', 'orderId': 7, 'status': 'NEW'}]
SNAPSHOT_ACCOUNT = {'balances': [{'asset': 'BTC', 'free': '1.0', 'locked': '0.0'}]}


class Snapshots(UserDataSnapshotHandlerBase):
    def __init__(self):
        self.seen = []

    def receive(self, payload):
        self.seen.append(super().receive(payload))


def answer_snapshots(fx):
    fx.set_response('openOrders.status', SNAPSHOT_ORDERS)
    fx.set_response('account.status', SNAPSHOT_ACCOUNT)


async def test_a_user_data_gap_is_reported_and_a_listener_gets_one_snapshot_after_the_events(fx):
    fx.add_key('u', secret='s')
    answer_snapshots(fx)
    errors, balances, snapshots = StreamErrors(), Balances(), Snapshots()
    creds = Credentials('u', api_secret='s')
    async with asyncio.timeout(10), SpotClient(creds, stream_retry_policy=fast_retries, **fx.client_kwargs()) as spot:
        spot.handler(errors, balances, snapshots)
        await spot.subscribe(SubType.USER)
        await fx.ws_api_server_shutdown()  # a handover loses nothing: no gap, no snapshot
        await until(lambda: len(fx.requests_for('userDataStream.subscribe.signature')) == 2)
        await until(lambda: spot._streams._user_flow._next is None)
        await fx.push_user_event(balance(1))
        await until(lambda: balances.seen == ['1.0'])
        assert errors.errors == [] and fx.requests_for('account.status') == []
        await fx.drop_connections('ws_api')
        await until(lambda: snapshots.seen)
        await fx.push_user_event(balance(2))
        await until(lambda: balances.seen == ['1.0', '2.0'])
    [gap] = errors.errors
    assert (gap.stream, gap.phase, gap.recovering, gap.streams) == ('user', 'gap', True, ())
    assert gap.down_at <= gap.up_at and 'reconcile open orders and balances' in str(gap.exception)
    [snapshot] = snapshots.seen
    assert snapshot['e'] == 'userDataSnapshot' and snapshot['reason'] == 'gap'
    assert (snapshot['openOrders'], snapshot['account']) == (SNAPSHOT_ORDERS, SNAPSHOT_ACCOUNT)
    assert abs(snapshot['E'] - fx.server_time()) < 10_000
    # Signed USER_DATA requests, for every symbol (no `symbol` param).
    [orders] = fx.requests_for('openOrders.status')
    assert 'signature' in orders.params and 'symbol' not in orders.params
    assert len(fx.requests_for('account.status')) == 1


async def test_without_a_snapshot_listener_a_user_data_gap_fetches_nothing(fx):
    fx.add_key('u', secret='s')
    answer_snapshots(fx)
    errors = StreamErrors()
    creds = Credentials('u', api_secret='s')
    async with asyncio.timeout(10), SpotClient(creds, stream_retry_policy=fast_retries, **fx.client_kwargs()) as spot:
        spot.handler(errors)
        await spot.subscribe(SubType.USER)
        await fx.drop_connections('ws_api')
        await until(lambda: errors.of('gap'))
    assert 'userDataSnapshot' in errors.errors[0].hint
    assert fx.requests_for('openOrders.status') == [] and fx.requests_for('account.status') == []


async def test_a_failed_snapshot_fetch_is_reported_and_user_data_goes_on(fx):
    fx.add_key('u', secret='s')
    answer_snapshots(fx)
    fx.fail_next('account.status', -1001, 'Internal error; unable to process your request. Please try again.')
    errors, balances, snapshots = StreamErrors(), Balances(), Snapshots()
    creds = Credentials('u', api_secret='s')
    async with asyncio.timeout(10), SpotClient(creds, stream_retry_policy=fast_retries, **fx.client_kwargs()) as spot:
        spot.handler(errors, balances, snapshots)
        await spot.subscribe(SubType.USER)
        await fx.drop_connections('ws_api')
        await until(lambda: errors.of('reconcile'))
        await fx.push_user_event(balance(1))
        await until(lambda: balances.seen == ['1.0'])
    assert [e.phase for e in errors.errors] == ['gap', 'reconcile']
    failed = errors.of('reconcile')[0]
    assert (failed.stream, failed.recovering) == ('user', False)
    assert snapshots.seen == []


def test_the_snapshot_rows_weigh_what_the_endpoint_rows_say():
    by_method = {row.call.method: row for row in ENDPOINTS if hasattr(row.call, 'method')}
    assert [key for key, _, _ in USER_DATA.snapshot] == ['openOrders', 'account']
    for _, method, weight in USER_DATA.snapshot:
        row = by_method[method]
        assert row.security.name == 'USER_DATA' and not row.required
        assert (row.weight({}) if callable(row.weight) else row.weight) == weight


# -- from review: ordering and confirmation guarantees ----------------------------------------------------------


async def test_subscribing_a_stream_again_during_an_outage_returns_only_once_it_flows_again(fx):
    """A stream already known but down (not yet replayed) is waited for: a book confirmed by that subscribe must
    not be ready on a snapshot while the connection that would tell it of changes is not up."""
    state = {'uid': 1000, 'qty': '1'}
    fx.set_response(
        'depth', lambda req: {'lastUpdateId': state['uid'], 'bids': [['10', state['qty']]], 'asks': [['11', '1']]}
    )
    handler = OrderBookHandlerBase(limit=100)
    async with (
        asyncio.timeout(10),
        SpotClient(stream_retry_policy=lambda info: (False, 0.3), **fx.client_kwargs()) as spot,
    ):
        spot.handler(handler)
        await spot.subscribe(SubType.ORDER_BOOK, 'BTCUSDT')
        book = handler.orderbook('BTCUSDT')
        await book.updated()
        assert book.last_update_id == 1000
        await fx.drop_connections('stream')
        await until(lambda: not book.ready)
        state.update(uid=1001, qty='3')  # the market moves while the stream is down
        await spot.subscribe(SubType.ORDER_BOOK, 'BTCUSDT')  # returns once the replay is acknowledged
        assert fx.stream_connections == 2 and 'btcusdt@depth' in fx.subscriptions()
        await book.updated()
        assert book.last_update_id == 1001 and book.bids == [[10, 3]]


async def test_events_received_while_the_snapshot_is_fetched_follow_it(fx):
    """The snapshot is delivered before any event that arrived while it was being fetched: a fill reported
    meanwhile is never overwritten by an older snapshot that still shows the order open."""
    from binance import OrderUpdateHandlerBase

    fx.add_key('u', secret='s')
    fx.set_response('openOrders.status', [{'orderId': 7, 'status': 'NEW'}])
    fx.set_response('account.status', SNAPSHOT_ACCOUNT)
    seen = []

    class Orders(OrderUpdateHandlerBase):
        def receive(self, payload):
            seen.append(('executionReport', payload['i'], payload['X']))

    class Snaps(UserDataSnapshotHandlerBase):
        def receive(self, payload):
            seen.append(('snapshot', [o['orderId'] for o in payload['openOrders']]))

    filled = {'e': 'executionReport', 'E': 1, 's': 'BTCUSDT', 'i': 7, 'X': 'FILLED', 'x': 'TRADE'}
    creds = Credentials('u', api_secret='s')
    async with asyncio.timeout(10), SpotClient(creds, stream_retry_policy=fast_retries, **fx.client_kwargs()) as spot:
        spot.handler(Orders(), Snaps())
        await spot.subscribe(SubType.USER)
        fx.delay_next('account.status', 0.3)  # the fill lands while the snapshot is being fetched
        await fx.drop_connections('ws_api')
        await until(lambda: len(fx.requests_for('account.status')) == 1)
        await fx.push_user_event(filled)
        await until(lambda: len(seen) == 2)
    assert seen == [('snapshot', [7]), ('executionReport', 7, 'FILLED')]


async def test_a_logout_gap_is_reported_and_a_signed_subscription_is_left_alone(fx):
    """An Ed25519 session's subscription ends with the logout: the flow resubscribes and reports the gap. An
    HMAC client's subscription is signed, untouched by a logout: nothing is resubscribed, nothing reported."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    key = ed25519.Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    fx.add_key('ed', public_key_pem=public)
    fx.add_key('h', secret='s')
    errors = StreamErrors()
    async with asyncio.timeout(10), SpotClient(Credentials('ed', private_key=pem), **fx.client_kwargs()) as spot:
        spot.handler(errors)
        await spot.subscribe(SubType.USER)
        await spot.session_logout()
        await until(lambda: errors.of('gap'))
    assert [e.stream for e in errors.of('gap')] == ['user'] and errors.of('resubscribe') == []
    hmac_errors = StreamErrors()
    async with asyncio.timeout(10), SpotClient(Credentials('h', api_secret='s'), **fx.client_kwargs()) as spot:
        spot.handler(hmac_errors)
        await spot.subscribe(SubType.USER)
        await spot.session_logout()
        await spot.ping()  # anything the logout set off has had its turn
        await asyncio.sleep(0.05)
    assert hmac_errors.errors == []
    assert len(fx.requests_for('userDataStream.subscribe.signature')) == 2  # the Ed25519 resubscribe and HMAC's
