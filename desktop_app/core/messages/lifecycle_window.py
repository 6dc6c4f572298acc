"""Strings of the certificate life cycle in the window: choosing a certificate, accepting a
new key, and the banner about the user's own certificate."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    # the certificate details dialog
    "choices.heading": "Certificates for this address",
    "choices.used_newest": "In use: the newest valid certificate.",
    "choices.used_pinned": "In use: the certificate you chose.",
    "choices.row": "{fingerprint}  valid until {date}",
    "choices.in_use": "In use",
    "choices.not_usable": "Cannot be used: {reason}",
    "choices.use": "Use this certificate",
    "choices.use_name": "Use the certificate {fingerprint} for {address}",
    "choices.unpin": "Remove the pin",
    "choices.unpin_name": "Remove the pin for {address}: use the newest valid certificate",
    "choices.key_heading": "This address has a new key",
    "choices.key_explained": (
        "Mail to {address} was last encrypted to another key. If they told you of a new "
        "certificate, accept it; if not, ask them before you send."
    ),
    "choices.key_before": "Before",
    "choices.key_before_gone": "a key whose certificate is no longer at hand",
    "choices.key_now": "Now",
    "choices.key_side": "{fingerprint}  from: {source}",
    "choices.accept": "Accept the new key",
    "choices.accept_name": "Accept the new key of {address}",
    "choices.failed": "Not saved: {reason}",
    "choices.gone": (
        "That certificate can no longer be used for {address} (it was removed, or it expired "
        "or was revoked meanwhile). Close this and open the details again."
    ),
    # the main window's banner about the user's own certificate
    "own_banner.expires": (
        "Your certificate for {address} expires in {days} days ({date}). Ask your practice's "
        "administrator or your certificate authority for a new one, then import it with "
        "Tools > My certificate…"
    ),
    "own_banner.expires_one": (
        "Your certificate for {address} expires tomorrow ({date}). Ask your practice's "
        "administrator or your certificate authority for a new one, then import it with "
        "Tools > My certificate…"
    ),
    "own_banner.expired": (
        "Your certificate for {address} expired on {date}: you cannot sign, and others cannot "
        "encrypt to you. Ask your practice's administrator or your certificate authority for "
        "a new one, then import it with Tools > My certificate…"
    ),
    "own_banner.open": "My certificate…",
    "own_banner.dismiss": "Dismiss",
    "own_banner.name": "Your certificate expires soon",
}
