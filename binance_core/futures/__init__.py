"""Building blocks shared by the USDⓈ-M and COIN-M plugins; inert until a plugin uses them."""
