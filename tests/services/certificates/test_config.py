"""Where certificate sources are configured: the admin's policy.toml first, then the user's."""

from pathlib import Path

import pytest

from desktop_app.core.policy.model import DEFAULT_POLICY
from desktop_app.services.certificates.config import (
    DirectoryConfigError,
    SourceConfig,
    all_sources,
    save_user_sources,
)
from desktop_app.services.policy_files import load_policy

POLICY = """
require_encryption = "always"

[[directory]]
name = "ad"
type = "ldap"
url = "ldaps://dc1.clinic.example"
base_dn = "dc=clinic,dc=example"
bind_dn = "cn=reader,dc=clinic,dc=example"

[[directory]]
name = "practice"
type = "bundle"
url = "https://intranet.clinic.example/smime/bundle.p7m"
signer = "/etc/smime-guard/bundle-signer.pem"
"""


def test_admin_tables_come_first_and_the_policy_still_reads(tmp_path: Path, home: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY)
    save_user_sources(home, (SourceConfig("mine", "ldap", url="ldap://127.0.0.1", base_dn="o=x"),))
    sources = all_sources(home, policy)
    assert [(s.label, s.admin) for s in sources] == [
        ("ldap:ad", True),
        ("bundle:practice", True),
        ("ldap:mine", False),
    ]
    loaded = load_policy(home, system_path=policy)
    assert not loaded.errors
    assert loaded.policy != DEFAULT_POLICY  # require_encryption was read beside the tables


@pytest.mark.parametrize(
    "table",
    [
        'name = "x"\ntype = "ftp"',
        'name = "x"\ntype = "ldap"\nurl = "ldaps://h"',
        'name = "x"\ntype = "bundle"\nurl = "https://h/b"',
        'name = "../x"\ntype = "ldap"\nurl = "ldaps://h"\nbase_dn = "o=x"',
        'name = "x"\ntype = "ldap"\nurl = "ldaps://h"\nbase_dn = "o=x"\npasword = "oops"',
    ],
)
def test_bad_tables_are_refused_with_the_file_named(tmp_path: Path, home: Path, table: str) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(f"[[directory]]\n{table}\n")
    with pytest.raises(DirectoryConfigError, match=r"policy\.toml"):
        all_sources(home, policy)
