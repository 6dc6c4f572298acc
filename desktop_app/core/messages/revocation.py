"""Strings about revocation: CRLs and OCSP answers, and what is said when nobody knows."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    # what the one rule says about a recipient
    "status.revocation_checking": "Still checking whether the certificate for {address} "
    "was revoked.",
    "status.revocation_unknown": (
        "Nobody could confirm that the certificate for {address} is still valid: {reason} "
        "The policy requires that, so this recipient is not covered."
    ),
    "status.revoked_online": "The certificate was revoked on {date} ({source}).",
    "notice.revocation_unknown": (
        "Could not check whether the certificate for {address} was revoked: {reason} "
        "It is used anyway; if it was revoked, someone else may be able to read the message."
    ),
    "token.revocation_unknown": "revocation unknown",
    "status_line.more_notices": (
        "…and {count} more like this (each recipient's tooltip says which)."
    ),
    # why no answer could be had (each a sentence)
    "revocation.not_checked": "its revocation was not checked.",
    "revocation.no_sources": (
        "the certificate names no revocation list or OCSP responder, and no current list "
        "from its issuer is stored."
    ),
    "revocation.no_issuer": "the certificate of its issuer is not known.",
    "revocation.offline": "working offline, and no current revocation list is stored.",
    "revocation.crl_wrong_issuer": "the revocation list at {where} is from another authority.",
    "revocation.crl_bad_signature": (
        "the revocation list at {where} is not signed by the certificate's issuer."
    ),
    "revocation.crl_issuer_may_not_sign": (
        "the issuer's certificate does not allow it to sign revocation lists ({where})."
    ),
    "revocation.crl_out_of_date": (
        "the revocation list at {where} is out of date (it should have been replaced on {date})."
    ),
    "revocation.crl_no_next_update": "the revocation list at {where} gives no next update.",
    "revocation.crl_not_yet_valid": "the revocation list at {where} is dated in the future.",
    "revocation.crl_unsupported": (
        "the revocation list at {where} is of a kind this program cannot use ({kind})."
    ),
    "revocation.crl_unreadable": "the revocation list at {where} cannot be read.",
    "revocation.fetch_timeout": "{where} did not answer in time.",
    "revocation.fetch_too_large": "{where} sent more than {limit:,} bytes.",
    "revocation.fetch_http_error": "{where} answered with HTTP status {status}.",
    "revocation.fetch_failed": "{where} could not be reached.",
    "revocation.ocsp_unreadable": "the OCSP answer from {where} cannot be read.",
    "revocation.ocsp_refused": "the OCSP responder at {where} refused the request ({status}).",
    "revocation.ocsp_other_certificate": (
        "the OCSP answer from {where} is about another certificate."
    ),
    "revocation.ocsp_bad_signer": (
        "the OCSP answer from {where} is not signed by the issuer or a responder it authorised."
    ),
    "revocation.ocsp_bad_signature": "the OCSP answer from {where} has a signature that "
    "does not check.",
    "revocation.ocsp_out_of_date": "the OCSP answer from {where} is out of date.",
    "revocation.ocsp_not_yet_valid": "the OCSP answer from {where} is dated in the future.",
    "revocation.ocsp_nonce": "the OCSP answer from {where} does not belong to our request.",
    "revocation.ocsp_unknown": "the OCSP responder at {where} does not know the certificate.",
    "revocation.source_crl": "revocation list from {where}",
    "revocation.source_ocsp": "OCSP responder at {where}",
    "revocation.source_stored": "the certificate store",
    # an intermediate CA above the recipient's certificate
    "revocation.authority_unknown": "for the authority certificate “{name}” in its chain, {reason}",
    "status.authority_revoked_online": (
        "The authority certificate “{name}” in its chain was revoked on {date} ({source})."
    ),
}
