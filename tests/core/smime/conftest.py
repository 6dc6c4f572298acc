"""Certificates and keys shared by the envelope tests (keys are cached by the factory)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.factories.certs import Issued, TestCA


@dataclass(frozen=True)
class Parties:
    """Recipients of each key type, plus outsiders the envelopes are never sealed for."""

    ann: Issued  # RSA 2048
    bob: Issued  # RSA 2048, another key
    carol: Issued  # EC P-256
    dave: Issued  # EC P-384
    outsider: Issued  # RSA 2048
    ec_outsider: Issued  # EC P-256

    @property
    def recipients(self) -> tuple[Issued, ...]:
        return (self.ann, self.bob, self.carol, self.dave)


@pytest.fixture(scope="session")
def ca() -> TestCA:
    return TestCA("Envelope Test CA")


@pytest.fixture(scope="session")
def parties(ca: TestCA) -> Parties:
    return Parties(
        ann=ca.issue(["ann@clinic.example"], key_kind="rsa2048", slot=0),
        bob=ca.issue(["bob@clinic.example"], key_kind="rsa2048", slot=1),
        carol=ca.issue(["carol@clinic.example"], key_kind="p256", slot=0),
        dave=ca.issue(["dave@partner.example"], key_kind="p384", slot=0),
        outsider=ca.issue(["eve@elsewhere.example"], key_kind="rsa2048", slot=2),
        ec_outsider=ca.issue(["mallory@elsewhere.example"], key_kind="p256", slot=1),
    )
