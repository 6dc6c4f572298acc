"""Errors of the certificate store."""

from pathlib import Path

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text


class StoreError(UserFacingError):
    """The store file cannot be used: unreadable, damaged, busy, foreign or too new.

    The file is never changed when this is raised while opening it.
    """

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


class CertificateNotFound(UserFacingError, KeyError):
    """No certificate with the asked-for fingerprint is stored."""

    def __init__(self, fingerprint: str) -> None:
        super().__init__(text("store.unknown_certificate", fingerprint=fingerprint))
        self.fingerprint = fingerprint
