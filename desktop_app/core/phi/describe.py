"""Findings in words (the compose window, the seal command) and as JSON (``check``)."""

from __future__ import annotations

from desktop_app.core.messages import text
from desktop_app.core.phi.findings import (
    ATTACHMENT_PREFIX,
    BODY,
    MRN_PREFIX,
    SUBJECT,
    PhiFinding,
)


def kind_words(kind: str) -> str:
    """ "looks like a date of birth" and the like."""
    if kind.startswith(MRN_PREFIX):
        return text("phi.kind.mrn", name=kind[len(MRN_PREFIX) :])
    return text(f"phi.kind.{kind}")


def where_words(where: str) -> str:
    if where == SUBJECT:
        return text("phi.where.subject")
    if where == BODY:
        return text("phi.where.body")
    return text("phi.where.attachment", name=where.removeprefix(ATTACHMENT_PREFIX))


def describe(finding: PhiFinding) -> str:
    """One line: where, what it looks like, and the masked excerpt."""
    line = text(
        "phi.finding",
        where=where_words(finding.where),
        kind=kind_words(finding.kind),
        excerpt=finding.excerpt,
    )
    return line[:1].upper() + line[1:]


def describe_subject(finding: PhiFinding, *, protected: bool) -> str:
    """What the compose window shows under the Subject field for a Subject finding."""
    key = "phi.subject_protected" if protected else "phi.subject_finding"
    return text(key, kind=kind_words(finding.kind), excerpt=finding.excerpt)


def subject_summary(findings: tuple[PhiFinding, ...]) -> str:
    """One sentence for the compose window: "The Subject looks like a date of birth
    (**/**/**61) and may name a patient (***. ***el). The Subject is not encrypted..."."""
    parts = [f"{kind_words(f.kind)} ({f.excerpt})" for f in findings]
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + text("phi.and") + parts[-1]
    return text("phi.subject_summary", found=joined)


def finding_json(finding: PhiFinding) -> dict[str, str]:
    """``{"where", "kind", "excerpt"}`` as ``check --json`` prints it."""
    return {"where": finding.where, "kind": str(finding.kind), "excerpt": finding.excerpt}


def audit_tags(findings: tuple[PhiFinding, ...]) -> tuple[str, ...]:
    """``kind@where`` for each distinct finding, for the audit record (never the excerpt)."""
    return tuple(dict.fromkeys(f"{f.kind}@{f.where}" for f in findings))
