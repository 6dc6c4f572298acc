"""Where certificates are looked up: the CertificateSource port, LDAP directories, the
admin-published bundle, and the one translator of every directory's findings to evidence."""
