"""The one rule: per-recipient status and the overall verdict."""

import datetime as dt

import pytest

from desktop_app.core.pki.revocation import RevocationAnswer, RevocationState
from desktop_app.core.pki.usability import CertCode, CertVerdict
from desktop_app.core.recipients.addresses import parse_address_list, parse_mailbox
from desktop_app.core.recipients.status import (
    CertificateEvidence,
    Draft,
    Evidence,
    Field,
    Lookup,
    Overall,
    StatusCode,
    choose_certificate,
    decide,
)

UTC = dt.UTC
AT = dt.datetime(2026, 6, 1, tzinfo=UTC)


def evidence_for(
    code: CertCode = CertCode.OK, *, fingerprint: str = "aa", spki: str = "k1", days_left: int = 100
) -> CertificateEvidence:
    return CertificateEvidence(
        fingerprint=fingerprint,
        spki=spki,
        not_after=AT + dt.timedelta(days=days_left),
        source="imported",
        verdict=CertVerdict(
            code, f"verdict {code.value}", () if code is CertCode.OK else (code.value,)
        ),
        revocation=RevocationAnswer(RevocationState.GOOD, "a current CRL"),
    )


def draft(to: str = "", cc: str = "", bcc: str = "", sender: str | None = None) -> Draft:
    return Draft(
        to=parse_address_list(to),
        cc=parse_address_list(cc),
        bcc=parse_address_list(bcc),
        sender=parse_mailbox(sender) if sender else None,
    )


OK_LOOKUP = Lookup(candidates=(evidence_for(),))


def test_every_recipient_covered_is_encrypted() -> None:
    status = decide(
        draft("a@x.org", "b@y.org", "c@z.org"),
        Evidence(lookups={"a@x.org": OK_LOOKUP, "b@y.org": OK_LOOKUP, "c@z.org": OK_LOOKUP}),
    )
    assert status.overall is Overall.ENCRYPTED
    assert [r.code for r in status.recipients] == [StatusCode.OK] * 3
    assert [r.field for r in status.recipients] == [Field.TO, Field.CC, Field.BCC]
    assert status.uncovered == ()


def test_motivating_reply_all_one_recipient_without_certificate_is_not_encrypted() -> None:
    status = decide(
        draft("dana@partner.example", "lee@clinic.example"),
        Evidence(lookups={"lee@clinic.example": OK_LOOKUP}),
    )
    assert status.overall is Overall.NOT_ENCRYPTED
    dana, lee = status.recipients
    assert dana.code is StatusCode.NO_CERTIFICATE
    assert "dana@partner.example" in dana.reason
    assert lee.code is StatusCode.OK
    assert status.summary == "1 of 2 recipients cannot read encrypted mail."


def test_no_recipients_is_not_encrypted_with_a_warning() -> None:
    status = decide(Draft(), Evidence())
    assert status.overall is Overall.NOT_ENCRYPTED
    assert [n.code for n in status.notices] == ["no_recipients"]


@pytest.mark.parametrize("code", [c for c in CertCode if c is not CertCode.OK])
def test_an_unusable_certificate_gives_its_own_code_and_reason(code: CertCode) -> None:
    status = decide(draft("a@x.org"), Evidence(lookups={"a@x.org": Lookup((evidence_for(code),))}))
    assert status.overall is Overall.NOT_ENCRYPTED
    assert status.recipients[0].code.value == code.value
    assert status.recipients[0].reason == f"verdict {code.value}"


def test_pending_lookup_is_unresolved_unless_a_usable_certificate_is_already_known() -> None:
    pending = decide(draft("a@x.org"), Evidence(lookups={"a@x.org": Lookup(pending=True)}))
    assert pending.recipients[0].code is StatusCode.UNRESOLVED
    assert pending.overall is Overall.NOT_ENCRYPTED
    expired_pending = Lookup((evidence_for(CertCode.EXPIRED),), pending=True)
    still = decide(draft("a@x.org"), Evidence(lookups={"a@x.org": expired_pending}))
    assert still.recipients[0].code is StatusCode.UNRESOLVED
    known = decide(
        draft("a@x.org"), Evidence(lookups={"a@x.org": Lookup(OK_LOOKUP.candidates, pending=True)})
    )
    assert known.overall is Overall.ENCRYPTED


def test_failed_lookup_is_unresolved_with_the_failure_in_the_reason() -> None:
    status = decide(
        draft("a@x.org"), Evidence(lookups={"a@x.org": Lookup(failure="server said no")})
    )
    assert status.recipients[0].code is StatusCode.UNRESOLVED
    assert "server said no" in status.recipients[0].reason


def test_exchange_legacy_dn_address_is_unresolved_even_with_a_certificate() -> None:
    legacy = (
        "IMCEAEX-_O=ORG_OU=EXCHANGE+20ADMINISTRATIVE+20GROUP_CN=RECIPIENTS_CN=JDOE@clinic.example"
    )
    mailbox = parse_mailbox(legacy)
    status = decide(Draft(to=(mailbox,)), Evidence(lookups={mailbox.key: OK_LOOKUP}))
    assert status.recipients[0].code is StatusCode.UNRESOLVED
    assert status.overall is Overall.NOT_ENCRYPTED


def test_choice_prefers_usable_then_latest_expiry_then_fingerprint() -> None:
    expired_late = evidence_for(CertCode.EXPIRED, fingerprint="01", days_left=900)
    usable_soon = evidence_for(fingerprint="02", days_left=10)
    usable_late_b = evidence_for(fingerprint="0b", days_left=500)
    usable_late_a = evidence_for(fingerprint="0a", days_left=500)
    for order in (
        [expired_late, usable_soon, usable_late_b, usable_late_a],
        [usable_late_a, usable_late_b, usable_soon, expired_late],
    ):
        assert choose_certificate(order) is usable_late_a
    assert choose_certificate([expired_late]) is expired_late
    assert choose_certificate([]) is None


def test_duplicates_across_fields_collapse_to_the_first_field_with_a_warning() -> None:
    status = decide(
        draft("A@X.org", "a@x.ORG", "a@x.org"), Evidence(lookups={"a@x.org": OK_LOOKUP})
    )
    assert [(r.field, r.mailbox.key) for r in status.recipients] == [(Field.TO, "a@x.org")]
    assert [n.code for n in status.notices] == ["duplicate_recipient", "duplicate_recipient"]


def test_missing_sender_certificate_warns_but_does_not_change_the_verdict() -> None:
    status = decide(
        draft("a@x.org", sender="me@clinic.example"), Evidence(lookups={"a@x.org": OK_LOOKUP})
    )
    assert status.overall is Overall.ENCRYPTED
    assert [n.code for n in status.notices] == ["sender_certificate_missing"]
    with_own = decide(
        draft("a@x.org", sender="me@clinic.example"),
        Evidence(lookups={"a@x.org": OK_LOOKUP, "me@clinic.example": OK_LOOKUP}),
    )
    assert with_own.notices == ()
    assert [r.mailbox.key for r in with_own.recipients] == ["a@x.org"], (
        "the sender is not a recipient"
    )


def test_changed_key_since_last_use_is_flagged() -> None:
    evidence = Evidence(
        lookups={"a@x.org": Lookup((evidence_for(spki="new"),))}, last_used_spki={"a@x.org": "old"}
    )
    status = decide(draft("a@x.org"), evidence)
    assert status.overall is Overall.ENCRYPTED
    assert [n.code for n in status.notices] == ["key_changed"]
    same = Evidence(lookups=evidence.lookups, last_used_spki={"a@x.org": "new"})
    assert decide(draft("a@x.org"), same).notices == ()


def test_lookalike_domain_is_warned() -> None:
    status = decide(draft("a@ex\u0430mple.org"), Evidence())
    assert "lookalike_domain" in [n.code for n in status.notices]


def test_a_list_is_covered_only_when_every_member_is() -> None:
    members = parse_address_list("ann@clinic.example, bob@clinic.example, cy@partner.example")
    lookups = {
        "team@clinic.example": Lookup(members=members),
        "ann@clinic.example": OK_LOOKUP,
        "bob@clinic.example": OK_LOOKUP,
    }
    status = decide(draft("Team <team@clinic.example>"), Evidence(lookups=lookups))
    (team,) = status.recipients
    assert status.overall is Overall.NOT_ENCRYPTED
    assert team.code is StatusCode.NO_CERTIFICATE
    assert "1 of 3 members" in team.reason and "cy@partner.example" in team.reason
    assert [m.code for m in team.members] == [
        StatusCode.OK,
        StatusCode.OK,
        StatusCode.NO_CERTIFICATE,
    ]
    lookups["cy@partner.example"] = OK_LOOKUP
    covered = decide(draft("Team <team@clinic.example>"), Evidence(lookups=lookups))
    assert covered.overall is Overall.ENCRYPTED
    assert covered.recipients[0].certificate is None and len(covered.recipients[0].members) == 3


def test_an_empty_or_pending_list_is_not_covered() -> None:
    empty = decide(
        draft("team@clinic.example"), Evidence(lookups={"team@clinic.example": Lookup(members=())})
    )
    assert empty.recipients[0].code is StatusCode.UNRESOLVED
    pending = Lookup(members=(parse_mailbox("ann@clinic.example"),), pending=True)
    evidence = Evidence(lookups={"team@clinic.example": pending, "ann@clinic.example": OK_LOOKUP})
    assert (
        decide(draft("team@clinic.example"), evidence).recipients[0].code is StatusCode.UNRESOLVED
    )
