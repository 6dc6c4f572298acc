"""The mail addresses a certificate names, read exactly (RFC 5280, RFC 8550, RFC 9598).

A certificate names addresses in three places: subjectAltName rfc822Name entries (an
IA5String, so ASCII only), subjectAltName SmtpUTF8Mailbox otherNames (RFC 9598: UTF-8
local part, the only form for internationalised addresses), and the legacy emailAddress
attribute of the subject. A value is an address only when it is a bare addr-spec exactly
as written: no display name, comment, surrounding space or needless quotes, and no
non-ASCII character outside an SmtpUTF8Mailbox. Anything else is malformed and names no
one; it is never repaired (a stripped "x@bekb.ch " would be an address the CA may never
have checked).
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from asn1crypto import core as asn1_core
from cryptography import x509
from cryptography.x509.oid import NameOID

from desktop_app.core.pki.parsing import PARSE_ERRORS
from desktop_app.core.recipients.addresses import AddressError, Mailbox, MailboxKind, parse_mailbox

# More addresses than anyone's mailbox has aliases, and few enough that reading them all
# stays quick (about 35 microseconds each): a certificate naming more is not used at all,
# so a hostile one cannot make an import or a look-up take minutes.
MAX_ADDRESSES: Final = 1_000

SMTP_UTF8_MAILBOX: Final = x509.ObjectIdentifier("1.3.6.1.5.5.7.8.9")


class NameKind(StrEnum):
    """Where in a certificate an address is written."""

    RFC822 = "rfc822Name"
    SMTP_UTF8 = "SmtpUTF8Mailbox"
    SUBJECT = "emailAddress"


@dataclass(frozen=True, slots=True)
class MailName:
    """One address a certificate names: where, the text as written (None when it does not
    even decode), and the mailbox it is, or None when it is malformed."""

    kind: NameKind
    written: str | None
    mailbox: Mailbox | None


@dataclass(frozen=True, slots=True)
class MailNames:
    """Every address a certificate names, from the subjectAltName and from the subject."""

    san: tuple[MailName, ...]
    subject: tuple[MailName, ...]

    @property
    def matched(self) -> tuple[MailName, ...]:
        """The names recipients are matched on: the subjectAltName's mail entries when it
        has any (even malformed ones), else the subject's emailAddress (RFC 8550 3)."""
        return self.san if self.san else self.subject

    @property
    def keys(self) -> tuple[str, ...]:
        """Normalised keys of the well-formed ``matched`` names, without repeats."""
        return tuple(dict.fromkeys(n.mailbox.key for n in self.matched if n.mailbox is not None))

    @property
    def every(self) -> tuple[MailName, ...]:
        """All of them, which name constraints bind (as OpenSSL checks them)."""
        return self.san + self.subject


class UnreadableNames(ValueError):
    """The certificate's subjectAltName or subject does not parse."""


class TooManyAddresses(ValueError):
    """The certificate names more than ``MAX_ADDRESSES`` addresses; ``count`` says how many."""

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} addresses")
        self.count = count


def mail_names(cert: x509.Certificate) -> MailNames:
    """Every address ``cert`` names, each read exactly (see the module docstring).

    Raises:
        UnreadableNames: the subjectAltName or the subject does not parse.
        TooManyAddresses: more than ``MAX_ADDRESSES`` entries (counted before any is read).
    """
    try:
        san_entries, subject_values = _entries(cert)
    except PARSE_ERRORS as error:
        raise UnreadableNames(str(error)) from error
    count = len(san_entries) + len(subject_values)
    if count > MAX_ADDRESSES:
        raise TooManyAddresses(count)
    san = tuple(_san_name(entry) for entry in san_entries)
    subject = tuple(
        _name(NameKind.SUBJECT, value if isinstance(value, str) else None)
        for value in subject_values
    )
    return MailNames(san, subject)


def address_count_over_limit(cert: x509.Certificate) -> int | None:
    """How many addresses ``cert`` names when that is more than ``MAX_ADDRESSES``, else
    None (also when its names do not parse). Counts without reading any address."""
    try:
        san_entries, subject_values = _entries(cert)
    except PARSE_ERRORS:
        return None
    count = len(san_entries) + len(subject_values)
    return count if count > MAX_ADDRESSES else None


def _entries(cert: x509.Certificate) -> tuple[list[x509.GeneralName], list[str | bytes]]:
    """The SAN's mail entries and the subject's emailAddress values, not yet read."""
    subject = cert.subject.get_attributes_for_oid(NameOID.EMAIL_ADDRESS)
    return _san_mail_entries(cert), [attribute.value for attribute in subject]


def _san_mail_entries(cert: x509.Certificate) -> list[x509.GeneralName]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    return [
        entry
        for entry in san
        if isinstance(entry, x509.RFC822Name)
        or (isinstance(entry, x509.OtherName) and entry.type_id == SMTP_UTF8_MAILBOX)
    ]


def _san_name(entry: x509.GeneralName) -> MailName:
    if isinstance(entry, x509.RFC822Name):
        return _name(NameKind.RFC822, entry.value)
    assert isinstance(entry, x509.OtherName)
    try:
        written = asn1_core.UTF8String.load(entry.value, strict=True).native
    except Exception:  # asn1crypto raises assorted types for malformed input
        written = None
    return _name(NameKind.SMTP_UTF8, written if isinstance(written, str) else None)


def _name(kind: NameKind, written: str | None) -> MailName:
    return MailName(kind, written, _mailbox(kind, written))


def _mailbox(kind: NameKind, written: str | None) -> Mailbox | None:
    # rfc822Name and emailAddress are IA5Strings; cryptography decodes their bytes as
    # UTF-8, so a non-ASCII value arrives here and must be refused explicitly.
    if written is None or (kind is not NameKind.SMTP_UTF8 and not written.isascii()):
        return None
    try:
        mailbox = parse_mailbox(written)
    except AddressError:
        return None
    # "Name <a@b>", "(c)a@b", " a@b" and '"a"@b' parse, but are not what was written.
    if mailbox.kind is not MailboxKind.SMTP or mailbox.display_name or mailbox.address != written:
        return None
    return mailbox


def email_addresses(cert: x509.Certificate) -> tuple[str, ...]:
    """Normalised address keys the certificate is issued for, without repeats.

    The subjectAltName's rfc822Name and SmtpUTF8Mailbox entries when it has any,
    otherwise the subject's emailAddress attributes (RFC 8550 section 3 still allows
    them); malformed values are skipped. A certificate whose names do not parse, or
    that names more than ``MAX_ADDRESSES``, names no address (fail closed).
    """
    try:
        return mail_names(cert).keys
    except (UnreadableNames, TooManyAddresses):
        return ()
