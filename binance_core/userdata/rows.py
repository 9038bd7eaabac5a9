"""The user-data rows: a market's user-data wire as data, which is also the flow factory its
``binance_user_data_flow`` hook returns: :class:`ListenKeyUserData` (the listenKey flow, USDⓈ-M and COIN-M) and
:class:`WsApiUserData` (the WS-API subscription flow, Spot).

Each is also exported by its flow's module, :mod:`binance_core.userdata.listen_key_flow` and
:mod:`binance_core.userdata.ws_api_flow`, where it was defined before. They are defined here so that a plugin
declaring its row at import does not load the flow:
a row imports its flow when a client first starts one (``subscribe(SubType.USER)``), and ``import binance`` stays
fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from binance_core.specs import REST, WS

if TYPE_CHECKING:
    from binance_core.userdata import UserDataServices
    from binance_core.userdata.listen_key_flow import ListenKeyUserDataFlow
    from binance_core.userdata.ws_api_flow import WsApiUserDataFlow

__all__ = ['ListenKeyUserData', 'WsApiUserData']


def _positive(instance: Any, attribute: attrs.Attribute[Any], value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ValueError(f'{type(instance).__name__}.{attribute.name} must be a positive number of seconds')


def _keepalive(instance: Any, attribute: attrs.Attribute[Any], value: float) -> None:
    _positive(instance, attribute, value)
    if value >= 3600:
        raise ValueError(
            f'{type(instance).__name__}.keepalive={value!r}: a listenKey expires 60 minutes after its last '
            'keepalive; ping well inside that (Binance: every 30 to 50 minutes)'
        )


def _url(instance: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or not value.startswith('{host}/') or '{key}' not in value:
        raise ValueError(
            f"{type(instance).__name__}.url={value!r} must look like '{{host}}/private/ws?listenKey={{key}}': "
            'the stream host, a path, and the key'
        )


def _call(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, WS | REST):
        raise TypeError(
            f"{type(instance).__name__}.{attribute.name}={value!r} must be a call such as WS('userDataStream.start') "
            "or REST('POST', '/fapi/v1/listenKey')"
        )


@attrs.frozen(kw_only=True)
class ListenKeyUserData:
    """A market's listenKey user-data wire, as data. The row is also the flow factory the
    ``binance_user_data_flow`` hook returns.

    Attributes:
        start: the call that creates a key, or returns the active one again and extends it: ``WS(...)`` goes
            over the client's WS-API connection, ``REST(...)`` to its REST host (USDⓈ-M
            ``WS('userDataStream.start')``, COIN-M ``REST('POST', '/dapi/v1/listenKey')``). No params: the key
            is bound to the API key.
        ping: the keepalive call (``userDataStream.ping`` / ``PUT .../listenKey``).
        stop: the call that closes the key (``userDataStream.stop`` / ``DELETE .../listenKey``).
        url: the private stream URL, a ``str.format`` template over ``host`` (the client's stream host,
            without a trailing slash) and ``key``, e.g. ``'{host}/private/ws?listenKey={key}'``.
        weight: request weight of each call (1 on USDⓈ-M and COIN-M), security USER_STREAM.
        keepalive: seconds between keepalives; a key lives 60 minutes after the last one.
        max_age: seconds a stream connection is used before it is replaced, make before break (Binance
            closes every stream connection after 24 hours).
        overlap: at most this many seconds a planned handover keeps both connections open, waiting for an
            event on both; also how long copies of delivered events are recognised after a handover.
        expired_event: the event type ``e`` saying the key expired.
        expired_code: the error code of a keepalive for a key that does not exist.
    """

    start: WS | REST = attrs.field(validator=_call)
    ping: WS | REST = attrs.field(validator=_call)
    stop: WS | REST = attrs.field(validator=_call)
    url: str = attrs.field(validator=_url)
    weight: int = 1
    # FUTURES-API.md §4: "ping every 30-50 min". 30 leaves half the key's life for retries when a keepalive
    # fails (a WS-API reconnect, a rate-limit hold); the spec's 50 leaves 10 minutes. One weight per half hour.
    keepalive: float = attrs.field(default=30 * 60, validator=_keepalive)
    # Binance cuts a stream connection at 24 h; replacing it at 23 h leaves an hour for a handover that fails
    # and is retried, while costing one reconnect a day.
    max_age: float = attrs.field(default=23 * 3600, validator=_positive)
    overlap: float = attrs.field(default=5.0, validator=_positive)
    expired_event: str = 'listenKeyExpired'
    expired_code: int = -1125

    def __call__(self, services: UserDataServices) -> ListenKeyUserDataFlow:
        """The row is the flow factory the ``binance_user_data_flow`` hook returns."""
        from binance_core.userdata.listen_key_flow import ListenKeyUserDataFlow

        return ListenKeyUserDataFlow(services, self)


@attrs.frozen(kw_only=True)
class WsApiUserData:
    """A market's WS-API user-data wire, as data.

    Attributes:
        subscribe: the method a logged-on (Ed25519) session calls, e.g. ``'userDataStream.subscribe'``.
        subscribe_signed: the method signed per request by HMAC/RSA keys (and Ed25519 without logon).
        unsubscribe: the method that ends a subscription (takes ``subscriptionId``).
        weight: request weight of each of them.
        snapshot: what to fetch after a gap, when a handler listens for ``userDataSnapshot`` events:
            ``(key, method, weight)`` rows, each a signed ``USER_DATA`` WS-API request without params
            whose result goes under *key* in the event, e.g. ``('openOrders', 'openOrders.status', 80)``.
            ``()``: no snapshot.
    """

    subscribe: str
    subscribe_signed: str
    unsubscribe: str
    weight: int = 2
    snapshot: tuple[tuple[str, str, int], ...] = ()

    def __call__(self, services: UserDataServices) -> WsApiUserDataFlow:
        """The row is the flow factory the ``binance_user_data_flow`` hook returns."""
        from binance_core.userdata.ws_api_flow import WsApiUserDataFlow

        return WsApiUserDataFlow(services, self)
