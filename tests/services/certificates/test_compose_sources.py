"""The compose window's lookup over configured sources (real slapd): labelled evidence,
lists, and a dead directory that fails once and is not asked again on every edit."""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.recipients.addresses import parse_mailbox
from desktop_app.core.recipients.status import Draft, Overall, StatusCode, decide
from desktop_app.services.certificates.compose_evidence import ComposeEvidence
from desktop_app.services.certificates.compose_maker import sources_directory_maker
from desktop_app.services.certificates.config import SourceConfig, save_user_sources
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.paths import store_path
from desktop_app.services.secrets import SecretStore
from tests.factories.certs import NOW
from tests.ldap_server.directory import Seeded
from tests.ldap_server.server import SUFFIX, Slapd, free_port
from tests.services.keyrings import InMemoryKeyring


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.now


def lazy_lookup(home: Path, url: str, clock: Clock, seeded: Seeded) -> ComposeEvidence:
    with CertStore.open(store_path(home)) as store:
        store.add_trust_anchor(seeded.ca.cert, NOW)
    save_user_sources(home, (SourceConfig("corp", "ldap", url=url, base_dn=SUFFIX),))
    keyring = SecretStore(InMemoryKeyring())
    maker = sources_directory_maker(MailAccess(home, clock=clock, secrets=lambda: keyring))
    assert maker is not None
    return ComposeEvidence(store_path(home), None, clock, sources=maker)


def verdict(lookup: ComposeEvidence, *addresses: str):  # type: ignore[no-untyped-def]
    draft = Draft(to=tuple(parse_mailbox(a) for a in addresses))
    members = ["alice@example.org", "bob@example.org", "carol@example.org"]
    return decide(draft, lookup().collect([*(m.key for m in draft.to), *members]))


def test_window_lookup_uses_the_directory_with_its_label(
    home: Path, slapd: Slapd, seeded: Seeded
) -> None:
    lookup = lazy_lookup(home, slapd.url, Clock(), seeded)
    try:
        status = verdict(lookup, "alice@example.org", "team@example.org")
    finally:
        lookup.close()
    assert status.overall is Overall.ENCRYPTED
    alice, team = status.recipients
    assert alice.certificate is not None and alice.certificate.source == "ldap:corp"
    assert alice.certificate.fingerprint == seeded.alice_valid
    assert [m.mailbox.address for m in team.members] == [
        "alice@example.org",
        "bob@example.org",
        "carol@example.org",
    ]


def test_dead_directory_says_not_reachable_and_is_not_asked_on_every_edit(
    home: Path, seeded: Seeded, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.services.certificates import ldap_source

    opened = []
    real_open = ldap_source.LdapSource._open

    def counting_open(self):  # type: ignore[no-untyped-def]
        opened.append(1)
        return real_open(self)

    monkeypatch.setattr(ldap_source.LdapSource, "_open", counting_open)
    clock = Clock()
    lookup = lazy_lookup(home, f"ldap://127.0.0.1:{free_port()}", clock, seeded)
    try:
        first = verdict(lookup, "alice@example.org")
        second = verdict(lookup, "alice@example.org")
        assert len(opened) == 1  # the failure is remembered for a while
        from datetime import timedelta

        clock.now += timedelta(minutes=1)
        verdict(lookup, "alice@example.org")
        assert len(opened) == 2
    finally:
        lookup.close()
    for status in (first, second):
        (alice,) = status.recipients
        assert alice.code is StatusCode.UNRESOLVED
        assert "directory corp not reachable" in alice.reason
