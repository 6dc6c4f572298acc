"""CAs whose basicConstraints is present but not critical are accepted; cA is still required."""

from cryptography import x509

from desktop_app.core.pki.trust import TrustContext, check_chain
from desktop_app.core.pki.usability import CertCode, evaluate_for_encryption
from tests.factories.certs import NOW, TestCA
from tests.factories.odd_certs import lenient_root, reissued_ca

ROOT = lenient_root("Lenient Test Root")


def test_a_root_with_non_critical_basic_constraints_is_a_usable_anchor() -> None:
    constraints = ROOT.cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.value.ca and not constraints.critical
    ann = ROOT.issue(["ann@partner.example"])
    trust = TrustContext(anchors=(ROOT.cert,))
    assert check_chain(ann.cert, trust, NOW).trusted
    assert evaluate_for_encryption(ann.cert, "ann@partner.example", NOW, trust).code is CertCode.OK


def test_an_intermediate_with_non_critical_basic_constraints_completes_a_chain() -> None:
    sub = reissued_ca(ROOT.intermediate("Lenient Sub CA"), ROOT, basic_constraints_critical=False)
    bob = sub.issue(["bob@partner.example"])
    trust = TrustContext(anchors=(ROOT.cert,), intermediates=(sub.cert,))
    assert check_chain(bob.cert, trust, NOW).trusted


def test_an_issuer_whose_basic_constraints_deny_ca_still_breaks_the_chain() -> None:
    not_ca = reissued_ca(
        ROOT.intermediate("Not A CA"),
        ROOT,
        basic_constraints=x509.BasicConstraints(ca=False, path_length=None),
        basic_constraints_critical=False,
    )
    carl = not_ca.issue(["carl@partner.example"])
    trust = TrustContext(anchors=(ROOT.cert,), intermediates=(not_ca.cert,))
    assert not check_chain(carl.cert, trust, NOW).trusted


def test_the_path_length_of_a_non_critical_basic_constraints_still_binds() -> None:
    root = reissued_ca(
        TestCA("Short Root"),
        None,
        basic_constraints=x509.BasicConstraints(ca=True, path_length=0),
        basic_constraints_critical=False,
    )
    sub = root.intermediate("Too Deep CA")
    dora = sub.issue(["dora@partner.example"])
    trust = TrustContext(anchors=(root.cert,), intermediates=(sub.cert,))
    assert not check_chain(dora.cert, trust, NOW).trusted
    assert check_chain(root.issue(["eve@partner.example"]).cert, trust, NOW).trusted
