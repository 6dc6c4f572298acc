"""RFC 5753 key-encryption-key derivation for ECDH key agreement, shared by seal and open."""

from __future__ import annotations

from asn1crypto import cms
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.x963kdf import X963KDF

from desktop_app.core.smime.algorithms import KEY_SIZE_BY_WRAP, EccCmsSharedInfo


def derive_kek(
    shared_secret: bytes,
    hash_type: type[hashes.HashAlgorithm],
    wrap_algorithm: cms.KeyEncryptionAlgorithm,
    ukm: bytes | None,
) -> bytes:
    """The AES key-wrap key from an ECDH shared secret (X9.63 KDF over ECC-CMS-SharedInfo).

    ``wrap_algorithm`` goes into the shared info as it is: when opening it must be the
    received AlgorithmIdentifier, so its exact encoding (parameters absent or NULL) is hashed
    the way the sender hashed it.
    """
    size = KEY_SIZE_BY_WRAP[wrap_algorithm["algorithm"].native]
    info: dict[str, object] = {
        "key_info": wrap_algorithm,
        "supp_pub_info": (size * 8).to_bytes(4, "big"),
    }
    if ukm is not None:
        info["entity_u_info"] = ukm
    shared_info = EccCmsSharedInfo(info).dump()
    kdf = X963KDF(algorithm=hash_type(), length=size, sharedinfo=shared_info)
    return kdf.derive(shared_secret)
