"""Fetched CRLs kept on disk until their nextUpdate: one DER file per distribution point.

Beside the certificate store rather than in it: a list fetched in the background must not
change the store's trust (which would have every certificate judged again), and nothing
read back is believed without the signature check every answer gets.
"""

import hashlib
import logging
import os
import tempfile
from pathlib import Path
from typing import Final

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from desktop_app.core.errors import UserFacingError
from desktop_app.core.pki.certificates import load_crl
from desktop_app.services.revocation.http_fetch import MAX_CRL_BYTES

log = logging.getLogger(__name__)

CRL_CACHE_FOLDER: Final = "crl-cache"


class CrlCache:
    """CRLs by URL in ``folder`` (made on first write)."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def _path(self, url: str) -> Path:
        return self._folder / f"{hashlib.sha256(url.encode()).hexdigest()}.crl"

    def get(self, url: str) -> x509.CertificateRevocationList | None:
        """The list last kept for ``url``; None when there is none or it cannot be read."""
        path = self._path(url)
        try:
            if path.stat().st_size > MAX_CRL_BYTES:
                return None
            return load_crl(path.read_bytes(), source_name=path.name)
        except FileNotFoundError:
            return None
        except (OSError, UserFacingError, ValueError, TypeError):
            log.warning("skipped an unreadable cached CRL")
            return None

    def put(self, url: str, crl: x509.CertificateRevocationList) -> None:
        """Keep ``crl`` for ``url``, replacing the file whole; a failure only costs a fetch."""
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self._folder, delete=False) as temporary:
                temporary.write(crl.public_bytes(serialization.Encoding.DER))
            os.replace(temporary.name, self._path(url))
        except OSError as error:
            log.warning("could not keep a fetched CRL: %s", type(error).__name__)


def crl_cache_beside(store_file: Path) -> CrlCache:
    """The CRL cache of the certificate store at ``store_file`` (a folder beside it)."""
    return CrlCache(store_file.parent / CRL_CACHE_FOLDER)
