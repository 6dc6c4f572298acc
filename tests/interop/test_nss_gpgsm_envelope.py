"""The default envelope (AES-CBC, RSA PKCS #1 v1.5) both ways with NSS cmsutil and gpgsm.

NSS 3.87 and gpgsm 2.2.40 read neither OAEP, GCM nor ECDH (see CMS-NOTES), so only the
default is exchanged with them. gpgsm skips an EC recipient's kari; NSS 3.87 cannot parse an
envelope that holds any kari at all (OpenSSL's neither), which the last test pins down.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes

from desktop_app.core.smime.algorithms import ContentCipher
from desktop_app.core.smime.envelope_open import open_envelope
from desktop_app.core.smime.envelope_seal import seal_envelope
from desktop_app.core.smime.recipient_seal import EnvelopeRecipient
from tests.factories.cert_files import pkcs12_file
from tests.factories.certs import Issued, TestCA
from tests.interop.envelope_peers import TIMEOUT, Party, make_parties, require, run

# A MIME-like body with a binary attachment, as the sealing layer hands it over.
CONTENT = (
    b'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\n'
    b"Content-Type: text/plain; charset=utf-8\r\n\r\nBefund anbei.\r\n--b1\r\n"
    b'Content-Type: application/pdf; name="befund.pdf"\r\n'
    b"Content-Transfer-Encoding: binary\r\n\r\n" + os.urandom(200_000) + b"\r\n--b1--\r\n"
)
RSA_NAMES = ("ann", "bob")
PASSWORD = b"interop"


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return TestCA("NSS gpgsm Interop CA")


@pytest.fixture(scope="module")
def parties(ca: TestCA, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Party]:
    return make_parties(ca, tmp_path_factory.mktemp("peers"))


@pytest.fixture(scope="module")
def content_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("content") / "message.mime"
    path.write_bytes(CONTENT)
    return path


def _p12(issued: Issued, ca: TestCA, *, legacy: bool) -> bytes:
    # gpgsm reads only the old 3DES/SHA-1 protection, not PBES2.
    return pkcs12_file(issued, [ca.cert], password=PASSWORD, legacy=legacy, name=b"smime")


def _sealed_default(
    parties: dict[str, Party], cipher: ContentCipher, *, with_ec: bool = False
) -> bytes:
    names = (*RSA_NAMES, "carol") if with_ec else RSA_NAMES
    recipients = [EnvelopeRecipient(parties[name].issued.cert) for name in names]
    return seal_envelope(CONTENT, recipients, cipher)


# --- NSS ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nss_dbs(
    ca: TestCA, parties: dict[str, Party], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """One NSS database per RSA recipient, each holding that recipient's key."""
    require("cmsutil", "libnss3-tools")
    folder = tmp_path_factory.mktemp("nss")
    (folder / "ca.pem").write_bytes(ca.pem)
    databases = {}
    for name in RSA_NAMES:
        database = folder / name
        database.mkdir()
        p12 = folder / f"{name}.p12"
        p12.write_bytes(_p12(parties[name].issued, ca, legacy=False))
        run(["certutil", "-N", "-d", f"sql:{database}", "--empty-password"])
        run(["pk12util", "-i", str(p12), "-d", f"sql:{database}", "-W", PASSWORD.decode()])
        ca_file = str(folder / "ca.pem")
        run(["certutil", "-A", "-d", f"sql:{database}", "-n", "ca", "-t", "C,C,C", "-i", ca_file])
        # The other RSA recipient's certificate, so cmsutil can encrypt to both.
        for other in RSA_NAMES:
            if other != name:
                other_file = str(parties[other].cert_path)
                run(
                    [
                        "certutil",
                        "-A",
                        "-d",
                        f"sql:{database}",
                        "-n",
                        other,
                        "-t",
                        ",,",
                        "-i",
                        other_file,
                    ]
                )
        databases[name] = database
    return databases


@pytest.mark.parametrize("cipher", [ContentCipher.AES256_CBC, ContentCipher.AES128_CBC])
def test_nss_opens_ours(
    nss_dbs: dict[str, Path], parties: dict[str, Party], tmp_path: Path, cipher: ContentCipher
) -> None:
    envelope = tmp_path / "sealed.der"
    envelope.write_bytes(_sealed_default(parties, cipher))
    for name, database in nss_dbs.items():
        out = tmp_path / f"{name}.out"
        run(
            [
                "cmsutil",
                "-D",
                "-i",
                str(envelope),
                "-d",
                f"sql:{database}",
                "-p",
                "",
                "-o",
                str(out),
            ]
        )
        assert out.read_bytes() == CONTENT


def test_we_open_nss(
    nss_dbs: dict[str, Path], parties: dict[str, Party], content_file: Path, tmp_path: Path
) -> None:
    envelope = tmp_path / "nss.der"
    recipients = ",".join(f"{name}@clinic.example" for name in RSA_NAMES)
    database = f"sql:{nss_dbs['ann']}"
    run(
        [
            "cmsutil",
            "-E",
            "-r",
            recipients,
            "-d",
            database,
            "-i",
            str(content_file),
            "-o",
            str(envelope),
        ]
    )
    for name in RSA_NAMES:
        issued = parties[name].issued
        opened = open_envelope(envelope.read_bytes(), issued.cert, issued.key)
        assert opened.content == CONTENT
        assert opened.recipient_count == 2
        assert opened.key_transport == "RSA (PKCS #1 v1.5)"


def test_nss_cannot_parse_envelopes_with_an_ec_recipient(
    nss_dbs: dict[str, Path], parties: dict[str, Party], tmp_path: Path
) -> None:
    # A limitation of NSS 3.87, not of the envelope: OpenSSL and gpgsm read it. A sealer must
    # not mix EC recipients into the envelope an NSS (Thunderbird) recipient gets.
    envelope = tmp_path / "mixed.der"
    envelope.write_bytes(_sealed_default(parties, ContentCipher.AES256_CBC, with_ec=True))
    database = f"sql:{nss_dbs['ann']}"
    result = subprocess.run(
        ["cmsutil", "-D", "-i", str(envelope), "-d", database, "-p", "", "-o", os.devnull],
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode != 0
    assert b"SEC_ERROR_BAD_DER" in result.stderr


# --- gpgsm -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gnupg_homes(
    ca: TestCA, parties: dict[str, Party], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Path]]:
    """One GnuPG home per RSA recipient with its key; the test CA trusted in each."""
    require("gpgsm", "gpgsm")
    homes: dict[str, Path] = {}
    fingerprint = ca.cert.fingerprint(hashes.SHA1()).hex(":").upper()
    try:
        for name in RSA_NAMES:
            home = tmp_path_factory.mktemp(f"gnupg-{name}")
            home.chmod(0o700)
            homes[name] = home
            (home / "gpg-agent.conf").write_text("allow-loopback-pinentry\n")
            (home / "trustlist.txt").write_text(f"{fingerprint} S relax\n")
            _import_key(home, parties[name].issued, ca)
            for other in RSA_NAMES:
                _gpgsm(home, ["--import", str(parties[other].cert_path)])
        yield homes
    finally:
        for home in homes.values():
            # Stops the agent this home's gpgsm started, and only that one.
            subprocess.run(
                ["gpgconf", "--homedir", str(home), "--kill", "all"],
                capture_output=True,
                timeout=TIMEOUT,
                check=False,
            )


def _import_key(home: Path, issued: Issued, ca: TestCA) -> None:
    """Import the key from a legacy .p12, made afresh until gpgsm reads it.

    gpgsm 2.2.40 fails to decrypt some of these files ("decryption failed; trying charset",
    "possibly bad passphrase given"): about one in ten here. A failing file fails every time
    while a fresh one (new random salts) usually reads, so a few fresh files are tried.
    """
    p12 = home / "key.p12"
    command = ["gpgsm", "--homedir", str(home), "--batch", "--pinentry-mode", "loopback"]
    for _ in range(8):
        p12.write_bytes(_p12(issued, ca, legacy=True))
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


def _gpgsm(home: Path, args: list[str], stdin: bytes | None = None) -> bytes:
    base = ["gpgsm", "--homedir", str(home), "--batch", "--disable-crl-checks"]
    if stdin is not None:
        base += ["--pinentry-mode", "loopback", "--passphrase-fd", "0"]
    return run([*base, *args], stdin=stdin)


def _gpgsm_decrypt(home: Path, envelope: Path) -> bytes:
    """The plaintext gpgsm writes. It exits 2 after decrypting correctly when a RecipientInfo
    it tried before its own was for a key it lacks, so the output is what is checked."""
    gpgsm = ["gpgsm", "--homedir", str(home), "--batch", "--pinentry-mode", "loopback"]
    result = subprocess.run(
        [*gpgsm, "--passphrase-fd", "0", "--decrypt", str(envelope)],
        input=PASSWORD,
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode in (0, 2), result.stderr.decode(errors="replace")
    return result.stdout


def test_gpgsm_opens_ours(
    gnupg_homes: dict[str, Path], parties: dict[str, Party], tmp_path: Path
) -> None:
    envelope = tmp_path / "sealed.der"
    envelope.write_bytes(_sealed_default(parties, ContentCipher.AES256_CBC, with_ec=True))
    for home in gnupg_homes.values():
        assert _gpgsm_decrypt(home, envelope) == CONTENT


def test_we_open_gpgsm(
    gnupg_homes: dict[str, Path], parties: dict[str, Party], content_file: Path, tmp_path: Path
) -> None:
    envelope = tmp_path / "gpgsm.der"
    recipients = [arg for name in RSA_NAMES for arg in ("-r", f"{name}@clinic.example")]
    _gpgsm(gnupg_homes["ann"], [*recipients, "-o", str(envelope), "--encrypt", str(content_file)])
    data = envelope.read_bytes()
    assert data.startswith(b"\x30\x80")  # gpgsm writes indefinite-length BER
    for name in RSA_NAMES:
        issued = parties[name].issued
        opened = open_envelope(data, issued.cert, issued.key)
        assert opened.content == CONTENT
        assert opened.cipher == "AES-128-CBC"
