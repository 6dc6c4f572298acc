"""LDIF for the test directory: people with certificates, lists, and the awkward cases."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from tests.ldap_server.server import READER_DN, READER_PASSWORD, SUFFIX

PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@dataclass
class Person:
    """A person entry; ``smime`` values go to userSMIMECertificate, ``certificates`` to
    userCertificate;binary (raw bytes, so a test can put garbage there)."""

    uid: str
    mail: str
    proxies: Sequence[str] = ()
    certificates: Sequence[bytes] = ()
    smime: Sequence[bytes] = ()

    @property
    def dn(self) -> str:
        return f"uid={self.uid},{PEOPLE}"

    def ldif(self) -> str:
        lines = [
            f"dn: {self.dn}",
            "objectClass: inetOrgPerson",
            "objectClass: adUser",
            f"uid: {self.uid}",
            f"cn: {self.uid}",
            f"sn: {self.uid}",
            f"mail: {self.mail}",
        ]
        lines += [f"proxyAddresses: {proxy}" for proxy in self.proxies]
        lines += [f"userCertificate;binary:: {_b64(value)}" for value in self.certificates]
        lines += [f"userSMIMECertificate:: {_b64(value)}" for value in self.smime]
        return "\n".join(lines)


@dataclass
class Group:
    """An AD-style group; ``members`` are DNs."""

    name: str
    mail: str | None
    members: list[str] = field(default_factory=list)

    @property
    def dn(self) -> str:
        return f"cn={self.name},{GROUPS}"

    def ldif(self) -> str:
        lines = [f"dn: {self.dn}", "objectClass: group", f"cn: {self.name}"]
        if self.mail:
            lines.append(f"mail: {self.mail}")
        lines += [f"member: {member}" for member in self.members]
        return "\n".join(lines)


def der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(Encoding.DER)


def directory_ldif(
    people: Iterable[Person], groups: Iterable[Group] = (), *, referral_to: str | None = None
) -> str:
    """The whole database: the suffix, its two branches, a reader account and the entries."""
    blocks = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example",
        f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people",
        f"dn: {GROUPS}\nobjectClass: organizationalUnit\nou: groups",
        f"dn: {READER_DN}\nobjectClass: person\ncn: reader\nsn: reader\n"
        f"userPassword: {READER_PASSWORD}",
    ]
    if referral_to is not None:
        blocks.append(
            f"dn: ou=elsewhere,{SUFFIX}\nobjectClass: referral\nobjectClass: extensibleObject\n"
            f"ou: elsewhere\nref: {referral_to}"
        )
    blocks += [person.ldif() for person in people]
    blocks += [group.ldif() for group in groups]
    return "\n\n".join(blocks) + "\n"
