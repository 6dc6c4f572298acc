"""The organisation's sending policy: which domains are internal, when encryption is required."""
