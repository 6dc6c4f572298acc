"""The window's marks for directory certificates: the source in the details, and a token
covered by a new key says so in words."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QLabel

from desktop_app.core.pki.usability import CertCode, CertVerdict
from desktop_app.core.recipients.addresses import parse_mailbox
from desktop_app.core.recipients.status import (
    CertificateEvidence,
    Field,
    RecipientStatus,
    StatusCode,
)
from desktop_app.services.certificates.facts import certificate_facts
from desktop_app.ui.compose.certificate_dialog import CertificateDialog
from desktop_app.ui.compose.presentation import token_label
from desktop_app.ui.status_icons import TokenState
from tests.factories.certs import TestCA

CA = TestCA("Marks CA")
LEE = CA.issue(["lee@clinic.example"], slot=2).cert


def status_with(source: str) -> RecipientStatus:
    evidence = CertificateEvidence(
        "ab" * 32, "k", LEE.not_valid_after_utc, source, CertVerdict(CertCode.OK, "ok", ())
    )
    mailbox = parse_mailbox("Lee <lee@clinic.example>")
    return RecipientStatus(Field.TO, mailbox, StatusCode.OK, "usable", evidence)


def test_details_name_the_ldap_directory_and_the_bundle(qapp, theme, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for source, words in (
        ("ldap:corp", "The LDAP directory “corp”"),
        ("bundle:practice", "Your administrator's certificate bundle “practice”"),
    ):
        dialog = CertificateDialog(status_with(source), certificate_facts(LEE), theme)
        shown = [label.text() for label in dialog.findChildren(QLabel)]
        assert words in shown
        dialog.resize(520, dialog.sizeHint().height())
        dialog.grab().save(str(tmp_path / f"{source.replace(':', '-')}.png"))
        dialog.deleteLater()


def test_covered_token_with_a_new_key_says_so() -> None:
    status = status_with("ldap:corp")
    plain = token_label(status.mailbox, "lee", TokenState.COVERED, status)
    marked = token_label(status.mailbox, "lee", TokenState.COVERED, status, key_changed=True)
    assert plain == "Lee"
    assert marked == "Lee · new key"
    both = token_label(
        status.mailbox, "lee", TokenState.COVERED, status, key_changed=True, expires_soon=True
    )
    assert both == "Lee · new key, expires soon"


def test_expiry_notices_for_recipients_and_list_members() -> None:
    from desktop_app.core.recipients.lifecycle import expiry_notices
    from desktop_app.core.recipients.status import MessageStatus, Overall

    status = status_with("ldap:corp")
    message = MessageStatus(Overall.ENCRYPTED, (status,), (), "")
    soon = status.certificate.not_after - dt.timedelta(days=10)  # type: ignore[union-attr]
    assert [n.code for n in expiry_notices(message, soon)] == ["expires_soon"]
    assert expiry_notices(message, soon - dt.timedelta(days=60)) == ()
