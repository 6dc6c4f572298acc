"""The S/MIME layers of an opened message, outermost first, and what each signature covers.

A signature vouches only for what lies inside it. One with an envelope inside (signed
after encrypting, or a second signer wrapping someone's encrypted message) covers the
ciphertext: anyone holding the message could have put it there, so it says nothing about
who wrote the text. The text is "signed by X" only when X's signature has no envelope
inside it, and a broken signature in one layer does not hide a valid one in another.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from desktop_app.core.messages import text
from desktop_app.core.pki.certificates import display_name
from desktop_app.core.pki.parsing import PARSE_ERRORS
from desktop_app.core.smime.signature_verify import SignatureVerdict


class LayerKind(StrEnum):
    SIGNED = "signed"
    ENCRYPTED = "encrypted"


class Covers(StrEnum):
    """What a signature covers: the text the reader sees, or an encrypted envelope."""

    TEXT = "text"
    ENVELOPE = "envelope"


@dataclass(frozen=True)
class EncryptionReport:
    """How one envelope was encrypted."""

    cipher: str
    key_transport: str
    recipients: int
    weak: bool


@dataclass(frozen=True)
class Layer:
    """One layer: a signature (``verdict``, ``covers``) or an envelope (``encryption``)."""

    kind: LayerKind
    verdict: SignatureVerdict | None = None
    encryption: EncryptionReport | None = None
    covers: Covers | None = None

    @property
    def valid(self) -> bool | None:
        """Whether the signature is valid; None for an envelope."""
        return None if self.verdict is None else self.verdict.valid

    @property
    def signer(self) -> str | None:
        return None if self.verdict is None else signer_label(self.verdict)

    @property
    def description(self) -> str:
        """One sentence about the layer for the reader (for a signature: who signed, what
        it covers, and its verdict's reason)."""
        return describe_layer(self)


def signed(verdict: SignatureVerdict) -> Layer:
    return Layer(LayerKind.SIGNED, verdict=verdict)


def encrypted(report: EncryptionReport) -> Layer:
    return Layer(LayerKind.ENCRYPTED, encryption=report)


def with_coverage(layers: Sequence[Layer]) -> tuple[Layer, ...]:
    """``layers`` (outermost first) with each signature's ``covers`` filled in."""
    result = []
    for index, layer in enumerate(layers):
        if layer.kind is LayerKind.SIGNED:
            inside = layers[index + 1 :]
            envelope_inside = any(other.kind is LayerKind.ENCRYPTED for other in inside)
            layer = dataclasses.replace(
                layer, covers=Covers.ENVELOPE if envelope_inside else Covers.TEXT
            )
        result.append(layer)
    return tuple(result)


def text_signature(layers: Sequence[Layer]) -> Layer | None:
    """The signature layer that vouches for the text: the first valid one covering it,
    else the first covering it (invalid), else None."""
    over_text = [layer for layer in layers if layer.covers is Covers.TEXT]
    return next((layer for layer in over_text if layer.valid), over_text[0] if over_text else None)


def text_verdict(layers: Sequence[Layer]) -> tuple[SignatureVerdict | None, Covers | None]:
    """The verdict on the text the reader sees, and what the signature behind it covers.

    With signatures only around the encryption the verdict is not valid, whatever theirs
    are: they do not cover the text.
    """
    layer = text_signature(layers)
    if layer is not None:
        assert layer.verdict is not None
        return layer.verdict, Covers.TEXT
    around = [layer for layer in layers if layer.covers is Covers.ENVELOPE]
    if not around:
        return None, None
    outer = next((layer for layer in around if layer.valid), around[0])
    assert outer.verdict is not None
    reason = text("open.signed_around_encryption", signer=signer_label(outer.verdict))
    not_covering = dataclasses.replace(outer.verdict, valid=False, reason=reason, capabilities=())
    return not_covering, Covers.ENVELOPE


def signer_label(verdict: SignatureVerdict) -> str:
    """The signer's name from their certificate, else an address, else "an unknown signer"."""
    if verdict.signer is not None:
        try:
            return display_name(verdict.signer.subject)
        except PARSE_ERRORS:
            pass  # an odd Name: fall back to the address
    if verdict.signer_addresses:
        return verdict.signer_addresses[0]
    return text("layer.unknown_signer")


def describe_layer(layer: Layer) -> str:
    """One sentence about the layer, for the reader."""
    if layer.encryption is not None:
        report = layer.encryption
        return text(
            "layer.encrypted",
            cipher=report.cipher,
            transport=report.key_transport,
            count=report.recipients,
        )
    assert layer.verdict is not None
    key = "layer.signed_envelope" if layer.covers is Covers.ENVELOPE else "layer.signed_text"
    return text(key, signer=signer_label(layer.verdict), reason=layer.verdict.reason)
