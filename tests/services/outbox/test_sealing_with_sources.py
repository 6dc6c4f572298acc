"""The window's sealer asks the configured certificate sources as the window did.

A list published by an LDAP directory or an admin bundle is covered in the window when
each member is; sealing must then know the list's members too, or a message the window
showed as Encrypted would be refused at Send.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from desktop_app.app.sending import store_sealer
from desktop_app.core.identity import identity_of
from desktop_app.core.policy.model import RevocationPolicy
from desktop_app.core.recipients.addresses import parse_address_list, parse_mailbox
from desktop_app.core.recipients.send_gate import SendPlan, envelopes
from desktop_app.core.recipients.status import Draft
from desktop_app.core.smime.seal import NotAllCoveredError
from desktop_app.services.certificates.config import SourceConfig
from desktop_app.services.certificates.kinds import SOURCE_KINDS, SourceKind, SourceSetting
from desktop_app.services.certificates.source import FindingKind, PublishedValue, SourceFinding
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.outbox.submission import MessageContent
from desktop_app.services.paths import store_path
from desktop_app.services.secrets import SecretStore
from tests.factories.certs import NOW, TestCA
from tests.factories.openssl_reader import openssl_decrypt

CA = TestCA("Sources Sealing CA")
ME = CA.issue(["me@clinic.example"])
LEE = CA.issue(["lee@clinic.example"], slot=1)
ANN = CA.issue(["ann@clinic.example"], slot=2)
TEAM = "team@clinic.example"
PUBLISHED = {"lee@clinic.example": LEE, "ann@clinic.example": ANN}
MEMBERS = ["lee@clinic.example", "ann@clinic.example"]


class TeamDirectory:
    """A directory with one list (Lee and Ann) and each member's certificate."""

    def __init__(self, config: SourceConfig, setting: SourceSetting) -> None:
        self._label = config.label

    @property
    def label(self) -> str:
        return self._label

    def lookup(self, address_keys: Sequence[str]) -> Mapping[str, SourceFinding]:
        return {key: self._finding(key) for key in address_keys}

    def _finding(self, key: str) -> SourceFinding:
        if key == TEAM:  # a list comes with its members' findings, as LDAP gives them
            members = {member: self._finding(member) for member in MEMBERS}
            return SourceFinding(
                FindingKind.LIST, self.label, members=tuple(MEMBERS), member_findings=members
            )
        if key in PUBLISHED:
            value = PublishedValue("userCertificate", PUBLISHED[key].der)
            return SourceFinding(FindingKind.PERSON, self.label, (value,), primary=key)
        return SourceFinding(FindingKind.UNKNOWN, self.label)

    @property
    def warning(self) -> str | None:
        return None

    def test(self) -> None:
        return None

    def close(self) -> None:
        return None


def _no_keyring() -> SecretStore:
    raise AssertionError("this directory needs no secret")


@pytest.fixture
def access(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MailAccess:
    monkeypatch.setitem(SOURCE_KINDS, "team", SourceKind(TeamDirectory))
    home = tmp_path / "home"
    home.mkdir()
    document = {"directories": [{"name": "corp", "type": "team"}]}
    (home / "directories.json").write_text(json.dumps(document), encoding="utf-8")
    with CertStore.open(store_path(home)) as store:
        store.add_trust_anchor(CA.cert, NOW)
    return MailAccess(home, clock=lambda: NOW, secrets=_no_keyring)


def _plan(to: str) -> SendPlan:
    draft = Draft(to=parse_address_list(to), sender=parse_mailbox("me@clinic.example"))
    return SendPlan(draft, encrypted=True, choice=None, envelopes=envelopes(draft))


def test_a_list_from_a_configured_directory_is_sealed_to_each_member(
    access: MailAccess, tmp_path: Path
) -> None:
    sealer = store_sealer(
        access,
        lambda: identity_of(ME.cert, ME.key, (), source="test"),
        exchange=False,
        revocation=RevocationPolicy.OFF,
        fetch_revocation=False,
        sources=True,
    )

    (sealed,) = sealer(MessageContent(subject="Rota", body="The team's rota.\n"), _plan(TEAM))

    for name, member in (("lee", LEE), ("ann", ANN)):
        assert b"The team's rota." in openssl_decrypt(sealed, member, tmp_path / name)


def test_a_list_member_the_directory_does_not_know_keeps_the_list_uncovered(
    access: MailAccess, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(f"{__name__}.MEMBERS", [*MEMBERS, "dana@partner.example"])
    sealer = store_sealer(
        access,
        lambda: identity_of(ME.cert, ME.key, (), source="test"),
        exchange=False,
        revocation=RevocationPolicy.OFF,
        fetch_revocation=False,
        sources=True,
    )

    with pytest.raises(NotAllCoveredError):
        sealer(MessageContent(subject="Rota", body="The team's rota.\n"), _plan(TEAM))
