"""Shared set-up for the envelope interop tests: parties, key files, running programs."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from tests.factories.certs import Issued, TestCA, issue_with_key_id

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
    """The program's path, or skip the test saying which Debian package provides it."""
    path = shutil.which(program)
    if path is None:
        pytest.skip(f"{program} is not installed (Debian package {package})")
    return path


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
