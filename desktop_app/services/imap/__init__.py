"""IMAP/SMTP accounts: the mailbox over IMAP, sending by SMTP submission."""
