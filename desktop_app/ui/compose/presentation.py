"""How a verdict reads: the words, labels and tooltips of recipients, and the status line.

The views only show what these functions return; nothing here decides who is covered.
That comes from ``MessageStatus`` (the one rule) alone, and the status line's words from
``core.recipients.status_wording``. Icons come from ``status_icons``.
"""

from dataclasses import dataclass

from desktop_app.core.messages import text
from desktop_app.core.recipients.addresses import Mailbox, MailboxKind
from desktop_app.core.recipients.legacy_dn import legacy_dn_short_name
from desktop_app.core.recipients.naming import looks_like_address
from desktop_app.core.recipients.status import RecipientStatus, StatusCode
from desktop_app.core.recipients.status_wording import LineState, StatusWording
from desktop_app.ui.status_icons import LINE_ICONS, TokenState, state_words

_CODE_WORDS = {
    StatusCode.OK: "token.ok",
    StatusCode.NO_CERTIFICATE: "token.no_certificate",
    StatusCode.EXPIRED: "token.expired",
    StatusCode.NOT_YET_VALID: "token.not_yet_valid",
    StatusCode.REVOKED: "token.revoked",
    StatusCode.UNTRUSTED: "token.untrusted",
    StatusCode.WRONG_USAGE: "token.wrong_usage",
    StatusCode.WEAK_KEY: "token.weak_key",
    StatusCode.UNRESOLVED: "token.unresolved",
    StatusCode.REVOCATION_UNKNOWN: "token.revocation_unknown",
}


def code_words(code: StatusCode) -> str:
    """A few words for a status code, shown on the token next to the name."""
    return text(_CODE_WORDS[code])


def token_state(status: RecipientStatus | None, *, pending: bool, invalid: bool) -> TokenState:
    if invalid:
        return TokenState.INVALID
    if status is not None and status.covered:
        return TokenState.COVERED
    if pending or status is None:
        return TokenState.CHECKING
    return TokenState.NOT_COVERED


def mailbox_label(mailbox: Mailbox) -> str:
    """The name to show; an X.500 address (often over 100 characters) by its own name.

    A display name that looks like an address is not shown: ``"dana@partner.example"
    <lee@clinic.example>`` reads lee@clinic.example, the address it really goes to.
    """
    if mailbox.display_name and not looks_like_address(mailbox.display_name):
        return mailbox.display_name
    if mailbox.kind is MailboxKind.EXCHANGE_LEGACY_DN:
        short = legacy_dn_short_name(mailbox.legacy_dn or mailbox.address)
        return text("token.x500_name", name=short)
    return mailbox.address


def shown_address(mailbox: Mailbox) -> str:
    """The address as written, plus its ASCII form when they differ (a lookalike domain
    can look exactly like the real one)."""
    if mailbox.kind is not MailboxKind.SMTP or mailbox.address.lower() == mailbox.key:
        return mailbox.address
    return f"{mailbox.address} ({mailbox.key})"


def full_label(mailbox: Mailbox) -> str:
    """ "Name <address>", or the address alone (also for a name that looks like one)."""
    address = shown_address(mailbox)
    name = mailbox.display_name
    return f"{name} <{address}>" if name and not looks_like_address(name) else address


def token_label(
    mailbox: Mailbox | None,
    written: str,
    state: TokenState,
    status: RecipientStatus | None,
    *,
    lookalike: bool = False,
    key_changed: bool = False,
    expires_soon: bool = False,
) -> str:
    """The token's text: the name, plus what is wrong (shape and words differ, not just colour).

    For a lookalike domain the token shows the address's ASCII form instead of a name, so
    it does not look like the real colleague's token.
    """
    if mailbox is None:
        name = written
    elif lookalike:
        name = mailbox.key
    else:
        name = mailbox_label(mailbox)
    if state is TokenState.COVERED:
        # Still covered, but by a new key or one about to expire: marks the user cannot miss.
        marks = [
            text(key)
            for key, shown in (
                ("token.key_changed", key_changed),
                ("token.expires_soon", expires_soon),
            )
            if shown
        ]
        return text("token.with_words", name=name, words=", ".join(marks)) if marks else name
    if state is TokenState.CHECKING:
        return text("token.with_words", name=name, words=text("token.checking"))
    if state is TokenState.INVALID:
        return text("token.with_words", name=name, words=text("token.invalid"))
    assert status is not None
    return text("token.with_words", name=name, words=code_words(status.code))


def token_accessible_name(label: str, state: TokenState) -> str:
    """The token's text and its status word: the icon alone says nothing to a screen reader."""
    return text("a11y.token", label=label, state=state_words(state))


# Reasons written for administrators (they name key usage bits and extensions), and what
# clinic staff read instead; the certificate details dialog keeps the technical words.
_TECHNICAL_REASONS = {
    "cert.key_usage_rsa": "plain.not_for_encryption",
    "cert.key_usage_ec": "plain.not_for_encryption",
    "cert.not_for_email": "plain.not_for_email",
    "cert.malformed": "plain.damaged",
}


def plain_reason(status: RecipientStatus) -> str:
    """``status.reason`` in the words of the people who send the mail."""
    for technical, plain in _TECHNICAL_REASONS.items():
        if status.reason == text(technical):
            return text(plain)
    return status.reason


def token_tooltip(
    mailbox: Mailbox | None,
    state: TokenState,
    status: RecipientStatus | None,
    error: str | None,
    warnings: tuple[str, ...] = (),
) -> str:
    if state is TokenState.INVALID:
        return error or ""
    assert mailbox is not None
    if state is TokenState.CHECKING or status is None:
        return text("status.pending", address=mailbox.address)
    return "\n".join((full_label(mailbox), plain_reason(status), *warnings))


@dataclass(frozen=True, slots=True)
class StatusLine:
    """A status line as shown: its wording's state, headline and summary, and its icon."""

    state: LineState
    icon: str
    headline: str
    summary: str


def line_of(state: LineState, headline: str, summary: str) -> StatusLine:
    """A status line in ``state``, with that state's icon."""
    return StatusLine(state, LINE_ICONS[state], headline, summary)


def status_line(wording: StatusWording) -> StatusLine:
    """The status line that shows ``wording`` (``core.recipients.status_wording``)."""
    return line_of(wording.state, wording.headline, wording.summary)
