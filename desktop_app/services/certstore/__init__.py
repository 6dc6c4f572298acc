"""The SQLite certificate store: certificates, where they came from, and who used which."""
