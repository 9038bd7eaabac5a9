"""One error tree at the edge: what aiohttp, the socket or ``json`` raise reaches users as the SDK's exceptions
(original kept as ``__cause__``), for refused connections, TLS, handshakes, timeouts and malformed replies.
Every server is a real aiohttp server on 127.0.0.1 (or a port nobody listens on)."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from binance import (
    BinanceSDKException,
    ConnectionFailedException,
    Credentials,
    MalformedResponseException,
    RequestTimeoutException,
    SpotClient,
    StreamAbandonedException,
    TransportException,
    UnknownOutcomeException,
)
from binance_core import REST, Endpoint, Hosts, MarketSpec, SecurityType, hookimpl
from binance_core.assembly import assemble
from binance_core.plugins import make_plugin_manager
from binance_core.transport.retry import RetryInfo

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def closed_port() -> int:
    """A loopback port with nobody listening (bound, then released)."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return int(s.getsockname()[1])


def loopback(**hosts: str) -> dict[str, str]:
    """Client host kwargs: the given ones, every other host a loopback port nobody listens on."""
    dead = f'127.0.0.1:{closed_port()}'
    return {
        'rest_host': f'http://{dead}',
        'ws_api_host': f'ws://{dead}/ws-api/v3',
        'stream_host': f'ws://{dead}',
        **hosts,
    }


class RestToy:
    """A market whose orders go over REST, to show what an order's transport failure becomes."""

    SPEC = MarketSpec(
        name='resttoy',
        client_name='RestToyClient',
        distribution='binance-market-resttoy',
        hosts={'live': Hosts(rest='http://127.0.0.1:1', stream='ws://127.0.0.1:1')},
    )

    @hookimpl
    def binance_markets(self) -> Any:
        return (self.SPEC,)

    @hookimpl
    def binance_endpoints(self, market: MarketSpec) -> Any:
        return (
            Endpoint(name='get_server_time', call=REST('GET', '/api/v3/time'), security=SecurityType.NONE),
            Endpoint(
                name='create_order',
                call=REST('POST', '/api/v3/order'),
                security=SecurityType.TRADE,
                orders=1,
                client_order_id='newClientOrderId',
            ),
            # A modify as futures send it (PUT /fapi/v1/order): PUT is what aiohttp would silently resend.
            Endpoint(
                name='modify_order',
                call=REST('PUT', '/api/v3/order'),
                security=SecurityType.TRADE,
                orders=1,
                client_order_id='origClientOrderId',
            ),
        )


RestToyClient = assemble(make_plugin_manager([RestToy()], load_entry_points=False)).clients['RestToyClient']


async def server_time(request: web.Request) -> web.Response:
    return web.json_response({'serverTime': int(time.time() * 1000)})


@pytest.fixture
async def serve() -> AsyncIterator[Callable[..., Awaitable[str]]]:
    """``base = await serve({'/path': handler, ...})``: a real HTTP server on 127.0.0.1; returns its base URL."""
    runners: list[web.AppRunner] = []

    async def start(routes: dict[str, Handler]) -> str:
        app = web.Application()
        for path, handler in routes.items():
            app.router.add_route('*', path, handler)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, '127.0.0.1', 0)
        await site.start()
        runners.append(runner)
        port = runner.addresses[0][1]
        return f'127.0.0.1:{port}'

    yield start
    for runner in runners:
        await runner.cleanup()


def assert_translated(exc: BaseException, kind: type, cause: type) -> None:
    assert isinstance(exc, kind) and isinstance(exc, BinanceSDKException)
    assert isinstance(exc.__cause__, cause), repr(exc.__cause__)
    assert not isinstance(exc, aiohttp.ClientError)


async def test_connection_refused_is_connection_failed_on_rest_and_ws_api() -> None:
    async with SpotClient(**loopback()) as spot:
        async with asyncio.timeout(5):
            with pytest.raises(ConnectionFailedException) as rest:
                await spot.get('/api/v3/ping')
            with pytest.raises(ConnectionFailedException) as ws:
                await spot.ping()
    assert_translated(rest.value, ConnectionError, aiohttp.ClientConnectorError)
    assert_translated(ws.value, ConnectionError, aiohttp.ClientConnectorError)
    assert 'nothing was sent' in str(rest.value)


async def test_an_order_that_never_left_is_connection_failed_not_unknown() -> None:
    """Refused before a byte was sent: the order is known not to exist, so it is no unknown outcome."""
    app = web.Application()
    app.router.add_get('/api/v3/time', server_time)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, '127.0.0.1', 0)
    await site.start()
    base = f'127.0.0.1:{runner.addresses[0][1]}'
    # Connection: close, so that the order opens a new connection instead of reusing the time call's.
    no_reuse = {'headers': {'Connection': 'close'}}
    async with RestToyClient(
        Credentials('k', api_secret='s'), **loopback(rest_host=f'http://{base}'), request_params=no_reuse
    ) as toy:
        async with asyncio.timeout(5):
            await toy.clock.sync()
            await runner.cleanup()  # the exchange goes away: the next connection is refused
            with pytest.raises(ConnectionFailedException):
                await toy.create_order(symbol='BTCUSDT')


async def test_tls_to_a_plain_server_fails_clearly(serve: Any) -> None:
    async def ok(request: web.Request) -> web.Response:
        return web.json_response({})

    base = await serve({'/api/v3/ping': ok})
    async with SpotClient(**loopback(rest_host=f'https://{base}')) as spot:
        with pytest.raises(ConnectionFailedException, match='TLS') as info:
            async with asyncio.timeout(5):
                await spot.get('/api/v3/ping')
    assert_translated(info.value, ConnectionError, aiohttp.ClientError)


async def test_a_refused_websocket_handshake_carries_the_status(serve: Any) -> None:
    async def forbidden(request: web.Request) -> web.Response:
        return web.Response(status=403, text='forbidden')

    base = await serve({'/ws-api/v3': forbidden})
    async with SpotClient(**loopback(ws_api_host=f'ws://{base}/ws-api/v3')) as spot:
        with pytest.raises(ConnectionFailedException) as info:
            async with asyncio.timeout(5):
                await spot.ping()
    assert info.value.status == 403
    assert_translated(info.value, ConnectionError, aiohttp.WSServerHandshakeError)


async def test_a_slow_rest_reply_is_a_request_timeout(serve: Any) -> None:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.json_response({})

    base = await serve({'/api/v3/ping': slow})
    async with SpotClient(**loopback(rest_host=f'http://{base}'), request_timeout=0.2) as spot:
        with pytest.raises(RequestTimeoutException) as info:
            async with asyncio.timeout(5):
                await spot.get('/api/v3/ping')
    assert isinstance(info.value, TimeoutError)
    assert isinstance(info.value.__cause__, TimeoutError)


async def test_a_reply_that_is_not_json(serve: Any) -> None:
    async def html(request: web.Request) -> web.Response:
        return web.Response(text='<html>maintenance</html>', content_type='text/html')

    base = await serve({'/api/v3/time': server_time, '/api/v3/ping': html, '/api/v3/order': html})
    async with RestToyClient(Credentials('k', api_secret='s'), rest_host=f'http://{base}') as toy:
        async with asyncio.timeout(5):
            with pytest.raises(MalformedResponseException) as info:
                await toy.get('/api/v3/ping')
            # An order answered 200 with a body nobody can read may have been executed: unknown outcome.
            with pytest.raises(UnknownOutcomeException) as order:
                await toy.create_order(symbol='BTCUSDT')
    assert isinstance(info.value, ValueError) and info.value.status == 200
    assert 'maintenance' in info.value.body
    assert isinstance(info.value.__cause__, json.JSONDecodeError)
    assert order.value.client_order_id is not None


async def test_ws_api_junk_frames_are_skipped_and_requests_in_flight_continue(serve: Any) -> None:
    async def ws_api(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for msg in ws:
            rid = json.loads(msg.data)['id']
            for junk in ('not json', '[1,2]', '"text"', '42', 'null'):
                await ws.send_str(junk)
            await ws.send_str(json.dumps({'id': rid, 'status': 200, 'result': {}}))
        return ws

    base = await serve({'/ws-api/v3': ws_api})
    async with SpotClient(**loopback(ws_api_host=f'ws://{base}/ws-api/v3')) as spot:
        async with asyncio.timeout(5):
            assert await spot.ping() == {}
            assert await spot.ping() == {}
        assert spot._ws_api is not None
        assert spot._ws_api.connections == 1 and spot._ws_api.malformed == 10


async def test_the_stream_retry_policy_sees_sdk_exceptions() -> None:
    seen: list[BaseException | None] = []

    def give_up(info: RetryInfo) -> tuple[bool, float]:
        seen.append(info.exception)
        return True, 0.0

    async with SpotClient(**loopback(), stream_retry_policy=give_up) as spot:
        with pytest.raises(StreamAbandonedException) as info:
            async with asyncio.timeout(5):
                await spot.subscribe(spot.SubType.TRADE, 'BTCUSDT')
    assert [type(e) for e in seen] == [ConnectionFailedException]
    assert isinstance(info.value.__cause__, TransportException)


class KeepAliveThenDrop:
    """A raw HTTP/1.1 server on 127.0.0.1: answers ``GET /api/v3/time`` on a kept-alive connection, reads any
    other request and closes the connection without an answer, as a server that dies mid-request does."""

    def __init__(self) -> None:
        self.received: list[str] = []
        self.server: asyncio.Server | None = None

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b'\r\n\r\n')
                lines = head.decode().split('\r\n')
                length = next(
                    (int(v) for k, _, v in (x.partition(': ') for x in lines) if k.lower() == 'content-length'), 0
                )
                await reader.readexactly(length)
                self.received.append(lines[0].split(' ')[0] + ' ' + lines[0].split(' ')[1].partition('?')[0])
                if lines[0].startswith('GET /api/v3/time'):
                    body = json.dumps({'serverTime': int(time.time() * 1000)}).encode()
                    writer.write(
                        b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n' % len(body)
                        + body
                    )
                    await writer.drain()
                    continue
                break  # the request arrived; the answer never comes
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()

    async def __aenter__(self) -> str:
        self.server = await asyncio.start_server(self.handle, '127.0.0.1', 0)
        return f'127.0.0.1:{self.server.sockets[0].getsockname()[1]}'

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()


async def test_an_order_whose_kept_alive_connection_drops_is_sent_once_and_unknown() -> None:
    """aiohttp would resend a PUT on a fresh connection after a kept-alive one dropped; a modify or cancel
    that may have executed must not go out twice, and its outcome is unknown."""
    server = KeepAliveThenDrop()
    async with server as base:
        async with RestToyClient(Credentials('k', api_secret='s'), **loopback(rest_host=f'http://{base}')) as toy:
            async with asyncio.timeout(5):
                await toy.clock.sync()  # leaves a kept-alive connection in the pool
                with pytest.raises(UnknownOutcomeException) as info:
                    await toy.modify_order(symbol='BTCUSDT', origClientOrderId='my-order')
                # Any call that changes state through the escape hatch is treated the same way.
                with pytest.raises(UnknownOutcomeException):
                    await toy.delete('/api/v3/openOrders', SecurityType.TRADE, symbol='BTCUSDT')
    assert info.value.client_order_id == 'my-order'
    assert server.received.count('PUT /api/v3/order') == 1
    assert server.received.count('DELETE /api/v3/openOrders') == 1


async def test_a_time_reply_without_server_time_is_malformed(serve: Any) -> None:
    async def empty(request: web.Request) -> web.Response:
        return web.json_response({})

    base = await serve({'/api/v3/time': empty})
    async with RestToyClient(Credentials('k', api_secret='s'), **loopback(rest_host=f'http://{base}')) as toy:
        with pytest.raises(MalformedResponseException, match='serverTime'):
            async with asyncio.timeout(5):
                await toy.create_order(symbol='BTCUSDT')


async def test_escape_hatch_paths_are_percent_encoded(serve: Any) -> None:
    paths: list[str] = []

    async def record(request: web.Request) -> web.Response:
        paths.append(request.raw_path)
        return web.json_response({})

    base = await serve({'/{tail:.*}': record})
    async with SpotClient(**loopback(rest_host=f'http://{base}')) as spot:
        async with asyncio.timeout(5):
            await spot.get('/api/v3/x y/é', symbol='A B')
            await spot.get('/api/v3/already%20encoded')
    assert paths == ['/api/v3/x%20y/%C3%A9?symbol=A%20B', '/api/v3/already%20encoded']


def test_listen_keys_and_queries_never_reach_a_message() -> None:
    from binance_core.transport.errors import safe_url

    assert safe_url('wss://dstream.binance.com/ws/pqia91ma19a5s61cv6a81va65sdf19v8a65a1?x=1') == (
        'wss://dstream.binance.com/ws/…'
    )
    assert safe_url('https://api.binance.com/api/v3/order?signature=abc') == 'https://api.binance.com/api/v3/order'
