"""Where mail comes from: mailbox sources and folders, and the certificate directory."""
