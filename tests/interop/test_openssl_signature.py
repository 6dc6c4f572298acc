"""Signatures both ways with the real `openssl cms` (OpenSSL 3.0)."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.smime.signature_mime import multipart_signed, split_multipart_signed
from desktop_app.core.smime.signature_sign import sign_detached
from desktop_app.core.smime.signature_verify import (
    SignatureVerdict,
    verify_opaque,
    verify_signature,
)
from desktop_app.core.smime.wrap import mime_to_envelope
from tests.factories.certs import Issued, TestCA
from tests.factories.key_id_certs import with_key_id
from tests.interop.envelope_peers import TIMEOUT, require, run

ALICE = "alice@clinic.example"
# Text with LF line ends too, so OpenSSL's canonicalisation (LF to CRLF) is exercised.
TEXT = b"Content-Type: text/plain; charset=utf-8\n\nBefund: unauff\xc3\xa4llig.\nGruss\n"
MIME = TEXT.replace(b"\n", b"\r\n")
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Signer:
    issued: Issued
    cert: Path
    key: Path


@dataclass(frozen=True)
class World:
    root: Path
    chain: Path  # the intermediate, for -certfile
    trust: TrustContext
    rsa: Signer
    ec: Signer
    keyid: Signer  # carries a subjectKeyIdentifier, for -keyid
    unrelated: Path  # certificates that have nothing to do with the signer


def _write(folder: Path, name: str, issued: Issued) -> Signer:
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    cert.write_bytes(issued.pem)
    key.write_bytes(
        issued.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Signer(issued, cert, key)


@pytest.fixture(scope="module")
def openssl() -> str:
    return require("openssl", "openssl")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    folder = tmp_path_factory.mktemp("openssl-signature")
    # Valid around the real clock: OpenSSL judges certificates as of now.
    dates = {"not_before": NOW - dt.timedelta(days=1), "not_after": NOW + dt.timedelta(days=60)}
    root = TestCA("OpenSSL Signature Root", **dates)  # type: ignore[arg-type]
    intermediate = root.intermediate("OpenSSL Signature Intermediate", **dates)
    (folder / "root.pem").write_bytes(root.pem)
    (folder / "chain.pem").write_bytes(intermediate.pem)
    unrelated = [root.issue([f"other{n}@elsewhere.example"], **dates).pem for n in range(3)]  # type: ignore[arg-type]
    (folder / "unrelated.pem").write_bytes(b"".join(unrelated))
    return World(
        root=folder / "root.pem",
        chain=folder / "chain.pem",
        trust=TrustContext((root.cert,), (intermediate.cert,)),
        rsa=_write(folder, "rsa", intermediate.issue([ALICE], **dates)),  # type: ignore[arg-type]
        ec=_write(folder, "ec", intermediate.issue([ALICE], key_kind="p256", **dates)),  # type: ignore[arg-type]
        keyid=_write(
            folder, "keyid", with_key_id(intermediate, intermediate.issue([ALICE], slot=2, **dates))
        ),  # type: ignore[arg-type]
        unrelated=folder / "unrelated.pem",
    )


def _ours(world: World, signer: Signer, **options: object) -> bytes:
    return sign_detached(
        MIME,
        signer.issued.cert,
        signer.issued.key,  # type: ignore[arg-type]
        chain=[world.trust.intermediates[0]],
        signing_time=NOW,
        **options,  # type: ignore[arg-type]
    )


def _verify(der: bytes, world: World, content: bytes | None = MIME) -> SignatureVerdict:
    return verify_signature(der, content, trust=world.trust, at=NOW, from_address_key=ALICE)


def _openssl_verify(
    openssl: str, world: World, args: list[str]
) -> subprocess.CompletedProcess[bytes]:
    command = [openssl, "cms", "-verify", "-CAfile", str(world.root), "-out", "-", *args]
    return subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)


# --- OpenSSL checks ours ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "options"),
    [("rsa", {}), ("rsa", {"rsa_pss": True}), ("ec", {})],
    ids=["rsa", "rsa-pss", "ecdsa"],
)
def test_openssl_verifies_ours(
    openssl: str, world: World, tmp_path: Path, kind: str, options: dict[str, object]
) -> None:
    signer = world.rsa if kind == "rsa" else world.ec
    signature = _ours(world, signer, **options)
    (tmp_path / "sig.der").write_bytes(signature)
    (tmp_path / "content").write_bytes(MIME)
    detached = ["-inform", "DER", "-in", str(tmp_path / "sig.der")]
    result = _openssl_verify(
        openssl, world, [*detached, "-binary", "-content", str(tmp_path / "content")]
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert result.stdout == MIME
    # The same signature as a whole multipart/signed message.
    message = tmp_path / "signed.eml"
    message.write_bytes(b"MIME-Version: 1.0\r\n" + multipart_signed(MIME, signature))
    result = _openssl_verify(openssl, world, ["-in", str(message)])
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert result.stdout.replace(b"\r\n", b"\n") == TEXT
    # OpenSSL reads the attributes: the capabilities and the key preference.
    printed = run([openssl, "cms", "-cmsout", "-print", *detached]).decode()
    assert "aes-256-gcm" in printed
    assert "rsaesOaep" in printed
    assert "id-smime-aa-encrypKeyPref" in printed


def test_openssl_rejects_ours_over_changed_content(
    openssl: str, world: World, tmp_path: Path
) -> None:
    (tmp_path / "sig.der").write_bytes(_ours(world, world.rsa))
    (tmp_path / "content").write_bytes(MIME + b"P.S.\r\n")
    args = ["-inform", "DER", "-in", str(tmp_path / "sig.der"), "-binary"]
    result = _openssl_verify(openssl, world, [*args, "-content", str(tmp_path / "content")])
    assert result.returncode != 0
    assert b"content verify error" in result.stderr


# --- we check OpenSSL's -------------------------------------------------------------------


def _openssl_sign(openssl: str, signer: Signer, folder: Path, args: list[str]) -> bytes:
    (folder / "text").write_bytes(TEXT)
    out = folder / "signed"
    sign = [openssl, "cms", "-sign", "-in", str(folder / "text"), "-out", str(out)]
    run([*sign, "-signer", str(signer.cert), "-inkey", str(signer.key), *args])
    return out.read_bytes()


@pytest.mark.parametrize(
    ("kind", "args"),
    [
        ("rsa", ["-md", "sha256"]),
        ("rsa", ["-md", "sha512", "-binary"]),
        ("rsa", ["-noattr"]),
        ("rsa", ["-keyopt", "rsa_padding_mode:pss"]),  # salt 222, OpenSSL's default
        ("rsa", ["-keyopt", "rsa_padding_mode:pss", "-keyopt", "rsa_pss_saltlen:32"]),
        ("rsa", ["-stream"]),  # BER with indefinite lengths
        ("keyid", ["-keyid"]),
        ("ec", ["-md", "sha384"]),
    ],
    ids=["sha256", "sha512-binary", "noattr", "pss-222", "pss-32", "stream", "keyid", "ecdsa"],
)
@pytest.mark.parametrize("detached", [True, False], ids=["detached", "opaque"])
def test_we_verify_openssl(
    openssl: str, world: World, tmp_path: Path, kind: str, args: list[str], detached: bool
) -> None:
    signer = {"rsa": world.rsa, "ec": world.ec, "keyid": world.keyid}[kind]
    shape = [] if detached else ["-nodetach"]
    extra = ["-certfile", str(world.chain), "-outform", "DER", *shape, *args]
    der = _openssl_sign(openssl, signer, tmp_path, extra)
    signed = TEXT if "-binary" in args else MIME  # OpenSSL canonicalises unless -binary
    if detached:
        verdict = _verify(der, world, signed)
        assert _verify(der, world, signed + b"tampered").valid is False
    else:
        verdict, content = verify_opaque(der, trust=world.trust, at=NOW, from_address_key=ALICE)
        assert content == signed
    assert verdict.valid, verdict.reason
    assert verdict.signer == signer.issued.cert


def test_unrelated_certificates_beside_the_signer(
    openssl: str, world: World, tmp_path: Path
) -> None:
    bag = tmp_path / "bag.pem"
    bag.write_bytes(world.unrelated.read_bytes() + world.chain.read_bytes())
    der = _openssl_sign(
        openssl, world.rsa, tmp_path, ["-certfile", str(bag), "-outform", "DER", "-binary"]
    )
    verdict = _verify(der, world, TEXT)
    assert verdict.valid, verdict.reason
    assert verdict.signer == world.rsa.issued.cert


def test_we_verify_openssl_smime_messages(openssl: str, world: World, tmp_path: Path) -> None:
    # Detached: multipart/signed with LF line ends outside the signed part (CMS-NOTES 1).
    message = _openssl_sign(openssl, world.rsa, tmp_path, ["-certfile", str(world.chain)])
    assert b'protocol="application/pkcs7-signature"; micalg="sha-256"' in message
    parts = split_multipart_signed(message)
    verdict = _verify(parts.signature, world, parts.signed)
    assert verdict.valid, verdict.reason
    # The older `openssl smime` (PKCS #7) writes the legacy x-pkcs7 types and SHA-256 too.
    (tmp_path / "text").write_bytes(TEXT)
    sign = [openssl, "smime", "-sign", "-in", str(tmp_path / "text")]
    keys = ["-signer", str(world.rsa.cert), "-inkey", str(world.rsa.key)]
    legacy = run([*sign, *keys, "-certfile", str(world.chain)])
    assert b"application/x-pkcs7-signature" in legacy
    parts = split_multipart_signed(legacy)
    verdict = _verify(parts.signature, world, parts.signed)
    assert verdict.valid, verdict.reason
    tampered = split_multipart_signed(message.replace(b"unauff", b"auff"))
    assert not _verify(tampered.signature, world, tampered.signed).valid
    # Opaque: application/pkcs7-mime; smime-type=signed-data.
    message = _openssl_sign(
        openssl, world.rsa, tmp_path, ["-certfile", str(world.chain), "-nodetach"]
    )
    verdict, content = verify_opaque(
        mime_to_envelope(message), trust=world.trust, at=NOW, from_address_key=ALICE
    )
    assert verdict.valid, verdict.reason
    assert content == MIME
