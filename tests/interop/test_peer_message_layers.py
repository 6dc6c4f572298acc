"""Peer messages whose signature is outside the envelope: OpenSSL's encrypt-then-sign, a
second signer around a signed and encrypted message, and SignedData carrying an
EnvelopedData directly. Each layer says what it covers, and no signature there vouches for
the text or teaches a certificate."""

from __future__ import annotations

from pathlib import Path

import pytest
from asn1crypto import cms

from desktop_app.core.smime.layers import Covers
from tests.interop import peer_messages
from tests.interop.envelope_peers import run, write_party
from tests.interop.peer_messages import DATES, HEADERS, ME, TEXT, World, open_here

world = peer_messages.world  # the shared fixtures: certificates, keys, the message
openssl = peer_messages.openssl


@pytest.mark.parametrize("form", [[], ["-nodetach"]], ids=["detached", "opaque"])
def test_openssl_signature_around_the_envelope_teaches_nothing(
    openssl: str, world: World, tmp_path: Path, form: list[str]
) -> None:
    # Encrypt-then-sign: anyone holding the ciphertext could have signed it.
    sealed, signed = tmp_path / "sealed.eml", tmp_path / "signed.eml"
    encrypt = [openssl, "cms", "-encrypt", "-aes-256-cbc", "-in", str(world.inner)]
    run([*encrypt, "-out", str(sealed), "-recip", str(world.me.cert_path)])
    sign = [openssl, "cms", "-sign", "-in", str(sealed), "-out", str(signed), "-binary", *form]
    keys = ["-signer", str(world.alice.cert_path), "-inkey", str(world.alice.key_path)]
    addressed = ["-from", HEADERS["From"], "-to", ME, "-certfile", str(world.chain)]
    run([*sign, *keys, *addressed])
    opened = open_here(world, signed.read_bytes())
    # Alice's signature is valid, but over the envelope: the text is not signed by her.
    assert opened.signature is not None and not opened.signature.valid
    assert "does not cover what you read" in opened.signature.reason
    assert [(layer.kind.value, layer.covers, layer.valid) for layer in opened.layers] == [
        ("signed", Covers.ENVELOPE, True),
        ("encrypted", None, None),
    ]
    assert opened.signature_outside_encryption
    decision = opened.harvest()
    assert decision is not None and not decision.harvested


def test_openssl_triple_wrap_by_a_second_signer_reports_every_layer(
    openssl: str, world: World, tmp_path: Path
) -> None:
    """Alice signs and encrypts for me; Bob signs around her envelope and sends it on."""
    bob = write_party("bob", world.root.issue(["bob@partner.example"], slot=23, **DATES), tmp_path)  # type: ignore[arg-type]
    signed, sealed, wrapped = (tmp_path / name for name in ("signed", "sealed", "wrapped"))
    alice_keys = ["-signer", str(world.alice.cert_path), "-inkey", str(world.alice.key_path)]
    sign_inner = [openssl, "cms", "-sign", "-in", str(world.inner), "-out", str(signed)]
    run([*sign_inner, *alice_keys, "-certfile", str(world.chain)])
    encrypt = [openssl, "cms", "-encrypt", "-aes-256-gcm", "-in", str(signed), "-out", str(sealed)]
    run([*encrypt, "-recip", str(world.me.cert_path)])
    bob_keys = ["-signer", str(bob.cert_path), "-inkey", str(bob.key_path)]
    sign = [openssl, "cms", "-sign", "-in", str(sealed), "-out", str(wrapped), "-binary"]
    run([*sign, *bob_keys, "-from", "Bob <bob@partner.example>", "-to", ME, "-subject", "Fwd"])
    opened = open_here(world, wrapped.read_bytes())
    assert opened.message.text.replace("\r\n", "\n") == TEXT.replace("\r\n", "\n")
    kinds = [(layer.kind.value, layer.covers) for layer in opened.layers]
    assert kinds == [("signed", Covers.ENVELOPE), ("encrypted", None), ("signed", Covers.TEXT)]
    outer, _, inner = opened.layers
    assert (outer.signer, outer.valid) == ("bob@partner.example", True)
    assert (inner.signer, inner.valid) == ("Alice Peer", False)  # Alice is not the From
    # The text is never "signed by Bob": its verdict is Alice's, who is not the sender.
    assert opened.signature is not None and opened.signature.signer == world.alice.issued.cert
    assert not opened.signature.valid
    decision = opened.harvest()
    assert decision is not None and not decision.harvested


@pytest.mark.parametrize("carried", ["content_info", "bare"])
def test_openssl_signed_data_carrying_an_envelope_directly_covers_the_envelope(
    openssl: str, world: World, tmp_path: Path, carried: str
) -> None:
    """eContentType envelopedData: OpenSSL signs the ContentInfo it is given; RFC 5652
    has the bare EnvelopedData. Either is opened, and the signature covers the envelope."""
    envelope, signed = tmp_path / "envelope.der", tmp_path / "signed.eml"
    encrypt = [openssl, "cms", "-encrypt", "-binary", "-aes-256-cbc", "-outform", "DER"]
    files = ["-in", str(world.inner), "-out", str(envelope)]
    run([*encrypt, *files, "-recip", str(world.me.cert_path)])
    if carried == "bare":
        info = cms.ContentInfo.load(envelope.read_bytes())
        envelope.write_bytes(info["content"].untag().dump())
    sign = [openssl, "cms", "-sign", "-binary", "-nodetach", "-inform", "DER", "-in", str(envelope)]
    keys = ["-signer", str(world.alice.cert_path), "-inkey", str(world.alice.key_path)]
    options = ["-econtent_type", "pkcs7-envelopedData", "-certfile", str(world.chain)]
    run([*sign, *keys, *options, "-out", str(signed), "-from", HEADERS["From"], "-to", ME])
    opened = open_here(world, signed.read_bytes())
    assert [(layer.kind.value, layer.covers, layer.valid) for layer in opened.layers] == [
        ("signed", Covers.ENVELOPE, True),
        ("encrypted", None, None),
    ]
    assert opened.signature is not None and not opened.signature.valid
    assert opened.message.text.replace("\r\n", "\n") == TEXT.replace("\r\n", "\n")
