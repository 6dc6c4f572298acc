"""Envelopes both ways with the real `openssl cms` (OpenSSL 3.0)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop_app.core.smime.algorithms import ContentCipher, KeyTransport
from desktop_app.core.smime.envelope_open import open_envelope
from desktop_app.core.smime.envelope_seal import seal_envelope
from desktop_app.core.smime.errors import EnvelopeError
from desktop_app.core.smime.recipient_seal import EnvelopeRecipient
from desktop_app.core.smime.wrap import envelope_to_mime, mime_to_envelope
from tests.factories.certs import TestCA
from tests.interop.envelope_peers import Party, make_parties, require, run

CONTENT = os.urandom(150_000) + b"\r\nend of message\n"


@pytest.fixture(scope="module")
def openssl() -> str:
    return require("openssl", "openssl")


@pytest.fixture(scope="module")
def parties(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Party]:
    return make_parties(TestCA("OpenSSL Interop CA"), tmp_path_factory.mktemp("openssl"))


@pytest.fixture(scope="module")
def message_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("message") / "message.bin"
    path.write_bytes(CONTENT)
    return path


def _openssl_decrypt(openssl: str, envelope: Path, party: Party, inform: str = "DER") -> bytes:
    decrypt = [openssl, "cms", "-decrypt", "-binary", "-inform", inform, "-in", str(envelope)]
    return run([*decrypt, "-recip", str(party.cert_path), "-inkey", str(party.key_path)])


@pytest.mark.parametrize("cipher", list(ContentCipher))
def test_openssl_opens_ours(
    openssl: str, parties: dict[str, Party], tmp_path: Path, cipher: ContentCipher
) -> None:
    recipients = [
        EnvelopeRecipient(parties["ann"].issued.cert),
        EnvelopeRecipient(parties["bob"].issued.cert, KeyTransport.RSA_OAEP),
        EnvelopeRecipient(parties["carol"].issued.cert),
        EnvelopeRecipient(parties["dave"].issued.cert),
    ]
    envelope = tmp_path / "sealed.der"
    envelope.write_bytes(seal_envelope(CONTENT, recipients, cipher))
    for party in parties.values():
        assert _openssl_decrypt(openssl, envelope, party) == CONTENT


def test_openssl_opens_our_mime_and_empty_content(
    openssl: str, parties: dict[str, Party], tmp_path: Path
) -> None:
    ann = parties["ann"]
    for content in (b"", CONTENT):
        der = seal_envelope(content, [EnvelopeRecipient(ann.issued.cert)])
        message = tmp_path / "sealed.eml"
        message.write_bytes(envelope_to_mime(der, auth=False, headers={"Subject": "x"}))
        assert _openssl_decrypt(openssl, message, ann, inform="SMIME") == content


_CIPHERS = {
    "aes-256-cbc": "AES-256-CBC",
    "aes-128-cbc": "AES-128-CBC",
    "aes-192-cbc": "AES-192-CBC",
    "des3": "3DES-CBC",
    "aes-256-gcm": "AES-256-GCM",
    "aes-128-gcm": "AES-128-GCM",
}
_RECIPIENTS = {
    "rsa": ("ann", [], "RSA (PKCS #1 v1.5)"),
    "rsa-oaep": ("ann", ["-keyopt", "rsa_padding_mode:oaep"], "RSA-OAEP (SHA-1)"),
    "rsa-oaep-sha256": (
        "bob",
        ["-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256"],
        "RSA-OAEP (SHA-256)",
    ),
    "p256-sha256": ("carol", ["-keyopt", "ecdh_kdf_md:sha256"], "ECDH P-256 (SHA-256 KDF"),
    "p384-default": ("dave", [], "ECDH P-384 (SHA-1 KDF"),  # OpenSSL 3.0 defaults to sha1kdf
}


@pytest.mark.parametrize("form", ["der", "stream", "keyid"])
@pytest.mark.parametrize("recipient", list(_RECIPIENTS))
@pytest.mark.parametrize("cipher", list(_CIPHERS))
def test_we_open_openssls(
    openssl: str,
    parties: dict[str, Party],
    message_file: Path,
    tmp_path: Path,
    cipher: str,
    recipient: str,
    form: str,
) -> None:
    name, key_options, transport = _RECIPIENTS[recipient]
    party = parties[name]
    envelope = tmp_path / "openssl.der"
    extra = {"der": [], "stream": ["-stream"], "keyid": ["-keyid"]}[form]
    encrypt = [openssl, "cms", "-encrypt", "-binary", "-outform", "DER", f"-{cipher}", *extra]
    files = ["-in", str(message_file), "-out", str(envelope)]
    run([*encrypt, *files, "-recip", str(party.cert_path), *key_options])
    data = envelope.read_bytes()
    if form == "stream":
        assert data.startswith(b"\x30\x80")
    if cipher == "des3" and name in ("carol", "dave"):
        # OpenSSL pairs 3DES with the RFC 3217 3DES key wrap for EC: named, not supported.
        with pytest.raises(EnvelopeError, match="3DES key wrap"):
            open_envelope(data, party.issued.cert, party.issued.key)
        return
    opened = open_envelope(data, party.issued.cert, party.issued.key)
    assert opened.content == CONTENT
    assert opened.cipher == _CIPHERS[cipher]
    assert opened.key_transport.startswith(transport)
    assert opened.weak == (cipher == "des3")


def test_we_open_openssls_multi_recipient_smime(
    openssl: str, parties: dict[str, Party], message_file: Path, tmp_path: Path
) -> None:
    envelope = tmp_path / "openssl.eml"
    encrypt = [openssl, "cms", "-encrypt", "-binary", "-aes-256-gcm", "-outform", "SMIME"]
    files = ["-stream", "-in", str(message_file), "-out", str(envelope)]
    recipients = ["-recip", str(parties["ann"].cert_path), "-recip", str(parties["bob"].cert_path)]
    ec_recipient = ["-recip", str(parties["carol"].cert_path), "-keyopt", "ecdh_kdf_md:sha256"]
    run([*encrypt, *files, *recipients, *ec_recipient])
    message = envelope.read_bytes()
    assert b"smime-type=authEnveloped-data" in message
    der = mime_to_envelope(message)
    for name in ("ann", "bob", "carol"):
        opened = open_envelope(der, parties[name].issued.cert, parties[name].issued.key)
        assert opened.content == CONTENT
        assert opened.recipient_count == 3
    with pytest.raises(EnvelopeError, match="not encrypted for your certificate"):
        open_envelope(der, parties["dave"].issued.cert, parties["dave"].issued.key)


_OAEP_OPTIONS = {
    # (rsa_oaep_md, rsa_mgf1_md, rsa_oaep_label in hex or None): the label we report
    ("sha256", "sha256", "0102abcd"): "RSA-OAEP (SHA-256, label)",
    ("sha384", "sha256", "6c6162656c"): "RSA-OAEP (SHA-384, MGF1 SHA-256, label)",
    ("sha512", "sha1", None): "RSA-OAEP (SHA-512, MGF1 SHA-1)",
    ("sha224", "sha224", "00"): "RSA-OAEP (SHA-224, label)",
    ("sha1", "sha512", "ff" * 40): "RSA-OAEP (SHA-1, MGF1 SHA-512, label)",
}


@pytest.mark.parametrize("options", list(_OAEP_OPTIONS))
def test_we_open_openssls_oaep_with_rfc4055_parameters(
    openssl: str,
    parties: dict[str, Party],
    message_file: Path,
    tmp_path: Path,
    options: tuple[str, str, str | None],
) -> None:
    digest, mask_digest, label = options
    party = parties["bob"]
    envelope = tmp_path / "openssl.eml"
    encrypt = [openssl, "cms", "-encrypt", "-binary", "-aes-256-cbc", "-outform", "SMIME"]
    files = ["-in", str(message_file), "-out", str(envelope)]
    key_options = ["-keyopt", "rsa_padding_mode:oaep", "-keyopt", f"rsa_oaep_md:{digest}"]
    key_options += ["-keyopt", f"rsa_mgf1_md:{mask_digest}"]
    if label is not None:
        key_options += ["-keyopt", f"rsa_oaep_label:{label}"]
    run([*encrypt, *files, "-recip", str(party.cert_path), *key_options])
    opened = open_envelope(
        mime_to_envelope(envelope.read_bytes()), party.issued.cert, party.issued.key
    )
    assert opened.content == CONTENT
    assert opened.key_transport == _OAEP_OPTIONS[options]
