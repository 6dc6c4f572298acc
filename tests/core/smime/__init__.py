"""Tests of desktop_app.core.smime."""
