"""The list models, checked with pytest-qt's model tester, and token parsing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from desktop_app.core.pki.usability import CertCode, CertVerdict
from desktop_app.core.recipients.addresses import Mailbox, parse_mailbox
from desktop_app.core.recipients.legacy_dn import bare_legacy_dn
from desktop_app.core.recipients.status import (
    CertificateEvidence,
    Draft,
    Evidence,
    Field,
    Lookup,
    decide,
)
from desktop_app.services.mailbox.source import FolderMessageListSource
from desktop_app.ui.compose.attachment_model import AttachmentListModel, DraftAttachment
from desktop_app.ui.compose.gate_dialog import UncoveredListModel
from desktop_app.ui.compose.presentation import full_label, mailbox_label
from desktop_app.ui.compose.recipient_model import RecipientListModel
from desktop_app.ui.message_list import MessageListModel
from desktop_app.ui.status_icons import TokenState
from desktop_app.ui.theme import Theme
from tests.ui.test_compose import INBOX

AT = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)


def usable(address: str) -> Lookup:
    verdict = CertVerdict(CertCode.OK, "ok", ())
    return Lookup((CertificateEvidence(f"fp-{address}", "spki", AT, "imported", verdict),))


def test_recipient_model(qtmodeltester: ModelTester, theme: Theme) -> None:
    model = RecipientListModel(Field.TO, theme.icon)
    qtmodeltester.check(model)
    model.add_text("ann@clinic.example, bob@partner.example, not an address@")
    model.add_text('"Lee, Dr. Jordan" <lee@clinic.example>')
    qtmodeltester.check(model)
    draft = Draft(to=model.mailboxes())
    evidence = Evidence(
        {
            "ann@clinic.example": usable("ann@clinic.example"),
            "bob@partner.example": Lookup(),
            "lee@clinic.example": Lookup(pending=True),
        }
    )
    status = decide(draft, evidence)
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom, roles: changed.append((top.row(), bottom.row())))
    model.set_verdicts(
        {r.mailbox.key: r for r in status.recipients}, frozenset({"lee@clinic.example"})
    )

    def icon_key(row: int) -> int:
        return model.index(row).data(Qt.ItemDataRole.DecorationRole).cacheKey()

    states = [model.index(row).data(RecipientListModel.STATE_ROLE) for row in range(4)]
    assert states == [
        TokenState.COVERED,
        TokenState.NOT_COVERED,
        TokenState.INVALID,
        TokenState.CHECKING,
    ]
    assert changed == [(0, 3)]  # one dataChanged spanning the rows whose look changed, no reset
    model.set_verdicts(
        {r.mailbox.key: r for r in status.recipients}, frozenset({"lee@clinic.example"})
    )
    assert changed == [(0, 3)], "nothing changed, nothing signalled"
    assert icon_key(0) == theme.icon("lock-closed").cacheKey()
    assert icon_key(1) == theme.icon("lock-open").cacheKey()
    assert icon_key(3) == theme.icon("checking").cacheKey()
    qtmodeltester.check(model)
    model.remove_keys({"bob@partner.example"})
    assert [m.address for m in model.mailboxes()] == ["ann@clinic.example", "lee@clinic.example"]
    qtmodeltester.check(model)


def test_attachment_model(qtmodeltester: ModelTester, theme: Theme, tmp_path: Path) -> None:
    model = AttachmentListModel(theme.icon)
    model.add(DraftAttachment(tmp_path / "results.pdf", 12_345))
    model.add(DraftAttachment(tmp_path / "results.pdf", 12_345))  # once only
    model.add(DraftAttachment(tmp_path / "scan.png", 10))
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.index(0).data().startswith("results.pdf (")
    model.remove_row(0)
    assert model.paths() == (tmp_path / "scan.png",)


def test_message_list_model(qtmodeltester: ModelTester, theme: Theme) -> None:
    model = MessageListModel(theme.icon)
    model.set_messages(FolderMessageListSource(INBOX, "Inbox").list_messages())
    qtmodeltester.check(model)
    assert model.rowCount() == 5
    assert model.index(0).data() == "Referral results for our shared patient"
    assert model.index(0).data(MessageListModel.SENDER_ROLE) == "Dana Whitfield"
    assert "without encryption" in model.index(0).data(Qt.ItemDataRole.ToolTipRole)


def test_uncovered_model(qtmodeltester: ModelTester, theme: Theme) -> None:
    draft = Draft(to=(parse_mailbox("Dana <dana@partner.example>"),))
    status = decide(draft, Evidence())
    model = UncoveredListModel(status.uncovered, theme)
    qtmodeltester.check(model)
    assert model.index(0).data().startswith("Dana <dana@partner.example> · no certificate")


def test_an_x500_token_shows_its_own_name_and_its_tooltip_the_whole_address() -> None:
    mailbox = bare_legacy_dn("/o=Clinic/ou=Exchange Administrative Group/cn=Recipients/cn=jsmith")
    assert mailbox is not None
    assert mailbox_label(mailbox) == "jsmith (X.500)"
    assert full_label(mailbox) == mailbox.address
    assert mailbox_label(Mailbox("a@x.org", "a@x.org")) == "a@x.org"
