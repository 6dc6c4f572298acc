"""SMIMECapabilities (RFC 8551 2.5.2): what we advertise when signing, and reading a peer's list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from asn1crypto import algos, cms, core

from desktop_app.core.smime.algorithms import ContentCipher, KeyTransport
from desktop_app.core.smime.signature_algorithms import (
    OID_MGF1,
    OID_SHA256,
    OaepSha2Parameters,
    PlainAlgorithmIdentifier,
)

OID_SMIME_CAPABILITIES: Final = "1.2.840.113549.1.9.15"
_OID_OAEP: Final = "1.2.840.113549.1.1.7"


@dataclass(frozen=True, slots=True)
class Capability:
    """One SMIMECapability: an algorithm OID (dotted) and the DER of its parameters, if any."""

    oid: str
    parameters: bytes | None = None


def _sha256_oaep_parameters() -> bytes:
    # The form OpenSSL writes for rsa_oaep_md:sha256 (hash AlgIds with absent parameters, as
    # RFC 5754 asks; see CMS-NOTES 2): asn1crypto's own RSAESOAEPParams would add NULLs.
    sha256 = PlainAlgorithmIdentifier({"algorithm": OID_SHA256})
    mgf1 = PlainAlgorithmIdentifier({"algorithm": OID_MGF1, "parameters": sha256})
    return bytes(OaepSha2Parameters({"hash_algorithm": sha256, "mask_gen_algorithm": mgf1}).dump())


AES256_GCM: Final = Capability("2.16.840.1.101.3.4.1.46")
AES128_GCM: Final = Capability("2.16.840.1.101.3.4.1.6")
AES256_CBC: Final = Capability("2.16.840.1.101.3.4.1.42")
AES128_CBC: Final = Capability("2.16.840.1.101.3.4.1.2")
RSA_OAEP_SHA256: Final = Capability(_OID_OAEP, _sha256_oaep_parameters())
# dhSinglePass-stdDH-sha256kdf-scheme with AES-256 key wrap (RFC 5753 7.2): for a signer
# whose own key is EC, so that peers know we open ECDH envelopes.
ECDH_SHA256_AES256_WRAP: Final = Capability(
    "1.3.132.1.11.1", cms.KeyEncryptionAlgorithm({"algorithm": "aes256_wrap"}).dump()
)

# RFC 8551 2.5.2 asks for the preferred algorithms first; GCM leads because it is the only
# authenticated choice, CBC follows for peers without GCM (NSS 3.87 and gpgsm 2.2 here).
DEFAULT_CAPABILITIES: Final = (AES256_GCM, AES128_GCM, AES256_CBC, AES128_CBC, RSA_OAEP_SHA256)

# Names given to a peer's advertised algorithms; the cipher and key-transport names are the
# values of the enums the sealing code takes, so `ContentCipher.AES256_GCM in names` works.
_NAMES: Final = {
    AES256_GCM.oid: ContentCipher.AES256_GCM.value,
    AES128_GCM.oid: ContentCipher.AES128_GCM.value,
    AES256_CBC.oid: ContentCipher.AES256_CBC.value,
    AES128_CBC.oid: ContentCipher.AES128_CBC.value,
    "2.16.840.1.101.3.4.1.26": "aes192-gcm",
    "2.16.840.1.101.3.4.1.22": "aes192-cbc",
    "1.2.840.113549.3.7": "3des-cbc",
    "1.2.840.113549.3.2": "rc2-cbc",
    "1.3.14.3.2.7": "des-cbc",
    "1.2.840.113549.1.9.15.1": "prefer-signed-data",
    "1.2.840.113549.1.9.15.2": "cannot-decrypt-any",
}
_OAEP_HASH_NAMES: Final = {"sha1": "sha1", "sha224": "sha224", "sha384": "sha384"}
# A hostile list could be megabytes long; real ones have about ten entries.
MAX_CAPABILITIES: Final = 64


def capabilities_attribute(capabilities: tuple[Capability, ...]) -> cms.CMSAttribute:
    """The smimeCapabilities signed attribute listing ``capabilities`` in the given order."""
    entries = []
    for capability in capabilities:
        entry: dict[str, object] = {"capability_id": capability.oid}
        if capability.parameters is not None:
            entry["parameters"] = core.Any.load(capability.parameters)
        entries.append(cms.SMIMECapabilityIdentifier(entry))
    return cms.CMSAttribute(
        {"type": "smime_capabilities", "values": [cms.SMIMECapabilites(entries)]}
    )


def capability_names(attribute: cms.CMSAttribute) -> tuple[str, ...]:
    """The algorithms a received smimeCapabilities attribute advertises, in its order.

    Known algorithms get short names (``ContentCipher`` values, ``KeyTransport.RSA_OAEP``
    for OAEP with SHA-256, ``rsa-oaep-sha1`` and the like for OAEP with another hash);
    others are given as dotted OIDs. Only the first MAX_CAPABILITIES entries are read.

    Raises:
        ValueError, TypeError: the attribute does not parse (the caller reports it).
    """
    values = attribute["values"]
    if len(values) != 1:
        raise ValueError("smimeCapabilities must have one value")
    names: list[str] = []
    for number, entry in enumerate(values[0]):
        if number == MAX_CAPABILITIES:
            break
        oid = entry["capability_id"].dotted
        name = _oaep_name(entry["parameters"]) if oid == _OID_OAEP else _NAMES.get(oid, oid)
        if name not in names:
            names.append(name)
    return tuple(names)


def _oaep_name(parameters: core.Asn1Value) -> str:
    # Without parameters OAEP means its defaults, SHA-1 (RFC 4055 3.1).
    if isinstance(parameters, core.Void):
        return "rsa-oaep-sha1"
    params = algos.RSAESOAEPParams.load(parameters.dump())
    hash_name = params["hash_algorithm"]["algorithm"].native
    if hash_name == "sha256":
        return KeyTransport.RSA_OAEP.value
    return f"rsa-oaep-{_OAEP_HASH_NAMES.get(hash_name, hash_name)}"
