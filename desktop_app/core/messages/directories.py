"""Strings of the certificate sources beyond Exchange: LDAP directories and the admin bundle."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    # configuration
    "directory.bad_name": (
        "“{name}” is not a directory name: use letters, digits, dots, dashes and underscores."
    ),
    "directory.name_taken": "A directory named “{name}” is already set up.",
    "directory.no_such": "No directory named “{name}” is set up (see: smime-guard directory list).",
    "directory.admin_owned": (
        "“{name}” is set up by your administrator in {path}; only they can remove it."
    ),
    "directory.bad_ldap_url": (
        "“{url}” is not an LDAP address: give ldaps://host[:port] or ldap://host[:port] "
        "(StartTLS is then required)."
    ),
    "directory.plain_text": (
        "“{url}” would send addresses and the password in clear text: use ldaps://, or "
        "ldap:// with StartTLS (plain LDAP is allowed only to 127.0.0.1)."
    ),
    "directory.no_password": (
        "The directory “{name}” binds as {bind_dn}, but no password for it is in the "
        "keyring. Add the directory again with --password-env."
    ),
    "directory.password_env_missing": "The environment variable {variable} is not set.",
    "directory.no_gssapi": (
        "Kerberos sign-in needs the Python package “gssapi”, which is not installed here."
    ),
    "directory.bad_table": "{path}: a [[directory]] table is not usable: {reason}",
    "directory.file_invalid": "{path} is not a directory list this version can read.",
    # what a lookup says
    "directory.unreachable": "directory {name} not reachable: {reason}",
    "directory.bind_refused": (
        "The directory {name} refused the sign-in as {bind_dn}: check the account and password."
    ),
    "directory.tls_failed": "A secure connection to the directory {name} failed: {reason}",
    "directory.referral": (
        "The directory {name} refers this search to another server ({where}), which is not "
        "followed: set that server up as its own directory."
    ),
    "directory.refused": "The directory {name} refused the search: {reason}",
    "directory.list_cut": "the list {address} has more than {cap} members; not all were read",
    "directory.member_no_address": "a member of the list {address} has no mail address",
    "directory.timed_out": "no answer within {seconds:g} s",
    "directory.untrusted": (
        "the server's certificate is not from a trusted CA (give the CA's PEM file with --ca-file)"
    ),
    "directory.ok": "The directory {name} answers ({label}).",
    "directory.added": "Directory {name} added ({label}).",
    "directory.removed": "Directory {name} removed.",
    "directory.none": "No directories are set up.",
    "directory.lookup_failed": "The lookup of {address} failed: {failure}",
    "directory.unreadable_value": "the directory holds a value here that is no certificate",
    # the admin bundle
    "bundle.bad_export": "{where} is not a certificate export: {reason}",
    "bundle.skipped_address": "left out a recipient without a usable address ({address})",
    "bundle.skipped_value": "left out certificate #{number} of {address}: it is no certificate",
    "bundle.bad_manifest": "The bundle's signed content is not a certificate manifest.",
    "bundle.not_signed": "The bundle is not a signed bundle: {reason}",
    "bundle.wrong_signer": (
        "The bundle is not signed by the administrator pinned for it: {reason}"
    ),
    "bundle.rolled_back": (
        "The bundle offered is older ({offered}) than the one held ({held}): refused."
    ),
    "bundle.stale": "The bundle was exported on {exported}, more than {days} days ago: refused.",
    "bundle.future": "The bundle claims an export date in the future ({exported}): refused.",
    "bundle.refused_kept": (
        "The certificate bundle {name} was refused, and the one from {held} is still used: {reason}"
    ),
    "bundle.refused_none": "The certificate bundle {name} was refused: {reason}",
    "bundle.fetch_failed": "The certificate bundle {name} could not be fetched: {reason}",
    "bundle.needs_https": (
        "“{url}” is not an https:// address; a bundle is fetched over HTTPS (plain http only "
        "to 127.0.0.1)."
    ),
    "bundle.bad_signer_file": "The admin signer {path} cannot be read: {reason}",
    "bundle.bad_p12": "{path} does not open as a signing key and certificate: {reason}",
    "bundle.built": "Wrote {path}: {count} recipients, exported {exported}.",
    "bundle.none_held": "no bundle has been accepted yet",
    # the life cycle of certificates
    "lifecycle.own_expires": (
        "Your certificate for {address} expires in {days} days ({date}). Ask your "
        "administrator for a new one now, and import it (smime-guard identity import) before "
        "then: after that date you cannot sign, and others cannot encrypt to you."
    ),
    "lifecycle.own_expired": (
        "Your certificate for {address} expired on {date}: you cannot sign, and others cannot "
        "encrypt to you. Ask your administrator for a new one and import it."
    ),
    "lifecycle.expires_soon": "expires {date}",
    "lifecycle.pinned": "Pinned {fingerprint} for {address}.",
    "lifecycle.unpinned": "No certificate is pinned for {address} any more.",
    "lifecycle.pin_unknown": (
        "No usable certificate {fingerprint} is known for {address}; see: smime-guard "
        "directory lookup {address}"
    ),
    "lifecycle.key_accepted": "The new key of {address} ({fingerprint}) is accepted.",
    # certificate details and tokens
    "details.source_ldap": "The LDAP directory “{name}”",
    "details.source_bundle": "Your administrator's certificate bundle “{name}”",
    "token.key_changed": "new key",
    "token.expires_soon": "expires soon",
    "lifecycle.expires_soon_notice": (
        "The certificate used for {address} expires on {date}: ask them for their new one "
        "soon, or it will stop covering them."
    ),
}
