"""lint_message / lint_inner: one message per finding code, and clean modern messages."""

from __future__ import annotations

import contextlib

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.mime.compose import Attachment, InnerMessage, build_inner_mime
from desktop_app.core.smime.algorithms import ContentCipher
from desktop_app.core.smime.envelope_seal import seal_envelope
from desktop_app.core.smime.lint import (
    FindingCode,
    LintError,
    LintFinding,
    lint_inner,
    lint_message,
)
from desktop_app.core.smime.lint_findings import Severity
from desktop_app.core.smime.recipient_seal import EnvelopeRecipient
from desktop_app.core.smime.wrap import envelope_to_mime
from tests.factories.certs import Issued, TestCA
from tests.factories.smime_mail import (
    base64_lines,
    enveloped_der,
    headers,
    multipart_signed,
    pkcs7_mime_part,
    signed_der,
)
from tests.work import assert_linear

OUTER = {
    "From": "Praxis <praxis@clinic.example>",
    "To": "Ann <ann@clinic.example>",
    "Subject": "Befund",
    "Date": "Mon, 01 Jun 2026 12:00:00 +0000",
    "Message-ID": "<lint-1@clinic.example>",
}
INNER = InnerMessage(
    "Befund anbei.\n",
    html="<p>Befund anbei.</p>",
    attachments=(Attachment("befund.pdf", b"%PDF-1.7 ..."), Attachment("Röntgen.png", b"png")),
)


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return TestCA("Lint Test CA")


@pytest.fixture(scope="module")
def ann(ca: TestCA) -> Issued:
    return ca.issue(["ann@clinic.example"], key_kind="rsa2048", slot=0)


@pytest.fixture(scope="module")
def weak(ca: TestCA) -> Issued:
    return ca.issue(["old@clinic.example"], common_name="Old Key", key_kind="rsa1024")


def codes(findings: tuple[LintFinding, ...]) -> list[str]:
    return [str(item.code) for item in findings]


def enveloped_message(ann: Issued, cipher: ContentCipher = ContentCipher.AES256_CBC) -> bytes:
    der = seal_envelope(build_inner_mime(INNER), [EnvelopeRecipient(ann.cert)], cipher)
    return envelope_to_mime(der, auth=cipher.value.endswith("gcm"), headers=OUTER)


def detached_signed_message(signer: Issued, entity: bytes) -> bytes:
    signature = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(entity)
        .add_signer(signer.cert, signer.key, hashes.SHA256())  # type: ignore[arg-type]
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature])
    )
    return headers() + multipart_signed(entity, signature)


# --- clean messages -----------------------------------------------------------------------


@pytest.mark.parametrize("cipher", [ContentCipher.AES256_CBC, ContentCipher.AES256_GCM])
def test_sealed_envelope_is_clean(ann: Issued, cipher: ContentCipher) -> None:
    assert lint_message(enveloped_message(ann, cipher)) == ()


def test_signed_message_and_inner_entity_are_clean(ann: Issued) -> None:
    entity = build_inner_mime(INNER)
    assert lint_inner(entity) == ()
    assert lint_message(detached_signed_message(ann, entity)) == ()
    opaque = signed_der(ann, entity)
    assert lint_message(headers() + pkcs7_mime_part(opaque, smime_type="signed-data")) == ()
    assert lint_inner(build_inner_mime(InnerMessage("only text"))) == ()


# --- MIME-level findings ------------------------------------------------------------------


def test_legacy_content_types(ann: Issued) -> None:
    part = pkcs7_mime_part(enveloped_der(ann.cert), content_type="application/x-pkcs7-mime")
    findings = lint_message(headers() + part)
    assert codes(findings) == ["legacy_content_type"]
    assert "application/pkcs7-mime" in findings[0].message
    assert findings[0].severity is Severity.WARNING
    signed = detached_signed_message(ann, build_inner_mime(INNER))
    signed = signed.replace(b"application/pkcs7-signature", b"application/x-pkcs7-signature")
    assert codes(lint_message(signed)) == ["legacy_content_type"]


def test_missing_smime_type_and_name(ann: Issued) -> None:
    part = pkcs7_mime_part(enveloped_der(ann.cert), smime_type=None)
    assert codes(lint_message(headers() + part)) == ["missing_smime_type"]
    part = pkcs7_mime_part(enveloped_der(ann.cert), name=None)
    assert codes(lint_message(headers() + part)) == ["missing_name"]
    signed = detached_signed_message(ann, build_inner_mime(INNER))
    signed = signed.replace(
        b"application/pkcs7-signature; name=smime.p7s", b"application/pkcs7-signature"
    )
    assert codes(lint_message(signed)) == ["missing_name"]


@pytest.mark.parametrize("encoding", ["binary", "8bit"])
def test_cms_not_base64(ann: Issued, encoding: str) -> None:
    part = pkcs7_mime_part(enveloped_der(ann.cert), encoding=encoding)
    findings = lint_message(headers() + part)
    assert codes(findings) == ["cms_not_base64"]
    assert encoding in findings[0].message and findings[0].severity is Severity.ERROR


def test_damaged_cms_is_reported(ann: Issued) -> None:
    part = pkcs7_mime_part(b"\x30\x80 not cms at all")
    assert codes(lint_message(headers() + part)) == ["cms_unreadable"]
    truncated = pkcs7_mime_part(enveloped_der(ann.cert)[:-30])
    assert codes(lint_message(headers() + truncated)) == ["cms_unreadable"]


def test_plaintext_beside_envelope(ann: Issued) -> None:
    body = (
        b'Content-Type: multipart/mixed; boundary="mix"\r\n\r\n--mix\r\n'
        b"Content-Type: text/plain\r\n\r\nPatient Mueller, see attachment\r\n--mix\r\n"
        + pkcs7_mime_part(enveloped_der(ann.cert))
        + b"--mix--\r\n"
    )
    findings = lint_message(headers() + body)
    assert codes(findings) == ["plaintext_beside_envelope"]
    assert "text/plain" in findings[0].message


def test_signature_around_an_envelope_is_not_plaintext(ann: Issued) -> None:
    envelope = pkcs7_mime_part(enveloped_der(ann.cert))
    signed = headers() + multipart_signed(envelope, signed_der(ann, envelope, detached=True))
    assert lint_message(signed) == ()


def test_attachment_names_in_unencrypted_messages() -> None:
    body = (
        b'Content-Type: multipart/mixed; boundary="mix"\r\n\r\n--mix\r\n'
        b"Content-Type: text/plain\r\n\r\nhi\r\n--mix\r\n"
        b"Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64_lines(b"%PDF")
        + b"--mix\r\nContent-Type: application/pdf; name=Befund.pdf\r\n\r\n1\r\n"
        b"--mix\r\nContent-Type: application/pdf\r\n"
        b'Content-Disposition: attachment; filename="befund.PDF"\r\n\r\n2\r\n'
        b"--mix\r\nContent-Type: image/png\r\nContent-ID: <logo@x>\r\n\r\npng\r\n"
        b"--mix--\r\n"
    )
    findings = lint_message(headers() + body)
    assert codes(findings) == ["attachment_without_name", "duplicate_attachment_name"]
    assert "application/pdf" in findings[0].message
    assert "2 attachments" in findings[1].message and "Befund.pdf" in findings[1].message
    assert codes(lint_inner(body)) == codes(findings)


def test_attachment_names_are_checked_only_where_visible(ann: Issued) -> None:
    duplicate = InnerMessage("x", attachments=(Attachment("a.pdf", b"1"),))
    entity = build_inner_mime(duplicate).replace(b"a.pdf", b"b.pdf")
    inner = entity + b""
    nameless = inner.replace(b'name="b.pdf"', b"").replace(b'filename="b.pdf"', b"")
    der = seal_envelope(nameless, [EnvelopeRecipient(ann.cert)])
    sealed = envelope_to_mime(der, auth=False, headers=OUTER)
    assert lint_message(sealed) == ()  # encrypted: the names cannot be seen
    assert codes(lint_inner(nameless)) == ["attachment_without_name"]
    opaque = signed_der(ann, nameless)
    signed_only = headers() + pkcs7_mime_part(opaque, smime_type="signed-data")
    assert codes(lint_message(signed_only)) == ["attachment_without_name"]


def test_bare_lf(ann: Issued) -> None:
    message = enveloped_message(ann).replace(b"\r\n", b"\n")
    findings = lint_message(message)
    assert codes(findings) == ["bare_lf"]
    assert codes(lint_inner(build_inner_mime(INNER).replace(b"\r\n", b"\n"))) == ["bare_lf"]


def test_bcc_header(ann: Issued) -> None:
    message = headers(Bcc="chef@clinic.example") + pkcs7_mime_part(enveloped_der(ann.cert))
    findings = lint_message(message)
    assert codes(findings) == ["bcc_header"]
    assert findings[0].severity is Severity.ERROR


def test_two_from_fields_are_flagged(ann: Issued) -> None:
    message = (
        b"From: Boss <boss@clinic.example>\r\n"
        + headers(Subject="Befund")
        + pkcs7_mime_part(enveloped_der(ann.cert))
    )
    findings = lint_message(message)
    assert codes(findings) == ["duplicate_header"]
    assert findings[0].severity is Severity.ERROR
    assert "From appears 2 times" in findings[0].message
    # Repeated fields that may repeat (Received, Comments) are not findings.
    fine = b"Received: a\r\nReceived: b\r\n" + headers() + pkcs7_mime_part(enveloped_der(ann.cert))
    assert lint_message(fine) == ()


# --- algorithm findings -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cipher", "label"), [("tripledes_3key", "3DES"), ("rc2", "RC2"), ("des", "DES")]
)
def test_weak_cipher(ann: Issued, cipher: str, label: str) -> None:
    findings = lint_message(headers() + pkcs7_mime_part(enveloped_der(ann.cert, cipher)))
    assert codes(findings) == ["weak_cipher"]
    assert label in findings[0].message


def test_weak_digest_in_opaque_and_detached_signatures(ann: Issued) -> None:
    entity = build_inner_mime(INNER)
    opaque = signed_der(ann, entity, digest="sha1")
    findings = lint_message(headers() + pkcs7_mime_part(opaque, smime_type="signed-data"))
    assert codes(findings) == ["weak_digest"]
    assert "SHA-1" in findings[0].message
    detached = signed_der(ann, entity, digest="sha1", detached=True)
    assert codes(lint_message(headers() + multipart_signed(entity, detached))) == ["weak_digest"]
    pss = signed_der(ann, entity, detached=True, pss_without_hash=True)
    assert codes(lint_message(headers() + multipart_signed(entity, pss))) == ["weak_digest"]


def test_weak_key(ann: Issued, weak: Issued) -> None:
    entity = build_inner_mime(INNER)
    by_weak = signed_der(weak, entity, detached=True)
    findings = lint_message(headers() + multipart_signed(entity, by_weak))
    assert codes(findings) == ["weak_key"]
    assert "1024-bit" in findings[0].message and "Old Key" in findings[0].message
    carried = signed_der(ann, entity, detached=True, extra_certificates=[weak.cert])
    assert codes(lint_message(headers() + multipart_signed(entity, carried))) == ["weak_key"]


def test_signed_then_weakly_encrypted_with_several_faults(ann: Issued, weak: Issued) -> None:
    part = pkcs7_mime_part(
        enveloped_der(ann.cert, "tripledes_3key"),
        content_type="application/x-pkcs7-mime",
        smime_type=None,
        name=None,
    )
    findings = lint_message((headers(Bcc="x@clinic.example") + part).replace(b"\r\n", b"\n"))
    assert codes(findings) == [
        "bare_lf",
        "bcc_header",
        "legacy_content_type",
        "missing_smime_type",
        "missing_name",
        "weak_cipher",
    ]
    assert len(set(findings)) == len(findings)


def test_every_code_has_a_test() -> None:
    tested = {
        "legacy_content_type",
        "missing_smime_type",
        "missing_name",
        "cms_not_base64",
        "cms_unreadable",
        "plaintext_beside_envelope",
        "attachment_without_name",
        "duplicate_attachment_name",
        "bare_lf",
        "bcc_header",
        "weak_cipher",
        "weak_digest",
        "weak_key",
        "duplicate_header",
    }
    assert {str(code) for code in FindingCode} == tested


# --- unreadable input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\x01 random binary without any header",
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\nno parts',
        b"".join(
            b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (n, n)
            for n in range(50)
        ),
    ],
)
def test_unreadable_messages_raise_lint_error(data: bytes) -> None:
    with pytest.raises(LintError):
        lint_message(data)
    with pytest.raises(LintError):
        lint_inner(data)


def _signed_with_attachment(signer: Issued, size: int) -> bytes:
    big = InnerMessage("x", attachments=(Attachment("scan.pdf", bytes(size)),))
    opaque = signed_der(signer, build_inner_mime(big))
    return headers() + pkcs7_mime_part(opaque, smime_type="signed-data")


def test_large_message_is_linted_in_linear_work(ann: Issued) -> None:
    assert lint_message(_signed_with_attachment(ann, 8 * 1024 * 1024)) == ()
    assert_linear(
        lint_message, 1024 * 1024, make_input=lambda size: _signed_with_attachment(ann, size)
    )


@pytest.fixture(scope="module")
def samples(ann: Issued, weak: Issued) -> list[bytes]:
    entity = build_inner_mime(INNER)
    return [
        enveloped_message(ann),
        headers() + pkcs7_mime_part(signed_der(weak, entity, digest="sha1"), smime_type=None),
        headers() + multipart_signed(entity, signed_der(ann, entity, detached=True)),
        headers() + pkcs7_mime_part(enveloped_der(ann.cert, "rc2"), encoding="binary"),
    ]


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_mutated_messages_give_findings_or_lint_error(
    samples: list[bytes], data: st.DataObject
) -> None:
    message = bytearray(data.draw(st.sampled_from(samples)))
    for _ in range(data.draw(st.integers(1, 6))):
        position = data.draw(st.integers(0, len(message) - 1))
        action = data.draw(st.sampled_from(["flip", "delete", "insert", "truncate"]))
        if action == "flip":
            message[position] = data.draw(st.integers(0, 255))
        elif action == "delete":
            del message[position : position + data.draw(st.integers(1, 64))]
        elif action == "insert":
            message[position:position] = data.draw(st.binary(min_size=1, max_size=16))
        else:
            del message[max(position, 1) :]
        if not message:
            message = bytearray(b"x")
    with contextlib.suppress(LintError):
        for item in lint_message(bytes(message)):
            assert isinstance(item, LintFinding)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(der=st.binary(max_size=600))
def test_arbitrary_cms_bytes_are_a_finding_at_worst(der: bytes) -> None:
    findings = lint_message(headers() + pkcs7_mime_part(der))
    assert set(codes(findings)) <= {"cms_unreadable", "bare_lf", "weak_cipher", "weak_digest"}
