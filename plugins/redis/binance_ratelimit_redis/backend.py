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
as Binance counts. A window key expires one interval after its window ends (5 s at least), a hold a minute after it.

Why a hand-written script and not ``limits`` or ``pyrate-limiter`` (both measured, see the README): a request
takes weight, raw requests and orders together, all or nothing, and honours the IP's 429 block and the account's
-1015 hold in the same step; Binance's count from headers is adopted with "the larger wins"; neither library has
an atomic multi-pool take with different amounts per pool, a way to set or raise a count, or holds, and
``limits``' fixed windows start at the first hit, not at :00.
"""

from __future__ import annotations

import asyncio
import socket
import time
import weakref
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import redis.asyncio as aioredis
from redis.backoff import NoBackoff
from redis.retry import Retry

from binance_core.rate_limit import Hold, SharedPool, Taken, window_start
from binance_ratelimit_redis.scripts import ADOPT, HOLD, TAKE

__all__ = ['RedisBudgetBackend']

# A window's key outlives its window by one interval (at least this): a host whose clock runs a little behind
# must still find the count, not a fresh window.
_MIN_GRACE = 5.0
# A hold's key outlives it by this much (the scripts compare its time anyway; expiry only cleans up).
_HOLD_GRACE = 60.0


class _Connection:
    """One event loop's Redis client and its registered scripts (asyncio clients are loop-bound)."""

    __slots__ = ('adopt', 'client', 'hold', 'take')

    def __init__(self, client: aioredis.Redis) -> None:
        self.client = client
        self.take = client.register_script(TAKE)
        self.adopt = client.register_script(ADOPT)
        self.hold = client.register_script(HOLD)


class RedisBudgetBackend:
    """A :class:`~binance_core.rate_limit.BudgetBackend` on Redis.

    Give the same *url* and *egress* to every process that leaves through one IP (one host, or several behind
    one NAT); their IP pools then count together, and order pools count per account whatever the egress. Spot
    and futures keep their own counts, as Binance keeps them.

    When Redis fails or takes longer than *timeout*, the SDK counts locally at *fallback_share* of each limit
    (``1 / processes`` unless given), logs it once, and tries Redis again every *retry_interval* seconds in the
    background; no request fails because Redis did.

    Close it (``await backend.aclose()``, or ``async with``) before its event loop ends.

    :param url: ``redis://[[user]:password@]host:port/db`` (``rediss://`` for TLS); never logged or shown.
    :param processes: how many processes share the budget: while Redis is away each uses ``1 / processes`` of
        every limit, so together they stay within it.
    :param egress: the label of the egress IP these processes share; default: this host's name.
    :param timeout: seconds one Redis call may take before the SDK counts locally (about 0.05 to 0.1).
    :param retry_interval: seconds between background attempts to reach Redis again.
    :param fallback_share: overrides ``1 / processes``.
    :param prefix: the key prefix (a Redis Cluster hash tag wraps it).
    :param max_connections: connections per event loop; more concurrent calls wait for one (within *timeout*).
    :param options: more keyword arguments for ``redis.asyncio.Redis.from_url`` (``ssl_ca_certs``, ...).

    Attributes:
        name: names this budget in logs and tells budgets apart in a process: host, port, db and egress.
        egress: the egress label.
        timeout / fallback_share / retry_interval: as given.
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
        max_connections: int = 64,
        **options: Any,
    ) -> None:
        if isinstance(processes, bool) or not isinstance(processes, int) or processes < 1:
            raise ValueError(
                f'processes must be a positive int (how many processes share the budget), got {processes!r}'
            )
        share = 1 / processes if fallback_share is None else float(fallback_share)
        if not 0 < share <= 1:
            raise ValueError(f'fallback_share must be in (0, 1], got {fallback_share!r}')
        if timeout <= 0 or retry_interval <= 0:
            raise ValueError('timeout and retry_interval must be positive seconds')
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
        self.fallback_share = share
        self.name = f'redis {self._where} egress={egress}'
        self._tag = '{' + prefix + '}'
        self._options = options
        self._max_connections = int(max_connections)
        self._connections: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Connection] = (
            weakref.WeakKeyDictionary()
        )
        self._prefixes: dict[SharedPool, str] = {}

    def __repr__(self) -> str:
        return f'RedisBudgetBackend({self._where!r}, egress={self.egress!r}, processes={self.processes})'

    # -- connection ------------------------------------------------------------------------------

    def _connection(self) -> _Connection:
        loop = asyncio.get_running_loop()
        conn = self._connections.get(loop)
        if conn is None:
            options: dict[str, Any] = {
                # The SDK bounds each call and falls back by itself: the client must fail fast, not retry.
                'socket_connect_timeout': max(self.timeout, 0.05),
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

    async def aclose(self) -> None:
        """Close this event loop's connections (the backend can be used again afterwards)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        conn = self._connections.pop(loop, None)
        if conn is not None:
            await conn.client.aclose()

    async def __aenter__(self) -> RedisBudgetBackend:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- keys ------------------------------------------------------------------------------------

    def _key(self, pool: SharedPool, now: float) -> str:
        prefix = self._prefixes.get(pool)
        if prefix is None:
            who = f'ip:{self.egress}' if pool.scope == 'ip' else f'acct:{pool.account}'
            group = '' if pool.group is None else f':{pool.group}'
            prefix = self._prefixes[pool] = (
                f'{self._tag}:w:{who}:{pool.environment}:{pool.budget}:{pool.type}:{pool.interval}{group}:'
            )
        return prefix + str(window_start(now, pool.seconds))

    def _hold_key(self, hold: Hold) -> str:
        if hold.account is None:
            return f'{self._tag}:block:ip:{self.egress}:{hold.environment}:{hold.budget}'
        return f'{self._tag}:hold:acct:{hold.account}:{hold.environment}:{hold.budget}'

    @staticmethod
    def _ttl_ms(pool: SharedPool, now: float) -> int:
        left = pool.seconds - now % pool.seconds
        return int((left + max(_MIN_GRACE, pool.seconds)) * 1000)

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
        keys = [self._key(p, now) for p in pools]
        keys += [self._hold_key(h) for h in blocks]
        keys += [self._hold_key(h) for h in holds]
        args: list[int] = [int(now * 1000), len(pools), 1 if enforce else 0, len(blocks), len(holds)]
        for p, amount, limit in zip(pools, amounts, limits, strict=True):
            args += (int(amount), int(limit), self._ttl_ms(p, now))
        reply = await self._connection().take(keys=keys, args=args)
        return Taken(
            ok=bool(reply[0]),
            full=int(reply[1]) - 1,
            counts=tuple(int(c) for c in reply[5:]),
            blocked_until=int(reply[2]) / 1000,
            banned=bool(int(reply[3])),
            orders_held_until=int(reply[4]) / 1000,
        )

    async def usage(
        self, pools: Sequence[SharedPool], now: float, *, blocks: Sequence[Hold] = (), holds: Sequence[Hold] = ()
    ) -> Taken:
        zeros = (0,) * len(pools)
        taken = await self.take(pools, zeros, zeros, now, blocks=blocks, holds=holds, enforce=False)
        return taken._replace(ok=True, full=-1)

    async def adopt(self, pools: Sequence[SharedPool], counts: Sequence[int], now: float) -> tuple[int, ...]:
        args: list[int] = [len(pools)]
        for p, count in zip(pools, counts, strict=True):
            args += (int(count), self._ttl_ms(p, now))
        reply = await self._connection().adopt(keys=[self._key(p, now) for p in pools], args=args)
        return tuple(int(c) for c in reply)

    async def block(self, hold: Hold, until: float, banned: bool) -> None:
        await self._hold(hold, until, banned)

    async def hold_orders(self, hold: Hold, until: float) -> None:
        await self._hold(hold, until, False)

    async def _hold(self, hold: Hold, until: float, banned: bool) -> None:
        ttl = int((max(0.0, until - time.time()) + _HOLD_GRACE) * 1000)
        await self._connection().hold(keys=[self._hold_key(hold)], args=[int(until * 1000), int(banned), ttl])
