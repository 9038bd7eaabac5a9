"""The Redis budget backend: every rate-limit window's usage in Redis, shared by every process (on any host) that
names the same egress label, so one budget of Binance's per-IP weight and per-account orders holds for all of them.

Keys (all under one hash tag, so the scripts also run on a Redis Cluster)::

    {binance-rl}:w:ip:<egress>:<environment>:<budget>:<type>:<interval>[:<group>]:<window start>   IP pools
    {binance-rl}:w:acct:<account>:<environment>:<budget>:<type>:<interval>:<window start>          order pools
    {binance-rl}:block:ip:<egress>:<environment>:<budget>        429/418 hold (hash: until ms, banned)
    {binance-rl}:hold:acct:<account>:<environment>:<budget>      -1015 order hold (hash: until ms)

``<budget>`` is the pool's ``PoolSpec.budget`` (``futures``: USDⓈ-M and COIN-M together) or the market (``spot``);
``<account>`` is a hash of the API key (``binance_core.rate_limit.account_id``), never the key; ``<window start>``
is the calendar window's start in epoch seconds (a minute from :00, 10 s from :00/:10/..., a day from 00:00 UTC),
as Binance counts, **on Redis's clock** (``TIME``): one clock for every sharer, whatever their hosts' clocks say.
The scripts build the window keys from it (:mod:`binance_ratelimit_redis.scripts`). A window key expires a few
seconds after its window ends, a hold a minute after it.

Times go to Redis as durations and come back as durations (the milliseconds a hold or a window still runs), which
are added to the caller's clock: a limiter whose host clock is off by seconds still waits exactly as long as the
other sharers.

Why a hand-written script and not ``limits`` or ``pyrate-limiter`` (both measured, see the README): a request
takes weight, raw requests and orders together, all or nothing, and honours the IP's 429 block and the account's
-1015 hold in the same step; Binance's count from headers is adopted with "the larger wins"; neither library has
an atomic multi-pool take with different amounts per pool, a way to set or raise a count, or holds, and
``limits``' fixed windows start at the first hit, not at :00.
"""

from __future__ import annotations

import asyncio
import logging
import math
import socket
import time
import weakref
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import redis.asyncio as aioredis
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

from binance_core.rate_limit import Hold, SharedPool, Taken
from binance_ratelimit_redis.scripts import ADOPT, HOLD, TAKE

__all__ = ['RedisBudgetBackend']

log = logging.getLogger('binance.rate_limit')

# Milliseconds a window's key outlives its window: nobody reads a past window (the scripts compute the current
# one), but a replica promoted after a failover runs on its own clock, a little off the old primary's, and must
# still find the count of the window it believes current.
_WINDOW_GRACE_MS = 5000
# A hold's key outlives it by this much (the scripts compare its time anyway; expiry only cleans up).
_HOLD_GRACE_MS = 60_000
# Seconds the one-off maxmemory-policy check may take (in the background, off every request's path).
_POLICY_CHECK_TIMEOUT = 5.0


# A call failing with one of these may have lost its server (killed, restarted, failed over): the next call warms
# up again (connections, scripts), as a restarted Redis has neither. (A call cancelled for being slow has not: the
# server is the same, and redis-py reconnects that one connection when it is next used.)
_GONE = (RedisConnectionError, RedisTimeoutError, OSError)


class _Connection:
    """One event loop's Redis client, its registered scripts (asyncio clients are loop-bound), and its warm-up:
    ``warm`` once the pool's connections are open and the scripts loaded, ``warming`` the task doing it."""

    __slots__ = ('adopt', 'client', 'hold', 'take', 'warm', 'warming')

    def __init__(self, client: aioredis.Redis) -> None:
        self.client = client
        self.take = client.register_script(TAKE)
        self.adopt = client.register_script(ADOPT)
        self.hold = client.register_script(HOLD)
        self.warm = False
        self.warming: asyncio.Task[None] | None = None


class RedisBudgetBackend:
    """A :class:`~binance_core.rate_limit.BudgetBackend` on Redis.

    Give the same *url* and *egress* to every process that leaves through one IP (one host, or several behind
    one NAT); their IP pools then count together, and order pools count per account whatever the egress. Spot
    and futures keep their own counts, as Binance keeps them.

    When Redis fails or takes longer than *timeout*, the SDK counts locally at *fallback_share* of each limit
    (``1 / processes`` unless given), logs it once, and tries Redis again every *retry_interval* seconds in the
    background; no request fails because Redis did.

    The first call in each event loop warms up first: it opens the pool's *max_connections* connections and
    loads the scripts, within *connect_timeout* rather than *timeout* (``warm_up_timeout``, which the SDK reads),
    and concurrent first callers wait for that one warm-up; a cold start under load would otherwise exceed
    *timeout* and fall back against a healthy Redis. A Redis that cannot be reached still sends the process to
    its fallback, within *connect_timeout* at the first call (at once when the port refuses). After Redis was
    lost, the next call warms up again (a restarted Redis has no scripts, and the pool's connections are dead).

    Close it (``await backend.aclose()``, or ``async with``) before its event loop ends: the connections of a
    loop that ends without it are dropped unclosed (asyncio may warn about them), and the backend cannot close
    them for you, as it does not know when your loop ends.

    Redis should run with ``maxmemory-policy noeviction`` (Redis's default): a policy that evicts keys may evict
    a window's counter, and every sharer then counts that window from zero. The first connection checks it and
    logs a warning once when it is not (a managed Redis that refuses ``CONFIG GET`` is logged at DEBUG only).

    :param url: ``redis://[[user]:password@]host:port/db`` (``rediss://`` for TLS); never logged or shown.
    :param processes: how many processes share the budget: while Redis is away each uses ``1 / processes`` of
        every limit, so together they stay within it.
    :param egress: the label of the egress IP these processes share; default: this host's name.
    :param timeout: seconds one Redis call may take before the SDK counts locally (about 0.05 to 0.1).
    :param connect_timeout: seconds the warm-up of an event loop may take (connect, load the scripts).
    :param retry_interval: seconds between background attempts to reach Redis again.
    :param fallback_share: overrides ``1 / processes``.
    :param prefix: the key prefix (a Redis Cluster hash tag wraps it).
    :param max_connections: connections per event loop, all opened by its warm-up; more concurrent calls wait
        for one (within *timeout*). A call holds one for a round trip, so a few serve a busy process: more only
        make the warm-up longer.
    :param options: more keyword arguments for ``redis.asyncio.Redis.from_url`` (``ssl_ca_certs``, ...).

    Attributes:
        name: names this budget in logs and tells budgets apart in a process: host, port, db and egress.
        egress: the egress label.
        timeout / fallback_share / retry_interval: as given.
        warm_up_timeout: *connect_timeout*: the bound of each event loop's warm-up (see
            :class:`~binance_core.rate_limit.BudgetBackend`).
    """

    def __init__(
        self,
        url: str = 'redis://127.0.0.1:6379/0',
        *,
        processes: int,
        egress: str | None = None,
        timeout: float = 0.075,
        retry_interval: float = 1.0,
        fallback_share: float | None = None,
        prefix: str = 'binance-rl',
        max_connections: int = 8,
        connect_timeout: float = 1.0,
        **options: Any,
    ) -> None:
        if isinstance(processes, bool) or not isinstance(processes, int) or processes < 1:
            raise ValueError(
                f'processes must be a positive int (how many processes share the budget), got {processes!r}'
            )
        share = 1 / processes if fallback_share is None else float(fallback_share)
        if not 0 < share <= 1:
            raise ValueError(f'fallback_share must be in (0, 1], got {fallback_share!r}')
        if timeout <= 0 or retry_interval <= 0 or connect_timeout <= 0:
            raise ValueError('timeout, retry_interval and connect_timeout must be positive seconds')
        if int(max_connections) < 1:
            raise ValueError(f'max_connections must be at least 1, got {max_connections!r}')
        egress = socket.gethostname() if egress is None else egress
        for what, value in (('egress', egress), ('prefix', prefix)):
            if not value or any(c in value for c in '{}: \t\n'):
                raise ValueError(f'{what} must be a non-empty label without braces, colons or spaces, got {value!r}')
        parts = urlsplit(url)
        if parts.scheme not in ('redis', 'rediss', 'unix'):
            raise ValueError("url must start with redis://, rediss:// or unix:// (Redis's own URL schemes)")
        self._url = url
        # Shown in logs and reprs: where, never who (no user name or password).
        self._where = f'{parts.scheme}://{parts.hostname or ""}{f":{parts.port}" if parts.port else ""}{parts.path}'
        self.egress = egress
        self.processes = processes
        self.timeout = float(timeout)
        self.retry_interval = float(retry_interval)
        self.warm_up_timeout = float(connect_timeout)
        self.fallback_share = share
        self.name = f'redis {self._where} egress={egress}'
        self._tag = '{' + prefix + '}'
        self._options = options
        self._max_connections = int(max_connections)
        self._connections: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Connection] = (
            weakref.WeakKeyDictionary()
        )
        self._prefixes: dict[SharedPool, str] = {}
        self._policy_checked = False
        self._policy_check: asyncio.Task[None] | None = None

    def __repr__(self) -> str:
        return f'RedisBudgetBackend({self._where!r}, egress={self.egress!r}, processes={self.processes})'

    # -- connection ------------------------------------------------------------------------------

    def _connection(self) -> _Connection:
        loop = asyncio.get_running_loop()
        conn = self._connections.get(loop)
        if conn is None:
            options: dict[str, Any] = {
                # The SDK bounds each call (the warm-up by connect_timeout) and falls back by itself: the client
                # must fail fast, not retry.
                'socket_connect_timeout': self.warm_up_timeout,
                'socket_timeout': max(self.timeout * 4, 0.5),
                'retry': Retry(NoBackoff(), 0),
                # Calls beyond the pool wait for a connection (a plain pool would raise "Too many connections").
                'max_connections': self._max_connections,
                'timeout': max(self.timeout * 4, 0.5),
                **self._options,
            }
            pool = aioredis.BlockingConnectionPool.from_url(self._url, **options)
            client = aioredis.Redis.from_pool(pool)  # the client closes its pool with it
            conn = self._connections[loop] = _Connection(client)
        return conn

    async def _ready(self) -> _Connection:
        """This loop's connection, warmed up: the first caller starts the warm-up, concurrent ones wait for it (a
        caller's cancellation, the SDK's timeout, does not cancel it for the others)."""
        conn = self._connection()
        if conn.warm:
            return conn
        task = conn.warming
        if task is None:
            task = conn.warming = asyncio.get_running_loop().create_task(self._warm(conn), name='binance-rl-redis-warm')
        await asyncio.shield(task)
        return conn

    async def _warm(self, conn: _Connection) -> None:
        """Load the scripts and open (or reopen) the pool's connections: each connection costs a handshake, and
        the first callers would otherwise open one each, all at once, within the SDK's short timeout. Then, once
        per backend, the check of Redis's memory policy (off every request's path)."""
        client = conn.client
        try:
            async with client.pipeline(transaction=False) as pipe:
                for script in (TAKE, ADOPT, HOLD):
                    pipe.script_load(script)
                await pipe.execute()
            pool = client.connection_pool
            opened = await asyncio.gather(
                *(pool.get_connection() for _ in range(self._max_connections)),  # type: ignore[no-untyped-call]
                return_exceptions=True,
            )
            for c in opened:
                if not isinstance(c, BaseException):
                    await pool.release(c)
            for c in opened:
                if isinstance(c, BaseException):
                    raise c
            conn.warm = True
        finally:
            conn.warming = None
        if not self._policy_checked:
            self._policy_checked = True
            self._policy_check = asyncio.get_running_loop().create_task(
                self._check_policy(client), name='binance-rl-redis-policy'
            )

    async def _run(self, script: str, keys: list[str], args: list[int]) -> Any:
        """Run one of this loop's scripts (``take``, ``adopt``, ``hold``) on a warm connection; a call that lost
        the server leaves the loop to warm up again."""
        conn = await self._ready()
        try:
            return await getattr(conn, script)(keys=keys, args=args)
        except _GONE:
            conn.warm = False
            raise

    async def _check_policy(self, client: aioredis.Redis) -> None:
        """Warn once when Redis may evict counters (``maxmemory-policy`` other than ``noeviction``): an evicted
        window counter is a window every sharer counts from zero, over-committing the budget. Off the request
        path; a managed Redis that refuses ``CONFIG`` (or anything else going wrong) is logged at DEBUG only."""
        try:
            async with asyncio.timeout(_POLICY_CHECK_TIMEOUT):
                reply = await client.config_get('maxmemory-policy')
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the exception's type only: a message may carry the address
            log.debug('rate-limit backend %s: could not read maxmemory-policy (%s)', self.name, type(exc).__name__)
            return
        raw = next(iter(reply.values()), None) if isinstance(reply, dict) else None
        policy = raw.decode() if isinstance(raw, bytes) else raw
        if policy is None:
            log.debug('rate-limit backend %s: maxmemory-policy not reported', self.name)
        elif policy != 'noeviction':
            log.warning(
                'rate-limit backend %s: Redis runs with maxmemory-policy %s, which may evict rate-limit counters '
                '(every sharer then counts that window from zero, over the budget); set it to noeviction, or '
                'give these keys a Redis of their own',
                self.name,
                policy,
            )

    async def aclose(self) -> None:
        """Close this event loop's connections (the backend can be used again afterwards)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        check = self._policy_check
        if check is not None and not check.done() and check.get_loop() is loop:
            check.cancel()
            await asyncio.gather(check, return_exceptions=True)
        conn = self._connections.pop(loop, None)
        if conn is not None:
            if conn.warming is not None:
                conn.warming.cancel()
                await asyncio.gather(conn.warming, return_exceptions=True)
            await conn.client.aclose()

    async def __aenter__(self) -> RedisBudgetBackend:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- keys ------------------------------------------------------------------------------------

    def _prefix(self, pool: SharedPool) -> str:
        """*pool*'s window keys without the window start, which the scripts append from Redis's clock."""
        prefix = self._prefixes.get(pool)
        if prefix is None:
            who = f'ip:{self.egress}' if pool.scope == 'ip' else f'acct:{pool.account}'
            group = '' if pool.group is None else f':{pool.group}'
            prefix = self._prefixes[pool] = (
                f'{self._tag}:w:{who}:{pool.environment}:{pool.budget}:{pool.type}:{pool.interval}{group}:'
            )
        return prefix

    def _hold_key(self, hold: Hold) -> str:
        if hold.account is None:
            return f'{self._tag}:block:ip:{self.egress}:{hold.environment}:{hold.budget}'
        return f'{self._tag}:hold:acct:{hold.account}:{hold.environment}:{hold.budget}'

    # -- the BudgetBackend contract --------------------------------------------------------------

    async def take(
        self,
        pools: Sequence[SharedPool],
        amounts: Sequence[int],
        limits: Sequence[int],
        now: float,
        *,
        blocks: Sequence[Hold] = (),
        holds: Sequence[Hold] = (),
        enforce: bool = True,
    ) -> Taken:
        n = len(pools)
        keys = [self._prefix(p) for p in pools]
        keys += [self._hold_key(h) for h in blocks]
        keys += [self._hold_key(h) for h in holds]
        args: list[int] = [n, 1 if enforce else 0, len(blocks), len(holds), _WINDOW_GRACE_MS]
        for p, amount, limit in zip(pools, amounts, limits, strict=True):
            args += (int(amount), int(limit), int(p.seconds))
        started = time.monotonic()
        reply = await self._run('take', keys, args)
        # Durations measured on Redis's clock, added to the caller's: at the answer, not at the call (the latest
        # moment Redis can have measured them), so a hold or a window never ends early on the caller's clock.
        at = now + (time.monotonic() - started)
        blocked, held = int(reply[2]), int(reply[4])
        return Taken(
            ok=bool(reply[0]),
            full=int(reply[1]) - 1,
            counts=tuple(int(c) for c in reply[5 : 5 + n]),
            blocked_until=at + blocked / 1000 if blocked > 0 else 0.0,
            banned=bool(int(reply[3])),
            orders_held_until=at + held / 1000 if held > 0 else 0.0,
            ends=tuple(at + int(left) / 1000 for left in reply[5 + n :]),
        )

    async def usage(
        self, pools: Sequence[SharedPool], now: float, *, blocks: Sequence[Hold] = (), holds: Sequence[Hold] = ()
    ) -> Taken:
        zeros = (0,) * len(pools)
        taken = await self.take(pools, zeros, zeros, now, blocks=blocks, holds=holds, enforce=False)
        return taken._replace(ok=True, full=-1)

    async def adopt(self, pools: Sequence[SharedPool], counts: Sequence[int], now: float) -> tuple[int, ...]:
        args: list[int] = [len(pools), _WINDOW_GRACE_MS]
        for p, count in zip(pools, counts, strict=True):
            args += (int(count), int(p.seconds))
        reply = await self._run('adopt', [self._prefix(p) for p in pools], args)
        return tuple(int(c) for c in reply)

    async def block(self, hold: Hold, seconds: float, banned: bool, now: float) -> None:
        await self._hold(hold, seconds, banned)

    async def hold_orders(self, hold: Hold, seconds: float, now: float) -> None:
        await self._hold(hold, seconds, False)

    async def _hold(self, hold: Hold, seconds: float, banned: bool) -> None:
        """Write a hold of *seconds* from now on Redis's clock (rounded up: a hold never ends early)."""
        ms = max(0, math.ceil(seconds * 1000))
        await self._run('hold', [self._hold_key(hold)], [ms, int(banned), _HOLD_GRACE_MS])
