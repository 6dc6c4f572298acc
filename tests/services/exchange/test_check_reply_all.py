"""``check --reply-all`` against the EWS test server: the user is left out once the directory
has resolved the original's X.500 addresses, wherever the original names them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ews_server import EwsTestServer
from tests.services.exchange.conftest import LEGACY_ROOT, USER, Cli, Pki
from tests.services.exchange.test_check_through_directory import check
from tests.services.exchange.test_lookup import imceaex

ME_DN = f"{LEGACY_ROOT}/cn=me"
ALICE_DN = f"{LEGACY_ROOT}/cn=alice"
ME_X500 = f"Me <{imceaex(ME_DN, 'clinic.example')}>"
ALICE_X500 = f"Alice Smith <{imceaex(ALICE_DN, 'clinic.example')}>"


@pytest.fixture
def directory(ews: EwsTestServer, pki: Pki) -> EwsTestServer:
    state = ews.state
    state.mailbox(USER, "Me", smime=[pki.me.der], legacy_dn=ME_DN)
    state.mailbox("alice@clinic.example", "Alice", smime=[pki.alice.der], legacy_dn=ALICE_DN)
    state.mailbox("bob@clinic.example", "Bob", smime=[pki.bob.der])
    return ews


def _original(tmp_path: Path, sender: str, to: str, cc: str) -> Path:
    path = tmp_path / "original.eml"
    path.write_bytes(
        (
            f"From: {sender}\r\nTo: {to}\r\nCc: {cc}\r\nSubject: Results\r\n"
            "Message-ID: <1@clinic.example>\r\n\r\nHello\r\n"
        ).encode()
    )
    return path


@pytest.mark.parametrize(
    ("sender", "to", "cc"),
    [
        (ALICE_X500, f"Me <{USER}>", "bob@clinic.example"),
        (ALICE_X500, ME_X500, "bob@clinic.example"),
        (ALICE_X500, "bob@clinic.example", ME_X500),
        (ALICE_X500, f"{ME_X500}, bob@clinic.example", f"{ME_X500}, Me <{USER}>"),
        # As messages converted from Outlook's format write them: the bare legacyDN.
        (f"Alice Smith <{ALICE_DN}>", f"Me <{ME_DN}>", "bob@clinic.example"),
        (ALICE_X500, "bob@clinic.example", ME_DN),
        # The user wrote the original: Reply All goes to the others.
        (ME_X500, ALICE_X500, "bob@clinic.example"),
        (f"Me <{ME_DN}>", ALICE_X500, "bob@clinic.example"),
        (f"Me <{USER}>", ALICE_X500, "bob@clinic.example"),
    ],
    ids=[
        "smtp-to",
        "x500-to",
        "x500-cc",
        "x500-and-smtp-twice",
        "legacy-dn-to",
        "legacy-dn-cc",
        "x500-from",
        "legacy-dn-from",
        "smtp-from",
    ],
)
def test_reply_all_leaves_the_user_out_after_the_directory_resolved_them(
    signed_in: Cli, directory: EwsTestServer, tmp_path: Path, sender: str, to: str, cc: str
) -> None:
    original = _original(tmp_path, sender, to, cc)

    code, result = check(signed_in, "--from", USER, "--reply-all", str(original))

    assert code == 0, result
    addresses = [(r["field"], r["address"]) for r in result["recipients"]]
    assert USER not in [address for _, address in addresses]
    assert sorted(address for _, address in addresses) == [
        "alice@clinic.example",
        "bob@clinic.example",
    ]
    assert all(address.endswith("@clinic.example") for _, address in addresses)
    assert result["overall"] == "encrypted"


def test_the_original_s_sender_named_twice_is_one_recipient(
    signed_in: Cli, directory: EwsTestServer, tmp_path: Path
) -> None:
    original = _original(tmp_path, ALICE_X500, ME_X500, "Alice <alice@clinic.example>")

    code, result = check(signed_in, "--from", USER, "--reply-all", str(original))

    assert code == 0, result
    assert [(r["field"], r["address"]) for r in result["recipients"]] == [
        ("to", "alice@clinic.example")
    ]
    assert result["recipients"][0]["display_name"] == "Alice Smith"


def test_an_x500_address_the_directory_does_not_know_stays_and_is_not_covered(
    signed_in: Cli, directory: EwsTestServer, tmp_path: Path
) -> None:
    gone = imceaex(f"{LEGACY_ROOT}/cn=gone", "clinic.example")
    original = _original(tmp_path, ALICE_X500, ME_X500, f"Gone <{gone}>")

    code, result = check(signed_in, "--from", USER, "--reply-all", str(original))

    assert code == 3
    statuses = {r["address"]: r["status"] for r in result["recipients"]}
    assert statuses["alice@clinic.example"] == "ok"
    assert [s for a, s in statuses.items() if a != "alice@clinic.example"] == ["unresolved"]
    assert USER not in statuses


def test_offline_nothing_is_resolved_and_the_x500_user_stays_uncovered(
    signed_in: Cli, directory: EwsTestServer, tmp_path: Path
) -> None:
    original = _original(tmp_path, ALICE_X500, ME_X500, "bob@clinic.example")

    code, result = check(signed_in, "--offline", "--from", USER, "--reply-all", str(original))

    assert code == 3  # an X.500 address that was not resolved is never covered
    statuses = [r["status"] for r in result["recipients"]]
    assert statuses.count("unresolved") == 2  # Alice and the user, both unknown offline
