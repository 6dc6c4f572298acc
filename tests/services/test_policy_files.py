"""Loading the policy: system file first, the home folder's may only narrow it."""

from pathlib import Path

from desktop_app.core.policy.model import DEFAULT_POLICY, STRICTEST_POLICY, RequireEncryption
from desktop_app.services.policy_files import load_policy


def test_no_files_give_the_defaults(tmp_path: Path) -> None:
    loaded = load_policy(tmp_path, system_path=tmp_path / "none.toml")
    assert loaded.policy == DEFAULT_POLICY and loaded.sources == () and loaded.errors == ()


def test_the_home_file_narrows_the_system_file(tmp_path: Path) -> None:
    system = tmp_path / "system.toml"
    system.write_text(
        'internal_domains = ["clinic.example"]\nrequire_encryption = "external"\n',
        encoding="utf-8",
    )
    (tmp_path / "policy.toml").write_text(
        'require_encryption = "never"\nalways_sign = true\n', encoding="utf-8"
    )
    loaded = load_policy(tmp_path, system_path=system)
    assert loaded.sources == (system, tmp_path / "policy.toml")
    assert loaded.policy.require_encryption is RequireEncryption.EXTERNAL
    assert loaded.policy.always_sign
    assert loaded.policy.internal_domains == frozenset({"clinic.example"})


def test_a_bad_file_gives_the_strictest_policy_and_says_where(tmp_path: Path) -> None:
    system = tmp_path / "system.toml"
    system.write_text('internal_domains = ["clinic.example"]\n', encoding="utf-8")
    (tmp_path / "policy.toml").write_text("allow_unencrypted_override = yes\n", encoding="utf-8")
    loaded = load_policy(tmp_path, system_path=system)
    assert loaded.policy == STRICTEST_POLICY
    [error] = loaded.errors
    assert error.line == 1 and "policy.toml" in error.message


def test_an_unreadable_file_gives_the_strictest_policy(tmp_path: Path) -> None:
    system = tmp_path / "system.toml"
    system.write_bytes(b"\xff\xfe")
    loaded = load_policy(tmp_path, system_path=system)
    assert loaded.policy == STRICTEST_POLICY
    assert "UTF-8" in loaded.errors[0].message
