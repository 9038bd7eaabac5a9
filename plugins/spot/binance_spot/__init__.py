"""Spot market plugin for the async Binance SDK: tables and Spot-only behaviour."""
