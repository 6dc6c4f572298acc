"""What ``check`` and ``seal`` share about a draft: its address options, and the evidence
every LDAP directory and admin bundle set up adds to the Exchange directory's."""

import argparse
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

from desktop_app.cli.output import report_error
from desktop_app.core.recipients.addresses import Mailbox, parse_address_list
from desktop_app.core.recipients.status import Draft, Lookup
from desktop_app.services.certificates.consult import merge_lookups
from desktop_app.services.certificates.registry import source_lookups
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.clock import utc_now
from desktop_app.services.secrets import SecretStore


def address_field(values: list[str]) -> tuple[Mailbox, ...]:
    """The mailboxes of a repeatable address option (``--to``, ``--cc``, ``--bcc``)."""
    return tuple(mailbox for value in values for mailbox in parse_address_list(value))


def with_configured_sources(
    arguments: argparse.Namespace,
    home: Path,
    draft: Draft,
    store: CertStore,
    at: datetime,
    lookups: Mapping[str, Lookup],
    open_secrets: Callable[[], SecretStore],
) -> dict[str, Lookup]:
    """``lookups`` with every configured source's evidence for ``draft`` (labelled)."""
    return merge_lookups(
        lookups,
        source_lookups(
            home,
            draft,
            store,
            at,
            offline=arguments.offline,
            open_secrets=open_secrets,
            clock=utc_now,
            warn=report_error,
        ),
    )
