"""The date a sentence reports: its first explicit date, else the publication date."""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from sources.months import ENGLISH

# Each month's full name and the abbreviations the site writes ("Feb.", "Sept.").
_MONTH_NAMES: Final = tuple(
    (name,) if name == "May" else (name, "Sept", "Sep") if name == "September" else (name, name[:3])
    for name in ENGLISH
)
MONTHS: Final[dict[str, int]] = {
    name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names
}
MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
MONTH_FULL = "|".join(names[0] for names in _MONTH_NAMES)
YEAR = r"(?:19|20)\d{2}"
_DATE_RE: Final = re.compile(
    rf"\b(?P<mon>{MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*[-–]\s*\d)"
    rf"(?:,?\s+(?P<year>{YEAR})\b)?"
    rf"|(?<![\d,.])(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon2>{MONTH})\b\.?"
    rf"(?:,?\s+(?P<year2>{YEAR})\b)?"
    r"|(?<![\d.])(?P<day3>\d{1,2})\.(?P<mon3>\d{1,2})\.(?P<year3>\d{4}|\d{2})(?![\d])"
)
_PERIOD_START_RE: Final = re.compile(r"\b(?:since|from)\s+(?:the\s+)?$", re.I)
_INVASION_DAY: Final = date(2022, 2, 24)
PAST_DAY_RE: Final = re.compile(
    r"\b(?:over|in|during|for)\s+the\s+(?:past|last|previous)\s+(?:day|24\s+hours)\b"
    r"|\byesterday\b",
    re.I,
)


def explicit_date(sentence: str, published: date) -> date | None:
    """The first date the sentence states (rules in `facts.rules`), or None."""
    for match in _DATE_RE.finditer(sentence):
        if _PERIOD_START_RE.search(sentence[max(0, match.start() - 12) : match.start()]):
            continue
        if match.group("mon"):
            month, day, year = MONTHS[match.group("mon")], match.group("day"), match.group("year")
        elif match.group("mon2"):
            month, day, year = (
                MONTHS[match.group("mon2")],
                match.group("day2"),
                match.group("year2"),
            )
        else:
            month, day = int(match.group("mon3")), match.group("day3")
            year = match.group("year3")
            if len(year) == 2:
                year = "20" + year
        try:
            if year is not None:
                found = date(int(year), month, int(day))
            else:
                found = date(published.year, month, int(day))
                if found > published:
                    found = date(published.year - 1, month, int(day))
        except ValueError:
            continue
        if found == _INVASION_DAY:
            continue
        return found
    return None
