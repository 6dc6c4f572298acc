"""``smime-guard directory`` and ``check``/``seal`` consulting an LDAP directory (real slapd)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.cli.check_command import run_check
from desktop_app.cli.directory_command import run_directory
from desktop_app.cli.parser import build_parser
from desktop_app.cli.seal_command import run_seal
from desktop_app.core.identity import identity_of
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.identity_store import save_identity
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.paths import store_path
from desktop_app.services.secrets import SecretStore
from tests.factories.certs import NOW, TestCA
from tests.ldap_server.directory import Seeded
from tests.ldap_server.server import READER_DN, READER_PASSWORD, SUFFIX, Slapd, free_port
from tests.services.keyrings import InMemoryKeyring

AT = NOW.isoformat()
OWN_CA = TestCA("Directory CLI own CA")
ME = OWN_CA.issue(["me@clinic.example"], slot=4)


@pytest.fixture
def keyring() -> SecretStore:
    return SecretStore(InMemoryKeyring())


@pytest.fixture
def trusting_home(home: Path, seeded: Seeded) -> Path:
    with CertStore.open(store_path(home)) as store:
        store.add_trust_anchor(seeded.ca.cert, NOW)
    return home


def directory(home: Path, keyring: SecretStore, *arguments: str) -> int:
    parsed = build_parser().parse_args(["directory", *arguments])
    return run_directory(parsed, MailAccess(home, secrets=lambda: keyring))


def check(home: Path, keyring: SecretStore, capsys, *arguments: str) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    parsed = build_parser().parse_args(["check", "--json", "--at", AT, *arguments])
    code = run_check(parsed, MailAccess(home, secrets=lambda: keyring))
    return code, json.loads(capsys.readouterr().out)


def lookup(home: Path, keyring: SecretStore, capsys, *arguments: str) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    code = directory(home, keyring, "lookup", "--json", "--at", AT, *arguments)
    return code, json.loads(capsys.readouterr().out)


def add_corp(home: Path, keyring: SecretStore, slapd: Slapd, *extra: str) -> None:
    assert (
        directory(
            home,
            keyring,
            "add",
            "ldap",
            "--url",
            slapd.url,
            "--base-dn",
            SUFFIX,
            "--name",
            "corp",
            *extra,
        )
        == 0
    )


def test_add_list_test_remove(home: Path, keyring: SecretStore, slapd: Slapd, capsys) -> None:  # type: ignore[no-untyped-def]
    add_corp(home, keyring, slapd)
    capsys.readouterr()
    assert directory(home, keyring, "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)["directories"]
    assert [(d["name"], d["source"], d["admin"]) for d in listed] == [("corp", "ldap:corp", False)]
    assert directory(home, keyring, "test", "corp") == 0
    assert directory(home, keyring, "remove", "corp") == 0
    capsys.readouterr()
    assert directory(home, keyring, "list", "--json") == 0
    assert json.loads(capsys.readouterr().out)["directories"] == []


def test_add_refuses_a_server_that_does_not_answer(home: Path, keyring: SecretStore) -> None:
    from desktop_app.core.errors import UserFacingError

    url = f"ldap://127.0.0.1:{free_port()}"
    with pytest.raises(UserFacingError, match="not reachable"):
        directory(home, keyring, "add", "ldap", "--url", url, "--base-dn", SUFFIX)
    assert not (home / "directories.json").exists()


def test_bind_password_only_in_the_keyring(
    home: Path, keyring: SecretStore, slapd: Slapd, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.core.errors import UserFacingError

    monkeypatch.setenv("LDAP_PW", "wrong")
    with pytest.raises(UserFacingError, match="refused the sign-in"):
        add_corp(home, keyring, slapd, "--bind-dn", READER_DN, "--password-env", "LDAP_PW")
    assert keyring.get("directory:corp") is None
    monkeypatch.setenv("LDAP_PW", READER_PASSWORD)
    add_corp(home, keyring, slapd, "--bind-dn", READER_DN, "--password-env", "LDAP_PW")
    assert keyring.get("directory:corp") == READER_PASSWORD
    assert READER_PASSWORD not in (home / "directories.json").read_text()
    assert directory(home, keyring, "test", "corp") == 0


def test_lookup_expired_beside_valid_uses_the_valid_one(
    trusting_home: Path, keyring: SecretStore, slapd: Slapd, seeded: Seeded, capsys
) -> None:  # type: ignore[no-untyped-def]
    add_corp(trusting_home, keyring, slapd)
    code, document = lookup(trusting_home, keyring, capsys, "alice@example.org")
    assert code == 0
    (alice,) = document["results"]
    assert alice["status"] == "ok" and alice["kind"] == "mailbox"
    by_fingerprint = {c["sha256"]: c for c in alice["certificates"]}
    assert by_fingerprint[seeded.alice_valid]["chosen"] is True
    assert by_fingerprint[seeded.alice_valid]["source"] == "ldap:corp"
    assert by_fingerprint[seeded.alice_expired]["status"] == "expired"
    assert by_fingerprint[seeded.alice_valid]["attribute"] == "userCertificate"


def test_lookup_lists_and_garbage(
    trusting_home: Path, keyring: SecretStore, slapd: Slapd, capsys
) -> None:  # type: ignore[no-untyped-def]
    add_corp(trusting_home, keyring, slapd)
    code, document = lookup(
        trusting_home, keyring, capsys, "team@example.org", "mixed@example.org", "carol@example.org"
    )
    assert code == 0
    team, mixed, carol = document["results"]
    assert team["kind"] == "list" and team["status"] == "ok"
    assert [m["address"] for m in team["members"]] == [
        "alice@example.org",
        "bob@example.org",
        "carol@example.org",
    ]
    assert mixed["status"] != "ok"  # dave has no certificate
    assert [c["status"] for c in carol["certificates"]].count("unreadable") == 1
    assert carol["status"] == "ok"


def test_check_consults_ldap_and_offline_uses_the_cache(
    trusting_home: Path, keyring: SecretStore, slapd: Slapd, capsys
) -> None:  # type: ignore[no-untyped-def]
    add_corp(trusting_home, keyring, slapd)
    code, status = check(
        trusting_home, keyring, capsys, "--to", "alice@example.org,bob@example.org"
    )
    assert code == 0, status
    assert status["overall"] == "encrypted"
    assert {r["certificate_source"] for r in status["recipients"]} == {"ldap:corp"}
    before = slapd.searches()
    code, status = check(trusting_home, keyring, capsys, "--offline", "--to", "alice@example.org")
    assert code == 0 and status["recipients"][0]["certificate_source"] == "ldap:corp"
    assert slapd.searches() == before


def test_check_with_the_directory_down_is_not_encrypted_and_says_why(
    trusting_home: Path, keyring: SecretStore, capsys
) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.services.certificates.config import SourceConfig, save_user_sources

    url = f"ldap://127.0.0.1:{free_port()}"
    save_user_sources(trusting_home, (SourceConfig("corp", "ldap", url=url, base_dn=SUFFIX),))
    code, status = check(trusting_home, keyring, capsys, "--to", "alice@example.org")
    assert code == 3
    assert status["recipients"][0]["status"] == "unresolved"
    assert "directory corp not reachable" in status["recipients"][0]["reason"]


def test_seal_encrypts_to_the_directory_certificate(
    trusting_home: Path, keyring: SecretStore, slapd: Slapd, tmp_path: Path
) -> None:
    save_identity(trusting_home, identity_of(ME.cert, ME.key, (), source="test"), keyring)
    with CertStore.open(store_path(trusting_home)) as store:
        store.add_trust_anchor(OWN_CA.cert, NOW)
    add_corp(trusting_home, keyring, slapd)
    body = tmp_path / "body.txt"
    body.write_text("Results.\n", encoding="utf-8")
    parsed = build_parser().parse_args(
        [
            "seal",
            "--from",
            "me@clinic.example",
            "--to",
            "alice@example.org",
            "--subject",
            "Results",
            "--body-file",
            str(body),
            "--at",
            AT,
            "--out-dir",
            str(tmp_path / "out"),
        ]
    )
    assert run_seal(parsed, MailAccess(trusting_home, secrets=lambda: keyring)) == 0
    assert len(list((tmp_path / "out").glob("*.eml"))) == 1


def test_pin_key_change_and_accept(
    trusting_home: Path, keyring: SecretStore, slapd: Slapd, seeded: Seeded, capsys
) -> None:  # type: ignore[no-untyped-def]
    bob, bob_next = seeded.bob_fingerprints  # bob_next expires later: used by default
    add_corp(trusting_home, keyring, slapd)
    code, status = check(trusting_home, keyring, capsys, "--to", "bob@example.org")
    (row,) = status["recipients"]
    assert row["certificate"] == bob_next and row["pinned"] is False
    assert row["key_changed"] is None

    assert directory(trusting_home, keyring, "pin", "bob@example.org", bob) == 0
    code, status = check(trusting_home, keyring, capsys, "--to", "bob@example.org")
    (row,) = status["recipients"]
    assert (row["certificate"], row["pinned"], row["certificate_source"]) == (
        bob,
        True,
        "ldap:corp",
    )

    # Mail was last encrypted to the pinned key; unpinned, the newer key is a key change.
    assert directory(trusting_home, keyring, "accept-key", "bob@example.org", bob) == 0
    assert directory(trusting_home, keyring, "unpin", "bob@example.org") == 0
    code, status = check(trusting_home, keyring, capsys, "--to", "bob@example.org")
    assert code == 0  # a key change is a warning, not a refusal
    (row,) = status["recipients"]
    assert row["key_changed"] == {
        "previous_certificate": bob,
        "previous_source": "ldap:corp",
        "previous_key": row["key_changed"]["previous_key"],
        "certificate": bob_next,
        "source": "ldap:corp",
    }
    assert "key_changed" in {w["code"] for w in status["warnings"]}
    assert directory(trusting_home, keyring, "accept-key", "bob@example.org", bob_next) == 0
    _code, status = check(trusting_home, keyring, capsys, "--to", "bob@example.org")
    assert status["recipients"][0]["key_changed"] is None


def test_pin_on_an_unknown_certificate_is_refused(
    trusting_home: Path, keyring: SecretStore
) -> None:
    from desktop_app.core.errors import UserFacingError

    with pytest.raises(UserFacingError, match="No usable certificate"):
        directory(trusting_home, keyring, "pin", "bob@example.org", "ab" * 32)


def test_a_pin_is_cleared_when_its_certificate_stops_being_usable(
    trusting_home: Path, keyring: SecretStore, slapd: Slapd, seeded: Seeded, capsys
) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.services.certificates.pins import load_pins, save_pins

    add_corp(trusting_home, keyring, slapd)
    check(trusting_home, keyring, capsys, "--to", "alice@example.org")
    save_pins(trusting_home, {"alice@example.org": seeded.alice_expired})
    code, status = check(trusting_home, keyring, capsys, "--to", "alice@example.org")
    assert code == 0 and status["recipients"][0]["certificate"] == seeded.alice_valid
    assert load_pins(trusting_home) == {}


def test_certificate_expiring_within_30_days_is_marked(
    trusting_home: Path, keyring: SecretStore, slapd: Slapd, capsys
) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    add_corp(trusting_home, keyring, slapd)
    later = (NOW + dt.timedelta(days=350)).isoformat()
    capsys.readouterr()
    parsed = build_parser().parse_args(
        ["check", "--json", "--at", later, "--to", "alice@example.org,bob@example.org"]
    )
    run_check(parsed, MailAccess(trusting_home, secrets=lambda: keyring))
    rows = json.loads(capsys.readouterr().out)["recipients"]
    # alice's only valid certificate ends at NOW + 365 days; bob's newer one much later.
    assert [r["expires_soon"] for r in rows] == [True, False]


def test_kerberos_without_gssapi_is_refused_clearly(
    home: Path, keyring: SecretStore, slapd: Slapd
) -> None:
    import importlib.util

    from desktop_app.core.errors import UserFacingError

    if importlib.util.find_spec("gssapi") is not None:
        pytest.skip("gssapi is installed here: the refusal cannot be shown")
    with pytest.raises(UserFacingError, match="gssapi"):
        add_corp(home, keyring, slapd, "--kerberos")
    assert not (home / "directories.json").exists()
