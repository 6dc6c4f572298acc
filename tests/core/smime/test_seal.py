"""Sealing: sign then encrypt for every recipient, one envelope per Bcc, never partly."""

import datetime as dt
import email
import email.policy
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.core.recipients.addresses import parse_address_list
from desktop_app.core.recipients.evidence import CertificateJudge
from desktop_app.core.recipients.status import Evidence, Lookup, StatusCode
from desktop_app.core.smime.algorithms import ContentCipher
from desktop_app.core.smime.envelope_open import open_envelope
from desktop_app.core.smime.errors import EnvelopeError
from desktop_app.core.smime.seal import (
    NotAllCoveredError,
    seal_message,
)
from desktop_app.core.smime.signature_mime import split_multipart_signed
from desktop_app.core.smime.wrap import mime_to_envelope
from desktop_app.services.certstore.store import CertStore
from tests.core.smime.sealing import (
    ANN,
    BOB,
    LEE,
    ME,
    PEOPLE,
    identity,
    outgoing,
    seal,
    stocked_store,
)
from tests.factories.certs import NOW, Issued


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CertStore]:
    yield from stocked_store(tmp_path / "s.sqlite")


def opened_by(person: Issued, eml: bytes) -> bytes:
    return open_envelope(mime_to_envelope(eml), person.cert, person.key).content


def headers(eml: bytes) -> email.message.Message:
    return email.message_from_bytes(eml, policy=email.policy.compat32)


def test_refuses_to_seal_when_anyone_is_not_covered(store: CertStore) -> None:
    message = outgoing("lee@clinic.example", "dana@partner.example")
    with pytest.raises(NotAllCoveredError) as refused:
        seal(store, message)
    assert [r.mailbox.key for r in refused.value.status.uncovered] == ["dana@partner.example"]
    assert "dana@partner.example" in refused.value.message


def test_a_message_without_recipients_is_refused_with_a_whole_sentence(store: CertStore) -> None:
    with pytest.raises(NotAllCoveredError) as refused:
        seal(store, outgoing(""))
    assert refused.value.status.recipients == ()
    assert refused.value.message.startswith("Nothing was sealed: ")
    assert "unreadable for" not in refused.value.message


def test_a_pending_lookup_is_refused_even_if_the_caller_thinks_otherwise(store: CertStore) -> None:
    message = outgoing("lee@clinic.example")
    evidence = Evidence(lookups={"lee@clinic.example": Lookup(pending=True)})
    with pytest.raises(NotAllCoveredError) as refused:
        seal_message(
            message,
            evidence=evidence,
            identity=identity(ME),
            certificate_for=store.certificate,
            at=NOW,
        )
    assert refused.value.status.recipients[0].code is StatusCode.UNRESOLVED


def test_to_and_cc_share_one_envelope_that_each_and_the_sender_open(store: CertStore) -> None:
    result = seal(store, outgoing("Lee <lee@clinic.example>", "ann@clinic.example"))
    (envelope,) = result.envelopes
    assert envelope.readers == ("lee@clinic.example", "ann@clinic.example")
    assert envelope.cipher is ContentCipher.AES256_CBC
    outer = headers(envelope.eml)
    assert outer["To"] == "Lee <lee@clinic.example>"
    assert outer["Cc"] == "ann@clinic.example"
    assert outer["In-Reply-To"] == "<m1@x>"
    assert outer.get_content_type() == "application/pkcs7-mime"
    assert outer.get_param("smime-type") == "enveloped-data"
    assert b"Results attached" not in envelope.eml and b"results.pdf" not in envelope.eml
    contents = {opened_by(person, envelope.eml) for person in (LEE, ANN, ME)}
    assert len(contents) == 1, "every reader gets the same signed content"
    signed = split_multipart_signed(contents.pop())
    assert b"results.pdf" in signed.signed
    with pytest.raises(EnvelopeError):
        opened_by(BOB, envelope.eml)
    assert [n.code for n in result.notices] == ["mixed_key_types"]


def test_each_bcc_gets_an_envelope_addressed_to_them_alone(store: CertStore) -> None:
    result = seal(
        store, outgoing("lee@clinic.example", bcc="ann@clinic.example, bob@partner.example")
    )
    shared, *hidden = result.envelopes
    assert shared.bcc is None and shared.readers == ("lee@clinic.example",)
    assert b"ann@clinic.example" not in shared.eml and b"bob@partner.example" not in shared.eml
    assert [(e.bcc, e.readers) for e in hidden] == [
        ("ann@clinic.example", ("ann@clinic.example",)),
        ("bob@partner.example", ("bob@partner.example",)),
    ]
    for envelope, reader, outsider in ((hidden[0], ANN, BOB), (hidden[1], BOB, ANN)):
        outer = headers(envelope.eml)
        assert outer["To"] == envelope.bcc and outer["Cc"] is None and outer["Bcc"] is None
        assert b"lee@clinic.example" not in envelope.eml, "the To stays inside the envelope"
        assert opened_by(reader, envelope.eml) == opened_by(ME, envelope.eml)
        with pytest.raises(EnvelopeError):
            opened_by(LEE, envelope.eml)
        with pytest.raises(EnvelopeError):
            opened_by(outsider, envelope.eml)
    ids = {headers(e.eml)["Message-ID"] for e in result.envelopes}
    assert len(ids) == 3


def test_gcm_only_when_every_reader_advertised_it(store: CertStore) -> None:
    fingerprint = {name: fingerprint_sha256(p.cert) for name, p in PEOPLE.items()}
    gcm = (ContentCipher.AES256_GCM.value, ContentCipher.AES256_CBC.value)
    only_lee = {fingerprint["lee"]: gcm}
    both = {fingerprint["lee"]: gcm, fingerprint["ann"]: gcm}
    message = outgoing("lee@clinic.example", "ann@clinic.example")
    assert (
        seal(store, message, capabilities=only_lee).envelopes[0].cipher is ContentCipher.AES256_CBC
    )
    sealed = seal(store, message, capabilities=both).envelopes[0]
    assert sealed.cipher is ContentCipher.AES256_GCM
    assert headers(sealed.eml).get_param("smime-type") == "authEnveloped-data"
    assert split_multipart_signed(opened_by(ANN, sealed.eml)).signed


def test_unsigned_when_asked(store: CertStore) -> None:
    envelope = seal(store, outgoing("lee@clinic.example"), sign=False).envelopes[0]
    content = opened_by(LEE, envelope.eml)
    assert b"multipart/signed" not in content.split(b"\r\n\r\n")[0]
    assert b"results.pdf" in content


def test_expired_at_seal_time_is_refused(store: CertStore) -> None:
    later = NOW + dt.timedelta(days=4000)
    message = outgoing("lee@clinic.example")
    judge = CertificateJudge(store, later)
    evidence = judge.collect(["lee@clinic.example", "me@clinic.example"])
    with pytest.raises(NotAllCoveredError):
        seal_message(
            message,
            evidence=evidence,
            identity=identity(ME),
            certificate_for=store.certificate,
            at=later,
        )


def test_a_list_recipient_is_sealed_for_each_of_its_members(store: CertStore) -> None:
    message = outgoing("Team <team@clinic.example>")
    judge = CertificateJudge(store, NOW)
    members = parse_address_list("lee@clinic.example, ann@clinic.example")
    found = judge.collect(["lee@clinic.example", "ann@clinic.example", "me@clinic.example"])
    evidence = Evidence(
        lookups={**found.lookups, "team@clinic.example": Lookup(members=members)},
    )
    result = seal_message(
        message, evidence=evidence, identity=identity(ME), certificate_for=store.certificate, at=NOW
    )
    (envelope,) = result.envelopes
    assert envelope.readers == ("team@clinic.example",)
    assert (
        opened_by(LEE, envelope.eml) == opened_by(ANN, envelope.eml) == opened_by(ME, envelope.eml)
    )
    with pytest.raises(EnvelopeError):
        opened_by(BOB, envelope.eml)


def test_envelopes_can_be_written_to_sinks_as_they_are_made(store: CertStore) -> None:
    sinks: dict[tuple[int, str | None], io.BytesIO] = {}

    def sink_for(number: int, bcc: str | None) -> io.BytesIO:
        sinks[(number, bcc)] = io.BytesIO()
        return sinks[(number, bcc)]

    result = seal(
        store, outgoing("lee@clinic.example", bcc="ann@clinic.example"), sink_for=sink_for
    )
    assert [e.eml for e in result.envelopes] == [None, None]
    assert list(sinks) == [(1, None), (2, "ann@clinic.example")]
    assert opened_by(LEE, sinks[(1, None)].getvalue())
    assert opened_by(ANN, sinks[(2, "ann@clinic.example")].getvalue())
    with pytest.raises(ValueError, match="sink"):
        _ = result.envelopes[0].message
