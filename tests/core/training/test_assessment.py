"""The product's verdict on a scenario comes from the one rule on evidence it is given."""

from collections.abc import Sequence
from datetime import UTC, datetime

from desktop_app.core.pki.usability import CertCode, CertVerdict
from desktop_app.core.recipients.send_gate import GateKind
from desktop_app.core.recipients.status import CertificateEvidence, Evidence, Lookup, Overall
from desktop_app.core.training.assessment import assess_scenario
from desktop_app.core.training.judging import consistency_problems
from desktop_app.core.training.scenario_file import parse_scenario
from tests.core.training.test_schema import VALID

USABLE = CertificateEvidence(
    "ab", "cd", datetime(2030, 1, 1, tzinfo=UTC), "imported", CertVerdict(CertCode.OK, "ok", ())
)


def test_the_reply_all_is_judged_on_the_evidence_for_every_address_of_the_draft() -> None:
    scenario = parse_scenario(VALID, "mixed.toml")
    asked: list[str] = []

    def collect(keys: Sequence[str]) -> Evidence:
        asked.extend(keys)
        return Evidence(
            lookups={
                key: Lookup((USABLE,) if key != "dana@partner.example" else ()) for key in keys
            }
        )

    assessed = assess_scenario(scenario, collect)
    assert set(asked) == {"dana@partner.example", "lee@clinic.example", "you@clinic.example"}
    assert assessed.status.overall is Overall.NOT_ENCRYPTED
    assert assessed.gate.kind is GateKind.OPEN_DIALOG  # Encrypt on, Dana not covered
    assert assessed.start.quote is not None and assessed.start.quote in assessed.start.body
    assert consistency_problems(scenario, assessed.status, assessed.gate) == ()
