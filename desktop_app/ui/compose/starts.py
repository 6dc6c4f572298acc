"""How a compose window starts for New, Reply, Reply All and Forward.

The reply paths only prefill (recipients through ``core.replies.prefill``, plus the quoted
text); the verdict is then the one rule's, as for any new message to the same people.
"""

from desktop_app.core.messages import text
from desktop_app.core.recipients.legacy_dn import Resolved, resolve_original
from desktop_app.core.recipients.replies import ComposeAction, parse_original, prefill
from desktop_app.services.mailbox.source import MessageDetail
from desktop_app.ui.compose.session import ComposeStart


def _quoted(detail: MessageDetail) -> str:
    summary = detail.summary
    date = f"{summary.date:%d %b %Y %H:%M}" if summary.date is not None else ""
    lines = (detail.body_text or "").replace("\r\n", "\n").rstrip("\n").split("\n")
    quoted = "\n".join(f"> {line}" if line else ">" for line in lines)
    return (
        "\n\n"
        + text("compose.quote_header", date=date, sender=summary.sender)
        + "\n"
        + quoted
        + "\n"
    )


def _forwarded(detail: MessageDetail) -> str:
    summary = detail.summary
    date = f"{summary.date:%d %b %Y %H:%M}" if summary.date is not None else ""
    header = text(
        "compose.forward_header",
        sender=summary.sender,
        date=date,
        subject=summary.subject,
        to=detail.to,
    )
    return "\n\n" + header + "\n\n" + (detail.body_text or "").replace("\r\n", "\n")


def compose_start(
    action: ComposeAction,
    detail: MessageDetail | None,
    own_keys: frozenset[str],
    resolved: Resolved | None = None,
) -> ComposeStart:
    """The starting draft for ``action`` on ``detail`` (None for a new message).

    ``resolved``: SMTP mailboxes the directory gave for the original's X.500 addresses,
    put in place before the prefill, so the user is recognised and left out.

    Raises:
        MessageFormatError: the original's headers cannot be read for a reply.
    """
    if action is ComposeAction.NEW or detail is None:
        return ComposeStart()
    original = parse_original(detail.raw)
    if resolved:
        original = resolve_original(original, resolved)
    filled = prefill(original, action, own_keys)
    quote: str | None = None
    if detail.body_text is not None:
        quote = _forwarded(detail) if action is ComposeAction.FORWARD else _quoted(detail)
    return ComposeStart(
        action=action,
        to=filled.to,
        cc=filled.cc,
        subject=filled.subject,
        body=quote or "",
        quote=quote,
        # Opened by the S/MIME reader, an encrypted original may come as its decrypted text.
        original_encrypted=original.encrypted
        or (detail.security is not None and detail.security.cipher is not None),
        in_reply_to=filled.in_reply_to,
        references=filled.references,
    )
