"""Fetching revocation answers: CRLs from distribution points and OCSP over HTTP."""
