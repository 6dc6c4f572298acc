"""The LDAP certificate source against a real OpenLDAP slapd: batching, lists, faults."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.services.certificates.config import SourceConfig
from desktop_app.services.certificates.consult import read_values
from desktop_app.services.certificates.ldap_source import LdapSource, LdapUnreachable
from desktop_app.services.certificates.source import FindingKind
from tests.ldap_server.directory import BULK, Seeded
from tests.ldap_server.server import (
    READER_DN,
    READER_PASSWORD,
    SUFFIX,
    Slapd,
    free_port,
    start_slapd,
)


def source(url: str, **fields: object) -> LdapSource:
    password = fields.pop("password", None)
    timeout = fields.pop("timeout", 5.0)
    config = SourceConfig("corp", "ldap", url=url, base_dn=SUFFIX, **fields)  # type: ignore[arg-type]
    return LdapSource(config, lambda: password, timeout=timeout)  # type: ignore[arg-type]


def fingerprints(finding) -> list[str]:  # type: ignore[no-untyped-def]
    certificates, _ = read_values(finding)
    return [fingerprint_sha256(p.certificate) for p in certificates]


def test_200_addresses_cost_at_most_5_searches(slapd: Slapd) -> None:
    ldap = source(slapd.url)
    keys = [f"u{i:03d}@example.org" for i in range(BULK)]
    before = slapd.searches()
    findings = ldap.lookup(keys)
    ldap.close()
    searches = slapd.searches() - before
    print(f"200 addresses: {searches} searches")
    assert searches <= 5
    assert {f.kind for f in findings.values()} == {FindingKind.PERSON}
    assert all(f.source == "ldap:corp" and len(fingerprints(f)) == 1 for f in findings.values())


def test_expired_beside_valid_both_published(slapd: Slapd, seeded: Seeded) -> None:
    finding = source(slapd.url).lookup(["alice@example.org"])["alice@example.org"]
    assert finding.kind is FindingKind.PERSON
    assert set(fingerprints(finding)) == {seeded.alice_valid, seeded.alice_expired}
    assert {v.attribute for v in finding.values} == {"userCertificate"}


def test_pkcs7_bundle_in_user_smime_certificate(slapd: Slapd, seeded: Seeded) -> None:
    finding = source(slapd.url).lookup(["bob@example.org"])["bob@example.org"]
    assert [v.attribute for v in finding.values] == ["userSMIMECertificate"]
    assert set(fingerprints(finding)) == set(seeded.bob_fingerprints)


def test_garbage_value_is_skipped_not_fatal(slapd: Slapd, seeded: Seeded) -> None:
    finding = source(slapd.url).lookup(["carol@example.org"])["carol@example.org"]
    certificates, unreadable = read_values(finding)
    assert [fingerprint_sha256(p.certificate) for p in certificates] == [seeded.carol_valid]
    assert unreadable == ["userSMIMECertificate"]


def test_proxy_address_resolves_to_primary_and_unknown_is_external(slapd: Slapd) -> None:
    findings = source(slapd.url).lookup(["d@example.org", "nobody@example.org"])
    assert findings["d@example.org"].kind is FindingKind.PERSON
    assert findings["d@example.org"].primary == "dave@example.org"
    assert findings["nobody@example.org"].kind is FindingKind.UNKNOWN


def test_nested_lists_with_a_cycle_are_flattened_once(slapd: Slapd) -> None:
    before = slapd.searches()
    findings = source(slapd.url).lookup(["team@example.org", "mixed@example.org"])
    team = findings["team@example.org"]
    assert team.kind is FindingKind.LIST
    assert team.members == ("alice@example.org", "bob@example.org", "carol@example.org")
    assert team.incomplete is None
    assert team.member_findings is not None
    assert fingerprints(team.member_findings["bob@example.org"])
    assert findings["mixed@example.org"].members == ("alice@example.org", "dave@example.org")
    # One search for the addresses, then one per level of nesting (both lists at once).
    assert slapd.searches() - before <= 3


def test_list_member_cap_marks_the_list_incomplete(slapd: Slapd) -> None:
    config = SourceConfig("corp", "ldap", url=slapd.url, base_dn=SUFFIX)
    ldap = LdapSource(config, member_cap=2)
    team = ldap.lookup(["team@example.org"])["team@example.org"]
    assert len(team.members) == 2
    assert team.incomplete is not None and "more than 2" in team.incomplete


def test_server_down_is_unreachable_for_every_address() -> None:
    ldap = source(f"ldap://127.0.0.1:{free_port()}")
    findings = ldap.lookup(["alice@example.org", "bob@example.org"])
    assert {f.kind for f in findings.values()} == {FindingKind.UNREACHABLE}
    assert "directory corp not reachable" in (findings["alice@example.org"].failure or "")


def test_slow_server_times_out_as_unreachable(slapd: Slapd) -> None:
    ldap = source(slapd.url, timeout=1.0)
    slapd.pause()
    try:
        finding = ldap.lookup(["alice@example.org"])["alice@example.org"]
    finally:
        slapd.resume()
    assert finding.kind is FindingKind.UNREACHABLE
    assert "not reachable" in (finding.failure or "")
    # Once it answers again, the next lookup works on a new connection.
    assert ldap.lookup(["alice@example.org"])["alice@example.org"].kind is FindingKind.PERSON


def test_referral_is_reported_not_followed(slapd: Slapd) -> None:
    config = SourceConfig("corp", "ldap", url=slapd.url, base_dn=f"ou=elsewhere,{SUFFIX}")
    finding = LdapSource(config).lookup(["alice@example.org"])["alice@example.org"]
    assert finding.kind is FindingKind.UNREACHABLE
    assert "refers this search to another server" in (finding.failure or "")
    assert "127.0.0.1:9" in (finding.failure or "")


def test_search_continuation_references_are_ignored(slapd: Slapd) -> None:
    # The subtree holds a referral object: slapd sends a reference beside the entries.
    findings = source(slapd.url).lookup(["alice@example.org"])
    assert findings["alice@example.org"].kind is FindingKind.PERSON


def test_bad_credentials_are_a_clear_refusal(slapd: Slapd) -> None:
    ldap = source(slapd.url, bind_dn=READER_DN, password="wrong")
    with pytest.raises(LdapUnreachable, match="refused the sign-in as cn=reader"):
        ldap.test()
    finding = ldap.lookup(["alice@example.org"])["alice@example.org"]
    assert finding.kind is FindingKind.UNREACHABLE
    assert "refused the sign-in" in (finding.failure or "")
    good = source(slapd.url, bind_dn=READER_DN, password=READER_PASSWORD)
    good.test()
    assert good.lookup(["alice@example.org"])["alice@example.org"].kind is FindingKind.PERSON


def test_size_limit_exceeded_is_split_until_it_fits(tmp_path: Path, seeded: Seeded) -> None:
    small = start_slapd(tmp_path / "small", seeded.ldif, size_limit=5)
    try:
        keys = [f"u{i:03d}@example.org" for i in range(12)]
        findings = source(small.url).lookup(keys)
        assert {f.kind for f in findings.values()} == {FindingKind.PERSON}
        assert any("err=4" in line for line in small.log_lines())
    finally:
        small.stop()


def test_plain_ldap_only_to_loopback() -> None:
    from desktop_app.services.certificates.config import DirectoryConfigError
    from desktop_app.services.certificates.ldap_entries import endpoint

    assert endpoint("ldap://ldap.example.org").start_tls
    assert not endpoint("ldap://127.0.0.1:3890").start_tls
    assert endpoint("ldaps://ldap.example.org").use_ssl
    with pytest.raises(DirectoryConfigError):
        endpoint("http://ldap.example.org")


def test_ldaps_with_the_test_ca_and_refused_without_it(tmp_path: Path, seeded: Seeded) -> None:
    from tests.ews_server.tls import make_local_tls

    tls = make_local_tls(tmp_path / "tls")
    other = make_local_tls(tmp_path / "other")
    secure = start_slapd(
        tmp_path / "secure", seeded.ldif, tls=(tls.ca_file, tls.cert_file, tls.key_file)
    )
    try:
        url = f"ldaps://127.0.0.1:{secure.tls_port}"
        trusted = source(url, ca_file=str(tls.ca_file))
        assert trusted.lookup(["alice@example.org"])["alice@example.org"].kind is (
            FindingKind.PERSON
        )
        stranger = source(url, ca_file=str(other.ca_file))
        finding = stranger.lookup(["alice@example.org"])["alice@example.org"]
        assert finding.kind is FindingKind.UNREACHABLE
        assert "not from a trusted CA" in (finding.failure or "")
        with pytest.raises(LdapUnreachable):
            stranger.test()
    finally:
        secure.stop()
