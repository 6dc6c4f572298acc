"""Real mail servers on 127.0.0.1 for tests (SMTP submission; IMAP lives beside it)."""
