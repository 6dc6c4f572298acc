"""Adapters to the outside world behind three ports (certificate sources, transports,
mailboxes), and the store, keyring, outbox, audit and files they use."""
