"""``smime-guard certs``: import recipient certificates, trust anchors and CRLs; list the store."""

import argparse
import datetime as dt
import json
import logging
from pathlib import Path

from cryptography import x509

from desktop_app.cli.exit_codes import EXIT_USAGE
from desktop_app.cli.output import report_error, say
from desktop_app.cli.password_env import password_from_environment
from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.core.pki.cert_addresses import MAX_ADDRESSES, address_count_over_limit
from desktop_app.core.pki.certificates import is_ca, load_certificates, load_crl, shown_subject
from desktop_app.core.pki.stored import Source, StoredCertificate
from desktop_app.core.pki.trust import crl_signer
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.files import read_input_file
from desktop_app.services.paths import store_path

log = logging.getLogger(__name__)


def _password(arguments: argparse.Namespace) -> bytes | None:
    value = password_from_environment(arguments)
    return None if value is None else value.encode("utf-8")


def _import(arguments: argparse.Namespace, store: CertStore, now: dt.datetime) -> int:
    """Store every readable certificate; report unreadable files and go on with the rest."""
    password = _password(arguments)
    failures = 0
    for name in arguments.files:
        try:
            certificates = load_certificates(
                read_input_file(Path(name)), source_name=name, password=password
            )
        except UserFacingError as error:
            report_error(error.message)
            failures += 1
            continue
        kept = _within_address_limit(certificates, name)
        failures += len(certificates) - len(kept)
        added = store.add_certificates(((cert, Source.IMPORTED) for cert in kept), now)
        say("cli.imported", file=name, added=added, known=len(kept) - added)
    log.info("certs import: %d file(s), %d unreadable", len(arguments.files), failures)
    return EXIT_USAGE if failures else 0


def _within_address_limit(
    certificates: tuple[x509.Certificate, ...], file: str
) -> list[x509.Certificate]:
    """The certificates to store; each one naming too many addresses is reported instead."""
    kept = []
    for number, cert in enumerate(certificates, 1):
        count = None if is_ca(cert) else address_count_over_limit(cert)
        if count is None:
            kept.append(cert)
            continue
        subject = shown_subject(cert)
        values = {"number": number, "file": file, "subject": subject, "count": count}
        report_error(text("cli.too_many_addresses", limit=MAX_ADDRESSES, **values))
    return kept


def _trust(arguments: argparse.Namespace, store: CertStore, now: dt.datetime) -> int:
    certificates = load_certificates(
        read_input_file(Path(arguments.ca_file)), source_name=arguments.ca_file
    )
    authorities = [cert for cert in certificates if is_ca(cert)]
    for cert in certificates:
        if not is_ca(cert):
            report_error(text("cli.not_a_ca", subject=cert.subject.rfc4514_string()))
    if not authorities:
        report_error(text("cli.no_ca_in_file", file=arguments.ca_file))
        return EXIT_USAGE
    for cert in authorities:
        new = store.add_trust_anchor(cert, now)
        say("cli.trusted" if new else "cli.already_trusted", subject=cert.subject.rfc4514_string())
    return 0


def _crl(arguments: argparse.Namespace, store: CertStore, now: dt.datetime) -> int:
    crl = load_crl(read_input_file(Path(arguments.crl_file)), source_name=arguments.crl_file)
    issuer = crl.issuer.rfc4514_string()
    if crl_signer(crl, store.trust_context()) is None:
        report_error(text("cli.crl_unknown_signer", file=arguments.crl_file, issuer=issuer))
        return EXIT_USAGE
    newer = store.add_crl(crl, now)
    say("cli.crl_stored" if newer else "cli.crl_older", issuer=issuer)
    return 0


def _certificate_json(stored: StoredCertificate) -> dict[str, object]:
    return {
        "fingerprint": stored.fingerprint,
        "addresses": list(stored.addresses),
        "subject": stored.subject,
        "issuer": stored.issuer,
        "serial": str(stored.serial),
        "not_before": stored.not_before.isoformat(),
        "not_after": stored.not_after.isoformat(),
        "source": stored.source.value,
        "first_seen": stored.first_seen.isoformat(),
        "last_seen": stored.last_seen.isoformat(),
    }


def _list(arguments: argparse.Namespace, store: CertStore) -> int:
    stored = store.list_certificates()
    if arguments.json:
        print(
            json.dumps([_certificate_json(cert) for cert in stored], ensure_ascii=False, indent=2)
        )
        return 0
    if not stored:
        say("cli.no_certificates")
    for cert in stored:
        addresses = ", ".join(cert.addresses) or "(no address)"
        print(
            f"{cert.fingerprint[:16]}  {addresses}  until {cert.not_after.date().isoformat()}  "
            f"{cert.source.value}  {cert.subject}"
        )
    return 0


def run_certs(arguments: argparse.Namespace, home: Path) -> int:
    now = dt.datetime.now(dt.UTC)
    with CertStore.open(store_path(home)) as store:
        if arguments.certs_command == "import":
            return _import(arguments, store, now)
        if arguments.certs_command == "trust":
            return _trust(arguments, store, now)
        if arguments.certs_command == "crl":
            return _crl(arguments, store, now)
        return _list(arguments, store)
