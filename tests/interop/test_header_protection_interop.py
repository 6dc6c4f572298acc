"""Header-protected messages (RFC 9788) in OpenSSL, NSS and gpgsm: every reader of every
envelope decrypts it byte for byte, the signature inside verifies, and what they get
carries the real Subject with hp="cipher" while the outside says "[...]"."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes

from desktop_app.core.mime.compose import Attachment, InnerMessage
from desktop_app.core.recipients.addresses import parse_address_list, parse_mailbox
from desktop_app.core.recipients.evidence import CertificateJudge
from desktop_app.core.recipients.status import Draft
from desktop_app.core.smime.seal import OutgoingMessage, seal_message
from tests.interop import sealed_world as base
from tests.interop.envelope_peers import (
    gpgsm_decrypt,
    gpgsm_verify_status,
    nss_signer_status,
    outer_headers,
    require,
    run,
    split_signed,
)

SUBJECT = "Befund für Frau Patel, DOB 04/12/1961"
world = base.world  # the shared fixtures: parties, store, peers' databases
nss_dbs = base.nss_dbs
gnupg_homes = base.gnupg_homes


@pytest.fixture(scope="module")
def protected(world: base.World, tmp_path_factory: pytest.TempPathFactory) -> list[base.Sealed]:
    def mailboxes(*names: str) -> tuple:  # type: ignore[type-arg]
        return parse_address_list(", ".join(world.address(n) for n in names))

    draft = Draft(
        to=mailboxes("ann", "bob"),
        cc=mailboxes("cara"),
        bcc=mailboxes("dan"),
        sender=parse_mailbox(f"Dr. Me <{base.SENDER}>"),
    )
    body = InnerMessage("Anbei der Befund.\n", attachments=(Attachment("scan.dcm", base.SCAN),))
    message = OutgoingMessage(draft, SUBJECT, body, protect_headers=True)
    judged = (*draft.to, *draft.cc, *draft.bcc, draft.sender)
    evidence = CertificateJudge(world.store, base.NOW).collect(
        m.key for m in judged if m is not None
    )
    result = seal_message(
        message,
        evidence=evidence,
        identity=world.identity,
        certificate_for=world.store.certificate,
        at=base.NOW,
    )
    return base.written_envelopes(world, result, tmp_path_factory.mktemp("protected"))


def test_outside_is_obscured_and_inside_is_protected(protected: list[base.Sealed]) -> None:
    for sealed in protected:
        eml = sealed.eml.read_bytes()
        assert outer_headers(eml)["Subject"] == "[...]"
        assert b"Patel" not in eml
        signed, _ = split_signed(sealed.content)
        head = signed.split(b"\r\n\r\n", 1)[0]
        assert b'hp="cipher"' in head and b"HP-Outer: Subject: [...]" in head
        assert b'hp-legacy-display="1"' in signed


def test_openssl_decrypts_and_verifies(
    world: base.World, protected: list[base.Sealed], tmp_path: Path
) -> None:
    openssl = require("openssl", "openssl")
    for sealed in protected:
        for name in (*sealed.readers, "me"):
            party = world.sender if name == "me" else world.people[name]
            assert base.openssl_decrypt(openssl, sealed.eml, party) == sealed.content, name
        signed, _ = split_signed(sealed.content)
        assert base.openssl_verify(openssl, world, sealed.content, tmp_path) == signed


def test_nss_decrypts(
    nss_dbs: dict[str, str], protected: list[base.Sealed], tmp_path: Path
) -> None:
    for sealed in protected:
        for name in sealed.readers:
            out = tmp_path / f"{sealed.eml.stem}-{name}.out"
            command = ["cmsutil", "-D", "-i", str(sealed.der), "-d", nss_dbs[name], "-p", ""]
            run([*command, "-o", str(out)])
            assert out.read_bytes() == sealed.content, name


def test_gpgsm_decrypts(gnupg_homes: dict[str, Path], protected: list[base.Sealed]) -> None:
    for sealed in protected:
        for name in sealed.readers:
            got = gpgsm_decrypt(gnupg_homes[name], sealed.base64, base64_input=True)
            assert got == sealed.content, name


def test_nss_and_gpgsm_verify_the_signature_over_the_protected_payload(
    world: base.World,
    nss_dbs: dict[str, str],
    gnupg_homes: dict[str, Path],
    protected: list[base.Sealed],
    tmp_path: Path,
) -> None:
    signed, signature = split_signed(protected[0].content)
    (tmp_path / "signed").write_bytes(signed)
    (tmp_path / "smime.p7s").write_bytes(signature)
    status = nss_signer_status(nss_dbs["ann"], tmp_path / "smime.p7s", tmp_path / "signed")
    assert status == "GoodSignature"
    gpg = gpgsm_verify_status(gnupg_homes["ann"], tmp_path / "smime.p7s", tmp_path / "signed")
    fingerprint = world.sender.issued.cert.fingerprint(hashes.SHA1()).hex().upper()
    assert f"[GNUPG:] GOODSIG {fingerprint}".encode() in gpg, gpg
