"""COIN-M futures market plugin for the async Binance SDK."""
