"""The seeded test directory: who is in it, and why each entry is there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tests.factories.cert_files import p7b_file
from tests.factories.certs import NOW, TestCA
from tests.ldap_server.seed import GROUPS, Group, Person, der, directory_ldif

BULK = 200


@dataclass
class Seeded:
    ca: TestCA
    ldif: str
    alice_valid: str  # fingerprints (sha256 hex)
    alice_expired: str
    bob_fingerprints: tuple[str, ...]
    carol_valid: str


def _fingerprint(certificate: object) -> str:
    from desktop_app.core.pki.certificates import fingerprint_sha256

    return fingerprint_sha256(certificate)  # type: ignore[arg-type]


def seeded_directory(*, referral_to: str | None = None) -> Seeded:
    ca = TestCA("Directory Test CA")
    alice_valid = ca.issue(["alice@example.org"]).cert
    alice_expired = ca.issue(
        ["alice@example.org"],
        slot=1,
        not_before=NOW - dt.timedelta(days=800),
        not_after=NOW - dt.timedelta(days=400),
    ).cert
    bob = ca.issue(["bob@example.org"]).cert
    bob_next = ca.issue(["bob@example.org"], slot=2, not_after=NOW + dt.timedelta(days=700)).cert
    carol = ca.issue(["carol@example.org"]).cert
    people = [
        # An expired certificate listed before the valid one, as Outlook trips over.
        Person("alice", "alice@example.org", certificates=[der(alice_expired), der(alice_valid)]),
        # A PKCS#7 bundle of two certificates in userSMIMECertificate.
        Person("bob", "bob@example.org", smime=[p7b_file([bob, bob_next])]),
        # A garbage blob beside a good certificate.
        Person(
            "carol",
            "carol@example.org",
            smime=[b"\x30\x03garbage, not DER"],
            certificates=[der(carol)],
        ),
        # Known by a proxy address, without certificates.
        Person("dave", "dave@example.org", proxies=["SMTP:dave@example.org", "smtp:d@example.org"]),
    ]
    # Each with a certificate of their own (one key for all keeps this quick).
    people += [
        Person(
            f"u{i:03d}",
            f"u{i:03d}@example.org",
            certificates=[der(ca.issue([f"u{i:03d}@example.org"], slot=3).cert)],
        )
        for i in range(BULK)
    ]
    team = Group("team", "team@example.org", [people[0].dn, f"cn=inner,{GROUPS}"])
    # Nested, and back to the outer list: a cycle.
    inner = Group("inner", None, [people[1].dn, team.dn, people[2].dn])
    mixed = Group("mixed", "mixed@example.org", [people[0].dn, people[3].dn])
    ldif = directory_ldif(people, [team, inner, mixed], referral_to=referral_to)
    return Seeded(
        ca,
        ldif,
        _fingerprint(alice_valid),
        _fingerprint(alice_expired),
        (_fingerprint(bob), _fingerprint(bob_next)),
        _fingerprint(carol),
    )
