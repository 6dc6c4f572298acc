"""Read the signed attributes of a SignerInfo one at a time (RFC 5652 5.3, 11)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from asn1crypto import cms, core

from desktop_app.core.messages import text
from desktop_app.core.smime.capabilities import OID_SMIME_CAPABILITIES

OID_CONTENT_TYPE: Final = "1.2.840.113549.1.9.3"
OID_MESSAGE_DIGEST: Final = "1.2.840.113549.1.9.4"
OID_SIGNING_TIME: Final = "1.2.840.113549.1.9.5"
# Named in the message signature.attribute_repeated; RFC 5652 11 allows each of these
# once, with one value.
_SINGLE: Final = {
    OID_CONTENT_TYPE: "content type",
    OID_MESSAGE_DIGEST: "message digest",
    OID_SIGNING_TIME: "signing time",
    OID_SMIME_CAPABILITIES: "S/MIME capabilities",
}
_REQUIRED: Final = (OID_CONTENT_TYPE, OID_MESSAGE_DIGEST)


@dataclass(frozen=True)
class SignedAttributes:
    """What verification reads from the signed attributes.

    ``der`` is what the signature covers: the received attributes with the SET OF tag,
    never re-sorted or re-encoded (CMS-NOTES 1). ``problem`` is set, and the values are
    empty, when a required attribute is missing or one is repeated.
    """

    der: bytes
    content_type: str
    message_digest: bytes
    signing_time: datetime | None
    capabilities: cms.CMSAttribute | None
    problem: str | None = None


def read_signed_attributes(info: cms.SignerInfo) -> SignedAttributes | None:
    """The signed attributes of ``info``, or None when it has none.

    `.native` of the whole set raises on attributes asn1crypto does not know (such as
    Microsoft's 1.3.6.1.4.1.311.16.4, which NSS and Outlook send), so only the attributes
    used here are decoded, each by itself; the others are skipped.

    Raises:
        ValueError, TypeError, KeyError, IndexError: a used attribute is malformed (the
            caller reports the signature as damaged).
    """
    attributes = info["signed_attrs"]
    if isinstance(attributes, core.Void):
        return None
    der = attributes.untag().dump()
    found: dict[str, list[cms.CMSAttribute]] = {}
    for attribute in attributes:
        oid = attribute["type"].dotted
        if oid in _SINGLE:
            found.setdefault(oid, []).append(attribute)
    for oid, label in _SINGLE.items():
        copies = found.get(oid, [])
        repeated = len(copies) > 1 or any(len(copy["values"]) != 1 for copy in copies)
        if repeated or (oid in _REQUIRED and not copies):
            problem = text("signature.attribute_repeated", attribute=label)
            return SignedAttributes(der, "", b"", None, None, problem)
    content_type = found[OID_CONTENT_TYPE][0]["values"][0].dotted
    message_digest = found[OID_MESSAGE_DIGEST][0]["values"][0].native
    if not isinstance(message_digest, bytes):
        raise ValueError("messageDigest is not an OCTET STRING")
    capabilities = found.get(OID_SMIME_CAPABILITIES, [None])[0]
    return SignedAttributes(der, content_type, message_digest, _signing_time(found), capabilities)


def _signing_time(found: dict[str, list[cms.CMSAttribute]]) -> datetime | None:
    copies = found.get(OID_SIGNING_TIME)
    if not copies:
        return None
    try:
        value = copies[0]["values"][0].native
    except (ValueError, TypeError, KeyError, IndexError, OverflowError):
        return None  # a claim shown for information only; unreadable means not shown
    return value if isinstance(value, datetime) and value.utcoffset() is not None else None
