"""One trading process of the multi-process tests (run as a script, never imported): a SpotClient on a Redis
budget that hammers the test's fake exchange between two times it is given, and reports every take it made.

    python worker.py '<json config>'

Config: the test's ``redis`` URL, ``limit`` and ``interval`` of the one weight pool, ``skew`` (seconds added to
this process's limiter clock: a host whose clock is off), ``processes``, ``timeout``, ``retry_interval``,
``concurrency`` and the fake's ``client`` keyword arguments.

Protocol: prints ``ready`` once connected; reads one JSON line ``{"start_at", "stop_at"}`` (real epoch seconds); at
``stop_at`` cancels whatever still waits; prints one JSON line ``{"takes", "errors", "calls"}``. ``takes``: one
``[at, weight, ok, via, count]`` per take, ``at`` on the real clock (Redis's and the fake's: the windows they count
in), ``via`` ``"redis"`` or ``"local"``, ``count`` the weight pool's count the take answered. Logs go to stderr.
"""

from __future__ import annotations

import asyncio
import contextvars
import itertools
import json
import logging
import sys
import time
from typing import Any

from binance import RateLimiter, SpotClient
from binance_core import PoolSpec
from binance_ratelimit_redis import RedisBudgetBackend

# (orderbook limit or None for ping) -> Binance's weight: ping 1; depth 100 -> 5, 500 -> 25, 1000 -> 50.
MIX = (None, 100, None, 500, 1000, 100)


async def main(cfg: dict[str, Any]) -> None:
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format='%(levelname)s %(name)s %(message)s')
    skew = float(cfg.get('skew', 0.0))

    def clock() -> float:
        return time.time() + skew

    pools = (PoolSpec(type='request_weight', scope='ip', interval=cfg['interval'], limit=cfg['limit']),)
    takes: list[list[Any]] = []
    errors: list[str] = []
    calls = 0
    backend = RedisBudgetBackend(
        cfg['redis'],
        processes=cfg['processes'],
        egress='test-egress',
        timeout=cfg['timeout'],
        retry_interval=cfg['retry_interval'],
    )
    async with backend:
        limiter = RateLimiter(pools, backend=backend, clock=clock)
        async with SpotClient(rate_limiter=limiter, **cfg['client']) as spot:
            await spot.ping()  # connected before the run starts
            shared = limiter._shared
            assert shared is not None
            take = shared.take

            # Whether Redis answered a take: its task (the limiter runs each backend call in a task of its own, which
            # inherits this context) marks the list the take's context holds.
            answered: contextvars.ContextVar[list[bool]] = contextvars.ContextVar('answered')
            redis_take = backend.take

            async def marking_take(*args: Any, **kwargs: Any) -> Any:
                taken = await redis_take(*args, **kwargs)
                mark = answered.get(None)
                if mark is not None:  # None: the probe's hand-over, no take of the hammer
                    mark[0] = True
                return taken

            backend.take = marking_take  # type: ignore[method-assign]

            async def recording_take(sel: Any, now: float, **kwargs: Any) -> Any:
                at = time.time()
                mark = [False]
                answered.set(mark)
                taken = await take(sel, now, **kwargs)
                via = 'redis' if mark[0] else 'local'
                w = sum(a for i, a in sel if shared.pools[i].type == 'request_weight')
                count = next(c for (i, _), c in zip(sel, taken.counts, strict=True) if shared.pools[i].type ==
                             'request_weight')  # fmt: skip
                takes.append([at, w, taken.ok, via, count])
                return taken

            shared.take = recording_take  # type: ignore[method-assign]
            print('ready', flush=True)
            go = json.loads(await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline))
            await asyncio.sleep(max(0.0, go['start_at'] - time.time()))
            mix = itertools.cycle(MIX)

            async def hammer(k: int) -> None:
                nonlocal calls
                while True:
                    limit = next(mix)
                    try:
                        if limit is None:
                            await spot.ping()
                        else:
                            await spot.get_orderbook(symbol=f'W{cfg["id"]}X{k}', limit=limit)
                        calls += 1
                    except Exception as exc:
                        errors.append(f'{time.time():.3f} {type(exc).__name__}: {exc}')

            tasks = [asyncio.create_task(hammer(k)) for k in range(cfg['concurrency'])]
            await asyncio.sleep(max(0.0, go['stop_at'] - time.time()))

            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    print(json.dumps({'takes': takes, 'errors': errors, 'calls': calls}), flush=True)


if __name__ == '__main__':
    asyncio.run(main(json.loads(sys.argv[1])))
