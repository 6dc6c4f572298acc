"""Signed-then-encrypted messages made by OpenSSL, NSS `cmsutil` and `gpgsm` open here.

The signed text is an Outlook-style message: nested multipart/mixed, the text as
multipart/alternative, and application/octet-stream attachments named only by Content-Type's
``name`` (one RFC 2047-encoded, one without any Content-Disposition). Each is opened with
`open_message`, as the user's own client opens mail: decrypted, verified against the trusted
root, the attachments read by name. Only the signer's certificate may be harvested, though
the signature carries unrelated certificates as well. The peers judge certificates as of the
real clock, so everything here is issued around it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from desktop_app.cli.open_command import run_open
from desktop_app.cli.parser import build_parser
from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.identity_store import save_identity
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.paths import store_path
from desktop_app.services.secrets import SecretStore
from tests.interop import peer_messages
from tests.interop.envelope_peers import (
    gnupg_home,
    gpgsm,
    multipart_signed_entity,
    nss_database,
    run,
    smime_body,
    smime_message,
    split_signed,
    stop_gnupg,
)
from tests.interop.peer_messages import (
    HEADERS,
    LAB_NAME,
    ME,
    NOW,
    SCAN_NAME,
    World,
    check_opened,
    open_here,
)
from tests.services.keyrings import InMemoryKeyring

world = peer_messages.world  # the shared fixtures: certificates, keys, the message
openssl = peer_messages.openssl


def _signature_certificates(der: bytes) -> list[x509.Certificate]:
    return pkcs7.load_der_pkcs7_certificates(der)


# --- OpenSSL -----------------------------------------------------------------------------


ENCRYPT_OPTIONS = {
    "aes256-cbc": (["-aes-256-cbc"], [], "AES-256-CBC"),
    "aes256-gcm": (["-aes-256-gcm"], [], "AES-256-GCM"),
    "aes128-cbc-oaep": (
        ["-aes-128-cbc"],
        ["-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256"],
        "AES-128-CBC",
    ),
}


@pytest.mark.parametrize("detached", [True, False], ids=["multipart-signed", "opaque"])
@pytest.mark.parametrize("encryption", list(ENCRYPT_OPTIONS))
def test_openssl_sign_then_encrypt_opens_here(
    openssl: str, world: World, tmp_path: Path, detached: bool, encryption: str
) -> None:
    bag = tmp_path / "bag.pem"
    bag.write_bytes(
        world.intermediate.pem
        + b"".join(c.public_bytes(serialization.Encoding.PEM) for c in world.unrelated)
    )
    signed = tmp_path / "signed.eml"
    sign = [openssl, "cms", "-sign", "-in", str(world.inner), "-out", str(signed)]
    keys = ["-signer", str(world.alice.cert_path), "-inkey", str(world.alice.key_path)]
    run([*sign, *keys, "-certfile", str(bag), *([] if detached else ["-nodetach"])])
    entity = signed.read_bytes()
    if detached:
        _, signature = split_signed(entity)
    else:
        signature = smime_body(entity)
    in_bag = _signature_certificates(signature)
    assert set(world.unrelated) <= set(in_bag), "the unrelated certificates were sent along"

    cipher_args, recipient_args, cipher = ENCRYPT_OPTIONS[encryption]
    sealed = tmp_path / "sealed.eml"
    encrypt = [openssl, "cms", "-encrypt", *cipher_args, "-in", str(signed), "-out", str(sealed)]
    recipient = ["-recip", str(world.me.cert_path), *recipient_args]
    addressed = ["-from", HEADERS["From"], "-to", ME, "-subject", HEADERS["Subject"]]
    run([*encrypt, *recipient, *addressed])
    opened = open_here(world, sealed.read_bytes())
    check_opened(world, opened, cipher)
    assert opened.message.headers.subject in (None, "Laborwerte")


def test_open_harvest_stores_only_the_signer(
    openssl: str, world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`smime-guard open --harvest` on OpenSSL's message: the store learns Alice alone."""
    bag = tmp_path / "bag.pem"
    bag.write_bytes(
        world.intermediate.pem
        + b"".join(c.public_bytes(serialization.Encoding.PEM) for c in world.unrelated)
    )
    signed, sealed = tmp_path / "signed.eml", tmp_path / "sealed.eml"
    sign = [openssl, "cms", "-sign", "-in", str(world.inner), "-out", str(signed)]
    keys = ["-signer", str(world.alice.cert_path), "-inkey", str(world.alice.key_path)]
    run([*sign, *keys, "-certfile", str(bag)])
    encrypt = [openssl, "cms", "-encrypt", "-aes-256-cbc", "-in", str(signed)]
    addressed = ["-from", HEADERS["From"], "-to", ME, "-subject", HEADERS["Subject"]]
    run([*encrypt, "-out", str(sealed), "-recip", str(world.me.cert_path), *addressed])

    keyring = SecretStore(InMemoryKeyring())
    home = tmp_path / "home"
    save_identity(home, world.identity, keyring)
    with CertStore.open(store_path(home)) as store:
        store.add_trust_anchor(world.root.cert, NOW)
    capsys.readouterr()
    arguments = build_parser().parse_args(["open", str(sealed), "--harvest", "--json"])
    assert run_open(arguments, MailAccess(home, secrets=lambda: keyring)) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["signature"]["valid"] is True
    assert printed["encryption"]["algorithm"] == "AES-256-CBC"
    assert [a["filename"] for a in printed["attachments"]] == [LAB_NAME, SCAN_NAME]
    assert printed["harvested"] == [fingerprint_sha256(world.alice.issued.cert)]
    with CertStore.open(store_path(home)) as store:
        learnt = store.list_certificates(include_authorities=True)
    assert {c.fingerprint for c in learnt} == {
        fingerprint_sha256(world.root.cert),
        fingerprint_sha256(world.alice.issued.cert),
    }


# --- NSS ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nss_db(world: World) -> str:
    """Alice's NSS database: her key, the root trusted, our user's certificate."""
    return nss_database(
        world.folder / "nss",
        roots=[world.root.cert],
        key=("alice", world.alice.issued, [world.intermediate.cert]),
        others={"me": world.me.issued.cert},
    )


@pytest.mark.parametrize("detached", [True, False], ids=["multipart-signed", "opaque"])
def test_nss_sign_then_encrypt_opens_here(
    nss_db: str, world: World, tmp_path: Path, detached: bool
) -> None:
    signature = tmp_path / "signature.der"
    # -G signing time, -P SMIMECapabilities, -T detached (as Thunderbird signs).
    sign = ["cmsutil", "-S", "-N", "alice", "-G", "-P", "-d", nss_db, "-p", ""]
    shape = ["-T"] if detached else []
    run([*sign, *shape, "-i", str(world.inner), "-o", str(signature)])
    if detached:
        entity = multipart_signed_entity(world.inner.read_bytes(), signature.read_bytes())
    else:
        entity = smime_message(signature.read_bytes(), smime_type="signed-data", headers={})
    (tmp_path / "signed.mime").write_bytes(entity)
    envelope = tmp_path / "envelope.der"
    encrypt = ["cmsutil", "-E", "-r", ME, "-d", nss_db, "-p", ""]
    run([*encrypt, "-i", str(tmp_path / "signed.mime"), "-o", str(envelope)])
    eml = smime_message(envelope.read_bytes(), smime_type="enveloped-data", headers=HEADERS)
    opened = open_here(world, eml)
    check_opened(world, opened, "AES-128-CBC")  # NSS 3.87 encrypts with AES-128
    assert opened.signature is not None
    assert "aes256-cbc" in opened.signature.capabilities


# --- gpgsm -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def alice_gnupg(world: World) -> Iterator[Path]:
    """Alice's GnuPG home: her key, the root trusted, our user's certificate."""
    home = world.folder / "gnupg"
    try:
        yield gnupg_home(
            home,
            root=world.root.cert,
            key=(world.alice.issued, [world.intermediate.cert]),
            others=[world.intermediate.cert, world.me.issued.cert],
        )
    finally:
        stop_gnupg(home)


def test_gpgsm_sign_then_encrypt_opens_here(
    alice_gnupg: Path, world: World, tmp_path: Path
) -> None:
    # gpgsm signs and encrypts in separate runs (it has no combined mode for S/MIME), and
    # writes bare CMS: the MIME around it is what its mail client (KMail, GpgOL) adds.
    signature = tmp_path / "signature.der"
    fingerprint = world.alice.issued.cert.fingerprint(hashes.SHA1()).hex().upper()
    sign = ["--local-user", fingerprint, "--detach-sign", "--output", str(signature)]
    gpgsm(alice_gnupg, [*sign, str(world.inner)], passphrase=True)
    entity = multipart_signed_entity(world.inner.read_bytes(), signature.read_bytes())
    (tmp_path / "signed.mime").write_bytes(entity)
    envelope = tmp_path / "envelope.der"
    encrypt = ["--recipient", ME, "--output", str(envelope), "--encrypt"]
    gpgsm(alice_gnupg, [*encrypt, str(tmp_path / "signed.mime")])
    assert envelope.read_bytes().startswith(b"\x30\x80")  # indefinite-length BER
    eml = smime_message(envelope.read_bytes(), smime_type="enveloped-data", headers=HEADERS)
    check_opened(world, open_here(world, eml), "AES-128-CBC")  # gpgsm's default
