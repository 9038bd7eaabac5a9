"""USDⓈ-M futures endpoints (Binance derivatives docs, "USDⓈ-M Futures"), one row each."""

from binance_core.specs import REST, Endpoint
from binance_core.specs import SecurityType as S

ENDPOINTS = (
    Endpoint(name='ping', call=REST('GET', '/fapi/v1/ping'), security=S.NONE, weight=1,
             summary='Test connectivity.'),
    Endpoint(name='get_server_time', call=REST('GET', '/fapi/v1/time'), security=S.NONE, weight=1,
             summary='Current server time.'),
    Endpoint(name='get_exchange_info', call=REST('GET', '/fapi/v1/exchangeInfo'), security=S.NONE, weight=1,
             summary='Trading rules, rate limits and symbol information.'),
)
