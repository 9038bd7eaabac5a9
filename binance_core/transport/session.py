"""Helpers shared by the transports: the aiohttp import kept lazy (``import binance`` stays fast)."""

from __future__ import annotations

from typing import Any


def new_session(request_timeout: float) -> Any:
    """An aiohttp session for one client; *request_timeout* bounds every REST call."""
    import aiohttp

    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=request_timeout))
