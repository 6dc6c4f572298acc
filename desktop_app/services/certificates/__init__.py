"""Certificate sources beyond Exchange: LDAP directories and the admin-published bundle."""
