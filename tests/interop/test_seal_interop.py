"""Whole sealed messages, as `seal_message` writes them, opened by OpenSSL, gpgsm and NSS.

The default (AES-256-CBC, RSA PKCS #1 v1.5) message has a binary attachment and one with a
non-ASCII name, To, Cc and Bcc recipients, and a signature. Every reader of every envelope
decrypts it in all three programs to exactly the bytes the sender's own copy holds, and the
multipart/signed inside verifies in each. GCM, OAEP and EC recipients are checked with
OpenSSL only: NSS 3.87 and gpgsm 2.2.40 read none of them (CMS-NOTES 7). The peers judge
certificates as of the real clock, so everything here is issued and sealed around it.

Each peer gets the message the way its mail client hands it over: OpenSSL the whole .eml,
cmsutil the DER and gpgsm the base64 body (gpgsm 2.2.40 reads no MIME at all, not even
OpenSSL's own S/MIME output), both taken out by the standard library's MIME parser.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import os
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes

from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.smime.algorithms import ContentCipher, KeyTransport
from desktop_app.core.smime.open_message import open_message
from desktop_app.core.smime.seal import CipherPolicy
from tests.interop import sealed_world
from tests.interop.envelope_peers import (
    TIMEOUT,
    gpgsm_decrypt,
    gpgsm_verify_status,
    nss_signer_status,
    outer_headers,
    require,
    run,
    split_signed,
)
from tests.interop.sealed_world import (
    NOW,
    PEOPLE,
    SCAN,
    SENDER,
    UMLAUT_FILE,
    UMLAUT_NAME,
    Sealed,
    World,
    openssl_decrypt,
    openssl_verify,
    seal_for,
    written_envelopes,
)

world = sealed_world.world  # the shared fixtures: parties, store, peers' key stores
nss_dbs = sealed_world.nss_dbs
gnupg_homes = sealed_world.gnupg_homes


@pytest.fixture(scope="module")
def default_sealed(world: World, tmp_path_factory: pytest.TempPathFactory) -> list[Sealed]:
    result = seal_for(world, to=["ann", "bob"], cc=["cara"], bcc=["dan", "eve"])
    assert [e.cipher for e in result.envelopes] == [ContentCipher.AES256_CBC] * 3
    return written_envelopes(world, result, tmp_path_factory.mktemp("default-sealed"))


def test_the_senders_copy_holds_the_signed_message_and_both_files(
    world: World, default_sealed: list[Sealed]
) -> None:
    trust = TrustContext((world.root.cert,), (world.intermediate.cert,))
    for sealed in default_sealed:
        opened = open_message(sealed.eml.read_bytes(), identity=world.identity, trust=trust, at=NOW)
        assert opened.encryption is not None
        assert (opened.encryption.cipher, opened.encryption.key_transport) == (
            "AES-256-CBC",
            "RSA (PKCS #1 v1.5)",
        )
        assert opened.encryption.recipients == len(sealed.readers) + 1  # and the sender
        assert opened.signature is not None and opened.signature.valid, opened.signature
        files = {a.filename: a.content for a in opened.message.attachments}
        assert files == {"scan.dcm": SCAN, UMLAUT_NAME: UMLAUT_FILE}
    assert len({s.content for s in default_sealed}) == 1, "one signed content for all"


# --- OpenSSL -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def openssl() -> str:
    return require("openssl", "openssl")


def test_openssl_decrypts_every_envelope_for_each_reader(
    openssl: str, world: World, default_sealed: list[Sealed]
) -> None:
    for sealed in default_sealed:
        for name in (*sealed.readers, "me"):
            party = world.sender if name == "me" else world.people[name]
            assert openssl_decrypt(openssl, sealed.eml, party) == sealed.content, name


def test_openssl_verifies_the_decrypted_signature(
    openssl: str, world: World, default_sealed: list[Sealed], tmp_path: Path
) -> None:
    content = default_sealed[0].content
    out = openssl_verify(openssl, world, content, tmp_path)
    signed, _ = split_signed(content)
    assert out == signed
    # And a changed byte in the signed part fails there as well.
    tampered = content.replace(b"Content-Type: text/plain", b"Content-Type: text/plane", 1)
    (tmp_path / "tampered.eml").write_bytes(tampered)
    verify = [openssl, "cms", "-verify", "-in", str(tmp_path / "tampered.eml")]
    result = subprocess.run(
        [*verify, "-CAfile", str(world.root_pem), "-out", os.devnull],
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode != 0
    assert b"content verify error" in result.stderr


def test_openssl_sees_one_recipient_info_per_reader(
    openssl: str, default_sealed: list[Sealed]
) -> None:
    for sealed in default_sealed:
        printed = run([openssl, "cms", "-cmsout", "-print", "-in", str(sealed.eml)]).decode()
        assert printed.count("d.ktri:") == len(sealed.readers) + 1
        assert "aes-256-cbc" in printed
        assert "rsaEncryption" in printed


# --- Bcc privacy ---------------------------------------------------------------------------


def test_each_bcc_envelope_is_addressed_to_its_reader_alone(
    openssl: str, world: World, default_sealed: list[Sealed]
) -> None:
    shared, *hidden = default_sealed
    assert shared.bcc is None and [s.bcc for s in hidden] == [
        world.address("dan"),
        world.address("eve"),
    ]
    others = {world.address(name) for name in PEOPLE}
    for sealed in hidden:
        assert sealed.bcc is not None
        eml = sealed.eml.read_bytes()
        headers = outer_headers(eml)
        assert headers["To"] == sealed.bcc
        assert headers["Cc"] is None and headers["Bcc"] is None
        assert email.utils.parseaddr(headers["From"])[1] == SENDER
        for address in others - {sealed.bcc}:
            assert address.encode() not in eml, f"{address} is visible in {sealed.bcc}'s copy"
        # No one else can open it: not a To reader, not the other Bcc reader.
        for name in ("ann", "dan" if sealed.bcc != world.address("dan") else "eve"):
            party = world.people[name]
            decrypt = [openssl, "cms", "-decrypt", "-in", str(sealed.eml)]
            result = subprocess.run(
                [*decrypt, "-recip", str(party.cert_path), "-inkey", str(party.key_path)],
                capture_output=True,
                timeout=TIMEOUT,
                check=False,
            )
            assert result.returncode != 0, f"{name} opened {sealed.bcc}'s copy"
    shared_eml = shared.eml.read_bytes()
    for sealed in hidden:
        assert sealed.bcc is not None and sealed.bcc.encode() not in shared_eml


# --- NSS ---------------------------------------------------------------------------------


def test_nss_decrypts_every_envelope_for_each_reader(
    nss_dbs: dict[str, str], default_sealed: list[Sealed], tmp_path: Path
) -> None:
    for sealed in default_sealed:
        for name in sealed.readers:
            out = tmp_path / f"{sealed.eml.stem}-{name}.out"
            command = ["cmsutil", "-D", "-i", str(sealed.der), "-d", nss_dbs[name], "-p", ""]
            run([*command, "-o", str(out)])
            assert out.read_bytes() == sealed.content, name


def test_nss_verifies_the_decrypted_signature(
    nss_dbs: dict[str, str], default_sealed: list[Sealed], tmp_path: Path
) -> None:
    signed, signature = split_signed(default_sealed[0].content)
    (tmp_path / "signed").write_bytes(signed)
    (tmp_path / "smime.p7s").write_bytes(signature)
    database = nss_dbs["ann"]
    status = nss_signer_status(database, tmp_path / "smime.p7s", tmp_path / "signed")
    assert status == "GoodSignature"
    (tmp_path / "tampered").write_bytes(signed.replace(b"scan.dcm", b"scan.dcn"))
    status = nss_signer_status(database, tmp_path / "smime.p7s", tmp_path / "tampered")
    assert status == "DigestMismatch"


# --- gpgsm -------------------------------------------------------------------------------


def test_gpgsm_decrypts_every_envelope_for_each_reader(
    gnupg_homes: dict[str, Path], default_sealed: list[Sealed]
) -> None:
    for sealed in default_sealed:
        for name in sealed.readers:
            got = gpgsm_decrypt(gnupg_homes[name], sealed.base64, base64_input=True)
            assert got == sealed.content, name


def test_gpgsm_verifies_the_decrypted_signature(
    world: World, gnupg_homes: dict[str, Path], default_sealed: list[Sealed], tmp_path: Path
) -> None:
    signed, signature = split_signed(default_sealed[0].content)
    (tmp_path / "signed").write_bytes(signed)
    (tmp_path / "smime.p7s").write_bytes(signature)
    home = gnupg_homes["ann"]
    status = gpgsm_verify_status(home, tmp_path / "smime.p7s", tmp_path / "signed")
    fingerprint = world.sender.issued.cert.fingerprint(hashes.SHA1()).hex().upper()
    assert f"[GNUPG:] GOODSIG {fingerprint}".encode() in status, status
    assert b"[GNUPG:] TRUST_FULLY" in status
    (tmp_path / "tampered").write_bytes(signed + b"\r\n")
    status = gpgsm_verify_status(home, tmp_path / "smime.p7s", tmp_path / "tampered")
    assert b"[GNUPG:] BADSIG" in status


# --- OAEP, GCM and EC: OpenSSL only --------------------------------------------------------


def _fingerprint(world: World, name: str) -> str:
    return fingerprint_sha256(world.people[name].issued.cert)


@pytest.mark.parametrize("variant", ["gcm", "oaep", "ec", "all"])
def test_openssl_opens_the_stronger_variants(
    openssl: str, world: World, tmp_path: Path, variant: str
) -> None:
    # The sealer picks GCM when every reader advertised it, OAEP per reader that did, and
    # ECDH for an EC certificate; the advertisements are handed in as the store keeps them.
    advertised: dict[str, list[str]] = {name: [] for name in PEOPLE}
    if variant in ("gcm", "all"):
        for name in ("ann", "bob", "fay"):
            advertised[name] += [ContentCipher.AES256_GCM.value, ContentCipher.AES256_CBC.value]
    if variant in ("oaep", "all"):
        advertised["ann"].append(KeyTransport.RSA_OAEP.value)
    capabilities = {_fingerprint(world, name): tuple(v) for name, v in advertised.items() if v}
    to, cc = ["ann"], ["fay" if variant in ("ec", "all") else "bob"]
    result = seal_for(world, to=to, cc=cc, capabilities=capabilities)
    (sealed,) = written_envelopes(world, result, tmp_path)
    printed = run([openssl, "cms", "-cmsout", "-print", "-in", str(sealed.eml)]).decode()
    headers = outer_headers(sealed.eml.read_bytes())
    if variant in ("gcm", "all"):
        assert result.envelopes[0].cipher is ContentCipher.AES256_GCM
        assert headers.get_param("smime-type") == "authEnveloped-data"
        assert "aes-256-gcm" in printed
    else:
        assert "aes-256-cbc" in printed
    assert ("rsaesOaep" in printed) == (variant in ("oaep", "all"))
    assert ("d.kari:" in printed) == (variant in ("ec", "all"))
    for name in (*sealed.readers, "me"):
        party = world.sender if name == "me" else world.people[name]
        assert openssl_decrypt(openssl, sealed.eml, party) == sealed.content, name
    signed, _ = split_signed(sealed.content)
    assert openssl_verify(openssl, world, sealed.content, tmp_path) == signed


def test_openssl_opens_gcm_the_policy_requires(openssl: str, world: World, tmp_path: Path) -> None:
    result = seal_for(world, to=["ann"], bcc=["fay"], policy=CipherPolicy(require_gcm=True))
    assert [e.cipher for e in result.envelopes] == [ContentCipher.AES256_GCM] * 2
    for sealed in written_envelopes(world, result, tmp_path):
        for name in sealed.readers:
            got = openssl_decrypt(openssl, sealed.eml, world.people[name])
            assert got == sealed.content, name
