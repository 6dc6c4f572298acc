"""The error type of the CMS envelope layer; its messages are the ``envelope.`` keys."""

from typing import Final

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import MESSAGES

# The envelope modules still format these templates themselves; new code uses
# text("envelope.…") instead.
MSG_NOT_FOR_YOU: Final = MESSAGES["envelope.not_for_you"]
MSG_MALFORMED: Final = MESSAGES["envelope.malformed"]
MSG_NOT_ENCRYPTED: Final = MESSAGES["envelope.not_encrypted"]
MSG_SIGNED_NOT_ENCRYPTED: Final = MESSAGES["envelope.signed_not_encrypted"]
MSG_NO_CONTENT: Final = MESSAGES["envelope.no_content"]
MSG_UNSUPPORTED_CIPHER: Final = MESSAGES["envelope.unsupported_cipher"]
MSG_UNSUPPORTED_KEY_TRANSPORT: Final = MESSAGES["envelope.unsupported_key_transport"]
MSG_KEY_MISMATCH: Final = MESSAGES["envelope.key_mismatch"]
MSG_UNSUPPORTED_KEY_TYPE: Final = MESSAGES["envelope.unsupported_key_type"]
MSG_DECRYPT_FAILED: Final = MESSAGES["envelope.decrypt_failed"]
MSG_TAMPERED: Final = MESSAGES["envelope.tampered"]
MSG_NO_RECIPIENTS: Final = MESSAGES["envelope.no_recipients"]
MSG_NOT_SMIME_MIME: Final = MESSAGES["envelope.not_smime_mime"]
MSG_NOT_BASE64: Final = MESSAGES["envelope.not_base64"]
MSG_BAD_BASE64: Final = MESSAGES["envelope.bad_base64"]
MSG_HEADER_LINE_BREAK: Final = MESSAGES["envelope.header_line_break"]
MSG_NO_BODY: Final = MESSAGES["envelope.no_body"]


class EnvelopeError(UserFacingError):
    """An S/MIME envelope could not be built, unwrapped or opened; the message says why."""
