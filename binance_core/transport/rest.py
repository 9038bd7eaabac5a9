"""The REST transport: endpoint rows routed over HTTP and the ``get/post/put/delete`` escape hatch.

Binance rules this follows (Spot docs, "REST API"; BINANCE-API.md §4, §12-§13):
- Signed requests: the query string (and, for POST/PUT, the form body) as sent, values
  percent-encoded before signing (required since 2026-01-15), ``&signature=`` appended
  percent-encoded; the key goes in ``X-MBX-APIKEY``.
- ``X-MBX-USED-WEIGHT-*`` / ``X-MBX-ORDER-COUNT-*`` on every response feed the limiter and the
  client's ``used_weight`` / ``order_count``.
- 429 / 418 carry ``Retry-After`` (seconds): typed exceptions, pools blocked, never a retry.
- -1021 means "not executed": re-sync the clock, re-sign and send once more.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any
from urllib.parse import quote

from binance_core.exceptions import (
    IPBannedException,
    RateLimitException,
    StatusException,
    UnknownOutcomeException,
)
from binance_core.params import query_string
from binance_core.specs import SecurityType
from binance_core.transport.session import new_session

__all__ = ['RestTransport']

log = logging.getLogger('binance.rest')

# Blocks when a 429 / 418 comes without Retry-After: Binance's bans start at 2 minutes (BINANCE-API.md §12.4).
RATE_LIMIT_FALLBACK = 60.0
BAN_FALLBACK = 120.0

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

    def __init__(self, client: Any) -> None:
        self._client = client
        self._session: Any = None

    async def request(
        self,
        verb: str,
        url: str,
        params: dict[str, Any],
        security: SecurityType,
        *,
        weight: int,
        orders: int,
        client_order_id: str | None,
    ) -> Any:
        import aiohttp

        client = self._client
        if self._session is None:
            self._session = new_session(client)
        extra = dict(client.request_params)
        headers = dict(extra.pop('headers', None) or {})
        if security.needs_key:
            headers['X-MBX-APIKEY'] = client.credentials.api_key
        if client.time_unit:
            headers['X-MBX-TIME-UNIT'] = client.time_unit
        method = url
        for attempt in (0, 1):
            await client._limiter.acquire(weight=weight, orders=orders)
            p = params
            if security.signed:
                await client.clock.ensure()
                p = dict(params)
                p['timestamp'] = client.clock.now_ms()
                if client.recv_window is not None and 'recvWindow' not in p:
                    p['recvWindow'] = client.recv_window
            qs = query_string(p)
            if security.signed:
                signature = client.credentials.sign(qs)
                qs = (qs + '&' if qs else '') + 'signature=' + quote(signature, safe='')
            signed_at = time.monotonic()
            target, body = url, None
            if verb in ('POST', 'PUT'):
                body = qs.encode('utf-8')
                headers['Content-Type'] = 'application/x-www-form-urlencoded'
            elif qs:
                target = url + ('&' if '?' in url else '?') + qs
            try:
                async with self._session.request(verb, target, data=body, headers=headers, **extra) as resp:
                    text = await resp.text()
                    status = resp.status
                    self._reconcile(resp.headers)
                    retry_after = _retry_after(resp.headers)
            except (aiohttp.ClientError, TimeoutError) as exc:
                if orders > 0:
                    raise UnknownOutcomeException(f'{verb} {method}', client_order_id, None, repr(exc)) from exc
                raise
            body_data = _parse(text)
            if 200 <= status < 300:
                return body_data
            if status == 418:
                client._limiter.block(retry_after or BAN_FALLBACK, banned=True)
                raise IPBannedException(status, body_data, retry_after)
            if status == 429:
                client._limiter.block(retry_after or RATE_LIMIT_FALLBACK)
                raise RateLimitException(status, body_data, retry_after)
            code = body_data.get('code') if isinstance(body_data, dict) else None
            if code == -1021 and security.signed and attempt == 0:
                log.info('%s %s rejected with -1021; re-syncing the clock and re-signing once', verb, url)
                await client.clock.sync(newer_than=signed_at)
                continue
            if orders > 0 and (status >= 500 or code in (-1007, -1006)):
                raise UnknownOutcomeException(f'{verb} {method}', client_order_id, code, f'HTTP {status}')
            raise StatusException(status, body_data)
        raise AssertionError('unreachable')  # pragma: no cover

    def _reconcile(self, headers: Any) -> None:
        client = self._client
        found = False
        for name, value in headers.items():
            lname = name.lower()
            if lname.startswith(_WEIGHT_PREFIX):
                client.used_weight[lname[len(_WEIGHT_PREFIX):]] = int(value)
                found = True
            elif lname.startswith(_ORDER_PREFIX):
                client.order_count[lname[len(_ORDER_PREFIX):]] = int(value)
                found = True
        if found:
            client._limiter.reconcile_headers(headers)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def _parse(text: str) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text
