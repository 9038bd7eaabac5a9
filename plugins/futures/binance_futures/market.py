"""A futures market's spec from what differs per market (names, host labels); the rest is the same for
USDⓈ-M and COIN-M: the params Binance takes as text and the kinds of the params only futures rows name."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from binance_core.paramkinds import Kind
from binance_core.specs import Hosts, MarketSpec, OrderBookSpec

__all__ = ['FUTURES_PARAM_KINDS', 'FUTURES_TEXT_PARAMS', 'TESTNET_REST', 'futures_hosts', 'futures_market']

# One REST host serves the testnets of both futures markets (OFF-COMMON constants).
TESTNET_REST = 'https://testnet.binancefuture.com'

# Params USDⓈ-M and COIN-M type STRING or ENUM wherever they appear (UM/CM "Trade", "Market Data" and
# "Account" parameter tables): the client refuses any of them given as a number, list, dict, bool,
# Decimal or an empty string, before sending. Left out: ids (`orderId` LONG), DECIMALs, arrays
# (`orderIdList`, `origClientOrderIdList`, `batchOrders`), and the "true"/"false" STRING flags
# (`reduceOnly`, `closePosition`, `priceProtect`, `dualSidePosition`, `multiAssetsMargin`), where a
# bool is what users pass. `type` is an INT (1 add, 2 reduce) on `positionMargin` and its history:
# those rows, when added, say `not_text=('type',)`.
FUTURES_TEXT_PARAMS = frozenset(
    {
        'symbol',
        'pair',
        'contractType',
        'interval',
        'period',
        'side',
        'positionSide',
        'type',
        'timeInForce',
        'workingType',
        'priceMatch',
        'selfTradePreventionMode',
        'newOrderRespType',
        'newClientOrderId',
        'origClientOrderId',
        'marginType',
        'asset',
        'marginAsset',
        'incomeType',
        'autoCloseType',
    }
)

# Kinds of the params the futures rows declare that binance_core.paramkinds.KINDS does not name
# (``MarketSpec.param_kinds``). Empty: KINDS already types every name the USDⓈ-M and COIN-M rows declare, the
# futures-only ones included (`modifyId`, `goodTillDate`, `triggerPrice`, `algoId`, ...). A row that types a name
# differently says so itself (``Endpoint.kinds``: `positionMargin`'s INT `type`); a futures-only name a row adds
# goes here (the shared row checks refuse a declared param without a kind).
FUTURES_PARAM_KINDS: Mapping[str, Kind] = MappingProxyType({})


def futures_hosts(*, api: str, stream: str) -> dict[str, Hosts]:
    """Binance's futures hosts per environment, from a market's two host labels (OFF-COMMON, FUTURES-API.md
    §1-§2). USDⓈ-M, ``api='fapi', stream='fstream'``:

    - live: ``https://fapi.binance.com``, WS-API ``wss://ws-fapi.binance.com/ws-fapi/v1``, streams
      ``wss://fstream.binance.com``;
    - testnet: ``https://testnet.binancefuture.com``, ``wss://testnet.binancefuture.com/ws-fapi/v1``,
      ``wss://fstream.binancefuture.com``;
    - demo: ``https://demo-fapi.binance.com``, streams ``wss://demo-fstream.binance.com``, and no WS-API
      host: none is documented for futures demo trading, so none is guessed (a WS-API call on ``'demo'``
      fails with a clear error unless ``ws_api_host=`` is given) rather than silently pointing at the testnet.

    COIN-M is the same with ``api='dapi', stream='dstream'``; each plugin's tests check every host literally.
    """
    ws_api_path = f'/ws-{api}/v1'
    return {
        'live': Hosts(
            rest=f'https://{api}.binance.com',
            ws_api=f'wss://ws-{api}.binance.com{ws_api_path}',
            stream=f'wss://{stream}.binance.com',
        ),
        'testnet': Hosts(
            rest=TESTNET_REST,
            ws_api=f'wss://testnet.binancefuture.com{ws_api_path}',
            stream=f'wss://{stream}.binancefuture.com',
        ),
        'demo': Hosts(rest=f'https://demo-{api}.binance.com', ws_api=None, stream=f'wss://demo-{stream}.binance.com'),
    }


def futures_market(
    *,
    name: str,
    client_name: str,
    distribution: str,
    hosts: Mapping[str, Hosts],
    orderbook: OrderBookSpec | None = None,
    session_logon: bool = True,
) -> MarketSpec:
    """A futures ``MarketSpec``: time sync through ``get_server_time`` (``general_endpoints``), 10
    control messages per second per stream connection (UM-MS, CM-MS; Spot allows 5),
    :data:`FUTURES_TEXT_PARAMS` as the params checked to be text before sending and :data:`FUTURES_PARAM_KINDS`
    as the kinds of the params only futures rows name.

    :param name: the market key (``'usdm'``).
    :param client_name: the exported client class (``'UMFuturesClient'``).
    :param distribution: the plugin's distribution, named in ImportErrors.
    :param hosts: ``Hosts`` per environment (:func:`futures_hosts`).
    :param orderbook: the managed order book's spec, once the market has a depth row.
    :param session_logon: whether the market's WS-API offers ``session.logon`` (``MarketSpec.session_logon``).
    """
    return MarketSpec(
        name=name,
        client_name=client_name,
        distribution=distribution,
        hosts=hosts,
        time_endpoint='get_server_time',
        orderbook=orderbook,
        stream_message_rate=10,
        # -1021 (gateway) and -5028 (matching engine) both mean "outside recvWindow, not executed":
        # re-sync the clock and re-sign once (FUTURES-API.md §7).
        resign_codes=frozenset({-1021, -5028}),
        text_params=FUTURES_TEXT_PARAMS,
        param_kinds=FUTURES_PARAM_KINDS,
        session_logon=session_logon,
        ws_api_connect_weight=5,  # a futures WS-API handshake costs 5 weight (FUTURES-API.md §8)
    )
