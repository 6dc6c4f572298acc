"""What the directories say of a draft for ``check`` and ``seal``: Exchange's address list
(with an account, and not ``--offline``), then every configured source, each a
``CertificateSource`` asked through ``consult``, as evidence."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from desktop_app.cli.output import report_error
from desktop_app.core.recipients.status import Draft, Lookup
from desktop_app.services.certificates.consult import Asked, consult, evidence_for
from desktop_app.services.certificates.registry import consult_sources, trust_for
from desktop_app.services.exchange.account import account_configured

if TYPE_CHECKING:
    from desktop_app.services.certstore.store import CertStore
    from desktop_app.services.mail_access import MailAccess


def draft_evidence(
    access: MailAccess, draft: Draft, store: CertStore, at: datetime, *, offline: bool
) -> tuple[Draft, dict[str, Lookup]]:
    """The draft with X.500 recipients resolved, and the evidence the directories add;
    without an account (or ``offline``) the Exchange code is not even loaded."""
    account: list[Asked] = []
    if not offline and account_configured(access.home):
        from desktop_app.services.exchange.gal_search import consult_gal

        draft, answers = consult_gal(access, draft, store)
        account.append((answers, None))
    keys = [m.key for m in (*draft.to, *draft.cc, *draft.bcc)]
    consulted = consult(account, keys)
    # Then every LDAP directory and admin bundle set up (their certificates labelled).
    consulted.take(consult_sources(access, keys, store, offline=offline, warn=report_error))
    return draft, evidence_for(consulted, at, trust_for(store))
