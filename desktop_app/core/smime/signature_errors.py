"""The error type of the CMS signature layer; its sentences are the ``signature.`` keys."""

from typing import Final

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import MESSAGES

# The signature modules still format these templates themselves; new code uses
# text("signature.…") instead.

# Errors: the signature could not be read at all.
MSG_MALFORMED: Final = MESSAGES["signature.malformed"]
MSG_NOT_SIGNED: Final = MESSAGES["signature.not_signed"]
MSG_NO_SIGNERS: Final = MESSAGES["signature.no_signers"]
MSG_TOO_MANY_CERTIFICATES: Final = MESSAGES["signature.too_many_certificates"]
MSG_TOO_MANY_SIGNERS: Final = MESSAGES["signature.too_many_signers"]
MSG_NO_CONTENT: Final = MESSAGES["signature.no_content"]
MSG_NOT_MULTIPART_SIGNED: Final = MESSAGES["signature.not_multipart_signed"]
MSG_NOT_CMS_PROTOCOL: Final = MESSAGES["signature.not_cms_protocol"]
MSG_PARTS_MISSING: Final = MESSAGES["signature.parts_missing"]
MSG_SIGNATURE_PART_TYPE: Final = MESSAGES["signature.part_type"]
MSG_SIGNATURE_NOT_BASE64: Final = MESSAGES["signature.not_base64"]
MSG_SIGNATURE_BAD_BASE64: Final = MESSAGES["signature.bad_base64"]

# Errors when signing: the user's own certificate or key cannot make a signature.
MSG_KEY_MISMATCH: Final = MESSAGES["signature.key_mismatch"]
MSG_UNSUPPORTED_SIGNING_KEY: Final = MESSAGES["signature.unsupported_signing_key"]

# Verdict reasons: the signature was read, and this is why it is (not) valid.
MSG_VALID: Final = MESSAGES["signature.valid"]
MSG_SIGNER_CERT_MISSING: Final = MESSAGES["signature.signer_cert_missing"]
MSG_SIGNER_CERT_UNREADABLE: Final = MESSAGES["signature.signer_cert_unreadable"]
MSG_CONTENT_CHANGED: Final = MESSAGES["signature.content_changed"]
MSG_CONTENT_TYPE_MISMATCH: Final = MESSAGES["signature.content_type_mismatch"]
MSG_BAD_SIGNATURE: Final = MESSAGES["signature.bad_signature"]
MSG_BROKEN_HASH: Final = MESSAGES["signature.broken_hash"]
MSG_WEAK_HASH: Final = MESSAGES["signature.weak_hash"]
MSG_UNSUPPORTED_ALGORITHM: Final = MESSAGES["signature.unsupported_algorithm"]
MSG_ALGORITHM_MISMATCH: Final = MESSAGES["signature.algorithm_mismatch"]
MSG_ATTRIBUTE_REPEATED: Final = MESSAGES["signature.attribute_repeated"]
MSG_SIGNER_KEY_UNSUPPORTED: Final = MESSAGES["signature.signer_key_unsupported"]
MSG_SIGNER_WEAK_RSA: Final = MESSAGES["signature.signer_weak_rsa"]
MSG_SIGNER_EXPIRED: Final = MESSAGES["signature.signer_expired"]
MSG_SIGNER_NOT_YET_VALID: Final = MESSAGES["signature.signer_not_yet_valid"]
MSG_SIGNER_REVOKED: Final = MESSAGES["signature.signer_revoked"]
MSG_SIGNER_AUTHORITY_REVOKED: Final = MESSAGES["signature.signer_authority_revoked"]
MSG_SIGNER_WEAK_CHAIN: Final = MESSAGES["signature.signer_weak_chain"]
MSG_SIGNER_UNTRUSTED: Final = MESSAGES["signature.signer_untrusted"]
MSG_SIGNER_KEY_USAGE: Final = MESSAGES["signature.signer_key_usage"]
MSG_SIGNER_NOT_FOR_EMAIL: Final = MESSAGES["signature.signer_not_for_email"]
MSG_SIGNER_MALFORMED: Final = MESSAGES["signature.signer_malformed"]
MSG_SIGNER_NOT_SENDER: Final = MESSAGES["signature.signer_not_sender"]
MSG_SIGNER_NO_ADDRESS: Final = MESSAGES["signature.signer_no_address"]


class SignatureError(UserFacingError):
    """A CMS signature could not be made, read or taken apart; the message says why."""
