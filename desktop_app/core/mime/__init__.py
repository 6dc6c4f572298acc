"""MIME for S/MIME: compose the inner entity to be signed and read an opened message."""

from desktop_app.core.mime.compose import Attachment, InnerMessage, build_inner_mime
from desktop_app.core.mime.errors import MimeError
from desktop_app.core.mime.parse import (
    MessageHeaders,
    NestedSmime,
    ParsedAttachment,
    ParsedMessage,
    parse_inner_mime,
)

__all__ = [
    "Attachment",
    "InnerMessage",
    "MessageHeaders",
    "MimeError",
    "NestedSmime",
    "ParsedAttachment",
    "ParsedMessage",
    "build_inner_mime",
    "parse_inner_mime",
]
