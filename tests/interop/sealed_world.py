"""The world the sealed-message interop tests share: a root and intermediate, the sender
and the readers with their keys on disk and in a certificate store, sealing a message to
some of them, the envelopes written out for each peer, and each peer's own key store."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop_app.core.identity import Identity, identity_of
from desktop_app.core.mime.compose import Attachment, InnerMessage
from desktop_app.core.pki.stored import Source
from desktop_app.core.recipients.addresses import Mailbox, parse_address_list, parse_mailbox
from desktop_app.core.recipients.evidence import CertificateJudge
from desktop_app.core.recipients.status import Draft
from desktop_app.core.smime.envelope_open import open_envelope
from desktop_app.core.smime.seal import CipherPolicy, OutgoingMessage, SealResult, seal_message
from desktop_app.core.smime.wrap import mime_to_envelope
from desktop_app.services.certstore.store import CertStore
from tests.factories.certs import TestCA
from tests.interop.envelope_peers import (
    Party,
    gnupg_home,
    nss_database,
    require,
    run,
    smime_base64_body,
    smime_body,
    stop_gnupg,
    write_party,
)

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
DATES = {"not_before": NOW - dt.timedelta(days=1), "not_after": NOW + dt.timedelta(days=60)}
SENDER = "me@clinic.example"
# name: (address, key kind, field); distinct key slots give distinct keys.
PEOPLE = {
    "ann": ("ann@clinic.example", "rsa2048", "to"),
    "bob": ("bob@clinic.example", "rsa2048", "to"),
    "cara": ("cara@partner.example", "rsa2048", "cc"),
    "dan": ("dan@clinic.example", "rsa2048", "bcc"),
    "eve": ("eve@partner.example", "rsa2048", "bcc"),
    "fay": ("fay@clinic.example", "p256", "ec"),  # for the OpenSSL-only variants
}
DEFAULT_READERS = tuple(name for name, spec in PEOPLE.items() if spec[2] != "ec")
SCAN = os.urandom(300_000) + b"\x00\r\n\r\n--\xff"  # binary; line ends and a fake delimiter
UMLAUT_NAME = "Überweisung Müller (März 2026) 検査.pdf"
UMLAUT_FILE = b"%PDF-1.7\n% \xe4\xf6\xfc\n" + os.urandom(2_000)


@dataclass(frozen=True)
class World:
    root: TestCA
    intermediate: TestCA
    sender: Party
    people: dict[str, Party]
    folder: Path
    store: CertStore

    @property
    def identity(self) -> Identity:
        issued = self.sender.issued
        return identity_of(issued.cert, issued.key, (self.intermediate.cert,), source="test")

    @property
    def root_pem(self) -> Path:
        return self.folder / "root.pem"

    def address(self, name: str) -> str:
        return PEOPLE[name][0]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("seal-interop")
    root = TestCA("Seal Interop Root", **DATES)  # type: ignore[arg-type]
    intermediate = root.intermediate("Seal Interop Intermediate", **DATES)
    (folder / "root.pem").write_bytes(root.pem)
    sender = write_party("me", intermediate.issue([SENDER], slot=10, **DATES), folder)  # type: ignore[arg-type]
    people = {
        name: write_party(
            name,
            root.issue([address], key_kind=kind, slot=11 + number, **DATES),  # type: ignore[arg-type]
            folder,
        )
        for number, (name, (address, kind, _)) in enumerate(PEOPLE.items())
    }
    with CertStore.open(folder / "store.sqlite") as store:
        store.add_trust_anchor(root.cert, NOW)
        store.add_certificate(sender.issued.cert, Source.IMPORTED, NOW)
        for party in people.values():
            store.add_certificate(party.issued.cert, Source.IMPORTED, NOW)
        yield World(root, intermediate, sender, people, folder, store)


def seal_for(
    world: World,
    *,
    to: Sequence[str],
    cc: Sequence[str] = (),
    bcc: Sequence[str] = (),
    capabilities: Mapping[str, tuple[str, ...]] | None = None,
    policy: CipherPolicy | None = None,
) -> SealResult:
    def mailboxes(names: Sequence[str]) -> tuple[Mailbox, ...]:
        return parse_address_list(", ".join(world.address(n) for n in names))

    draft = Draft(
        to=mailboxes(to),
        cc=mailboxes(cc),
        bcc=mailboxes(bcc),
        sender=parse_mailbox(f"Dr. Me <{SENDER}>"),
    )
    body = InnerMessage(
        "Guten Tag,\nanbei der Befund und die Überweisung.\n",
        attachments=(
            Attachment("scan.dcm", SCAN),
            Attachment(UMLAUT_NAME, UMLAUT_FILE),
        ),
    )
    message = OutgoingMessage(draft, "Befund", body)
    judged = (*draft.to, *draft.cc, *draft.bcc, draft.sender)
    evidence = CertificateJudge(world.store, NOW).collect(m.key for m in judged if m is not None)
    return seal_message(
        message,
        evidence=evidence,
        identity=world.identity,
        certificate_for=world.store.certificate,
        at=NOW,
        capabilities=capabilities,
        policy=policy or CipherPolicy(),
    )


@dataclass(frozen=True)
class Sealed:
    """One envelope on disk, with what each of its readers must get out of it."""

    eml: Path
    der: Path
    base64: Path  # the body alone, as a mail client hands it to gpgsm
    readers: tuple[str, ...]  # names in PEOPLE
    bcc: str | None
    content: bytes  # what the sender's own copy decrypts to


def written_envelopes(world: World, result: SealResult, folder: Path) -> list[Sealed]:
    by_address = {world.address(name): name for name in PEOPLE}
    sealed = []
    for number, envelope in enumerate(result.envelopes):
        eml, der, body = (folder / f"{number}.{kind}" for kind in ("eml", "der", "b64"))
        eml.write_bytes(envelope.eml)
        der.write_bytes(smime_body(envelope.eml))
        body.write_bytes(smime_base64_body(envelope.eml))
        issued = world.sender.issued
        content = open_envelope(mime_to_envelope(envelope.eml), issued.cert, issued.key).content
        readers = tuple(by_address[reader] for reader in envelope.readers)
        sealed.append(Sealed(eml, der, body, readers, envelope.bcc, content))
    return sealed


def openssl_decrypt(openssl: str, eml: Path, party: Party) -> bytes:
    # S/MIME input (the whole .eml), as a mail client hands it over.
    decrypt = [openssl, "cms", "-decrypt", "-in", str(eml)]
    return run([*decrypt, "-recip", str(party.cert_path), "-inkey", str(party.key_path)])


def openssl_verify(openssl: str, world: World, entity: bytes, folder: Path) -> bytes:
    signed = folder / "signed.eml"
    signed.write_bytes(entity)
    verify = [openssl, "cms", "-verify", "-in", str(signed), "-CAfile", str(world.root_pem)]
    return run([*verify, "-out", "-"])


@pytest.fixture(scope="module")
def nss_dbs(world: World, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One NSS database per reader, holding that reader's key and trusting the root."""
    require("cmsutil", "libnss3-tools")
    folder = tmp_path_factory.mktemp("nss")
    return {
        name: nss_database(
            folder / name,
            roots=[world.root.cert],
            key=(name, world.people[name].issued, [world.root.cert]),
        )
        for name in DEFAULT_READERS
    }


@pytest.fixture(scope="module")
def gnupg_homes(
    world: World, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Path]]:
    """One GnuPG home per reader with that reader's key; the root trusted in each."""
    require("gpgsm", "gpgsm")
    folder = tmp_path_factory.mktemp("gnupg")
    homes: dict[str, Path] = {}
    try:
        for name in DEFAULT_READERS:
            homes[name] = folder / name  # registered first: stopped even if set-up fails
            gnupg_home(homes[name], root=world.root.cert, key=(world.people[name].issued, []))
        yield homes
    finally:
        for home in homes.values():
            stop_gnupg(home)
