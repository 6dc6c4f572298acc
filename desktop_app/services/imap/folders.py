"""Finding the Sent and Drafts folders: SPECIAL-USE (RFC 6154) first, then the usual names."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop_app.services.imap.connection import ImapCommandError, quote_mailbox

if TYPE_CHECKING:
    from desktop_app.services.imap.connection import ImapConnection

log = logging.getLogger(__name__)

SENT = "\\Sent"
DRAFTS = "\\Drafts"
# Names other clients and servers use when the server marks nothing (compared without case).
FALLBACK_NAMES = {
    SENT: ("Sent", "Sent Items", "Sent Messages", "Sent Mail", "[Gmail]/Sent Mail"),
    DRAFTS: ("Drafts", "Draft", "[Gmail]/Drafts"),
}
# What is created when nothing fits, so a Sent copy or a draft always has a place.
CREATED_NAMES = {SENT: "Sent", DRAFTS: "Drafts"}

_LIST_LINE = re.compile(
    rb'^\((?P<flags>[^)]*)\) (?P<delimiter>"(?:[^"\\]|\\.)*"|NIL) (?P<name>.*)$', re.DOTALL
)


@dataclass(frozen=True, slots=True)
class ListedFolder:
    """A mailbox as LIST names it (modified UTF-7, as the server wants it back)."""

    name: str
    flags: frozenset[str]
    delimiter: str


def _unquote(value: bytes) -> str:
    value = value.strip()
    if value.startswith(b'"') and value.endswith(b'"'):
        value = re.sub(rb"\\(.)", rb"\1", value[1:-1])
    return value.decode("utf-8", errors="replace")


def parse_list(data: Sequence[object]) -> list[ListedFolder]:
    """The folders of a LIST answer as imaplib returns it (a literal name comes as a
    tuple of the line and the name)."""
    folders = []
    for item in data:
        if isinstance(item, tuple) and len(item) >= 2:
            line, literal = item[0], item[1]
            if not isinstance(line, bytes) or not isinstance(literal, bytes):
                continue
            # The literal becomes a quoted string, so that one pattern reads both forms.
            quoted = literal.replace(b"\\", b"\\\\").replace(b'"', b'\\"')
            line = re.sub(rb"\{\d+\}$", b"", line) + b'"' + quoted + b'"'
        elif isinstance(item, bytes):
            line = item
        else:
            continue
        found = _LIST_LINE.match(line)
        if found is None:
            continue
        flags = frozenset(flag.decode(errors="replace") for flag in found["flags"].split())
        delimiter = found["delimiter"]
        folders.append(
            ListedFolder(
                _unquote(found["name"]),
                frozenset(flag.title() if flag.startswith("\\") else flag for flag in flags),
                "" if delimiter == b"NIL" else _unquote(delimiter),
            )
        )
    return folders


def _by_name(folders: Sequence[ListedFolder], use: str) -> ListedFolder | None:
    wanted = [name.lower() for name in FALLBACK_NAMES[use]]
    for name in wanted:
        for folder in folders:
            if "\\Noselect" in folder.flags:
                continue
            last = folder.name.rsplit(folder.delimiter, 1)[-1] if folder.delimiter else ""
            if folder.name.lower() == name or last.lower() == name:
                return folder
    return None


def find_folder(connection: ImapConnection, use: str) -> str:
    """The name of the folder for ``use`` (``SENT`` or ``DRAFTS``), created if none fits.

    Raises:
        ImapCommandError, ImapConnectionLostError: the server refused or went away.
    """
    client = connection.client
    folders = parse_list(connection.run("LIST", lambda: client.list('""', '"*"')))
    marked = [folder for folder in folders if use.title() in folder.flags]
    if marked:
        return marked[0].name
    named = _by_name(folders, use)
    if named is not None:
        return named.name
    name = CREATED_NAMES[use]
    log.info("imap: no %s folder; creating one", use)
    # It may exist unlisted (a race with another client): then APPEND will say.
    with contextlib.suppress(ImapCommandError):
        connection.run("CREATE", lambda: client.create(quote_mailbox(name)))
    return name
