"""What the account-kind contract tests need from each kind's real or test servers.

Every account kind passes the same end-to-end tests (``test_contract.py``). A kind joins
by giving a ``<kind>_harness`` fixture that returns a ``KindHarness`` with an account
already added, and by adding its name to ``KINDS`` in ``conftest.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from tests.services.exchange.conftest import Outcome


class AccountCli(Protocol):
    """``smime-guard ...`` run in-process against one home (see tests/services/graph)."""

    home: Path
    outputs: list[str]  # every stdout and stderr so far, for leak checks

    def __call__(self, *args: str) -> Outcome: ...


class KindHarness(Protocol):
    """One account of a kind, signed in, and its servers seen from the outside."""

    cli: AccountCli
    account: str  # the account's name, for --account

    def add_to_inbox(self, mime: bytes) -> None:
        """Deliver ``mime`` to the account's inbox, newest."""
        ...

    def delivered(self) -> list[tuple[tuple[str, ...], bytes]]:
        """Every message the server accepted for delivery: envelope recipients (or the
        header recipients where the server takes them from there) and the bytes."""
        ...

    def sent_folder(self) -> list[bytes]:
        """What the account's Sent folder holds."""
        ...

    def server_drafts(self) -> list[bytes]:
        """What the account's Drafts folder holds."""
        ...

    def fail_next_send(self) -> None:
        """Make the next submission fail in a way that is worth trying again."""
        ...

    def save_draft(self, sealed: bytes) -> None:
        """Put ``sealed`` in the Drafts folder through the kind's MailboxSource."""
        ...

    def secrets(self) -> list[str]:
        """Every token or password handed out or stored: none may appear anywhere."""
        ...
