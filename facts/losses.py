"""Russian losses as the General Staff reports them (rules `loss.*`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Final

from facts.categories import LOSS_CATEGORIES
from facts.dates import explicit_date
from facts.records import Basis, LossReport, Source
from facts.text import NUM, count_of

_CATEGORY_PATTERNS: Final[dict[str, str]] = {
    "personnel": r"military\s+personnel|personnel|soldiers?|troops|servicem[ae]n|occupiers"
    r"|invaders",
    "tank": r"tanks?",
    "apc": r"armou?red\s+(?:combat|fighting|personnel)\s+vehicles?"
    r"|armou?red\s+personnel\s+carriers?|armou?red\s+vehicles?|APCs?",
    "artillery": r"artillery\s+(?:systems?|pieces?|guns?)|artillery",
    "mlrs": r"MLRS(?:s|es)?|multiple\s+(?:launch\s+)?rocket\s+(?:systems?|launchers?)",
    "air_defence": r"(?:air|anti-aircraft)\s+defen[cs]e\s+(?:systems?|means|units?)"
    r"|anti-aircraft\s+(?:warfare\s+)?systems?|air\s+defen[cs]e",
    "aircraft": r"aircraft|(?:war|air)?planes?|(?:fighter\s+)?jets?",
    "helicopter": r"helicopters?",
    "drone": r"(?:operational[-\s]tactical\s+)?(?:drones?|UAVs?)|unmanned\s+aerial\s+vehicles?"
    r"|UAV\s+operational[-\s]tactical\s+level",
    "cruise_missile": r"cruise\s+missiles?",
    "ship": r"(?:war)?ships?(?:\s*(?:/|and)\s*boats?)?|boats?",
    "submarine": r"submarines?",
    "vehicle": r"vehicles?\s+and\s+fuel\s+tank(?:s|ers)|(?:automotive|motor)\s+vehicles?"
    r"|automotive\s+equipment(?:\s+and\s+fuel\s+tanks)?|vehicles?|trucks?|fuel\s+tank(?:s|ers)",
    "special_equipment": r"special\s+equipment",
}
_CATEGORY = "|".join(f"(?P<c_{name}>{pattern})" for name, pattern in _CATEGORY_PATTERNS.items())
_LOSS_ITEM_RE: Final = re.compile(
    rf"(?P<n>{NUM})\s+(?:(?:units|pieces)\s+of\s+)?(?:(?:Russian|enemy|occupying|hostile)\s+)?"
    rf"(?:{_CATEGORY})\b",
    re.I,
)
_STAFF_ITEM_RE: Final = re.compile(
    rf"(?<![\w-])(?:{_CATEGORY})\s*[‒–—:-]\s*(?:about\s+|approximately\s+|around\s+)?"
    rf"(?P<total>{NUM})\s*(?:persons|people|units)?\s*\(\s*\+\s*(?P<daily>{NUM})\s*\)",
    re.I,
)
_LOSS_WORD_RE: Final = re.compile(r"\b(?:los(?:e|es|t|ing|ses|s))\b", re.I)
_ELIMINATE_RE: Final = re.compile(
    r"\b(?:eliminat|neutrali[sz]|liquidat)(?:e|es|ed|ing)\b",
    re.I,
)
_DAILY_RE: Final = re.compile(
    r"\b(?:in|over|during|for)\s+the\s+(?:past|last|previous)\s+(?:day|24\s+hours)\b"
    r"|\bin\s+(?:one|a|a\s+single|1)\s+day\b|\bper\s+day\b|\bdaily\b",
    re.I,
)
_TOTAL_RE: Final = re.compile(
    r"\bsince\s+(?:the\s+)?(?:(?:start|beginning|outset)\s+of\s+(?:the\s+)?)?(?:Russia's\s+)?"
    r"(?:full[-\s]scale\s+|large[-\s]scale\s+)?(?:Russian\s+)?(?:invasion|war)\b"
    r"|\bsince\s+(?:February\s+24,?\s+2022|24\s+February,?\s+2022)\b"
    r"|\bin\s+total\b|\btotal\b|\boverall\b|\baltogether\b",
    re.I,
)
_REACH_RE: Final = re.compile(
    r"\b(?:reach(?:es|ed)?|ris(?:es|en)\s+to|rose\s+to|amount(?:s|ed)?\s+to"
    r"|st(?:and|ands|ood)\s+at)\b",
    re.I,
)
_AS_OF_RE: Final = re.compile(r"\bas\s+of\b", re.I)
_ATTACK_REPORT_RE: Final = re.compile(
    r"\b(?:launch(?:ed|es|ing)?|downed|shot\s+down|intercepted|attack(?:ed|s)?\s+\w+\s+with)\b",
    re.I,
)
_RUSSIAN_SIDE_RE: Final = re.compile(
    r"\b(?:Russia|Russia's|Russian|Russians|enemy|enemy's|occupiers|invaders|General\s+Staff)\b",
    re.I,
)
_UKRAINIAN_LOSS_RE: Final = re.compile(
    r"\bUkrain(?:e|e's|ian)\s+(?:(?:has|had|forces|army|troops|military|Armed\s+Forces)\s+)?"
    r"(?:loses|lost|losses)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class _Marker:
    start: int
    end: int
    basis: Basis
    rule: str


def _category(match: re.Match[str]) -> str:
    return next(name for name in LOSS_CATEGORIES if match.group(f"c_{name}"))


def losses(sentence: str, source: Source, published: date) -> list[LossReport]:
    """The loss figures one sentence states."""
    if (
        _ATTACK_REPORT_RE.search(sentence)
        or _UKRAINIAN_LOSS_RE.search(sentence)
        or not _RUSSIAN_SIDE_RE.search(sentence)
    ):
        return []
    report_date = explicit_date(sentence, published) or published
    staff = [
        row
        for match in _STAFF_ITEM_RE.finditer(sentence)
        for row in (
            LossReport(
                report_date,
                _category(match),
                count_of(match, "total"),
                "cumulative",
                "loss.staff_table",
                source,
                sentence,
            ),
            LossReport(
                report_date,
                _category(match),
                count_of(match, "daily"),
                "daily",
                "loss.staff_table",
                source,
                sentence,
            ),
        )
    ]
    if staff:
        return staff
    eliminated = _ELIMINATE_RE.search(sentence) is not None
    if not (_LOSS_WORD_RE.search(sentence) or eliminated):
        return []
    markers = _markers(sentence, eliminated)
    if not markers:
        return []
    rows: list[LossReport] = []
    for item in _LOSS_ITEM_RE.finditer(sentence):
        nearest = min(markers, key=lambda m: (_gap(m, item), m.start))
        rows.append(
            LossReport(
                report_date,
                _category(item),
                count_of(item),
                nearest.basis,
                nearest.rule,
                source,
                sentence,
            )
        )
    return rows


def _markers(sentence: str, eliminated: bool) -> list[_Marker]:
    daily_rule = "loss.eliminated_daily" if eliminated else "loss.daily_list"
    markers = [
        _Marker(m.start(), m.end(), "daily", daily_rule) for m in _DAILY_RE.finditer(sentence)
    ] + [
        _Marker(m.start(), m.end(), "cumulative", "loss.cumulative_list")
        for m in _TOTAL_RE.finditer(sentence)
    ]
    if markers:
        return markers
    # Weak total markers: only when nothing says daily or total outright.
    return [
        _Marker(m.start(), m.end(), "cumulative", "loss.reach_total")
        for m in _REACH_RE.finditer(sentence)
    ] + [
        _Marker(m.start(), m.end(), "cumulative", "loss.cumulative_list")
        for m in _AS_OF_RE.finditer(sentence)
    ]


def _gap(marker: _Marker, item: re.Match[str]) -> int:
    return max(marker.start - item.end(), item.start() - marker.end, 0)
