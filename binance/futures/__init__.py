"""Futures-specific public names (``binance.futures.enums``)."""
