"""Transports: the WebSocket API (``ws_api``), REST (``rest``) and market/user streams (``stream``)."""
