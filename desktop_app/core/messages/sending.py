"""Strings about sending from the desktop: identity, outbox delivery and retries."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    "sending.cannot_sign": (
        "Signing is on, but no certificate of yours is set up to sign with. Import it "
        "with `smime-guard identity import`, or turn Sign off. Nothing was sent."
    ),
    "sending.saved": "Saved in the outbox folder {folder}.",
    "sending.sent": "Sent through Exchange; a copy is in Sent Items.",
    "sending.sent_count": "Sent {count} {count:p:message|messages} through Exchange.",
    "sending.waiting": ("Not sent yet, kept in the outbox and tried again later: {reason}"),
    "sending.outbox_busy": (
        "Another smime-guard is sending from this outbox right now; tried again later."
    ),
    "sending.outbox_waiting": "{count} {count:p:message|messages} waiting in the outbox: {reason}",
    "sending.queue_failed": (
        "The message could not be put in the Exchange outbox: {reason}. Nothing was sent."
    ),
    "sending.no_identity": (
        "No certificate of yours yet: import it with “My certificate…” to encrypt and sign"
    ),
}
