"""A new kind of certificate source is its own module plus one registration line.

The fake source below is registered with one line and configured in the home; its
certificate then reaches ``check`` and the compose window's evidence, and its
"could not be asked" reaches the reason a user sees, with nothing else changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from desktop_app.cli import main
from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.core.recipients.addresses import parse_mailbox
from desktop_app.core.recipients.status import Draft, StatusCode, decide
from desktop_app.services.certificates.compose_evidence import ComposeEvidence
from desktop_app.services.certificates.compose_maker import sources_directory_maker
from desktop_app.services.certificates.config import SourceConfig
from desktop_app.services.certificates.kinds import SOURCE_KINDS, SourceKind, SourceSetting
from desktop_app.services.certificates.source import FindingKind, PublishedValue, SourceFinding
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.paths import store_path
from desktop_app.services.secrets import SecretStore
from tests.factories.certs import NOW, TestCA

CA = TestCA("Fake Source CA")
LEE = CA.issue(["lee@clinic.example"])
DOWN = "down@clinic.example"
WHY = "the fake directory is switched off"


class FakeSource:
    """A ``CertificateSource`` that knows Lee's certificate and cannot reach one address."""

    def __init__(self, config: SourceConfig, setting: SourceSetting) -> None:
        self._label = config.label

    @property
    def label(self) -> str:
        return self._label

    def lookup(self, address_keys: Sequence[str]) -> Mapping[str, SourceFinding]:
        found = {}
        for key in address_keys:
            if key == "lee@clinic.example":
                value = PublishedValue("userCertificate", LEE.der)
                found[key] = SourceFinding(FindingKind.PERSON, self.label, (value,), primary=key)
            elif key == DOWN:
                found[key] = SourceFinding(FindingKind.UNREACHABLE, self.label, failure=WHY)
            else:
                found[key] = SourceFinding(FindingKind.UNKNOWN, self.label)
        return found

    @property
    def warning(self) -> str | None:
        return None

    def test(self) -> None:
        return None

    def close(self) -> None:
        return None


@pytest.fixture
def home(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setitem(SOURCE_KINDS, "fake", SourceKind(FakeSource))  # the registration
    home.mkdir(parents=True)
    document = {"directories": [{"name": "test", "type": "fake"}]}
    (home / "directories.json").write_text(json.dumps(document), encoding="utf-8")
    with CertStore.open(store_path(home)) as store:
        store.add_trust_anchor(CA.cert, NOW)
    return home


def _check(
    home: Path, capsys: pytest.CaptureFixture[str], address: str
) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    code = main(["--home", str(home), "check", "--json", "--at", NOW.isoformat(), "--to", address])
    return code, json.loads(capsys.readouterr().out)


def test_check_encrypts_to_the_certificate_the_new_source_publishes(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, result = _check(home, capsys, "lee@clinic.example")

    (lee,) = result["recipients"]
    assert (code, result["overall"], lee["status"]) == (0, "encrypted", "ok")
    assert lee["certificate"] == fingerprint_sha256(LEE.cert)
    assert lee["certificate_source"] == "fake:test"


def test_check_says_why_when_the_new_source_cannot_be_asked(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, result = _check(home, capsys, DOWN)

    (down,) = result["recipients"]
    assert (code, down["status"]) == (3, "unresolved")
    assert WHY in down["reason"]


@pytest.fixture
def window_evidence(home: Path) -> Iterator[ComposeEvidence]:
    def no_keyring() -> SecretStore:
        raise AssertionError("the fake source needs no secret")

    sources = sources_directory_maker(MailAccess(home, clock=lambda: NOW, secrets=no_keyring))
    evidence = ComposeEvidence(store_path(home), None, lambda: NOW, sources=sources)
    yield evidence
    evidence.close()


def test_the_compose_window_sees_the_new_source_certificate_and_why_it_failed(
    window_evidence: ComposeEvidence,
) -> None:
    lee, down = parse_mailbox("lee@clinic.example"), parse_mailbox(DOWN)

    evidence = window_evidence().collect([lee.key, down.key])
    status = decide(Draft(to=(lee, down)), evidence)

    covered, failed = status.recipients
    assert covered.code is StatusCode.OK
    assert covered.certificate is not None and covered.certificate.source == "fake:test"
    assert failed.code is StatusCode.UNRESOLVED and WHY in failed.reason
