"""The preview opens a message signed with a certificate whose names cannot be read."""

from pathlib import Path

from desktop_app.core.messages import text
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.mailbox.opening import MessageOpener, OpeningMessageListSource
from desktop_app.services.mailbox.source import FolderMessageListSource
from tests.factories import smime_mail
from tests.factories.certs import NOW, TestCA
from tests.factories.odd_certs import odd_name_certificate

CA = TestCA("Preview Root")


def test_the_message_shows_with_an_invalid_signature_not_an_error(tmp_path: Path) -> None:
    store = tmp_path / "store.db"
    with CertStore.open(store) as opened_store:
        opened_store.add_trust_anchor(CA.cert, NOW)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    signer = odd_name_certificate(CA, "odd@clinic.example")
    content = b"Content-Type: text/plain; charset=utf-8\r\n\r\nThe results are fine.\r\n"
    part = smime_mail.pkcs7_mime_part(
        smime_mail.signed_der(signer, content), smime_type="signed-data"
    )
    (inbox / "signed.eml").write_bytes(smime_mail.headers(From="odd@clinic.example") + part)
    source = OpeningMessageListSource(
        FolderMessageListSource(inbox, "Inbox"), MessageOpener(store, lambda: None, lambda: NOW)
    )

    detail = source.fetch("signed.eml")

    assert detail.security.failure is None
    assert detail.body_text.strip() == "The results are fine."
    assert detail.security.signature_valid is False
    assert detail.security.reason == text("signature.signer_cert_unreadable")
