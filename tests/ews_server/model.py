"""What the EWS test server knows: its directory, a mailbox, what it received, and faults."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class DirectoryEntry:
    """A mailbox, mail contact or distribution list of the global address list.

    ``smime`` and ``exchange`` are the raw blobs published in userSMIMECertificate and
    userCertificate (EWS: UserSMIMECertificate and MSExchangeCertificate): DER
    certificates, PKCS#7 bundles, or whatever a test wants to break things with.
    """

    address: str
    name: str
    mailbox_type: str = "Mailbox"  # "Mailbox", "Contact", "PublicDL"
    legacy_dn: str | None = None
    smime: list[bytes] = field(default_factory=list)
    exchange: list[bytes] = field(default_factory=list)
    members: list[str] = field(default_factory=list)  # addresses, for a PublicDL


@dataclass
class StoredItem:
    """A message in a folder of the test mailbox."""

    item_id: str
    folder: str
    mime: bytes
    subject: str = ""
    sender: str = ""
    received: datetime | None = None


@dataclass(frozen=True)
class ReceivedMessage:
    """What one CreateItem request asked the server to do with one message."""

    mime: bytes
    disposition: str
    saved_folder: str | None


@dataclass
class Fault:
    """One injected failure, for ``remaining`` requests of ``operation`` (None: any)."""

    kind: str  # "server_busy", "http500", "http503", "malformed", "timeout", "delay"
    operation: str | None = None
    remaining: int = 1
    back_off_ms: int = 0
    delay: float = 0.0


class Faults:
    """Latency and one-shot faults, shared by the server's request threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[Fault] = []
        self.latency = 0.0

    def add(
        self,
        kind: str,
        operation: str | None = None,
        *,
        times: int = 1,
        back_off_ms: float = 0,
        delay: float = 0.0,
    ) -> None:
        """Fail the next ``times`` requests of ``operation`` (None: any) with ``kind``."""
        fault = Fault(kind, operation, times, int(back_off_ms), delay)
        with self._lock:
            self._pending.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()
        self.latency = 0.0

    def take(self, operation: str) -> Fault | None:
        """The fault that applies to this request, if any, counting it down."""
        with self._lock:
            for fault in self._pending:
                if fault.operation in (None, operation):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._pending.remove(fault)
                    return fault
        return None


class ServerState:
    """Directory, mailbox and records of one test server; tests change it between calls."""

    def __init__(self, mailbox_owner: str) -> None:
        self.lock = threading.Lock()
        self.owner = mailbox_owner
        self.entries: dict[str, DirectoryEntry] = {}
        self.items: list[StoredItem] = []
        self.received: list[ReceivedMessage] = []
        self.operations: list[str] = []
        self.requests: list[bytes] = []
        self.faults = Faults()

    # directory -------------------------------------------------------------------
    def add(self, entry: DirectoryEntry) -> DirectoryEntry:
        with self.lock:
            self.entries[entry.address.lower()] = entry
        return entry

    def mailbox(
        self,
        address: str,
        name: str | None = None,
        *,
        smime: list[bytes] | None = None,
        exchange: list[bytes] | None = None,
        legacy_dn: str | None = None,
    ) -> DirectoryEntry:
        return self.add(
            DirectoryEntry(
                address,
                name or address.partition("@")[0].title(),
                legacy_dn=legacy_dn,
                smime=list(smime or []),
                exchange=list(exchange or []),
            )
        )

    def distribution_list(
        self, address: str, members: list[str], name: str | None = None
    ) -> DirectoryEntry:
        return self.add(
            DirectoryEntry(
                address,
                name or address.partition("@")[0].title(),
                mailbox_type="PublicDL",
                members=list(members),
            )
        )

    def find(self, name: str) -> list[DirectoryEntry]:
        """Entries matching an UnresolvedEntry: a primary SMTP address or a legacyDN.

        Like Exchange, a bare address matches the primary SMTP address only, and an
        "smtp:" prefix is accepted; a legacyDN (X.500, starting with "/") matches
        exchangeLegacyDN without regard to case.
        """
        wanted = name.strip()
        if wanted.lower().startswith("smtp:"):
            wanted = wanted[5:]
        with self.lock:
            if wanted.startswith("/"):
                return [
                    entry
                    for entry in self.entries.values()
                    if entry.legacy_dn is not None and entry.legacy_dn.lower() == wanted.lower()
                ]
            entry = self.entries.get(wanted.lower())
            return [entry] if entry is not None else []

    # mailbox ---------------------------------------------------------------------
    def deliver(self, item: StoredItem) -> None:
        with self.lock:
            self.items.append(item)

    def folder_items(self, folder: str) -> list[StoredItem]:
        with self.lock:
            return [item for item in self.items if item.folder == folder]

    def item(self, item_id: str) -> StoredItem | None:
        with self.lock:
            return next((item for item in self.items if item.item_id == item_id), None)

    def record(self, operation: str, body: bytes) -> None:
        with self.lock:
            self.operations.append(operation)
            self.requests.append(body)

    def requests_of(self, operation: str) -> list[bytes]:
        """The bodies of the requests for ``operation`` so far, in order."""
        with self.lock:
            return [
                body
                for name, body in zip(self.operations, self.requests, strict=True)
                if name == operation
            ]

    def receive(self, message: ReceivedMessage) -> None:
        with self.lock:
            self.received.append(message)
