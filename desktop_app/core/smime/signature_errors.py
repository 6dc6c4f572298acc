"""The error type of the CMS signature layer and its user-facing sentences."""

from typing import Final

from desktop_app.core.errors import UserFacingError

# User-facing strings of the signature modules (to be moved into core/messages.py).
# Errors: the signature could not be read at all.
MSG_MALFORMED: Final = "The signature is damaged or not in a format smime-guard can read."
MSG_NOT_SIGNED: Final = "This is not a signed message (its CMS content type is {kind})."
MSG_NO_SIGNERS: Final = "The signature names no signer."
MSG_TOO_MANY_CERTIFICATES: Final = (
    "The signature carries {count} certificates; smime-guard reads at most {limit}."
)
MSG_TOO_MANY_SIGNERS: Final = (
    "The signature names {count} signers; smime-guard reads at most {limit}."
)
MSG_NO_CONTENT: Final = (
    "The signature does not contain the signed text, and the text was not given separately."
)
MSG_NOT_MULTIPART_SIGNED: Final = (
    "This is not a signed message in two parts (its type is {content_type}, expected "
    "multipart/signed)."
)
MSG_NOT_CMS_PROTOCOL: Final = (
    "The signed message uses the signature format {protocol}, not S/MIME "
    "(application/pkcs7-signature)."
)
MSG_PARTS_MISSING: Final = "The signed message does not have the signed part and the signature."
MSG_SIGNATURE_PART_TYPE: Final = (
    "The second part of the signed message is {content_type}, not an S/MIME signature."
)
MSG_SIGNATURE_NOT_BASE64: Final = "The S/MIME signature is sent as {encoding}, not as base64."
MSG_SIGNATURE_BAD_BASE64: Final = "The S/MIME signature is not valid base64."

# Errors when signing: the user's own certificate or key cannot make a signature.
MSG_KEY_MISMATCH: Final = "The private key does not belong to the signing certificate."
MSG_UNSUPPORTED_SIGNING_KEY: Final = (
    "Signing needs an RSA or elliptic-curve key; this certificate has another kind."
)

# Verdict reasons: the signature was read, and this is why it is (not) valid.
MSG_VALID: Final = "Signed by {signer}; the signature is valid."
MSG_SIGNER_CERT_MISSING: Final = (
    "The signer's certificate is not in the message, so the signature cannot be checked."
)
MSG_SIGNER_CERT_UNREADABLE: Final = "The signer's certificate in the message is damaged."
MSG_CONTENT_CHANGED: Final = (
    "The message was changed after it was signed: its content does not match the signature."
)
MSG_CONTENT_TYPE_MISMATCH: Final = (
    "The signature was made for another kind of content than the one it carries."
)
MSG_BAD_SIGNATURE: Final = (
    "The signature does not match the signer's certificate: the message or its signature was "
    "changed, or the certificate is not the one that signed."
)
MSG_BROKEN_HASH: Final = (
    "The signature uses {algorithm}, which is broken; smime-guard does not check such signatures."
)
MSG_WEAK_HASH: Final = (
    "The signature uses {algorithm}, which can be forged; it is not accepted as valid."
)
MSG_UNSUPPORTED_ALGORITHM: Final = (
    "The signature uses an algorithm smime-guard cannot check ({algorithm})."
)
MSG_ALGORITHM_MISMATCH: Final = (
    "The signature's algorithms do not fit together or do not fit the signer's key."
)
MSG_ATTRIBUTE_REPEATED: Final = (
    "The signature's {attribute} attribute is missing or appears more than once."
)
MSG_SIGNER_KEY_UNSUPPORTED: Final = (
    "The signer's certificate has a kind of key smime-guard cannot check signatures with."
)
MSG_SIGNER_WEAK_RSA: Final = (
    "The signer's RSA key has only {bits} bits; at least 2048 are needed for a valid signature."
)
MSG_SIGNER_EXPIRED: Final = "The signer's certificate expired on {date}."
MSG_SIGNER_NOT_YET_VALID: Final = "The signer's certificate is not valid until {date}."
MSG_SIGNER_REVOKED: Final = "The signer's certificate was revoked by its issuer on {date}."
MSG_SIGNER_AUTHORITY_REVOKED: Final = (
    "The authority certificate “{name}” in the signer's chain was revoked on {date}."
)
MSG_SIGNER_WEAK_CHAIN: Final = (
    "The certificate “{name}” in the signer's chain is signed with {hash}, which can be forged."
)
MSG_SIGNER_UNTRUSTED: Final = "The signer's certificate is not trusted. {reason}"
MSG_SIGNER_KEY_USAGE: Final = "The signer's certificate may not be used to sign (key usage)."
MSG_SIGNER_NOT_FOR_EMAIL: Final = (
    "The signer's certificate is not issued for e-mail protection (extended key usage)."
)
MSG_SIGNER_MALFORMED: Final = (
    "The signer's certificate has extensions that cannot be read, so it cannot be relied on."
)
MSG_SIGNER_NOT_SENDER: Final = (
    "The message is signed by {signer_addresses}, not by the sender {sender}."
)
MSG_SIGNER_NO_ADDRESS: Final = (
    "The signer's certificate names no e-mail address, so it cannot vouch for the sender {sender}."
)


class SignatureError(UserFacingError):
    """A CMS signature could not be made, read or taken apart; the message says why."""
