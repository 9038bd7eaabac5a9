"""The one signing layer, over REST (the WS-API side is in the Spot suite): a re-sign code earns exactly one
fresh resend, other codes none, and the timestamp is taken after any wait in the limiter (sign last)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from binance import SecurityType, StatusException, UMFuturesClient
from binance_core.credentials import Credentials
from binance_testing import FakeExchange

PATH = '/fapi/v2/balance'


@pytest.fixture
async def fx() -> AsyncIterator[FakeExchange]:
    async with FakeExchange('usdm') as exchange:
        exchange.add_key('k', secret='s')
        exchange.rest_route('GET', PATH, lambda req: [{'asset': 'USDT', 'balance': '10'}])
        yield exchange


def client(fx: FakeExchange) -> UMFuturesClient:
    return UMFuturesClient(Credentials('k', api_secret='s'), **fx.client_kwargs())


@pytest.mark.parametrize('code', [-1021, -5028])
async def test_a_resign_code_earns_one_fresh_resend(fx: FakeExchange, code: int) -> None:
    async with client(fx) as um:
        async with asyncio.timeout(5):
            await um.get(PATH, SecurityType.USER_DATA)  # syncs the clock first
            # The exchange's clock moves 3 s ahead (within the recvWindow): only a resend signed after a new sync
            # carries it. (Comparing bare timestamps is not enough: the first sync's offset may come out a
            # millisecond or two higher than the next, its round trip including the connection's set-up.)
            fx.skew_ms = 3_000
            fx.fail_next(f'GET {PATH}', code, 'Timestamp for this request is outside of the recvWindow.')
            assert await um.get(PATH, SecurityType.USER_DATA) == [{'asset': 'USDT', 'balance': '10'}]
    methods = [r.method for r in fx.requests]
    # Rejected, the clock synced again, then the one resend, stamped on the synced clock.
    assert methods[-3:] == [f'GET {PATH}', 'GET /fapi/v1/time', f'GET {PATH}']
    first, second = fx.requests_for(f'GET {PATH}')[1:]
    assert int(second.params['timestamp']) - int(first.params['timestamp']) >= 2_900


async def test_a_persistent_resign_code_is_raised_after_one_resend(fx: FakeExchange) -> None:
    async with client(fx) as um:
        fx.fail_next(f'GET {PATH}', -1021, times=5)
        with pytest.raises(StatusException) as info:
            async with asyncio.timeout(5):
                await um.get(PATH, SecurityType.USER_DATA)
    assert info.value.code == -1021
    assert len(fx.requests_for(f'GET {PATH}')) == 2


async def test_other_codes_are_never_resent(fx: FakeExchange) -> None:
    async with client(fx) as um:
        fx.fail_next(f'GET {PATH}', -1022, 'Signature for this request is not valid.')
        with pytest.raises(StatusException):
            async with asyncio.timeout(5):
                await um.get(PATH, SecurityType.USER_DATA)
    assert len(fx.requests_for(f'GET {PATH}')) == 1


async def test_the_timestamp_is_taken_after_the_limiter_wait(fx: FakeExchange) -> None:
    async with client(fx) as um:
        async with asyncio.timeout(5):
            await um.get(PATH, SecurityType.USER_DATA)
            um._ctx.limiter.block(0.4)  # as after a 429: the next request waits in the limiter
            before = time.time() * 1000 + um.clock.offset_ms
            await um.get(PATH, SecurityType.USER_DATA)
    sent = fx.requests_for(f'GET {PATH}')[-1]
    assert int(sent.params['timestamp']) - before >= 350


async def test_the_signature_covers_the_bytes_sent(fx: FakeExchange) -> None:
    """Values with characters a URL library likes to re-encode (JSON arrays, quotes, colons, commas, UTF-8):
    the fake checks the signature against the raw query it received."""
    async with client(fx) as um:
        async with asyncio.timeout(5):
            result = await um.get(PATH, SecurityType.USER_DATA, symbols='["BTCUSDT","ETHUSDT"]', note='a:b,c~d é')
    assert result == [{'asset': 'USDT', 'balance': '10'}]
    sent = fx.requests_for(f'GET {PATH}')[-1]
    assert sent.params['symbols'] == '["BTCUSDT","ETHUSDT"]' and sent.params['note'] == 'a:b,c~d é'
