# Generated from the rows by `python -m binance stubs`: do not edit by hand.
"""Types of ``binance.SpotClient`` (binance-market-spot): its methods, params and their kinds."""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar

from volas import TimeFrame

from binance import SubType as _SubType
from binance_core.client import BaseClient

__all__ = ['SpotClient']

class SpotClient(BaseClient):
    """The spot market client."""

    SubType: ClassVar[type[_SubType]]

    async def ping(self, *, extra_params: Mapping[str, Any] | None = None) -> Any:
        """Test connectivity."""

    async def get_server_time(self, *, extra_params: Mapping[str, Any] | None = None) -> Any:
        """Current server time."""

    async def get_exchange_info(
        self,
        *,
        symbol: str | None = None,
        symbols: Sequence[Any] | str | None = None,
        permissions: Sequence[Any] | str | None = None,
        showPermissionSets: bool | str | None = None,
        symbolStatus: str | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Trading rules, rate limits and symbol information."""

    async def get_orderbook(
        self,
        *,
        symbol: str,
        limit: int | None = None,
        symbolStatus: str | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Order book snapshot for a symbol."""

    async def get_klines(
        self,
        *,
        symbol: str,
        interval: str | TimeFrame,
        startTime: int | None = None,
        endTime: int | None = None,
        timeZone: Any = None,
        limit: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Klines (candlesticks) for a symbol."""

    async def get_ui_klines(
        self,
        *,
        symbol: str,
        interval: str | TimeFrame,
        startTime: int | None = None,
        endTime: int | None = None,
        timeZone: Any = None,
        limit: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Klines optimised for presentation of candlestick charts."""

    async def get_average_price(self, *, symbol: str, extra_params: Mapping[str, Any] | None = None) -> Any:
        """Current average price for a symbol."""

    async def get_recent_trades(
        self,
        *,
        symbol: str,
        limit: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Recent trades for a symbol."""

    async def get_historical_trades(
        self,
        *,
        symbol: str,
        fromId: int | None = None,
        limit: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Older trades for a symbol."""

    async def get_aggregate_trades(
        self,
        *,
        symbol: str,
        fromId: int | None = None,
        startTime: int | None = None,
        endTime: int | None = None,
        limit: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Aggregate trades for a symbol."""

    async def get_historical_block_trades(
        self,
        *,
        symbol: str,
        fromId: int,
        limit: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Historical block trades for a symbol."""

    async def get_ticker(
        self,
        *,
        symbol: str | None = None,
        symbols: Sequence[Any] | str | None = None,
        type: str | None = None,
        symbolStatus: str | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """24-hour rolling window price change statistics."""

    async def get_ticker_price(
        self,
        *,
        symbol: str | None = None,
        symbols: Sequence[Any] | str | None = None,
        symbolStatus: str | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Latest price for a symbol or symbols."""

    async def get_orderbook_ticker(
        self,
        *,
        symbol: str | None = None,
        symbols: Sequence[Any] | str | None = None,
        symbolStatus: str | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Best bid/ask price and quantity for a symbol or symbols."""

    async def get_rolling_window_ticker(
        self,
        *,
        symbol: str | None = None,
        symbols: Sequence[Any] | str | None = None,
        type: str | None = None,
        windowSize: str | None = None,
        symbolStatus: str | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Rolling-window price statistics (1m-7d window)."""

    async def get_trading_day_ticker(
        self,
        *,
        symbol: str | None = None,
        symbols: Sequence[Any] | str | None = None,
        timeZone: Any = None,
        type: str | None = None,
        symbolStatus: str | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Trading-day price statistics for a symbol or list."""

    async def get_execution_rules(
        self,
        *,
        symbol: str | None = None,
        symbols: Sequence[Any] | str | None = None,
        symbolStatus: str | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Per-symbol execution rules (price bands, order limits)."""

    async def get_reference_price(self, *, symbol: str, extra_params: Mapping[str, Any] | None = None) -> Any:
        """Current reference price for a symbol."""

    async def get_reference_price_calculation(
        self,
        *,
        symbol: str,
        symbolStatus: str | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Methodology used to compute the reference price."""

    async def get_account(
        self,
        *,
        omitZeroBalances: bool | str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Account information: balances and permissions."""

    async def get_trades(
        self,
        *,
        symbol: str,
        orderId: int | None = None,
        startTime: int | None = None,
        endTime: int | None = None,
        fromId: int | None = None,
        limit: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Account trade history for a symbol."""

    async def get_commission(
        self,
        *,
        symbol: str,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Current account commission rates."""

    async def get_order_rate_limit(
        self,
        *,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Current unfilled order count per order rate limit."""

    async def get_prevented_matches(
        self,
        *,
        symbol: str,
        preventedMatchId: int | None = None,
        orderId: int | None = None,
        fromPreventedMatchId: int | None = None,
        limit: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Orders expired by self-trade prevention."""

    async def get_allocations(
        self,
        *,
        symbol: str,
        startTime: int | None = None,
        endTime: int | None = None,
        fromAllocationId: int | None = None,
        limit: int | None = None,
        orderId: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Allocations resulting from SOR order placement."""

    async def get_order_amendments(
        self,
        *,
        symbol: str,
        orderId: int,
        fromExecutionId: int | None = None,
        limit: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Amendment history for a single order."""

    async def get_my_filters(
        self,
        *,
        symbol: str,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Account-relevant filters including MAX_ASSET limits."""

    async def create_order(
        self,
        *,
        symbol: str,
        side: str,
        type: str,
        timeInForce: str | None = None,
        price: str | Decimal | int | None = None,
        quantity: str | Decimal | int | None = None,
        quoteOrderQty: str | Decimal | int | None = None,
        newClientOrderId: str | None = None,
        newOrderRespType: str | None = None,
        stopPrice: str | Decimal | int | None = None,
        trailingDelta: int | None = None,
        icebergQty: str | Decimal | int | None = None,
        strategyId: int | None = None,
        strategyType: int | None = None,
        selfTradePreventionMode: str | None = None,
        pegPriceType: str | None = None,
        pegOffsetValue: int | None = None,
        pegOffsetType: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Place a new order."""

    async def create_test_order(
        self,
        *,
        symbol: str,
        side: str,
        type: str,
        computeCommissionRates: bool | str | None = None,
        timeInForce: str | None = None,
        price: str | Decimal | int | None = None,
        quantity: str | Decimal | int | None = None,
        quoteOrderQty: str | Decimal | int | None = None,
        newClientOrderId: str | None = None,
        newOrderRespType: str | None = None,
        stopPrice: str | Decimal | int | None = None,
        trailingDelta: int | None = None,
        icebergQty: str | Decimal | int | None = None,
        strategyId: int | None = None,
        strategyType: int | None = None,
        selfTradePreventionMode: str | None = None,
        pegPriceType: str | None = None,
        pegOffsetValue: int | None = None,
        pegOffsetType: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Validate a new order without sending it to the matching engine."""

    async def get_order(
        self,
        *,
        symbol: str,
        orderId: int | None = None,
        origClientOrderId: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Check the execution status of an order."""

    async def get_open_orders(
        self,
        *,
        symbol: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Open orders of a symbol, or of all symbols."""

    async def get_all_orders(
        self,
        *,
        symbol: str,
        orderId: int | None = None,
        startTime: int | None = None,
        endTime: int | None = None,
        limit: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """All orders of a symbol: active, canceled and filled."""

    async def cancel_order(
        self,
        *,
        symbol: str,
        orderId: int | None = None,
        origClientOrderId: str | None = None,
        newClientOrderId: str | None = None,
        cancelRestrictions: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Cancel an active order."""

    async def cancel_all_orders(
        self,
        *,
        symbol: str,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Cancel all open orders on a symbol, order lists included."""

    async def cancel_replace_order(
        self,
        *,
        symbol: str,
        cancelReplaceMode: str,
        cancelOrderId: int | None = None,
        cancelOrigClientOrderId: str | None = None,
        side: str,
        type: str,
        cancelNewClientOrderId: str | None = None,
        timeInForce: str | None = None,
        price: str | Decimal | int | None = None,
        quantity: str | Decimal | int | None = None,
        quoteOrderQty: str | Decimal | int | None = None,
        newClientOrderId: str | None = None,
        newOrderRespType: str | None = None,
        stopPrice: str | Decimal | int | None = None,
        trailingDelta: int | None = None,
        icebergQty: str | Decimal | int | None = None,
        strategyId: int | None = None,
        strategyType: int | None = None,
        selfTradePreventionMode: str | None = None,
        cancelRestrictions: str | None = None,
        orderRateLimitExceededMode: str | None = None,
        pegPriceType: str | None = None,
        pegOffsetValue: int | None = None,
        pegOffsetType: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Cancel an order and place a new one atomically."""

    async def amend_order(
        self,
        *,
        symbol: str,
        orderId: int | None = None,
        origClientOrderId: str | None = None,
        newQty: str | Decimal | int,
        newClientOrderId: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Reduce an open order's quantity, keeping its priority."""

    async def create_oco(
        self,
        *,
        symbol: str,
        side: str,
        quantity: str | Decimal | int,
        aboveType: str,
        belowType: str,
        listClientOrderId: str | None = None,
        aboveClientOrderId: str | None = None,
        aboveIcebergQty: str | Decimal | int | None = None,
        abovePrice: str | Decimal | int | None = None,
        aboveStopPrice: str | Decimal | int | None = None,
        aboveTrailingDelta: int | None = None,
        aboveTimeInForce: str | None = None,
        aboveStrategyId: int | None = None,
        aboveStrategyType: int | None = None,
        abovePegPriceType: str | None = None,
        abovePegOffsetType: str | None = None,
        abovePegOffsetValue: int | None = None,
        belowClientOrderId: str | None = None,
        belowIcebergQty: str | Decimal | int | None = None,
        belowPrice: str | Decimal | int | None = None,
        belowStopPrice: str | Decimal | int | None = None,
        belowTrailingDelta: int | None = None,
        belowTimeInForce: str | None = None,
        belowStrategyId: int | None = None,
        belowStrategyType: int | None = None,
        belowPegPriceType: str | None = None,
        belowPegOffsetType: str | None = None,
        belowPegOffsetValue: int | None = None,
        newOrderRespType: str | None = None,
        selfTradePreventionMode: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Place a One-Cancels-the-Other order list."""

    async def create_oto(
        self,
        *,
        symbol: str,
        workingType: str,
        workingSide: str,
        workingPrice: str | Decimal | int,
        workingQuantity: str | Decimal | int,
        pendingType: str,
        pendingSide: str,
        pendingQuantity: str | Decimal | int,
        listClientOrderId: str | None = None,
        newOrderRespType: str | None = None,
        selfTradePreventionMode: str | None = None,
        workingClientOrderId: str | None = None,
        workingIcebergQty: str | Decimal | int | None = None,
        workingTimeInForce: str | None = None,
        workingStrategyId: int | None = None,
        workingStrategyType: int | None = None,
        workingPegPriceType: str | None = None,
        workingPegOffsetType: str | None = None,
        workingPegOffsetValue: int | None = None,
        pendingClientOrderId: str | None = None,
        pendingPrice: str | Decimal | int | None = None,
        pendingStopPrice: str | Decimal | int | None = None,
        pendingTrailingDelta: int | None = None,
        pendingIcebergQty: str | Decimal | int | None = None,
        pendingTimeInForce: str | None = None,
        pendingStrategyId: int | None = None,
        pendingStrategyType: int | None = None,
        pendingPegOffsetType: str | None = None,
        pendingPegPriceType: str | None = None,
        pendingPegOffsetValue: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Place a One-Triggers-the-Other order list."""

    async def create_otoco(
        self,
        *,
        symbol: str,
        workingType: str,
        workingSide: str,
        workingPrice: str | Decimal | int,
        workingQuantity: str | Decimal | int,
        pendingSide: str,
        pendingQuantity: str | Decimal | int,
        pendingAboveType: str,
        listClientOrderId: str | None = None,
        newOrderRespType: str | None = None,
        selfTradePreventionMode: str | None = None,
        workingClientOrderId: str | None = None,
        workingIcebergQty: str | Decimal | int | None = None,
        workingTimeInForce: str | None = None,
        workingStrategyId: int | None = None,
        workingStrategyType: int | None = None,
        workingPegPriceType: str | None = None,
        workingPegOffsetType: str | None = None,
        workingPegOffsetValue: int | None = None,
        pendingAboveClientOrderId: str | None = None,
        pendingAbovePrice: str | Decimal | int | None = None,
        pendingAboveStopPrice: str | Decimal | int | None = None,
        pendingAboveTrailingDelta: int | None = None,
        pendingAboveIcebergQty: str | Decimal | int | None = None,
        pendingAboveTimeInForce: str | None = None,
        pendingAboveStrategyId: int | None = None,
        pendingAboveStrategyType: int | None = None,
        pendingAbovePegPriceType: str | None = None,
        pendingAbovePegOffsetType: str | None = None,
        pendingAbovePegOffsetValue: int | None = None,
        pendingBelowType: str | None = None,
        pendingBelowClientOrderId: str | None = None,
        pendingBelowPrice: str | Decimal | int | None = None,
        pendingBelowStopPrice: str | Decimal | int | None = None,
        pendingBelowTrailingDelta: int | None = None,
        pendingBelowIcebergQty: str | Decimal | int | None = None,
        pendingBelowTimeInForce: str | None = None,
        pendingBelowStrategyId: int | None = None,
        pendingBelowStrategyType: int | None = None,
        pendingBelowPegPriceType: str | None = None,
        pendingBelowPegOffsetType: str | None = None,
        pendingBelowPegOffsetValue: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Place a One-Triggers-One-Cancels-the-Other order list."""

    async def create_opo(
        self,
        *,
        symbol: str,
        workingType: str,
        workingSide: str,
        workingPrice: str | Decimal | int,
        workingQuantity: str | Decimal | int,
        pendingType: str,
        pendingSide: str,
        listClientOrderId: str | None = None,
        newOrderRespType: str | None = None,
        selfTradePreventionMode: str | None = None,
        workingClientOrderId: str | None = None,
        workingIcebergQty: str | Decimal | int | None = None,
        workingTimeInForce: str | None = None,
        workingStrategyId: int | None = None,
        workingStrategyType: int | None = None,
        workingPegPriceType: str | None = None,
        workingPegOffsetType: str | None = None,
        workingPegOffsetValue: int | None = None,
        pendingClientOrderId: str | None = None,
        pendingPrice: str | Decimal | int | None = None,
        pendingStopPrice: str | Decimal | int | None = None,
        pendingTrailingDelta: int | None = None,
        pendingIcebergQty: str | Decimal | int | None = None,
        pendingTimeInForce: str | None = None,
        pendingStrategyId: int | None = None,
        pendingStrategyType: int | None = None,
        pendingPegPriceType: str | None = None,
        pendingPegOffsetType: str | None = None,
        pendingPegOffsetValue: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Place a One-Pending-the-Other order list."""

    async def create_opoco(
        self,
        *,
        symbol: str,
        workingType: str,
        workingSide: str,
        workingPrice: str | Decimal | int,
        workingQuantity: str | Decimal | int,
        pendingSide: str,
        pendingAboveType: str,
        listClientOrderId: str | None = None,
        newOrderRespType: str | None = None,
        selfTradePreventionMode: str | None = None,
        workingClientOrderId: str | None = None,
        workingIcebergQty: str | Decimal | int | None = None,
        workingTimeInForce: str | None = None,
        workingStrategyId: int | None = None,
        workingStrategyType: int | None = None,
        workingPegPriceType: str | None = None,
        workingPegOffsetType: str | None = None,
        workingPegOffsetValue: int | None = None,
        pendingAboveClientOrderId: str | None = None,
        pendingAbovePrice: str | Decimal | int | None = None,
        pendingAboveStopPrice: str | Decimal | int | None = None,
        pendingAboveTrailingDelta: int | None = None,
        pendingAboveIcebergQty: str | Decimal | int | None = None,
        pendingAboveTimeInForce: str | None = None,
        pendingAboveStrategyId: int | None = None,
        pendingAboveStrategyType: int | None = None,
        pendingAbovePegPriceType: str | None = None,
        pendingAbovePegOffsetType: str | None = None,
        pendingAbovePegOffsetValue: int | None = None,
        pendingBelowType: str | None = None,
        pendingBelowClientOrderId: str | None = None,
        pendingBelowPrice: str | Decimal | int | None = None,
        pendingBelowStopPrice: str | Decimal | int | None = None,
        pendingBelowTrailingDelta: int | None = None,
        pendingBelowIcebergQty: str | Decimal | int | None = None,
        pendingBelowTimeInForce: str | None = None,
        pendingBelowStrategyId: int | None = None,
        pendingBelowStrategyType: int | None = None,
        pendingBelowPegPriceType: str | None = None,
        pendingBelowPegOffsetType: str | None = None,
        pendingBelowPegOffsetValue: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Place a One-Pending-One-Cancels-the-Other order list."""

    async def cancel_oco(
        self,
        *,
        symbol: str,
        orderListId: int | None = None,
        listClientOrderId: str | None = None,
        newClientOrderId: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Cancel an active order list."""

    async def get_oco(
        self,
        *,
        origClientOrderId: str | None = None,
        orderListId: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Check the execution status of an order list."""

    async def get_all_oco(
        self,
        *,
        fromId: int | None = None,
        startTime: int | None = None,
        endTime: int | None = None,
        limit: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Order-list history, filtered by time range."""

    async def get_open_oco(
        self,
        *,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Open order lists."""

    async def create_sor_order(
        self,
        *,
        symbol: str,
        side: str,
        type: str,
        quantity: str | Decimal | int,
        timeInForce: str | None = None,
        price: str | Decimal | int | None = None,
        newClientOrderId: str | None = None,
        newOrderRespType: str | None = None,
        icebergQty: str | Decimal | int | None = None,
        strategyId: int | None = None,
        strategyType: int | None = None,
        selfTradePreventionMode: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Place an order using Smart Order Routing."""

    async def create_test_sor_order(
        self,
        *,
        symbol: str,
        side: str,
        type: str,
        quantity: str | Decimal | int,
        computeCommissionRates: bool | str | None = None,
        timeInForce: str | None = None,
        price: str | Decimal | int | None = None,
        newClientOrderId: str | None = None,
        newOrderRespType: str | None = None,
        icebergQty: str | Decimal | int | None = None,
        strategyId: int | None = None,
        strategyType: int | None = None,
        selfTradePreventionMode: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Validate a Smart Order Routing order without placing it."""

    async def session_logon(
        self,
        *,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Log the connection on with the API key (Ed25519 only); later signed requests need no signature."""

    async def get_session_status(self, *, extra_params: Mapping[str, Any] | None = None) -> Any:
        """Which API key (if any) authorizes the current connection."""

    async def get_session_subscriptions(self, *, extra_params: Mapping[str, Any] | None = None) -> Any:
        """Active user-data subscriptions on the connection."""

    async def session_logout(self, *, extra_params: Mapping[str, Any] | None = None) -> Any:
        """Forget the API key authorizing the connection; the connection stays open."""
