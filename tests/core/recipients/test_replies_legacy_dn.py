"""Exchange legacy DNs in an original's headers: IMCEAEX addresses and X.500 DNs, bare or in
angle brackets, read as the one mailbox they name."""

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.recipients.addresses import MailboxKind
from desktop_app.core.recipients.replies import ComposeAction, parse_original, prefill
from tests.core.recipients.originals import OWN, eml

LEGACY = "IMCEAEX-_O=ORG_OU=EXCHANGE+20ADMINISTRATIVE+20GROUP_CN=RECIPIENTS_CN=JDOE@clinic.example"
DN_ROOT = "/o=Clinic/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients"


def test_imceaex_sender_is_kept_as_a_legacy_dn_mailbox() -> None:
    original = parse_original(eml(f'From: "Doe, John" <{LEGACY}>', "To: me@clinic.example"))
    (sender,) = original.sender
    assert sender.kind is MailboxKind.EXCHANGE_LEGACY_DN
    assert sender.legacy_dn == "/O=ORG/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=JDOE"
    assert prefill(original, ComposeAction.REPLY, OWN).to == (sender,)


def test_legacy_dns_written_in_headers_are_read_as_x500_mailboxes() -> None:
    original = parse_original(
        eml(
            f"From: Alice Smith <{DN_ROOT}/cn=alice>",
            f"To: {DN_ROOT}/cn=me, bob@clinic.example",
            f'Cc: "Smith, Jo" </O=CLINIC/OU=X/CN=RECIPIENTS/CN=JO>; {LEGACY}',
            "Subject: Results",
        )
    )

    people = (*original.sender, *original.to, *original.cc)
    assert [(m.kind, m.legacy_dn, m.display_name) for m in people] == [
        (MailboxKind.EXCHANGE_LEGACY_DN, f"{DN_ROOT}/cn=alice", "Alice Smith"),
        (MailboxKind.EXCHANGE_LEGACY_DN, f"{DN_ROOT}/cn=me", ""),
        (MailboxKind.SMTP, None, ""),
        (MailboxKind.EXCHANGE_LEGACY_DN, "/O=CLINIC/OU=X/CN=RECIPIENTS/CN=JO", "Smith, Jo"),
        (
            MailboxKind.EXCHANGE_LEGACY_DN,
            "/O=ORG/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=JDOE",
            "",
        ),
    ]
    # Shown as the legacyDN it is, not as an address made up for it.
    assert original.sender[0].address == f"{DN_ROOT}/cn=alice"
    # The same person by legacyDN and by IMCEAEX is one key: one recipient.
    by_imceaex = parse_original(eml(f"From: {LEGACY}", "Subject: x")).sender[0]
    written = "/O=ORG/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=JDOE"
    by_dn = parse_original(eml(f"From: J Doe <{written.lower()}>", "Subject: x")).sender[0]
    assert by_imceaex.legacy_dn is not None and by_dn.legacy_dn is not None
    assert by_imceaex.legacy_dn.lower() == by_dn.legacy_dn.lower()


def test_a_legacy_dn_inside_a_quoted_name_is_only_a_name() -> None:
    original = parse_original(eml('From: "see /o=Org/cn=x" <ann@clinic.example>', "Subject: x"))
    assert [(m.address, m.display_name) for m in original.sender] == [
        ("ann@clinic.example", "see /o=Org/cn=x")
    ]


_DN_VALUE = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E, exclude_characters='/@<>",;\\()'),
    min_size=1,
    max_size=20,
).filter(lambda value: value.strip() == value)


@settings(deadline=500, max_examples=200)
@given(st.lists(_DN_VALUE, min_size=1, max_size=4), st.booleans())
def test_any_legacy_dn_in_a_header_reads_back_as_itself(values: list[str], angled: bool) -> None:
    legacy_dn = "/o=" + "/cn=".join(values)
    written = f"Someone <{legacy_dn}>" if angled else legacy_dn
    (mailbox,) = parse_original(eml(f"From: {written}", "Subject: x")).sender
    assert mailbox.kind is MailboxKind.EXCHANGE_LEGACY_DN
    assert mailbox.legacy_dn == legacy_dn
    assert mailbox.address == legacy_dn
