"""What the user wrote in an address field, cut into entries: mailboxes, and what is not one.

Pure: the compose window's recipient model and the draft autosave call it; it never raises
on any text (a property test holds it to that).
"""

from dataclasses import dataclass

from desktop_app.core.recipients.addresses import (
    AddressError,
    Mailbox,
    parse_address_list,
    written_form,
)
from desktop_app.core.recipients.legacy_dn import bare_legacy_dn


@dataclass(frozen=True, slots=True)
class AddressEntry:
    """One entry of an address field: a mailbox, or text that is not an address and why
    (``error``). The compose window shows each as a token."""

    written: str
    mailbox: Mailbox | None
    error: str | None = None


def split_elements(value: str) -> list[str]:
    """``value`` cut at the commas and semicolons that separate addresses.

    Separators inside quotes, angle brackets or comments do not count; this only finds
    pieces to report one by one when the whole list does not parse.
    """
    pieces: list[str] = []
    current: list[str] = []
    quoted, escaped, angle, comment = False, False, 0, 0
    for char in value:
        if escaped:
            escaped = False
        elif char == "\\" and (quoted or comment):
            escaped = True
        elif quoted:
            quoted = char != '"'
        elif char == '"':
            quoted = True
        elif char == "(":
            comment += 1
        elif char == ")" and comment:
            comment -= 1
        elif char == "<" and not comment:
            angle += 1
        elif char == ">" and angle and not comment:
            angle -= 1
        elif char in ",;" and not (angle or comment):
            pieces.append("".join(current))
            current = []
            continue
        current.append(char)
    pieces.append("".join(current))
    return [piece.strip() for piece in pieces if piece.strip()]


def entries_for(value: str) -> list[AddressEntry]:
    """Entries for typed or pasted text: one per address, an error entry for what is not one.

    When the whole text does not parse, each piece is tried alone, so one typo does not
    hold up twenty good addresses. A piece with no "@" is likely part of a name with a
    comma in it; then the whole text stays one error entry, whose message suggests quotes.
    A bare X.500 address (``/o=Org/.../cn=jsmith``) is an entry the directory resolves.
    """
    try:
        return [AddressEntry(written_form(m), m) for m in parse_address_list(value)]
    except AddressError as whole:
        pieces = split_elements(value)
        x500 = [bare_legacy_dn(piece) for piece in pieces]
        if (len(pieces) <= 1 and not any(x500)) or any(
            "@" not in piece and dn is None for piece, dn in zip(pieces, x500, strict=True)
        ):
            # The separator that ended the entry is not part of what was written.
            return [AddressEntry(value.strip().rstrip(",;").rstrip(), None, whole.message)]
    entries: list[AddressEntry] = []
    for piece, dn in zip(pieces, x500, strict=True):
        if dn is not None:
            entries.append(AddressEntry(written_form(dn), dn))
            continue
        try:
            entries += [AddressEntry(written_form(m), m) for m in parse_address_list(piece)]
        except AddressError as error:
            entries.append(AddressEntry(piece, None, error.message))
    return entries
