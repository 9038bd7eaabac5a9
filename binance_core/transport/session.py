"""Helpers shared by the transports: the aiohttp import kept lazy (``import binance`` stays fast)."""

from __future__ import annotations

from typing import Any


def new_session(request_timeout: float) -> Any:
    """An aiohttp session for one client; *request_timeout* bounds every REST call.

    aiohttp silently sends a PUT or DELETE again when a kept-alive connection drops under it
    (its "retry persistent connection"): for an order modify or cancel that is a second send of a
    request that may have executed, so it is switched off. aiohttp's own test client does the same
    with the same attribute; ``tests/test_transport_errors.py`` fails if it ever stops working.
    """
    import aiohttp

    session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=request_timeout))
    session._retry_connection = False
    return session
