"""Windows for mail accounts of every kind."""
