"""A reader opening a sealed message with OpenSSL, the peer every mail test checks against."""

import subprocess
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from tests.factories.certs import Issued


def openssl_decrypt(mime: bytes, reader: Issued, folder: Path) -> bytes:
    """What ``openssl cms -decrypt`` makes of ``mime`` with ``reader``'s certificate and
    key (written into ``folder``); fails the test when OpenSSL cannot open it."""
    folder.mkdir(parents=True, exist_ok=True)
    key, cert, message = folder / "key.pem", folder / "cert.pem", folder / "in.eml"
    key.write_bytes(
        reader.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert.write_bytes(reader.cert.public_bytes(serialization.Encoding.PEM))
    message.write_bytes(mime)
    done = subprocess.run(
        ["openssl", "cms", "-decrypt", "-in", str(message), "-recip", str(cert),
         "-inkey", str(key)],
        capture_output=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout
