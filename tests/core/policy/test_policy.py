"""The policy file: every key checked, mistakes named by line, the strictest policy on error."""

import pytest

from desktop_app.core.policy.model import (
    DEFAULT_POLICY,
    STRICTEST_POLICY,
    Policy,
    PolicyError,
    RequireEncryption,
    RevocationPolicy,
    tighten,
)
from desktop_app.core.policy.parse import parse_policy

FULL = """\
# the clinic's policy
internal_domains = ["Clinic.Example", "lab.clinic.example"]
require_encryption = "external"
allow_unencrypted_override = false
always_sign = true
large_audience = 40
"""


def test_a_full_policy_is_read() -> None:
    policy = parse_policy(FULL, source="policy.toml")
    assert policy == Policy(
        internal_domains=frozenset({"clinic.example", "lab.clinic.example"}),
        require_encryption=RequireEncryption.EXTERNAL,
        allow_unencrypted_override=False,
        always_sign=True,
        large_audience=40,
    )


def test_missing_keys_keep_their_defaults() -> None:
    assert parse_policy("", source="p") == DEFAULT_POLICY
    assert parse_policy('require_encryption = "always"', source="p").large_audience == 25


def test_international_domains_are_compared_in_ascii_form() -> None:
    policy = parse_policy('internal_domains = ["bücher.example"]', source="p")
    assert policy.is_internal("anna@xn--bcher-kva.example")
    assert not policy.is_internal("anna@sub.xn--bcher-kva.example")  # exact match only


@pytest.mark.parametrize(
    ("source_text", "line", "field", "words"),
    [
        ("\n\nrequire_encrytion = 'always'\n", 3, "require_encrytion", "unknown"),
        ('require_encryption = "sometimes"', 1, "require_encryption", "“always”"),
        ('always_sign = "false"', 1, "always_sign", "true or false"),
        ("\nlarge_audience = 0", 2, "large_audience", "whole number"),
        ("large_audience = true", 1, "large_audience", "whole number"),
        ('internal_domains = "clinic.example"', 1, "internal_domains", "list"),
        ('internal_domains = ["a b"]', 1, "internal_domains", "“a b”"),
        ('internal_domains = ["someone@clinic.example"]', 1, "internal_domains", "domain"),
        ("[policy]\nalways_sign = true", 1, "policy", "unknown"),
        ("always_sign = true\nalways_sign = = false", 2, None, "line 2"),
        ("internal_domains = [", 1, None, "line 1"),
    ],
)
def test_a_bad_file_names_the_line_and_the_setting(
    source_text: str, line: int, field: str | None, words: str
) -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy(source_text, source="/etc/smime-guard/policy.toml")
    error = caught.value
    assert error.line == line
    assert error.field == field
    assert words in error.message
    assert "/etc/smime-guard/policy.toml" in error.message
    if field is not None:
        assert f"line {line}, “{field}”" in error.message


@pytest.mark.parametrize(
    ("require", "keys", "required"),
    [
        (RequireEncryption.ALWAYS, ["a@clinic.example"], True),
        (RequireEncryption.NEVER, ["a@elsewhere.example"], False),
        (RequireEncryption.EXTERNAL, ["a@clinic.example"], False),
        (RequireEncryption.EXTERNAL, ["a@clinic.example", "b@elsewhere.example"], True),
    ],
)
def test_when_encryption_is_required(
    require: RequireEncryption, keys: list[str], required: bool
) -> None:
    policy = Policy(frozenset({"clinic.example"}), require)
    assert policy.requires_encryption(keys) is required


def test_without_internal_domains_everyone_is_external() -> None:
    policy = Policy(require_encryption=RequireEncryption.EXTERNAL)
    assert policy.requires_encryption(["a@clinic.example"])


def test_the_strictest_policy_allows_nothing_optional() -> None:
    assert STRICTEST_POLICY.requires_encryption(["anyone@anywhere.example"])
    assert not STRICTEST_POLICY.allow_unencrypted_override
    assert STRICTEST_POLICY.always_sign


def test_a_second_file_can_only_narrow_the_first() -> None:
    system = Policy(
        frozenset({"clinic.example", "lab.example"}),
        RequireEncryption.EXTERNAL,
        allow_unencrypted_override=True,
        always_sign=False,
        large_audience=30,
    )
    loose = Policy(
        frozenset({"clinic.example", "elsewhere.example"}),
        RequireEncryption.NEVER,
        allow_unencrypted_override=True,
        always_sign=False,
        large_audience=100,
    )
    combined = tighten(system, loose)
    assert combined.internal_domains == frozenset({"clinic.example"})
    assert combined.require_encryption is RequireEncryption.EXTERNAL
    assert combined.large_audience == 30
    strict = Policy(require_encryption=RequireEncryption.ALWAYS, allow_unencrypted_override=False)
    assert tighten(system, strict).require_encryption is RequireEncryption.ALWAYS
    assert not tighten(system, strict).allow_unencrypted_override
    assert tighten(system, strict).internal_domains == system.internal_domains
    # A first file naming no internal domain calls everyone external; the second cannot widen.
    assert tighten(Policy(), system).internal_domains == frozenset()


def test_phi_settings_are_read() -> None:
    from desktop_app.core.policy.model import PhiMode

    assert DEFAULT_POLICY.phi is PhiMode.WARN and not DEFAULT_POLICY.protect_headers
    policy = parse_policy('phi = "block"\nprotect_headers = true\n', source="p")
    assert policy.phi is PhiMode.BLOCK and policy.protect_headers
    table = parse_policy(
        '[phi]\nmode = "off"\n[phi.mrn]\nchart = "MRN-\\\\d{7}"\nlab = \'CH\\d{6}\'\n', source="p"
    )
    assert table.phi is PhiMode.OFF
    assert table.mrn_patterns == (("chart", r"MRN-\d{7}"), ("lab", r"CH\d{6}"))


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ('phi = "loud"', "expected one of"),
        ("phi = true", "expected one of"),
        ('[phi.mrn]\nchart = "MRN-(\\\\d"', "not a valid regular expression"),
        ("[phi.mrn]\nchart = 7", "must be text"),
        ('[phi.mrn]\nchart = "x*"', "matches empty text"),
        ('[phi]\nmood = "warn"', "not one of its settings"),
        ('protect_headers = "yes"', "true or false"),
    ],
)
def test_bad_phi_settings_are_errors_naming_the_setting(source: str, reason: str) -> None:
    with pytest.raises(PolicyError, match=reason) as caught:
        parse_policy(source, source="policy.toml")
    assert caught.value.field in {"phi", "protect_headers"}
    assert caught.value.line is not None


def test_phi_settings_only_tighten() -> None:
    from desktop_app.core.policy.model import PhiMode

    loose = Policy(phi=PhiMode.OFF, mrn_patterns=(("a", "A\\d+"),))
    strict = Policy(phi=PhiMode.BLOCK, protect_headers=True, mrn_patterns=(("b", "B\\d+"),))
    combined = tighten(loose, strict)
    assert combined.phi is PhiMode.BLOCK and combined.protect_headers
    assert combined.mrn_patterns == (("a", "A\\d+"), ("b", "B\\d+"))
    assert tighten(strict, loose).phi is PhiMode.BLOCK
    assert STRICTEST_POLICY.phi is PhiMode.BLOCK and STRICTEST_POLICY.protect_headers


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ('revocation = "require"', RevocationPolicy.REQUIRE),
        ('revocation = " Prefer "', RevocationPolicy.PREFER),
        ('revocation = "off"', RevocationPolicy.OFF),
        ("", RevocationPolicy.PREFER),
    ],
)
def test_the_revocation_setting_is_read(written: str, expected: RevocationPolicy) -> None:
    assert parse_policy(written, source="p.toml").revocation is expected


@pytest.mark.parametrize("written", ['revocation = "sometimes"', "revocation = true"])
def test_a_bad_revocation_setting_names_the_choices(written: str) -> None:
    with pytest.raises(PolicyError) as raised:
        parse_policy(f"\n{written}\n", source="p.toml")
    assert raised.value.field == "revocation"
    assert raised.value.line == 2
    assert "require" in raised.value.message and "off" in raised.value.message


def test_revocation_is_required_as_strictly_as_either_file_says() -> None:
    off = Policy(revocation=RevocationPolicy.OFF)
    prefer = Policy(revocation=RevocationPolicy.PREFER)
    require = Policy(revocation=RevocationPolicy.REQUIRE)
    assert tighten(prefer, off).revocation is RevocationPolicy.PREFER
    assert tighten(off, require).revocation is RevocationPolicy.REQUIRE
    assert STRICTEST_POLICY.revocation is RevocationPolicy.REQUIRE
