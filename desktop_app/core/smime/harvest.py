"""Decide which certificate, if any, a verified signed message teaches us (issue 3, harvest).

Only the signer's own certificate is ever learnt, and only from a valid signature whose
certificate names the From address. Any other certificate a message carries is chosen by
whoever built the message and proves nothing, so it is never offered for storing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cryptography import x509

from desktop_app.core.messages import text
from desktop_app.core.smime.algorithms import OID_DATA
from desktop_app.core.smime.signature_verify import SignatureVerdict
from desktop_app.core.smime.signing_time import shown_signing_time, signed_in_future


@dataclass(frozen=True)
class HarvestDecision:
    """The certificate to store (None: nothing) and the signer's advertised algorithms.

    ``capabilities`` are the names from the verified SMIMECapabilities (see
    ``capabilities.capability_names``), to be stored with the certificate; empty when
    nothing is learnt, the signer advertised none, or the signature is dated in the future.
    ``signed_at`` is the signing time they came with (None: the signature has none); the
    store keeps it so that an older signature never replaces them. ``capabilities_note``
    says why advertised capabilities were set aside.
    """

    certificate: x509.Certificate | None
    capabilities: tuple[str, ...]
    reason: str
    signed_at: datetime | None = None
    capabilities_note: str | None = None

    @property
    def harvested(self) -> bool:
        return self.certificate is not None


def harvest_candidate(
    verdict: SignatureVerdict,
    from_address_key: str,
    *,
    at: datetime,
    signs_encrypted: bool = False,
) -> HarvestDecision:
    """What to learn from a message whose signature was judged ``verdict``.

    ``from_address_key`` is the normalised From address. ``signs_encrypted`` is True when
    the signature is outside the encryption (an outer signature over an envelope): such a
    signature can be put on any encrypted message by whoever holds it, so it teaches nothing.
    A signed envelope that arrives as an opaque SignedData is recognised by its content type.
    ``at`` is now: capabilities from a signature dated beyond it (and the clock skew) are
    not offered for storing.
    """
    if signs_encrypted or verdict.content_type != OID_DATA:
        return _nothing(text("harvest.signed_ciphertext"))
    if not verdict.valid:
        return _nothing(text("harvest.not_valid", reason=verdict.reason))
    if verdict.signer is None:
        return _nothing(text("harvest.no_signer"))
    # verify_signature checks the From address only when it is given one, so the
    # check is repeated here rather than trusted to have happened.
    if from_address_key not in verdict.signer_addresses:
        shown = ", ".join(verdict.signer_addresses) or text("harvest.no_address")
        return _nothing(text("harvest.not_sender", signer_addresses=shown, sender=from_address_key))
    learnt = text("harvest.harvested", address=from_address_key)
    if signed_in_future(verdict.signing_time, at):
        assert verdict.signing_time is not None
        shown = shown_signing_time(verdict.signing_time)
        note = text("warning.signing_time_in_future", signing_time=shown)
        return HarvestDecision(verdict.signer, (), learnt, None, note)
    return HarvestDecision(verdict.signer, verdict.capabilities, learnt, verdict.signing_time)


def _nothing(reason: str) -> HarvestDecision:
    return HarvestDecision(None, (), reason)
