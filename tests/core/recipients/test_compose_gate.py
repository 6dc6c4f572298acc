"""The gate's inputs as a compose screen gathers them: a quoted encrypted original counts
only while its text is still in the body."""

import datetime as dt
from dataclasses import dataclass

from desktop_app.core.notices import Notice
from desktop_app.core.pki.usability import CertCode, CertVerdict
from desktop_app.core.policy.model import Policy, RequireEncryption
from desktop_app.core.recipients.addresses import parse_mailbox
from desktop_app.core.recipients.compose_gate import quoting_encrypted_original, send_decision
from desktop_app.core.recipients.replies import ComposeAction
from desktop_app.core.recipients.send_gate import Choice, GateKind, gate
from desktop_app.core.recipients.status import (
    CertificateEvidence,
    Draft,
    Evidence,
    Lookup,
    MessageStatus,
    decide,
)

DANA = parse_mailbox("Dana Whitfield <dana@partner.example>")
LEE = parse_mailbox("Dr. Lee <lee@clinic.example>")
POLICY = Policy(frozenset({"clinic.example"}), RequireEncryption.NEVER, True)
USABLE = CertificateEvidence(
    "ab",
    "cd",
    dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
    "imported",
    CertVerdict(CertCode.OK, "ok", ()),
)
QUOTE = "\n\nOn Monday, Dana wrote:\n> results\n"


@dataclass(frozen=True, slots=True)
class Origin:
    action: ComposeAction = ComposeAction.REPLY_ALL
    quote: str | None = QUOTE
    original_encrypted: bool = True


def _mixed() -> MessageStatus:
    evidence = Evidence(lookups={LEE.key: Lookup((USABLE,)), DANA.key: Lookup()})
    return decide(Draft(to=(DANA,), cc=(LEE,)), evidence)


def test_the_quote_of_an_encrypted_original_counts_while_it_is_in_the_body() -> None:
    assert quoting_encrypted_original(Origin(), "Thanks." + QUOTE)
    assert not quoting_encrypted_original(Origin(), "Thanks, quote removed.\n")
    assert not quoting_encrypted_original(Origin(original_encrypted=False), "Thanks." + QUOTE)
    assert not quoting_encrypted_original(Origin(quote=None), "Thanks." + QUOTE)


def test_send_decision_is_the_gate_with_the_quote_and_the_servers_warnings() -> None:
    status = _mixed()
    warning = Notice("mailtip", "Dana is out of the office.", DANA.key)
    decided = send_decision(
        status, Origin(), "Thanks." + QUOTE, encrypt_on=False, policy=POLICY, warnings=(warning,)
    )
    expected = gate(
        status,
        encrypt_on=False,
        action=ComposeAction.REPLY_ALL,
        policy=POLICY,
        quoting_encrypted_original=True,
    )
    assert decided.kind is GateKind.OPEN_DIALOG and decided.quoted_original
    assert Choice.SEND_UNENCRYPTED in decided.choices
    assert decided.warnings == (warning,)
    assert decided.title == expected.title and decided.choices == expected.choices
