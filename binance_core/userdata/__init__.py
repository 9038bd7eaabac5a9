"""User-data flows: Spot subscribes over the WS-API session; futures use the listenKey flow."""
