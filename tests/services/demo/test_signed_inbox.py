"""The demo inbox's signed and encrypted messages open, each with its own security."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from desktop_app.core.identity import Identity
from desktop_app.core.messages import text
from desktop_app.core.smime.open_message import OpenedMessage, open_message
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.demo.build import IDENTITY_CERTIFICATE, IDENTITY_KEY, SECURE_INBOX
from desktop_app.services.demo.home import DemoHome, ensure_demo_home
from desktop_app.services.mailbox.opening import MessageOpener, OpeningMessageListSource
from desktop_app.services.mailbox.source import Encryption, FolderMessageListSource, Signature
from desktop_app.services.outbox.sealing import demo_identity
from desktop_app.services.paths import resource_folder

NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
MOTIVATING = "Referral results for our shared patient"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoHome:
    return ensure_demo_home(
        tmp_path_factory.mktemp("demo") / "home", resource_folder() / "demo", NOW
    )


@pytest.fixture(scope="module")
def identity(demo: DemoHome) -> Identity:
    return demo_identity(demo.identity, IDENTITY_CERTIFICATE, IDENTITY_KEY)


def opened(demo: DemoHome, identity: Identity | None, name: str) -> OpenedMessage:
    with CertStore.open(demo.store) as store:
        trust = store.trust_context()
    eml = (demo.inbox / name).read_bytes()
    return open_message(eml, identity=identity, trust=trust, at=NOW)


def test_colleagues_sign_and_encrypt_to_the_demo_user(demo: DemoHome, identity: Identity) -> None:
    lab = opened(demo, identity, "06-lab-results-encrypted.eml")
    assert lab.encryption is not None and lab.encryption.cipher == "AES-256-CBC"
    assert lab.signature is not None and lab.signature.valid
    assert lab.signature.signer_addresses == ("priya@clinic.example",)
    assert not lab.signature_outside_encryption  # signed, then encrypted
    assert "Mrs. Patel's bloods are back" in lab.message.text

    summary = opened(demo, identity, "07-discharge-summary.eml")
    assert summary.encryption is not None and summary.encryption.cipher == "AES-256-GCM"
    assert summary.encryption.recipients == 2  # the demo user and the Cc'd colleague
    assert summary.signature is not None and summary.signature.valid
    assert summary.signature.signer_addresses == ("lee@clinic.example",)


def test_the_tampered_message_has_an_invalid_signature(demo: DemoHome) -> None:
    weekend = opened(demo, None, "08-on-call-weekend.eml")  # signed only: no key needed
    assert weekend.encryption is None
    assert weekend.signature is not None and not weekend.signature.valid
    assert "changed after it was signed" in weekend.signature.reason
    assert "Sunday by Dr. Leo" in weekend.message.text


def test_the_plain_messages_stay_and_the_motivating_one_is_newest(demo: DemoHome) -> None:
    summaries = FolderMessageListSource(demo.inbox, "Inbox").list_messages()
    assert len(summaries) == 5 + len(SECURE_INBOX)
    assert summaries[0].subject == MOTIVATING
    assert summaries[0].encryption is Encryption.NONE
    by_subject = {s.subject: s for s in summaries}
    assert by_subject["Lab results for Mrs. Patel"].encryption is Encryption.SMIME
    assert by_subject["On-call this weekend"].signature is Signature.UNVERIFIED


def test_no_colleague_key_is_kept_in_the_demo_home(demo: DemoHome) -> None:
    holding_keys = [
        path.name
        for path in demo.root.rglob("*")
        if path.is_file() and b"PRIVATE KEY" in path.read_bytes()
    ]
    assert holding_keys == [IDENTITY_KEY]


def source(demo: DemoHome, identity: Identity | None) -> OpeningMessageListSource:
    opener = MessageOpener(demo.store, lambda: identity, lambda: NOW)
    return OpeningMessageListSource(FolderMessageListSource(demo.inbox, "Demo"), opener)


def test_fetching_opens_each_message_with_its_own_security(
    demo: DemoHome, identity: Identity
) -> None:
    mailbox = source(demo, identity)
    assert mailbox.name == "Demo"
    lab = mailbox.fetch("06-lab-results-encrypted.eml")
    assert lab.security is not None
    assert (lab.security.cipher, lab.security.signature_valid) == ("AES-256-CBC", True)
    assert lab.security.signer == "Priya Shah"
    assert lab.body_text is not None and "HbA1c 48 mmol/mol" in lab.body_text
    weekend = mailbox.fetch("08-on-call-weekend.eml")
    assert weekend.security is not None and weekend.security.signature_valid is False
    assert weekend.security.cipher is None
    plain = mailbox.fetch("01-referral-results.eml")
    assert plain.security is None and plain.body_text is not None


def test_without_an_identity_an_encrypted_message_says_why_it_stays_closed(
    demo: DemoHome,
) -> None:
    lab = source(demo, None).fetch("06-lab-results-encrypted.eml")
    assert lab.security is not None and lab.security.failure == text("open.no_identity")
    assert lab.body_text is None


def test_a_damaged_encrypted_message_is_reported_not_raised(
    demo: DemoHome, identity: Identity, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    eml = (demo.inbox / "06-lab-results-encrypted.eml").read_bytes()
    (inbox / "broken.eml").write_bytes(eml[: len(eml) // 2] + b"\r\n")
    opener = MessageOpener(demo.store, lambda: identity, lambda: NOW)
    detail = OpeningMessageListSource(FolderMessageListSource(inbox, "x"), opener).fetch(
        "broken.eml"
    )
    assert detail.security is not None and detail.security.failure
