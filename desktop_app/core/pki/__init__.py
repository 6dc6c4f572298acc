"""Certificate rules, trust and revocation rules, and what the certificate store holds."""
