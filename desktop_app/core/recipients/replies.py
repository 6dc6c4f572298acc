"""Recipients, subject and threading headers of a Reply, Reply All or Forward."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import compat32
from enum import StrEnum

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.core.recipients.address_tokens import refusal
from desktop_app.core.recipients.addresses import AddressError, Mailbox, parse_address_list
from desktop_app.core.recipients.encoded_words import decode_unstructured
from desktop_app.core.recipients.legacy_dn import legacy_dn_mailbox


class MessageFormatError(UserFacingError):
    """An .eml file or one of its headers that cannot be read; ``header`` names it if known."""

    def __init__(self, message: str, header: str | None = None) -> None:
        super().__init__(message)
        self.header = header


class ComposeAction(StrEnum):
    """How the draft was started."""

    NEW = "new"
    REPLY = "reply"
    REPLY_ALL = "reply_all"
    FORWARD = "forward"


@dataclass(frozen=True, slots=True)
class OriginalMessage:
    """The headers of a received message that a reply or forward is built from.

    ``message_id`` and ``references`` keep their angle brackets ("<id@host>"), ready to
    be written into In-Reply-To and References.
    """

    sender: tuple[Mailbox, ...]
    reply_to: tuple[Mailbox, ...]
    to: tuple[Mailbox, ...]
    cc: tuple[Mailbox, ...]
    subject: str
    message_id: str | None
    references: tuple[str, ...]
    encrypted: bool


@dataclass(frozen=True, slots=True)
class Prefill:
    """What a new draft starts with; the user may change any of it before the verdict."""

    to: tuple[Mailbox, ...]
    cc: tuple[Mailbox, ...]
    subject: str
    in_reply_to: str | None
    references: tuple[str, ...]


# Header names as shown in messages, by their lower-case form.
_HEADERS = {
    name.lower(): name
    for name in (
        "From",
        "Reply-To",
        "To",
        "Cc",
        "Subject",
        "Message-ID",
        "References",
        "In-Reply-To",
        "Content-Type",
    )
}
_BREAKING = frozenset({"address.line_break", "address.control"})
_SPACES = re.compile(r"[ \t]+")
_FOLD = re.compile(r"(?:\r\n|\r|\n)(?=[ \t])")
_MSG_ID = re.compile(r"<([!-;=?-~]+)>")  # printable ASCII without "<", ">" and spaces
_PARAMETER = re.compile(
    r';\s*([!#$%&\'*+\-.^_`|~0-9A-Za-z]+)\s*=\s*("[^"\\]*(?:\\.[^"\\]*)*"|[^;\s]*)'
)
_ENCRYPTED_TYPES = frozenset({"application/pkcs7-mime", "application/x-pkcs7-mime"})
_ENCRYPTED_SMIME_TYPES = frozenset({"enveloped-data", "authenveloped-data"})
# Subject prefixes are protocol text, not interface text: RFC 5322 section 3.6.5 suggests
# "Re: ", and other clients recognise these; the others are what Outlook writes in German.
_REPLY_PREFIX = "Re: "
_FORWARD_PREFIX = "Fwd: "
_REPLY_MARKERS = ("re:", "aw:")
_FORWARD_MARKERS = ("fwd:", "fw:")


def _header_values(eml: bytes) -> dict[str, list[str]]:
    """Unfolded, UTF-8-decoded values of the headers used here, by lower-case name."""
    parsed = BytesParser(policy=compat32).parsebytes(eml, headersonly=True)
    values: dict[str, list[str]] = {}
    for raw_name, raw_value in parsed.raw_items():
        name = raw_name.strip().lower()
        if name not in _HEADERS:
            continue  # Bcc and the rest: never read, so never a reason to fail
        shown = _HEADERS[name]
        try:
            # BytesParser keeps non-ASCII bytes as surrogate escapes; turn them back.
            value = raw_value.encode("ascii", "surrogateescape").decode("utf-8")
        except UnicodeError as error:
            raise MessageFormatError(text("replies.not_utf8", header=shown), shown) from error
        value = _FOLD.sub("", value)
        if "\r" in value or "\n" in value:
            raise MessageFormatError(text("replies.control", header=shown), shown)
        values.setdefault(name, []).append(value)
    return values


# Messages converted from Outlook's own format name Exchange users by legacyDN, in angle
# brackets ("Jo Smith </o=Org/ou=.../cn=jsmith>") or bare as one element of the field.
# They are read as the IMCEAEX addresses Exchange itself would write, under a domain that
# no real address has, then turned into legacyDN mailboxes for the directory to resolve.
_LEGACY_DN_DOMAIN = "legacy-dn.invalid"
# Printable ASCII (all a legacyDN may hold) without '"', "<", ">" and "@"; bare, without
# "," and ";" as well, which end an element of the field. The value is written as
# "(spaces, then one non-space character)+" (or a lone space), so it never ends in a space
# and no space can be taken in two ways: a lazy match with spaces in its class tried the
# closing ">" (or the end) after every one of a long run of spaces, quadratic in the
# header's length.
_ANGLED_LEGACY_DN = re.compile(
    r"<[ \t]*(/o=(?:(?: *[\x21\x23-\x3b\x3d\x3f\x41-\x7e])+| ))[ \t]*>", re.I
)
_BARE_LEGACY_DN = re.compile(
    r"(^|[,;])([ \t]*)(/o=(?:(?: *[\x21\x23-\x2b\x2d-\x3a\x3d\x3f\x41-\x7e])+| ))"
    r"(?=[ \t]*(?:$|[,;]))",
    re.I,
)


def _imceaex(legacy_dn: str) -> str:
    # Dots too are written +2E: a local part may not end with one or hold two in a row.
    encoded = "".join(
        "_"
        if char == "/"
        else char
        if char.isascii() and (char.isalnum() or char in "-=")
        else f"+{ord(char):02X}"
        for char in legacy_dn
    )
    return f"IMCEAEX-{encoded}@{_LEGACY_DN_DOMAIN}"


def _legacy_dns_as_imceaex(value: str) -> str:
    if "/o=" not in value.lower():
        return value
    value = _ANGLED_LEGACY_DN.sub(lambda found: f"<{_imceaex(found.group(1))}>", value)
    return _BARE_LEGACY_DN.sub(
        lambda found: f"{found.group(1)}{found.group(2)}<{_imceaex(found.group(3))}>", value
    )


def _as_written(mailbox: Mailbox) -> Mailbox:
    if mailbox.legacy_dn is not None and mailbox.key.endswith("@" + _LEGACY_DN_DOMAIN):
        return legacy_dn_mailbox(mailbox.legacy_dn, mailbox.display_name)
    return mailbox


def _addresses(values: dict[str, list[str]], name: str) -> tuple[Mailbox, ...]:
    # A repeated address header is against RFC 5322; reading every copy shows the user
    # all the recipients rather than silently dropping some.
    mailboxes: list[Mailbox] = []
    for value in values.get(name, []):
        try:
            mailboxes.extend(map(_as_written, parse_address_list(_legacy_dns_as_imceaex(value))))
        except AddressError as error:
            shown = _HEADERS[name]
            message = text("replies.bad_header", header=shown, reason=error.message)
            raise MessageFormatError(message, shown) from error
    return tuple(mailboxes)


def _subject(values: dict[str, list[str]]) -> str:
    subject = decode_unstructured(values.get("subject", [""])[0])
    # An encoded-word can carry a line break; copied into the reply it would end the
    # Subject header and start another. Bidi marks stay: Hebrew and Arabic subjects use them.
    if any(refusal(char) in _BREAKING for char in subject):
        raise MessageFormatError(text("replies.control", header="Subject"), "Subject")
    return _SPACES.sub(" ", subject).strip(" ")


def _message_ids(value: str) -> list[str]:
    return [f"<{match.group(1)}>" for match in _MSG_ID.finditer(value)]


def _threading(values: dict[str, list[str]]) -> tuple[str | None, tuple[str, ...]]:
    """Message-ID and References; malformed ids are skipped, as threading is best effort."""
    ids = _message_ids(values.get("message-id", [""])[0])
    message_id = ids[0] if ids else None
    references = _message_ids(" ".join(values.get("references", [])))
    if not references:
        # RFC 5322 section 3.6.4: without References, a single In-Reply-To id stands in.
        parents = _message_ids(values.get("in-reply-to", [""])[0])
        references = parents if len(parents) == 1 else []
    return message_id, tuple(dict.fromkeys(references))


def _encrypted(values: dict[str, list[str]]) -> bool:
    content_type = values.get("content-type", [""])[0]
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type not in _ENCRYPTED_TYPES:
        return False
    parameters = {
        match.group(1).lower(): match.group(2).strip('"').lower()
        for match in _PARAMETER.finditer(content_type)
    }
    # Without smime-type, RFC 8551 section 3.2.2 readers treat pkcs7-mime as enveloped.
    smime_type = parameters.get("smime-type")
    return smime_type is None or smime_type in _ENCRYPTED_SMIME_TYPES


def parse_original(eml: bytes) -> OriginalMessage:
    """Headers of the message in ``eml`` that a reply or forward needs.

    The Bcc header is not read at all. Message-ID and References that are malformed are
    left out rather than refused: a reply without threading is still a correct reply.

    Raises:
        MessageFormatError: no From header, or an address header, Subject or other used
            header that is not UTF-8 or cannot be parsed; ``header`` names it.
    """
    values = _header_values(eml)
    if "from" not in values:
        raise MessageFormatError(text("replies.no_from"), "From")
    message_id, references = _threading(values)
    return OriginalMessage(
        sender=_addresses(values, "from"),
        reply_to=_addresses(values, "reply-to"),
        to=_addresses(values, "to"),
        cc=_addresses(values, "cc"),
        subject=_subject(values),
        message_id=message_id,
        references=references,
        encrypted=_encrypted(values),
    )


def _prefixed(subject: str, prefix: str, markers: tuple[str, ...]) -> str:
    if subject.lower().startswith(markers):
        return subject
    return prefix + subject


def _distinct(mailboxes: Iterable[Mailbox], excluded: set[str]) -> tuple[Mailbox, ...]:
    """``mailboxes`` without keys in ``excluded`` or seen before; adds the kept keys to it."""
    kept: list[Mailbox] = []
    for mailbox in mailboxes:
        if mailbox.key not in excluded:
            excluded.add(mailbox.key)
            kept.append(mailbox)
    return tuple(kept)


def prefill(original: OriginalMessage, action: ComposeAction, own_keys: frozenset[str]) -> Prefill:
    """Starting recipients, subject and threading headers for ``action`` on ``original``.

    ``own_keys`` are the address keys of the user's own identities; Reply All leaves them
    out. The original's Bcc is never copied (it is not even read).
    """
    if action is ComposeAction.NEW:
        return Prefill(to=(), cc=(), subject="", in_reply_to=None, references=())
    references = original.references
    if original.message_id is not None and original.message_id not in references:
        references = (*references, original.message_id)
    if action is ComposeAction.FORWARD:
        subject = _prefixed(original.subject, _FORWARD_PREFIX, _FORWARD_MARKERS)
        return Prefill(to=(), cc=(), subject=subject, in_reply_to=None, references=references)
    author = original.reply_to or original.sender
    subject = _prefixed(original.subject, _REPLY_PREFIX, _REPLY_MARKERS)
    if action is ComposeAction.REPLY:
        to = _distinct(author, set())
        cc: tuple[Mailbox, ...] = ()
    else:
        seen = set(own_keys)
        to = _distinct((*author, *original.to), seen)
        cc = _distinct(original.cc, seen)
    return Prefill(
        to=to,
        cc=cc,
        subject=subject,
        in_reply_to=original.message_id,
        references=references,
    )
