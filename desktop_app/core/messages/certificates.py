"""Strings about certificates: verdicts, details and revocation lists."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    # certificate files
    "cert.unreadable": "{source} does not contain a certificate this program can read.",
    "crl.unreadable": "{source} is not a certificate revocation list this program can read.",
    # certificates
    "cert.empty": "{source} is empty.",
    "cert.none": "{source} holds no certificates.",
    "cert.damaged": "Certificate {number} in {source} is damaged and cannot be read.",
    "cert.unsupported_key": (
        "Certificate {number} in {source} has a kind of key this program does not support."
    ),
    "cert.password_needed": (
        "{source} is protected by a password: enter it to read the certificates."
    ),
    "cert.password_wrong": "The password for {source} is wrong, or the file is damaged.",
    "cert.pkcs12_too_costly": (
        "{source} asks for {rounds:,} rounds of password processing, far more than such files "
        "use, so it was not opened."
    ),
    "cert.unnamed": "(unnamed)",
    "cert.usable": "This certificate can be used to encrypt mail to {address}.",
    "cert.malformed": (
        "The certificate has extensions that cannot be read, so nothing in it can be relied on."
    ),
    "cert.wrong_address": "The certificate is issued for {issued_for}, not {address}.",
    "cert.no_address": (
        "The certificate names no e-mail address, so it cannot be used for {address}."
    ),
    "cert.key_usage_rsa": (
        "The certificate's key usage does not allow key encipherment, which encrypting to its "
        "RSA key needs."
    ),
    "cert.key_usage_ec": (
        "The certificate's key usage does not allow key agreement, which encrypting to its "
        "elliptic-curve key needs."
    ),
    "cert.not_for_email": (
        "The certificate is not issued for e-mail protection (see its extended key usage)."
    ),
    "cert.key_signing_only": "The certificate's {kind} key can sign but cannot encrypt.",
    "cert.key_unsupported": "The certificate has a kind of key this program cannot encrypt to.",
    "cert.expired": "The certificate expired on {date}.",
    "cert.not_yet_valid": "The certificate is not valid until {date}.",
    "cert.weak_rsa": "The certificate's RSA key has only {bits} bits; at least 2048 are needed.",
    "cert.weak_curve": (
        "The certificate's key is on the {curve} curve; only P-256, P-384 and P-521 are accepted."
    ),
    "cert.weak_signature": "The certificate is signed with {hash}, which can be forged.",
    "cert.authority_weak_signature": (
        "The authority certificate “{name}” in its chain is signed with {hash}, which can be "
        "forged."
    ),
    "cert.revoked": "The certificate was revoked by its issuer on {date}.",
    "cert.authority_revoked": (
        "The authority certificate “{name}” in its chain was revoked on {date}."
    ),
    "cert.untrusted.no_anchors": (
        "No trusted root certificates are set up, so no certificate can be trusted yet."
    ),
    "cert.untrusted.unknown_issuer": (
        "The certificate was issued by “{issuer}”, which is neither a trusted root nor a known "
        "intermediate authority."
    ),
    "cert.untrusted.unknown_root": (
        "The certificate's chain ends at “{name}”, issued by “{issuer}”, which is not a trusted "
        "root."
    ),
    "cert.untrusted.bad_signature": (
        "A signature in the certificate's chain does not check: a certificate in it is forged or "
        "damaged, or another authority has the same name."
    ),
    "cert.untrusted.weak_algorithm": (
        "A certificate in the chain is signed with an algorithm that is no longer accepted."
    ),
    "cert.untrusted.authority_key": (
        "An authority in the certificate's chain has a key that is too weak or of a kind that "
        "is not accepted."
    ),
    "cert.untrusted.authority_validity": (
        "The authority certificate “{name}” in its chain is valid only from {start} to {end}."
    ),
    "cert.untrusted.not_for_email": (
        "An authority in the certificate's chain is not allowed to issue e-mail certificates."
    ),
    "cert.untrusted.name_constraints": (
        "The certificate's address is outside the names an authority in its chain may issue "
        "certificates for."
    ),
    "cert.untrusted.critical_extension": (
        "The certificate or an authority in its chain has a critical extension this program does "
        "not understand."
    ),
    "cert.untrusted.other": "The certificate's chain to a trusted root could not be verified.",
    "details.title": "Certificate for {name}",
    "details.heading": "{recipient}",
    "details.usable": "Can read encrypted mail",
    "details.subject": "Subject",
    "details.addresses": "Issued for",
    "details.issuer": "Issued by",
    "details.valid_from": "Valid from",
    "details.valid_until": "Valid until",
    "details.key": "Key",
    "details.serial": "Serial number",
    "details.fingerprint": "SHA-256 fingerprint",
    "details.source": "Source",
    "details.source_imported": "Imported by you or your administrator",
    "details.source_directory": "Your organisation's directory",
    "details.source_harvested": "Learnt from a signed message",
    "details.source_other": "Unknown",
    "details.none": "none",
}
