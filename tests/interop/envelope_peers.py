"""Shared set-up for the envelope interop tests: parties, key files, running programs."""

from __future__ import annotations

import base64
import email
import email.message
import email.parser
import email.policy
import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from tests.factories.cert_files import pkcs12_file
from tests.factories.certs import Issued, TestCA
from tests.factories.key_id_certs import issue_with_key_id
from tests.prerequisites import require_program

TIMEOUT = 60


@dataclass(frozen=True)
class Party:
    """A recipient with its certificate and key written out as PEM files."""

    name: str
    issued: Issued
    cert_path: Path
    key_path: Path


def make_parties(ca: TestCA, folder: Path) -> dict[str, Party]:
    """RSA and EC recipients whose certificates carry a subjectKeyIdentifier (for -keyid)."""
    folder.mkdir(parents=True, exist_ok=True)
    specs = {
        "ann": ("ann@clinic.example", "rsa2048", 0),
        "bob": ("bob@clinic.example", "rsa2048", 1),
        "carol": ("carol@clinic.example", "p256", 0),
        "dave": ("dave@partner.example", "p384", 0),
    }
    parties = {}
    for name, (address, kind, slot) in specs.items():
        issued = issue_with_key_id(ca, [address], key_kind=kind, slot=slot)
        cert_path = folder / f"{name}.pem"
        key_path = folder / f"{name}.key"
        cert_path.write_bytes(issued.pem)
        key_path.write_bytes(
            issued.key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        parties[name] = Party(name, issued, cert_path, key_path)
    return parties


def require(program: str, package: str) -> str:
    """The program's path, or skip the test (on CI: fail it) naming its Debian package."""
    return require_program(program, package)


def run(args: list[str], *, stdin: bytes | None = None, cwd: Path | None = None) -> bytes:
    """Run a program; fail the test with its stderr if it exits non-zero."""
    result = subprocess.run(
        args, input=stdin, capture_output=True, timeout=TIMEOUT, cwd=cwd, check=False
    )
    if result.returncode != 0:
        pytest.fail(
            f"{' '.join(args)} exited {result.returncode}:\n"
            f"{result.stderr.decode(errors='replace')}"
        )
    return result.stdout


# --- shared by the sealed-message interop tests ------------------------------------------

P12_PASSWORD = b"interop"
LOOPBACK = ("--pinentry-mode", "loopback", "--passphrase-fd", "0")  # passphrase on stdin


def write_party(name: str, issued: Issued, folder: Path) -> Party:
    """``issued`` written out as PEM certificate and unencrypted PKCS #8 key files."""
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / f"{name}.pem", folder / f"{name}.key"
    cert_path.write_bytes(issued.pem)
    key_path.write_bytes(
        issued.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Party(name, issued, cert_path, key_path)


def p12_bytes(
    issued: Issued, chain: Sequence[x509.Certificate], *, name: str, legacy: bool
) -> bytes:
    """A .p12 of key, certificate and chain under P12_PASSWORD.

    ``legacy``: 3DES with a SHA-1 MAC, the only protection gpgsm 2.2 reads (CMS-NOTES 7).
    """
    return pkcs12_file(issued, chain, password=P12_PASSWORD, legacy=legacy, name=name.encode())


def nss_database(
    folder: Path,
    *,
    roots: Sequence[x509.Certificate],
    key: tuple[str, Issued, Sequence[x509.Certificate]] | None = None,
    others: Mapping[str, x509.Certificate] | None = None,
) -> str:
    """A new NSS database ("sql:" path): ``roots`` trusted for e-mail, the key of ``key``
    (nickname, holder, chain) imported from a .p12, ``others`` as nicknamed certificates."""
    require("cmsutil", "libnss3-tools")
    folder.mkdir(parents=True)
    database = f"sql:{folder}"
    run(["certutil", "-N", "-d", database, "--empty-password"])
    for number, root in enumerate(roots):
        pem = folder / f"root{number}.pem"
        pem.write_bytes(root.public_bytes(serialization.Encoding.PEM))
        run(
            ["certutil", "-A", "-d", database, "-n", f"root{number}", "-t", "C,C,C", "-i", str(pem)]
        )
    if key is not None:
        nickname, issued, chain = key
        p12 = folder / f"{nickname}.p12"
        p12.write_bytes(p12_bytes(issued, chain, name=nickname, legacy=False))
        run(["pk12util", "-i", str(p12), "-d", database, "-W", P12_PASSWORD.decode()])
    for nickname, cert in (others or {}).items():
        pem = folder / f"{nickname}.pem"
        pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        run(["certutil", "-A", "-d", database, "-n", nickname, "-t", ",,", "-i", str(pem)])
    return database


def nss_signer_status(database: str, signature: Path, content: Path | None) -> str:
    """NSS's verdict on the first signer ("GoodSignature", "DigestMismatch", ...)."""
    command = ["cmsutil", "-D", "-i", str(signature), "-d", database, "-p", ""]
    detached = ["-c", str(content)] if content is not None else []
    # -u 4: judge the signer as an e-mail signer; -n: no content; -h 2: print the status.
    output = run([*command, *detached, "-u", "4", "-n", "-h", "2"]).decode()
    statuses = [part for part in output.split() if part.startswith("signer0.status=")]
    assert len(statuses) == 1, output
    return statuses[0].removeprefix("signer0.status=").rstrip(";")


def gpgsm_command(home: Path) -> list[str]:
    return ["gpgsm", "--homedir", str(home), "--batch", "--disable-crl-checks"]


def gpgsm(home: Path, args: list[str], *, passphrase: bool = False) -> bytes:
    """Run gpgsm in ``home``; ``passphrase`` feeds P12_PASSWORD for key operations."""
    loopback = LOOPBACK if passphrase else ()
    return run([*gpgsm_command(home), *loopback, *args], stdin=P12_PASSWORD if passphrase else None)


def gnupg_home(
    folder: Path,
    *,
    root: x509.Certificate,
    key: tuple[Issued, Sequence[x509.Certificate]] | None = None,
    others: Sequence[x509.Certificate] = (),
) -> Path:
    """A new GnuPG home trusting ``root`` for S/MIME, holding ``key`` (holder, chain) and
    the certificates ``others``. Stop its agent with ``stop_gnupg`` when done."""
    require("gpgsm", "gpgsm")
    folder.mkdir(mode=0o700, parents=True)
    fingerprint = root.fingerprint(hashes.SHA1()).hex(":").upper()
    (folder / "gpg-agent.conf").write_text("allow-loopback-pinentry\n")
    (folder / "trustlist.txt").write_text(f"{fingerprint} S relax\n")
    pems = folder / "certificates.pem"
    pems.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (root, *others)))
    gpgsm(folder, ["--import", str(pems)])
    if key is not None:
        _gpgsm_import_key(folder, *key)
    return folder


def _gpgsm_import_key(home: Path, issued: Issued, chain: Sequence[x509.Certificate]) -> None:
    """Import a key from a legacy .p12, made afresh until gpgsm reads it.

    gpgsm 2.2.40 fails to decrypt about one in ten such files ("possibly bad passphrase");
    a failing file fails every time, a fresh one (new salts) usually reads.
    """
    p12 = home / "key.p12"
    for _ in range(8):
        p12.write_bytes(p12_bytes(issued, chain, name="key", legacy=True))
        result = subprocess.run(
            [*gpgsm_command(home), *LOOPBACK, "--import", str(p12)],
            input=P12_PASSWORD,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
        if result.returncode == 0:
            return
    pytest.fail(f"gpgsm did not import the key: {result.stderr.decode(errors='replace')}")


def stop_gnupg(home: Path) -> None:
    """Stop the agent this home's gpgsm started, and only that one."""
    subprocess.run(
        ["gpgconf", "--homedir", str(home), "--kill", "all"],
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )


def gpgsm_decrypt(home: Path, envelope: Path, *, base64_input: bool = False) -> bytes:
    """The plaintext gpgsm writes. It exits 2 after decrypting correctly when a RecipientInfo
    it tried before its own was for a key it lacks, so the output is what is checked.

    ``base64_input``: the file is the base64 body of an S/MIME message. gpgsm 2.2.40 reads
    no MIME (not even OpenSSL's S/MIME output: "End of file"); a mail client hands it the
    body, and it must be told the body is base64.
    """
    base64_option = ["--assume-base64"] if base64_input else []
    result = subprocess.run(
        [*gpgsm_command(home), *LOOPBACK, *base64_option, "--decrypt", str(envelope)],
        input=P12_PASSWORD,
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode in (0, 2), result.stderr.decode(errors="replace")
    assert result.stdout, result.stderr.decode(errors="replace")
    return result.stdout


def gpgsm_verify_status(home: Path, signature: Path, content: Path) -> bytes:
    """gpgsm's status lines for a detached signature (whatever its exit code)."""
    result = subprocess.run(
        [*gpgsm_command(home), "--status-fd", "1", "--verify", str(signature), str(content)],
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    return result.stdout


# --- MIME, read and written without the product's code ------------------------------------


def smime_body(eml: bytes) -> bytes:
    """The DER inside an S/MIME application/pkcs7-mime message, decoded by the stdlib."""
    message = email.message_from_bytes(eml, policy=email.policy.compat32)
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes), message.get_content_type()
    return payload


def smime_base64_body(eml: bytes) -> bytes:
    """The base64 text of an S/MIME message's body, as the stdlib parser finds it."""
    message = email.message_from_bytes(eml, policy=email.policy.compat32)
    payload = message.get_payload()
    assert isinstance(payload, str), message.get_content_type()
    return payload.encode("ascii")


def outer_headers(eml: bytes) -> email.message.Message:
    """The header section of ``eml`` (the body is not parsed)."""
    return email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(eml)


def split_signed(entity: bytes) -> tuple[bytes, bytes]:
    """The exact signed bytes and the DER signature of a multipart/signed entity.

    The signed part runs from after the line break ending the first delimiter line up to the
    line break before the next one (RFC 1847); the bytes are sliced, never re-serialised.
    OpenSSL writes LF line ends outside the signed part, so both kinds are accepted there.
    """
    message = email.message_from_bytes(entity, policy=email.policy.compat32)
    assert message.get_content_type() == "multipart/signed", message.get_content_type()
    boundary = message.get_boundary()
    assert boundary is not None
    delimiter = re.escape(b"--" + boundary.encode("ascii"))
    first = re.search(rb"(?:^|\n)" + delimiter + rb"[ \t]*\r?\n", entity)
    assert first is not None
    start = first.end()
    following = re.compile(rb"\r?\n" + delimiter).search(entity, start)
    assert following is not None
    end = following.start()
    parts = message.get_payload()
    assert isinstance(parts, list) and len(parts) == 2
    signature = parts[1].get_payload(decode=True)
    assert isinstance(signature, bytes)
    return entity[start:end], signature


def smime_message(
    der: bytes, *, smime_type: str, headers: Mapping[str, str], name: str = "smime.p7m"
) -> bytes:
    """``der`` wrapped as an application/pkcs7-mime message, as a peer's mail client sends it."""
    lines = [f"{field}: {value}" for field, value in headers.items()]
    lines += [
        "MIME-Version: 1.0",
        f'Content-Type: application/pkcs7-mime; smime-type={smime_type}; name="{name}"',
        f'Content-Disposition: attachment; filename="{name}"',
        "Content-Transfer-Encoding: base64",
        "",
        "",
    ]
    body = base64.encodebytes(der).replace(b"\n", b"\r\n")
    return "\r\n".join(lines).encode("ascii") + body


def multipart_signed_entity(content: bytes, signature: bytes, *, micalg: str = "sha-256") -> bytes:
    """A detached-signature multipart/signed entity around ``content`` (CRLF line ends)."""
    boundary = "----peer-" + base64.b16encode(os.urandom(8)).decode("ascii")
    head = (
        "Content-Type: multipart/signed; "
        f'protocol="application/pkcs7-signature"; micalg={micalg};\r\n'
        f' boundary="{boundary}"\r\n\r\n'
    )
    signature_part = (
        'Content-Type: application/pkcs7-signature; name="smime.p7s"\r\n'
        "Content-Transfer-Encoding: base64\r\n"
        'Content-Disposition: attachment; filename="smime.p7s"\r\n\r\n'
    ).encode("ascii") + base64.encodebytes(signature).replace(b"\n", b"\r\n")
    return (
        head.encode("ascii")
        + f"--{boundary}\r\n".encode("ascii")
        + content
        + f"\r\n--{boundary}\r\n".encode("ascii")
        + signature_part
        + f"\r\n--{boundary}--\r\n".encode("ascii")
    )
