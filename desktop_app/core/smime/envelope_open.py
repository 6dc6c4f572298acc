"""Open a CMS EnvelopedData (AES-CBC, 3DES-CBC) or AuthEnvelopedData (AES-GCM) envelope."""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from desktop_app.core.messages import text
from desktop_app.core.sized_buffer import sized_buffer
from desktop_app.core.smime.algorithms import (
    CIPHERS_BY_ASN1,
    GCM_MIN_TAG_SIZE,
    GCM_TAG_SIZE,
    CipherSpec,
    GcmParameters,
)
from desktop_app.core.smime.envelope_parse import (
    EncryptedContent,
    ParsedEnvelope,
    malformed_input,
    parse_envelope,
)
from desktop_app.core.smime.errors import (
    EnvelopeError,
)
from desktop_app.core.smime.recipient_open import (
    RecipientPrivateKey,
    count_recipients,
    recover_content_key,
)


@dataclass(frozen=True)
class OpenedEnvelope:
    """The decrypted content and how it was protected."""

    content: bytes = field(repr=False)  # may be patient data: keep it out of logs
    cipher: str  # e.g. "AES-256-CBC", "AES-128-GCM", "3DES-CBC"
    key_transport: str  # e.g. "RSA (PKCS #1 v1.5)", "ECDH P-256 (SHA-256 KDF, AES-256 key wrap)"
    recipient_count: int
    authenticated: bool  # AES-GCM: the content is integrity-protected
    weak: bool  # a cipher no longer fit for new mail (3DES); worth telling the user
    content_type: str  # dotted OID of the inner content, normally id-data


def open_envelope(
    der_or_ber: bytes | bytearray | memoryview,
    certificate: x509.Certificate,
    private_key: RecipientPrivateKey,
) -> OpenedEnvelope:
    """Decrypt an envelope with the recipient's certificate and private key.

    Accepts DER and BER (indefinite lengths, segmented OCTET STRINGs). The content of a GCM
    envelope is returned only after its tag has been checked.

    Raises:
        EnvelopeError: malformed input, not an envelope, not for this certificate,
            unsupported algorithm, wrong key, or failed integrity check.
    """
    parsed = parse_envelope(der_or_ber)
    parameters = _content_algorithm(parsed)
    spec = parameters.spec
    recovered = recover_content_key(parsed.recipient_infos, certificate, private_key, spec.key_size)
    if spec.authenticated:
        content = _decrypt_gcm(parsed, recovered.content_key, parameters)
    else:
        content = _decrypt_cbc(parsed.content, recovered.content_key, parameters)
    return OpenedEnvelope(
        content=content,
        cipher=spec.label,
        key_transport=recovered.key_transport,
        recipient_count=count_recipients(parsed.recipient_infos),
        authenticated=spec.authenticated,
        weak=spec.weak,
        content_type=parsed.content_type,
    )


@dataclass(frozen=True)
class _ContentParameters:
    """The content cipher and its decoded parameters."""

    spec: CipherSpec
    iv: bytes = b""  # CBC
    nonce: bytes = b""  # GCM
    tag_length: int = 0  # GCM ICVlen


def _content_algorithm(parsed: ParsedEnvelope) -> _ContentParameters:
    with malformed_input():
        name = parsed.algorithm["algorithm"].native
        spec = CIPHERS_BY_ASN1.get(name)
        if spec is None:
            raise EnvelopeError(text("envelope.unsupported_cipher", algorithm=name))
        # GCM belongs in AuthEnvelopedData and CBC in EnvelopedData; a mix is forged or broken.
        if spec.authenticated != parsed.authenticated:
            raise EnvelopeError(text("envelope.malformed"))
        if spec.authenticated:
            # asn1crypto does not know GCMParameters: they arrive as Any.
            gcm = GcmParameters.load(parsed.algorithm["parameters"].dump())
            nonce, tag_length = gcm["aes_nonce"].native, gcm["aes_icvlen"].native
            return _ContentParameters(spec, nonce=nonce, tag_length=tag_length)
        iv = parsed.algorithm["parameters"].native
        if not isinstance(iv, bytes) or len(iv) != spec.iv_size:
            raise EnvelopeError(text("envelope.malformed"))
        return _ContentParameters(spec, iv=iv)


def _decrypt_cbc(encrypted: EncryptedContent, key: bytes, parameters: _ContentParameters) -> bytes:
    spec = parameters.spec
    block = spec.iv_size
    total = encrypted.length
    if total == 0 or total % block:
        raise EnvelopeError(text("envelope.decrypt_failed"))
    algorithm = TripleDES(key) if spec.asn1_name == "tripledes_3key" else algorithms.AES(key)
    decryptor = Cipher(algorithm, modes.CBC(parameters.iv)).decryptor()
    out = sized_buffer(total)
    for piece in encrypted.pieces():
        out.write(decryptor.update(piece))
    out.write(decryptor.finalize())
    with out.getbuffer() as plain:
        pad = plain[-1]
        valid = 1 <= pad <= block and plain[-pad:] == bytes((pad,)) * pad
    if not valid:
        # Also the usual sign of a wrong key. One message for both, so the error says
        # nothing more about the plaintext.
        raise EnvelopeError(text("envelope.decrypt_failed"))
    out.truncate(total - pad)
    return out.getvalue()


def _decrypt_gcm(parsed: ParsedEnvelope, key: bytes, parameters: _ContentParameters) -> bytes:
    tag = parsed.mac or b""
    # RFC 5084: the mac is ICVlen bytes, 12 to 16.
    if not GCM_MIN_TAG_SIZE <= len(tag) <= GCM_TAG_SIZE or len(tag) != parameters.tag_length:
        raise EnvelopeError(text("envelope.malformed"))
    try:
        mode = modes.GCM(parameters.nonce, min_tag_length=GCM_MIN_TAG_SIZE)
    except ValueError as exc:  # a nonce cryptography refuses (too short or too long)
        raise EnvelopeError(text("envelope.malformed")) from exc
    decryptor = Cipher(algorithms.AES(key), mode).decryptor()
    if parsed.auth_attrs is not None:
        decryptor.authenticate_additional_data(parsed.auth_attrs)
    total = parsed.content.length
    out = sized_buffer(total)
    for piece in parsed.content.pieces():
        out.write(decryptor.update(piece))
    try:
        out.write(decryptor.finalize_with_tag(tag))
    except InvalidTag as exc:
        raise EnvelopeError(text("envelope.tampered")) from exc
    # Only now, with the tag checked, does any plaintext leave this function.
    return out.getvalue()
