"""What USDⓈ-M and COIN-M share: row factories, enums, the ``pu`` sequencing rule; registers no market."""
