"""The detectors: US SSN, Medicare MBI, dates of birth, the practice's MRNs, name cues.

Each is a regular expression plus a rule that keeps ordinary clinic text quiet: an SSN
needs a keyword within 300 characters (as Microsoft Purview does) and must be in a range
the Social Security Administration issues; a date is a date of birth only next to "DOB",
"born" or "date of birth"; an MBI must follow the character rules CMS publishes, which
no phone, invoice or ZIP number does. Name cues are weak and looked for only in a Subject.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Final

from desktop_app.core.phi.findings import PhiFinding, PhiKind, masked, mrn_kind

KEYWORD_REACH: Final = 300  # characters either side of an SSN where a keyword counts
_DOB_BEFORE: Final = 40  # "DOB: " ... date
_DOB_AFTER: Final = 20  # date ... "(date of birth)"

# One separator throughout (123-45-6789, 123 45 6789, 123456789): a ZIP+4 (02139-1234)
# has the shape of a bare SSN with a dash in it, and is not one.
_SSN: Final = re.compile(r"(?<!\d)(?<!\d-)(\d{3})([- ]?)(\d{2})\2(\d{4})(?!-?\d)")
_SSN_KEYWORD: Final = re.compile(
    r"(?i)(?<![a-z])(?:ssns?|ss\s*#|ss\s*no|s\.s\.n\.?|social\s+security|soc\.?\s*sec)(?![a-z])"
)
# CMS: positions 2, 5, 8 and 9 are letters other than S, L, O, I, B and Z; 3 and 6 are
# such a letter or a digit; 1 is 1-9; 4, 7, 10 and 11 are digits. Printed 4-3-4 with dashes.
_MBI_LETTER: Final = "[AC-HJKMNP-RT-Y]"
_MBI_EITHER: Final = "[0-9AC-HJKMNP-RT-Y]"
_MBI: Final = re.compile(
    rf"(?i)(?<![A-Za-z0-9])[1-9]{_MBI_LETTER}{_MBI_EITHER}\d-?"
    rf"{_MBI_LETTER}{_MBI_EITHER}\d-?{_MBI_LETTER}{_MBI_LETTER}\d\d(?![A-Za-z0-9])"
)
_DOB_KEYWORD: Final = re.compile(
    r"(?i)(?<![a-z])(?:d\.?\s?o\.?\s?b|date\s+of\s+birth|birth\s*date|born(?:\s+on)?)(?![a-z])"
)
_MONTH: Final = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_NUMERIC_DATE: Final = re.compile(r"(?<!\d)(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)")
_ISO_DATE: Final = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_NAMED_DATE: Final = re.compile(
    rf"(?i)(?<![a-z]){_MONTH}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)"
    rf"|(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\.?,?\s+(\d{{4}})(?!\d)"
)
_NAME_CUE: Final = re.compile(
    r"(?<![A-Za-z])(?:(?:Mrs|Mr|Ms|Miss|Mx)\.?|(?i:patient|pt\.))[:,]?\s+[A-Z][a-z'\u2019-]+"
)


@dataclass(frozen=True)
class PhiRules:
    """What to look for besides the fixed detectors: the practice's MRN formats."""

    mrn: tuple[tuple[str, re.Pattern[str]], ...] = ()

    @classmethod
    def from_patterns(cls, patterns: Sequence[tuple[str, str]]) -> PhiRules:
        """Rules from ``(name, regex)`` pairs already checked by the policy parser."""
        return cls(tuple((name, re.compile(pattern)) for name, pattern in patterns))


def _ssn_in_range(area: str, group: str, serial: str) -> bool:
    # Never issued: area 000, 666 or 900-999, group 00, serial 0000.
    return not (
        area == "000" or area == "666" or area[0] == "9" or group == "00" or serial == "0000"
    )


def _near(positions: Sequence[int], start: int, end: int, reach: int) -> bool:
    """True when some position lies within ``reach`` characters of [start, end)."""
    index = bisect.bisect_left(positions, start - reach)
    return index < len(positions) and positions[index] <= end + reach


def _ssns(text: str, where: str) -> Iterator[PhiFinding]:
    keywords = [m.start() for m in _SSN_KEYWORD.finditer(text)]
    if not keywords:
        return
    for match in _SSN.finditer(text):
        area, _, group, serial = match.groups()
        if _ssn_in_range(area, group, serial) and _near(
            keywords, match.start(), match.end(), KEYWORD_REACH
        ):
            yield _finding(PhiKind.SSN, where, match)


def _mbis(text: str, where: str) -> Iterator[PhiFinding]:
    for match in _MBI.finditer(text):
        yield _finding(PhiKind.MBI, where, match)


def _real_day_month(first: int, second: int) -> bool:
    # Month and day in either order (US 04/12, elsewhere 12/04).
    return (1 <= first <= 12 and 1 <= second <= 31) or (1 <= second <= 12 and 1 <= first <= 31)


def _dates(window: str) -> Iterator[re.Match[str]]:
    for match in _NUMERIC_DATE.finditer(window):
        if _real_day_month(int(match.group(1)), int(match.group(3))):
            yield match
    for match in _ISO_DATE.finditer(window):
        if 1 <= int(match.group(2)) <= 12 and 1 <= int(match.group(3)) <= 31:
            yield match
    for match in _NAMED_DATE.finditer(window):
        day = match.group(1) or match.group(3)
        if 1 <= int(day) <= 31:
            yield match


def _dobs(text: str, where: str) -> Iterator[PhiFinding]:
    # Keywords are rare; dates are looked for only around them, so a long text of
    # appointment dates costs one pass of the keyword pattern.
    seen: set[int] = set()
    for keyword in _DOB_KEYWORD.finditer(text):
        low = max(0, keyword.start() - _DOB_AFTER)
        window = text[low : keyword.end() + _DOB_BEFORE]
        for match in _dates(window):
            start = low + match.start()
            if start in seen:
                continue
            seen.add(start)
            end = low + match.end()
            yield PhiFinding(PhiKind.DOB, where, masked(match.group(0)), start, end)


def _mrns(text: str, where: str, rules: PhiRules) -> Iterator[PhiFinding]:
    for name, pattern in rules.mrn:
        for match in pattern.finditer(text):
            if match.end() > match.start():
                yield _finding(mrn_kind(name), where, match)


def _finding(kind: str, where: str, match: re.Match[str]) -> PhiFinding:
    return PhiFinding(kind, where, masked(match.group(0)), match.start(), match.end())


def find_phi(
    text: str, where: str, rules: PhiRules, *, name_cues: bool = False
) -> list[PhiFinding]:
    """Every detail found in ``text``, in order of position.

    ``name_cues`` also looks for "Mrs. Patel" or "patient Jones" (meant for a Subject,
    where a name is a detail in itself; in a body it would flag every letter).
    """
    found = [
        *_ssns(text, where),
        *_mbis(text, where),
        *_dobs(text, where),
        *_mrns(text, where, rules),
    ]
    if name_cues:
        found += [_finding(PhiKind.NAME_CUE, where, m) for m in _NAME_CUE.finditer(text)]
    return sorted(found, key=lambda finding: (finding.start, finding.kind))
