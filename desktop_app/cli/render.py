"""Turning a verdict into the CLI's JSON object or a readable table."""

import json
from typing import Any

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.core.recipients.addresses import written_form
from desktop_app.core.recipients.status import MessageStatus, Overall, RecipientStatus

LOCKED_MARK, OPEN_MARK = "🔒", "🔓"
ASCII_LOCKED_MARK, ASCII_OPEN_MARK = "[locked]", "[OPEN]  "


def render_status_json(status: MessageStatus) -> dict[str, Any]:
    """The ``check --json`` object (a documented contract; add keys, never rename)."""
    return {
        "overall": status.overall.value,
        "summary": status.summary,
        "recipients": [
            {
                "field": recipient.field.value,
                "address": recipient.mailbox.address,
                "display_name": recipient.mailbox.display_name,
                "status": recipient.code.value,
                "reason": recipient.reason,
                "certificate": recipient.certificate.fingerprint if recipient.certificate else None,
                "certificate_source": (
                    recipient.certificate.source if recipient.certificate else None
                ),
            }
            for recipient in status.recipients
        ],
        "warnings": [{"code": notice.code, "message": notice.message} for notice in status.notices],
    }


def render_invalid_json(error: UserFacingError) -> str:
    return json.dumps(
        {
            "overall": "invalid",
            "recipients": [],
            "warnings": [{"code": "invalid_input", "message": error.message}],
        },
        ensure_ascii=False,
        indent=2,
    )


def _marks(encoding: str | None) -> tuple[str, str]:
    try:
        (LOCKED_MARK + OPEN_MARK).encode(encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return ASCII_LOCKED_MARK, ASCII_OPEN_MARK
    return LOCKED_MARK, OPEN_MARK


def _recipient_label(recipient: RecipientStatus) -> str:
    return written_form(recipient.mailbox)


def render_status_table(status: MessageStatus, encoding: str | None) -> str:
    """A plain-text table: a lock or open-lock mark per recipient, status and reason."""
    locked, unlocked = _marks(encoding)
    encrypted = status.overall is Overall.ENCRYPTED
    headline = text("cli.headline_encrypted" if encrypted else "cli.headline_not_encrypted")
    mark = locked if status.overall is Overall.ENCRYPTED else unlocked
    lines = [f"{mark} {headline}: {status.summary}", ""]
    width = max((len(_recipient_label(r)) for r in status.recipients), default=0)
    for recipient in status.recipients:
        lines.append(
            f"  {locked if recipient.covered else unlocked} {recipient.field.value.title():<3} "
            f"{_recipient_label(recipient):<{width}}  {recipient.code.value:<14} {recipient.reason}"
        )
    if status.notices:
        lines += ["", text("cli.warnings")]
        lines += [f"  ! {notice.code}: {notice.message}" for notice in status.notices]
    return "\n".join(lines)
