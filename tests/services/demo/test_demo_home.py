"""The demo home: built once, quick to find again, every recipient status represented."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from desktop_app.core.recipients.addresses import parse_address_list
from desktop_app.core.recipients.replies import ComposeAction, parse_original, prefill
from desktop_app.core.recipients.status import Draft, Overall, StatusCode, decide
from desktop_app.services.certificates.directories import FolderDirectory
from desktop_app.services.certificates.evidence_gatherer import EvidenceGatherer
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.demo.errors import DemoError
from desktop_app.services.demo.home import (
    DEMO_VERSION,
    MARKER_FILE_NAME,
    DemoHome,
    ensure_demo_home,
    ready_demo_home,
)
from desktop_app.services.demo.pki import KEY_LABEL
from desktop_app.services.mailbox.source import FolderMessageListSource
from desktop_app.services.paths import resource_folder
from desktop_app.services.policy_files import load_policy
from tests.work import counting

NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
TEMPLATES = resource_folder() / "demo"
EVERYONE = (
    "you@clinic.example, lee@clinic.example, priya@clinic.example, sam@clinic.example, "
    "chris@clinic.example, morgan@clinic.example, pat@clinic.example, taylor@clinic.example, "
    "dana@partner.example, lee@cl\u0456nic.example"
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoHome:
    return ensure_demo_home(tmp_path_factory.mktemp("demo") / "home", TEMPLATES, NOW)


def test_every_status_is_represented(demo: DemoHome) -> None:
    mailboxes = parse_address_list(EVERYONE)
    with CertStore.open(demo.store) as store:
        lookup = EvidenceGatherer(store, lambda: NOW, FolderDirectory(demo.directory))
        status = decide(Draft(to=mailboxes), lookup.collect([m.key for m in mailboxes]))
    codes = {r.mailbox.address: r.code for r in status.recipients}
    assert codes == {
        "you@clinic.example": StatusCode.OK,  # RSA
        "lee@clinic.example": StatusCode.OK,  # EC P-256
        "priya@clinic.example": StatusCode.OK,  # RSA
        "sam@clinic.example": StatusCode.EXPIRED,
        "chris@clinic.example": StatusCode.REVOKED,
        "morgan@clinic.example": StatusCode.WRONG_USAGE,
        "pat@clinic.example": StatusCode.WRONG_USAGE,
        "taylor@clinic.example": StatusCode.NO_CERTIFICATE,
        "dana@partner.example": StatusCode.NO_CERTIFICATE,
        "lee@cl\u0456nic.example": StatusCode.NO_CERTIFICATE,
    }
    reasons = {r.mailbox.address: r.reason for r in status.recipients}
    assert "key usage" in reasons["morgan@clinic.example"]
    assert "p.quinn@northside-lab.example" in reasons["pat@clinic.example"]
    assert [n.code for n in status.notices] == ["lookalike_domain"]


def test_the_motivating_message_is_in_the_inbox(demo: DemoHome) -> None:
    source = FolderMessageListSource(demo.inbox, "Inbox")
    messages = source.list_messages()
    assert len(messages) >= 3
    first = source.fetch(messages[0].message_id)
    original = parse_original(first.raw)
    assert [m.address for m in original.sender] == ["dana@partner.example"]
    assert [m.address for m in original.to] == [demo.user_address]
    reply = prefill(original, ComposeAction.REPLY_ALL, frozenset({demo.user_address}))
    with CertStore.open(demo.store) as store:
        lookup = EvidenceGatherer(store, lambda: NOW)
        keys = [m.key for m in (*reply.to, *reply.cc)]
        status = decide(Draft(to=reply.to, cc=reply.cc), lookup.collect(keys))
    assert status.overall is Overall.NOT_ENCRYPTED
    assert {r.mailbox.address: r.covered for r in status.recipients} == {
        "dana@partner.example": False,
        "lee@clinic.example": True,
    }


def test_the_user_key_is_labelled_and_private(demo: DemoHome) -> None:
    [key_file] = list(demo.identity.glob("*key*.pem"))
    data = key_file.read_bytes()
    assert data.startswith(KEY_LABEL.encode("ascii"))
    assert b"-----BEGIN PRIVATE KEY-----" in data
    assert "DEMO" in key_file.name
    assert key_file.stat().st_mode & 0o077 == 0
    # Only the user's own key is kept; colleagues' keys are never written.
    found = [p for p in demo.root.rglob("*") if p.is_file() and b"PRIVATE KEY" in p.read_bytes()]
    assert found == [key_file]


def test_no_private_key_is_shipped_in_the_resources() -> None:
    shipped = [p for p in resource_folder().rglob("*") if p.is_file()]
    assert shipped
    assert not [p for p in shipped if b"PRIVATE KEY" in p.read_bytes()]


def test_the_demo_policy_is_in_force(demo: DemoHome) -> None:
    loaded = load_policy(demo.root, system_path=demo.root / "absent.toml")
    assert not loaded.errors
    assert loaded.policy.internal_domains == frozenset({"clinic.example"})
    assert loaded.policy.requires_encryption(["dana@partner.example"])


def test_a_second_run_is_quick_and_changes_nothing(
    demo: DemoHome, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = (demo.root / MARKER_FILE_NAME).read_text(encoding="utf-8")
    store_time = demo.store.stat().st_mtime_ns
    opened: list[object] = []
    monkeypatch.setattr(sqlite3, "connect", lambda *args, **kwargs: opened.append(args))
    with counting() as work:
        again = ensure_demo_home(demo.root, TEMPLATES, NOW + dt.timedelta(days=3))
    # Quick, counted: the marker is read, nothing is built, the store is not even opened,
    # and a few hundred lines of Python run (a build runs hundreds of thousands).
    assert opened == [] and work.lines < 2_000
    assert again == demo
    assert (demo.root / MARKER_FILE_NAME).read_text(encoding="utf-8") == marker
    assert demo.store.stat().st_mtime_ns == store_time
    assert ready_demo_home(demo.root) == demo


def test_an_interrupted_build_is_finished_next_time(tmp_path: Path) -> None:
    root = tmp_path / "home"
    home = ensure_demo_home(root, TEMPLATES, NOW)
    (root / "inbox" / "01-referral-results.eml").unlink()
    for part in ("inbox", "identity"):
        for path in (root / part).iterdir():
            path.unlink()
        (root / part).rmdir()
    assert ready_demo_home(root) is None
    rebuilt = ensure_demo_home(root, TEMPLATES, NOW)
    assert rebuilt == home and ready_demo_home(root) == home
    assert (
        json.loads((root / MARKER_FILE_NAME).read_text(encoding="utf-8"))["version"] == DEMO_VERSION
    )


def test_a_demo_home_of_another_version_is_rebuilt_and_keeps_what_the_user_did(
    tmp_path: Path,
) -> None:
    root = tmp_path / "home"
    ensure_demo_home(root, TEMPLATES, NOW)
    marker = json.loads((root / MARKER_FILE_NAME).read_text(encoding="utf-8"))
    (root / MARKER_FILE_NAME).write_text(json.dumps({**marker, "version": 0}), encoding="utf-8")
    (root / "inbox" / "01-referral-results.eml").write_bytes(b"old demo content")
    (root / "outbox").mkdir(exist_ok=True)
    (root / "outbox" / "sent.eml").write_bytes(b"sealed earlier")
    assert ready_demo_home(root) is None

    upgraded = ensure_demo_home(root, TEMPLATES, NOW)

    assert ready_demo_home(root) == upgraded
    assert (
        json.loads((root / MARKER_FILE_NAME).read_text(encoding="utf-8"))["version"] == DEMO_VERSION
    )
    assert (root / "inbox" / "01-referral-results.eml").read_bytes() != b"old demo content"
    assert (root / "outbox" / "sent.eml").read_bytes() == b"sealed earlier"


def test_a_real_home_is_never_turned_into_a_demo(tmp_path: Path) -> None:
    root = tmp_path / "real"
    CertStore.open(root / "certificates.sqlite3").close()
    with pytest.raises(DemoError, match="not a demo"):
        ensure_demo_home(root, TEMPLATES, NOW)
