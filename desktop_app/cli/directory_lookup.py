"""``smime-guard directory lookup``: what every configured source says of addresses, judged
by the one rule, in the shape of ``exchange lookup --json`` plus each certificate's source."""

from __future__ import annotations

import argparse
import json
from typing import Any

from desktop_app.cli.exit_codes import EXIT_OK, EXIT_USAGE
from desktop_app.cli.lifecycle_render import source_name
from desktop_app.cli.lookup_lines import result_lines
from desktop_app.cli.output import report_error
from desktop_app.cli.time_arguments import parse_time
from desktop_app.core.messages import text
from desktop_app.core.recipients.addresses import parse_mailbox
from desktop_app.core.recipients.evidence import gather_evidence
from desktop_app.core.recipients.status import (
    Draft,
    Evidence,
    Lookup,
    RecipientStatus,
    decide,
)
from desktop_app.services.certificates.consult import Consulted, evidence_for
from desktop_app.services.certificates.pins import load_pins
from desktop_app.services.certificates.registry import ask_sources, configured_sources
from desktop_app.services.certificates.source import FindingKind
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.paths import store_path
from desktop_app.services.trust_anchors import certificate_judge, trust_for


def _kind(consulted: Consulted, key: str) -> str:
    kinds = {f.kind for f in consulted.findings.get(key, ())}
    for kind in (FindingKind.LIST, FindingKind.PERSON, FindingKind.UNREACHABLE):
        if kind in kinds:
            return "unresolved" if kind is FindingKind.UNREACHABLE else kind.value
    return FindingKind.UNKNOWN.value


def _primary(consulted: Consulted, key: str, fallback: str) -> str:
    for finding in consulted.findings.get(key, ()):
        if finding.primary:
            return finding.primary
    return fallback


def _attributes(consulted: Consulted) -> dict[tuple[str, str], str]:
    from desktop_app.core.pki.certificates import fingerprint_sha256

    return {
        (key, fingerprint_sha256(p.certificate)): p.attribute
        for key, found in consulted.certificates.items()
        for p in found
    }


def _result(
    status: RecipientStatus,
    evidence: Evidence,
    consulted: Consulted,
    attributes: dict[tuple[str, str], str],
    query: str,
) -> dict[str, Any]:
    key = status.mailbox.key
    lookup = evidence.lookups.get(key, Lookup())
    certificates: list[dict[str, Any]] = [
        {
            "sha256": c.fingerprint,
            "attribute": attributes.get((key, c.fingerprint), "store"),
            "status": c.verdict.code.value,
            "reason": c.verdict.reason,
            "source": source_name(c.source),
            "not_after": c.not_after.isoformat(),
            "chosen": status.certificate is not None
            and status.certificate.fingerprint == c.fingerprint,
        }
        for c in lookup.candidates
    ]
    certificates += [
        {
            "sha256": None,
            "attribute": attribute,
            "status": "unreadable",
            "reason": text("directory.unreadable_value"),
            "source": source,
        }
        for source, attribute in consulted.unreadable.get(key, ())
    ]
    return {
        "query": query,
        "address": _primary(consulted, key, status.mailbox.address),
        "kind": _kind(consulted, key),
        "status": status.code.value,
        "reason": status.reason,
        "certificates": certificates,
        "members": [
            _result(member, evidence, consulted, attributes, member.mailbox.address)
            for member in status.members
        ],
    }


def _certificate_line(certificate: dict[str, Any]) -> str:
    fingerprint = (certificate["sha256"] or "-")[:16]
    chosen = "  (used)" if certificate.get("chosen") else ""
    return (
        f"{certificate['source']} {certificate['attribute']}: {fingerprint} "
        f"{certificate['status']}  {certificate['reason']}{chosen}"
    )


def run_lookup(arguments: argparse.Namespace, access: MailAccess) -> int:
    home = access.home
    at = parse_time(arguments.at)
    mailboxes = [parse_mailbox(address) for address in arguments.addresses]
    sources = configured_sources(access)
    with CertStore.open(store_path(home)) as store:
        try:
            keys = [m.key for m in mailboxes]
            consulted = ask_sources(sources, keys, store, access.clock(), offline=arguments.offline)
        finally:
            for source, _ in sources:
                source.close()
        lookups = evidence_for(consulted, at, trust_for(store))
        judge = certificate_judge(store, at)
        pins = load_pins(home)
        attributes = _attributes(consulted)
        results = []
        for mailbox in mailboxes:
            draft = Draft(to=(mailbox,))
            evidence = gather_evidence(draft, judge, lookups, pins)
            status = decide(draft, evidence).recipients[0]
            results.append(_result(status, evidence, consulted, attributes, mailbox.address))
    if arguments.json:
        print(json.dumps({"results": results}, ensure_ascii=False, indent=2))
    else:
        print(
            "\n".join(
                line for result in results for line in result_lines(result, _certificate_line)
            )
        )
    failures = [
        f.failure
        for found in consulted.findings.values()
        for f in found
        if f.kind is FindingKind.UNREACHABLE and f.failure
    ]
    if failures:
        report_error(failures[0])
        return EXIT_USAGE
    return EXIT_OK
