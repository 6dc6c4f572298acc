"""Opening envelopes that other software writes: BER, legacy ciphers, other recipient ids."""

from __future__ import annotations

import os

import pytest
from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from desktop_app.core.messages import text
from desktop_app.core.smime.envelope_open import open_envelope
from desktop_app.core.smime.envelope_seal import seal_envelope
from desktop_app.core.smime.errors import EnvelopeError
from desktop_app.core.smime.recipient_seal import EnvelopeRecipient
from tests.core.smime.builders import cbc_envelope, gcm_envelope, recipient_info, streamed
from tests.core.smime.conftest import Parties
from tests.factories.certs import TestCA
from tests.factories.key_id_certs import issue_with_key_id

CONTENT = os.urandom(5000)


@pytest.mark.parametrize("nested", [False, True])
@pytest.mark.parametrize("chunk", [16, 1000, 4096])
def test_indefinite_length_ber_as_openssl_streams_it(
    parties: Parties, chunk: int, nested: bool
) -> None:
    recipients = [EnvelopeRecipient(p.cert) for p in parties.recipients]
    ber = streamed(seal_envelope(CONTENT, recipients), chunk, nested=nested)
    assert ber.startswith(bytes.fromhex("3080"))
    for party in parties.recipients:
        assert open_envelope(ber, party.cert, party.key).content == CONTENT


def test_legacy_3des_is_read_and_flagged_weak(parties: Parties) -> None:
    key = os.urandom(24)
    envelope = cbc_envelope(
        CONTENT, [recipient_info(parties.ann.cert, key)], key, cipher="tripledes_3key"
    )
    opened = open_envelope(envelope, parties.ann.cert, parties.ann.key)
    assert opened.content == CONTENT
    assert opened.cipher == "3DES-CBC"
    assert opened.weak


@pytest.mark.parametrize("cipher", ["aes128_cbc", "aes192_cbc", "aes256_cbc"])
def test_every_aes_cbc_size(parties: Parties, cipher: str) -> None:
    key = os.urandom(int(cipher[3:6]) // 8)
    envelope = cbc_envelope(CONTENT, [recipient_info(parties.carol.cert, key)], key, cipher=cipher)
    opened = open_envelope(envelope, parties.carol.cert, parties.carol.key)
    assert opened.content == CONTENT
    assert opened.cipher == f"AES-{cipher[3:6]}-CBC"


@pytest.mark.parametrize("kind", ["rsa2048", "p256"])
def test_subject_key_identifier_recipient_ids(ca: TestCA, kind: str) -> None:
    # The SKI extension's own value is matched, even when it is not the SHA-1 of the key.
    holder = issue_with_key_id(ca, ["ski@clinic.example"], key_kind=kind, key_id=b"\x42" * 8)
    key = os.urandom(32)
    envelope = cbc_envelope(CONTENT, [recipient_info(holder.cert, key, ski=b"\x42" * 8)], key)
    assert open_envelope(envelope, holder.cert, holder.key).content == CONTENT

    other = cbc_envelope(CONTENT, [recipient_info(holder.cert, key, ski=b"\x43" * 8)], key)
    with pytest.raises(EnvelopeError) as caught:
        open_envelope(other, holder.cert, holder.key)
    assert caught.value.message == text("envelope.not_for_you")


def test_subject_key_identifier_falls_back_to_key_hash(parties: Parties) -> None:
    # Certificates without the extension are named by the SHA-1 of their key (RFC 5280).
    parsed = asn1_x509.Certificate.load(parties.ann.cert.public_bytes(serialization.Encoding.DER))
    key = os.urandom(32)
    envelope = cbc_envelope(
        CONTENT, [recipient_info(parties.ann.cert, key, ski=parsed.public_key.sha1)], key
    )
    assert open_envelope(envelope, parties.ann.cert, parties.ann.key).content == CONTENT


@pytest.mark.parametrize(
    ("options", "label"),
    [
        ({"ukm": b"\x07" * 64}, "SHA-256"),
        ({"named_curve": True}, "SHA-256"),
        ({"kdf_oid": "1.3.133.16.840.63.0.2"}, "SHA-1"),
        ({"kdf_oid": "1.3.132.1.11.2"}, "SHA-384"),
        ({"kdf_oid": "1.3.132.1.11.3"}, "SHA-512"),
        ({"kdf_oid": "1.3.132.1.14.1"}, "SHA-256"),  # cofactor ECDH: same secret on P-256
    ],
)
def test_key_agreement_variants(parties: Parties, options: dict[str, object], label: str) -> None:
    key = os.urandom(32)
    envelope = cbc_envelope(CONTENT, [recipient_info(parties.carol.cert, key, **options)], key)
    opened = open_envelope(envelope, parties.carol.cert, parties.carol.key)
    assert opened.content == CONTENT
    assert opened.key_transport == f"ECDH P-256 ({label} KDF, AES-256 key wrap)"


@pytest.mark.parametrize(
    ("oaep", "label"),
    [
        # every field at its default, which encodes as "30 00" (asn1crypto cannot dump {})
        ({"hash_algorithm": {"algorithm": "sha1"}}, "RSA-OAEP (SHA-1)"),
        (
            {
                "hash_algorithm": {"algorithm": "sha384"},
                "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": "sha1"}},
            },
            "RSA-OAEP (SHA-384, MGF1 SHA-1)",
        ),
    ],
)
def test_oaep_parameter_variants(parties: Parties, oaep: dict[str, object], label: str) -> None:
    key = os.urandom(32)
    envelope = cbc_envelope(CONTENT, [recipient_info(parties.bob.cert, key, oaep=oaep)], key)
    opened = open_envelope(envelope, parties.bob.cert, parties.bob.key)
    assert opened.content == CONTENT
    assert opened.key_transport == label


@pytest.mark.parametrize(
    ("oaep", "label"),
    [
        (
            {"p_source_algorithm": {"algorithm": "p_specified", "parameters": b"label"}},
            "RSA-OAEP (SHA-1, label)",
        ),
        (
            {
                "hash_algorithm": {"algorithm": "sha512"},
                "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": "sha224"}},
                "p_source_algorithm": {"algorithm": "p_specified", "parameters": b"\x00\xff"},
            },
            "RSA-OAEP (SHA-512, MGF1 SHA-224, label)",
        ),
    ],
)
def test_oaep_with_a_label_opens(parties: Parties, oaep: dict[str, object], label: str) -> None:
    # RFC 4055 pSourceFunc pSpecified: the label is part of the padding, so a wrong one fails.
    key = os.urandom(32)
    envelope = cbc_envelope(CONTENT, [recipient_info(parties.bob.cert, key, oaep=oaep)], key)
    opened = open_envelope(envelope, parties.bob.cert, parties.bob.key)
    assert opened.content == CONTENT
    assert opened.key_transport == label


@pytest.mark.parametrize(
    ("parameters", "named"),
    [
        ({"hash_algorithm": {"algorithm": "md5"}}, "the hash md5"),
        (
            {"mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": "md5"}}},
            "MGF1 with the hash md5",
        ),
        ({"mask_gen_algorithm": {"algorithm": "1.2.3.4"}}, "the mask generation function 1.2.3.4"),
        ({"p_source_algorithm": {"algorithm": "1.2.3.4"}}, "the label source 1.2.3.4"),
    ],
)
def test_oaep_names_the_parameter_it_cannot_use(
    parties: Parties, parameters: dict[str, object], named: str
) -> None:
    key = os.urandom(32)
    info = recipient_info(parties.bob.cert, key)
    info.chosen["key_encryption_algorithm"] = cms.KeyEncryptionAlgorithm(
        {"algorithm": "rsaes_oaep", "parameters": cms.RSAESOAEPParams(parameters)}
    )
    envelope = cbc_envelope(CONTENT, [info], key)
    with pytest.raises(EnvelopeError) as raised:
        open_envelope(envelope, parties.bob.cert, parties.bob.key)
    assert f"RSA-OAEP using {named}," in raised.value.message


def test_key_agreement_with_r_key_id(ca: TestCA) -> None:
    holder = issue_with_key_id(ca, ["rkeyid@clinic.example"], key_kind="p384")
    ski = holder.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    key = os.urandom(32)
    envelope = cbc_envelope(CONTENT, [recipient_info(holder.cert, key, ski=ski)], key)
    assert open_envelope(envelope, holder.cert, holder.key).content == CONTENT


def test_gcm_with_authenticated_attributes(parties: Parties) -> None:
    key = os.urandom(16)
    attributes = cms.CMSAttributes([{"type": "content_type", "values": ["data"]}])
    envelope = gcm_envelope(
        CONTENT, [recipient_info(parties.ann.cert, key)], key, auth_attrs=attributes
    )
    opened = open_envelope(envelope, parties.ann.cert, parties.ann.key)
    assert opened.content == CONTENT
    assert opened.cipher == "AES-128-GCM"

    # The attributes are covered by the tag: another value fails the check.
    changed = cms.ContentInfo.load(envelope)
    changed["content"]["auth_attrs"] = cms.CMSAttributes(
        [{"type": "content_type", "values": ["signed_data"]}]
    )
    with pytest.raises(EnvelopeError) as caught:
        open_envelope(changed.dump(force=True), parties.ann.cert, parties.ann.key)
    assert caught.value.message == text("envelope.tampered")


def test_gcm_with_a_12_byte_tag(parties: Parties) -> None:
    key = os.urandom(32)
    envelope = gcm_envelope(CONTENT, [recipient_info(parties.ann.cert, key)], key, tag_length=12)
    assert open_envelope(envelope, parties.ann.cert, parties.ann.key).content == CONTENT


def test_gcm_tag_shorter_than_icvlen_is_refused(parties: Parties) -> None:
    key = os.urandom(32)
    envelope = gcm_envelope(CONTENT, [recipient_info(parties.ann.cert, key)], key, tag_length=16)
    shortened = cms.ContentInfo.load(envelope)
    shortened["content"]["mac"] = shortened["content"]["mac"].native[:12]
    with pytest.raises(EnvelopeError) as caught:
        open_envelope(shortened.dump(force=True), parties.ann.cert, parties.ann.key)
    assert caught.value.message == text("envelope.malformed")


def test_other_recipient_kinds_are_skipped(parties: Parties) -> None:
    key = os.urandom(32)
    kekri = cms.RecipientInfo(
        name="kekri",
        value={
            "version": "v4",
            "kekid": {"key_identifier": b"shared"},
            "key_encryption_algorithm": {"algorithm": "aes256_wrap"},
            "encrypted_key": os.urandom(40),
        },
    )
    envelope = cbc_envelope(CONTENT, [kekri, recipient_info(parties.bob.cert, key)], key)
    opened = open_envelope(envelope, parties.bob.cert, parties.bob.key)
    assert opened.content == CONTENT
    assert opened.recipient_count == 2


def test_wrong_content_key_is_a_decrypt_failure(parties: Parties) -> None:
    # The RecipientInfo is for us but carries a key of the wrong size.
    envelope = cbc_envelope(
        CONTENT, [recipient_info(parties.ann.cert, os.urandom(16))], os.urandom(32)
    )
    with pytest.raises(EnvelopeError) as caught:
        open_envelope(envelope, parties.ann.cert, parties.ann.key)
    assert caught.value.message == text("envelope.decrypt_failed")


def test_right_size_wrong_key_fails_padding_or_gives_no_content(parties: Parties) -> None:
    # CBC has no integrity: a wrong key of the right size is caught by the padding check
    # almost always; what matters is that nothing but EnvelopeError escapes.
    for _ in range(20):
        envelope = cbc_envelope(
            CONTENT, [recipient_info(parties.ann.cert, os.urandom(32))], os.urandom(32)
        )
        try:
            opened = open_envelope(envelope, parties.ann.cert, parties.ann.key)
        except EnvelopeError as error:
            assert error.message == text("envelope.decrypt_failed")
        else:
            assert opened.content != CONTENT


def test_signed_data_is_not_an_envelope(parties: Parties) -> None:
    signed = cms.ContentInfo(
        {
            "content_type": "signed_data",
            "content": {
                "version": "v1",
                "digest_algorithms": [],
                "encap_content_info": {"content_type": "data"},
                "signer_infos": [],
            },
        }
    ).dump()
    with pytest.raises(EnvelopeError) as caught:
        open_envelope(signed, parties.ann.cert, parties.ann.key)
    assert caught.value.message == text("envelope.signed_not_encrypted")


def test_detached_content_is_refused(parties: Parties) -> None:
    key = os.urandom(32)
    envelope = cms.ContentInfo.load(
        cbc_envelope(CONTENT, [recipient_info(parties.ann.cert, key)], key)
    )
    del envelope["content"]["encrypted_content_info"]["encrypted_content"]
    with pytest.raises(EnvelopeError) as caught:
        open_envelope(envelope.dump(force=True), parties.ann.cert, parties.ann.key)
    assert caught.value.message == text("envelope.no_content")


def test_trailing_bytes_after_the_envelope_are_ignored(parties: Parties) -> None:
    sealed = seal_envelope(CONTENT, [EnvelopeRecipient(parties.ann.cert)])
    assert open_envelope(sealed + b"\r\n", parties.ann.cert, parties.ann.key).content == CONTENT
