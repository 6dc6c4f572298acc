"""Certificates, trust, revocation and the certificate store."""
