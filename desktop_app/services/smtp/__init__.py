"""SMTP submission (RFC 6409): STARTTLS or implicit TLS, AUTH PLAIN or XOAUTH2."""
