"""A directory that publishes a certificate cryptography cannot fully read: one finding."""

from __future__ import annotations

from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.core.pki.usability import CertCode
from tests.ews_server import EwsTestServer
from tests.factories.odd_certs import odd_name_certificate
from tests.services.exchange.conftest import AT, Cli, Pki


def test_a_blob_whose_name_holds_a_bit_string_is_one_unreadable_certificate(
    signed_in: Cli, ews: EwsTestServer, pki: Pki
) -> None:
    odd = odd_name_certificate(pki.root, "erin@clinic.example")
    erin = pki.root.issue(["erin@clinic.example"])
    ews.state.mailbox("erin@clinic.example", "Erin Odd", smime=[odd.der], exchange=[erin.der])

    outcome = signed_in("exchange", "lookup", "erin@clinic.example", "--at", AT, "--json")

    assert outcome.code == 0, outcome.err
    (result,) = outcome.json()["results"]
    unreadable, readable = result["certificates"]
    assert unreadable["sha256"] is None
    assert unreadable["status"] == "unreadable"
    assert unreadable["attribute"] == "userSMIMECertificate"
    assert readable["sha256"] == fingerprint_sha256(erin.cert)
    assert readable["status"] == CertCode.OK.value
    assert result["status"] == "ok"
