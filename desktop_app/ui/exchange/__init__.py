"""Exchange windows: the account dialog."""
