"""The outer headers of a message on the wire, sealed or not: who, what, when, threading.

They are never encrypted (the Subject is visible to every server on the way), and each
copy of a message names only its own audience: a Bcc copy is addressed to its Bcc
recipient alone.
"""

import email.policy
import email.utils
from collections.abc import Mapping, Sequence
from datetime import datetime

from desktop_app.core.messages import text
from desktop_app.core.recipients.addresses import Mailbox
from desktop_app.core.smime.errors import EnvelopeError


def formatted(mailbox: Mailbox) -> str:
    """``"Name" <address>``, quoted as RFC 5322 needs, or the address alone."""
    return email.utils.formataddr((mailbox.display_name, mailbox.address))


def message_headers(
    *,
    sender: Mailbox,
    to: Sequence[Mailbox],
    cc: Sequence[Mailbox],
    subject: str,
    at: datetime,
    message_id: str,
    in_reply_to: str | None = None,
    references: Sequence[str] = (),
) -> dict[str, str]:
    """From, To and Cc (when not empty), Subject, Date, Message-ID and the threading."""
    headers = {"From": formatted(sender)}
    if to:
        headers["To"] = ", ".join(formatted(m) for m in to)
    if cc:
        headers["Cc"] = ", ".join(formatted(m) for m in cc)
    headers["Subject"] = subject
    headers["Date"] = email.utils.format_datetime(at)
    headers["Message-ID"] = message_id
    if in_reply_to:
        headers["In-Reply-To"] = in_reply_to
    if references:
        headers["References"] = " ".join(references)
    return headers


def folded_header_lines(headers: Mapping[str, str]) -> bytes:
    """``headers`` as CRLF-terminated lines, folded and RFC 2047-encoded where needed.

    Raises:
        EnvelopeError: a value contains a line break (header injection).
        ValueError: a name is not a header field name.
    """
    policy = email.policy.SMTP
    lines: list[bytes] = []
    for name, value in headers.items():
        if not name or any(c <= " " or c > "~" or c == ":" for c in name):
            raise ValueError(f"not a header field name: {name!r}")
        if "\r" in value or "\n" in value:
            raise EnvelopeError(text("envelope.header_line_break", name=name))
        if value.isascii():
            lines.append(policy.fold_binary(name, value))
        else:
            # fold_binary leaves short non-ASCII values unencoded; the header classes write
            # RFC 2047 encoded words (and address syntax) for them.
            lines.append(policy.header_factory(name, value).fold(policy=policy).encode("ascii"))
    return b"".join(lines)
