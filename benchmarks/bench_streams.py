"""Market-stream throughput: trade frames per second from the loopback fake exchange through
SpotClient to (a) a handler that only counts and (b) a handler that builds the DataFrame, each
next to a bare aiohttp WebSocket reader doing ``json.loads`` on the same frames in the same run.

    python benchmarks/bench_streams.py [frames]
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

import aiohttp

from binance import SpotClient, SubType, TradeHandlerBase
from binance_testing import FakeExchange

TRADE = {
    'e': 'trade',
    'E': 1672515782136,
    's': 'BNBBTC',
    't': 0,
    'p': '0.00102300',
    'q': '12.50000000',
    'T': 1672515782136,
    'm': True,
    'M': True,
}


def frames(n: int):
    return ({**TRADE, 't': i} for i in range(n))


class Counting(TradeHandlerBase):
    def __init__(self, n: int) -> None:
        self.n, self.seen, self.done = n, 0, asyncio.Event()

    def receive(self, payload):
        self.seen += 1
        if self.seen == self.n:
            self.done.set()


class Framing(Counting):
    def receive(self, payload):
        super(Counting, self).receive(payload)  # TradeHandlerBase.receive: the volas DataFrame
        Counting.receive(self, payload)


async def through_sdk(fx: FakeExchange, handler: Counting, n: int) -> float:
    async with SpotClient(**fx.client_kwargs()) as spot:
        spot.handler(handler)
        await spot.subscribe(SubType.TRADE, 'BNBBTC')
        t0 = time.perf_counter()
        await fx.push_many('bnbbtc@trade', frames(n))
        await handler.done.wait()
        return n / (time.perf_counter() - t0)


async def bare(fx: FakeExchange, n: int) -> float:
    async with aiohttp.ClientSession() as session, session.ws_connect(fx.stream_url + '/stream') as ws:
        await ws.send_str(json.dumps({'method': 'SUBSCRIBE', 'params': ['bnbbtc@trade'], 'id': 1}))
        await ws.receive()  # the ack
        seen = 0
        done = asyncio.Event()

        async def read():
            nonlocal seen
            async for msg in ws:
                json.loads(msg.data)
                seen += 1
                if seen == n:
                    done.set()
                    return

        reader = asyncio.create_task(read())
        t0 = time.perf_counter()
        await fx.push_many('bnbbtc@trade', frames(n))
        await done.wait()
        rate = n / (time.perf_counter() - t0)
        await reader
        return rate


async def main(n: int) -> None:
    async with FakeExchange('spot') as fx:
        print(f'{n} trade frames per case (the fake exchange sends from the same process)')
        base1 = await bare(fx, n)
        count = await through_sdk(fx, Counting(n), n)
        base2 = await bare(fx, n)
        frame = await through_sdk(fx, Framing(n), n)
        base = (base1 + base2) / 2
        print(f'bare aiohttp + json.loads : {base:>10.0f} msg/s')
        print(f'SDK, counting handler     : {count:>10.0f} msg/s  ratio {count / base:.2f}')
        print(f'SDK, DataFrame handler    : {frame:>10.0f} msg/s  ratio {frame / base:.2f}')


if __name__ == '__main__':
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000))
