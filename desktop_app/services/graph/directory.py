"""What Microsoft Graph says about recipients: MailTips, mailbox or list, list members.

Evidence only (no verdict): Graph has no recipient certificates, so a mailbox found here
still needs one from the store, LDAP, an admin bundle or harvesting. A dynamic
distribution group is not an Entra group: Graph cannot list its members, so they are
"unknown" and the list is never covered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from desktop_app.services.graph.client import GraphClient
from desktop_app.services.graph.mail import _odata_text
from desktop_app.services.mailtips import MailTip

MAILTIPS_OPTIONS = (
    "recipientScope, externalMemberCount, totalMemberCount, deliveryRestriction, mailboxFullStatus"
)
MEMBER_PAGE = 100


class EntryKind(StrEnum):
    MAILBOX = "mailbox"  # a user of the organisation
    LIST = "list"  # an Entra group with a mail address: members listed
    LIST_MEMBERS_UNKNOWN = "list_members_unknown"  # a list Graph cannot expand
    EXTERNAL = "external"  # unknown to the organisation


@dataclass(frozen=True, slots=True)
class Member:
    address: str
    name: str


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    """One address as Graph knows it; ``members`` only for a list whose members are known,
    flattened through nested groups (``transitiveMembers``)."""

    address: str
    kind: EntryKind
    name: str = ""
    members: tuple[Member, ...] = ()
    truncated: bool = False  # more members than the cap: never covered


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class GraphDirectory:
    """Lookups for one signed-in user; permissions Mail.Read (MailTips), User.ReadBasic.All,
    GroupMember.Read.All (admin consent)."""

    def __init__(self, graph: GraphClient, member_cap: int = 500) -> None:
        self._graph = graph
        self._member_cap = member_cap

    def mail_tips(self, addresses: Sequence[str]) -> tuple[MailTip, ...]:
        response = self._graph.request(
            "POST",
            "/me/getMailTips",
            json_body={"EmailAddresses": list(addresses), "MailTipsOptions": MAILTIPS_OPTIONS},
        )
        tips: dict[str, MailTip] = {}
        for entry in self._graph.json_of(response).get("value") or []:
            if not isinstance(entry, dict):
                continue
            address = str((entry.get("emailAddress") or {}).get("address") or "")
            error = entry.get("error")
            tips[address.lower()] = MailTip(
                address,
                invalid=isinstance(error, dict) and error.get("code") == "InvalidRecipient",
                total_members=_int(entry.get("totalMemberCount")),
                external_members=_int(entry.get("externalMemberCount")),
            )
        return tuple(
            tips.get(address.lower(), MailTip(address, False, None, None)) for address in addresses
        )

    def _first(self, collection: str, address: str) -> dict[str, Any] | None:
        document = self._graph.get_json(
            f"/{collection}",
            {"$filter": f"mail eq {_odata_text(address)}", "$select": "id,displayName,mail"},
        )
        value = document.get("value")
        return (
            value[0] if isinstance(value, list) and value and isinstance(value[0], dict) else None
        )

    def find(self, address: str) -> DirectoryEntry:
        user = self._first("users", address)
        if user is not None:
            return DirectoryEntry(address, EntryKind.MAILBOX, str(user.get("displayName") or ""))
        group = self._first("groups", address)
        if group is not None:
            members, truncated = self._members(str(group["id"]))
            name = str(group.get("displayName") or "")
            return DirectoryEntry(address, EntryKind.LIST, name, members, truncated)
        [tip] = self.mail_tips([address])
        if tip.total_members:
            return DirectoryEntry(address, EntryKind.LIST_MEMBERS_UNKNOWN)
        return DirectoryEntry(address, EntryKind.EXTERNAL)

    def _members(self, group_id: str) -> tuple[tuple[Member, ...], bool]:
        from urllib.parse import quote

        link: str | None = (
            f"/groups/{quote(group_id, safe='')}/transitiveMembers/microsoft.graph.user"
        )
        params: dict[str, str] | None = {"$select": "mail,displayName", "$top": str(MEMBER_PAGE)}
        members: list[Member] = []
        while link is not None:
            document = self._graph.get_json(link, params)
            params = None  # the next link carries them
            for entry in document.get("value") or []:
                if isinstance(entry, dict) and entry.get("mail"):
                    members.append(Member(str(entry["mail"]), str(entry.get("displayName") or "")))
            if len(members) > self._member_cap:
                return tuple(members[: self._member_cap]), True
            next_link = document.get("@odata.nextLink")
            link = next_link if isinstance(next_link, str) else None
        return tuple(members), False

    def close(self) -> None:
        self._graph.close()
