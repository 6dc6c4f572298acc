"""Verify a CMS SignedData (RFC 5652 5.6) and say, in a sentence, whether to believe it."""

from __future__ import annotations

import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes

from desktop_app.core.messages import text
from desktop_app.core.pki.certificates import display_name
from desktop_app.core.pki.parsing import certificate_from_der
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.smime.algorithms import OID_DATA
from desktop_app.core.smime.capabilities import capability_names
from desktop_app.core.smime.signature_algorithms import (
    HashSpec,
    Scheme,
    SchemeMismatch,
    Strength,
    UnsupportedScheme,
    check_signature,
    hash_spec,
    key_fits,
    resolve_scheme,
)
from desktop_app.core.smime.signature_attributes import SignedAttributes, read_signed_attributes
from desktop_app.core.smime.signature_certcheck import (
    signer_addresses,
    signer_problem,
    with_carried_authorities,
)
from desktop_app.core.smime.signature_errors import (
    SignatureError,
)
from desktop_app.core.smime.signature_parse import (
    ParsedSignedData,
    malformed_signature,
    parse_signed_data,
)

# What cryptography raises for a certificate it cannot load or whose key it cannot use; two of
# these are not ValueErrors.
_UNREADABLE: Final = (ValueError, UnsupportedAlgorithm, x509.InvalidVersion)
# A bare LF, not preceded by CR: OpenSSL signs CRLF text, mail stores often keep LF.
_BARE_LF: Final = re.compile(rb"(?<!\r)\n")


@dataclass(frozen=True)
class SignatureVerdict:
    """Whether a signature is valid, the sentence that says why, and what it tells.

    ``signing_time`` is the signer's own claim: show it, never judge by it. ``capabilities``
    (see ``capabilities.capability_names``) are given only for a valid signature, the only
    kind whose advertisement may be believed. ``content_type`` is the dotted eContentType.
    """

    valid: bool
    reason: str
    signer: x509.Certificate | None
    signer_addresses: tuple[str, ...]
    signing_time: datetime | None
    capabilities: tuple[str, ...]
    digest_algorithm: str
    content_type: str = OID_DATA


def verify_signature(
    signed_data_der: bytes,
    content: bytes | None,
    *,
    trust: TrustContext,
    at: datetime,
    from_address_key: str | None,
) -> SignatureVerdict:
    """Verify a detached signature over ``content``, or (``content`` None) an opaque one.

    ``at`` is the moment the signer's certificate is judged (timezone-aware);
    ``from_address_key`` is the normalised From address the signer must hold, or None to
    skip that check. With several signers the first valid one is reported, else the first.

    Raises:
        SignatureError: the signature cannot be read, or there is no content to check.
        ValueError: ``at`` is naive (a programming error).
    """
    if at.utcoffset() is None:
        raise ValueError("verify_signature needs a timezone-aware time")
    parsed = parse_signed_data(signed_data_der)
    if content is not None:
        chunks: Sequence[bytes | memoryview] = (content,)
    elif parsed.content is not None:
        chunks = parsed.content
    else:
        raise SignatureError(text("signature.no_content"))
    return _verify(parsed, chunks, trust, at, from_address_key)


def verify_opaque(
    signed_data_der: bytes,
    *,
    trust: TrustContext,
    at: datetime,
    from_address_key: str | None,
) -> tuple[SignatureVerdict, bytes]:
    """Verify a signature that carries its content; return the verdict and that content.

    Raises:
        SignatureError: unreadable, or detached (no content inside).
        ValueError: ``at`` is naive.
    """
    if at.utcoffset() is None:
        raise ValueError("verify_opaque needs a timezone-aware time")
    parsed = parse_signed_data(signed_data_der)
    if parsed.content is None:
        raise SignatureError(text("signature.no_content"))
    verdict = _verify(parsed, parsed.content, trust, at, from_address_key)
    return verdict, b"".join(parsed.content)


def _verify(
    parsed: ParsedSignedData,
    chunks: Sequence[bytes | memoryview],
    trust: TrustContext,
    at: datetime,
    from_address_key: str | None,
) -> SignatureVerdict:
    verdicts = []
    with malformed_signature():
        for info in parsed.signer_infos:
            verdict = _SignerCheck(parsed, info, chunks).run(trust, at, from_address_key)
            if verdict.valid:
                return verdict
            verdicts.append(verdict)
    return verdicts[0]


class _SignerCheck:
    """The checks of one SignerInfo, in the order RFC 5652 5.6 gives them."""

    def __init__(
        self,
        parsed: ParsedSignedData,
        info: cms.SignerInfo,
        chunks: Sequence[bytes | memoryview],
    ) -> None:
        self.parsed = parsed
        self.info = info
        self.chunks = chunks
        self.digest_oid: str = info["digest_algorithm"]["algorithm"].dotted
        self.digest_label = self.digest_oid
        self.attributes: SignedAttributes | None = read_signed_attributes(info)
        self.signer: x509.Certificate | None = None
        # The certificates matching the SignerIdentifier whose key checks the signature.
        self.verified: list[x509.Certificate] = []

    def _verdict(self, reason: str, *, valid: bool = False) -> SignatureVerdict:
        addresses = signer_addresses(self.signer) if self.signer is not None else ()
        capabilities: tuple[str, ...] = ()
        if valid and self.attributes is not None and self.attributes.capabilities is not None:
            try:
                capabilities = capability_names(self.attributes.capabilities)
            except (ValueError, TypeError, KeyError, IndexError, OverflowError):
                capabilities = ()  # signed but unreadable: only an optimisation is lost
        return SignatureVerdict(
            valid=valid,
            reason=reason,
            signer=self.signer,
            signer_addresses=addresses,
            signing_time=self.attributes.signing_time if self.attributes else None,
            capabilities=capabilities,
            digest_algorithm=self.digest_label,
            content_type=self.parsed.content_type,
        )

    def run(
        self, trust: TrustContext, at: datetime, from_address_key: str | None
    ) -> SignatureVerdict:
        candidates = self._candidates()
        if not candidates:
            return self._verdict(text("signature.signer_cert_missing"))
        try:
            digest = hash_spec(self.digest_oid)
            self.digest_label = digest.label
            scheme = resolve_scheme(self.info["signature_algorithm"], self.digest_oid)
        except UnsupportedScheme as exc:
            self.signer = _first_readable(candidates)
            return self._verdict(text("signature.unsupported_algorithm", algorithm=exc.algorithm))
        except SchemeMismatch:
            self.signer = _first_readable(candidates)
            return self._verdict(text("signature.algorithm_mismatch"))
        specs = (digest, *scheme.hashes())
        for spec in specs:
            if spec.strength is Strength.BROKEN:  # refused before anything is computed
                self.signer = _first_readable(candidates)
                return self._verdict(text("signature.broken_hash", algorithm=spec.label))
        problem = self._check_content(digest, scheme, candidates)
        if problem is not None:
            return self._verdict(problem)
        self.signer = self.verified[0]
        for spec in specs:
            if spec.strength is Strength.WEAK:
                return self._verdict(text("signature.weak_hash", algorithm=spec.label))
        context = with_carried_authorities(trust, _readable(self.parsed.certificates))
        # Copies of the signer's certificate that differ elsewhere (one damaged or forged)
        # all check the signature; the message is valid if any of them can vouch for it.
        problems = []
        for cert in self.verified:
            problem = signer_problem(cert, context, at, from_address_key)
            if problem is None:
                self.signer = cert
                return self._verdict(
                    text("signature.valid", signer=_signer_label(cert)), valid=True
                )
            problems.append(problem)
        return self._verdict(problems[0])

    def _check_content(
        self, digest: HashSpec, scheme: Scheme, candidates: list[bytes]
    ) -> str | None:
        """Check the attributes and signature over the content as given, then canonicalised."""
        problem = self._check_once(digest, scheme, candidates, self.chunks)
        if problem not in (text("signature.content_changed"), text("signature.bad_signature")):
            return problem
        content = b"".join(self.chunks)
        canonical = _BARE_LF.sub(b"\r\n", content)
        if canonical == content:
            return problem
        # OpenSSL signs text with CRLF line ends; a mailbox may have stored them as LF.
        retry = self._check_once(digest, scheme, candidates, (canonical,))
        return problem if retry == text("signature.content_changed") else retry

    def _check_once(
        self,
        digest: HashSpec,
        scheme: Scheme,
        candidates: list[bytes],
        chunks: Sequence[bytes | memoryview],
    ) -> str | None:
        attributes = self.attributes
        if attributes is not None:
            if attributes.problem is not None:
                return attributes.problem
            if attributes.content_type != self.parsed.content_type:
                return text("signature.content_type_mismatch")
            if not hmac.compare_digest(attributes.message_digest, _digest(digest, chunks)):
                self.signer = _first_readable(candidates)
                return text("signature.content_changed")
            signed = attributes.der
        else:
            # RFC 5652 5.4: without signed attributes only id-data may be signed, directly.
            if self.parsed.content_type != OID_DATA:
                return text("signature.content_type_mismatch")
            signed = b"".join(chunks)
        signature = self.info["signature"].native
        return self._check_signers(scheme, candidates, signature, signed)

    def _check_signers(
        self, scheme: Scheme, candidates: list[bytes], signature: bytes, signed: bytes
    ) -> str | None:
        problem = text("signature.signer_cert_unreadable")
        for der in candidates:
            try:
                cert = certificate_from_der(der)
                key = cert.public_key()
            except _UNREADABLE:
                continue
            if self.signer is None:
                self.signer = cert
            if not key_fits(scheme, key):
                problem = (
                    text("signature.algorithm_mismatch")
                    if problem != text("signature.bad_signature")
                    else problem
                )
                continue
            try:
                check_signature(scheme, key, signature, signed)
            except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
                problem = text("signature.bad_signature")
                continue
            self.verified.append(cert)
        if self.verified:
            return None
        if problem == text("signature.signer_cert_unreadable") and self.signer is not None:
            problem = text("signature.signer_key_unsupported")
        return problem

    def _candidates(self) -> list[bytes]:
        """DER of the carried certificates the SignerIdentifier names, in bag order."""
        sid = self.info["sid"]
        matches: list[bytes] = []
        for der in self.parsed.certificates:
            try:
                if der not in matches and _names(sid, asn1_x509.Certificate.load(der)):
                    matches.append(der)
            except (ValueError, TypeError, KeyError, IndexError, OverflowError):
                continue  # a damaged certificate in the bag is not the signer's
        return matches


def _names(sid: cms.SignerIdentifier, certificate: asn1_x509.Certificate) -> bool:
    if sid.name == "subject_key_identifier":
        return bool(certificate.key_identifier == sid.chosen.native)
    tbs = certificate["tbs_certificate"]
    wanted = sid.chosen
    if tbs["serial_number"].native != wanted["serial_number"].native:
        return False  # compared first: cheap, and it rules out nearly every certificate
    issuer, wanted_issuer = tbs["issuer"], wanted["issuer"]
    return bool(issuer.dump() == wanted_issuer.dump() or issuer == wanted_issuer)


def _digest(spec: HashSpec, chunks: Sequence[bytes | memoryview]) -> bytes:
    if spec.make is None:
        raise ValueError("hash refused")
    digest = hashes.Hash(spec.make())
    for chunk in chunks:
        digest.update(chunk)
    return digest.finalize()


def _readable(ders: tuple[bytes, ...]) -> tuple[x509.Certificate, ...]:
    found = []
    for der in ders:
        try:
            found.append(certificate_from_der(der))
        except _UNREADABLE:
            continue
    return tuple(found)


def _first_readable(ders: list[bytes]) -> x509.Certificate | None:
    readable = _readable(tuple(ders))
    return readable[0] if readable else None


def _signer_label(cert: x509.Certificate) -> str:
    name = display_name(cert.subject)
    addresses = signer_addresses(cert)
    if addresses and addresses[0] != name.lower():
        return f"{name} <{addresses[0]}>"
    return name
