"""multipart/signed: the exact wrapping, and slicing the signed bytes back out."""

from __future__ import annotations

import base64
import email
import email.policy

import pytest

from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.smime.signature_errors import SignatureError
from desktop_app.core.smime.signature_mime import multipart_signed, split_multipart_signed
from desktop_app.core.smime.signature_sign import sign_detached
from desktop_app.core.smime.signature_verify import verify_signature
from tests.factories.certs import NOW, Issued, TestCA
from tests.factories.cms_signed import SignerSpec, cms_signed_data

INNER = (
    b'Content-Type: multipart/mixed; boundary="inner"\r\n\r\n'
    b"--inner\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSiehe Anhang.\r\n"
    b"--inner\r\nContent-Type: application/pdf; name=befund.pdf\r\n"
    b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--inner--\r\n"
)
ALICE = "alice@clinic.example"


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return TestCA("MIME Test Root")


@pytest.fixture(scope="module")
def alice(ca: TestCA) -> Issued:
    return ca.issue([ALICE])


@pytest.fixture(scope="module")
def signature(alice: Issued) -> bytes:
    return sign_detached(INNER, alice.cert, alice.key, signing_time=NOW)  # type: ignore[arg-type]


def test_layout(signature: bytes) -> None:
    entity = multipart_signed(INNER, signature, boundary="sig-boundary")
    head, _, body = entity.partition(b"\r\n\r\n")
    assert head == (
        b'Content-Type: multipart/signed; protocol="application/pkcs7-signature";\r\n'
        b' micalg=sha-256; boundary="sig-boundary"'
    )
    assert b"\n" not in entity.replace(b"\r\n", b"")  # CRLF only
    preamble, rest = body.split(b"--sig-boundary\r\n", 1)
    assert preamble == b"This is an S/MIME signed message.\r\n"
    assert rest.startswith(INNER + b"\r\n--sig-boundary\r\n")
    second = rest[len(INNER) + len(b"\r\n--sig-boundary\r\n") :]
    headers, _, encoded = second.partition(b"\r\n\r\n")
    assert headers.split(b"\r\n") == [
        b"Content-Type: application/pkcs7-signature; name=smime.p7s",
        b"Content-Transfer-Encoding: base64",
        b"Content-Disposition: attachment; filename=smime.p7s",
    ]
    assert encoded.endswith(b"\r\n\r\n--sig-boundary--\r\n")
    lines = encoded.split(b"\r\n--sig-boundary--")[0].strip().split(b"\r\n")
    assert all(len(line) == 76 for line in lines[:-1])
    assert 0 < len(lines[-1]) <= 76
    assert base64.b64decode(b"".join(lines)) == signature


def test_email_package_reads_it(signature: bytes) -> None:
    message = email.message_from_bytes(
        multipart_signed(INNER, signature), policy=email.policy.default
    )
    assert message.get_content_type() == "multipart/signed"
    assert message.get_param("micalg") == "sha-256"
    parts = list(message.iter_parts())  # type: ignore[attr-defined]
    assert [part.get_content_type() for part in parts] == [
        "multipart/mixed",
        "application/pkcs7-signature",
    ]
    assert parts[1].get_filename() == "smime.p7s"
    assert parts[1].get_content() == signature


def test_micalg_follows_the_signers_hash(alice: Issued) -> None:
    sha512 = cms_signed_data(INNER, [SignerSpec(alice, hash_name="sha512")])
    assert b"micalg=sha-512;" in multipart_signed(INNER, sha512)


def test_fresh_boundaries_differ(signature: bytes) -> None:
    assert multipart_signed(INNER, signature) != multipart_signed(INNER, signature)


@pytest.mark.parametrize("boundary", ["inner", "", "a" * 71, "bad\r\nheader", 'quo"te'])
def test_unusable_boundary(signature: bytes, boundary: str) -> None:
    with pytest.raises(ValueError, match="boundary"):
        multipart_signed(INNER, signature, boundary=boundary)


@pytest.mark.parametrize("line_end", [b"\r\n", b"\n"])
def test_split_round_trip_verifies(ca: TestCA, signature: bytes, line_end: bytes) -> None:
    entity = multipart_signed(INNER, signature)
    if line_end == b"\n":  # as a Unix mailbox stores it
        entity = entity.replace(b"\r\n", b"\n")
    parts = split_multipart_signed(b"From: alice@clinic.example\r\n" + entity)
    assert parts.signature == signature
    assert parts.signed == INNER.replace(b"\r\n", line_end)
    verdict = verify_signature(
        parts.signature,
        parts.signed,
        trust=TrustContext((ca.cert,)),
        at=NOW,
        from_address_key=ALICE,
    )
    assert verdict.valid, verdict.reason


def test_split_keeps_trailing_whitespace_and_ignores_preamble(signature: bytes) -> None:
    signed = b"Content-Type: text/plain\r\n\r\ntrailing blanks   \r\n\r\n"
    entity = (
        b'Content-Type: multipart/signed; protocol="application/x-pkcs7-signature";'
        b" micalg=sha-256;\r\n boundary=XYZ\r\n\r\npreamble\r\n--XYZ  \r\n"
        + signed
        + b"\r\n--XYZ\r\nContent-Type: application/x-pkcs7-signature\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(signature).replace(b"\n", b"\r\n")
        + b"\r\n--XYZ--\r\nepilogue\r\n"
    )
    parts = split_multipart_signed(entity)
    assert parts.signed == signed
    assert parts.signature == signature


@pytest.mark.parametrize(
    ("entity", "fragment"),
    [
        (b"Content-Type: text/plain\r\n\r\nhello\r\n", "multipart/signed"),
        (b"no header end", "signed part"),
        (
            b'Content-Type: multipart/signed; protocol="application/pgp-signature"; '
            b"boundary=b\r\n\r\n--b\r\nx\r\n--b\r\ny\r\n--b--\r\n",
            "application/pgp-signature",
        ),
        (
            b'Content-Type: multipart/signed; protocol="application/pkcs7-signature"; '
            b"boundary=b\r\n\r\n--b\r\nx\r\n--b--\r\n",
            "signed part",
        ),
        (
            b'Content-Type: multipart/signed; protocol="application/pkcs7-signature"; '
            b"boundary=b\r\n\r\n--b\r\nx\r\n--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n",
            "text/plain",
        ),
        (
            b'Content-Type: multipart/signed; protocol="application/pkcs7-signature"; '
            b"boundary=b\r\n\r\n--b\r\nx\r\n--b\r\nContent-Type: application/pkcs7-signature"
            b"\r\nContent-Transfer-Encoding: 8bit\r\n\r\nx\r\n--b--\r\n",
            "8bit",
        ),
        (
            b'Content-Type: multipart/signed; protocol="application/pkcs7-signature"; '
            b"boundary=b\r\n\r\n--b\r\nx\r\n--b\r\nContent-Type: application/pkcs7-signature"
            b"\r\nContent-Transfer-Encoding: base64\r\n\r\nQUJD=Q\r\n--b--\r\n",
            "base64",
        ),
    ],
)
def test_split_refuses(entity: bytes, fragment: str) -> None:
    with pytest.raises(SignatureError, match=fragment):
        split_multipart_signed(entity)
