# Generated from the rows by `python -m binance stubs`: do not edit by hand.
"""Types of the futures clients (UMFuturesClient, CMFuturesClient)."""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar

from volas import TimeFrame

from binance import SubType as _SubType
from binance_core.client import BaseClient

__all__ = ['UMFuturesClient', 'CMFuturesClient']


class UMFuturesClient(BaseClient):
    """The usdm market client."""

    SubType: ClassVar[type[_SubType]]

    async def ping(self, *, extra_params: Mapping[str, Any] | None = None) -> Any:
        """Test connectivity."""

    async def get_server_time(self, *, extra_params: Mapping[str, Any] | None = None) -> Any:
        """Current server time."""

    async def get_exchange_info(self, *, extra_params: Mapping[str, Any] | None = None) -> Any:
        """Trading rules, rate limits and symbol information."""

    async def get_open_interest(self, *, symbol: str, extra_params: Mapping[str, Any] | None = None) -> Any:
        """Present open interest of a symbol."""

    async def get_orderbook(
        self,
        *,
        symbol: str,
        limit: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Order book snapshot of a symbol."""

    async def get_recent_trades(
        self,
        *,
        symbol: str,
        limit: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Recent market trades of a symbol."""

    async def get_historical_trades(
        self,
        *,
        symbol: str,
        limit: int | None = None,
        fromId: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Older market trades of a symbol (last month only)."""

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
        """Compressed, aggregate market trades of a symbol."""

    async def get_klines(
        self,
        *,
        symbol: str,
        interval: str | TimeFrame,
        startTime: int | None = None,
        endTime: int | None = None,
        limit: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Klines (candlesticks) of a symbol."""

    async def get_continuous_klines(
        self,
        *,
        pair: str,
        contractType: str,
        interval: str | TimeFrame,
        startTime: int | None = None,
        endTime: int | None = None,
        limit: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Klines of a pair for one contract type (PERPETUAL, CURRENT_QUARTER, ...)."""

    async def get_index_price_klines(
        self,
        *,
        pair: str,
        interval: str | TimeFrame,
        startTime: int | None = None,
        endTime: int | None = None,
        limit: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Index-price klines of a pair."""

    async def get_mark_price_klines(
        self,
        *,
        symbol: str,
        interval: str | TimeFrame,
        startTime: int | None = None,
        endTime: int | None = None,
        limit: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Mark-price klines of a symbol."""

    async def get_premium_index_klines(
        self,
        *,
        symbol: str,
        interval: str | TimeFrame,
        startTime: int | None = None,
        endTime: int | None = None,
        limit: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Premium-index klines of a symbol."""

    async def get_ticker(self, *, symbol: str | None = None, extra_params: Mapping[str, Any] | None = None) -> Any:
        """24-hour rolling price change statistics, one symbol (or COIN-M pair) or all."""

    async def get_orderbook_ticker(
        self,
        *,
        symbol: str | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Best bid/ask price and quantity, one symbol (or COIN-M pair) or all."""

    async def create_order(
        self,
        *,
        symbol: str,
        side: str,
        type: str,
        positionSide: str | None = None,
        timeInForce: str | None = None,
        reduceOnly: bool | str | None = None,
        quantity: str | Decimal | int | None = None,
        price: str | Decimal | int | None = None,
        newClientOrderId: str | None = None,
        newOrderRespType: str | None = None,
        priceMatch: str | None = None,
        selfTradePreventionMode: str | None = None,
        goodTillDate: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Place a new LIMIT or MARKET order (conditional orders: create_algo_order)."""

    async def modify_order(
        self,
        *,
        symbol: str,
        side: str,
        quantity: str | Decimal | int,
        price: str | Decimal | int,
        orderId: int | None = None,
        origClientOrderId: str | None = None,
        priceMatch: str | None = None,
        modifyId: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Modify the price and quantity of an open LIMIT order."""

    async def cancel_order(
        self,
        *,
        symbol: str,
        orderId: int | None = None,
        origClientOrderId: str | None = None,
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
        """Cancel every open order of a symbol."""

    async def get_order(
        self,
        *,
        symbol: str,
        orderId: int | None = None,
        origClientOrderId: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Check the status of an order."""

    async def get_open_orders(
        self,
        *,
        symbol: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Open orders of a symbol, or of all symbols."""

    async def create_batch_orders(
        self,
        *,
        batchOrders: Sequence[Any] | str,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Place up to 5 LIMIT or MARKET orders in one request."""

    async def cancel_batch_orders(
        self,
        *,
        symbol: str,
        orderIdList: Sequence[Any] | str | None = None,
        origClientOrderIdList: Sequence[Any] | str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Cancel up to 10 orders of a symbol in one request."""

    async def get_commission(
        self,
        *,
        symbol: str,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Commission rates of a symbol."""

    async def set_leverage(
        self,
        *,
        symbol: str,
        leverage: int,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Change the initial leverage of a symbol."""

    async def set_margin_type(
        self,
        *,
        symbol: str,
        marginType: str,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Change the margin type of a symbol: ISOLATED or CROSSED."""

    async def set_position_margin(
        self,
        *,
        symbol: str,
        amount: str | Decimal | int,
        type: int,
        positionSide: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Add (type=1) or reduce (type=2) the margin of an isolated position."""

    async def get_position_mode(
        self,
        *,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Current position mode: hedge (dualSidePosition true) or one-way."""

    async def set_position_mode(
        self,
        *,
        dualSidePosition: bool | str,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Change the position mode of every symbol: hedge (true) or one-way (false)."""

    async def get_open_interest_hist(
        self,
        *,
        symbol: str,
        period: str,
        limit: int | None = None,
        startTime: int | None = None,
        endTime: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Open interest history of a symbol (period 5m ... 1d; last month only)."""

    async def get_funding_rate(
        self,
        *,
        symbol: str | None = None,
        startTime: int | None = None,
        endTime: int | None = None,
        limit: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Funding rate history, of one symbol or all."""

    async def get_funding_info(self, *, extra_params: Mapping[str, Any] | None = None) -> Any:
        """Funding rate cap, floor and interval of the symbols that had them adjusted."""

    async def get_premium_index(
        self,
        *,
        symbol: str | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Mark price, index price and funding rate, one symbol or all."""

    async def get_ticker_price(
        self,
        *,
        symbol: str | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Latest price, one symbol or all."""

    async def create_test_order(
        self,
        *,
        symbol: str,
        side: str,
        type: str,
        positionSide: str | None = None,
        reduceOnly: bool | str | None = None,
        quantity: str | Decimal | int | None = None,
        price: str | Decimal | int | None = None,
        newClientOrderId: str | None = None,
        stopPrice: str | Decimal | int | None = None,
        closePosition: bool | str | None = None,
        activationPrice: str | Decimal | int | None = None,
        callbackRate: str | Decimal | int | None = None,
        timeInForce: str | None = None,
        workingType: str | None = None,
        priceProtect: bool | str | None = None,
        newOrderRespType: str | None = None,
        priceMatch: str | None = None,
        selfTradePreventionMode: str | None = None,
        goodTillDate: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Validate a new order without sending it to the matching engine."""

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

    async def get_position(
        self,
        *,
        symbol: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Position information, of one symbol or all."""

    async def get_account(
        self,
        *,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Account status: balances, margins and positions."""

    async def get_balance(
        self,
        *,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Balance of every asset."""

    async def get_position_risk(
        self,
        *,
        symbol: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Position risk of one symbol or all."""

    async def get_user_trades(
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
        """Account trade history of a symbol."""

    async def get_income(
        self,
        *,
        symbol: str | None = None,
        incomeType: str | None = None,
        startTime: int | None = None,
        endTime: int | None = None,
        page: int | None = None,
        limit: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Income history: realized PnL, funding fees, commissions, transfers..."""

    async def get_leverage_bracket(
        self,
        *,
        symbol: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Notional and leverage brackets, of one symbol or all."""

    async def get_multi_assets_mode(
        self,
        *,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Whether multi-assets margin mode is on."""

    async def set_multi_assets_mode(
        self,
        *,
        multiAssetsMargin: bool | str,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Turn multi-assets margin mode on ("true") or off ("false")."""

    async def create_algo_order(
        self,
        *,
        algoType: str,
        symbol: str,
        side: str,
        type: str,
        positionSide: str | None = None,
        timeInForce: str | None = None,
        quantity: str | Decimal | int | None = None,
        price: str | Decimal | int | None = None,
        triggerPrice: str | Decimal | int | None = None,
        workingType: str | None = None,
        priceMatch: str | None = None,
        closePosition: bool | str | None = None,
        priceProtect: bool | str | None = None,
        reduceOnly: bool | str | None = None,
        activatePrice: str | Decimal | int | None = None,
        callbackRate: str | Decimal | int | None = None,
        clientAlgoId: str | None = None,
        newOrderRespType: str | None = None,
        selfTradePreventionMode: str | None = None,
        goodTillDate: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Place a conditional (stop, take-profit or trailing-stop) algo order."""

    async def cancel_algo_order(
        self,
        *,
        algoId: int | None = None,
        clientAlgoId: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Cancel an active algo order."""

    async def get_algo_order(
        self,
        *,
        algoId: int | None = None,
        clientAlgoId: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Check the status of an algo order."""

    async def get_open_algo_orders(
        self,
        *,
        algoType: str | None = None,
        symbol: str | None = None,
        algoId: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Open algo orders of a symbol, or of all symbols."""

    async def get_all_algo_orders(
        self,
        *,
        symbol: str,
        algoId: int | None = None,
        startTime: int | None = None,
        endTime: int | None = None,
        limit: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Algo orders of a symbol: open, canceled, triggered, finished."""

    async def cancel_all_algo_orders(
        self,
        *,
        symbol: str,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Cancel every open algo order of a symbol."""


class CMFuturesClient(BaseClient):
    """The coinm market client."""

    SubType: ClassVar[type[_SubType]]

    async def ping(self, *, extra_params: Mapping[str, Any] | None = None) -> Any:
        """Test connectivity."""

    async def get_server_time(self, *, extra_params: Mapping[str, Any] | None = None) -> Any:
        """Current server time."""

    async def get_exchange_info(self, *, extra_params: Mapping[str, Any] | None = None) -> Any:
        """Trading rules, rate limits and symbol information."""

    async def get_open_interest(self, *, symbol: str, extra_params: Mapping[str, Any] | None = None) -> Any:
        """Present open interest of a symbol."""

    async def get_orderbook(
        self,
        *,
        symbol: str,
        limit: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Order book snapshot of a symbol."""

    async def get_recent_trades(
        self,
        *,
        symbol: str,
        limit: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Recent market trades of a symbol."""

    async def get_historical_trades(
        self,
        *,
        symbol: str,
        limit: int | None = None,
        fromId: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Older market trades of a symbol (last month only)."""

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
        """Compressed, aggregate market trades of a symbol."""

    async def get_klines(
        self,
        *,
        symbol: str,
        interval: str | TimeFrame,
        startTime: int | None = None,
        endTime: int | None = None,
        limit: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Klines (candlesticks) of a symbol."""

    async def get_continuous_klines(
        self,
        *,
        pair: str,
        contractType: str,
        interval: str | TimeFrame,
        startTime: int | None = None,
        endTime: int | None = None,
        limit: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Klines of a pair for one contract type (PERPETUAL, CURRENT_QUARTER, ...)."""

    async def get_index_price_klines(
        self,
        *,
        pair: str,
        interval: str | TimeFrame,
        startTime: int | None = None,
        endTime: int | None = None,
        limit: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Index-price klines of a pair."""

    async def get_mark_price_klines(
        self,
        *,
        symbol: str,
        interval: str | TimeFrame,
        startTime: int | None = None,
        endTime: int | None = None,
        limit: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Mark-price klines of a symbol."""

    async def get_premium_index_klines(
        self,
        *,
        symbol: str,
        interval: str | TimeFrame,
        startTime: int | None = None,
        endTime: int | None = None,
        limit: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Premium-index klines of a symbol."""

    async def get_ticker(
        self,
        *,
        symbol: str | None = None,
        pair: str | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """24-hour rolling price change statistics, one symbol (or COIN-M pair) or all."""

    async def get_orderbook_ticker(
        self,
        *,
        symbol: str | None = None,
        pair: str | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Best bid/ask price and quantity, one symbol (or COIN-M pair) or all."""

    async def create_order(
        self,
        *,
        symbol: str,
        side: str,
        type: str,
        positionSide: str | None = None,
        timeInForce: str | None = None,
        quantity: str | Decimal | int | None = None,
        reduceOnly: bool | str | None = None,
        price: str | Decimal | int | None = None,
        newClientOrderId: str | None = None,
        newOrderRespType: str | None = None,
        priceMatch: str | None = None,
        selfTradePreventionMode: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Place a new LIMIT or MARKET order (conditional orders: create_algo_order)."""

    async def modify_order(
        self,
        *,
        symbol: str,
        side: str,
        quantity: str | Decimal | int,
        price: str | Decimal | int,
        orderId: int | None = None,
        origClientOrderId: str | None = None,
        priceMatch: str | None = None,
        modifyId: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Modify the price and quantity of an open LIMIT order."""

    async def cancel_order(
        self,
        *,
        symbol: str,
        orderId: int | None = None,
        origClientOrderId: str | None = None,
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
        """Cancel every open order of a symbol."""

    async def get_order(
        self,
        *,
        symbol: str,
        orderId: int | None = None,
        origClientOrderId: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Check the status of an order."""

    async def get_open_orders(
        self,
        *,
        symbol: str | None = None,
        pair: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Open orders of a symbol, or of all symbols."""

    async def create_batch_orders(
        self,
        *,
        batchOrders: Sequence[Any] | str,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Place up to 5 LIMIT or MARKET orders in one request."""

    async def cancel_batch_orders(
        self,
        *,
        symbol: str,
        orderIdList: Sequence[Any] | str | None = None,
        origClientOrderIdList: Sequence[Any] | str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Cancel up to 10 orders of a symbol in one request."""

    async def get_commission(
        self,
        *,
        symbol: str,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Commission rates of a symbol."""

    async def set_leverage(
        self,
        *,
        symbol: str,
        leverage: int,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Change the initial leverage of a symbol."""

    async def set_margin_type(
        self,
        *,
        symbol: str,
        marginType: str,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Change the margin type of a symbol: ISOLATED or CROSSED."""

    async def set_position_margin(
        self,
        *,
        symbol: str,
        amount: str | Decimal | int,
        type: int,
        positionSide: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Add (type=1) or reduce (type=2) the margin of an isolated position."""

    async def get_position_mode(
        self,
        *,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Current position mode: hedge (dualSidePosition true) or one-way."""

    async def set_position_mode(
        self,
        *,
        dualSidePosition: bool | str,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Change the position mode of every symbol: hedge (true) or one-way (false)."""

    async def get_open_interest_hist(
        self,
        *,
        pair: str,
        period: str,
        contractType: str | None = None,
        limit: int | None = None,
        startTime: int | None = None,
        endTime: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Open interest history of a pair (period 5m ... 1d; last 30 days only)."""

    async def get_funding_rate(
        self,
        *,
        symbol: str,
        startTime: int | None = None,
        endTime: int | None = None,
        limit: int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Funding rate history of a perpetual symbol."""

    async def get_funding_info(self, *, extra_params: Mapping[str, Any] | None = None) -> Any:
        """Funding rate cap, floor and interval of the symbols that had them adjusted."""

    async def get_premium_index(
        self,
        *,
        symbol: str | None = None,
        pair: str | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Mark price, index price and funding rate, of a symbol, a pair or all (a list)."""

    async def get_ticker_price(
        self,
        *,
        symbol: str | None = None,
        pair: str | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Latest price, of a symbol, a pair or all."""

    async def get_all_orders(
        self,
        *,
        symbol: str | None = None,
        pair: str | None = None,
        orderId: int | None = None,
        startTime: int | None = None,
        endTime: int | None = None,
        limit: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """All orders of a symbol or a pair: active, canceled and filled."""

    async def get_position(
        self,
        *,
        marginAsset: str | None = None,
        pair: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Position information, of a margin asset, a pair or all."""

    async def get_account(
        self,
        *,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Account status: balances, margins and positions."""

    async def get_balance(
        self,
        *,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Balance of every asset."""

    async def get_position_risk(
        self,
        *,
        marginAsset: str | None = None,
        pair: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Position risk, of a margin asset, a pair or all."""

    async def get_user_trades(
        self,
        *,
        symbol: str | None = None,
        pair: str | None = None,
        orderId: int | None = None,
        startTime: int | None = None,
        endTime: int | None = None,
        fromId: int | None = None,
        limit: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Account trade history of a symbol or a pair."""

    async def get_income(
        self,
        *,
        symbol: str | None = None,
        incomeType: str | None = None,
        startTime: int | None = None,
        endTime: int | None = None,
        page: int | None = None,
        limit: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Income history: realized PnL, funding fees, commissions, transfers..."""

    async def get_leverage_bracket(
        self,
        *,
        symbol: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Notional and leverage brackets, of one symbol or all."""

    async def create_algo_order(
        self,
        *,
        algoType: str,
        symbol: str,
        side: str,
        type: str,
        positionSide: str | None = None,
        timeInForce: str | None = None,
        quantity: str | Decimal | int | None = None,
        price: str | Decimal | int | None = None,
        triggerPrice: str | Decimal | int | None = None,
        workingType: str | None = None,
        priceMatch: str | None = None,
        closePosition: bool | str | None = None,
        priceProtect: bool | str | None = None,
        reduceOnly: bool | str | None = None,
        activatePrice: str | Decimal | int | None = None,
        callbackRate: str | Decimal | int | None = None,
        clientAlgoId: str | None = None,
        newOrderRespType: str | None = None,
        selfTradePreventionMode: str | None = None,
        goodTillDate: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Place a conditional (stop, take-profit or trailing-stop) algo order."""

    async def cancel_algo_order(
        self,
        *,
        algoId: int | None = None,
        clientAlgoId: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Cancel an active algo order."""

    async def get_algo_order(
        self,
        *,
        algoId: int | None = None,
        clientAlgoId: str | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Check the status of an algo order."""

    async def get_open_algo_orders(
        self,
        *,
        algoType: str | None = None,
        symbol: str | None = None,
        algoId: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Open algo orders of a symbol, or of all symbols."""

    async def get_all_algo_orders(
        self,
        *,
        symbol: str,
        algoId: int | None = None,
        startTime: int | None = None,
        endTime: int | None = None,
        limit: int | None = None,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Algo orders of a symbol: open, canceled, triggered, finished."""

    async def cancel_all_algo_orders(
        self,
        *,
        symbol: str,
        recvWindow: str | Decimal | int | None = None,
        extra_params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Cancel every open algo order of a symbol."""
