"""Whether bytes are a mail message at all, and whether its sender can be told.

A file handed to ``open`` is a mail message when it starts with an RFC 5322 header section
("Name: value" lines, no binary bytes) holding at least one of From, Date, Content-Type or
MIME-Version: every message a mail client saves has one of them. Anything else (an
attachment, a picture, random bytes) is refused with the reason rather than shown as a
message's text.
"""

from __future__ import annotations

import re
from typing import Final

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.core.mime.errors import MimeError
from desktop_app.core.mime.headers import HeaderField, is_field_line, parse_fields
from desktop_app.core.mime.tree import MAX_HEADER_BYTES

MAIL_FIELDS: Final = frozenset({"from", "date", "content-type", "mime-version"})
_BLANK_LINE: Final = re.compile(rb"\r?\n\r?\n")
# Control bytes other than tab, CR and LF never appear in a header section; NUL in
# particular marks binary data.
_BINARY: Final = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class NotAMailMessage(UserFacingError):
    """The bytes are not a mail message (no header section, binary data, no mail fields)."""


class AmbiguousSender(UserFacingError):
    """The message names its sender more than once (two From: fields)."""


def header_section(data: bytes) -> bytes:
    """The header section of a message: up to the first blank line, at most
    MAX_HEADER_BYTES (the rest of a longer one is not read)."""
    blank = _BLANK_LINE.search(data, 0, MAX_HEADER_BYTES + 4)
    return data[: blank.start()] if blank is not None else data[:MAX_HEADER_BYTES]


def check_mail_message(data: bytes) -> tuple[HeaderField, ...]:
    """The message's top-level header fields, once ``data`` is known to be a mail message.

    Raises:
        NotAMailMessage: empty, no header section first, binary bytes in it, or none of
            the fields every saved message has.
    """
    if not data.strip():
        raise _not_a_message("open.not_a_message.empty")
    section = header_section(data)
    if not is_field_line(section[:1000]):
        raise _not_a_message("open.not_a_message.no_header")
    if _BINARY.search(section):
        raise _not_a_message("open.not_a_message.binary_header")
    try:
        fields = parse_fields(section)
    except MimeError as error:
        raise NotAMailMessage(text("open.not_a_message", reason=error.message)) from error
    if not any(field.name.lower() in MAIL_FIELDS for field in fields):
        raise _not_a_message("open.not_a_message.no_mail_fields")
    return fields


def check_single_sender(fields: tuple[HeaderField, ...]) -> None:
    """Refuse a message with more than one From: field (RFC 5322 3.6 allows one).

    Clients disagree about which one to show, so a signature checked against one could be
    shown under the other.

    Raises:
        AmbiguousSender: two or more From: fields.
    """
    count = sum(1 for field in fields if field.name.lower() == "from")
    if count > 1:
        raise AmbiguousSender(text("open.duplicate_from", count=count))


def _not_a_message(reason_key: str) -> NotAMailMessage:
    return NotAMailMessage(text("open.not_a_message", reason=text(reason_key)))
