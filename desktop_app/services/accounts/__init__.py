"""Mail accounts of every kind (exchange, m365, imap): what is stored, and how each opens."""
