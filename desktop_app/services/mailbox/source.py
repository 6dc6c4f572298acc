"""Message list sources: the messages the main window lists, and what each one says about itself.

The e-mail parser and the address rules are imported where a message is read (on the
background helper), not with this module: the main window needs only the types here
before its first paint.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text

if TYPE_CHECKING:
    from email.message import EmailMessage

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 50 * 1024 * 1024
_ENCRYPTED_TYPES = frozenset({"application/pkcs7-mime", "application/x-pkcs7-mime"})
_SIGNATURE_TYPES = frozenset({"application/pkcs7-signature", "application/x-pkcs7-signature"})


class MailboxError(UserFacingError):
    """A message or folder that cannot be read."""


class Encryption(StrEnum):
    """How a received message was protected in transit."""

    NONE = "none"
    SMIME = "smime"  # S/MIME enveloped data; opening it comes with the S/MIME reader


class Signature(StrEnum):
    """Whether a received message carries a signature, and what is known about it."""

    NONE = "none"
    UNVERIFIED = "unverified"  # an S/MIME signature not checked yet (listing reads headers)
    VALID = "valid"  # checked: it verifies, from a trusted signer
    INVALID = "invalid"  # checked: it does not verify (changed in transit, untrusted...)


@dataclass(frozen=True, slots=True)
class MessageSummary:
    """One line of the message list."""

    message_id: str
    sender: str
    sender_address: str
    subject: str
    date: datetime | None
    encryption: Encryption
    signature: Signature


@dataclass(frozen=True, slots=True)
class MessageSecurity:
    """What opening the message's S/MIME layers found.

    ``cipher`` names the encryption ("AES-256-CBC"), None when not encrypted; ``signer``
    and ``signature_valid`` are None when not signed; ``reason`` says why a signature is
    (not) valid; ``failure`` says why the message could not be opened at all;
    ``covers_text`` and ``notes`` say what each signature covers when there are layers.
    """

    cipher: str | None = None
    weak_cipher: bool = False
    signer: str | None = None
    signature_valid: bool | None = None
    reason: str = ""
    failure: str | None = None
    # False when the only signature is around the encryption: it does not cover the text.
    covers_text: bool = True
    notes: tuple[str, ...] = ()  # the other layers' signatures, one sentence each


@dataclass(frozen=True, slots=True)
class MessageDetail:
    """What the preview shows, and the raw bytes a reply is built from.

    ``body_text`` is None when the body cannot be shown (an encrypted message).
    ``warnings`` are sentences about the sender's address (a domain imitating another).
    ``security`` is set once the message was opened through the S/MIME reader.
    """

    summary: MessageSummary
    to: str
    cc: str
    body_text: str | None
    raw: bytes
    warnings: tuple[str, ...] = ()
    security: MessageSecurity | None = None


@dataclass(frozen=True, slots=True)
class MessagePage:
    """Some messages of a listing, newest first, from ``offset`` on.

    ``more``: the mailbox holds older messages after these (ask from
    ``offset + len(messages)``).
    """

    messages: tuple[MessageSummary, ...]
    offset: int = 0
    more: bool = False


def whole_listing(messages: tuple[MessageSummary, ...], offset: int) -> MessagePage:
    """The page from ``offset`` of a source that lists everything at once: no more."""
    return MessagePage(messages[offset:], offset, more=False)


class MessageListSource(Protocol):
    """What the main window lists: message summaries by offset pages, and each message's
    details (the demo folder, or an account's inbox). Not the ``MailboxSource`` port of
    ``services.mailbox_port``, which this wraps for an account."""

    @property
    def name(self) -> str: ...

    def list_messages(self) -> tuple[MessageSummary, ...]:
        """The newest messages, newest first: all of them, or a paged source's first page."""
        ...

    def list_page(self, offset: int) -> MessagePage:
        """The messages from ``offset`` on (one page), newest first.

        Raises:
            MailboxError: the mailbox cannot be listed (a ``UserFacingError``).
        """
        ...

    def fetch(self, message_id: str) -> MessageDetail:
        """One message for the preview.

        Raises:
            MailboxError: it is gone or cannot be read.
        """
        ...

    def close(self) -> None:
        """Let go of connections; the source is not used again."""
        ...


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # a header the email package cannot decode is shown empty
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _sender(message: EmailMessage) -> tuple[str, str]:
    """The From name to show (else the address) and the address, as the header says."""
    written = _header(message, "From")
    try:
        mailboxes = message["From"].addresses
        first = mailboxes[0]
    except (AttributeError, IndexError, KeyError, TypeError, ValueError):
        return written, written
    address = str(first.addr_spec)
    return str(first.display_name) or address, address


def _date(message: EmailMessage) -> datetime | None:
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(_header(message, "Date"))
    except (TypeError, ValueError, IndexError):
        return None


def _security(message: EmailMessage) -> tuple[Encryption, Signature]:
    content_type = message.get_content_type()
    if content_type in _ENCRYPTED_TYPES:
        smime_type = str(message.get_param("smime-type", "enveloped-data")).lower()
        if smime_type == "signed-data":
            return Encryption.NONE, Signature.UNVERIFIED
        return Encryption.SMIME, Signature.NONE
    if content_type == "multipart/signed":
        protocol = str(message.get_param("protocol", "")).lower()
        if protocol in _SIGNATURE_TYPES:
            return Encryption.NONE, Signature.UNVERIFIED
    return Encryption.NONE, Signature.NONE


def _body(message: EmailMessage, encryption: Encryption) -> str | None:
    if encryption is not Encryption.NONE:
        return None
    try:
        part = message.get_body(preferencelist=("plain", "html"))
        if part is None:
            return ""
        content = part.get_content()
    except (KeyError, LookupError, ValueError, AttributeError):
        return text("mailbox.body_unreadable")
    if not isinstance(content, str):
        return ""
    if part.get_content_type() == "text/html":
        # An HTML-only message: its words, never its scripts or remote pictures.
        from desktop_app.core.mime.html_text import html_to_text

        return html_to_text(content)
    return content.replace("\r\n", "\n")


def _sender_warnings(address: str) -> tuple[str, ...]:
    from desktop_app.core.recipients.addresses import domain_notices, parse_mailbox

    try:
        mailbox = parse_mailbox(address)
    except UserFacingError:
        return ()
    return tuple(notice.message for notice in domain_notices(mailbox))


def read_message(message_id: str, raw: bytes) -> MessageDetail:
    """The summary and preview of one message in ``raw`` (RFC 5322 bytes)."""
    import email
    import email.policy
    from email.message import EmailMessage

    try:
        # RFC 6532 headers are UTF-8; the bytes parser would keep them as surrogate escapes.
        message = email.message_from_string(raw.decode("utf-8"), policy=email.policy.default)
    except UnicodeDecodeError:
        message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    encryption, signature = _security(message)
    sender, sender_address = _sender(message)
    summary = MessageSummary(
        message_id=message_id,
        sender=sender,
        sender_address=sender_address,
        subject=_header(message, "Subject"),
        date=_date(message),
        encryption=encryption,
        signature=signature,
    )
    return MessageDetail(
        summary=summary,
        to=_header(message, "To"),
        cc=_header(message, "Cc"),
        body_text=_body(message, encryption),
        raw=raw,
        warnings=_sender_warnings(sender_address),
    )


class FolderMessageListSource:
    """The ``.eml`` files of one folder; the demo inbox is one."""

    def __init__(self, folder: Path, name: str) -> None:
        self._folder = folder
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    def _read(self, path: Path) -> bytes:
        try:
            if path.stat().st_size > MAX_MESSAGE_BYTES:
                raise MailboxError(text("mailbox.too_large", name=path.name))
            return path.read_bytes()
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise MailboxError(text("mailbox.unreadable", name=path.name, reason=reason)) from None

    def list_messages(self) -> tuple[MessageSummary, ...]:
        summaries = []
        for path in sorted(self._folder.glob("*.eml")):
            try:
                summaries.append(read_message(path.name, self._read(path)).summary)
            except MailboxError:
                log.warning("skipped an unreadable message file")

        def order(summary: MessageSummary) -> tuple[float, str]:
            stamp = summary.date.timestamp() if summary.date is not None else 0.0
            return (-stamp, summary.message_id)

        return tuple(sorted(summaries, key=order))

    def list_page(self, offset: int) -> MessagePage:
        return whole_listing(self.list_messages(), offset)

    def fetch(self, message_id: str) -> MessageDetail:
        path = self._folder / message_id
        if path.name != message_id or path.suffix != ".eml":
            raise MailboxError(text("mailbox.unreadable", name=message_id, reason="?"))
        return read_message(message_id, self._read(path))

    def close(self) -> None:
        """Nothing to let go of."""


class EmptyMessageListSource:
    """No mailbox connected yet: the window still composes and checks."""

    @property
    def name(self) -> str:
        return text("mailbox.none")

    def list_messages(self) -> tuple[MessageSummary, ...]:
        return ()

    def list_page(self, offset: int) -> MessagePage:
        return MessagePage((), offset)

    def fetch(self, message_id: str) -> MessageDetail:
        raise MailboxError(text("mailbox.unreadable", name=message_id, reason="?"))

    def close(self) -> None:
        """Nothing to let go of."""
