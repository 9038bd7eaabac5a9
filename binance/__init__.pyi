# Generated from the rows by `python -m binance stubs`: do not edit by hand.
"""Types of the ``binance`` facade, which assembles these names from the installed plugins at import."""

import enum

from binance_core.assembly import Assembly
from binance_spot.handlers import AccountPositionHandlerBase as AccountPositionHandlerBase
from binance_spot.handlers import AggTradeHandlerBase as AggTradeHandlerBase
from binance_usdm.streams import AllAssetIndexHandlerBase as AllAssetIndexHandlerBase
from binance_spot.handlers import AllMarketMiniTickersHandlerBase as AllMarketMiniTickersHandlerBase
from binance_spot.handlers import AllMarketWindowTickersHandlerBase as AllMarketWindowTickersHandlerBase
from binance_usdm.streams import AssetIndexHandlerBase as AssetIndexHandlerBase
from binance_spot.handlers import AvgPriceHandlerBase as AvgPriceHandlerBase
from binance_spot.handlers import BalanceUpdateHandlerBase as BalanceUpdateHandlerBase
from binance_core.exceptions import BinanceSDKException as BinanceSDKException
from binance_spot.handlers import BlockTradeHandlerBase as BlockTradeHandlerBase
from binance_spot.handlers import BookTickerHandlerBase as BookTickerHandlerBase
from binance_coinm.client import CMFuturesClient as CMFuturesClient
from binance_usdm.streams import CompositeIndexHandlerBase as CompositeIndexHandlerBase
from binance_core.exceptions import ConnectionFailedException as ConnectionFailedException
from binance_core.exceptions import ConnectionLostException as ConnectionLostException
from binance_core.credentials import Credentials as Credentials
from binance_core.exceptions import CredentialsException as CredentialsException
from binance_core.exceptions import CredentialsRequiredException as CredentialsRequiredException
from binance_spot.handlers import EventStreamTerminatedHandlerBase as EventStreamTerminatedHandlerBase
from binance_spot.handlers import ExternalLockUpdateHandlerBase as ExternalLockUpdateHandlerBase
from binance_core.exceptions import FloatParamException as FloatParamException
from binance_futures.handlers import ForceOrderHandlerBase as ForceOrderHandlerBase
from binance_futures.userdata import FuturesAccountConfigUpdateHandlerBase as FuturesAccountConfigUpdateHandlerBase
from binance_futures.userdata import FuturesAccountUpdateHandlerBase as FuturesAccountUpdateHandlerBase
from binance_futures.handlers import FuturesAggTradeHandlerBase as FuturesAggTradeHandlerBase
from binance_futures.userdata import FuturesAlgoUpdateHandlerBase as FuturesAlgoUpdateHandlerBase
from binance_futures.handlers import FuturesAllMarketBookTickerHandlerBase as FuturesAllMarketBookTickerHandlerBase
from binance_futures.handlers import FuturesAllMarketLiquidationHandlerBase as FuturesAllMarketLiquidationHandlerBase
from binance_futures.handlers import FuturesAllMarketMarkPriceHandlerBase as FuturesAllMarketMarkPriceHandlerBase
from binance_futures.handlers import FuturesAllMarketMiniTickersHandlerBase as FuturesAllMarketMiniTickersHandlerBase
from binance_futures.handlers import FuturesAllMarketTickersHandlerBase as FuturesAllMarketTickersHandlerBase
from binance_futures.handlers import FuturesBookTickerHandlerBase as FuturesBookTickerHandlerBase
from binance_futures.handlers import FuturesContinuousKlineHandlerBase as FuturesContinuousKlineHandlerBase
from binance_futures.handlers import FuturesContractInfoHandlerBase as FuturesContractInfoHandlerBase
from binance_futures.handlers import FuturesKlineHandlerBase as FuturesKlineHandlerBase
from binance_futures.userdata import FuturesListenKeyExpiredHandlerBase as FuturesListenKeyExpiredHandlerBase
from binance_futures.userdata import FuturesMarginCallHandlerBase as FuturesMarginCallHandlerBase
from binance_futures.handlers import FuturesMiniTickerHandlerBase as FuturesMiniTickerHandlerBase
from binance_futures.handlers import FuturesOrderBookHandlerBase as FuturesOrderBookHandlerBase
from binance_futures.enums import FuturesOrderType as FuturesOrderType
from binance_futures.userdata import FuturesOrderUpdateHandlerBase as FuturesOrderUpdateHandlerBase
from binance_futures.handlers import FuturesPartialOrderBookHandlerBase as FuturesPartialOrderBookHandlerBase
from binance_futures.userdata import FuturesStrategyUpdateHandlerBase as FuturesStrategyUpdateHandlerBase
from binance_futures.handlers import FuturesTickerHandlerBase as FuturesTickerHandlerBase
from binance_futures.enums import FuturesTimeInForce as FuturesTimeInForce
from binance_futures.userdata import FuturesTradeLiteHandlerBase as FuturesTradeLiteHandlerBase
from binance_core.handlers.errors import HandlerExceptionHandlerBase as HandlerExceptionHandlerBase
from binance_core.exceptions import IPBannedException as IPBannedException
from binance_coinm.streams import IndexPriceHandlerBase as IndexPriceHandlerBase
from binance_coinm.streams import IndexPriceKlineHandlerBase as IndexPriceKlineHandlerBase
from binance_core.exceptions import InvalidParamException as InvalidParamException
from binance_core.exceptions import InvalidParamTypeException as InvalidParamTypeException
from binance_core.exceptions import InvalidParamValueException as InvalidParamValueException
from binance_core.exceptions import InvalidRowError as InvalidRowError
from binance_core.exceptions import InvalidSubParamsException as InvalidSubParamsException
from binance_core.exceptions import InvalidSubTypeParamException as InvalidSubTypeParamException
from binance_spot.handlers import KlineHandlerBase as KlineHandlerBase
from binance_core.exceptions import MalformedResponseException as MalformedResponseException
from binance_futures.enums import MarginType as MarginType
from binance_futures.handlers import MarkPriceHandlerBase as MarkPriceHandlerBase
from binance_coinm.streams import MarkPriceKlineHandlerBase as MarkPriceKlineHandlerBase
from binance_spot.handlers import MiniTickerHandlerBase as MiniTickerHandlerBase
from binance_core.exceptions import MissingParamException as MissingParamException
from binance_core.orderbook.managed import OrderBook as OrderBook
from binance_core.exceptions import OrderBookFetchAbandonedException as OrderBookFetchAbandonedException
from binance_core.orderbook.handler import OrderBookHandlerBase as OrderBookHandlerBase
from binance_spot.handlers import OrderListStatusHandlerBase as OrderListStatusHandlerBase
from binance_core.enums import OrderSide as OrderSide
from binance_core.enums import OrderType as OrderType
from binance_spot.handlers import OrderUpdateHandlerBase as OrderUpdateHandlerBase
from binance_core.exceptions import ParamsException as ParamsException
from binance_spot.handlers import PartialOrderBookHandlerBase as PartialOrderBookHandlerBase
from binance_core.exceptions import PluginConflictError as PluginConflictError
from binance_core.exceptions import PluginError as PluginError
from binance_futures.enums import PositionSide as PositionSide
from binance_core.exceptions import RateLimitException as RateLimitException
from binance_core.exceptions import RateLimitReachedException as RateLimitReachedException
from binance_core.rate_limit.snapshot import RateLimitSnapshot as RateLimitSnapshot
from binance_core.rate_limit.snapshot import RateLimitWindow as RateLimitWindow
from binance_core.rate_limit.limiter import RateLimiter as RateLimiter
from binance_spot.handlers import ReferencePriceHandlerBase as ReferencePriceHandlerBase
from binance_core.exceptions import RequestTimeoutException as RequestTimeoutException
from binance_core.transport.retry import RetryInfo as RetryInfo
from binance_core.exceptions import ReuseHandlerException as ReuseHandlerException
from binance_core.specs import SecurityType as SecurityType
from binance_spot.client import SpotClient as SpotClient
from binance_core.exceptions import StatusException as StatusException
from binance_core.exceptions import StreamAbandonedException as StreamAbandonedException
from binance_core.handlers.errors import StreamErrorHandlerBase as StreamErrorHandlerBase
from binance_core.exceptions import StreamRateLimitException as StreamRateLimitException
from binance_core.exceptions import StreamSubscribeException as StreamSubscribeException
from binance_spot.handlers import TickerHandlerBase as TickerHandlerBase
from volas import TimeFrame as TimeFrame
from binance_core.enums import TimeInForce as TimeInForce
from binance_core.exceptions import TooManyStreamsException as TooManyStreamsException
from binance_spot.handlers import TradeHandlerBase as TradeHandlerBase
from binance_usdm.streams import TradingSessionHandlerBase as TradingSessionHandlerBase
from binance_core.exceptions import TransportException as TransportException
from binance_usdm.client import UMFuturesClient as UMFuturesClient
from binance_core.exceptions import UnknownOutcomeException as UnknownOutcomeException
from binance_core.exceptions import UnknownParamException as UnknownParamException
from binance_core.exceptions import UnsupportedParamException as UnsupportedParamException
from binance_core.exceptions import UnsupportedSubTypeException as UnsupportedSubTypeException
from binance_spot.handlers import UserDataSnapshotHandlerBase as UserDataSnapshotHandlerBase
from binance_spot.handlers import WindowTickerHandlerBase as WindowTickerHandlerBase
from binance_futures.enums import WorkingType as WorkingType

__all__ = ['AccountPositionHandlerBase', 'AggTradeHandlerBase', 'AllAssetIndexHandlerBase', 'AllMarketMiniTickersHandlerBase', 'AllMarketWindowTickersHandlerBase', 'AssetIndexHandlerBase', 'AvgPriceHandlerBase', 'BalanceUpdateHandlerBase', 'BinanceSDKException', 'BlockTradeHandlerBase', 'BookTickerHandlerBase', 'CMFuturesClient', 'CompositeIndexHandlerBase', 'ConnectionFailedException', 'ConnectionLostException', 'Credentials', 'CredentialsException', 'CredentialsRequiredException', 'EventStreamTerminatedHandlerBase', 'ExternalLockUpdateHandlerBase', 'FloatParamException', 'ForceOrderHandlerBase', 'FuturesAccountConfigUpdateHandlerBase', 'FuturesAccountUpdateHandlerBase', 'FuturesAggTradeHandlerBase', 'FuturesAlgoUpdateHandlerBase', 'FuturesAllMarketBookTickerHandlerBase', 'FuturesAllMarketLiquidationHandlerBase', 'FuturesAllMarketMarkPriceHandlerBase', 'FuturesAllMarketMiniTickersHandlerBase', 'FuturesAllMarketTickersHandlerBase', 'FuturesBookTickerHandlerBase', 'FuturesContinuousKlineHandlerBase', 'FuturesContractInfoHandlerBase', 'FuturesKlineHandlerBase', 'FuturesListenKeyExpiredHandlerBase', 'FuturesMarginCallHandlerBase', 'FuturesMiniTickerHandlerBase', 'FuturesOrderBookHandlerBase', 'FuturesOrderType', 'FuturesOrderUpdateHandlerBase', 'FuturesPartialOrderBookHandlerBase', 'FuturesStrategyUpdateHandlerBase', 'FuturesTickerHandlerBase', 'FuturesTimeInForce', 'FuturesTradeLiteHandlerBase', 'HandlerExceptionHandlerBase', 'IPBannedException', 'IndexPriceHandlerBase', 'IndexPriceKlineHandlerBase', 'InvalidParamException', 'InvalidParamTypeException', 'InvalidParamValueException', 'InvalidRowError', 'InvalidSubParamsException', 'InvalidSubTypeParamException', 'KlineHandlerBase', 'MalformedResponseException', 'MarginType', 'MarkPriceHandlerBase', 'MarkPriceKlineHandlerBase', 'MiniTickerHandlerBase', 'MissingParamException', 'OrderBook', 'OrderBookFetchAbandonedException', 'OrderBookHandlerBase', 'OrderListStatusHandlerBase', 'OrderSide', 'OrderType', 'OrderUpdateHandlerBase', 'ParamsException', 'PartialOrderBookHandlerBase', 'PluginConflictError', 'PluginError', 'PositionSide', 'RateLimitException', 'RateLimitReachedException', 'RateLimitSnapshot', 'RateLimitWindow', 'RateLimiter', 'ReferencePriceHandlerBase', 'RequestTimeoutException', 'RetryInfo', 'ReuseHandlerException', 'SecurityType', 'SpotClient', 'StatusException', 'StreamAbandonedException', 'StreamErrorHandlerBase', 'StreamRateLimitException', 'StreamSubscribeException', 'SubType', 'TickerHandlerBase', 'TimeFrame', 'TimeInForce', 'TooManyStreamsException', 'TradeHandlerBase', 'TradingSessionHandlerBase', 'TransportException', 'UMFuturesClient', 'UnknownOutcomeException', 'UnknownParamException', 'UnsupportedParamException', 'UnsupportedSubTypeException', 'UserDataSnapshotHandlerBase', 'WindowTickerHandlerBase', 'WorkingType', 'assembly']

assembly: Assembly


class SubType(enum.Enum):
    AGG_TRADE = 'AGG_TRADE'
    KLINE = 'KLINE'
    MINI_TICKER = 'MINI_TICKER'
    TICKER = 'TICKER'
    BOOK_TICKER = 'BOOK_TICKER'
    PARTIAL_ORDER_BOOK = 'PARTIAL_ORDER_BOOK'
    ORDER_BOOK = 'ORDER_BOOK'
    ALL_MARKET_MINI_TICKERS = 'ALL_MARKET_MINI_TICKERS'
    USER = 'USER'
    TRADE = 'TRADE'
    KLINE_UTC8 = 'KLINE_UTC8'
    BLOCK_TRADE = 'BLOCK_TRADE'
    REFERENCE_PRICE = 'REFERENCE_PRICE'
    AVG_PRICE = 'AVG_PRICE'
    WINDOW_TICKER = 'WINDOW_TICKER'
    ALL_MARKET_WINDOW_TICKERS = 'ALL_MARKET_WINDOW_TICKERS'
    MARK_PRICE = 'MARK_PRICE'
    FORCE_ORDER = 'FORCE_ORDER'
    CONTINUOUS_KLINE = 'CONTINUOUS_KLINE'
    CONTRACT_INFO = 'CONTRACT_INFO'
    ALL_MARKET_MARK_PRICE = 'ALL_MARKET_MARK_PRICE'
    ALL_MARKET_LIQUIDATION = 'ALL_MARKET_LIQUIDATION'
    ALL_MARKET_TICKERS = 'ALL_MARKET_TICKERS'
    ALL_MARKET_BOOK_TICKER = 'ALL_MARKET_BOOK_TICKER'
    COMPOSITE_INDEX = 'COMPOSITE_INDEX'
    ASSET_INDEX = 'ASSET_INDEX'
    TRADING_SESSION = 'TRADING_SESSION'
    INDEX_PRICE = 'INDEX_PRICE'
    INDEX_PRICE_KLINE = 'INDEX_PRICE_KLINE'
    MARK_PRICE_KLINE = 'MARK_PRICE_KLINE'
