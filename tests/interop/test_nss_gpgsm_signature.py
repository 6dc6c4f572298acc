"""Signatures both ways with NSS `cmsutil` (Thunderbird's library) and GnuPG's `gpgsm`.

Both judge certificates as of the real clock, so the certificates here are issued around it.
NSS signs with the Microsoft encryption-key preference attribute, which asn1crypto cannot
name; reading it checks that signed attributes are read one at a time.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes

from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.smime.signature_sign import sign_detached
from desktop_app.core.smime.signature_verify import (
    SignatureVerdict,
    verify_opaque,
    verify_signature,
)
from tests.factories.cert_files import pkcs12_file
from tests.factories.certs import Issued, TestCA
from tests.interop.envelope_peers import TIMEOUT, require, run

ALICE = "alice@clinic.example"
CONTENT = (
    b'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\n'
    b"Content-Type: text/plain; charset=utf-8\r\n\r\nBefund anbei.\r\n--b1\r\n"
    b'Content-Type: application/octet-stream; name="x.bin"\r\n'
    b"Content-Transfer-Encoding: base64\r\n\r\nAAECAwQF\r\n--b1--\r\n"
)
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
PASSWORD = b"interop"
NSS_NICKNAMES = {"rsa": "alice-rsa", "ec": "alice-ec"}


@dataclass(frozen=True)
class World:
    root: TestCA
    intermediate: TestCA
    signers: dict[str, Issued]
    folder: Path

    @property
    def trust(self) -> TrustContext:
        return TrustContext((self.root.cert,))

    @property
    def content(self) -> Path:
        return self.folder / "content"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    dates = {"not_before": NOW - dt.timedelta(days=1), "not_after": NOW + dt.timedelta(days=60)}
    root = TestCA("NSS gpgsm Signature Root", **dates)  # type: ignore[arg-type]
    intermediate = root.intermediate("NSS gpgsm Signature Intermediate", **dates)
    signers = {
        # Distinct subjects: NSS gives all certificates of one subject the same nickname.
        "rsa": intermediate.issue([ALICE], common_name="Alice (RSA)", **dates),  # type: ignore[arg-type]
        "ec": intermediate.issue([ALICE], common_name="Alice (EC)", key_kind="p256", **dates),  # type: ignore[arg-type]
    }
    folder = tmp_path_factory.mktemp("nss-gpgsm-signature")
    (folder / "root.pem").write_bytes(root.pem)
    (folder / "content").write_bytes(CONTENT)
    return World(root, intermediate, signers, folder)


def _ours(world: World, kind: str, *, rsa_pss: bool = False) -> bytes:
    issued = world.signers[kind]
    return sign_detached(
        CONTENT,
        issued.cert,
        issued.key,  # type: ignore[arg-type]
        chain=[world.intermediate.cert],
        signing_time=NOW,
        rsa_pss=rsa_pss,
    )


def _verify(der: bytes, world: World, content: bytes | None = CONTENT) -> SignatureVerdict:
    return verify_signature(der, content, trust=world.trust, at=NOW, from_address_key=ALICE)


def _p12(issued: Issued, world: World, name: str, *, legacy: bool) -> bytes:
    # gpgsm reads only the old 3DES/SHA-1 protection (CMS-NOTES 7)
    chain = [world.intermediate.cert]
    return pkcs12_file(issued, chain, password=PASSWORD, legacy=legacy, name=name.encode())


VARIANTS = [("rsa", False), ("rsa", True), ("ec", False)]
VARIANT_IDS = ["rsa", "rsa-pss", "ecdsa"]


# --- NSS ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nss_db(world: World) -> str:
    """An NSS database trusting the root for e-mail, holding both of alice's keys."""
    require("cmsutil", "libnss3-tools")
    database = world.folder / "nss"
    database.mkdir()
    db = f"sql:{database}"
    run(["certutil", "-N", "-d", db, "--empty-password"])
    root = str(world.folder / "root.pem")
    run(["certutil", "-A", "-d", db, "-n", "root", "-t", "C,C,C", "-i", root])
    for kind, nickname in NSS_NICKNAMES.items():
        p12 = world.folder / f"{nickname}.p12"
        p12.write_bytes(_p12(world.signers[kind], world, nickname, legacy=False))
        run(["pk12util", "-i", str(p12), "-d", db, "-W", PASSWORD.decode()])
    return db


def _nss_status(nss_db: str, signature: Path, content: Path | None) -> str:
    # -u 4 (e-mail signer) -n (no content output) -h 2 prints each signer's status.
    command = ["cmsutil", "-D", "-i", str(signature), "-d", nss_db, "-p", ""]
    detached = ["-c", str(content)] if content is not None else []
    output = run([*command, *detached, "-u", "4", "-n", "-h", "2"]).decode()
    statuses = [part for part in output.split() if part.startswith("signer0.status=")]
    assert len(statuses) == 1, output
    return statuses[0].removeprefix("signer0.status=").rstrip(";")


@pytest.mark.parametrize(("kind", "rsa_pss"), VARIANTS, ids=VARIANT_IDS)
def test_nss_verifies_ours(
    nss_db: str, world: World, tmp_path: Path, kind: str, rsa_pss: bool
) -> None:
    signature = tmp_path / "sig.der"
    signature.write_bytes(_ours(world, kind, rsa_pss=rsa_pss))
    assert _nss_status(nss_db, signature, world.content) == "GoodSignature"
    tampered = tmp_path / "tampered"
    tampered.write_bytes(CONTENT.replace(b"Befund", b"Bef\xfcnd"))
    assert _nss_status(nss_db, signature, tampered) == "DigestMismatch"


@pytest.mark.parametrize("kind", ["rsa", "ec"])
@pytest.mark.parametrize("detached", [True, False], ids=["detached", "opaque"])
def test_we_verify_nss(
    nss_db: str, world: World, tmp_path: Path, kind: str, detached: bool
) -> None:
    out = tmp_path / "nss.der"
    # -G signing time, -P SMIMECapabilities, -T detached; NSS adds the key preferences.
    command = ["cmsutil", "-S", "-N", NSS_NICKNAMES[kind], "-G", "-P", "-d", nss_db, "-p", ""]
    shape = ["-T"] if detached else []
    run([*command, *shape, "-i", str(world.content), "-o", str(out)])
    der = out.read_bytes()
    assert bytes.fromhex("06092b0601040182371004") in der  # the Microsoft attribute is there
    if detached:
        verdict = _verify(der, world)
        assert not _verify(der, world, CONTENT + b"\r\n").valid
    else:
        verdict, content = verify_opaque(der, trust=world.trust, at=NOW, from_address_key=ALICE)
        assert content == CONTENT
    assert verdict.valid, verdict.reason
    assert verdict.signer == world.signers[kind].cert
    assert "aes256-cbc" in verdict.capabilities  # NSS advertises CBC, never GCM


# --- gpgsm -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gnupg_home(world: World) -> Iterator[Path]:
    """A GnuPG home that trusts the root and holds alice's RSA key.

    gpgsm 2.2.40 crashes importing EC keys from PKCS #12 (CMS-NOTES 7), so it signs with RSA
    only; it verifies every kind.
    """
    require("gpgsm", "gpgsm")
    home = world.folder / "gnupg"
    home.mkdir(mode=0o700)
    fingerprint = world.root.cert.fingerprint(hashes.SHA1()).hex(":").upper()
    (home / "gpg-agent.conf").write_text("allow-loopback-pinentry\n")
    (home / "trustlist.txt").write_text(f"{fingerprint} S relax\n")
    try:
        _gpgsm(home, ["--import", str(world.folder / "root.pem")])
        _import_key(home, world)
        yield home
    finally:
        # Stops the agent this home's gpgsm started, and only that one.
        subprocess.run(
            ["gpgconf", "--homedir", str(home), "--kill", "all"],
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )


def _gpgsm(home: Path, args: list[str], stdin: bytes | None = None) -> bytes:
    base = ["gpgsm", "--homedir", str(home), "--batch", "--disable-crl-checks"]
    if stdin is not None:
        base += ["--pinentry-mode", "loopback", "--passphrase-fd", "0"]
    return run([*base, *args], stdin=stdin)


def _import_key(home: Path, world: World) -> None:
    """Import alice's RSA key from a legacy .p12, made afresh until gpgsm reads it.

    gpgsm 2.2.40 fails to decrypt about one in ten such files ("possibly bad passphrase");
    a failing file fails every time, a fresh one (new salts) usually reads.
    """
    p12 = home / "alice.p12"
    command = ["gpgsm", "--homedir", str(home), "--batch", "--pinentry-mode", "loopback"]
    for _ in range(8):
        p12.write_bytes(_p12(world.signers["rsa"], world, "alice", legacy=True))
        result = subprocess.run(
            [*command, "--passphrase-fd", "0", "--import", str(p12)],
            input=PASSWORD,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
        if result.returncode == 0:
            return
    pytest.fail(f"gpgsm did not import the key: {result.stderr.decode(errors='replace')}")


@pytest.mark.parametrize(("kind", "rsa_pss"), VARIANTS, ids=VARIANT_IDS)
def test_gpgsm_verifies_ours(
    gnupg_home: Path, world: World, tmp_path: Path, kind: str, rsa_pss: bool
) -> None:
    signature = tmp_path / "sig.der"
    signature.write_bytes(_ours(world, kind, rsa_pss=rsa_pss))
    status = _gpgsm(
        gnupg_home, ["--status-fd", "1", "--verify", str(signature), str(world.content)]
    )
    fingerprint = world.signers[kind].cert.fingerprint(hashes.SHA1()).hex().upper()
    assert f"[GNUPG:] GOODSIG {fingerprint}".encode() in status
    assert b"[GNUPG:] TRUST_FULLY" in status
    tampered = tmp_path / "tampered"
    tampered.write_bytes(CONTENT + b"\r\n")
    gpgsm = ["gpgsm", "--homedir", str(gnupg_home), "--batch", "--disable-crl-checks"]
    result = subprocess.run(
        [*gpgsm, "--status-fd", "1", "--verify", str(signature), str(tampered)],
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode != 0
    assert b"[GNUPG:] BADSIG" in result.stdout


def test_we_verify_gpgsm(gnupg_home: Path, world: World, tmp_path: Path) -> None:
    out = tmp_path / "gpgsm.der"
    fingerprint = world.signers["rsa"].cert.fingerprint(hashes.SHA1()).hex().upper()
    _gpgsm(
        gnupg_home,
        ["--local-user", fingerprint, "--detach-sign", "--output", str(out), str(world.content)],
        stdin=PASSWORD,
    )
    verdict = _verify(out.read_bytes(), world)
    assert verdict.valid, verdict.reason
    assert verdict.signer == world.signers["rsa"].cert
    assert not _verify(out.read_bytes(), world, CONTENT.replace(b"anbei", b"folgt")).valid
