"""The one way out for every request, WS-API and REST alike: params -> limiter -> clock -> signer ->
transport, with the single re-signed resend after ``-1021``.

Binance rules this follows (Spot "Request security", "SIGNED Endpoint security"; USDⓈ-M / COIN-M
"Endpoint Security Type"; BINANCE-API.md §3-§4, FUTURES-API.md §6):
- Signed requests carry ``timestamp`` (the synced server clock) and an optional ``recvWindow``.
- WS-API: the signature covers every param but ``signature``, sorted by name, ``k=v`` joined by
  ``&``, unencoded; a session logged on with ``session.logon`` (Ed25519) sends no signature.
- REST: the signature covers the query string exactly as it is sent (values percent-encoded,
  required since 2026-01-15), and ``signature`` is appended last.
- ``-1021`` (and ``-5028`` on futures) means the timestamp fell outside the window and the request
  was not executed: sync the clock and send it once more, signed afresh. Nothing else is re-sent.

Signing happens last, after any wait in the limiter, so a request that queued for headroom still
carries a fresh timestamp: a transport can sign only through the :class:`Signer` this module hands
it once the limiter and the clock are done.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar, TypeVarTuple
from urllib.parse import quote

from binance_core.context import RequestContext
from binance_core.exceptions import StatusException, StreamSubscribeException
from binance_core.params import query_string, signature_payload
from binance_core.specs import SecurityType

__all__ = ['Signer', 'send']

log = logging.getLogger('binance.signing')

T = TypeVar('T')
Ts = TypeVarTuple('Ts')
# The security types that sign (SecurityType.signed) and those that send a key (needs_key), as tuples: `in` finds an
# enum member by identity, without the property call or the enum's Python-level __hash__ (asked on every request).
_SIGNED = tuple(s for s in SecurityType if s.signed)
_KEYED = tuple(s for s in SecurityType if s.needs_key)


class Signer:
    """Signs one attempt of one request; made by :func:`send` once the limiter and the clock are done.

    Attributes:
        security: the request's security type.
        signed_at: ``time.monotonic()`` when the attempt was stamped (``None`` until then).
    """

    __slots__ = ('_ctx', 'security', 'signed_at')

    def __init__(self, ctx: RequestContext, security: SecurityType) -> None:
        self._ctx = ctx
        self.security = security
        self.signed_at: float | None = None

    def _stamp(self, params: Mapping[str, Any]) -> dict[str, Any]:
        ctx = self._ctx
        p = dict(params)
        p['timestamp'] = ctx.clock.now_ms()
        if ctx.recv_window is not None and 'recvWindow' not in p:
            p['recvWindow'] = ctx.recv_window
        self.signed_at = time.monotonic()
        return p

    def ws_params(self, params: dict[str, Any], *, logged_on: bool = False) -> dict[str, Any]:
        """The WS-API ``params`` object: the API key where needed, timestamp and signature for signed
        calls, nothing more on a logged-on session. *params* is not modified."""
        security = self.security
        if security not in _KEYED:
            return params
        creds = self._ctx.credentials
        assert creds is not None  # the client checked credentials before sending
        if security not in _SIGNED:
            p = dict(params)
            p.setdefault('apiKey', creds.api_key)
            return p
        p = self._stamp(params)
        if logged_on:
            return p
        p['apiKey'] = creds.api_key
        p['signature'] = creds.sign(signature_payload(p))
        return p

    def query(self, params: Mapping[str, Any]) -> str:
        """The REST query string (or form body) as sent, with ``signature`` last for signed calls."""
        if self.security not in _SIGNED:
            return query_string(params)
        creds = self._ctx.credentials
        assert creds is not None
        qs = query_string(self._stamp(params))
        return (qs + '&' if qs else '') + 'signature=' + quote(creds.sign(qs), safe='')


async def send(
    ctx: RequestContext,
    security: SecurityType,
    attempt: Callable[[Signer, *Ts], Awaitable[T]],
    *args: *Ts,
    weight: int,
    orders: int,
    what: str,
) -> T:
    """Run ``attempt(signer, *args)`` once, or twice when Binance rejects the first with a re-sign code.

    Each attempt takes its budget from the limiter (waiting, or failing fast for orders), syncs the
    clock if the call is signed and the offset is stale, then gets a fresh :class:`Signer`. The limiter
    and the clock are asked synchronously first (``try_acquire``, ``stale``): nearly every request finds
    room and a fresh offset, and skips the two coroutines awaiting them would cost.

    :param ctx: the client's request context.
    :param security: the call's security type.
    :param attempt: signs with the given signer and sends; raises the transport's typed error.
    :param args: passed to *attempt* after the signer (a method and its arguments need no closure per request).
    :param weight: request weight the call costs.
    :param orders: how many orders it adds to the order pools.
    :param what: the wire method or ``VERB path``, for the log.
    """
    signed = security in _SIGNED
    limiter = ctx.limiter
    clock = ctx.clock
    for n in (0, 1):
        if not limiter.try_acquire(weight, orders):
            await limiter.acquire(weight=weight, orders=orders)
        if signed and clock.stale():
            await clock.ensure()
        signer = Signer(ctx, security)
        try:
            return await attempt(signer, *args)
        except (StatusException, StreamSubscribeException) as exc:
            if n == 0 and signed and exc.code in ctx.resign_codes and signer.signed_at is not None:
                log.info('%s rejected with %s; re-syncing the clock and re-signing once', what, exc.code)
                await ctx.clock.sync(newer_than=signer.signed_at)
                continue
            raise
    raise AssertionError('unreachable')  # pragma: no cover
