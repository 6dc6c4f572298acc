"""Certificate life cycle: pins, expiry marks, key changes, the user's own expiry stages."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.pki.usability import CertCode
from desktop_app.core.recipients.evidence import with_directory
from desktop_app.core.recipients.lifecycle import (
    expires_soon,
    key_change,
    own_expiry_notice,
    own_expiry_stage,
    stale_pins,
)
from desktop_app.core.recipients.status import (
    Evidence,
    Lookup,
    Overall,
    choose_certificate,
    decide,
)
from tests.core.recipients.test_status import AT, draft, evidence_for

NEWER = evidence_for(fingerprint="new", spki="k-new", days_left=700)
OLDER = evidence_for(fingerprint="old", spki="k-old", days_left=20)
EXPIRED = evidence_for(CertCode.EXPIRED, fingerprint="exp", spki="k-exp", days_left=-5)


def test_newest_valid_is_used_unless_another_usable_one_is_pinned() -> None:
    candidates = (OLDER, NEWER, EXPIRED)
    assert choose_certificate(candidates) == NEWER
    assert choose_certificate(candidates, pinned="old") == OLDER
    # A pin on a certificate that is no longer usable is ignored, never an error.
    assert choose_certificate(candidates, pinned="exp") == NEWER
    assert choose_certificate(candidates, pinned="gone") == NEWER


def test_pin_reaches_the_verdict_and_stale_pins_are_found() -> None:
    lookups = {"a@x.org": Lookup(candidates=(OLDER, NEWER, EXPIRED))}
    status = decide(draft("a@x.org"), Evidence(lookups=lookups, pinned={"a@x.org": "old"}))
    assert status.overall is Overall.ENCRYPTED
    assert status.recipients[0].certificate == OLDER
    evidence = Evidence(lookups=lookups, pinned={"a@x.org": "exp", "b@y.org": "zz"})
    assert stale_pins(evidence.pinned, evidence) == ("a@x.org",)  # b@y.org not looked at


def test_expired_beside_valid_is_never_an_error() -> None:
    status = decide(draft("a@x.org"), Evidence(lookups={"a@x.org": Lookup((EXPIRED, NEWER))}))
    assert status.overall is Overall.ENCRYPTED
    assert status.recipients[0].certificate == NEWER


def test_expires_soon_marks_only_usable_certificates_within_30_days() -> None:
    assert expires_soon(OLDER, AT)
    assert not expires_soon(NEWER, AT)
    assert not expires_soon(EXPIRED, AT)
    assert not expires_soon(None, AT)


def test_key_change_names_old_and_new_certificates_and_sources() -> None:
    lookups = {"a@x.org": Lookup((OLDER, NEWER))}
    evidence = Evidence(lookups=lookups, last_used_spki={"a@x.org": "k-old"})
    status = decide(draft("a@x.org"), evidence)
    assert any(n.code == "key_changed" for n in status.notices)
    change = key_change(status.recipients[0], evidence)
    assert change is not None
    assert (change.previous_fingerprint, change.fingerprint) == ("old", "new")
    unchanged = Evidence(lookups=lookups, last_used_spki={"a@x.org": "k-new"})
    assert key_change(decide(draft("a@x.org"), unchanged).recipients[0], unchanged) is None


def test_published_certificates_carry_their_source_into_the_verdict() -> None:
    stored = Evidence(lookups={"a@x.org": Lookup((NEWER,))})
    labelled = evidence_for(fingerprint="new", spki="k-new", days_left=700)
    labelled = type(labelled)(
        labelled.fingerprint, labelled.spki, labelled.not_after, "ldap:corp", labelled.verdict
    )
    merged = with_directory(stored, {"a@x.org": Lookup((labelled, OLDER))})
    assert [c.source for c in merged.lookups["a@x.org"].candidates] == ["ldap:corp", "imported"]


def test_own_expiry_stages() -> None:
    end = AT + dt.timedelta(days=100)
    assert own_expiry_stage(end, AT) is None
    assert own_expiry_stage(end, end - dt.timedelta(days=30)) == 30
    assert own_expiry_stage(end, end - dt.timedelta(days=14)) == 14
    assert own_expiry_stage(end, end - dt.timedelta(days=2)) == 3
    assert own_expiry_stage(end, end) == 0
    notice = own_expiry_notice("me@x.org", end, end - dt.timedelta(days=10))
    assert notice is not None and "expires in 10 days" in notice.message


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=-1000, max_value=1000), st.integers(min_value=0, max_value=1000))
def test_own_expiry_stage_never_grows_as_time_passes(days_left: int, later: int) -> None:
    end = AT + dt.timedelta(days=days_left)
    first = own_expiry_stage(end, AT)
    second = own_expiry_stage(end, AT + dt.timedelta(days=later))
    if first is not None:
        assert second is not None and second <= first
