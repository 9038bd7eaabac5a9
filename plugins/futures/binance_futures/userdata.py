"""Futures user data: the listenKey flow's wire per market, and the handler bases of the futures user events
(Binance derivatives "User Data Streams")."""

from __future__ import annotations

from binance_core import UserDataFlowFactory

__all__ = ['USER_HANDLER_BASES', 'user_data_flow']

USER_HANDLER_BASES: tuple[type, ...] = ()


def user_data_flow(api: str) -> UserDataFlowFactory | None:
    """The user-data flow factory of the market whose REST host label is *api*, or ``None`` (none yet).

    :param api: ``'fapi'`` (USDⓈ-M) or ``'dapi'`` (COIN-M).
    """
    return None
