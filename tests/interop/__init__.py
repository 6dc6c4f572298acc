"""Interoperability tests that start real programs (OpenSSL, NSS, gpgsm)."""
