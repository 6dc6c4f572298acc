"""What a PHI detector reports: the kind of detail, where it is, and a masked excerpt."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

SUBJECT: Final = "subject"
BODY: Final = "body"
ATTACHMENT_PREFIX: Final = "attachment:"
MRN_PREFIX: Final = "mrn:"
MASK: Final = "*"
# Characters left readable at the end of an excerpt: enough for a person to find the
# detail in their text, too few to be the detail.
_KEPT: Final = 2


class PhiKind(StrEnum):
    """The fixed kinds; a medical record number is ``mrn:<name>`` (see ``mrn_kind``)."""

    SSN = "ssn"
    MBI = "mbi"
    DOB = "dob"
    NAME_CUE = "name_cue"


def mrn_kind(name: str) -> str:
    """The kind of a finding made by the practice's MRN pattern called ``name``."""
    return MRN_PREFIX + name


def attachment_where(filename: str) -> str:
    """The ``where`` of a finding in the attachment called ``filename``."""
    return ATTACHMENT_PREFIX + filename


@dataclass(frozen=True, slots=True)
class PhiFinding:
    """One detail found.

    ``kind`` is a PhiKind value or ``mrn:<name>``; ``where`` is ``subject``, ``body`` or
    ``attachment:<name>``; ``start``/``end`` index the scanned text; ``excerpt`` is the
    matched text with all but its last two letters or digits masked, so that a report,
    a log line or a JSON output never repeats the detail itself.
    """

    kind: str
    where: str
    excerpt: str
    start: int
    end: int

    @property
    def weak(self) -> bool:
        """True for a cue that only suggests a patient (a name after "Mrs."), not a detail."""
        return self.kind == PhiKind.NAME_CUE


def masked(matched: str) -> str:
    """``matched`` with every letter and digit but the last two replaced by ``*``."""
    alnum_positions = [index for index, char in enumerate(matched) if char.isalnum()]
    hidden = set(alnum_positions[:-_KEPT]) if len(alnum_positions) > _KEPT else set(alnum_positions)
    return "".join(MASK if index in hidden else char for index, char in enumerate(matched))
