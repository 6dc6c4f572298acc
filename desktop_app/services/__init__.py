"""Adapters to the outside world: files, logging, keyring, Exchange."""
