"""Header Protection (RFC 9788) for sealed messages: the real Subject travels encrypted.

The Cryptographic Payload (what is signed and encrypted) gets the message's header
fields as its own, with ``hp="cipher"`` on its Content-Type and an ``HP-Outer`` field for
each field of the outer header section as sent; outside, the Subject is ``[...]``
(the RFC's baseline confidentiality policy, ``hcp_baseline``). A Legacy Display Element,
a text/plain part marked ``hp-legacy-display="1"``, shows the Subject in the body of
clients that do not understand header protection; clients that do hide it.

On the wire the payload is::

    Content-Type: multipart/mixed; boundary="=_hp_..."; hp="cipher"
    From: ... / To: ... / Subject: <real> / Date: ... / Message-ID: ...
    HP-Outer: Subject: [...]   (and one for each other outer field)

    --=_hp_...
    Content-Type: text/plain; charset=utf-8; hp-legacy-display="1"

    Subject: <real>
    --=_hp_...
    <the message as composed>
    --=_hp_...--
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping
from typing import Final, Protocol

from desktop_app.core.messages import text
from desktop_app.core.mime.compose import InnerMime
from desktop_app.core.mime.encode import quoted_printable
from desktop_app.core.smime.outer_headers import folded_header_lines

OBSCURED_SUBJECT: Final = "[...]"
# Fields the payload carries as the message's own (RFC 9788 "user-facing" ones we set).
PROTECTED_FIELDS: Final = (
    "From",
    "To",
    "Cc",
    "Subject",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
)
# hcp_baseline: the Subject is obscured, everything else stays as it is (transport,
# threading and the Sent Items search by Message-ID need them).
OBSCURED: Final = {"subject": OBSCURED_SUBJECT}


class _Readable(Protocol):
    @property
    def length(self) -> int: ...

    def chunks(self) -> Iterator[bytes | memoryview]: ...


def outer_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The header fields to send outside the encryption: the Subject obscured."""
    return {name: OBSCURED.get(name.lower(), value) for name, value in headers.items()}


def _head(headers: Mapping[str, str], boundary: str) -> bytes:
    protected = {n: v for n, v in headers.items() if n in PROTECTED_FIELDS}
    outer = outer_headers(headers)
    lines = [
        f'Content-Type: multipart/mixed;\r\n boundary="{boundary}"; hp="cipher"\r\n'.encode(),
        folded_header_lines(protected),
    ]
    for name, value in outer.items():
        lines.append(folded_header_lines({"HP-Outer": f"{name}: {value}"}))
    legacy = text("hp.legacy_subject", subject=headers.get("Subject", "")) + "\r\n"
    lines += [
        f"\r\n--{boundary}\r\n".encode(),  # the blank line ending the header, a delimiter
        b'Content-Type: text/plain; charset=utf-8; hp-legacy-display="1"\r\n'
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n",
        quoted_printable(legacy.encode("utf-8")),
        f"\r\n--{boundary}\r\n".encode(),
    ]
    return b"".join(lines)


class ProtectedPayload:
    """The composed entity inside a multipart/mixed carrying the protected headers.

    ``content`` gives the composed entity's bytes (possibly checked to be the same on
    every reading); ``searchable`` is the same entity, asked where a boundary may lie.
    """

    def __init__(
        self,
        headers: Mapping[str, str],
        content: _Readable,
        searchable: InnerMime,
        *,
        boundary_seed: bytes | None = None,
    ) -> None:
        seed = os.urandom(16) if boundary_seed is None else boundary_seed
        # "=_hp_" differs at its third character from compose's "=_mix_"/"=_alt_".
        boundary = "=_hp_" + hashlib.sha256(b"hp\0" + seed).hexdigest()[:32]
        self._head = _head(headers, boundary)
        self._tail = f"\r\n--{boundary}--\r\n".encode()
        self._content = content
        self._searchable = searchable

    @property
    def length(self) -> int:
        return len(self._head) + self._content.length + len(self._tail)

    def chunks(self) -> Iterator[bytes | memoryview]:
        yield self._head
        yield from self._content.chunks()
        yield self._tail

    def contains(self, needle: bytes) -> bool:
        """As ``InnerMime.contains``: the head and tail end and start at line breaks."""
        return needle in self._head or needle in self._tail or self._searchable.contains(needle)


# Compared when reading: what a reader is shown and could be misled by.
COMPARED_FIELDS: Final = ("From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID")


def _normal(value: str) -> str:
    return " ".join(value.split())


def outer_differences(
    outer: Mapping[str, str],
    protected: Mapping[str, str],
    hp_outer: tuple[tuple[str, str], ...],
) -> list[tuple[str, str, str]]:
    """The fields whose outer value differs from the protected one, unexplained.

    ``outer`` and ``protected`` map lower-case names to decoded values. A difference is
    explained when an HP-Outer field records that very outer value (the sender obscured
    it on purpose) or, without HP-Outer, when the outer Subject is the usual ``[...]``.
    Returns (name, outer value, protected value) for the rest.
    """
    recorded = {(name.lower(), _normal(value)) for name, value in hp_outer}
    found = []
    for name in COMPARED_FIELDS:
        key = name.lower()
        inner = protected.get(key)
        if inner is None:
            continue
        seen = outer.get(key)
        if seen is None or _normal(seen) == _normal(inner):
            continue
        if (key, _normal(seen)) in recorded:
            continue
        if not hp_outer and key == "subject" and _normal(seen) == OBSCURED_SUBJECT:
            continue
        found.append((name, seen, inner))
    return found
