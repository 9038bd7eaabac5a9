"""The spec's public surface that must not depend on what is installed: its clients, with the distribution
that brings each, and every ``SubType`` member, with the markets the spec offers it on.

``binance`` uses this to name the distribution to install in an ``ImportError`` or an
``UnsupportedSubTypeException``, and builds ``SubType`` with every member below whatever is installed (plus
any a plugin adds), so ``SubType.USER`` exists in an environment with only USDⓈ-M and ``SubType.TRADE`` in one
with only COIN-M.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ['MARKETS', 'SUB_TYPES']

# market -> (client class, distribution).
MARKETS: Mapping[str, tuple[str, str]] = {
    'spot': ('SpotClient', 'binance-market-spot'),
    'usdm': ('UMFuturesClient', 'binance-market-usdm'),
    'coinm': ('CMFuturesClient', 'binance-market-coinm'),
}

_S, _F, _UM, _CM = ('spot',), ('usdm', 'coinm'), ('usdm',), ('coinm',)

# Every SubType member of the spec -> the markets it is offered on (api-spec.txt "SubType (Spot)", "SubType
# (Futures)"). Spot lists ALL_MARKET_TICKERS and ALL_MARKET_BOOK_TICKER as members it refuses with a reason (its
# rows say why); they are futures streams. Not formatted: a table.
# fmt: off
SUB_TYPES: Mapping[str, tuple[str, ...]] = {
    # Spot and futures
    'AGG_TRADE': (*_S, *_F), 'KLINE': (*_S, *_F), 'MINI_TICKER': (*_S, *_F), 'TICKER': (*_S, *_F),
    'BOOK_TICKER': (*_S, *_F), 'PARTIAL_ORDER_BOOK': (*_S, *_F), 'ORDER_BOOK': (*_S, *_F),
    'ALL_MARKET_MINI_TICKERS': (*_S, *_F), 'USER': (*_S, *_F),
    # Spot only
    'TRADE': _S, 'KLINE_UTC8': _S, 'BLOCK_TRADE': _S, 'REFERENCE_PRICE': _S, 'AVG_PRICE': _S,
    'WINDOW_TICKER': _S, 'ALL_MARKET_WINDOW_TICKERS': _S,
    # futures (USDⓈ-M and COIN-M)
    'MARK_PRICE': _F, 'FORCE_ORDER': _F, 'CONTINUOUS_KLINE': _F, 'CONTRACT_INFO': _F, 'ALL_MARKET_MARK_PRICE': _F,
    'ALL_MARKET_LIQUIDATION': _F, 'ALL_MARKET_TICKERS': _F, 'ALL_MARKET_BOOK_TICKER': _F,
    # USDⓈ-M only
    'COMPOSITE_INDEX': _UM, 'ASSET_INDEX': _UM, 'TRADING_SESSION': _UM,
    # COIN-M only
    'INDEX_PRICE': _CM, 'INDEX_PRICE_KLINE': _CM, 'MARK_PRICE_KLINE': _CM,
}
# fmt: on
