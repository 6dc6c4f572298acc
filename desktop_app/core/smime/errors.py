"""The error type of the CMS envelope layer and its user-facing messages."""

from typing import Final

from desktop_app.core.errors import UserFacingError

# User-facing strings of this package (to be moved into core/messages.py).
MSG_NOT_FOR_YOU: Final = "This message was not encrypted for your certificate."
MSG_MALFORMED: Final = "The encrypted message is damaged or not in a format smime-guard can read."
MSG_NOT_ENCRYPTED: Final = "This is not an encrypted message (its CMS content type is {kind})."
MSG_SIGNED_NOT_ENCRYPTED: Final = "This message is signed but not encrypted."
MSG_NO_CONTENT: Final = "The encrypted message carries no encrypted content."
MSG_UNSUPPORTED_CIPHER: Final = (
    "The message is encrypted with {algorithm}, which smime-guard cannot decrypt."
)
MSG_UNSUPPORTED_KEY_TRANSPORT: Final = (
    "The message's key for you is protected with {algorithm}, which smime-guard cannot use."
)
MSG_KEY_MISMATCH: Final = "The private key does not belong to the certificate it was given with."
MSG_UNSUPPORTED_KEY_TYPE: Final = (
    "Certificates with {kind} keys cannot be used for encryption; only RSA and EC (P-256, "
    "P-384, P-521) keys can."
)
MSG_DECRYPT_FAILED: Final = (
    "The message could not be decrypted with your key: it is damaged or was not encrypted "
    "for this key."
)
MSG_TAMPERED: Final = (
    "The encrypted message failed its integrity check: it was damaged or changed in transit."
)
MSG_NO_RECIPIENTS: Final = "An encrypted message needs at least one recipient."
MSG_NOT_SMIME_MIME: Final = (
    "This is not an S/MIME encrypted message (its type is {content_type}, expected "
    "application/pkcs7-mime)."
)
MSG_NOT_BASE64: Final = (
    "The S/MIME part is sent as {encoding}; only base64 can carry the encrypted data."
)
MSG_BAD_BASE64: Final = "The S/MIME part is not valid base64."
MSG_HEADER_LINE_BREAK: Final = "The header {name} contains a line break."
MSG_NO_BODY: Final = "The message has no body after its headers."


class EnvelopeError(UserFacingError):
    """An S/MIME envelope could not be built, unwrapped or opened; the message says why."""
