"""Signing a manifest into a bundle, and accepting a bundle only from the pinned admin.

The bundle is a DER CMS SignedData that carries the manifest (eContentType id-data),
made by the same signing code as S/MIME signatures and checked by the same verifier,
with the pinned admin certificate as the only trust anchor.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from asn1crypto import cms
from cryptography import x509

from desktop_app.core.bundles.manifest import BundleError, Manifest, manifest_bytes, parse_manifest
from desktop_app.core.messages import text
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.smime.signature_errors import SignatureError
from desktop_app.core.smime.signature_sign import SigningKey, sign_detached
from desktop_app.core.smime.signature_verify import verify_opaque


def sign_bundle(
    manifest: Manifest,
    signer: x509.Certificate,
    key: SigningKey,
    *,
    chain: Sequence[x509.Certificate] = (),
    at: datetime,
) -> bytes:
    """The signed bundle: a SignedData over the manifest, with the manifest inside."""
    content = manifest_bytes(manifest)
    detached = cms.ContentInfo.load(
        sign_detached(content, signer, key, chain=chain, signing_time=at)
    )
    signed = detached["content"]
    signed["encap_content_info"] = cms.ContentInfo({"content_type": "data", "content": content})
    return bytes(
        cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump(force=True)
    )


def open_bundle(data: bytes, pinned: Sequence[x509.Certificate], at: datetime) -> Manifest:
    """The manifest of a bundle whose signer chains to ``pinned``; BundleError otherwise."""
    try:
        verdict, content = verify_opaque(
            data, trust=TrustContext(anchors=tuple(pinned)), at=at, from_address_key=None
        )
    except SignatureError as error:
        raise BundleError(text("bundle.not_signed", reason=error.message)) from None
    if not verdict.valid:
        raise BundleError(text("bundle.wrong_signer", reason=verdict.reason))
    return parse_manifest(content)
