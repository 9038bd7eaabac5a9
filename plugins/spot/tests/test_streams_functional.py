"""SpotClient streams against the loopback fake exchange: subscribe forms, delivery as
DataFrames, reconnect and replay, serverShutdown, ping on silence, retry policy, error
handlers, user data over the WS-API (also after a reconnect), and back-pressure."""

import asyncio

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from binance import (
    AccountPositionHandlerBase,
    BalanceUpdateHandlerBase,
    Credentials,
    EventStreamTerminatedHandlerBase,
    ExternalLockUpdateHandlerBase,
    HandlerExceptionHandlerBase,
    KlineHandlerBase,
    OrderListStatusHandlerBase,
    OrderUpdateHandlerBase,
    SpotClient,
    StreamAbandonedException,
    StreamErrorHandlerBase,
    SubType,
    TimeFrame,
    TooManyStreamsException,
    TradeHandlerBase,
    UnsupportedSubTypeException,
)
from binance_testing import FakeExchange

TRADE = {
    'e': 'trade',
    'E': 1672515782136,
    's': 'BNBBTC',
    't': 12345,
    'p': '0.001',
    'q': '100',
    'T': 1672515782136,
    'm': True,
    'M': True,
}


def trade(i):
    return {**TRADE, 't': i, 'p': f'{i}.5'}


@pytest.fixture
async def fx():
    async with FakeExchange('spot') as exchange:
        yield exchange


class Collect(TradeHandlerBase):
    def __init__(self):
        self.frames = []
        self.payloads = []
        self.arrived = asyncio.Event()
        self.want = 1

    def receive(self, payload):
        self.payloads.append(payload)
        self.frames.append(super().receive(payload))
        if len(self.payloads) >= self.want:
            self.arrived.set()

    async def wait_for(self, n, timeout=5):
        self.want = n
        if len(self.payloads) < n:
            self.arrived.clear()
            async with asyncio.timeout(timeout):
                await self.arrived.wait()


async def until(predicate, timeout=5):
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


class Policy:
    """A retry policy that records what it is told."""

    def __init__(self, abandon_after=None, delay=0.01):
        self.calls = []
        self.abandon_after = abandon_after
        self.delay = delay

    def __call__(self, info):
        self.calls.append((info.fails, info.exception))
        return (self.abandon_after is not None and info.fails >= self.abandon_after), self.delay


async def test_trade_frames_reach_the_handler_as_dataframes(fx):
    handler = Collect()
    async with SpotClient(**fx.client_kwargs()) as spot:
        spot.handler(handler)
        await spot.subscribe(SubType.TRADE, 'BNB_BTC')
        assert fx.subscriptions() == {'bnbbtc@trade'}
        await fx.push('bnbbtc@trade', TRADE)
        await handler.wait_for(1)
    df = handler.frames[0]
    assert df['price'][0] == 0.001 and df['quantity'][0] == 100.0
    assert handler.payloads[0]['p'] == '0.001'  # the raw payload keeps Binance's decimal string


async def test_every_subscribe_form_reaches_the_fake(fx):
    async with SpotClient(**fx.client_kwargs()) as spot:
        await spot.subscribe(SubType.KLINE, 'BTCUSDT', TimeFrame.m1)
        await spot.subscribe(
            (SubType.KLINE_UTC8, 'BTC_USDT', TimeFrame.D1),
            (SubType.TICKER, 'BNBUSDT'),
            ([SubType.ORDER_BOOK, SubType.TRADE], ['BNBUSDT', 'BTCUSDT']),
            (SubType.ALL_MARKET_MINI_TICKERS,),
            (SubType.PARTIAL_ORDER_BOOK, 'BNBUSDT', 20, 100),
            (SubType.ALL_MARKET_WINDOW_TICKERS, TimeFrame.H4),
        )
        assert fx.subscriptions() == {
            'btcusdt@kline_1m',
            'btcusdt@kline_1d@+08:00',
            'bnbusdt@ticker',
            'bnbusdt@depth',
            'btcusdt@depth',
            'bnbusdt@trade',
            'btcusdt@trade',
            '!miniTicker@arr',
            'bnbusdt@depth20@100ms',
            '!ticker_4h@arr',
        }
        await spot.unsubscribe(SubType.TICKER, 'BNBUSDT')
        assert 'bnbusdt@ticker' not in fx.subscriptions()
        with pytest.raises(UnsupportedSubTypeException):
            await spot.subscribe(SubType.ALL_MARKET_TICKERS)
    assert fx.stream_connections == 1


async def test_more_than_1024_streams_raise_before_sending(fx):
    async with SpotClient(**fx.client_kwargs()) as spot:
        symbols = [f'S{i}USDT' for i in range(1025)]
        with pytest.raises(TooManyStreamsException) as info:
            await spot.subscribe([SubType.TRADE], symbols)
    assert (info.value.requested, info.value.limit) == (1025, 1024)
    assert fx.subscriptions() == set()


async def test_reconnect_replays_subscriptions_after_a_drop(fx):
    handler = Collect()
    policy = Policy()
    async with SpotClient(stream_retry_policy=policy, **fx.client_kwargs()) as spot:
        spot.handler(handler)
        await spot.subscribe([SubType.TRADE, SubType.AGG_TRADE], ['BNBBTC', 'ETHBTC'])
        await fx.drop_connections('stream')
        await until(
            lambda: (
                fx.subscriptions() == {'bnbbtc@trade', 'ethbtc@trade', 'bnbbtc@aggTrade', 'ethbtc@aggTrade'}
                and fx.stream_connections == 2
            )
        )
        await fx.push('bnbbtc@trade', TRADE)
        await handler.wait_for(1)
    assert [fails for fails, _ in policy.calls] == [1]


async def test_server_shutdown_hands_over_at_once_without_loss_duplicates_or_the_retry_policy(fx):
    ids = []

    class Ids(TradeHandlerBase):
        def receive(self, payload):
            ids.append(payload['t'])

    policy = Policy(delay=30)  # a policy delay would make this test time out
    n = 600
    async with SpotClient(stream_retry_policy=policy, **fx.client_kwargs()) as spot:
        spot.handler(Ids())
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        for i in range(n):
            if i == 100:
                await fx.stream_server_shutdown()  # the old connection stays open until we leave it
            await fx.push('bnbbtc@trade', trade(i))  # both connections carry frames during the overlap
            await asyncio.sleep(0.0005)
        await until(lambda: len(ids) >= n)
        await asyncio.sleep(0.05)  # a duplicate would arrive now
        stats = spot._streams.connections[None].stats
        assert fx.subscriptions() == {'bnbbtc@trade'}
    assert ids == list(range(n)), str(ids[95:130])
    assert stats['handovers'] == 1 and fx.stream_connections == 2
    assert policy.calls == []


async def test_silence_triggers_a_ping_and_an_unanswered_ping_a_reconnect(fx):
    policy = Policy()
    async with SpotClient(stream_timeout=0.2, stream_retry_policy=policy, **fx.client_kwargs()) as spot:
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        await until(lambda: fx.stream_pings_received >= 1)  # answered: the connection stays
        assert fx.stream_connections == 1
        fx.silent = True
        await until(lambda: len(policy.calls) >= 1)
        fx.silent = False
        await until(lambda: fx.stream_connections == 2 and fx.subscriptions() == {'bnbbtc@trade'})
    assert 'pong' in str(policy.calls[0][1])


async def test_retry_policy_sees_growing_fails_and_abandoning_surfaces(fx):
    seen = []

    class Errors(HandlerExceptionHandlerBase):
        def receive(self, exception):
            seen.append(exception)

    policy = Policy(abandon_after=3)
    spot = SpotClient(stream_retry_policy=policy, **fx.client_kwargs())
    spot.handler(Errors())
    await spot.subscribe(SubType.TRADE, 'BNBBTC')
    await fx.close()  # the exchange goes away: every reconnect attempt fails
    await until(lambda: len(seen) == 1)
    assert [fails for fails, _ in policy.calls] == [1, 2, 3]
    assert isinstance(seen[0], StreamAbandonedException) and seen[0].fails == 3
    with pytest.raises(StreamAbandonedException):
        await spot.subscribe(SubType.TRADE, 'ETHBTC')
    await spot.close()


async def test_handler_exception_reaches_exception_handlers_and_the_stream_keeps_running(fx):
    errors = []

    class Flaky(TradeHandlerBase):
        def __init__(self):
            self.ok = []

        def receive(self, payload):
            if payload['t'] == 1:
                raise RuntimeError('this will ruin my day')
            self.ok.append(payload['t'])

    class Errors(HandlerExceptionHandlerBase):
        async def receive(self, exception):
            errors.append(exception)

    flaky = Flaky()
    async with SpotClient(**fx.client_kwargs()) as spot:
        spot.handler(flaky, Errors())
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        for i in range(3):
            await fx.push('bnbbtc@trade', trade(i))
        await until(lambda: flaky.ok == [0, 2])
    assert [str(e) for e in errors] == ['this will ruin my day']


async def test_replay_failure_reaches_stream_error_handlers_and_recovers(fx):
    errors = []

    class StreamErrors(StreamErrorHandlerBase):
        def receive(self, error):
            if error.phase != 'gap':  # the drop's gap is reported too (test_a_dropped_stream_reports_its_gap)
                errors.append(error)

    async with SpotClient(stream_retry_policy=Policy(), **fx.client_kwargs()) as spot:
        spot.handler(StreamErrors())
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        fx.fail_next_subscribe(3, 'Invalid JSON: expected value at line 1 column 1')
        await fx.drop_connections('stream')
        await until(lambda: len(errors) == 1 and fx.subscriptions() == {'bnbbtc@trade'})
    e = errors[0]
    assert (e.stream, e.phase, e.recovering) == ('data', 'resubscribe', True)
    assert e.exception.code == 3


async def test_kline_columns(fx):
    frames = []

    class Klines(KlineHandlerBase):
        def receive(self, payload):
            frames.append(super().receive(payload))

    kline = {
        'e': 'kline',
        'E': 1672515782136,
        's': 'BNBBTC',
        'k': {
            't': 1672515780000,
            'T': 1672515839999,
            's': 'BNBBTC',
            'i': '1m',
            'f': 100,
            'L': 200,
            'o': '0.0010',
            'c': '0.0020',
            'h': '0.0025',
            'l': '0.0015',
            'v': '1000',
            'n': 100,
            'x': False,
            'q': '1.0000',
            'V': '500',
            'Q': '0.500',
            'B': '123456',
        },
    }
    async with SpotClient(**fx.client_kwargs()) as spot:
        spot.handler(Klines())
        await spot.subscribe(SubType.KLINE, 'BNBBTC', '1m')
        await fx.push('bnbbtc@kline_1m', kline)
        await until(lambda: frames)
    df = frames[0]
    assert df['close'][0] == 0.002 and df['open_time'][0] == 1672515780000
    assert bool(df['is_closed'][0]) is False


# -- user data ---------------------------------------------------------------------------------------

USER_EVENTS = {
    AccountPositionHandlerBase: {
        'e': 'outboundAccountPosition',
        'E': 1564034571105,
        'u': 1564034571073,
        'B': [{'a': 'ETH', 'f': '10000.000000', 'l': '0.000000'}],
    },
    BalanceUpdateHandlerBase: {
        'e': 'balanceUpdate',
        'E': 1573200697110,
        'a': 'BTC',
        'd': '100.00000000',
        'T': 1573200697068,
    },
    OrderUpdateHandlerBase: {
        'e': 'executionReport',
        'E': 1499405658658,
        's': 'ETHBTC',
        'c': 'mUvoqJxFIILMdfAW5iGSOW',
        'S': 'BUY',
        'o': 'LIMIT',
        'f': 'GTC',
        'q': '1.00000000',
        'p': '0.10264410',
        'P': '0.00000000',
        'F': '0.00000000',
        'g': -1,
        'C': '',
        'x': 'NEW',
        'X': 'NEW',
        'r': 'NONE',
        'i': 4293153,
        'l': '0.00000000',
        'z': '0.00000000',
        'L': '0.00000000',
        'n': '0',
        'N': None,
        'T': 1499405658657,
        't': -1,
        'v': 3,
        'I': 8641984,
        'w': True,
        'm': False,
        'M': False,
        'O': 1499405658657,
        'Z': '0.00000000',
        'Y': '0.00000000',
        'Q': '0.00000000',
        'W': 1499405658657,
        'V': 'NONE',
    },
    OrderListStatusHandlerBase: {
        'e': 'listStatus',
        'E': 1564035303637,
        's': 'ETHBTC',
        'g': 2,
        'c': 'OCO',
        'l': 'EXEC_STARTED',
        'L': 'EXECUTING',
        'r': 'NONE',
        'C': 'F4QN4G8DlFATFlIUQ0cjdD',
        'T': 1564035303625,
        'O': [{'s': 'ETHBTC', 'i': 17, 'c': 'AJYsMjErWJesZvqlJCTUgL'}],
    },
    ExternalLockUpdateHandlerBase: {
        'e': 'externalLockUpdate',
        'E': 1581557507324,
        'a': 'NEO',
        'd': '10.00000000',
        'T': 1581557507268,
    },
    EventStreamTerminatedHandlerBase: {'e': 'eventStreamTerminated', 'E': 1728973001334},
}


def _collectors():
    got = {}

    def make(base):
        class C(base):
            def receive(self, payload):
                got.setdefault(base, []).append(payload['e'])
                super().receive(payload)

        return C()

    return got, [make(base) for base in USER_EVENTS]


@pytest.mark.parametrize('kind', ['ed25519', 'hmac'])
async def test_user_data_reaches_every_user_handler_base_also_after_a_reconnect(fx, kind):
    if kind == 'ed25519':
        key = ed25519.Ed25519PrivateKey.generate()
        fx.add_key(
            'u',
            public_key_pem=key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            ),
        )
        creds = Credentials(
            'u',
            private_key=key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ),
        )
        wire = 'userDataStream.subscribe'
    else:
        fx.add_key('u', secret='s')
        creds = Credentials('u', api_secret='s')
        wire = 'userDataStream.subscribe.signature'
    got, handlers = _collectors()
    async with SpotClient(creds, stream_retry_policy=Policy(), **fx.client_kwargs()) as spot:
        spot.handler(*handlers)
        await spot.subscribe(SubType.USER)
        assert len(fx.requests_for(wire)) == 1
        for event in USER_EVENTS.values():
            await fx.push_user_event(event)
        await until(lambda: len(got) == len(USER_EVENTS))
        got.clear()
        await fx.drop_connections('ws_api')
        await until(lambda: len(fx.requests_for(wire)) == 2)
        for event in USER_EVENTS.values():
            await fx.push_user_event(event)
        await until(lambda: len(got) == len(USER_EVENTS))
    assert {base: names for base, names in got.items()} == {b: [e['e']] for b, e in USER_EVENTS.items()}
    if kind == 'ed25519':
        assert len(fx.requests_for('session.logon')) == 2


async def test_user_logon_failure_after_reconnect_reaches_stream_error_handlers(fx):
    errors = []

    class StreamErrors(StreamErrorHandlerBase):
        def receive(self, error):
            errors.append(error)

    fx.add_key('u', secret='s')
    async with SpotClient(Credentials('u', api_secret='s'), stream_retry_policy=Policy(), **fx.client_kwargs()) as spot:
        spot.handler(StreamErrors())
        await spot.subscribe(SubType.USER)
        fx.fail_next('userDataStream.subscribe.signature', -2015, 'Invalid API-key, IP, or permissions for action.')
        await fx.drop_connections('ws_api')
        await until(lambda: len(fx.requests_for('userDataStream.subscribe.signature')) == 3 and len(errors) == 2)
    # The failed attempt, then, once subscribed again, the gap the drop left.
    assert [(e.stream, e.phase, e.recovering) for e in errors] == [('user', 'resubscribe', True), ('user', 'gap', True)]
    assert errors[0].exception.code == -2015


# -- back-pressure -----------------------------------------------------------------------------------


async def test_burst_of_50000_frames_to_a_slow_handler_arrives_complete_in_order_without_reconnect(fx):
    class Slow(TradeHandlerBase):
        def __init__(self):
            self.ids = []

        async def receive(self, payload):
            self.ids.append(payload['t'])
            if len(self.ids) % 500 == 0:
                await asyncio.sleep(0.005)  # slower than the feed

    slow = Slow()
    n = 50_000
    async with SpotClient(**fx.client_kwargs()) as spot:
        spot.handler(slow)
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        async with asyncio.timeout(60):
            await fx.push_many('bnbbtc@trade', (trade(i) for i in range(n)))
        await until(lambda: len(slow.ids) == n, timeout=60)
        stats = spot._streams.connections[None].stats
    assert slow.ids == list(range(n))
    assert fx.stream_connections == 1 and stats['connects'] == 1
    assert stats['backpressure'] >= 1  # the handler fell behind, was reported, and lost nothing


# Every Spot SubType -> the stream Binance names it (web-socket-streams.md), written by hand.
WIRE = [
    ((SubType.KLINE, 'BNB_USDT', TimeFrame.m1), 'bnbusdt@kline_1m'),
    ((SubType.KLINE_UTC8, 'BNBUSDT', '1h'), 'bnbusdt@kline_1h@+08:00'),
    ((SubType.TRADE, 'BNBUSDT'), 'bnbusdt@trade'),
    ((SubType.AGG_TRADE, 'BNBUSDT'), 'bnbusdt@aggTrade'),
    ((SubType.BLOCK_TRADE, 'BNBUSDT'), 'bnbusdt@blockTrade'),
    ((SubType.REFERENCE_PRICE, 'BNBUSDT'), 'bnbusdt@referencePrice'),
    ((SubType.BOOK_TICKER, 'BNBUSDT'), 'bnbusdt@bookTicker'),
    ((SubType.AVG_PRICE, 'BNBUSDT'), 'bnbusdt@avgPrice'),
    ((SubType.MINI_TICKER, 'BNBUSDT'), 'bnbusdt@miniTicker'),
    ((SubType.TICKER, 'BNBUSDT'), 'bnbusdt@ticker'),
    ((SubType.ORDER_BOOK, 'BNBUSDT'), 'bnbusdt@depth'),
    ((SubType.ORDER_BOOK, 'BNBUSDT', 100), 'bnbusdt@depth@100ms'),
    ((SubType.PARTIAL_ORDER_BOOK, 'BNBUSDT', 5), 'bnbusdt@depth5'),
    ((SubType.PARTIAL_ORDER_BOOK, 'BNBUSDT', 10, 100), 'bnbusdt@depth10@100ms'),
    ((SubType.WINDOW_TICKER, 'BNBUSDT'), 'bnbusdt@ticker_1h'),
    ((SubType.WINDOW_TICKER, 'BNBUSDT', TimeFrame.D1), 'bnbusdt@ticker_1d'),
    ((SubType.ALL_MARKET_WINDOW_TICKERS, TimeFrame.H4), '!ticker_4h@arr'),
    ((SubType.ALL_MARKET_MINI_TICKERS,), '!miniTicker@arr'),
]


@pytest.mark.parametrize(('args', 'wire'), WIRE, ids=[w for _, w in WIRE])
async def test_each_spot_sub_type_subscribes_its_wire_name_at_the_fake(fx, args, wire):
    async with SpotClient(**fx.client_kwargs()) as spot:
        await spot.subscribe(*args)
        assert fx.subscriptions() == {wire}
        [control] = [r for r in fx.requests if r.method == 'SUBSCRIBE']
        assert control.params == [wire]


@pytest.mark.parametrize(
    ('args', 'error'),
    [
        ((SubType.PARTIAL_ORDER_BOOK, 'BNBUSDT', 15), 'InvalidSubTypeParamException'),
        ((SubType.ORDER_BOOK, 'BNBUSDT', 250), 'InvalidSubTypeParamException'),
        ((SubType.KLINE, 'BNBUSDT', '7m'), 'InvalidSubTypeParamException'),
        ((SubType.WINDOW_TICKER, 'BNBUSDT', TimeFrame.m5), 'InvalidSubTypeParamException'),
        ((SubType.KLINE, 'BNBUSDT'), 'InvalidSubParamsException'),
        ((SubType.ALL_MARKET_MINI_TICKERS, 'BNBUSDT'), 'InvalidSubParamsException'),
        ((SubType.ALL_MARKET_TICKERS,), 'UnsupportedSubTypeException'),
        ((SubType.ALL_MARKET_BOOK_TICKER,), 'UnsupportedSubTypeException'),
    ],
)
async def test_bad_params_are_refused_before_anything_is_sent(fx, args, error):
    import binance

    async with SpotClient(**fx.client_kwargs()) as spot:
        with pytest.raises(getattr(binance, error)) as info:
            await spot.subscribe(*args)
    assert type(info.value).__name__ == error
    assert fx.requests == [] and fx.stream_connections == 0


async def test_ws_api_server_shutdown_hands_user_data_over_without_loss_or_duplicates(fx):
    fx.add_key('u', secret='s')
    got = []

    class Balances(BalanceUpdateHandlerBase):
        def receive(self, payload):
            got.append(payload['d'])

    def event(n):
        return {'e': 'balanceUpdate', 'E': 1573200697110 + n, 'a': 'BTC', 'd': f'{n}.0', 'T': 1573200697068}

    async with SpotClient(Credentials('u', api_secret='s'), **fx.client_kwargs()) as spot:
        spot.handler(Balances())
        await spot.subscribe(SubType.USER)
        flow = spot._streams._user_flow
        fx.delay_next('userDataStream.subscribe.signature', 0.3)  # the handover takes a while
        await fx.ws_api_server_shutdown()
        await until(lambda: len(fx.requests_for('userDataStream.subscribe.signature')) == 2)
        await fx.push_user_event(event(1))  # during the handover
        await until(lambda: flow._next is None and fx.ws_api_connections == 2)
        await fx.push_user_event(event(2))  # after it
        await until(lambda: len(got) >= 2)
        await asyncio.sleep(0.05)  # a duplicate would arrive now
    assert got == ['1.0', '2.0']
