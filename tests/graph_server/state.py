"""What the Graph test server holds: mailbox, directory, faults and what it was asked."""

from __future__ import annotations

import email.parser
import email.policy
import email.utils
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class StoredMessage:
    """A message in a folder: its Graph id and the MIME exactly as stored."""

    id: str
    mime: bytes
    received: datetime

    def header(self, name: str) -> str:
        parsed = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(self.mime)
        return str(parsed.get(name, ""))

    @property
    def recipients(self) -> tuple[str, ...]:
        """Every address of To, Cc and Bcc: whom Exchange Online would deliver to."""
        parsed = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(self.mime)
        values = [str(v) for name in ("To", "Cc", "Bcc") for v in parsed.get_all(name, [])]
        return tuple(address for _, address in email.utils.getaddresses(values) if address)


@dataclass(frozen=True)
class Fault:
    """One injected failure for the next request whose path ends with ``path`` (any if
    empty): ``status`` 429, 503, 504 (with ``retry_after``), "timeout" (no answer for
    ``hang`` seconds), "lost_answer" (carried out, but no answer for ``hang`` seconds),
    or "malformed" (200 with a body that is not JSON)."""

    kind: str
    path: str = ""
    retry_after: int | None = None
    hang: float = 3.0


@dataclass
class GraphState:
    """Change between requests; every field is read under ``lock``."""

    owner: str
    accept_token: object = None  # set by the server: callable(token) -> bool
    inbox: list[StoredMessage] = field(default_factory=list)  # newest first
    sent: list[StoredMessage] = field(default_factory=list)
    drafts: list[StoredMessage] = field(default_factory=list)
    users: dict[str, str] = field(default_factory=dict)  # mail -> displayName
    groups: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # mail -> name, members
    dynamic_lists: dict[str, int] = field(default_factory=dict)  # mail -> member count
    faults: list[Fault] = field(default_factory=list)
    m365_domains: set[str] = field(default_factory=set)  # Autodiscover v2 says Exchange Online
    latency: float = 0.0  # seconds every answer waits (a far-away Graph, for benchmarks)
    requests: Counter[str] = field(default_factory=Counter)  # "POST /me/sendMail" -> n
    bodies_seen: list[bytes] = field(default_factory=list)  # every request body, for leaks
    authorization_seen: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take_fault(self, path: str) -> Fault | None:
        with self.lock:
            for index, fault in enumerate(self.faults):
                if not fault.path or path.endswith(fault.path):
                    return self.faults.pop(index)
        return None
