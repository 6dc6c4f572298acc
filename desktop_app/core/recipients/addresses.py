"""Strict parsing of recipient fields (RFC 5322 address lists) into comparable mailboxes."""

# Written by hand rather than with email.utils or email.headerregistry: without the fix
# for CVE-2023-27043 (Python 3.11 lacks it) they read "alice@example.org)<bob@...>" as
# a mailbox other than the one a person sees in the field.
import re
from dataclasses import dataclass
from enum import StrEnum

from desktop_app.core.notices import Notice
from desktop_app.core.recipients.address_spec import check_addr_spec
from desktop_app.core.recipients.address_tokens import (
    AddressError,
    Token,
    TokenKind,
    address_error,
    check_characters,
    code_point,
    element_around,
    refusal,
    tokenize,
    visible,
)
from desktop_app.core.recipients.encoded_words import decode_phrase
from desktop_app.core.recipients.lookalike import lookalike_notices
from desktop_app.core.recipients.normalise import AddressKeyError, address_key

__all__ = [
    "AddressError",
    "Mailbox",
    "MailboxKind",
    "domain_notices",
    "parse_address_list",
    "parse_mailbox",
]


class MailboxKind(StrEnum):
    """Internet mailbox, or an Exchange mailbox known only by its X.500 legacyDN."""

    SMTP = "smtp"
    EXCHANGE_LEGACY_DN = "exchange_legacy_dn"


@dataclass(frozen=True, slots=True)
class Mailbox:
    """One recipient; compare and look up by ``key``, show ``display_name`` and ``address``.

    ``address`` is local@domain as written, except that needless quotes around the local
    part are dropped (``"bob"@x.org`` is ``bob@x.org``, RFC 5321 section 4.1.2).
    """

    address: str
    key: str
    display_name: str = ""
    kind: MailboxKind = MailboxKind.SMTP
    legacy_dn: str | None = None


_SPACES = re.compile(r"[ \t]+")
_SUGGESTION_REACH = 500  # how far to look for the ">" of an address to suggest


def _is_special(token: Token | None, chars: str) -> bool:
    return token is not None and token.kind is TokenKind.SPECIAL and token.value in chars


class _Parser:
    """Recursive descent over the tokens of one field; ``allow_groups`` for address lists."""

    def __init__(self, text: str, *, allow_groups: bool) -> None:
        check_characters(text)
        self._text = text
        self._tokens = tokenize(text)
        self._pos = 0
        self._allow_groups = allow_groups

    def _peek(self, ahead: int = 0) -> Token | None:
        index = self._pos + ahead
        return self._tokens[index] if index < len(self._tokens) else None

    def _error(
        self, key: str, token: Token, offending: str | None = None, **values: object
    ) -> AddressError:
        element = element_around(self._text, token.start, token.end)
        found = self._text[token.start : token.end] if offending is None else offending
        return address_error(key, element, found, **values)

    def _unexpected(self, token: Token) -> AddressError:
        if token.space_before and token.kind in (TokenKind.ATOM, TokenKind.QUOTED):
            return self._error("address.missing_separator", token)
        return self._error("address.unexpected", token)

    def parse(self) -> list[Mailbox]:
        mailboxes: list[Mailbox] = []
        while True:
            while _is_special(self._peek(), ",;"):
                self._pos += 1  # empty elements and a trailing separator are harmless
            token = self._peek()
            if token is None:
                return mailboxes
            found, was_group = self._address(in_group=False)
            mailboxes.extend(found)
            after = self._peek()
            if after is not None and not was_group and not _is_special(after, ",;"):
                raise self._unexpected(after)

    def _phrase(self) -> list[Token]:
        words: list[Token] = []
        while (token := self._peek()) is not None and token.kind in (
            TokenKind.ATOM,
            TokenKind.QUOTED,
        ):
            words.append(token)
            self._pos += 1
        return words

    def _address(self, *, in_group: bool) -> tuple[list[Mailbox], bool]:
        """Mailboxes of the address at the cursor, and whether it was a group."""
        words = self._phrase()
        token = self._peek()
        if _is_special(token, "<"):
            return [self._angle(self._display_name(words))], False
        if words and _is_special(token, "@"):
            mailbox = self._addr_spec(words[-1], "")
            if len(words) > 1:
                name = self._text[words[0].start : words[-2].end]
                raise self._error(
                    "address.name_without_brackets",
                    words[0],
                    name,
                    name=name,
                    address=mailbox.address,
                )
            return [mailbox], False
        if words and _is_special(token, ":"):
            if in_group or not self._allow_groups:
                assert token is not None
                raise self._error("address.group_not_allowed", token)
            return self._group(words), True
        if words:
            raise self._bare_words(words)
        assert token is not None  # the callers stop at the end of input
        raise self._unexpected(token)

    def _bare_words(self, words: list[Token]) -> AddressError:
        """Words with no address; suggest quotes for "Smith, John <john@x.org>"."""
        name = self._text[words[0].start : words[-1].end]
        if _is_special(self._peek(), ","):
            ahead = 1
            while (token := self._peek(ahead)) is not None and token.kind in (
                TokenKind.ATOM,
                TokenKind.QUOTED,
            ):
                ahead += 1
            opening = self._peek(ahead)
            if ahead > 1 and opening is not None and _is_special(opening, "<"):
                close = self._text.find(">", opening.end, opening.end + _SUGGESTION_REACH)
                end = opening.end if close < 0 else close + 1
                whole = self._text[words[0].start : opening.start].strip(" \t")
                quoted = whole.replace("\\", "\\\\").replace('"', '\\"')
                suggestion = f'"{quoted}" {self._text[opening.start : end]}'
                element = visible(self._text[words[0].start : end])
                return address_error(
                    "address.unquoted_comma", element, name, name=name, suggestion=suggestion
                )
        return self._error("address.not_an_address", words[0], name, name=name)

    def _display_name(self, words: list[Token]) -> str:
        if not words:
            return ""
        start, end = words[0].start, words[-1].end
        pieces = [(token.value, token.space_before) for token in words]
        name = decode_phrase(pieces)
        for char in name:
            # A decoded name may hold what the raw field may not (an encoded CR or LF).
            if refusal(char) is not None:
                raw = self._text[start:end]
                element = element_around(self._text, start, end)
                raise address_error("address.name_control", element, raw, code=code_point(char))
        return _SPACES.sub(" ", name).strip(" ")

    def _angle(self, display_name: str) -> Mailbox:
        opening = self._peek()
        assert opening is not None
        self._pos += 1
        local = self._peek()
        if local is None:
            raise self._error("address.unclosed", opening)
        if local.kind not in (TokenKind.ATOM, TokenKind.QUOTED):
            key = "address.empty_brackets" if _is_special(local, ">") else "address.unexpected"
            if _is_special(local, "@"):
                key = "address.route"
            raise self._error(key, local)
        self._pos += 1
        at = self._peek()
        if at is None:
            raise self._error("address.unclosed", opening)
        if not _is_special(at, "@"):
            if _is_special(at, ">"):
                raise self._error("address.missing_at", local)
            raise self._unexpected(at)
        mailbox = self._addr_spec(local, display_name)
        closing = self._peek()
        if closing is None:
            raise self._error("address.unclosed", opening)
        if not _is_special(closing, ">"):
            raise self._unexpected(closing)
        self._pos += 1
        return mailbox

    def _group(self, words: list[Token]) -> list[Mailbox]:
        """Members of "Name: a@x, b@y;" with the cursor on the colon."""
        self._pos += 1
        members: list[Mailbox] = []
        while True:
            while _is_special(self._peek(), ","):
                self._pos += 1
            token = self._peek()
            if token is None:
                name = self._text[words[0].start : words[-1].end]
                raise self._error("address.group_unclosed", words[0], name, name=name)
            if _is_special(token, ";"):
                self._pos += 1
                return members
            members.extend(self._address(in_group=True)[0])
            after = self._peek()
            if after is not None and not _is_special(after, ",;"):
                raise self._unexpected(after)

    def _addr_spec(self, local: Token, display_name: str) -> Mailbox:
        """Mailbox from ``local`` and the domain after the "@" at the cursor."""
        at = self._peek()
        assert at is not None
        domain = self._peek(1)
        if domain is None or domain.kind not in (TokenKind.ATOM, TokenKind.LITERAL):
            raise self._error("address.missing_domain", local, self._text[local.start : at.end])
        self._pos += 2

        def element() -> str:
            return element_around(self._text, local.start, domain.end)

        if domain.kind is TokenKind.LITERAL:
            raise address_error("address.domain_literal", element(), f"[{domain.value}]")
        address, legacy_dn = check_addr_spec(local, domain.value, element)
        try:
            key = address_key(address)
        except AddressKeyError as error:
            raise AddressError(error.message, domain.value) from error
        if legacy_dn is None:
            return Mailbox(address, key, display_name)
        return Mailbox(address, key, display_name, MailboxKind.EXCHANGE_LEGACY_DN, legacy_dn)


def parse_address_list(text: str) -> tuple[Mailbox, ...]:
    """Mailboxes of a To/Cc/Bcc field as typed or as found in a header.

    Groups ("Team: a@x.org, b@y.org;") give their members. Commas and, as Outlook users
    type them, semicolons separate addresses; empty elements are skipped.

    Unquoted words without an address are an error, never a recipient: for
    ``Smith, John <john@x.org>`` the message names "Smith" and suggests
    ``"Smith, John" <john@x.org>``. Guessing that the comma belongs to the name would be
    wrong for ``Sales, Bob <bob@x.org>`` if Sales is a distribution list the user meant.

    Raises:
        AddressError: anything that is not a well-formed list of internet mailboxes.
    """
    if not text.strip(" \t"):
        return ()
    return tuple(_Parser(text, allow_groups=True).parse())


def parse_mailbox(text: str) -> Mailbox:
    """The one mailbox in ``text``; no groups, no lists."""
    mailboxes = _Parser(text, allow_groups=False).parse()
    if len(mailboxes) != 1:
        key = "address.empty" if not mailboxes else "address.not_one"
        element = visible(text.strip(" \t"))
        raise address_error(key, element, text, count=len(mailboxes))
    return mailboxes[0]


def domain_notices(mailbox: Mailbox) -> tuple[Notice, ...]:
    """Warnings that the mailbox's domain may imitate another (mixed or lookalike scripts)."""
    return lookalike_notices(mailbox.address.rpartition("@")[2], mailbox.key)


# RFC 5322 specials, and "." (allowed unquoted only in the obsolete phrase syntax).
_NAME_NEEDS_QUOTES = frozenset(',;:<>@"()[]\\.')


def written_form(mailbox: Mailbox) -> str:
    """The mailbox as it could be typed again: a name with specials is quoted."""
    name = mailbox.display_name
    if not name:
        return mailbox.address
    if _NAME_NEEDS_QUOTES & set(name):
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name} <{mailbox.address}>"
