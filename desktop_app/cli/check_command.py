"""``smime-guard check``: the verdict for a draft, as a table or as JSON."""

import argparse
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from desktop_app.cli.check_phi import phi_check
from desktop_app.cli.directory_evidence import directories_evidence
from desktop_app.cli.draft_sources import address_field
from desktop_app.cli.exit_codes import EXIT_ENCRYPTED, EXIT_NOT_ENCRYPTED, EXIT_USAGE
from desktop_app.cli.lifecycle_render import add_lifecycle, lifecycle_lines
from desktop_app.cli.output import report_error
from desktop_app.cli.render import render_invalid_json, render_status_json, render_status_table
from desktop_app.cli.time_arguments import parse_time
from desktop_app.core.errors import UserFacingError
from desktop_app.core.recipients.addresses import Mailbox, parse_mailbox
from desktop_app.core.recipients.evidence import gather_evidence
from desktop_app.core.recipients.legacy_dn import legacy_dns, resolve_original
from desktop_app.core.recipients.lifecycle import stale_pins
from desktop_app.core.recipients.normalise import address_key
from desktop_app.core.recipients.replies import (
    ComposeAction,
    OriginalMessage,
    parse_original,
    prefill,
)
from desktop_app.core.recipients.status import Draft, Overall, decide
from desktop_app.services.certificates.pins import drop_pins, load_pins
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.exchange.account import account_configured, load_exchange_account
from desktop_app.services.exchange.gal_search import resolve_legacy_dns
from desktop_app.services.files import read_input_file
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.paths import store_path
from desktop_app.services.policy_files import load_policy
from desktop_app.services.revocation.crl_cache import crl_cache_beside
from desktop_app.services.revocation.weigh import revocation_weighed
from desktop_app.services.trust_anchors import certificate_judge

Resolver = Callable[[Sequence[str]], Mapping[str, Mailbox]]


def _originals(arguments: argparse.Namespace) -> list[tuple[ComposeAction, OriginalMessage]]:
    return [
        (action, parse_original(read_input_file(Path(path))))
        for action, path in (
            (ComposeAction.REPLY, arguments.reply),
            (ComposeAction.REPLY_ALL, arguments.reply_all),
            (ComposeAction.FORWARD, arguments.forward),
        )
        if path is not None
    ]


def build_draft(
    arguments: argparse.Namespace,
    originals: list[tuple[ComposeAction, OriginalMessage]],
    resolve: Resolver | None = None,
    own_keys: frozenset[str] = frozenset(),
) -> Draft:
    """The draft the arguments describe: prefilled from the ``originals`` (read from the
    arguments' --reply, --reply-all and --forward files), plus extras.

    ``resolve`` gives the SMTP mailboxes of the original's X.500 addresses (the directory):
    they are put in place before the prefill, so that the user, named by an X.500 address
    in the original, is recognised and left out of a Reply All. ``own_keys`` are address
    keys left out besides ``--from``'s.
    """
    sender = parse_mailbox(arguments.sender) if arguments.sender else None
    to, cc, bcc = (address_field(values) for values in (arguments.to, arguments.cc, arguments.bcc))
    own = own_keys | ({sender.key} if sender else set())
    for action, original in originals:
        if resolve is not None and action is not ComposeAction.FORWARD:
            people = (*original.sender, *original.reply_to, *original.to, *original.cc)
            x500 = legacy_dns(people)
            if x500:
                original = resolve_original(original, resolve(x500))
        filled = prefill(original, action, frozenset(own))
        to, cc = filled.to + to, filled.cc + cc
    return Draft(to=to, cc=cc, bcc=bcc, sender=sender)


def _directory_resolver(access: MailAccess, store: CertStore) -> Resolver:
    def resolve(x500: Sequence[str]) -> Mapping[str, Mailbox]:
        return resolve_legacy_dns(access, x500, store)

    return resolve


def _account_keys(home: Path) -> frozenset[str]:
    """The Exchange account's own address: left out of a Reply All like ``--from``."""
    return frozenset({address_key(load_exchange_account(home).email)})


def run_check(arguments: argparse.Namespace, access: MailAccess) -> int:
    """Check; with an Exchange account (and not --offline) the directory is asked first."""
    home = access.home
    at = parse_time(arguments.at)
    offline = arguments.offline
    with CertStore.open(store_path(home)) as store:
        try:
            # Every file and address is read before the directory is asked anything.
            originals = _originals(arguments)
            draft = build_draft(arguments, originals)
            phi = phi_check(arguments, home)
        except UserFacingError as error:
            if arguments.json:
                print(render_invalid_json(error))
            report_error(error.message)
            return EXIT_USAGE
        if originals and not offline and account_configured(home):
            resolver = _directory_resolver(access, store)
            draft = build_draft(arguments, originals, resolver, _account_keys(home))
        draft, lookups = directories_evidence(access, draft, store, at, offline=arguments.offline)
        pins = load_pins(home)
        judge = certificate_judge(store, at)
        evidence = revocation_weighed(
            gather_evidence(draft, judge, lookups, pins),
            judge,
            store,
            load_policy(home).policy.revocation,
            offline=offline,
            cache=crl_cache_beside(store_path(home)),
        )
        status = decide(draft, evidence)
    drop_pins(home, stale_pins(pins, evidence))
    encrypted = status.overall is Overall.ENCRYPTED
    if arguments.json:
        document = add_lifecycle(render_status_json(status), status, evidence, at)
        phi.add_to_json(document)
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        print(render_status_table(status, sys.stdout.encoding))
        for line in (*lifecycle_lines(status, at), *phi.lines()):
            print(line)
    if arguments.phi_strict and phi.leaks(encrypted=encrypted):
        return EXIT_NOT_ENCRYPTED
    return EXIT_ENCRYPTED if encrypted else EXIT_NOT_ENCRYPTED
