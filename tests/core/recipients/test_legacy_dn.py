"""X.500 (legacyDN) addresses: typed bare, and replaced by the SMTP address they resolve to."""

from __future__ import annotations

import pytest

from desktop_app.core.recipients.addresses import MailboxKind, parse_mailbox
from desktop_app.core.recipients.legacy_dn import (
    bare_legacy_dn,
    legacy_dn_key,
    legacy_dn_short_name,
    resolve_mailbox,
)
from desktop_app.core.recipients.status import Draft, Evidence, StatusCode, decide

DN = "/o=Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=jsmith"


def test_a_bare_legacy_dn_is_an_unresolved_x500_mailbox() -> None:
    mailbox = bare_legacy_dn(f"  {DN} ")
    assert mailbox is not None
    assert (mailbox.address, mailbox.kind, mailbox.legacy_dn) == (
        DN,
        MailboxKind.EXCHANGE_LEGACY_DN,
        DN,
    )
    assert "@" not in mailbox.key  # never the key of an internet address
    status = decide(Draft(to=(mailbox,)), Evidence()).recipients[0]
    assert status.code is StatusCode.UNRESOLVED


@pytest.mark.parametrize(
    "written",
    ["jsmith@example.org", "/o=Org", "o=Org/cn=x", "/o=Org/cn=", "/o=Org/cn=a@b", "/o=Org/cn=é"],
)
def test_other_text_is_not_a_bare_legacy_dn(written: str) -> None:
    assert bare_legacy_dn(written) is None


def test_a_typed_x500_address_resolves_to_the_smtp_address_without_the_directory_name() -> None:
    typed = parse_mailbox("IMCEAEX-_o=Org_cn=Recipients_cn=jsmith@example.org")
    smtp = parse_mailbox("John Smith <jsmith@example.org>")
    resolved = {legacy_dn_key("/O=ORG/cn=Recipients/cn=jsmith"): smtp}

    shown = resolve_mailbox(typed, resolved, directory_name=False)
    assert (shown.address, shown.display_name, shown.kind) == (
        "jsmith@example.org",
        "",
        MailboxKind.SMTP,
    )
    assert resolve_mailbox(typed, resolved).display_name == "John Smith"  # a reply's prefill
    assert resolve_mailbox(typed, {}) is typed


def test_the_short_name_of_a_legacy_dn_is_its_last_common_name() -> None:
    root = "/o=Clinic/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients"
    assert legacy_dn_short_name(f"{root}/cn=jsmith") == "jsmith"
    assert legacy_dn_short_name("/o=Clinic/ou=First") == "/o=Clinic/ou=First"
