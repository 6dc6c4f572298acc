"""Where mail comes from: message lists and folders, and the certificate directory."""
