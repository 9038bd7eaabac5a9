"""Four processes on one Redis budget against one fake exchange run by the test, in real time (a few seconds each):
together they never exceed 1,200 weight in any calendar window as the fake counts it, also when their clocks
disagree by seconds; a 429 seen by one stops them all; and with Redis killed mid-run every process keeps trading
within its share, nothing hanging (after waiting out a window it found Redis gone in without a count of it).

Redis counts in windows of its own clock, which is this machine's, and so does the fake: a run that must see a
window fill, wait and roll over starts two seconds before a boundary of the real clock. The budget is 1,200 per
10 s rather than Binance's per minute (the same rule, calendar-aligned fixed windows), so that wait is 10 s at
most, not a minute.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from binance_testing import FakeExchange

WORKER = Path(__file__).with_name('worker.py')
PROCESSES = 4
LIMIT = 1200
WINDOW = 10  # seconds: the budget's calendar window
SHARE = LIMIT // PROCESSES  # each process's share of a window that begins while Redis is away
BOOK = {'lastUpdateId': 1, 'bids': [], 'asks': []}


class Run:
    """What one multi-process run left behind: each process's report and stderr, and the fake's weight per
    window (window start, epoch s -> weight), as the fake charged it."""

    def __init__(self, window: int) -> None:
        self.window = window
        self.reports: list[dict[str, Any]] = []
        self.stderr: list[str] = []
        self.charged: Counter[int] = Counter()
        self.start_at = 0.0

    def own(self, i: int, *, via: str | None = None, after: float = 0.0, before: float = float('inf')) -> Counter[int]:
        """Process *i*'s weight taken per window (window start, epoch s), taken between *after* and *before*."""
        out: Counter[int] = Counter()
        for at, weight, ok, how, _ in self.reports[i]['takes']:
            if ok and after <= at < before and (via is None or how == via):
                out[int(at - at % self.window)] += weight
        return out

    def last_count(self, i: int, before: float) -> int:
        """The shared count process *i*'s last answer from Redis before *before* gave."""
        counts = [count for at, _, _, how, count in self.reports[i]['takes'] if how == 'redis' and at < before]
        return counts[-1] if counts else 0

    def found_gone(self, i: int, after: float) -> float:
        """When process *i* first counted locally after *after*: when it found Redis gone."""
        return float(min(at for at, _, _, how, _ in self.reports[i]['takes'] if how == 'local' and at >= after))

    def answered_in(self, i: int, start: int) -> bool:
        """Whether process *i* had an answer from Redis in the window starting at *start*."""
        takes = self.reports[i]['takes']
        return any(how == 'redis' and start <= at < start + self.window for at, _, _, how, _ in takes)


@pytest.fixture
async def fx() -> AsyncIterator[FakeExchange]:
    async with FakeExchange('spot') as exchange:
        exchange.set_response('depth', BOOK)
        yield exchange


async def run_processes(
    fx: FakeExchange,
    redis_url: str,
    *,
    limit: int,
    seconds: float,
    timeout: float = 0.075,
    during: Callable[[Run], Any] | None = None,
    window: int = WINDOW,
    boundary: bool = True,
    skews: tuple[float, ...] = (0.0,) * PROCESSES,
) -> Run:
    """Run the processes (limiter clocks off the real one by *skews*) for *seconds* on a budget of *limit* per
    *window* seconds; with *boundary*, starting two seconds before a window boundary of the real clock."""
    run = Run(window)
    charge = fx._charge

    def counting_charge(weight: int) -> None:
        run.charged[fx.server_time() // (window * 1000) * window] += weight
        charge(weight)

    base = {
        'client': fx.client_kwargs(),
        'redis': redis_url,
        'processes': PROCESSES,
        'limit': limit,
        'interval': f'{window}s' if window < 60 else f'{window // 60}m',
        'timeout': timeout,
        'retry_interval': 0.2,
        'concurrency': 4,
    }
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            str(WORKER),
            json.dumps({**base, 'id': i, 'skew': skews[i]}),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for i in range(PROCESSES)
    ]
    try:
        async with asyncio.timeout(60):  # four interpreters importing the SDK on a busy machine
            for p in procs:
                assert p.stdout is not None
                line = await p.stdout.readline()
                assert line.strip() == b'ready', line + (await p.stderr.read() if p.stderr else b'')
        # The run's requests from here: a process's first ping (before "ready") is taken on Redis before its
        # connection opens, and may reach the fake in the next window; it is no request of the run.
        fx._charge = counting_charge  # type: ignore[method-assign]
        start_at = time.time() + 0.3
        if boundary:  # two seconds before the next window boundary at least 0.3 s away
            start_at += (window - 2 - start_at) % window
        run.start_at = start_at
        fx.skew_ms = 0  # the fake's windows are Redis's: the real clock's
        go = json.dumps({'start_at': start_at, 'stop_at': start_at + seconds}) + '\n'
        for p in procs:
            assert p.stdin is not None
            p.stdin.write(go.encode())
            await p.stdin.drain()
        if during is not None:
            await during(run)
        communicating = [asyncio.create_task(p.communicate()) for p in procs]
        try:
            async with asyncio.timeout(seconds + 20):  # nothing hangs: every process ends soon after stop_at
                outputs = await asyncio.gather(*communicating)
        except TimeoutError:
            hung = [i for i, p in enumerate(procs) if p.returncode is None]
            for p in procs:
                if p.returncode is None:
                    p.kill()
            done = await asyncio.gather(*communicating, return_exceptions=True)
            tails = [d[1].decode(errors='replace')[-1500:] for d in done if isinstance(d, tuple)]
            pytest.fail(f'processes {hung} still running {seconds + 20:.0f} s after stop_at; stderr: {tails}')
    finally:
        for p in procs:
            if p.returncode is None:
                p.kill()
                await p.wait()
    for p, (out, err) in zip(procs, outputs, strict=True):
        run.stderr.append(err.decode(errors='replace'))
        assert p.returncode == 0, err.decode(errors='replace')[-3000:]
        run.reports.append(json.loads(out.decode().strip().splitlines()[-1]))
    return run


async def test_four_processes_never_exceed_one_budget_in_any_window(fx: FakeExchange, redis_server: Any) -> None:
    fx.weight_limit = LIMIT * 60 // WINDOW  # the fake counts a minute: past 6 full windows it answers 429
    # Clocks seconds apart, as on hosts without NTP: the windows are Redis's all the same.
    run = await run_processes(fx, redis_server.url, limit=LIMIT, seconds=4.5, timeout=1.0, skews=(0, 23.4, -17.7, 4.2))
    for report in run.reports:
        assert report['errors'] == []  # no 429
    assert max(run.charged.values()) <= LIMIT, run.charged  # never past the budget, counted by the fake
    windows = sorted(run.charged)
    first = int(run.start_at - run.start_at % WINDOW)
    assert windows[-2:] == [first, first + WINDOW]  # the run filled the last 2 s of one window and began the next
    for start in (first, first + WINDOW):
        # Filled (they hammered: the budget was what held them back) and never past it, counted by the processes.
        assert LIMIT - 60 <= run.charged[start], (start, run.charged)
        assert sum(run.own(i)[start] for i in range(PROCESSES)) <= LIMIT


async def test_four_processes_hammering_1200_weight_a_minute_never_exceed_it(
    fx: FakeExchange, redis_server: Any
) -> None:
    # Binance's own budget: 1,200 a minute. Within a few seconds the processes fill it and then wait for the next
    # minute (the run ends first, unless a boundary falls inside it: then each minute is checked alike).
    # The fake answers 429 past this in its minute: an over-commit shows as an error. Each worker's `ready` ping
    # (1 weight, before the run) and its WS-API handshake (2) can reach the fake a moment after Redis counted them,
    # across a minute boundary.
    fx.weight_limit = LIMIT + PROCESSES * (1 + fx.ws_connect_weight)
    run = await run_processes(
        fx,
        redis_server.url,
        limit=LIMIT,
        seconds=3.0,
        timeout=1.0,
        window=60,
        boundary=False,
        skews=(0, 9.1, -6.3, 2.2),
    )
    for report in run.reports:
        assert report['errors'] == []  # no 429 from the fake
    assert max(run.charged.values()) <= LIMIT, run.charged
    assert sum(run.charged.values()) >= LIMIT - 60, run.charged  # they hammered: the budget held them back
    for start in run.charged:
        assert sum(run.own(i)[start] for i in range(PROCESSES)) <= LIMIT


async def test_a_429_seen_by_one_process_stops_the_others(fx: FakeExchange, redis_server: Any) -> None:
    fx.weight_limit = 10**9  # only the injected 429 stops anyone
    injected: list[int] = []

    async def inject(run: Run) -> None:
        await asyncio.sleep(max(0.0, run.start_at + 1.0 - time.time()))
        now = fx.server_time()
        injected.append(int(time.time() * 1000))
        fx.fail_next('depth', -1003, status=429, data={'serverTime': now, 'retryAfter': now + 1500})

    run = await run_processes(
        fx, redis_server.url, limit=10**6, seconds=3.5, timeout=1.0, during=inject, window=60, boundary=False
    )
    errors = [e for report in run.reports for e in report['errors']]
    assert len(errors) == 1 and '-1003' in errors[0], errors
    hit = next(r.at for r in fx.requests if r.method == 'depth' and r.at >= injected[0])
    arrivals = [r.at - hit for r in fx.requests if r.method in ('depth', 'ping')]
    before = [t for t in arrivals if -1000 <= t < 0]
    held = [t for t in arrivals if 300 <= t <= 1200]
    after = [t for t in arrivals if t > 1600]
    assert len(before) > 50  # they were hammering
    assert held == []  # every process held back, not only the one that saw the 429
    assert len(after) > 50  # and all went on once the Retry-After had passed


async def test_redis_killed_mid_run_every_process_keeps_to_its_share(fx: FakeExchange, redis_server: Any) -> None:
    fx.weight_limit = LIMIT * 60 // WINDOW
    killed: list[float] = []

    async def kill(run: Run) -> None:
        await asyncio.sleep(max(0.0, run.start_at + 1.0 - time.time()))
        killed.append(time.time())
        redis_server.kill()

    # A killed server refuses at once, so the timeout plays no part in the kill; 0.5 s keeps a process on this
    # busy test machine from leaving Redis early on a slow answer, which is the partial failure (some processes
    # on Redis, some not) whose bound the README states, not the one tested here. The run lasts 3 s into the second
    # window after the kill: a process that was waiting for the first window's end (it was full) finds Redis gone
    # as the next begins, without a count of it, and waits that one out; the one after began without Redis.
    timeout = 0.5
    run = await run_processes(fx, redis_server.url, limit=LIMIT, seconds=15.0, timeout=timeout, during=kill)
    first = int(run.start_at - run.start_at % WINDOW)
    assert killed[0] < first + WINDOW  # killed in the first window
    story = (
        f'killed at {killed[0] - first:.3f} s into the first window; the fake counted {dict(run.charged)}; '
        f'through redis {[dict(run.own(i, via="redis")) for i in range(PROCESSES)]}, '
        f'locally {[dict(run.own(i, via="local")) for i in range(PROCESSES)]}'
    )
    for i in range(PROCESSES):
        assert run.reports[i]['errors'] == [], story  # nothing raised because Redis died
        assert run.stderr[i].count('failed (') == 1, run.stderr[i]  # said once
        assert run.own(i, via='redis', after=killed[0] + 0.5) == Counter()  # stayed local after the kill
        # The window Redis died in: a share of what the last shared count this process saw left in it.
        left = LIMIT - run.last_count(i, killed[0] + 0.5)
        assert run.own(i, via='local')[first] <= max(0, left) // PROCESSES, story
        # Where it found Redis gone, and up to one timeout later (its idea of Redis's calendar may run late by an
        # answer's round trip): windows it had no count of are waited out.
        found = run.found_gone(i, killed[0])
        lost_in, late = (int(t - t % WINDOW) for t in (found, found + timeout))
        assert lost_in in (first, first + WINDOW), story
        for start in range(lost_in, late + 1, WINDOW):
            if not run.answered_in(i, start):
                assert run.own(i)[start] == 0, story
        # A window that began without Redis: its share, and it kept trading up to it.
        assert SHARE - 60 <= run.own(i)[late + WINDOW] <= SHARE, story
    for start in (first, first + WINDOW, first + 2 * WINDOW):
        assert run.charged[start] <= LIMIT, story


def test_the_suite_ran_against_a_real_redis_server(redis_server: Any) -> None:
    version = redis_server.version()
    print(f'redis-server {version}')
    assert version.split('.')[0].isdigit() and int(version.split('.')[0]) >= 5
