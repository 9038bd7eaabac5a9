"""What USDⓈ-M and COIN-M share (``binance-futures-common``): row factories taking a market's roots and
names, the futures rate pools and enums, the ``pu`` sequencing rule and ``FuturesPlugin``; registers no
market. The test kit's futures fake (``fake.py``) and the shared test checks (``suite.py``) live here too
and are imported only by tests."""
