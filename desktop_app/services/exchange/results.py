"""What a directory lookup found for each address, judged with the core rules."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from desktop_app.core.recipients.status import StatusCode
from desktop_app.services.exchange.model import CertificateAttribute

# A published value that is not a certificate (or PKCS#7 bundle of them) at all.
UNREADABLE = "unreadable"


class RecipientKind(StrEnum):
    """What the directory says an address is."""

    MAILBOX = "mailbox"  # in the directory; its certificates come from there
    LIST = "list"  # a distribution list, judged by its members
    EXTERNAL = "external"  # unknown to the directory: only the local store can help
    UNRESOLVED = "unresolved"  # an X.500 address it could not resolve, or no answer


@dataclass(frozen=True, slots=True)
class CertificateFinding:
    """One certificate published for an address, and its verdict for that address.

    ``status`` is a ``CertCode`` value, or ``UNREADABLE`` (then ``sha256`` is None).
    """

    attribute: CertificateAttribute
    sha256: str | None
    status: str
    reason: str


@dataclass(frozen=True, slots=True)
class DirectoryResult:
    """The directory's answer for one address, with the one rule's status for it.

    ``address`` is the primary SMTP address (None when unresolved), ``name`` the
    directory's display name for it (not in the JSON: its contract); for a list,
    ``members`` are its members flattened through nested lists, and ``status`` is OK
    only when every member's is. ``failure`` says why the lookup itself failed.
    """

    query: str
    address: str | None
    kind: RecipientKind
    status: StatusCode
    reason: str
    certificates: tuple[CertificateFinding, ...] = ()
    members: tuple[DirectoryResult, ...] = ()
    failure: str | None = None
    name: str = ""

    @property
    def covered(self) -> bool:
        return self.status is StatusCode.OK

    @property
    def uncovered_members(self) -> tuple[DirectoryResult, ...]:
        return tuple(member for member in self.members if not member.covered)


def result_json(result: DirectoryResult) -> dict[str, object]:
    """The ``exchange lookup --json`` object of one result (a contract: add keys only)."""
    return {
        "query": result.query,
        "address": result.address,
        "kind": result.kind.value,
        "status": result.status.value,
        "reason": result.reason,
        "certificates": [
            {
                "sha256": finding.sha256,
                "attribute": finding.attribute.value,
                "status": finding.status,
                "reason": finding.reason,
            }
            for finding in result.certificates
        ],
        "members": [result_json(member) for member in result.members],
    }
