"""What the directories say of a whole draft before it is checked or sealed: the mail
account's directory first (which also resolves X.500 recipients), then every configured
LDAP directory and admin bundle, translated once (``consult.evidence_for``).

``check`` and ``seal`` on the command line and the compose window's sealer all come here,
so a list the window showed as covered is sealed to each of its members.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from desktop_app.services.certificates.consult import Consulted, evidence_for

if TYPE_CHECKING:
    from desktop_app.core.recipients.status import Draft, Lookup
    from desktop_app.services.certstore.store import CertStore


@dataclass(frozen=True)
class DraftConsulted:
    """The draft with X.500 recipients resolved, and what a directory found for its
    recipients (not yet evidence)."""

    draft: Draft
    consulted: Consulted


class AccountDirectoryAsk(Protocol):
    """Asks the mail account's directory (Exchange's address list, Microsoft Graph) about
    a draft's recipients; raises a ``UserFacingError`` when it cannot be asked."""

    def __call__(self, draft: Draft, store: CertStore) -> DraftConsulted: ...


# What the configured sources say of these addresses (certificates found are kept).
ConfiguredAsk = Callable[[Sequence[str], "CertStore"], Consulted]


@dataclass(frozen=True)
class DirectoryFindings:
    """The draft with X.500 recipients resolved, and the evidence the directories add
    (see ``core.recipients.evidence.with_directory``)."""

    draft: Draft
    lookups: dict[str, Lookup]


def recipient_keys(draft: Draft) -> list[str]:
    return [m.key for m in draft.recipients]


def draft_evidence(
    draft: Draft,
    store: CertStore,
    at: datetime,
    *,
    account: AccountDirectoryAsk | None,
    configured: ConfiguredAsk | None,
) -> DirectoryFindings:
    """What ``account``'s directory and then the ``configured`` sources say of ``draft``'s
    recipients, as evidence at ``at``."""
    from desktop_app.services.trust_anchors import trust_for

    consulted = Consulted()
    if account is not None:
        asked = account(draft, store)
        draft, consulted = asked.draft, asked.consulted
    if configured is not None:
        consulted.take(configured(recipient_keys(draft), store))
    return DirectoryFindings(draft, evidence_for(consulted, at, trust_for(store)))
