"""Three deliberate mistakes, each reported by the type checker on its own line (tests/test_stubs.py runs mypy
and compares the report with the comments below, exactly)."""

from binance import SpotClient


async def mistakes(spot: SpotClient) -> None:
    await spot.get_order_book(symbol='BTCUSDT')  # error: no such method (it is get_orderbook)
    await spot.create_order(symbol='BTCUSDT', side='BUY', type='MARKET', quantty='1')  # error: unknown param
    await spot.create_order(symbol='BTCUSDT', side='BUY')  # error: missing required param `type`
