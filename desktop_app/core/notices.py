"""Warnings attached to a verdict: a stable code for programs and a sentence for people."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Notice:
    """A warning about a draft that does not by itself change the verdict.

    ``code`` is stable (used in ``--json`` output and tests); ``message`` is for people;
    ``address`` names the recipient it concerns, if any (normalised key).
    """

    code: str
    message: str
    address: str | None = None
