"""The REST transport: endpoint rows routed over HTTP and the ``get/post/put/delete`` escape hatch.

Binance rules this follows (Spot docs, "REST API"; BINANCE-API.md §4, §12-§13; FUTURES-API.md §6):
- Signed requests: the query string (and, for POST/PUT, the form body) as sent, values
  percent-encoded before signing (required since 2026-01-15), ``&signature=`` appended; the key
  goes in ``X-MBX-APIKEY``. The URL is handed to aiohttp as already encoded, so the bytes on the
  wire are the bytes signed (a re-encoding HTTP client gets ``-1022``).
- ``X-MBX-USED-WEIGHT-*`` / ``X-MBX-ORDER-COUNT-*`` on every response feed the limiter and the
  client's ``used_weight`` / ``order_count``.
- 429 / 418 carry ``Retry-After`` (seconds): typed exceptions, pools blocked, never a retry. Without the
  header the block is ``binance_core.transport.backoff``'s default (60 s for a 429, 120 s for a 418), the
  same as the WS-API's.
- Timestamps, signatures and the resend after -1021 are ``binance_core.signing``'s.
"""

from __future__ import annotations

import logging
from typing import Any

from binance_core import signing
from binance_core.context import RequestContext
from binance_core.exceptions import (
    IPBannedException,
    MalformedResponseException,
    RateLimitException,
    StatusException,
    UnknownOutcomeException,
)
from binance_core.jsonlib import loads
from binance_core.transport.backoff import hold_seconds
from binance_core.transport.base import Outgoing
from binance_core.transport.errors import never_sent, safe_url, translate
from binance_core.transport.session import new_session

__all__ = ['RestTransport']

log = logging.getLogger('binance.rest')

# Binance: "-1006 / -1007: execution status unknown" (and any 5xx on a call that changes state): never re-sent.
_UNKNOWN_CODES = (-1007, -1006)
# Binance -1015 "Too many new orders": answered with HTTP 429 like a weight overrun, but only orders are spent.
_TOO_MANY_ORDERS = -1015

_WEIGHT_PREFIX = 'x-mbx-used-weight-'
_ORDER_PREFIX = 'x-mbx-order-count-'


def _retry_after(headers: Any) -> float | None:
    value = headers.get('Retry-After')
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class RestTransport:
    """HTTP requests for one client over one lazily created aiohttp session."""

    def __init__(self, ctx: RequestContext) -> None:
        self._ctx = ctx
        self._session: Any = None

    async def request(self, verb: str, url: str, out: Outgoing) -> Any:
        """Send *out* as ``verb url`` and return the decoded JSON; raise a typed exception otherwise."""
        ctx = self._ctx
        params, security = out.params, out.security
        if self._session is None:
            self._session = new_session(ctx.request_timeout)
        extra = dict(ctx.request_params)
        headers = dict(extra.pop('headers', None) or {})
        if security.needs_key:
            assert ctx.credentials is not None  # the client checked before sending
            headers['X-MBX-APIKEY'] = ctx.credentials.api_key
        if ctx.time_unit:
            headers['X-MBX-TIME-UNIT'] = ctx.time_unit
        what = f'{verb} {safe_url(url)}'

        async def attempt(signer: signing.Signer) -> Any:
            qs = signer.query(params)
            target, body = url, None
            if verb in ('POST', 'PUT'):
                body = qs.encode('utf-8')
                headers['Content-Type'] = 'application/x-www-form-urlencoded'
            elif qs:
                target = url + ('&' if '?' in url else '?') + qs
            # An order, or any call that changes state, whose answer is lost may have taken effect.
            effectful = out.orders > 0 or verb != 'GET'
            return await self._send(verb, target, body, headers, extra, what, effectful, out.client_order_id)

        return await signing.send(ctx, security, attempt, weight=out.weight, orders=out.orders, what=what)

    async def _send(
        self,
        verb: str,
        target: str,
        body: bytes | None,
        headers: dict[str, str],
        extra: dict[str, Any],
        what: str,
        effectful: bool,
        cid: str | tuple[str, ...] | None,
    ) -> Any:
        from yarl import URL

        try:
            # encoded=True: the query is already percent-encoded and signed as is; yarl must not touch it.
            async with self._session.request(
                verb, URL(target, encoded=True), data=body, headers=headers, **extra
            ) as resp:
                status = resp.status
                self._reconcile(resp.headers)
                retry_after = _retry_after(resp.headers)
                text = await resp.text()
        except Exception as exc:
            if effectful and not never_sent(exc):
                raise UnknownOutcomeException(what, cid, None, type(exc).__name__) from exc
            raise translate(exc, what, target) from exc
        try:
            data = loads(text) if text else None
        except ValueError as exc:
            if 200 <= status < 300:
                reason = f'HTTP {status} with a reply that is not JSON'
                if effectful:
                    raise UnknownOutcomeException(what, cid, None, reason) from exc
                raise MalformedResponseException(f'{what}: {reason}', status=status, body=text) from exc
            data = text  # an error page from a proxy or load balancer: keep it for the StatusException
        if 200 <= status < 300:
            return data
        ctx = self._ctx
        if status == 418:
            ctx.limiter.block(hold_seconds(retry_after, banned=True), banned=True)
            raise IPBannedException(status, data, retry_after)
        code = data.get('code') if isinstance(data, dict) else None
        if status == 429:
            if code == _TOO_MANY_ORDERS:
                # The order count is spent, not the weight: new orders fail fast, cancels and reads go on.
                ctx.limiter.hold_orders(retry_after)
            else:
                ctx.limiter.block(hold_seconds(retry_after, banned=False))
            raise RateLimitException(status, data, retry_after)
        if effectful and (status >= 500 or code in _UNKNOWN_CODES):
            raise UnknownOutcomeException(what, cid, code, f'HTTP {status}')
        raise StatusException(status, data)

    def _reconcile(self, headers: Any) -> None:
        ctx = self._ctx
        found = False
        for name, value in headers.items():
            lname = name.lower()
            try:
                if lname.startswith(_WEIGHT_PREFIX):
                    ctx.used_weight[lname[len(_WEIGHT_PREFIX) :]] = int(value)
                    found = True
                elif lname.startswith(_ORDER_PREFIX):
                    ctx.order_count[lname[len(_ORDER_PREFIX) :]] = int(value)
                    found = True
            except ValueError:
                log.debug('ignoring unparsable rate-limit header %s=%r', name, value)
        if found:
            ctx.limiter.reconcile_headers(headers)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
