"""An expired certificate says it expired, and nothing about its CA's dates then."""

import datetime as dt

from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.pki.usability import CertCode, evaluate_for_encryption
from tests.factories.certs import NOW, TestCA

DAY = dt.timedelta(days=1)


def test_a_certificate_that_expired_before_its_new_ca_began_has_one_reason() -> None:
    # As in the demo: the CA was made after the colleague's certificate had expired.
    root = TestCA("Young Root CA", not_before=NOW - 2 * DAY)
    issued = root.issue(
        ("alice@clinic.example",), not_before=NOW - 400 * DAY, not_after=NOW - 30 * DAY
    )
    result = evaluate_for_encryption(
        issued.cert, "alice@clinic.example", NOW, TrustContext(anchors=(root.cert,))
    )
    assert result.code is CertCode.EXPIRED
    assert len(result.problems) == 1, result.problems
    assert "Young Root CA" not in result.reason
