"""Addresses, recipients, replies and the one status rule."""
