"""OCSP rules (RFC 6960): the request for a certificate, and whether an answer is usable.

Pure: the time and the nonce are parameters; the network is the caller's.
"""

from datetime import datetime, timedelta
from typing import Final

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID

from desktop_app.core.messages import text
from desktop_app.core.pki.parsing import PARSE_ERRORS
from desktop_app.core.pki.revocation import (
    CLOCK_SKEW,
    RevocationAnswer,
    RevocationState,
    issued_by,
    unknown,
)

# An OCSP answer without nextUpdate is taken while it is this fresh (RFC 6960 4.2.2.1).
OCSP_MAX_AGE: Final = timedelta(hours=24)


def ocsp_request(certificate: x509.Certificate, issuer: x509.Certificate, nonce: bytes) -> bytes:
    """A DER OCSP request for ``certificate`` with ``nonce`` (SHA-1 CertID, as responders
    widely expect; RFC 5019)."""
    builder = (
        ocsp.OCSPRequestBuilder()
        .add_certificate(certificate, issuer, hashes.SHA1())
        .add_extension(x509.OCSPNonce(nonce), critical=False)
    )
    return builder.build().public_bytes(serialization.Encoding.DER)


def _about(
    single: ocsp.OCSPSingleResponse, certificate: x509.Certificate, issuer: x509.Certificate
) -> bool:
    expected = (
        ocsp.OCSPRequestBuilder()
        .add_certificate(certificate, issuer, single.hash_algorithm)
        .build()
    )
    return (
        single.serial_number == certificate.serial_number
        and single.issuer_name_hash == expected.issuer_name_hash
        and single.issuer_key_hash == expected.issuer_key_hash
    )


def _key_hash(certificate: x509.Certificate) -> bytes:
    # RFC 6960 KeyHash: SHA-1 of the subjectPublicKey bits, as key identifier method 1.
    return x509.SubjectKeyIdentifier.from_public_key(certificate.public_key()).digest


def _names_signer(response: ocsp.OCSPResponse, candidate: x509.Certificate) -> bool:
    if response.responder_key_hash is not None:
        return _key_hash(candidate) == response.responder_key_hash
    return response.responder_name == candidate.subject


def _authorised(candidate: x509.Certificate, issuer: x509.Certificate, now: datetime) -> bool:
    """The issuer itself, or a responder the issuer certified for OCSP signing (4.2.2.2)."""
    if candidate == issuer or (
        candidate.subject == issuer.subject and _key_hash(candidate) == _key_hash(issuer)
    ):
        return True
    if not issued_by(candidate, issuer):
        return False
    if not candidate.not_valid_before_utc <= now <= candidate.not_valid_after_utc:
        return False
    try:
        usage = candidate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return False
    return ExtendedKeyUsageOID.OCSP_SIGNING in usage


def _signature_checks(response: ocsp.OCSPResponse, signer: x509.Certificate) -> bool:
    key = signer.public_key()
    algorithm = response.signature_hash_algorithm
    data, signature = response.tbs_response_bytes, response.signature
    try:
        if isinstance(key, rsa.RSAPublicKey) and algorithm is not None:
            key.verify(signature, data, padding.PKCS1v15(), algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey) and algorithm is not None:
            key.verify(signature, data, ec.ECDSA(algorithm))
        elif isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
            key.verify(signature, data)
        else:
            return False
    except InvalidSignature:
        return False
    return True


def ocsp_answer(
    data: bytes,
    certificate: x509.Certificate,
    issuer: x509.Certificate,
    now: datetime,
    *,
    nonce: bytes | None,
    where: str,
) -> RevocationAnswer:
    """What the DER OCSP response ``data`` says about ``certificate`` at ``now``.

    Usable only when it is a successful answer about this certificate, signed by the
    issuer or by a responder certificate the issuer issued with id-kp-OCSPSigning (and
    valid now), current (thisUpdate not ahead, nextUpdate not passed, or without
    nextUpdate at most ``OCSP_MAX_AGE`` old), and, when it echoes a nonce, echoes ours.
    Never raises for any bytes.
    """
    try:
        response = ocsp.load_der_ocsp_response(data)
    except (*PARSE_ERRORS, OverflowError):
        return unknown(text("revocation.ocsp_unreadable", where=where))
    try:
        return _ocsp_answer(response, certificate, issuer, now, nonce, where)
    except (*PARSE_ERRORS, OverflowError):
        return unknown(text("revocation.ocsp_unreadable", where=where))


def _ocsp_answer(
    response: ocsp.OCSPResponse,
    certificate: x509.Certificate,
    issuer: x509.Certificate,
    now: datetime,
    nonce: bytes | None,
    where: str,
) -> RevocationAnswer:
    if response.response_status is not ocsp.OCSPResponseStatus.SUCCESSFUL:
        status = response.response_status.name.lower().replace("_", " ")
        return unknown(text("revocation.ocsp_refused", where=where, status=status))
    single = next((s for s in response.responses if _about(s, certificate, issuer)), None)
    if single is None:
        return unknown(text("revocation.ocsp_other_certificate", where=where))
    signer = next((c for c in (issuer, *response.certificates) if _names_signer(response, c)), None)
    if signer is None or not _authorised(signer, issuer, now):
        return unknown(text("revocation.ocsp_bad_signer", where=where))
    if not _signature_checks(response, signer):
        return unknown(text("revocation.ocsp_bad_signature", where=where))
    try:
        echoed = response.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce
    except x509.ExtensionNotFound:
        echoed = None  # many responders pre-sign answers and echo no nonce (RFC 5019)
    if echoed is not None and echoed != nonce:
        return unknown(text("revocation.ocsp_nonce", where=where))
    this_update, next_update = single.this_update_utc, single.next_update_utc
    if this_update > now + CLOCK_SKEW:
        return unknown(text("revocation.ocsp_not_yet_valid", where=where))
    valid_until = next_update if next_update is not None else this_update + OCSP_MAX_AGE
    if valid_until < now:
        return unknown(text("revocation.ocsp_out_of_date", where=where))
    source = text("revocation.source_ocsp", where=where)
    said = single.certificate_status
    if said is ocsp.OCSPCertStatus.GOOD:
        return RevocationAnswer(RevocationState.GOOD, source, valid_until=valid_until)
    if said is ocsp.OCSPCertStatus.REVOKED:
        revoked_on = single.revocation_time_utc
        return RevocationAnswer(RevocationState.REVOKED, source, revoked_on, valid_until)
    return unknown(text("revocation.ocsp_unknown", where=where))
