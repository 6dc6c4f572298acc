"""Seal content in a CMS EnvelopedData (AES-CBC) or AuthEnvelopedData (AES-GCM) envelope.

The small parts (recipient infos, algorithm identifiers, OIDs) are built by asn1crypto. The
encrypted content is never handed to asn1crypto: all lengths are known before encrypting, so
the DER headers around it are written first and the ciphertext is streamed after them in one
pass. Building the whole structure in asn1crypto costs several copies of the content.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final, Protocol

from asn1crypto import algos, cms, core
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.ciphers import (
    AEADEncryptionContext,
    Cipher,
    CipherContext,
    algorithms,
    modes,
)

from desktop_app.core.messages import text
from desktop_app.core.mime.encode import BinarySink
from desktop_app.core.smime.algorithms import (
    GCM_NONCE_SIZE,
    GCM_TAG_SIZE,
    OID_AUTH_ENVELOPED_DATA,
    OID_DATA,
    OID_ENVELOPED_DATA,
    SEAL_CIPHERS,
    ContentCipher,
    GcmParameters,
)
from desktop_app.core.smime.ber import der_header
from desktop_app.core.smime.errors import EnvelopeError
from desktop_app.core.smime.recipient_seal import EnvelopeRecipient, build_recipient_info

# Plaintext is fed to the cipher in slices of this size: big enough that per-call overhead
# vanishes, small enough that each ciphertext piece is a short-lived temporary.
_CHUNK: Final = 1 << 20
_AES_BLOCK: Final = 16

RandomBytes = Callable[[int], bytes]


class ContentStream(Protocol):
    """Content made as it is read (a MIME entity whose attachments are read from files).

    ``chunks()`` yields exactly ``length`` bytes, and is called once per envelope.
    """

    @property
    def length(self) -> int: ...

    def chunks(self) -> Iterable[bytes | memoryview]: ...


Content = bytes | bytearray | memoryview | ContentStream


@dataclass(frozen=True)
class _Plan:
    header: bytes
    encryptor: CipherContext
    padding: bytes  # CBC padding to encrypt after the content; empty for GCM
    total_length: int
    content_length: int


def seal_envelope(
    content: Content,
    recipients: Sequence[EnvelopeRecipient],
    cipher: ContentCipher = ContentCipher.AES256_CBC,
    *,
    random_bytes: RandomBytes = os.urandom,
) -> bytes:
    """Encrypt ``content`` for every recipient; return the DER ContentInfo.

    ``content`` is bytes, or a ContentStream made as it is encrypted (a large message is
    then never held whole; it is read once each time the envelope is written).
    CBC ciphers make an EnvelopedData, GCM ciphers an AuthEnvelopedData (RFC 5083/5084, 12-byte
    nonce, 16-byte tag). ``random_bytes`` supplies the content key and IV or nonce (tests
    substitute it); ephemeral ECDH keys and RSA padding always use the system generator.
    Duplicate certificates are encrypted for once.

    Raises:
        EnvelopeError: no recipients, or a recipient key that cannot receive encrypted mail.
        ContentChangedError: an attachment file changed while it was read (from the
            message's own content streams).
        ValueError: a ContentStream gave other than its ``length`` in bytes (a stream
            that does not check its sources; a bug).
    """
    plan = _prepare(content, recipients, cipher, random_bytes)
    out = io.BytesIO()
    # Size the buffer once: writes then never move it, and getvalue() hands that buffer over
    # without a copy, so the result costs one content-sized allocation.
    out.seek(plan.total_length - 1)
    out.write(b"\0")
    out.seek(0)
    _write(plan, content, out)
    return out.getvalue()


@dataclass(frozen=True)
class PreparedEnvelope:
    """An envelope whose keys are wrapped and headers built, its ciphertext not yet made.

    Its ``length`` is known in advance, so a caller can size its output buffer once (the
    base64 MIME form, say) and have the DER written straight into it.
    """

    _plan: _Plan
    _content: Content

    @property
    def length(self) -> int:
        return self._plan.total_length

    def write_to(self, sink: BinarySink) -> None:
        """Encrypt the content into ``sink``; call once."""
        _write(self._plan, self._content, sink)


def prepare_envelope(
    content: Content,
    recipients: Sequence[EnvelopeRecipient],
    cipher: ContentCipher = ContentCipher.AES256_CBC,
    *,
    random_bytes: RandomBytes = os.urandom,
) -> PreparedEnvelope:
    """Like ``seal_envelope``, but stop before encrypting (see PreparedEnvelope)."""
    return PreparedEnvelope(_prepare(content, recipients, cipher, random_bytes), content)


def seal_envelope_into(
    sink: BinarySink,
    content: Content,
    recipients: Sequence[EnvelopeRecipient],
    cipher: ContentCipher = ContentCipher.AES256_CBC,
    *,
    random_bytes: RandomBytes = os.urandom,
) -> int:
    """Like ``seal_envelope`` but write the DER to ``sink`` piece by piece; return its length.

    With a file (or a base64 line writer over a file) as the sink, sealing needs no memory
    beyond the content and about a megabyte.
    """
    plan = _prepare(content, recipients, cipher, random_bytes)
    _write(plan, content, sink)
    return plan.total_length


def _prepare(
    content: Content,
    recipients: Sequence[EnvelopeRecipient],
    cipher: ContentCipher,
    random_bytes: RandomBytes,
) -> _Plan:
    unique = _unique(recipients)
    if not unique:
        raise EnvelopeError(text("envelope.no_recipients"))
    spec = SEAL_CIPHERS[cipher]
    content_key = _random(random_bytes, spec.key_size)
    recipient_infos = cms.RecipientInfos([build_recipient_info(r, content_key) for r in unique])
    length = _length(content)
    aes = algorithms.AES(content_key)
    encryptor: CipherContext
    if spec.authenticated:
        nonce = _random(random_bytes, GCM_NONCE_SIZE)
        parameters = GcmParameters({"aes_nonce": nonce, "aes_icvlen": GCM_TAG_SIZE})
        encryptor = Cipher(aes, modes.GCM(nonce)).encryptor()
        pad = b""
        ciphertext_length = length
        # RFC 5083: AuthEnvelopedData is version 0 whatever its RecipientInfos are.
        version = 0
        outer_type = OID_AUTH_ENVELOPED_DATA
        trailer_length = len(der_header(0x04, GCM_TAG_SIZE)) + GCM_TAG_SIZE
    else:
        iv = _random(random_bytes, _AES_BLOCK)
        parameters = core.OctetString(iv)
        encryptor = Cipher(aes, modes.CBC(iv)).encryptor()
        pad_length = _AES_BLOCK - length % _AES_BLOCK
        pad = bytes((pad_length,)) * pad_length
        ciphertext_length = length + pad_length
        # RFC 5652 6.1: version 0 only when every RecipientInfo is a version 0 ktri.
        all_v0 = all(
            ri.name == "ktri" and ri.chosen["version"].native == "v0" for ri in recipient_infos
        )
        version = 0 if all_v0 else 2
        outer_type = OID_ENVELOPED_DATA
        trailer_length = 0
    algorithm = algos.EncryptionAlgorithm({"algorithm": spec.asn1_name, "parameters": parameters})

    # Headers from the innermost element outwards; each knows its full length in advance.
    pieces: list[bytes] = []
    inner = ciphertext_length

    def enclose(identifier: int, prefix: bytes = b"", suffix_length: int = 0) -> None:
        nonlocal inner
        head = der_header(identifier, len(prefix) + inner + suffix_length) + prefix
        pieces.append(head)
        inner = len(head) + inner + suffix_length

    enclose(0x80)  # [0] IMPLICIT encryptedContent OCTET STRING
    enclose(0x30, core.ObjectIdentifier(OID_DATA).dump() + algorithm.dump())
    enclose(0x30, core.Integer(version).dump() + recipient_infos.dump(), trailer_length)
    enclose(0xA0)  # [0] EXPLICIT content
    enclose(0x30, core.ObjectIdentifier(outer_type).dump())
    header = b"".join(reversed(pieces))
    return _Plan(header, encryptor, pad, inner, length)


def _write(plan: _Plan, content: Content, sink: BinarySink) -> None:
    encryptor = plan.encryptor
    sink.write(plan.header)
    for piece in _pieces(content, plan.content_length):
        sink.write(encryptor.update(piece))
    if plan.padding:
        sink.write(encryptor.update(plan.padding))
    final = encryptor.finalize()
    if final:
        sink.write(final)
    if isinstance(encryptor, AEADEncryptionContext):
        tag = encryptor.tag
        sink.write(der_header(0x04, len(tag)) + tag)


def _length(content: Content) -> int:
    if isinstance(content, bytes | bytearray | memoryview):
        return memoryview(content).nbytes
    return content.length


def _pieces(content: Content, length: int) -> Iterator[memoryview]:
    """The content in slices of at most _CHUNK bytes, checked to be ``length`` bytes long:
    the DER headers written before it announced that length."""
    chunks = (content,) if isinstance(content, bytes | bytearray | memoryview) else content.chunks()
    left = length
    for chunk in chunks:
        view = memoryview(chunk).cast("B")
        left -= len(view)
        if left < 0:
            break
        for offset in range(0, len(view), _CHUNK):
            yield view[offset : offset + _CHUNK]
    if left:
        raise ValueError(f"the content stream did not give the {length} bytes it announced")


def _random(random_bytes: RandomBytes, size: int) -> bytes:
    value = random_bytes(size)
    if len(value) != size:
        raise ValueError(f"random_bytes returned {len(value)} bytes, not {size}")
    return value


def _unique(recipients: Sequence[EnvelopeRecipient]) -> list[EnvelopeRecipient]:
    seen: set[bytes] = set()
    unique: list[EnvelopeRecipient] = []
    for recipient in recipients:
        der = recipient.certificate.public_bytes(serialization.Encoding.DER)
        if der not in seen:
            seen.add(der)
            unique.append(recipient)
    return unique
