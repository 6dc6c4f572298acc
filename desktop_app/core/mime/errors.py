"""The error type of the MIME layer and its user-facing messages."""

from typing import Final

from desktop_app.core.errors import UserFacingError

# User-facing strings of this package (to be moved into core/messages.py).
MSG_EMPTY_FILENAME: Final = "The attachment “{original}” has no usable file name."
MSG_BAD_CONTENT_TYPE: Final = (
    "“{content_type}” is not a valid content type (expected for example application/pdf)."
)
MSG_TEXT_NOT_ENCODABLE: Final = "The message text contains characters that cannot be sent."
MSG_NESTED_TOO_DEEPLY: Final = "The message is nested more than {limit} levels deep."
MSG_TOO_MANY_PARTS: Final = "The message has more than {limit} parts."
MSG_HEADER_TOO_LARGE: Final = "The message has a header section larger than {limit} bytes."
MSG_TOO_MANY_HEADERS: Final = "The message has more than {limit} header fields in one part."
MSG_NO_BOUNDARY: Final = "A multipart section of the message has no valid boundary."
MSG_NO_PARTS: Final = "A multipart section of the message contains no parts."
MSG_BAD_BASE64: Final = "The part “{name}” of the message is damaged (invalid base64)."


class MimeError(UserFacingError):
    """A MIME message could not be built or read; the message says why."""
