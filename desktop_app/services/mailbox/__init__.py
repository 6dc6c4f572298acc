"""Where mail comes from and goes to: mailbox sources, the outbox, the certificate directory."""
