"""``smime-guard exchange lookup``: what Exchange's address list says of addresses, judged.

The directory gives evidence only; each address's status is the one rule's (``decide``),
weighed under the policy's revocation setting as ``check`` weighs it.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from desktop_app.cli.lookup_lines import result_lines
from desktop_app.core.errors import UserFacingError
from desktop_app.core.recipients.status import Draft, Evidence, Lookup, RecipientStatus, decide

if TYPE_CHECKING:
    from desktop_app.services.certificates.consult import Consulted
    from desktop_app.services.exchange.gal_findings import GalEntry
    from desktop_app.services.mail_access import MailAccess

LOOKUP_FAILED = "The directory did not answer for {address}: {failure}"
UNREADABLE = "unreadable"  # the status of a published value that is no certificate


class LookupFailedError(UserFacingError):
    """The directory did not answer for an address."""


def _kind(entry: GalEntry) -> str:
    from desktop_app.services.certificates.source import FindingKind

    kind = entry.finding.kind
    return FindingKind.UNRESOLVED.value if kind is FindingKind.UNREACHABLE else kind.value


def _certificates(entry: GalEntry, consulted: Consulted, lookup: Lookup) -> list[dict[str, Any]]:
    """Each value the entry published, in order: its certificates with their verdicts."""
    from desktop_app.core.pki.certificates import fingerprint_sha256, is_ca

    judged = {c.fingerprint: c for c in lookup.candidates}
    found: list[dict[str, Any]] = []
    for value in consulted.values.get(entry.mailbox.key, ()):
        if value.unreadable is not None:
            found.append(
                {
                    "sha256": None,
                    "attribute": value.attribute,
                    "status": UNREADABLE,
                    "reason": value.unreadable,
                }
            )
        for certificate in value.certificates:
            if is_ca(certificate):
                continue  # a chain sent along in PKCS#7
            verdict = judged[fingerprint_sha256(certificate)].verdict
            found.append(
                {
                    "sha256": fingerprint_sha256(certificate),
                    "attribute": value.attribute,
                    "status": verdict.code.value,
                    "reason": verdict.reason,
                }
            )
    return found


def _result(
    entry: GalEntry, evidence: Evidence, directory: dict[str, Lookup], consulted: Consulted
) -> dict[str, Any]:
    """The ``exchange lookup --json`` object of one entry (a contract: add keys only)."""
    status: RecipientStatus = decide(Draft(to=(entry.mailbox,)), evidence).recipients[0]
    key = entry.mailbox.key
    return {
        "query": entry.query,
        "address": entry.address,
        "kind": _kind(entry),
        "status": status.code.value,
        "reason": status.reason,
        "certificates": _certificates(entry, consulted, directory.get(key, Lookup())),
        "members": [_result(m, evidence, directory, consulted) for m in entry.members],
    }


def _certificate_line(finding: dict[str, Any]) -> str:
    fingerprint = finding["sha256"][:16] + "…" if finding["sha256"] else "-"
    return f"{finding['attribute']}: {fingerprint} {finding['status']}  {finding['reason']}"


def run_lookup(arguments: argparse.Namespace, access: MailAccess) -> int:
    """Look ``arguments.addresses`` up and print each one's status; exit 0, or raise."""
    from desktop_app.cli.exit_codes import EXIT_OK
    from desktop_app.cli.time_arguments import parse_time
    from desktop_app.core.recipients.addresses import parse_mailbox
    from desktop_app.core.recipients.evidence import with_directory
    from desktop_app.services.certificates.consult import Consulted, answered, evidence_for
    from desktop_app.services.certstore.store import CertStore
    from desktop_app.services.exchange.account import load_exchange_account
    from desktop_app.services.exchange.gal_search import search_gal
    from desktop_app.services.paths import store_path
    from desktop_app.services.policy_files import load_policy
    from desktop_app.services.revocation.crl_cache import crl_cache_beside
    from desktop_app.services.revocation.weigh import revocation_weighed
    from desktop_app.services.trust_anchors import certificate_judge

    home = access.home
    at = parse_time(arguments.at)
    mailboxes = [parse_mailbox(address) for address in arguments.addresses]
    load_exchange_account(home)  # no account: said before the store is touched
    with CertStore.open(store_path(home)) as store:
        entries = search_gal(access, mailboxes, store)
        for entry in entries:
            for one in (entry, *entry.members):
                if one.failure is not None:
                    address = one.address or one.query
                    raise LookupFailedError(
                        LOOKUP_FAILED.format(address=address, failure=one.failure)
                    )
        consulted = Consulted()
        for entry in entries:
            for one in (entry, *entry.members):
                consulted.add(one.mailbox.key, one.finding)
        judge = certificate_judge(store, at)
        directory = evidence_for(consulted, at, judge.trust)
        members = [m.key for lookup in directory.values() for m in lookup.members or ()]
        stored = judge.collect(dict.fromkeys([*consulted.findings, *members]))
        evidence = revocation_weighed(
            with_directory(stored, directory, answered(consulted)),
            judge,
            store,
            load_policy(home).policy.revocation,
            offline=False,
            cache=crl_cache_beside(store_path(home)),
        )
        results = [_result(entry, evidence, directory, consulted) for entry in entries]
    if arguments.json:
        print(json.dumps({"results": results}, ensure_ascii=False, indent=2))
    else:
        print(
            "\n".join(
                line for result in results for line in result_lines(result, _certificate_line)
            )
        )
    return EXIT_OK
