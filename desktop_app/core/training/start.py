"""How a scenario's draft starts: the product's own reply prefill, then the draft's additions."""

from dataclasses import dataclass
from datetime import datetime

from desktop_app.core.messages import text
from desktop_app.core.recipients.addresses import Mailbox
from desktop_app.core.recipients.replies import ComposeAction, OriginalMessage, prefill
from desktop_app.core.recipients.status import Draft
from desktop_app.core.training.schema import Original, Scenario


@dataclass(frozen=True, slots=True)
class ScenarioStart:
    """What the sandboxed compose screen opens with (mirrors ``ComposeStart``)."""

    action: ComposeAction
    to: tuple[Mailbox, ...]
    cc: tuple[Mailbox, ...]
    bcc: tuple[Mailbox, ...]
    subject: str
    body: str
    quote: str | None
    original_encrypted: bool


def _as_received(original: Original) -> OriginalMessage:
    return OriginalMessage(
        sender=(original.sender,),
        reply_to=(),
        to=original.to,
        cc=original.cc,
        subject=original.subject,
        message_id=None,
        references=(),
        encrypted=original.encrypted,
    )


def _label(mailbox: Mailbox) -> str:
    return (
        f"{mailbox.display_name} <{mailbox.address}>" if mailbox.display_name else mailbox.address
    )


def _quote(original: Original, action: ComposeAction, date: str) -> str:
    body = original.body.rstrip("\n")
    if action is ComposeAction.FORWARD:
        header = text(
            "compose.forward_header",
            sender=_label(original.sender),
            date=date,
            subject=original.subject,
            to=", ".join(_label(m) for m in original.to),
        )
        return "\n\n" + header + "\n\n" + body + "\n"
    lines = "\n".join(f"> {line}" if line else ">" for line in body.split("\n"))
    header = text("compose.quote_header", date=date, sender=_label(original.sender))
    return "\n\n" + header + "\n" + lines + "\n"


def _merged(first: tuple[Mailbox, ...], more: tuple[Mailbox, ...]) -> tuple[Mailbox, ...]:
    seen = {mailbox.key for mailbox in first}
    return first + tuple(mailbox for mailbox in more if mailbox.key not in seen)


def scenario_start(scenario: Scenario, received: datetime | None = None) -> ScenarioStart:
    """The starting draft: a reply's recipients come from ``replies.prefill``, as in the app.

    ``received`` dates the original in the quote header (scenarios happen "now").
    """
    draft = scenario.draft
    original = scenario.original
    if original is None or scenario.action is ComposeAction.NEW:
        return ScenarioStart(
            ComposeAction.NEW, draft.to, draft.cc, draft.bcc, draft.subject, draft.body, None, False
        )
    filled = prefill(_as_received(original), scenario.action, frozenset({scenario.sender.key}))
    date = f"{received:%d %b %Y %H:%M}" if received is not None else ""
    quote = _quote(original, scenario.action, date)
    return ScenarioStart(
        action=scenario.action,
        to=_merged(filled.to, draft.to),
        cc=_merged(filled.cc, draft.cc),
        bcc=draft.bcc,
        subject=draft.subject or filled.subject,
        body=draft.body + quote,
        quote=quote,
        original_encrypted=original.encrypted,
    )


def start_draft(scenario: Scenario, start: ScenarioStart) -> Draft:
    """The draft the one rule judges, as the compose session builds it."""
    return Draft(to=start.to, cc=start.cc, bcc=start.bcc, sender=scenario.sender)
