"""``smime-guard identity``: import, show and remove the user's own certificate and key."""

import argparse
import datetime as dt
import getpass
import json
import logging
import sys
from pathlib import Path
from typing import TextIO

from cryptography import x509

from desktop_app.cli.password_env import PasswordUnavailableError, password_from_environment
from desktop_app.core.identity import load_pkcs12_identity
from desktop_app.core.messages import text
from desktop_app.core.pki.certificates import email_addresses, fingerprint_sha256
from desktop_app.services.files import read_input_file
from desktop_app.services.identity_store import remove_identity, save_identity, stored_identity
from desktop_app.services.mail_access import MailAccess

log = logging.getLogger(__name__)


def _pkcs12_password(arguments: argparse.Namespace, source: str, stdin: TextIO) -> bytes | None:
    """The password from ``--password-env``, else from a prompt; empty means "none"."""
    value = password_from_environment(arguments)
    if value is None:
        if not stdin.isatty():
            raise PasswordUnavailableError(text("identity.password_needs_terminal", source=source))
        value = getpass.getpass(text("identity.password_prompt", source=source))
    # An empty answer lets the reader try both "no password" and the empty one.
    return value.encode("utf-8") or None


def _import(arguments: argparse.Namespace, access: MailAccess, stdin: TextIO) -> int:
    # The keyring is checked first: without one, refuse before asking for any password.
    secrets = access.secrets()
    source = arguments.file
    data = read_input_file(Path(source))
    password = _pkcs12_password(arguments, source, stdin)
    identity = load_pkcs12_identity(data, source_name=source, password=password)
    save_identity(access.home, identity, secrets)
    print(
        text(
            "identity.imported",
            subject=identity.cert.subject.rfc4514_string(),
            addresses=", ".join(identity.addresses) or text("identity.no_address"),
            backend=secrets.backend_name,
        )
    )
    log.info("identity import: %s", fingerprint_sha256(identity.cert))
    return 0


def _validity_state(cert: x509.Certificate, now: dt.datetime) -> str:
    if now > cert.not_valid_after_utc:
        return text("identity.expired")
    if now < cert.not_valid_before_utc:
        return text("identity.not_yet_valid")
    return ""


def _identity_json(
    cert: x509.Certificate, chain: tuple[x509.Certificate, ...], now: dt.datetime
) -> dict[str, object]:
    return {
        "subject": cert.subject.rfc4514_string(),
        "addresses": list(email_addresses(cert)),
        "issuer": cert.issuer.rfc4514_string(),
        "serial": str(cert.serial_number),
        "fingerprint": fingerprint_sha256(cert),
        "not_before": cert.not_valid_before_utc.isoformat(),
        "not_after": cert.not_valid_after_utc.isoformat(),
        "valid_now": not _validity_state(cert, now),
        "chain": [
            {"subject": c.subject.rfc4514_string(), "fingerprint": fingerprint_sha256(c)}
            for c in chain
        ],
    }


def _show(arguments: argparse.Namespace, home: Path, now: dt.datetime) -> int:
    stored = stored_identity(home)
    if arguments.json:
        shown = None if stored is None else _identity_json(stored.cert, stored.chain, now)
        print(json.dumps(shown, ensure_ascii=False, indent=2))
        return 0
    if stored is None:
        print(text("identity.nothing_to_show"))
        return 0
    cert = stored.cert
    print(
        text(
            "identity.show",
            subject=cert.subject.rfc4514_string(),
            addresses=", ".join(email_addresses(cert)) or text("identity.no_address"),
            issuer=cert.issuer.rfc4514_string(),
            serial=cert.serial_number,
            fingerprint=fingerprint_sha256(cert),
            not_before=cert.not_valid_before_utc.isoformat(),
            not_after=cert.not_valid_after_utc.isoformat(),
            state=_validity_state(cert, now),
            chain=len(stored.chain),
        )
    )
    return 0


def _remove(access: MailAccess) -> int:
    removed = remove_identity(access.home, access.secrets())
    print(text("identity.removed" if removed else "identity.nothing_to_remove"))
    return 0


def run_identity(
    arguments: argparse.Namespace, access: MailAccess, *, stdin: TextIO | None = None
) -> int:
    """Run ``identity import|show|remove``; a UserFacingError is left to the caller."""
    command = arguments.identity_command
    if command == "import":
        return _import(arguments, access, stdin or sys.stdin)
    if command == "show":
        return _show(arguments, access.home, access.clock())
    return _remove(access)
