"""The product's own verdict on a scenario: the one rule and the send gate, applied as the
compose screen applies them (Encrypt on: the scenarios are about confidential mail)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from desktop_app.core.recipients.compose_gate import DraftOrigin, send_decision
from desktop_app.core.recipients.send_gate import GateDecision
from desktop_app.core.recipients.status import Draft, Evidence, MessageStatus, decide
from desktop_app.core.training.phi_scenario import scenario_phi
from desktop_app.core.training.schema import Scenario
from desktop_app.core.training.start import ScenarioStart, scenario_start, start_draft


@dataclass(frozen=True, slots=True)
class Assessment:
    """What the product makes of a scenario's starting draft."""

    start: ScenarioStart
    draft: Draft
    status: MessageStatus
    gate: GateDecision


def scenario_gate(
    scenario: Scenario, status: MessageStatus, origin: DraftOrigin, subject: str, body: str
) -> GateDecision:
    """The send gate on a scenario's draft whose verdict is ``status``, with Encrypt on
    whatever the trainee did with the toggle: the decision replaces it."""
    return send_decision(
        status,
        origin,
        body,
        encrypt_on=True,
        policy=scenario.policy,
        phi=scenario_phi(scenario, subject, body),
    )


def assess_scenario(scenario: Scenario, collect: Callable[[Sequence[str]], Evidence]) -> Assessment:
    """The verdict and the gate on the scenario's starting draft.

    ``collect`` gives the evidence for address keys (the scenario's sandbox lookup).
    """
    start = scenario_start(scenario)
    draft = start_draft(scenario, start)
    mailboxes = (*draft.recipients, scenario.sender)
    status = decide(draft, collect([mailbox.key for mailbox in mailboxes]))
    decision = scenario_gate(scenario, status, start, start.subject, start.body)
    return Assessment(start, draft, status, decision)
