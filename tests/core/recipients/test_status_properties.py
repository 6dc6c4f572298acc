"""Properties of the one rule that must hold for any recipients and any store."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.pki.usability import CertCode, CertVerdict
from desktop_app.core.recipients.addresses import Mailbox, parse_mailbox
from desktop_app.core.recipients.replies import ComposeAction, parse_original, prefill
from desktop_app.core.recipients.status import (
    CertificateEvidence,
    Draft,
    Evidence,
    Lookup,
    MessageStatus,
    Overall,
    decide,
)

AT = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
OWN = "me@clinic.example"
POOL = [
    f"{name}@{domain}"
    for name in ("ann", "bob", "cy", "dana", "eve")
    for domain in ("clinic.example", "partner.example")
] + [OWN]

addresses = st.sampled_from(POOL)
address_lists = st.lists(addresses, max_size=5)


@st.composite
def stores(draw: st.DrawFn) -> Evidence:
    """Any store: for each address none, one or several certificates of any verdict."""
    lookups = {}
    for address in POOL:
        codes = draw(st.lists(st.sampled_from(list(CertCode)), max_size=3))
        candidates = tuple(
            CertificateEvidence(
                fingerprint=f"{address}-{index}",
                spki=f"spki-{address}-{index}",
                not_after=AT + dt.timedelta(days=draw(st.integers(-400, 900))),
                source="imported",
                verdict=CertVerdict(code, code.value, ()),
            )
            for index, code in enumerate(codes)
        )
        pending = draw(st.booleans()) and draw(st.booleans())
        lookups[address] = Lookup(candidates=candidates, pending=pending)
    return Evidence(lookups=lookups)


def mailboxes(values: list[str]) -> tuple[Mailbox, ...]:
    return tuple(parse_mailbox(value) for value in values)


def verdict_shape(status: MessageStatus) -> tuple[Overall, frozenset[tuple[str, str]]]:
    return status.overall, frozenset((r.mailbox.key, r.code.value) for r in status.recipients)


def eml(sender: str, to: list[str], cc: list[str]) -> bytes:
    lines = [f"From: {sender}", f"To: {', '.join(to)}"]
    if cc:
        lines.append(f"Cc: {', '.join(cc)}")
    lines += ["Subject: results", "Message-ID: <1@clinic.example>", "", "body"]
    return "\r\n".join(lines).encode()


@settings(max_examples=300)
@given(sender=addresses, to=address_lists.filter(bool), cc=address_lists, store=stores())
def test_reply_all_has_the_verdict_of_a_new_message_to_the_same_people(
    sender: str, to: list[str], cc: list[str], store: Evidence
) -> None:
    original = parse_original(eml(sender, to, cc))
    reply_all = prefill(original, ComposeAction.REPLY_ALL, frozenset({OWN}))
    as_reply = decide(Draft(to=reply_all.to, cc=reply_all.cc, sender=parse_mailbox(OWN)), store)
    # The same people typed by hand into a new message: From and the original To, then Cc.
    new_to = [a for a in [sender, *to] if a != OWN]
    new_cc = [a for a in cc if a != OWN]
    as_new = decide(
        Draft(to=mailboxes(new_to), cc=mailboxes(new_cc), sender=parse_mailbox(OWN)), store
    )
    assert verdict_shape(as_reply) == verdict_shape(as_new)
    assert as_reply.recipients == as_new.recipients


@settings(max_examples=300)
@given(
    to=address_lists,
    cc=address_lists,
    bcc=address_lists,
    store=stores(),
    extra=st.sampled_from(["to", "cc", "bcc"]),
    bad=st.sampled_from([c for c in CertCode if c != CertCode.OK]),
    absent=st.booleans(),
)
def test_adding_a_recipient_without_a_usable_certificate_never_leaves_encrypted(
    to: list[str],
    cc: list[str],
    bcc: list[str],
    store: Evidence,
    extra: str,
    bad: CertCode,
    absent: bool,
) -> None:
    newcomer = "zed@elsewhere.example"
    unusable = CertificateEvidence("z", "z", AT, "imported", CertVerdict(bad, bad.value, ()))
    lookups = dict(store.lookups)
    lookups[newcomer] = Lookup() if absent else Lookup((unusable,))
    fields = {"to": to, "cc": cc, "bcc": bcc}
    fields[extra] = [*fields[extra], newcomer]
    status = decide(
        Draft(to=mailboxes(fields["to"]), cc=mailboxes(fields["cc"]), bcc=mailboxes(fields["bcc"])),
        Evidence(lookups=lookups),
    )
    assert status.overall is Overall.NOT_ENCRYPTED
    assert newcomer in [r.mailbox.key for r in status.uncovered]


def _recase(address: str, pattern: list[bool]) -> str:
    return "".join(
        c.upper() if flip else c
        for c, flip in zip(address, pattern + [False] * len(address), strict=False)
    )


@settings(max_examples=300)
@given(
    to=address_lists,
    cc=address_lists,
    bcc=address_lists,
    store=stores(),
    order=st.permutations(["to", "cc", "bcc"]),
    pattern=st.lists(st.booleans(), max_size=30),
    data=st.data(),
)
def test_field_order_and_letter_case_do_not_change_the_verdict(
    to: list[str],
    cc: list[str],
    bcc: list[str],
    store: Evidence,
    order: list[str],
    pattern: list[bool],
    data: st.DataObject,
) -> None:
    original = decide(Draft(to=mailboxes(to), cc=mailboxes(cc), bcc=mailboxes(bcc)), store)
    fields = {"to": to, "cc": cc, "bcc": bcc}
    # Move every field's recipients into another field and shuffle and re-case them.
    moved = dict(zip(order, (fields["to"], fields["cc"], fields["bcc"]), strict=True))
    shuffled = {name: data.draw(st.permutations(values)) for name, values in moved.items()}
    recased = {name: [_recase(a, pattern) for a in values] for name, values in shuffled.items()}
    changed = decide(
        Draft(
            to=mailboxes(recased["to"]), cc=mailboxes(recased["cc"]), bcc=mailboxes(recased["bcc"])
        ),
        store,
    )
    assert changed.overall is original.overall
    assert {r.mailbox.key: r.code for r in changed.recipients} == {
        r.mailbox.key: r.code for r in original.recipients
    }
