"""PySide6 views and models (thin)."""
