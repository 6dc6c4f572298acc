"""The account's directories and the demo's folder are certificate sources like LDAP: a
finding for every key asked, and a server that cannot be reached is a finding, never an
exception."""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.errors import UserFacingError
from desktop_app.core.recipients.legacy_dn import legacy_dn_mailbox
from desktop_app.services.certificates.consult import consult
from desktop_app.services.certificates.directories import FolderDirectory
from desktop_app.services.certificates.source import CertificateSource, FindingKind
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.exchange.account import ExchangeSettings
from desktop_app.services.exchange.cache import DirectoryCache
from desktop_app.services.exchange.compose_directory import ExchangeDirectory
from desktop_app.services.graph.compose_directory import GraphComposeDirectory
from tests.factories.certs import NOW, TestCA

X500 = "/o=Clinic/ou=Exchange Administrative Group/cn=Recipients/cn=alice"
X500_KEY = legacy_dn_mailbox(X500).key
KEYS = ["alice@clinic.example", "bob@clinic.example", X500_KEY]


def _refused():  # type: ignore[no-untyped-def]
    raise UserFacingError("The server is down.")


def _answers_every_key(source: CertificateSource) -> dict[str, FindingKind]:
    found = source.lookup(KEYS)
    assert list(found) == KEYS
    return {key: finding.kind for key, finding in found.items()}


def test_an_unreachable_exchange_directory_answers_unreachable(home: Path) -> None:
    with CertStore.open(home / "store.sqlite3") as store:
        settings = ExchangeSettings(timeout=1.0, workers=1, member_cap=5)
        cache = DirectoryCache(home, settings.cache_ttl, lambda: NOW)
        exchange = ExchangeDirectory(store, cache, _refused, settings, lambda: NOW)
        assert exchange.label == "exchange"
        kinds = _answers_every_key(exchange)
        assert kinds == {
            "alice@clinic.example": FindingKind.UNREACHABLE,
            "bob@clinic.example": FindingKind.UNREACHABLE,
            X500_KEY: FindingKind.UNKNOWN,  # resolved first, not looked up
        }
        assert exchange.lookup(["alice@clinic.example"])["alice@clinic.example"].failure == (
            "The server is down."
        )


def test_an_unreachable_graph_answers_unreachable() -> None:
    graph = GraphComposeDirectory(_refused, lambda: NOW)
    assert graph.label == "graph"
    kinds = _answers_every_key(graph)
    assert kinds["alice@clinic.example"] is FindingKind.UNREACHABLE
    assert kinds[X500_KEY] is FindingKind.UNKNOWN


def test_the_demo_folder_publishes_some_certificates_and_knows_no_one_else(
    tmp_path: Path,
) -> None:
    alice = TestCA("Demo CA").issue(["alice@clinic.example"])
    (tmp_path / "alice@clinic.example.pem").write_bytes(alice.pem)
    folder = FolderDirectory(tmp_path)
    assert folder.label == "demo"
    kinds = _answers_every_key(folder)
    assert kinds["alice@clinic.example"] is FindingKind.PERSON
    assert kinds["bob@clinic.example"] is FindingKind.UNKNOWN
    consulted = consult([(folder, None)], KEYS)
    assert [p.certificate for p in consulted.certificates["alice@clinic.example"]] == [alice.cert]
    assert not consulted.findings["alice@clinic.example"][0].complete
