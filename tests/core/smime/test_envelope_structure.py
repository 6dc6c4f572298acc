"""What the sealed bytes contain, checked with asn1crypto and cryptography independently."""

from __future__ import annotations

import pytest
from asn1crypto import cms, core
from cryptography.hazmat.primitives import padding as sym_padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from desktop_app.core.smime.algorithms import (
    ContentCipher,
    EccCmsSharedInfo,
    GcmParameters,
    KeyTransport,
)
from desktop_app.core.smime.envelope_seal import seal_envelope
from desktop_app.core.smime.recipient_seal import EnvelopeRecipient
from tests.core.smime.conftest import Parties

CONTENT = b"Laborwerte im Anhang.\r\n" * 50


class FixedRandom:
    """Hands out 0x01 0x02 ... so the content key and IV are known to the test."""

    def __init__(self) -> None:
        self.handed: list[bytes] = []

    def __call__(self, size: int) -> bytes:
        value = bytes((len(self.handed) + 1,)) * size
        self.handed.append(value)
        return value


@pytest.mark.parametrize("cipher", list(ContentCipher))
@pytest.mark.parametrize("with_ec", [False, True])
def test_output_is_canonical_der(parties: Parties, cipher: ContentCipher, with_ec: bool) -> None:
    # Headers written around the ciphertext must be exactly what asn1crypto would write.
    people = parties.recipients if with_ec else (parties.ann, parties.bob)
    sealed = seal_envelope(
        CONTENT, [EnvelopeRecipient(p.cert, KeyTransport.RSA_OAEP) for p in people], cipher
    )
    parsed = cms.ContentInfo.load(sealed, strict=True)
    assert parsed.dump(force=True) == sealed


def test_cbc_envelope_fields(parties: Parties) -> None:
    random = FixedRandom()
    sealed = seal_envelope(CONTENT, [EnvelopeRecipient(parties.ann.cert)], random_bytes=random)
    info = cms.ContentInfo.load(sealed)
    assert info["content_type"].native == "enveloped_data"
    enveloped = info["content"]
    assert enveloped["version"].native == "v0"
    assert isinstance(enveloped["originator_info"], core.Void)
    assert isinstance(enveloped["unprotected_attrs"], core.Void)
    content_info = enveloped["encrypted_content_info"]
    assert content_info["content_type"].native == "data"
    algorithm = content_info["content_encryption_algorithm"]
    key, iv = random.handed
    assert algorithm["algorithm"].native == "aes256_cbc"
    assert algorithm["parameters"].native == iv
    # Decrypt with cryptography directly: the ciphertext is plain AES-256-CBC + PKCS #7.
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    padded = decryptor.update(content_info["encrypted_content"].native) + decryptor.finalize()
    unpadder = sym_padding.PKCS7(128).unpadder()
    assert unpadder.update(padded) + unpadder.finalize() == CONTENT

    [ktri] = enveloped["recipient_infos"]
    assert ktri.name == "ktri"
    assert ktri.chosen["version"].native == "v0"
    assert ktri.chosen["rid"].name == "issuer_and_serial_number"
    assert ktri.chosen["key_encryption_algorithm"].dump().hex() == (
        "300d06092a864886f70d0101010500"  # rsaEncryption, NULL
    )


def test_gcm_envelope_fields(parties: Parties) -> None:
    random = FixedRandom()
    sealed = seal_envelope(
        CONTENT,
        [EnvelopeRecipient(parties.carol.cert)],
        ContentCipher.AES256_GCM,
        random_bytes=random,
    )
    info = cms.ContentInfo.load(sealed)
    assert info["content_type"].dotted == "1.2.840.113549.1.9.16.1.23"
    auth = info["content"]
    # RFC 5083: version 0 even with a kari; no authAttrs (OpenSSL 3.0 cannot read them).
    assert auth["version"].native == "v0"
    assert isinstance(auth["auth_attrs"], core.Void)
    key, nonce = random.handed
    algorithm = auth["auth_encrypted_content_info"]["content_encryption_algorithm"]
    assert algorithm["algorithm"].native == "aes256_gcm"
    assert algorithm["parameters"].dump() == bytes.fromhex("3011040c") + nonce + b"\x02\x01\x10"
    ciphertext = auth["auth_encrypted_content_info"]["encrypted_content"].native
    assert len(ciphertext) == len(CONTENT)
    tag = auth["mac"].native
    decryptor = Cipher(algorithms.AES(key), modes.GCM(nonce, tag)).decryptor()
    assert decryptor.update(ciphertext) + decryptor.finalize() == CONTENT
    assert GcmParameters.load(algorithm["parameters"].dump())["aes_icvlen"].native == 16


def test_enveloped_data_version_is_2_with_key_agreement(parties: Parties) -> None:
    sealed = seal_envelope(
        CONTENT, [EnvelopeRecipient(parties.ann.cert), EnvelopeRecipient(parties.carol.cert)]
    )
    assert cms.ContentInfo.load(sealed)["content"]["version"].native == "v2"


def test_key_agreement_fields(parties: Parties) -> None:
    sealed = seal_envelope(CONTENT, [EnvelopeRecipient(parties.dave.cert)])
    [kari] = cms.ContentInfo.load(sealed)["content"]["recipient_infos"]
    assert kari.name == "kari"
    value = kari.chosen
    assert value["version"].native == "v3"
    assert isinstance(value["ukm"], core.Void)  # optional; OpenSSL omits it too
    originator = value["originator"]
    assert originator.name == "originator_key"
    # id-ecPublicKey with the parameters absent (RFC 5753), then an uncompressed P-384 point.
    assert originator.chosen["algorithm"].dump().hex() == "300906072a8648ce3d0201"
    point = originator.chosen["public_key"].native
    assert point[0] == 4 and len(point) == 97
    algorithm = value["key_encryption_algorithm"]
    assert algorithm["algorithm"].dotted == "1.3.132.1.11.1"  # stdDH-sha256kdf
    assert algorithm["parameters"].dump().hex() == "300b060960864801650304012d"  # aes256-wrap
    [encrypted] = value["recipient_encrypted_keys"]
    assert encrypted["rid"].name == "issuer_and_serial_number"
    assert len(encrypted["encrypted_key"].native) == 40  # 32-byte key + 8 wrap bytes


def test_oaep_parameters_name_sha256(parties: Parties) -> None:
    sealed = seal_envelope(CONTENT, [EnvelopeRecipient(parties.ann.cert, KeyTransport.RSA_OAEP)])
    [ktri] = cms.ContentInfo.load(sealed)["content"]["recipient_infos"]
    algorithm = ktri.chosen["key_encryption_algorithm"]
    assert algorithm["algorithm"].native == "rsaes_oaep"
    parameters = algorithm["parameters"]
    assert parameters["hash_algorithm"]["algorithm"].native == "sha256"
    assert parameters["mask_gen_algorithm"]["algorithm"].native == "mgf1"
    assert parameters["mask_gen_algorithm"]["parameters"]["algorithm"].native == "sha256"
    assert parameters["p_source_algorithm"]["parameters"].native == b""


def test_shared_info_matches_the_rfc_5753_encoding() -> None:
    shared_info = EccCmsSharedInfo(
        {
            "key_info": cms.KeyEncryptionAlgorithm({"algorithm": "aes256_wrap"}),
            "supp_pub_info": (256).to_bytes(4, "big"),
        }
    )
    assert shared_info.dump().hex() == "3015300b060960864801650304012da20604040000010" + "0"
