"""``smime-guard check``: the verdict for a draft, as a table or as JSON."""

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable
from pathlib import Path

from desktop_app.cli.exit_codes import EXIT_ENCRYPTED, EXIT_NOT_ENCRYPTED, EXIT_USAGE
from desktop_app.cli.lifecycle_render import add_lifecycle, lifecycle_lines
from desktop_app.cli.output import report_error
from desktop_app.cli.render import render_invalid_json, render_status_json, render_status_table
from desktop_app.cli.time_arguments import parse_time
from desktop_app.core.errors import UserFacingError
from desktop_app.core.pki.certstore import CertStore
from desktop_app.core.recipients.addresses import Mailbox, parse_address_list, parse_mailbox
from desktop_app.core.recipients.evidence import gather_evidence
from desktop_app.core.recipients.lifecycle import stale_pins
from desktop_app.core.recipients.replies import ComposeAction, parse_original, prefill
from desktop_app.core.recipients.status import Draft, Overall, decide
from desktop_app.services.certificates.consult import merge_lookups
from desktop_app.services.certificates.pins import drop_pins, load_pins
from desktop_app.services.certificates.registry import source_lookups
from desktop_app.services.clock import utc_now
from desktop_app.services.exchange.draft_lookup import directory_findings
from desktop_app.services.files import read_input_file
from desktop_app.services.paths import store_path
from desktop_app.services.secrets import SecretStore, system_secret_store
from desktop_app.services.trust_anchors import certificate_judge


def _field(values: list[str]) -> tuple[Mailbox, ...]:
    return tuple(mailbox for value in values for mailbox in parse_address_list(value))


def build_draft(arguments: argparse.Namespace) -> Draft:
    """The draft the arguments describe: prefilled from an original message, plus extras."""
    sender = parse_mailbox(arguments.sender) if arguments.sender else None
    to, cc, bcc = _field(arguments.to), _field(arguments.cc), _field(arguments.bcc)
    for action, path in (
        (ComposeAction.REPLY, arguments.reply),
        (ComposeAction.REPLY_ALL, arguments.reply_all),
        (ComposeAction.FORWARD, arguments.forward),
    ):
        if path is not None:
            original = parse_original(read_input_file(Path(path)))
            own = frozenset({sender.key}) if sender else frozenset()
            filled = prefill(original, action, own)
            to, cc = filled.to + to, filled.cc + cc
    return Draft(to=to, cc=cc, bcc=bcc, sender=sender)


def run_check(
    arguments: argparse.Namespace,
    home: Path,
    *,
    open_secrets: Callable[[], SecretStore] = system_secret_store,
) -> int:
    """Check; with an Exchange account (and not --offline) the directory is asked first."""
    at = parse_time(arguments.at)
    try:
        draft = build_draft(arguments)
    except UserFacingError as error:
        if arguments.json:
            print(render_invalid_json(error))
        report_error(error.message)
        return EXIT_USAGE
    with CertStore.open(store_path(home)) as store:
        found = directory_findings(
            home,
            draft,
            store,
            at,
            offline=arguments.offline,
            open_secrets=open_secrets,
            clock=utc_now,
        )
        # Then every LDAP directory and admin bundle set up (their evidence, labelled).
        found = dataclasses.replace(
            found,
            lookups=merge_lookups(
                found.lookups,
                source_lookups(
                    home,
                    found.draft,
                    store,
                    at,
                    offline=arguments.offline,
                    open_secrets=open_secrets,
                    clock=utc_now,
                ),
            ),
        )
        pins = load_pins(home)
        evidence = gather_evidence(found.draft, certificate_judge(store, at), found.lookups, pins)
        status = decide(found.draft, evidence)
    drop_pins(home, stale_pins(pins, evidence))
    if arguments.json:
        document = add_lifecycle(render_status_json(status), status, evidence, at)
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        print(render_status_table(status, sys.stdout.encoding))
        for line in lifecycle_lines(status, at):
            print(line)
    return EXIT_ENCRYPTED if status.overall is Overall.ENCRYPTED else EXIT_NOT_ENCRYPTED
