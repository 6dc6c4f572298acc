"""The send gate as a compose screen asks it: the draft's start and its text add what the
one rule's verdict does not say (whether quoted text of an encrypted original would leave).

The compose session and training both assemble the gate's inputs here, so a scenario is
judged exactly as the compose screen would judge the same draft.
"""

from dataclasses import replace
from typing import Protocol

from desktop_app.core.notices import Notice
from desktop_app.core.phi.message_scan import PhiReport
from desktop_app.core.policy.model import Policy
from desktop_app.core.recipients.replies import ComposeAction
from desktop_app.core.recipients.send_gate import GateDecision, gate
from desktop_app.core.recipients.status import MessageStatus


class DraftOrigin(Protocol):
    """How a draft started: its action and what of the original it quotes.

    ``quote`` is the original's text as quoted in the body; ``original_encrypted`` says
    the original arrived encrypted.
    """

    @property
    def action(self) -> ComposeAction: ...

    @property
    def quote(self) -> str | None: ...

    @property
    def original_encrypted(self) -> bool: ...


def quoting_encrypted_original(origin: DraftOrigin, body: str) -> bool:
    """True while ``body`` still holds the quoted text of an original that was encrypted."""
    quote = origin.quote
    return origin.original_encrypted and quote is not None and quote in body


def send_decision(
    status: MessageStatus,
    origin: DraftOrigin,
    body: str,
    *,
    encrypt_on: bool,
    policy: Policy,
    phi: PhiReport = PhiReport(),  # noqa: B008 (frozen, empty)
    warnings: tuple[Notice, ...] = (),
) -> GateDecision:
    """The gate's decision for pressing Send on a draft whose verdict is ``status``.

    ``phi`` is what the PHI guard found in the message; ``warnings`` are the mail
    server's warnings about the recipients (MailTips), shown as notes.
    """
    decided = gate(
        status,
        encrypt_on=encrypt_on,
        action=origin.action,
        policy=policy,
        quoting_encrypted_original=quoting_encrypted_original(origin, body),
        phi=phi,
    )
    return replace(decided, warnings=warnings)
