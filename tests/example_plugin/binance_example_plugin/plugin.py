"""Adds a margin-account lookup to Spot and a dict-only book-ticker handler base."""

from binance_core import REST, Endpoint, SecurityType, hookimpl
from binance_core.assembly import for_markets
from binance_core.handlers import HandlerBase

ROWS = (
    Endpoint(
        name='get_margin_account',
        call=REST('GET', '/sapi/v1/margin/account'),
        security=SecurityType.USER_DATA,
        weight=10,
        summary='Cross-margin account details (added by the example plugin).',
    ),
)


class FastBookTickerHandlerBase(HandlerBase):
    """``<symbol>@bookTicker`` frames as plain dicts, skipping the DataFrame."""

    as_frame = False


@hookimpl
@for_markets('spot')
def binance_endpoints(market):
    return ROWS


@hookimpl
@for_markets('spot')
def binance_handler_bases(market):
    return (FastBookTickerHandlerBase,)
