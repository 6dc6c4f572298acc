"""Read an opened message's MIME: its text, HTML, attachments and nested S/MIME parts.

Made for what Outlook, Thunderbird, Apple Mail and phones send: nested multiparts inside
multipart/signed, names only in Content-Type's ``name``, RFC 2231 and RFC 2047 file names,
inline images, attached messages, mislabelled charsets. Every call builds its results from
its own input alone; nothing is cached between calls, so no attachment or file name of one
message can ever appear under another.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Final

from desktop_app.core.mime.charsets import decode_text
from desktop_app.core.mime.decode import decode_body
from desktop_app.core.mime.filenames import clean_filename, generated_name
from desktop_app.core.mime.headers import decode_encoded_words, parse_fields
from desktop_app.core.mime.tree import Entity, parse_tree

SMIME_MIME_TYPES: Final = frozenset({"application/pkcs7-mime", "application/x-pkcs7-mime"})
SMIME_SIGNATURE_TYPES: Final = frozenset(
    {"application/pkcs7-signature", "application/x-pkcs7-signature"}
)
MULTIPART_SIGNED: Final = "multipart/signed"
_LINE_BREAK: Final = re.compile(r"\r\n|\r")


@dataclass(frozen=True)
class ParsedAttachment:
    """One attached file. ``name_generated``: the part had no usable name, so
    ``filename`` was made up (attachment-1.bin). ``inline``: shown within the body (an
    image the HTML refers to by ``content_id``)."""

    filename: str
    content_type: str
    content: bytes = field(repr=False)
    size: int
    sha256: str  # hex
    name_generated: bool = False
    inline: bool = False
    content_id: str | None = None


@dataclass(frozen=True)
class MessageHeaders:
    """The header fields shown to the user, RFC 2047-decoded; None when absent."""

    from_: str | None = None
    to: str | None = None
    cc: str | None = None
    subject: str | None = None
    date: str | None = None
    message_id: str | None = None


@dataclass(frozen=True)
class NestedSmime:
    """An S/MIME structure found inside the message, for the caller to open or verify.

    ``kind`` is "multipart/signed" for a detached signature with its content, "signature"
    for a lone application/pkcs7-signature part, else the part's smime-type
    ("enveloped-data", "signed-data", ...; "" when missing). ``cms`` is the DER. For
    multipart/signed, ``signed_content`` holds the exact bytes the signature covers.
    """

    kind: str
    path: str
    cms: bytes = field(repr=False)
    signed_content: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ParsedMessage:
    """An opened message. Line breaks in ``text`` and ``html`` are "\\n"."""

    text: str
    html: str | None
    attachments: tuple[ParsedAttachment, ...]
    headers: MessageHeaders
    nested_smime: tuple[NestedSmime, ...] = ()
    # RFC 9788: the root carried hp="cipher" or "clear", so ``headers`` are the protected
    # header fields; ``hp_outer`` holds its HP-Outer fields as (name, value) pairs.
    protected_headers: bool = False
    hp_outer: tuple[tuple[str, str], ...] = ()

    @property
    def has_nested_smime(self) -> bool:
        return bool(self.nested_smime)


def parse_inner_mime(data: bytes) -> ParsedMessage:
    """Parse a decrypted (or plain) MIME message or entity.

    Raises:
        MimeError: the MIME structure is unusable (nested too deeply, too many parts, a
            multipart without boundary or parts, oversized headers).
    """
    root = parse_tree(data)
    reader = _Reader()
    protected = root.params.get("hp", "").lower() in ("cipher", "clear")
    # The Legacy Display Element repeats the protected Subject for old clients; a reader
    # that shows the protected headers hides it (RFC 9788 section 4.5).
    reader.hide_legacy_display = protected
    reader.visit(root, in_alternative=False)
    return ParsedMessage(
        text="\n".join(reader.texts),
        html=reader.html,
        attachments=tuple(reader.attachments),
        headers=_headers(root),
        nested_smime=tuple(reader.nested),
        protected_headers=protected,
        hp_outer=_hp_outer(root) if protected else (),
    )


def _hp_outer(root: Entity) -> tuple[tuple[str, str], ...]:
    pairs = []
    for found in root.fields:
        if found.name.lower() == "hp-outer":
            name, colon, value = decode_encoded_words(found.value).partition(":")
            if colon:
                pairs.append((name.strip(), value.strip()))
    return tuple(pairs)


class _Reader:
    """Collects one message's parts while walking its tree; made afresh for every parse."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.html: str | None = None
        self.attachments: list[ParsedAttachment] = []
        self.nested: list[NestedSmime] = []
        self._generated = 0
        self.hide_legacy_display = False

    def visit(self, entity: Entity, *, in_alternative: bool) -> None:
        if entity.is_multipart:
            self._visit_multipart(entity, in_alternative=in_alternative)
        elif entity.content_type in SMIME_MIME_TYPES | SMIME_SIGNATURE_TYPES:
            kind = entity.params.get("smime-type", "").lower()
            if entity.content_type in SMIME_SIGNATURE_TYPES:
                kind = "signature"
            self.nested.append(NestedSmime(kind, entity.path, _content(entity)))
        elif _is_body_text(entity):
            if self.hide_legacy_display and _is_legacy_display(entity):
                return
            self._body_text(entity, in_alternative=in_alternative)
        else:
            self.attachments.append(self._attachment(entity))

    def _visit_multipart(self, entity: Entity, *, in_alternative: bool) -> None:
        children = entity.children
        if entity.content_type == MULTIPART_SIGNED:
            self.visit(children[0], in_alternative=in_alternative)
            for child in children[1:]:
                if child.content_type in SMIME_SIGNATURE_TYPES:
                    signed = bytes(children[0].raw)
                    nested = NestedSmime(MULTIPART_SIGNED, entity.path, _content(child), signed)
                    self.nested.append(nested)
                else:
                    self.visit(child, in_alternative=in_alternative)
            return
        alternative = entity.content_type == "multipart/alternative"
        for child in children:
            self.visit(child, in_alternative=in_alternative or alternative)

    def _body_text(self, entity: Entity, *, in_alternative: bool) -> None:
        text = _text(entity)
        if entity.content_type == "text/html":
            if self.html is None:
                self.html = text
            elif not in_alternative:
                self.attachments.append(self._attachment(entity))
        elif not self.texts or not in_alternative:
            # Several inline text parts of a multipart/mixed (text around a picture, as
            # Apple Mail sends it) are all part of the body; alternatives repeat it.
            self.texts.append(text)

    def _attachment(self, entity: Entity) -> ParsedAttachment:
        content = _content(entity)
        name = _filename(entity)
        generated = not name
        if generated:
            name = _attached_message_name(entity, content)
        if not name:
            self._generated += 1
            name = generated_name(self._generated, entity.content_type)
        disposition, _ = entity.disposition()
        content_id = (entity.header("Content-ID") or "").strip().strip("<>").strip() or None
        return ParsedAttachment(
            filename=name,
            content_type=entity.content_type,
            content=content,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            name_generated=generated,
            inline=disposition == "inline" or (disposition is None and content_id is not None),
            content_id=content_id,
        )


def _is_body_text(entity: Entity) -> bool:
    if entity.content_type not in ("text/plain", "text/html"):
        return False
    disposition, params = entity.disposition()
    # A named text part is a file the sender attached, even when shown inline.
    return (
        disposition != "attachment" and not params.get("filename") and not entity.params.get("name")
    )


def _is_legacy_display(entity: Entity) -> bool:
    return entity.content_type == "text/plain" and entity.params.get("hp-legacy-display") == "1"


def _content(entity: Entity) -> bytes:
    return decode_body(entity.body, entity.transfer_encoding)


def _text(entity: Entity) -> str:
    text = decode_text(_content(entity), entity.params.get("charset"))
    text = _LINE_BREAK.sub("\n", text)
    if entity.content_type == "text/plain" and entity.params.get("format", "").lower() == "flowed":
        text = unflow(text, delete_space=entity.params.get("delsp", "").lower() == "yes")
    return text


def unflow(text: str, *, delete_space: bool) -> str:
    """Undo RFC 3676 format=flowed: join soft-broken lines (ending in a space), remove
    space-stuffing. The signature separator "-- " is a hard break."""
    out: list[str] = []
    pending = ""
    for line in text.split("\n"):
        if line.startswith(" "):
            line = line[1:]  # space-stuffed
        if line.endswith(" ") and line != "-- ":
            pending += line[:-1] if delete_space else line
            continue
        out.append(pending + line)
        pending = ""
    if pending:
        out.append(pending)
    return "\n".join(out)


def _filename(entity: Entity) -> str:
    """The cleaned file name from Content-Disposition's filename, else Content-Type's name
    (Outlook often sends only the latter); "" if neither gives a usable name."""
    _, params = entity.disposition()
    for raw in (params.get("filename"), entity.params.get("name")):
        if raw:
            name = clean_filename(decode_encoded_words(raw))
            if name:
                return name
    return ""


def _attached_message_name(entity: Entity, content: bytes) -> str:
    """The name "<Subject>.eml" for an attached message without one, as Outlook names it."""
    if entity.content_type != "message/rfc822":
        return ""
    head_end = content.find(b"\n\n")
    crlf_end = content.find(b"\r\n\r\n")
    ends = [end for end in (head_end, crlf_end) if end >= 0]
    section = content[: min(ends)] if ends else content[:65536]
    subject = next((f.value for f in parse_fields(section) if f.name.lower() == "subject"), "")
    name = clean_filename(decode_encoded_words(subject)[:100])
    return f"{name}.eml" if name else ""


def _headers(root: Entity) -> MessageHeaders:
    def get(name: str) -> str | None:
        value = root.header(name)
        return None if value is None else decode_encoded_words(value)

    return MessageHeaders(
        from_=get("From"),
        to=get("To"),
        cc=get("Cc"),
        subject=get("Subject"),
        date=get("Date"),
        message_id=get("Message-ID"),
    )
