"""What the directories say of a draft for ``check`` and ``seal``: Exchange's address list
(with an account, and not ``--offline``), then every configured source, as evidence
(``certificates.draft_evidence``, which the window's sealer uses too)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from desktop_app.cli.output import report_error
from desktop_app.core.recipients.status import Draft, Lookup
from desktop_app.services.certificates.draft_evidence import AccountDirectoryAsk, draft_evidence
from desktop_app.services.certificates.registry import consult_sources
from desktop_app.services.exchange.account import account_configured

if TYPE_CHECKING:
    from desktop_app.services.certificates.consult import Consulted
    from desktop_app.services.certstore.store import CertStore
    from desktop_app.services.mail_access import MailAccess


def directories_evidence(
    access: MailAccess, draft: Draft, store: CertStore, at: datetime, *, offline: bool
) -> tuple[Draft, dict[str, Lookup]]:
    """The draft with X.500 recipients resolved, and the evidence the directories add;
    without an account (or ``offline``) the Exchange code is not even loaded."""
    account: AccountDirectoryAsk | None = None
    if not offline and account_configured(access.home):
        from desktop_app.services.exchange.gal_search import consult_directory

        account = functools.partial(consult_directory, access)

    def configured(keys: Sequence[str], asked_store: CertStore) -> Consulted:
        # Every LDAP directory and admin bundle set up (their certificates labelled).
        return consult_sources(access, keys, asked_store, offline=offline, warn=report_error)

    found = draft_evidence(draft, store, at, account=account, configured=configured)
    return found.draft, found.lookups
