"""WS-API round trips per second through SpotClient vs a bare aiohttp WebSocket client.

Both talk to the same loopback fake exchange in the same run and send the same signed
``account.status`` request: with HMAC (every request signed) and with Ed25519 (the session is
logged on once, then requests carry only a timestamp). Sequential (one in flight) and
concurrent (100 in flight). The ratio SDK/bare shows what the SDK's layers cost.

    python benchmarks/bench_ws_api.py [requests]
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import itertools
import json
import sys
import time

import aiohttp
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from binance import Credentials, SpotClient
from binance_testing import FakeExchange

SECRET = 'bench-secret'


class Bare:
    """The minimum a hand-written client does: sign, dumps, send, match the reply by id."""

    def __init__(self, url: str, key: str, signer, logon: bool) -> None:
        self.url, self.key, self.signer, self.logon = url, key, signer, logon
        self.ids = itertools.count(1)
        self.waiting: dict[int, asyncio.Future] = {}

    async def __aenter__(self):
        self.session = aiohttp.ClientSession()
        self.ws = await self.session.ws_connect(self.url)
        self.reader = asyncio.create_task(self._read())
        if self.logon:
            p = {'apiKey': self.key, 'timestamp': int(time.time() * 1000)}
            p['signature'] = self.signer(_payload(p))
            await self.call('session.logon', p)
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()
        await self.session.close()
        await asyncio.gather(self.reader, return_exceptions=True)

    async def _read(self):
        async for msg in self.ws:
            data = json.loads(msg.data)
            fut = self.waiting.pop(data.get('id'), None)
            if fut is not None:
                fut.set_result(data)

    async def call(self, method, params):
        rid = next(self.ids)
        fut = asyncio.get_running_loop().create_future()
        self.waiting[rid] = fut
        await self.ws.send_str(json.dumps({'id': rid, 'method': method, 'params': params}))
        data = await fut
        assert data['status'] == 200, data
        return data['result']

    async def account(self):
        p = {'timestamp': int(time.time() * 1000)}
        if not self.logon:
            p['apiKey'] = self.key
            p['signature'] = self.signer(_payload(p))
        return await self.call('account.status', p)


def _payload(p):
    return '&'.join(f'{k}={p[k]}' for k in sorted(p))


async def _rate(fn, n: int, concurrency: int) -> float:
    await fn()  # warm up (connect, logon, time sync)
    t0 = time.perf_counter()
    if concurrency == 1:
        for _ in range(n):
            await fn()
    else:
        sem = asyncio.Semaphore(concurrency)

        async def one():
            async with sem:
                await fn()

        await asyncio.gather(*(one() for _ in range(n)))
    return n / (time.perf_counter() - t0)


async def main(n: int) -> None:
    ed_key = ed25519.Ed25519PrivateKey.generate()
    ed_pem = ed_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    async with FakeExchange('spot') as fx:
        fx.weight_limit = 10**9  # measure throughput, not Binance's budget
        fx.add_key('hmac', secret=SECRET)
        fx.add_key(
            'ed',
            public_key_pem=ed_key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            ),
        )
        setups = {
            'HMAC': (
                Credentials('hmac', api_secret=SECRET),
                lambda s: hmac.new(SECRET.encode(), s.encode(), hashlib.sha256).hexdigest(),
                False,
                'hmac',
            ),
            'Ed25519 logon': (
                Credentials('ed', private_key=ed_pem),
                lambda s: base64.b64encode(ed_key.sign(s.encode())).decode(),
                True,
                'ed',
            ),
        }
        print(f'{n} account.status round trips per case, loopback fake exchange')
        print(f'{"case":<16}{"in flight":>10}{"SDK req/s":>12}{"bare req/s":>12}{"SDK/bare":>10}')
        for name, (creds, signer, logon, key) in setups.items():
            for concurrency in (1, 100):
                # The guard is off: account.status weighs 20, so with it on the limiter would (rightly)
                # hold these bursts to Binance's 6000/min budget. Its cost is measured in bench_rate_limit.py.
                async with SpotClient(creds, rate_limit_guard=False, **fx.client_kwargs()) as spot:
                    sdk = await _rate(spot.get_account, n, concurrency)
                async with Bare(fx.ws_api_url, key, signer, logon) as bare:
                    raw = await _rate(bare.account, n, concurrency)
                print(f'{name:<16}{concurrency:>10}{sdk:>12.0f}{raw:>12.0f}{sdk / raw:>10.2f}')


if __name__ == '__main__':
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
